"""The filing numbers in every page's footer (home.filing): ICP备案号 linked to the MIIT filing
system, 公安机关备案号 linked to its record in the MPS filing system with the emblem, the
optional 网站标识码; validated in Chinese, nothing shown when empty, and a change seen at once on
every cached page."""

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree, html
from wagtail.test.utils.form_data import nested_form_data, streamfield

from demo.content import site as site_content
from home import filing
from home.models import SiteSettings
from tests.xml_safety import parse_xml

pytestmark = pytest.mark.django_db

MPS_DEMO_URL = "https://beian.mps.gov.cn/#/query/webSearch?code=22010200000000"
# Every kind of page that draws the site chrome: sections, a routed community page, a notice,
# a form, and the page of an address that does not exist.
PAGES = [
    "/",
    "/faq/",
    "/directory/",
    "/directory/LY-0001/",
    "/notices/",
    "/notices/first-station-heat-maintenance/",
    "/service/",
    "/no-such-page/",
]


def filing_list(client, url):
    """The footer's list of filing numbers as an lxml element, or None."""
    response = client.get(url)
    assert response.status_code in (200, 404), url
    found = html.fromstring(response.content).xpath('//footer//ul[@class="filing-numbers"]')
    return found[0] if found else None


def change(site, **fields) -> SiteSettings:
    settings = SiteSettings.for_site(site)
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.full_clean()
    settings.save()
    return settings


@pytest.mark.parametrize("url", PAGES)
def test_every_page_shows_the_filing_numbers_linked_to_the_filing_systems(client, url):
    numbers = filing_list(client, url)
    assert numbers is not None, url
    assert numbers.get("aria-label") == "备案信息"
    icp, police = numbers.xpath("./li/a")
    assert icp.text_content().strip() == site_content.ICP_NUMBER == "吉ICP备00000000号-1"
    assert icp.get("href") == "https://beian.miit.gov.cn/"
    assert police.text_content().strip() == site_content.POLICE_NUMBER
    assert police.get("href") == MPS_DEMO_URL
    for link in (icp, police):  # open in the same tab: no target, so no opener to guard
        assert link.get("target") is None
    (emblem,) = police.xpath("./img")
    assert emblem.get("alt") == "公安机关备案标志"
    assert emblem.get("src") == "/static/home/police-filing-emblem.svg"
    assert (emblem.get("width"), emblem.get("height")) == ("20", "20")
    assert "网站标识码" not in numbers.text_content()  # the demo utility has none


def test_the_emblem_is_an_svg_in_the_home_apps_static_files_with_a_title():
    path = finders.find("home/police-filing-emblem.svg")
    assert path and "/home/static/home/" in path
    with open(path, "rb") as svg:
        root = parse_xml(svg.read())
    svg_ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{svg_ns}svg" and root.get("role") == "img"
    title = root.find(f"{svg_ns}title")
    assert title is not None and title.text == "公安机关备案标志"
    assert root.get("aria-labelledby") == title.get("id")
    assert not root.xpath("//*[local-name()='script' or local-name()='image']")  # drawn, no fetches


def test_the_website_code_is_shown_when_set(client, site):
    change(site, website_code="2201000001")
    numbers = filing_list(client, "/faq/")
    assert numbers.xpath("./li[not(a)]")[0].text_content().strip() == "网站标识码：2201000001"


def test_empty_fields_show_nothing(client, site):
    change(site, icp_number="", police_number="", website_code="")
    body = client.get("/faq/").content.decode()
    assert filing_list(client, "/faq/") is None
    assert "beian" not in body and "备案" not in body and "police-filing-emblem" not in body
    change(site, police_number=site_content.POLICE_NUMBER)
    numbers = filing_list(client, "/faq/")
    assert [a.get("href") for a in numbers.xpath(".//a")] == [MPS_DEMO_URL]
    assert "ICP" not in numbers.text_content()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("icp_number", "ICP备12345678号", "ICP备案号应为“省份简称＋ICP备＋数字＋号”"),
        ("icp_number", "港ICP备12345678号", "ICP备案号应为“省份简称＋ICP备＋数字＋号”"),
        ("icp_number", "吉ICP备号-1", "例如：吉ICP备12345678号-1。"),
        ("icp_number", "吉ICP备12345678号-", "网站序号可带在“-”之后"),
        ("icp_number", "吉ICP证030173号", "ICP备案号应为"),
        ("icp_number", "吉ICP备١٢٣号", "ICP备案号应为"),  # Arabic-Indic digits are no digits here
        ("police_number", "吉公网安备2201020200012号", "“省份简称＋公网安备＋14位数字＋号”"),
        ("police_number", "吉公网安备22010202000123", "例如：吉公网安备22010202000123号。"),
        ("police_number", "吉ICP备22010202000123号", "公安机关备案号应为"),
        (
            "police_number",
            "京公网安备22010202000123号",
            "公安机关备案号的省份简称“京”与编号开头的行政区划代码“22”不符（京应为11）",
        ),
        ("website_code", "22010", "网站标识码为10位数字或字母，例如：2201000001。"),
        ("website_code", "2201-00000", "网站标识码为10位数字或字母"),
    ],
)
def test_numbers_in_the_wrong_form_are_refused_in_chinese(site, field, value, message):
    settings = SiteSettings.for_site(site)
    setattr(settings, field, value)
    with pytest.raises(ValidationError) as refused:
        settings.full_clean()
    assert list(refused.value.message_dict) == [field]
    assert message in refused.value.message_dict[field][0]


