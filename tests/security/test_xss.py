"""Stored XSS: real payloads through every way text gets in (a partner RSS feed, a .docx, the
admin's fields and rich text, the directory, search and the calculators) come out inert on
every channel that shows them: pages, RSS/Atom (whose descriptions readers render as HTML),
CAP, iCalendar and JSON. Checked by parsing what is served, not by looking for substrings."""

import io
import json
import re
from datetime import timedelta

import docx
import lxml.html
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree
from PIL import Image as PillowImage
from wagtail.test.utils.form_data import nested_form_data

from contacts.models import Community
from faq.models import FAQIndexPage, QuestionPage
from fees.enums import Calculator
from fees.forms import FORMS
from notices.models import NoticeIndexPage, OutageNoticePage
from notices.partners.importer import import_source
from notices.partners.models import PartnerFeedSource
from regulations.importer import import_regulation
from tests.factories.regulations import make_index
from tests.feed_validation import ATOM_CONTENT_TYPE, RSS_CONTENT_TYPE, validate_response

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "background"}
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
CONTROL = re.compile(r"[\x00-\x20\x7f-\xa0]+")
# What an attacker would inject; every one of these has worked somewhere.
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
SVG = "<svg/onload=alert`3`>"  # no spaces or brackets: survives being cut into words
BREAKOUT = '"><script>alert(4)</script>'
JS_URL = "javascript:alert(5)"
IMG_NO_BRACKETS = "<img/src=x/onerror=alert`2`>"  # fits where a notice's cause is read


def executable(html: str) -> list[str]:
    """What in `html` would run script in a browser: script elements (other than JSON-LD,
    which must still parse), event handler attributes, javascript:/data: URLs, frames."""
    if not html.strip():
        return []
    tree = lxml.html.fromstring(html)
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        tag = element.tag.lower().rsplit("}", 1)[-1]
        if tag == "script":
            if element.get("type") == "application/ld+json":
                json.loads(element.text or "null")  # a payload broke out if this fails
            else:
                found.append(f"<script>{element.text}")
        if tag in FORBIDDEN_ELEMENTS:
            found.append(f"<{tag}>")
        if tag == "meta" and element.get("http-equiv", "").lower() == "refresh":
            found.append("<meta refresh>")
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on"):
                found.append(f"<{tag} {name}={value!r}>")
            normalised = CONTROL.sub("", value).lower()
            if (name in URL_ATTRIBUTES or name == "style") and BAD_SCHEMES[0] in normalised:
                found.append(f"<{tag} {name}={value!r}>")
            elif name in URL_ATTRIBUTES and normalised.startswith(BAD_SCHEMES):
                found.append(f"<{tag} {name}={value!r}>")
    return found


def assert_inert_page(response):
    assert response.status_code == 200
    assert "html" in response["Content-Type"]
    body = response.content.decode()
    assert executable(body) == [], response.request["PATH_INFO"]
    return body


def text_of(body: str) -> str:
    return lxml.html.fromstring(body).text_content()


def assert_inert_feed(response, html_elements=("description", "summary", "content")):
    """A feed parses as XML with no element of its own named script, and every description,
    summary or content (which RSS and Atom readers render as HTML) holds no executable HTML.
    (CAP's elements are plain text: `html_elements=()`.) An RSS or Atom feed is also valid: the
    payloads neither break its XML nor its specification (tests/feed_validation.py)."""
    assert response.status_code == 200
    if response["Content-Type"].startswith((ATOM_CONTENT_TYPE, RSS_CONTENT_TYPE)):
        validate_response(response)
    root = etree.fromstring(response.content)
    html_parts = []
    for element in root.iter():
        local = etree.QName(element).localname
        assert local.lower() != "script"
        if local in html_elements and element.text:
            html_parts.append(element.text)
    for part in html_parts:
        assert executable(part) == [], part
    return root


def notice_channels(notice) -> list[str]:
    """Every feed that may carry the notice (all, major, its utility, the outage column)."""
    feeds = [
        "/feeds/notices.rss",
        "/feeds/notices.atom",
        f"/feeds/utility/{notice.utility}.rss",
        f"/feeds/utility/{notice.utility}.atom",
        "/feeds/column/outages.rss",
        "/feeds/column/outages.atom",
        "/cap/index.atom",
    ]
    if notice.is_major:
        feeds += ["/feeds/major.rss", "/feeds/major.atom"]
    return feeds


