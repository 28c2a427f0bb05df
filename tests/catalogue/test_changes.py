"""What the catalogue records when a page enters, changes in or leaves it."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue import changes
from catalogue.models import CatalogueChange
from notices.lifecycle.transitions import record_update
from tests.catalogue.helpers import changes_of, item, regulation, set_credit_code
from tests.factories.notices import make_notice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(commits_at_once, site, clock):
    clock("2026-12-05 10:00")
    set_credit_code(site)


def test_publish_edit_unpublish_republish_delete(commits_at_once):
    page = regulation()
    page.title = "修订标题"
    page.save_revision().publish()
    page.unpublish()
    page.save_revision().publish()
    with commits_at_once():
        page.delete()
    assert changes_of(page) == [
        ("created", ""),
        ("updated", ""),
        ("withdrawn", "unpublished"),
        ("created", ""),
        ("withdrawn", "deleted"),
    ]


def test_a_sync_with_nothing_new_records_nothing():
    page = regulation()
    before = CatalogueChange.objects.count()
    assert changes.sync(page.pk) is None
    page.save_revision().publish()  # republished unchanged
    assert CatalogueChange.objects.count() == before


def test_a_scheduled_draft_changes_nothing_until_it_goes_live():
    page = regulation()
    draft = page.get_latest_revision_as_object()
    draft.title = "明天生效的标题"
    draft.go_live_at = timezone.now() + timedelta(days=1)
    draft.save_revision().publish()  # Wagtail sends page_published for the schedule too
    assert changes_of(page) == [("created", "")]
    assert item(page).snapshot["title"] != "明天生效的标题"


def test_a_repealed_item_leaves_the_lists_with_its_new_validity():
    old = regulation()
    new = regulation()
    old.validity, old.validity_changed_on, old.replaced_by = "revised", date(2026, 12, 1), new
    old.save_revision().publish()
    assert changes_of(old)[-1] == ("updated", "")
    assert item(old).snapshot["replaced_by_page"] == new.pk

    old.validity = "repealed"
    old.save_revision().publish()
    assert changes_of(old)[-1] == ("withdrawn", "repealed")
    assert item(old).snapshot["validity"] == "repealed"


def test_validity_rules_speak_chinese():
    page = regulation()
    page.validity = "repealed"
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "请填写修订或废止日期" in str(error.value)
    page.validity, page.validity_changed_on = "revised", date(2026, 12, 1)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "请选择修订后的文件" in str(error.value)


def test_metadata_defaults_come_from_the_column_and_the_site():
    page = regulation(issuing_body="")
    snapshot = item(page).snapshot
    assert snapshot["publisher"] == "长春市测试供热有限公司"  # the site's organisation
    assert snapshot["genre_label"] == "制度" and snapshot["topic_label"] == "政策法规"
    assert snapshot["disclosed_on"] == "2026-12-05" == snapshot["written_on"]

    page.publisher, page.genre, page.keywords = "市供热办", "standard", "退费，报停、测温"
    page.written_on = date(2026, 11, 20)
    page.save_revision().publish()
    snapshot = item(page).snapshot
    assert snapshot["publisher"] == "市供热办"
    assert snapshot["genre_label"] == "标准"
    assert snapshot["keywords"] == ["退费", "报停", "测温"]
    assert snapshot["written_on"] == "2026-11-20"


def test_a_notice_timeline_entry_updates_its_item():
    notice = make_notice()
    record_update(notice.pk, "info", text="抢修人员已到场")
    record_update(notice.pk, "cancelled", text="取消停水")
    assert changes_of(notice) == [("created", ""), ("updated", ""), ("updated", "")]
    assert item(notice).snapshot["extra"]["state"] == "cancelled"
    assert "取消停水" in item(notice).snapshot["summary"]


def test_the_organisations_new_name_reaches_every_item(site):
    page = regulation(issuing_body="")
    set_credit_code(site, organisation="长春市新名称供热有限公司")  # queues the reconcile
    assert item(page).snapshot["publisher"] == "长春市新名称供热有限公司"
    assert changes_of(page)[-1] == ("updated", "")


def test_the_index_box_is_on_the_page_within_the_query_budget(client):
    page = regulation(document_number="长供热〔2026〕3号", keywords="退费")
    client.get(page.url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.url)
    text = response.content.decode()
    assert "信息索引" in text
    assert item(page).index_number in text
    assert "长供热〔2026〕3号" in text
    assert len(captured) <= 10