def test_numbers_typed_with_a_chinese_input_method_are_stored_as_shown(site):
    settings = change(
        site,
        icp_number=" 吉ＩＣＰ备１２３４５６７８号－２ ",
        police_number="吉公网安备 22010202000123 号",
        website_code="ｂｍ０４０００００１",
    )
    settings.refresh_from_db()
    assert settings.icp_number == "吉ICP备12345678号-2"
    assert settings.police_number == "吉公网安备22010202000123号"
    assert settings.website_code == "bm04000001"


def test_demo_numbers_are_valid_and_the_mps_link_queries_the_digits():
    filing.validate_icp_number(site_content.ICP_NUMBER)
    filing.validate_police_number(site_content.POLICE_NUMBER)
    assert filing.police_query_url("京公网安备11010502030143号") == (
        "https://beian.mps.gov.cn/#/query/webSearch?code=11010502030143"
    )


SETTINGS_URL = "/admin/settings/home/sitesettings/{pk}/"


def settings_form(**fields) -> dict:
    data = {
        "company_name": "春城热力集团（演示站点）",
        "office_address": "天华路供热客户服务中心",
        "hotlines": streamfield(
            [
                (
                    "hotline",
                    {"kind": "service", "label": "客服热线", "number": "9612399", "hours": ""},
                )
            ]
        ),
        "season_start": "2026-10-20",
        "season_end": "2027-04-05",
        "icp_number": "",
        "police_number": "",
        "website_code": "",
    }
    return nested_form_data({**data, **fields})


def test_moderators_enter_the_numbers_in_the_site_settings(client, moderator, site):
    client.force_login(moderator)
    url = SETTINGS_URL.format(pk=site.pk)
    form = client.get(url).content.decode()
    assert "备案信息" in form and "ICP备案号" in form and "网站标识码" in form
    refused = client.post(url, settings_form(icp_number="吉ICP备12345678", police_number="x"))
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "ICP备案号应为“省份简称＋ICP备＋数字＋号”" in body
    assert "公安机关备案号应为“省份简称＋公网安备＋14位数字＋号”" in body
    assert SiteSettings.for_site(site).icp_number == site_content.ICP_NUMBER
    saved = client.post(
        url, settings_form(icp_number="吉ICP备１２３４５６７８号", police_number="")
    )
    assert saved.status_code == 302
    settings = SiteSettings.objects.get(site=site)
    assert (settings.icp_number, settings.police_number) == ("吉ICP备12345678号", "")
    client.logout()
    numbers = filing_list(client, "/")
    assert [a.text_content() for a in numbers.xpath(".//a")] == ["吉ICP备12345678号"]


def test_a_change_reaches_every_cached_page_at_once(client, site):
    cached = [url for url in PAGES if url != "/no-such-page/"]  # errors are never cached
    for url in cached:
        client.get(url)
        assert client.get(url).get("X-Page-Cache") == "hit", url
    change(site, icp_number="吉ICP备99999999号-3", police_number="吉公网安备22010399999999号")
    for url in cached:
        response = client.get(url)
        assert response.get("X-Page-Cache") != "hit", url
        body = response.content.decode()
        assert "吉ICP备99999999号-3" in body and site_content.ICP_NUMBER not in body, url
        assert "webSearch?code=22010399999999" in body, url


def test_the_footer_costs_no_query(client, site, settings):
    """The numbers come with the cached chrome: a page shows them at the cost it had without."""
    settings.PAGE_CACHE_TIMEOUT = 0  # count what rendering costs, not a page cache hit

    def queries(url):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    with_numbers = {url: queries(url) for url in ("/", "/faq/", "/directory/LY-0001/")}
    change(site, icp_number="", police_number="", website_code="")
    assert filing_list(client, "/") is None
    assert {url: queries(url) for url in with_numbers} == with_numbers
    assert with_numbers["/faq/"] <= 10


def test_the_footer_list_is_well_formed_html(client):
    """One list of links: no nested or stray elements a screen reader would announce."""
    numbers = filing_list(client, "/")
    assert [child.tag for child in numbers] == ["li", "li"]
    assert etree.tostring(numbers, encoding="unicode").count("<img") == 1
