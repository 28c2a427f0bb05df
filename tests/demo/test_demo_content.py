from datetime import date

import pytest
from django.core.management import call_command
from wagtail.models import Page, Revision

from alerts.models import Delivery, OutboundMessage, Subscriber, WeChatFollower
from catalogue.columns import Column
from catalogue.models import CatalogueChange, CatalogueItem
from commitments.models import Commitment
from contacts.models import Branch, Community, Station
from demo.loader import load_demo
from disclosure.sections import column_sections
from faq.models import QuestionPage
from reports.models import AnnualReportPage, ClosedMonth, SeasonQualityPage
from servicedesk.models import ComplianceFigure, ServiceRequest, TemperatureReading

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def snapshot():
    return (
        Page.objects.count(),
        Revision.objects.count(),
        Commitment.objects.count(),
        Branch.objects.count(),
        Station.objects.count(),
        Community.objects.count(),
    )


def full_snapshot():
    """What `manage.py load_demo` adds, beyond load_demo's pages: the catalogue's records, the
    service desk's and the 2025 history's records, and the figures stored from them."""
    counted = (
        CatalogueItem,
        CatalogueChange,
        ServiceRequest,
        TemperatureReading,
        ComplianceFigure,
        OutboundMessage,
        Delivery,
        Subscriber,
        WeChatFollower,
        ClosedMonth,
    )
    stored = {
        page.pk: (page.figures_computed_at, page.figures)
        for model in (AnnualReportPage, SeasonQualityPage)
        for page in model.objects.all()
    }
    return snapshot(), tuple(model.objects.count() for model in counted), stored


def test_demo_has_the_seed_content_and_a_large_directory():
    assert Community.objects.count() >= 520
    assert Community.objects.filter(name="铁路小区", households=1007).exists()
    assert QuestionPage.objects.live().filter(title="今年交的怎么比去年多？").exists()
    assert Commitment.objects.filter(key="planned-outage-notice", limit_value=48).exists()


def test_loading_twice_changes_nothing(capsys, clock):
    """The command loads what the test database lacks (the service desk's, the channels' and
    the 2025 demo) the first time; the second time it adds, dates and recomputes nothing."""
    clock("2026-12-04T10:00")
    call_command("load_demo")
    assert "2025年的记录：14条停供通知" in capsys.readouterr().out
    before = full_snapshot()
    clock.shift(60)
    call_command("load_demo")
    assert "演示内容已就绪" in capsys.readouterr().out
    assert full_snapshot() == before


def test_every_catalogue_column_has_published_items_with_their_metadata(client, home):
    """Each column of the catalogue holds items of the seed content, each with its 成文日期,
    体裁 and 关键词, and the column's section page shows them (past notices in the archive)."""
    sections = column_sections(home.path)
    for column in Column:
        items = list(CatalogueItem.objects.filter(column=column, in_catalogue=True))
        assert items, column.label
        for item in items:
            metadata = item.snapshot
            assert metadata["written_on"] and metadata["genre"], metadata["title"]
            assert metadata["keywords"], metadata["title"]
        section = sections[column.value]
        shown = client.get(section.url).content.decode()
        if column == Column.OUTAGES:
            shown += client.get(section.url + "archive/").content.decode()
        for item in items:
            assert item.page_id == section.pk or item.snapshot["title"] in shown, item


def test_items_carry_the_document_numbers_and_dates_the_seeds_give():
    by_title = {item.snapshot["title"]: item.snapshot for item in CatalogueItem.objects.all()}
    standard = by_title["建筑工程建筑面积计算规范（摘录）"]
    assert standard["document_number"] == "GB/T 50353-2013"
    assert standard["genre_label"] == "标准"
    assert "阁楼" in standard["keywords"]
    assert by_title["曲阜聚源供热有限责任公司规章制度"]["written_on"] == "2024-05-20"
    assert by_title["社会服务承诺制度"]["written_on"] == "2024-05-20"
    report = by_title["春城热力集团2025年信息公开工作年度报告"]
    assert report["document_number"] == "春热〔2026〕3号"


def test_loading_keeps_editors_changes_to_existing_pages():
    question = QuestionPage.objects.get(slug="why-more-than-last-year")
    question.title = "为什么今年热费比去年多？"
    question.save_revision().publish()
    load_demo()
    question.refresh_from_db()
    assert question.title == "为什么今年热费比去年多？"


def test_a_fresh_load_can_be_run_again(tmp_path):
    """What `scripts/start` does on every start: load into an empty site, then load again."""
    from notices.models import NoticeIndexPage, OutageNoticePage

    NoticeIndexPage.objects.get().delete()  # as on a fresh site: the section is created anew
    load_demo()
    index = NoticeIndexPage.objects.get()
    assert index.get_prev_siblings().count() == 0  # first in the menu
    assert index.numchild == OutageNoticePage.objects.child_of(index).count() > 0
    before = snapshot()
    load_demo()
    assert snapshot() == before


def test_service_desk_demo_has_the_2026_holidays_and_requests_in_every_state():
    from demo.servicedesk_loader import load_service_desk_demo
    from servicedesk.calendar import load_calendar
    from servicedesk.enums import RequestStatus
    from servicedesk.models import ComplianceFigure, ServiceRequest

    first = load_service_desk_demo()
    assert load_service_desk_demo() == first  # idempotent
    calendar = load_calendar()
    assert not calendar.is_working_day(date(2026, 10, 1))  # 国庆节
    assert calendar.is_working_day(date(2026, 10, 10))  # 调休上班 (Saturday)
    assert not calendar.is_working_day(date(2026, 2, 17))  # 春节
    requests = ServiceRequest.objects.routed().select_related("community")
    assert {request.status for request in requests} >= {
        RequestStatus.SUBMITTED,
        RequestStatus.IN_PROGRESS,
        RequestStatus.CLOSED,
    }
    assert all(request.station_id == request.community.station_id for request in requests)
    assert all(request.resolve_due_at for request in requests)
    company = ComplianceFigure.objects.filter(station=None)
    assert sum(figure.received for figure in company) == len(requests)
    assert sum(figure.ratings for figure in company) == sum(1 for r in requests if r.rating)


def test_channel_demo_robots_work_only_against_the_stand_in_and_nobody_is_real(settings):
    from alerts.channels.robots import RobotClient
    from alerts.models import GroupRobot, PressContact
    from demo.channels_loader import load_channel_demo
    from standins.wecom_robot import WecomRobotStandin

    first = load_channel_demo()
    assert load_channel_demo() == first  # idempotent
    robots = GroupRobot.objects.filter(webhook_key__startswith="demo-")
    assert robots.count() == first["robots"] >= 8
    assert robots.filter(community__code="LY-0001").count() == 3  # one per building
    emails = PressContact.objects.values_list("email", flat=True)
    assert all(email.endswith(("@example.cn", "@example.com")) for email in emails)
    with WecomRobotStandin(key_prefix="demo-") as standin:  # the documented command's
        assert RobotClient(standin.base_url).post(robots[0].webhook_key, "测试") == "ok"
