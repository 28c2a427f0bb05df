"""Login brute force: django-axes locks a username on one address after five failures for 30
minutes, with a Chinese page, on the Wagtail admin login and the private-page login."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

PASSWORD = "pw-moderator"  # the `moderator` fixture's


def login(client, username="moderator", password="wrong", url="/admin/login/"):
    return client.post(url, {"username": username, "password": password, "next": "/admin/"})


def office(address="10.7.0.1"):
    return Client(HTTP_HOST="localhost", REMOTE_ADDR=address)


def test_settings_are_the_documented_ones():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == 0.5  # hours
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_five_failures_lock_the_username_on_that_address(moderator):
    client = office()
    for _ in range(4):
        response = login(client)
        assert response.status_code == 200  # the form again, with its error
    locked = login(client)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "登录已暂停" in page and "连续5次密码错误" in page and "30分钟" in page
    assert locked["Retry-After"] == "1800"  # the cool-off, as every 429 of the site says

    # Even the right password is refused now: guessing it would not be noticed otherwise.
    assert login(client, password=PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_username_and_address(moderator, editor):
    client = office()
    for _ in range(5):
        login(client)
    # Another account from the same address, and the same account from another address.
    assert login(client, "editor", "pw-editor").status_code == 302
    assert login(office("10.7.0.2"), password=PASSWORD).status_code == 302


def test_the_lockout_ends_after_30_minutes(moderator):
    client = office()
    for _ in range(5):
        login(client)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert login(client, password=PASSWORD).status_code == 302


def test_a_success_clears_earlier_failures(moderator):
    client = office()
    for _ in range(4):
        login(client)
    assert login(client, password=PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert login(client).status_code == 200  # four new typos do not lock yet


def test_attempts_are_recorded_without_the_password(moderator):
    login(office(), password="s3cret-guess")
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "moderator",
        "10.7.0.1",
        1,
    )
    assert "s3cret-guess" not in attempt.post_data


def test_the_private_page_login_is_locked_too(moderator):
    client = office()
    for _ in range(5):
        login(client, url="/_util/login/")
    assert login(client, password=PASSWORD, url="/_util/login/").status_code == 429
