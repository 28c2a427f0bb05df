"""The 信息公开 pages from the demo content: each renders its key texts within the query budget,
constant in what it lists; the catalogue lists every column with its section, figures and
feeds; a guide's time limits are the published commitments'; the profile shows the catalogue
settings; one 栏目页 per column and site."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.columns import RULES, Column
from catalogue.models import CatalogueItem, CatalogueSettings
from commitments.models import CommitmentPage
from contacts.models import Community, Station
from disclosure import sections
from disclosure.models import (
    CataloguePage,
    ColumnPage,
    OrganisationProfilePage,
    SafetyPage,
    ServiceGuidePage,
    profile_figures,
)
from tests.disclosure.records import make_item
from tests.factories.pages import publish_child
from tests.support import queries_for

pytestmark = pytest.mark.django_db

CATALOGUE = "/disclosure/"
GUIDES = "/disclosure/guides/"
SUSPENSION = "/disclosure/guides/suspension/"
SAFETY = "/disclosure/safety/safe-heating/"
PROFILE = "/disclosure/profile/"

# Each page of the demo and what it must say.
PAGES = {
    CATALOGUE: ["信息公开", *(str(column.label) for column in Column)],
    PROFILE: [
        "春城热力集团有限公司（演示）",
        "91220102MA0Y7K3D6C",
        "吉长供热经字第2021018号（演示）",
        "3560万平方米",
        "10个供热站",
    ],
    GUIDES: [
        "供热报装（开户）",
        "报停（停止用热）",
        "复供（恢复用热）",
        "室温测量（测温）",
        "缴纳热费",
        "开具发票",
    ],
    "/disclosure/safety/": ["安全用热常识"],
    SAFETY: ["试水、打压期间家中要留人", "知道自家分户阀门的位置和开关方法", "96660"],
    "/disclosure/complaints/": [
        "12345",
        "9612399",
        'href="/service/complaint/"',
        "24小时内",  # complaint-reply, as published
    ],
    "/disclosure/guide/": [
        "公开内容和时限",
        "每年1月31日前公开上一年度报告",
        '<a href="/disclosure/#column-guides">办事指南</a>',  # the column's catalogue entry
        'href="/service/consultation/"',
    ],
    "/disclosure/guides/connection/": ["25个工作日内", "新建小区", "所需材料"],
    SUSPENSION: ["7个工作日内", 'href="/service/suspension/"', "9月20日前"],
    "/disclosure/guides/resumption/": ["48小时内", 'href="/service/resumption/"', "开栓费"],
    "/disclosure/guides/temperature/": ["即时", "24小时内", 'href="/service/temperature/"', "16℃"],
    "/disclosure/guides/payment/": ["即时", "支付宝", "9月8日"],
    "/disclosure/guides/invoice/": ["即时", "电子发票", "身份证"],
}


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def column_entry(html: str, key: str) -> str:
    """One column's entry on the catalogue page."""
    found = re.search(rf'<li class="catalogue-column" id="column-{key}">(.*?)</li>', html, re.S)
    assert found, key
    return found.group(1)


@pytest.mark.parametrize("url", PAGES)
def test_each_page_renders_its_content(client, url):
    html = text(client.get(url))
    for expected in PAGES[url]:
        assert expected in html, expected


@pytest.mark.parametrize("url", PAGES)
def test_query_budget(client, settings, url):
    settings.PAGE_CACHE_TIMEOUT = 0  # count the rendering, not a cache hit
    assert queries_for(client, url) <= 10


def test_the_demo_has_every_page_type_and_six_guides():
    assert CataloguePage.objects.live().count() == 1
    assert OrganisationProfilePage.objects.live().count() == 1
    assert SafetyPage.objects.live().count() == 1
    assert set(ColumnPage.objects.live().values_list("column", flat=True)) == {
        Column.GUIDES,
        Column.SAFETY,
        Column.COMPLAINTS,
        Column.DISCLOSURE_GUIDE,
    }
    assert ServiceGuidePage.objects.live().count() == 6
    settings = CatalogueSettings.objects.get()
    settings.full_clean()  # a credit code of the right form
    assert settings.credit_code == "91220102MA0Y7K3D6C"


# The catalogue ---------------------------------------------------------------------------------


def test_catalogue_lists_every_column_in_order_with_its_description_section_and_feeds(client):
    html = text(client.get(CATALOGUE))
    positions = [html.index(f'id="column-{column.value}"') for column in Column]
    assert positions == sorted(positions)
    for column in Column:
        entry = column_entry(html, column.value)
        assert str(RULES[column].description) in entry
        assert f"<dd>{RULES[column].code}</dd>" in entry
        assert f'href="/feeds/column/{column.value}.rss"' in entry
        assert f'href="/feeds/column/{column.value}.atom"' in entry
    # Sections found by type: the fixed column of 单位概况, the chosen one of each 栏目页.
    assert f'<a href="{PROFILE}">单位概况</a>' in column_entry(html, "profile")
    assert f'<a href="{GUIDES}">办事指南</a>' in column_entry(html, "guides")
    assert '<a href="/disclosure/guide/">信息公开指南</a>' in column_entry(html, "disclosure-guide")


