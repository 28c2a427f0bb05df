"""Editors' side of notices: boundary paste, the 48-hour commitment warning, and 发布进展."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, rich_text

from notices.lifecycle.commitment_check import late_notice_warning
from notices.models import NoticeIndexPage, OutageNoticePage
from tests.factories.notices import make_notice

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def notice_form(starts_at, **overrides):
    local = timezone.localtime(starts_at)
    data = {
        "title": "星宇东泵站停水",
        "slug": "admin-notice",
        "utility": "water",
        "kind": "planned",
        "cause": "泵站计划性清洗水箱",
        "area_name": "星宇东泵站",
        "district": "绿园区",
        "starts_at": local.strftime("%Y-%m-%d %H:%M"),
        "ends_at": (local + timedelta(hours=23)).strftime("%Y-%m-%d %H:%M"),
        "boundary_text": "(南至皓月大路，北至迎宾路两侧，西至翔运街)",
        "boundary_south": "",
        "boundary_north": "",
        "boundary_west": "",
        "boundary_east": "",
        "households": "",
        "contact_phone": "",
        "polygon": "",
        "details": rich_text(""),
        **overrides,
    }
    return nested_form_data(data)


def add_url():
    return reverse(
        "wagtailadmin_pages:add",
        args=("notices", "outagenoticepage", NoticeIndexPage.objects.get().pk),
    )


def test_pasted_boundary_text_fills_the_four_sides(client, moderator):
    client.force_login(moderator)
    start = timezone.now() + timedelta(days=5)
    response = client.post(add_url(), {**notice_form(start), "action-publish": "publish"})
    assert response.status_code == 302
    notice = OutageNoticePage.objects.get(slug="admin-notice")
    assert (
        notice.boundary_south,
        notice.boundary_north,
        notice.boundary_west,
        notice.boundary_east,
    ) == (
        "皓月大路",
        "迎宾路两侧",
        "翔运街",
        "",
    )
    assert notice.live and notice.went_live_at is not None


def test_publishing_a_planned_outage_late_warns_naming_the_commitment(client, moderator):
    client.force_login(moderator)
    start = timezone.now() + timedelta(hours=20)
    response = client.post(
        add_url(), {**notice_form(start), "action-publish": "publish"}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    [warning] = [m for m in messages if m.startswith("承诺提醒")]
    assert "《社会服务承诺制度》“计划停热检修时提前48小时告知用户。”" in warning
    assert "仅20.0小时" in warning or "仅19.9小时" in warning
    # Recorded: the real go-live time, from which the lead time can be checked later.
    notice = OutageNoticePage.objects.get(slug="admin-notice")
    assert notice.starts_at - notice.went_live_at < timedelta(hours=48)


def test_no_warning_with_48_hours_or_for_emergencies():
    now = timezone.now()
    assert (
        late_notice_warning(
            make_notice(starts_at=now + timedelta(hours=49), ends_at=now + timedelta(hours=60))
        )
        is None
    )
    emergency = make_notice(
        kind="emergency", starts_at=now + timedelta(hours=1), ends_at=now + timedelta(hours=5)
    )
    assert late_notice_warning(emergency) is None
    scheduled = make_notice(
        publish=False, starts_at=now + timedelta(hours=50), ends_at=now + timedelta(hours=60)
    )
    scheduled.go_live_at = now + timedelta(hours=10)  # goes live only 40 h ahead
    assert "仅40.0小时" in late_notice_warning(scheduled, now)


def test_moderator_adds_an_update_editor_cannot(client, editor, moderator):
    notice = make_notice(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=3)
    )
    url = reverse("notices_add_update", args=(notice.pk,))
    new_end = timezone.localtime(timezone.now() + timedelta(hours=10)).strftime("%Y-%m-%d %H:%M")
    client.force_login(editor)
    refused = client.post(url, {"kind": "extended", "new_ends_at": new_end, "text": "编辑试图延长"})
    assert (
        refused.status_code == 302 and refused["Location"] == "/admin/"
    )  # Wagtail's "no permission"
    assert not notice.updates.filter(kind="extended").exists()
    client.force_login(moderator)
    page = client.get(url).content.decode()
    assert "延长" in page and "取消" not in page  # only the transitions the state allows
    response = client.post(url, {"kind": "extended", "new_ends_at": new_end, "text": "更换阀门"})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.state == "extended" and notice.is_major
    update = notice.updates.get(kind="extended")
    assert update.author == moderator and update.text == "更换阀门"


def test_an_update_that_does_not_fit_is_explained(client, moderator):
    notice = make_notice(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=3)
    )
    client.force_login(moderator)
    url = reverse("notices_add_update", args=(notice.pk,))
    response = client.post(url, {"kind": "extended", "text": "没写时间"})
    assert response.status_code == 400
    assert "延长需要填写新的结束时间。" in response.content.decode()
    assert not notice.updates.filter(kind="extended").exists()