def assert_notice_is_inert_everywhere(client, notice, *, expect_text: list[str]):
    """The page, the listing and the home page, every feed, CAP, iCalendar and JSON. The
    payloads must still be there as text (`expect_text`): neutralised, not silently lost."""
    page = assert_inert_page(client.get(notice.url))
    for text in expect_text:
        assert text in text_of(page), text
    assert_inert_page(client.get(NoticeIndexPage.objects.get().url))
    assert_inert_page(client.get("/"))

    for url in notice_channels(notice):
        assert_inert_feed(client.get(url))
    rss = client.get("/feeds/notices.rss").content.decode()
    assert f"notice-{notice.pk}<" in rss  # the notice is really in the feed

    cap = client.get(reverse("notice_cap", args=(notice.pk,)))
    cap_root = assert_inert_feed(cap, html_elements=())
    cap_text = "".join(cap_root.itertext())
    assert any(text in cap_text for text in expect_text)  # as text, XML-escaped

    ical = client.get(reverse("notice_ical", args=(notice.pk,)))
    assert ical.status_code == 200 and ical["Content-Type"].startswith("text/calendar")

    api = client.get(reverse("api_notice_detail", args=(notice.pk,)))
    assert api["Content-Type"].startswith("application/json")
    assert api.json()["title"] == notice.title  # data, exactly as written
    listing = client.get(reverse("api_notice_list"))
    assert listing["Content-Type"].startswith("application/json")


# 1. A partner RSS feed, imported