def test_catalogue_counts_items_and_dates_the_last_update_from_the_records(client):
    CatalogueItem.objects.all().delete()  # the demo's, with their changes: only these below
    make_item("guides", "2026-11-02 09:00")
    make_item("guides", "2026-11-20 16:30")
    make_item("guides", "2026-11-25 08:00", in_catalogue=False)  # withdrawn: an update, no item
    make_item("safety", "2026-10-01 10:00")
    html = text(client.get(CATALOGUE))
    guides = column_entry(html, "guides")
    assert "<dd>2条</dd>" in guides and "2026年11月25日" in guides
    assert "<dd>1条</dd>" in column_entry(html, "safety")
    reports = column_entry(html, "reports")
    assert "<dd>0条</dd>" in reports and "暂无" in reports


@pytest.fixture
def no_reports_section():
    """A column with no section of its own: the demo's 年度报告 section taken away."""
    from reports.models import ReportIndexPage

    for section in ReportIndexPage.objects.all():
        section.delete()


def test_catalogue_queries_do_not_grow_with_items_or_sections(client, settings, no_reports_section):
    settings.PAGE_CACHE_TIMEOUT = 0
    before = queries_for(client, CATALOGUE)
    for column in Column.values:
        for day in range(1, 6):
            make_item(column, f"2026-11-{day:02d} 10:00")
    catalogue = CataloguePage.objects.get()
    publish_child(catalogue, ColumnPage(title="年度报告", slug="reports", column=Column.REPORTS))
    assert queries_for(client, CATALOGUE) == before


def test_a_cached_catalogue_follows_a_new_item_at_once(client, commits_at_once):
    before = column_entry(text(client.get(CATALOGUE)), "safety")
    assert client.get(CATALOGUE).get("X-Page-Cache") == "hit"
    count = int(re.search(r"<dd>(\d+)条</dd>", before).group(1))
    safety = ColumnPage.objects.get(column=Column.SAFETY)
    publish_child(safety, SafetyPage(title="冬季防冻常识", slug="frost"))
    response = client.get(CATALOGUE)
    assert response.get("X-Page-Cache") != "hit"
    assert f"<dd>{count + 1}条</dd>" in column_entry(text(response), "safety")


def test_feed_links_are_the_catalogue_feeds():
    assert sections.column_feed_urls("disclosure-guide") == (
        reverse("catalogue_column_rss", kwargs={"column": "disclosure-guide"}),
        reverse("catalogue_column_atom", kwargs={"column": "disclosure-guide"}),
    )
    assert sections.column_feed_urls("safety") == (
        "/feeds/column/safety.rss",
        "/feeds/column/safety.atom",
    )


# Guides ------------------------------------------------------------------------------------------


def republish_commitment(key: str, **changes) -> None:
    page = CommitmentPage.objects.get(commitments__key=key)
    rows = list(page.commitments.all())
    for row in rows:
        if row.key == key:
            for name, value in changes.items():
                setattr(row, name, value)
    page.commitments = rows
    page.save_revision().publish()


def test_a_guide_shows_the_commitment_as_published_now(client):
    html = text(client.get(SUSPENSION))
    assert "关阀：<strong>7个工作日内</strong>" in html
    assert client.get(SUSPENSION).get("X-Page-Cache") == "hit"
    republish_commitment("online-suspension", limit_value=5, requirement="5个工作日内关阀")
    response = client.get(SUSPENSION)
    assert response.get("X-Page-Cache") != "hit"  # the cached guide was dropped
    html = text(response)
    assert "关阀：<strong>5个工作日内</strong>" in html and "5个工作日内关阀" in html
    assert "7个工作日内" not in html


def test_a_guide_whose_commitment_is_withdrawn_refers_to_the_commitments(client):
    CommitmentPage.objects.get(commitments__key="online-suspension").unpublish()
    html = text(client.get(SUSPENSION))
    assert "以“服务承诺”栏目公布的时限为准。" in html
    assert "7个工作日内" not in html


