"""The test database holds the demo site, loaded once per run (and kept with --reuse-db);
each test runs in a transaction rolled back at its end, so tests see the seed content and
leave it as they found it. Tests here must not use `transaction=True`: that flushes tables."""

from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from wagtail.models import Site

from demo.loader import load_demo, reload_demo_notices
from sms.backends import locmem

pytest_plugins = ["tests.clock"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo()
        # Demo notices are placed relative to the day they are loaded; a reused test
        # database may be days old.
        reload_demo_notices()


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def outbox():
    """The texts sent in this test through the in-memory SMS backend (the test settings'), as
    (numbers, content, out_id, provider id) tuples; empty at the start of every test."""
    locmem.reset()
    yield locmem.outbox
    locmem.reset()


@pytest.fixture
def site(db):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def home(site):
    return site.root_page.specific


@pytest.fixture
def client():
    return Client(HTTP_HOST="localhost")


def _user_in_group(django_user_model, username: str, group: str):
    user = django_user_model.objects.create_user(username=username, password="pw-" + username)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db, django_user_model):
    return _user_in_group(django_user_model, "editor", "编辑")


@pytest.fixture
def moderator(db, django_user_model):
    return _user_in_group(django_user_model, "moderator", "审核")


@pytest.fixture
def commits_at_once(monkeypatch):
    """After-commit work runs at once, as it would after each commit outside a test (the
    catalogue syncs a page after the transaction that changed it; a test's never commits).
    `with commits_at_once():` holds it back to the end of the block, for an action that is
    one transaction of several steps (a deletion, whose rows go one table at a time)."""
    pending, deferred = [], []

    def on_commit(func, using=None, robust=False):
        if deferred:
            pending.append(func)
        else:
            func()

    monkeypatch.setattr("django.db.transaction.on_commit", on_commit)

    @contextmanager
    def one_transaction():
        deferred.append(True)
        try:
            yield
        finally:
            deferred.pop()
            while pending and not deferred:
                pending.pop(0)()

    return one_transaction