def partner_feed(start) -> bytes:
    """An outage from 8:00 on `start`'s day to 7:00 the next."""
    end = start + timedelta(days=1)
    when = f"{start.month}月{start.day}日8:00—{end.day}日7:00"
    description = (
        f"<p>因{escape_xml(IMG_NO_BRACKETS)}影响：{when} "
        f"朝阳区{escape_xml(SVG)}泵站(南至{escape_xml(SVG)},北至解放大路,西至湖西路,东至西朝阳路)"
        "停水。</p>"
        f'{SCRIPT}{IMG}<p><a href="{JS_URL}">点击查看详情</a></p>'
        f'<p><a href="jAvA&#x09;ScRiPt:alert(6)">详情</a></p>{SVG}'
        "<iframe src=\"javascript:alert('iframe')\"></iframe>"
        "<p onclick=\"alert('attr')\">请做好储水准备。</p>"
        f"<p>{escape_xml(BREAKOUT)}</p>"
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
  <title>某水务公司</title><link>https://water.example.cn/</link><description>测试</description>
  <item>
    <title>朝阳区停水通知{escape_xml(BREAKOUT)}</title>
    <link>{JS_URL}</link>
    <guid isPermaLink="false">xss-security-1</guid>
    <pubDate>{start.strftime("%a, %d %b %Y 09:30:00 +0800")}</pubDate>
    <description><![CDATA[{description}]]></description>
  </item>
</channel></rss>""".encode()


def escape_xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_partner_feed_payloads_are_inert_on_every_channel(client):
    start = timezone.localtime() + timedelta(days=2)
    source = PartnerFeedSource.objects.create(
        url="https://water.example.cn/rss",
        name="某水务公司",
        default_utility="water",
        default_district="朝阳区",
        trusted=True,  # published at once: nobody reviews it before readers see it
    )
    result = import_source(source, fetch=lambda url: partner_feed(start), as_of=timezone.now())
    [notice] = OutageNoticePage.objects.filter(pk__in=result.imported)
    assert notice.live
    # The payloads reached the plain-text fields as text.
    assert "<script>" in notice.title and "onerror" in notice.cause
    assert "onload" in notice.area_name and "onload" in notice.boundary_south
    assert executable(notice.details) == []

    assert_notice_is_inert_everywhere(
        client, notice, expect_text=[BREAKOUT, "onerror=alert", "<svg/onload=alert`3`>"]
    )


# 2. A .docx, imported


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (4, 3), (10, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def add_hyperlink(paragraph, url: str, text: str) -> None:
    relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    run = OxmlElement("w:r")
    run_text = OxmlElement("w:t")
    run_text.text = text
    run.append(run_text)
    link.append(run)
    paragraph._p.append(link)


def hostile_word_file() -> bytes:
    document = docx.Document()
    document.add_paragraph(f"供热安全管理办法{BREAKOUT}", style="Title")
    document.add_paragraph(f"第一章 总则{SCRIPT}")
    document.add_paragraph(f"第一条 为规范供热安全管理{IMG}，制定本办法。")
    paragraph = document.add_paragraph("第二条 详见")
    add_hyperlink(paragraph, JS_URL, f"附件{SVG}")
    table = document.add_table(rows=2, cols=2)
    for row, values in enumerate([(f"项目{BREAKOUT}", "时限"), (IMG, f"{SCRIPT}24小时")]):
        for column, value in enumerate(values):
            table.cell(row, column).text = value
    run = document.add_paragraph().add_run()
    run.add_picture(io.BytesIO(png_bytes()))
    run._r.xpath(".//wp:docPr")[0].set("descr", f"示意图{BREAKOUT}{IMG}")
    document.add_paragraph(f"第三条 本办法自发布之日起施行。{JS_URL}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_payloads_are_inert_on_the_regulation_page(client, home, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    index = make_index(home)
    result = import_regulation(hostile_word_file(), filename="安全办法.docx", parent=index)
    page = result.page
    page.get_latest_revision().publish()
    page.refresh_from_db()

    body = assert_inert_page(client.get(page.url))
    shown = text_of(body)
    assert BREAKOUT in shown and SCRIPT in shown and IMG in shown and "附件" in shown
    images = lxml.html.fromstring(body).xpath("//img[contains(@alt, '示意图')]")
    assert [image.get("alt") for image in images] == [f"示意图{BREAKOUT}{IMG}"]  # text, in place
    assert_inert_page(client.get(index.url))
    assert_inert_feed(client.get("/feeds/column/regulations.rss"))
    assert_inert_feed(client.get("/feeds/column/regulations.atom"))
    assert_inert_page(client.get("/search/", {"q": "供热安全管理办法"}))


# 3. What editors type in the admin


def contentstate(text: str, *, link_urls=()) -> str:
    """Draftail's JSON as the admin posts it: a paragraph of `text`, one link per URL, an image
    and a heading the field does not allow, and an entity with made-up attributes."""
    blocks = [
        {
            "key": "text1",
            "type": "unstyled",
            "depth": 0,
            "text": text,
            "inlineStyleRanges": [],
            "entityRanges": [],
            "data": {},
        },
        {
            "key": "head1",
            "type": "header-two",
            "depth": 0,
            "text": f"标题{SCRIPT}",
            "inlineStyleRanges": [],
            "entityRanges": [],
            "data": {},
        },
        {
            "key": "img01",
            "type": "atomic",
            "depth": 0,
            "text": " ",
            "inlineStyleRanges": [],
            "entityRanges": [{"offset": 0, "length": 1, "key": 0}],
            "data": {},
        },
    ]
    entities = {
        "0": {
            "type": "IMAGE",
            "mutability": "IMMUTABLE",
            "data": {"src": "x", "alt": BREAKOUT, "onerror": "alert(7)", "id": 1},
        }
    }
    for number, url in enumerate(link_urls, start=1):
        key = f"lnk{number:02d}"
        blocks.append(
            {
                "key": key,
                "type": "unstyled",
                "depth": 0,
                "text": "链接",
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": 0, "length": 2, "key": number}],
                "data": {},
            }
        )
        entities[str(number)] = {
            "type": "LINK",
            "mutability": "MUTABLE",
            "data": {"url": url, "onclick": "alert(8)"},
        }
    return json.dumps({"blocks": blocks, "entityMap": entities})


HOSTILE_URLS = [
    JS_URL,
    "JaVaScRiPt:alert(9)",
    "java\tscript:alert(10)",
    " javascript:alert(11)",
    "vbscript:msgbox(12)",
    "data:text/html,<script>alert(13)</script>",
]


def notice_form(**overrides):
    start = timezone.localtime() + timedelta(days=3)
    return nested_form_data(
        {
            "title": f"停水通知{BREAKOUT}",
            "slug": "xss-notice",
            "utility": "water",
            "kind": "planned",
            "cause": f"检修{IMG}",
            "area_name": f"泵站{SVG}",
            "district": "绿园区",
            "starts_at": start.strftime("%Y-%m-%d %H:%M"),
            "ends_at": (start + timedelta(hours=23)).strftime("%Y-%m-%d %H:%M"),
            "boundary_text": "",
            "boundary_south": f"大路{SCRIPT}",
            "boundary_north": BREAKOUT[:80],
            "boundary_west": "'><img src=x onerror=alert(14)>",
            "boundary_east": JS_URL,
            "communities": [Community.objects.get(code="LY-0001").pk],
            "households": "",
            "contact_phone": "",
            "polygon": "",
            "details": contentstate(f"说明{SCRIPT}{IMG}", link_urls=HOSTILE_URLS),
            **overrides,
        }
    )


def test_notice_fields_typed_in_the_admin_are_inert_everywhere(client, moderator):
    admin = Client(HTTP_HOST="localhost")
    admin.force_login(moderator)
    index = NoticeIndexPage.objects.get()
    url = reverse("wagtailadmin_pages:add", args=("notices", "outagenoticepage", index.pk))
    response = admin.post(url, {**notice_form(), "action-publish": "publish"})
    assert response.status_code == 302, response.content.decode()[:3000]
    notice = OutageNoticePage.objects.get(slug="xss-notice")
    assert notice.live

    # Wagtail's rich text whitelist: no link with a bad scheme, no image, no heading, no
    # attribute that is not a link's own.
    assert executable(notice.details) == [] and "<img" not in notice.details
    assert "<h2" not in notice.details and "onclick" not in notice.details
    assert "&lt;script&gt;" in notice.details  # the typed text, as text

    assert_notice_is_inert_everywhere(
        client, notice, expect_text=[f"停水通知{BREAKOUT}", f"检修{IMG}", f"大路{SCRIPT}"]
    )
    community = Community.objects.get(code="LY-0001")
    assert_inert_page(client.get(f"/directory/{community.code}/"))  # lists its notices
    assert_inert_feed(client.get(f"/feeds/community/{community.code}.atom"))
    search = assert_inert_page(client.get("/search/", {"q": "停水通知"}))
    assert f"停水通知{BREAKOUT}" in text_of(search)


def test_faq_answer_rich_text_is_inert(client, moderator):
    admin = Client(HTTP_HOST="localhost")
    admin.force_login(moderator)
    index = FAQIndexPage.objects.get()
    url = reverse("wagtailadmin_pages:add", args=("faq", "questionpage", index.pk))
    data = nested_form_data(
        {
            "title": f"发票怎么开</script><script>alert(15)</script>{BREAKOUT}",
            "slug": "xss-question",
            "category": QuestionPage._meta.get_field("category").default,
            "answer": contentstate(
                f"答复</script><script>alert(16)</script>{IMG}", link_urls=HOSTILE_URLS
            ),
            "calculator": "",
            "calculator_prefill": "",
        }
    )
    response = admin.post(url, {**data, "action-publish": "publish"})
    assert response.status_code == 302, response.content.decode()[:3000]
    question = QuestionPage.objects.get(slug="xss-question")

    page = assert_inert_page(client.get(question.url))  # the JSON-LD must still parse
    assert "alert(16)" in text_of(page)
    listing = assert_inert_page(client.get(index.url))
    assert BREAKOUT in text_of(listing)
    assert_inert_page(client.get("/search/", {"q": "发票"}))


def test_a_community_name_is_inert_in_the_directory_and_search(client):
    community = Community.objects.get(code="LY-0001")
    community.name = f"星宇小区{BREAKOUT}"
    community.save()
    directory = assert_inert_page(client.get("/directory/", {"q": "星宇"}))
    assert community.name in text_of(directory)
    assert_inert_page(client.get(f"/directory/{community.code}/"))
    results = assert_inert_page(client.get("/search/", {"q": "星宇"}))
    assert community.name in text_of(results)
    # The query itself, echoed in the form and the "all kinds" link.
    assert_inert_page(client.get("/search/", {"q": f"星宇{BREAKOUT}", "type": "communities"}))
    assert_inert_page(client.get("/my-community/", {"q": f"星宇{BREAKOUT}"}))


@pytest.mark.parametrize("calculator", list(Calculator))
def test_fee_calculators_echo_input_inertly(client, calculator):
    route = calculator.value
    hostile = {name: BREAKOUT for name in FORMS[calculator].prefill_fields}
    for send in (client.post, client.get):  # an unknown season is refused, inertly
        refused = send(f"/fees/{route}/", {**hostile, "season": BREAKOUT})
        assert refused.status_code == 400
        assert executable(refused.content.decode()) == []
    posted = client.post(f"/fees/{route}/", hostile)
    assert posted.status_code == 400
    assert executable(posted.content.decode()) == []
    assert_inert_page(client.get(f"/fees/{route}/", hostile))


def test_display_switch_does_not_follow_a_script_url(client):
    body = assert_inert_page(client.get("/display/", {"next": JS_URL}))
    links = lxml.html.fromstring(body).xpath("//a[normalize-space()='返回']/@href")
    assert links == ["/"]
    response = client.post("/display/", {"mode": "large", "next": JS_URL})
    assert response["Location"] == "/"
