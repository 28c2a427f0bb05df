"""Rules in the admin: 审核 write and publish them (with revisions and the audit log), editors
read them; each block reads as a sentence; the ledger and the reviews pages."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from contacts.models import Community
from rules.models import ContentRule, PageReview, RuleFiring
from tests.catalogue.helpers import regulation
from tests.factories.notices import make_notice
from tests.rules.helpers import block, make_rule

pytestmark = pytest.mark.django_db
LIST = reverse("wagtailsnippets_rules_contentrule:list")
ADD = reverse("wagtailsnippets_rules_contentrule:add")


def form_data(**changes) -> dict:
    data = {
        "name": "停气通知抄送审核",
        "description": "",
        "triggers": ["published", "cancelled"],
        "priority": "40",
        "conditions-count": "1",
        "conditions-0-type": "utility",
        "conditions-0-deleted": "",
        "conditions-0-order": "0",
        "conditions-0-value-utilities": ["gas"],
        "actions-count": "1",
        "actions-0-type": "notify_moderators",
        "actions-0-deleted": "",
        "actions-0-order": "0",
    }
    return {**data, **changes}


def test_审核_write_and_publish_a_rule_with_its_history(client, moderator):
    client.force_login(moderator)
    response = client.post(ADD, {**form_data(), "action-publish": "action-publish"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    rule = ContentRule.objects.get(name="停气通知抄送审核")
    assert rule.live and rule.live_revision_id and rule.triggers == ["published", "cancelled"]
    assert ModelLogEntry.objects.filter(object_id=str(rule.pk), action="wagtail.publish").exists()
    inspect = client.get(reverse("wagtailsnippets_rules_contentrule:inspect", args=[rule.pk]))
    assert "停供类型为停气" in inspect.content.decode()
    assert "发邮件通知审核人员" in inspect.content.decode()


def test_a_rule_without_a_trigger_is_not_published_and_says_why_in_chinese(client, moderator):
    """A draft may be saved unfinished (Wagtail defers required fields for drafts)."""
    client.force_login(moderator)
    response = client.post(ADD, {**form_data(triggers=[]), "action-publish": "action-publish"})
    assert response.status_code == 200
    assert "请至少选择一个触发事件" in response.content.decode()
    assert not ContentRule.objects.filter(name="停气通知抄送审核").exists()


def test_editors_read_rules_but_cannot_change_them(client, editor):
    rule = ContentRule.objects.get(name="重大停供：计划停夜间暂缓")
    client.force_login(editor)
    listing = client.get(LIST)
    assert listing.status_code == 200
    assert "发布上线、按定时上线、延长" in listing.content.decode()
    inspect = client.get(reverse("wagtailsnippets_rules_contentrule:inspect", args=[rule.pk]))
    html = inspect.content.decode()
    assert "预计时长8小时以上或结束时间未知" in html and "延至07:00发送" in html
    assert client.get(ADD).status_code == 302
    edit = reverse("wagtailsnippets_rules_contentrule:edit", args=[rule.pk])
    assert client.post(edit, form_data(name="改名")).status_code == 302
    assert ContentRule.objects.get(pk=rule.pk).name == "重大停供：计划停夜间暂缓"


def test_the_ledger_names_the_rule_version_and_the_deliveries_page_too(
    client, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notice = make_notice(communities=[Community.objects.get(code="LY-0001")], kind="emergency")
    firing = RuleFiring.objects.get(event__page_id=notice.pk)
    assert firing.rule.name == "重大停供：抢修停即时发送"
    client.force_login(moderator)
    ledger = client.get(reverse("rules_firings")).content.decode()
    assert "《重大停供：抢修停即时发送》初始版" in ledger and notice.title in ledger
    deliveries = client.get(reverse("alerts_notice_deliveries", args=[notice.pk])).content.decode()
    assert "发送规则：《重大停供：抢修停即时发送》初始版" in deliveries


def test_a_review_is_marked_done_by_who_may_edit_the_page(
    client, editor, moderator, django_capture_on_commit_callbacks
):
    make_rule(
        ["published"],
        [block("column", {"columns": ["regulations"]})],
        [block("review_date", {"days": 7})],
    )
    with django_capture_on_commit_callbacks(execute=True):
        page = regulation()
    review = PageReview.objects.get(page_id=page.pk)
    client.force_login(moderator)
    assert page.title in client.get(reverse("rules_reviews")).content.decode()
    assert client.post(reverse("rules_review_done", args=[review.pk])).status_code == 302
    assert PageReview.objects.get(pk=review.pk).done_by == moderator