def test_guide_and_safety_queries_do_not_grow_with_their_content(client, settings):
    settings.PAGE_CACHE_TIMEOUT = 0
    guide_before = queries_for(client, SUSPENSION)
    safety_before = queries_for(client, SAFETY)
    guide = ServiceGuidePage.objects.get(slug="suspension")
    guide.time_limits = [
        {"type": "time_limit", "value": {"key": key, "label": ""}}
        for key in ("online-suspension", "complaint-reply", "resume-heating", "fee-payment")
    ]
    guide.save_revision().publish()
    safety = SafetyPage.objects.get()
    safety.advice = [
        {"type": "advice", "value": {"heading": f"提示{n}", "text": "<p>内容</p>", "image": None}}
        for n in range(20)
    ]
    safety.save_revision().publish()
    assert queries_for(client, SUSPENSION) == guide_before
    assert queries_for(client, SAFETY) == safety_before


def test_guides_and_advice_belong_under_their_own_column():
    guides = ColumnPage.objects.get(column=Column.GUIDES)
    safety = ColumnPage.objects.get(column=Column.SAFETY)
    assert ServiceGuidePage.can_create_at(guides)
    assert not ServiceGuidePage.can_create_at(safety)
    assert SafetyPage.can_create_at(safety)
    assert not SafetyPage.can_create_at(guides)
    guide = ServiceGuidePage.objects.get(slug="invoice")
    assert not guide.can_move_to(safety)


# The profile -------------------------------------------------------------------------------------


def test_profile_shows_the_catalogue_settings_not_a_copy(client, site):
    html = text(client.get(PROFILE))
    assert "春城热力集团有限公司（演示）" in html
    assert client.get(PROFILE).get("X-Page-Cache") == "hit"
    settings = CatalogueSettings.for_site(site)
    settings.organisation = "长春春城热力有限责任公司"
    settings.credit_code = "91220101MA0Y7K3D6C"
    settings.save()
    html = text(client.get(PROFILE))
    assert "长春春城热力有限责任公司" in html and "91220101MA0Y7K3D6C" in html
    assert "春城热力集团有限公司（演示）" not in html


def test_profile_figures_are_the_settings_and_the_directory_in_one_query(site):
    with CaptureQueriesContext(connection) as captured:
        figures = profile_figures(site)
    assert len(captured) == 1
    assert figures["organisation"] == "春城热力集团有限公司（演示）"
    assert figures["credit_code"] == "91220102MA0Y7K3D6C"
    assert figures["station_count"] == Station.objects.count() == 10
    assert figures["community_count"] == Community.objects.count()
    assert figures["branch_count"] == 8
    assert figures["household_count"] == sum(
        Community.objects.values_list("households", flat=True).exclude(households=None)
    )


# One 栏目页 per column ------------------------------------------------------------------------


def test_a_second_column_page_of_a_column_is_refused(no_reports_section):
    catalogue = CataloguePage.objects.get()
    with pytest.raises(ValidationError) as refused:
        publish_child(catalogue, ColumnPage(title="办事指南二", slug="guides-2", column="guides"))
    assert "“办事指南”栏目已有栏目页《办事指南》。" in str(refused.value)
    # Nor a 栏目页 for a column whose section is a page of its own type.
    with pytest.raises(ValidationError) as refused:
        publish_child(catalogue, ColumnPage(title="概况", slug="about", column="profile"))
    assert "栏目页是《单位概况》" in str(refused.value)
    # A column without a section takes one.
    publish_child(catalogue, ColumnPage(title="年度报告", slug="reports", column="reports"))
    # And the existing page keeps its own column when edited.
    page = ColumnPage.objects.get(column="guides")
    page.intro = "<p>新导语</p>"
    page.save_revision().publish()


def test_the_admin_form_refuses_a_second_column_page(client, moderator, no_reports_section):
    catalogue = CataloguePage.objects.get()
    client.force_login(moderator)
    url = reverse("wagtailadmin_pages:add", args=("disclosure", "columnpage", catalogue.pk))
    data = {"title": "安全常识二", "slug": "safety-2", "body-count": "0", "validity": "valid"}
    response = client.post(url, {**data, "column": "safety"})
    assert response.status_code == 200
    assert "“安全常识”栏目已有栏目页《安全常识》。" in response.content.decode()
    assert ColumnPage.objects.filter(column="safety").count() == 1
    response = client.post(url, {**data, "column": "reports"})  # a column without a section
    assert response.status_code == 302
    assert ColumnPage.objects.get(slug="safety-2").column == "reports"


@pytest.mark.parametrize(
    "model", [CataloguePage, ColumnPage, OrganisationProfilePage, SafetyPage, ServiceGuidePage]
)
def test_editors_open_every_page_type_in_the_admin(client, editor, model):
    page = model.objects.first()
    client.force_login(editor)
    html = text(client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])))
    assert ("信息索引" in html) is (model is not CataloguePage)  # every disclosed item has it
    if model is ServiceGuidePage:  # the published commitments are offered by key
        assert r"&lt;option value=\&quot;online-suspension\&quot;&gt;" in html
