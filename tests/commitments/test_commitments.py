from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from commitments.enums import TimeLimitUnit
from commitments.models import Commitment, CommitmentIndexPage, CommitmentPage
from faq.models import FAQIndexPage
from home.models import HomePage
from tests.factories.pages import make_commitment_page


def test_limit_display_and_duration():
    assert Commitment(limit_value=25, limit_unit=TimeLimitUnit.MINUTES).limit_display == "25分钟内"
    assert (
        Commitment(limit_value=7, limit_unit=TimeLimitUnit.WORKING_DAYS).limit_display
        == "7个工作日内"
    )
    assert Commitment(limit_unit=TimeLimitUnit.IMMEDIATE).limit_display == "即时"
    assert Commitment(limit_value=48, limit_unit=TimeLimitUnit.HOURS).duration == timedelta(
        hours=48
    )
    assert Commitment(limit_value=40, limit_unit=TimeLimitUnit.MINUTES).duration == timedelta(
        minutes=40
    )
    # Working days need the calendar; 即时 has no length.
    assert Commitment(limit_value=7, limit_unit=TimeLimitUnit.WORKING_DAYS).duration is None
    assert Commitment(limit_unit=TimeLimitUnit.IMMEDIATE).duration is None


@pytest.mark.parametrize(
    ("value", "unit", "message"),
    [
        (5, TimeLimitUnit.IMMEDIATE, "“即时”办理不需要填写时限数值。"),
        (None, TimeLimitUnit.HOURS, "请填写大于0的时限数值"),
        (0, TimeLimitUnit.DAYS, "请填写大于0的时限数值"),
    ],
)
def test_inconsistent_limits_are_refused_in_chinese(value, unit, message):
    commitment = Commitment(limit_value=value, limit_unit=unit)
    with pytest.raises(ValidationError) as error:
        commitment.clean()
    assert message in str(error.value.message_dict["limit_value"])


@pytest.mark.django_db
def test_seed_002_time_limit_table_is_complete_and_faithful():
    page = CommitmentPage.objects.get(slug="service-standard")
    rows = list(page.commitments.all())
    assert len(rows) == 20
    by_key = {row.key: row for row in rows}
    assert by_key["online-suspension"].limit_display == "7个工作日内"
    assert by_key["new-development-connection"].limit_value == 25
    assert "整个过程共计25个工作日" in by_key["new-development-connection"].requirement
    assert by_key["card-number-enquiry"].is_immediate
    assert by_key["indoor-leak"].requirement == "15分钟内与客户联系，40分钟内到达现场处理。"
    assert by_key["pipe-burst-repair"].get_category_display() == "应急抢修类"
    assert page.season_days == 120


@pytest.mark.django_db
def test_seed_004_promises_have_machine_readable_keys():
    page = CommitmentPage.objects.get(slug="social-service-commitment")
    notice = page.commitments.get(key="planned-outage-notice")
    assert notice.duration == timedelta(hours=48)
    assert page.commitments.get(key="complaint-reply").duration == timedelta(hours=24)
    assert page.standard_temperature == 18
    promise = CommitmentPage.objects.get(slug="season-promise")
    assert (promise.promised_temperature, promise.promised_rate) == (21, 98)
    assert promise.commitments.get(key="leak-on-site").duration == timedelta(minutes=25)


@pytest.mark.django_db
def test_keys_are_unique_within_a_page():
    index = CommitmentIndexPage.objects.get()
    row = {
        "category": "business",
        "service_item": "甲",
        "limit_unit": "immediate",
        "requirement": "即时",
    }
    with pytest.raises(IntegrityError):
        make_commitment_page(index, [{**row, "key": "same"}, {**row, "key": "same"}])


def test_page_creation_rules():
    assert CommitmentIndexPage in HomePage.allowed_subpage_models()
    assert CommitmentIndexPage not in FAQIndexPage.allowed_subpage_models()
    assert CommitmentPage.allowed_parent_page_models() == [CommitmentIndexPage]
    assert CommitmentPage.allowed_subpage_models() == []


def _commitment_form_data(rows):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    return nested_form_data(
        {
            "title": "测试承诺",
            "slug": "test-form",
            "intro": rich_text(""),
            "standard_temperature": "18",
            "season_start_month": 11,
            "season_start_day": 15,
            "season_end_month": 3,
            "season_end_day": 15,
            "season_days": 120,
            "commitments": inline_formset(rows),
        }
    )


@pytest.mark.django_db
def test_editor_form_refuses_duplicate_keys_in_chinese(client, moderator):
    from django.urls import reverse

    index = CommitmentIndexPage.objects.get()
    row = {
        "category": "business",
        "service_item": "在线报停",
        "limit_value": 7,
        "limit_unit": "working_days",
        "requirement": "7个工作日内关阀",
        "note": "",
    }
    client.force_login(moderator)
    url = reverse("wagtailadmin_pages:add", args=("commitments", "commitmentpage", index.pk))
    data = _commitment_form_data([{**row, "key": "suspend"}, {**row, "key": "suspend"}])
    response = client.post(url, {**data, "action-publish": "publish"})
    assert response.status_code == 200
    assert "服务时限中的标识不能重复：suspend。" in response.content.decode()
    assert not CommitmentPage.objects.filter(slug="test-form").exists()

    data = _commitment_form_data([{**row, "key": "suspend"}, {**row, "key": "resume"}])
    response = client.post(url, {**data, "action-publish": "publish"})
    assert response.status_code == 302
    page = CommitmentPage.objects.get(slug="test-form")
    assert page.live and page.commitments.count() == 2
