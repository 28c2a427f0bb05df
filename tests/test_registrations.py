"""What apps add to lower apps through registrations (Wagtail hooks) and what django-q2 stores
as a function's path: written from imports, these must give what the strings used to."""

import pytest
from django.utils.module_loading import import_string
from wagtail.models import Page

from chinese_text import vocabulary
from config.schedules import SCHEDULES
from contacts.models import Community, Station
from contacts.pages import DirectoryPage
from core.tasks import dotted_path
from home.chrome import build_chrome
from notices.models import OutageNoticePage
from servicedesk import tasks as servicedesk_tasks
from tests.factories.contacts import make_community

pytestmark = pytest.mark.django_db


def test_schedules_store_the_same_importable_paths():
    assert {name: fields["func"] for name, fields in SCHEDULES.items()} == {
        "wagtail-publish-scheduled": "django.core.management.call_command",
        "notices-advance-by-clock": "notices.tasks.advance_notices",
        "alerts-dispatch-due": "alerts.tasks.dispatch_due",
        "notices-import-partner-feeds": "notices.partners.importer.import_partner_feeds",
        "servicedesk-check-deadlines": "servicedesk.tasks.check_deadlines",
        "servicedesk-refresh-compliance": "servicedesk.tasks.refresh_compliance",
        "servicedesk-purge": "servicedesk.tasks.purge",
        "sms-purge-codes": "sms.verification.purge_codes",
        "alerts-purge-unsubscribed": "alerts.tasks.purge_unsubscribed",
        "core-purge-rate-counters": "core.ratelimit.purge_counters",
        "wechat-purge-seen-callbacks": "wechat.replay.purge_seen",
        "jobs-purge-finished": "jobs.runner.purge_finished",
        "catalogue-reconcile": "catalogue.tasks.reconcile",
        "disclosure-review-reminders": "disclosure.tasks.remind_overdue_reviews",
        "rules-review-reminders": "rules.tasks.remind_reviews",
        "reports-close-periods": "reports.tasks.close_periods",
        "linkcheck-daily": "linkcheck.run.run_link_check",
    }
    for fields in SCHEDULES.values():
        assert dotted_path(import_string(fields["func"])) == fields["func"]


def test_return_visit_path_imports_its_task():
    path = dotted_path(servicedesk_tasks.return_visit_due)
    assert path == "servicedesk.tasks.return_visit_due"
    assert import_string(path) is servicedesk_tasks.return_visit_due


def test_vocabulary_holds_the_directory_and_notice_place_names():
    make_community(name="金桂苑小区", aliases="金桂、桂苑家园")
    expected = []
    for name, aliases in Community.objects.values_list("name", "aliases"):
        expected += [name, aliases]
    for name, office in Station.objects.values_list("name", "office_address"):
        expected += [name, office]
    rows = OutageNoticePage.objects.order_by().values_list(
        "area_name",
        "district",
        "boundary_south",
        "boundary_north",
        "boundary_west",
        "boundary_east",
    )
    for row in rows.distinct():
        expected += vocabulary.notice_place_names(*row)
    names = vocabulary.place_names()
    assert names == expected
    assert {"金桂苑小区", "金桂、桂苑家园", "星宇东泵站", "皓月大路"} <= set(names)


def test_chrome_points_community_links_at_the_directory(site):
    directory = Page.objects.live().type(DirectoryPage).get()
    assert build_chrome(site)["directory_url"] == directory.get_url() == "/directory/"
    directory.unpublish()
    assert build_chrome(site)["directory_url"] == ""
