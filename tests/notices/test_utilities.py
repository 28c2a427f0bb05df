"""A utility is known in one place (notices.enums.Utility and its profile in notices.utilities):
every member has its texts, is offered by the subscription form, shows in the subscriber list's
download, can be followed and is texted to its followers; the migration from the four boolean
columns keeps what each subscriber followed, both ways."""

import csv
import importlib
import io
import itertools
import re

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.utils import timezone

from alerts.dispatch import fan_out
from alerts.forms import SubscribeForm
from alerts.messages import render
from alerts.models import Delivery
from importers.partner_feed import UTILITY_WORDS
from notices.enums import Utility
from notices.utilities import PROFILES, profile
from tests.factories.alerts import make_message, make_subscriber
from tests.factories.notices import make_notice
from tests.support import ROOT

SITE_CSS = ROOT / "site/static/css/site.css"
MIGRATION = "0007_subscriber_utilities"


def test_every_utility_has_its_profile():
    assert set(PROFILES) == set(Utility)
    for utility in Utility:
        assert str(profile(utility).cap_instruction) and str(profile(utility).sms_advice)
        assert re.fullmatch(r"#[0-9a-f]{6}", profile(utility).colour)


def test_the_list_cards_share_the_map_colour():
    css = SITE_CSS.read_text()
    for utility in Utility:
        rule = f".notice-{utility.value} {{ border-left-color: {profile(utility).colour}; }}"
        assert rule in css


def test_partner_feeds_know_a_word_for_every_utility():
    assert {value for value, _words in UTILITY_WORDS} == set(Utility.values)


@pytest.mark.django_db
@pytest.mark.parametrize("utility", list(Utility))
def test_a_utility_is_offered_followed_texted_and_exported(utility, moderator):
    assert (utility.value, utility.label) in SubscribeForm().fields["utilities"].choices
    assert utility.value in SubscribeForm().fields["utilities"].initial

    follower = make_subscriber(phone="13912349001", utilities=[utility])
    others = make_subscriber(phone="13912349002", utilities=[u for u in Utility if u != utility])
    notice = make_notice(utility=utility.value, is_major=True)
    fan_out(make_message(notice))
    assert list(Delivery.objects.values_list("recipient_id", flat=True)) == [follower.pk]
    assert others.utilities == [u for u in Utility if u != utility]

    assert str(profile(utility).sms_advice) in render(notice, "published").text
    client = Client(HTTP_HOST="localhost")
    cap = client.get(f"/cap/notices/{notice.pk}.xml").content.decode()
    assert f"<instruction>{profile(utility).cap_instruction}</instruction>" in cap

    client.force_login(moderator)
    response = client.get("/admin/snippets/alerts/subscriber/", {"export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8")[1:]
    header, *rows = csv.reader(io.StringIO(body))
    followed = {row[1]: row[header.index("关注类型")] for row in rows}
    assert followed["139****9001"] == utility.label


COMBINATIONS = list(itertools.product((False, True), repeat=4))


@pytest.fixture
def historical_apps(db):
    """The models as migration 0007 sees them (the four booleans and SubscriberUtility), on the
    test database with the boolean columns put back for the test's transaction."""
    apps = MigrationLoader(connection).project_state(("alerts", MIGRATION)).apps
    Subscriber = apps.get_model("alerts", "Subscriber")
    table = connection.ops.quote_name(Subscriber._meta.db_table)
    with connection.cursor() as cursor:
        for name in ("heat", "water", "gas", "power"):
            field = Subscriber._meta.get_field(f"follows_{name}")
            cursor.execute(
                f"ALTER TABLE {table} ADD COLUMN {connection.ops.quote_name(field.column)}"
                f" {field.db_type(connection)} NOT NULL DEFAULT TRUE"
            )
    return apps


def test_the_migration_keeps_what_each_subscriber_follows(historical_apps):
    migration = importlib.import_module(f"alerts.migrations.{MIGRATION}")
    Subscriber = historical_apps.get_model("alerts", "Subscriber")
    SubscriberUtility = historical_apps.get_model("alerts", "SubscriberUtility")
    columns = migration.COLUMNS
    assert set(columns) == set(Utility.values)  # the enum has not outgrown the columns yet
    now = timezone.now()
    subscribers = {
        Subscriber.objects.create(
            phone=f"1391235{number:04d}",
            consent_at=now,
            consent_source="web",
            token=f"migration-test-{number}",
            **{f"follows_{name}": value for name, value in zip(columns, flags, strict=True)},
        ).pk: flags
        for number, flags in enumerate(COMBINATIONS)
    }

    migration.columns_to_rows(historical_apps, None)
    for pk, flags in subscribers.items():
        rows = set(
            SubscriberUtility.objects.filter(subscriber=pk).values_list("utility", flat=True)
        )
        assert rows == {name for name, value in zip(columns, flags, strict=True) if value}

    # Backwards the columns come back with their default (all true) before the rows are read.
    Subscriber.objects.update(**{f"follows_{name}": True for name in columns})
    migration.rows_to_columns(historical_apps, None)
    for pk, flags in subscribers.items():
        restored = Subscriber.objects.values_list(*(f"follows_{n}" for n in columns)).get(pk=pk)
        assert restored == flags
