"""sitemap.xml (home.sitemap, Wagtail's sitemap app): every live public page and every route that
is a page too (a community's page in the directory, the calculators, the notices' archive), each
with an absolute address and its lastmod, valid by the sitemap protocol; no draft, no admin;
served from the page cache and dropped by any change it shows; a constant number of queries."""

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from contacts.models import Community
from contacts.pages import DirectoryPage
from faq.models import FAQIndexPage, QuestionPage
from fees.models import FeeCalculatorPage
from tests.factories.contacts import make_communities, make_community
from tests.factories.notices import make_notice
from tests.factories.pages import make_question
from tests.xml_safety import parse_xml

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

URL = "/sitemap.xml"
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# W3C Datetime (https://www.w3.org/TR/NOTE-datetime), as the protocol asks of <lastmod>.
W3C_DATETIME = re.compile(
    r"[0-9]{4}(-[0-9]{2}(-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2}))?)?)?"
)
ORIGIN = "http://localhost"


def entries(client, url=URL) -> dict[str, str]:
    """{loc: lastmod} of the sitemap, checked against the protocol (sitemaps.org/protocol.html)
    on the way: <urlset> in the sitemap namespace holding only <url>s, each with one absolute
    <loc> of at most 2,048 characters and a W3C Datetime <lastmod>, at most 50,000 of them, no
    address twice."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = parse_xml(response.content)
    assert root.tag == f"{NS}urlset"
    assert root.getroottree().docinfo.encoding.upper() == "UTF-8"
    urls = list(root)
    assert urls and len(urls) <= 50_000
    found = {}
    for url in urls:
        assert url.tag == f"{NS}url"
        children = [child.tag for child in url]
        assert children[:2] == [f"{NS}loc", f"{NS}lastmod"], children
        assert set(children) <= {
            f"{NS}{name}" for name in ("loc", "lastmod", "changefreq", "priority")
        }
        loc, lastmod = url.findtext(f"{NS}loc"), url.findtext(f"{NS}lastmod")
        parts = urlsplit(loc)
        assert parts.scheme in ("http", "https") and parts.netloc, loc
        assert 12 <= len(loc) <= 2048 and loc == loc.strip() and " " not in loc
        assert W3C_DATETIME.fullmatch(lastmod), lastmod
        assert loc not in found, f"{loc} twice"
        found[loc] = lastmod
    return found


def day(moment) -> str:
    return timezone.localtime(moment).date().isoformat()


def test_every_live_page_is_listed_at_its_address_with_its_last_publication(client, site):
    listed = entries(client)
    pages = site.root_page.get_descendants(inclusive=True).live().specific()
    assert len(pages) > 30
    for page in pages:
        loc = ORIGIN + page.url
        assert listed.get(loc) == day(page.last_published_at), loc
    assert all(urlsplit(loc).netloc == "localhost" for loc in listed)
    assert not [loc for loc in listed if "/admin/" in loc or "/documents/" in loc]
    assert date.fromisoformat(listed[ORIGIN + "/"])  # a date of the calendar, not any digits


def test_every_community_has_its_page_with_the_directorys_lastmod(client):
    listed = entries(client)
    directory = DirectoryPage.objects.get()
    codes = list(Community.objects.values_list("code", flat=True))
    assert len(codes) >= 520
    for code in codes:
        assert listed[f"{ORIGIN}/directory/{code}/"] == day(directory.last_published_at)
    assert client.get(f"/directory/{codes[0]}/").status_code == 200  # a real page


def test_routes_that_are_pages_are_listed_once(client):
    listed = entries(client)
    calculators = FeeCalculatorPage.objects.get().url
    for path in ("/notices/archive/", *(f"{calculators}{name}/" for name in ("heating", "area"))):
        assert ORIGIN + path in listed, path
        assert client.get(path).status_code == 200, path
    assert sum(1 for loc in listed if loc == f"{ORIGIN}/directory/") == 1


def test_drafts_and_unpublished_pages_are_not_listed(client):
    draft = make_notice(title="草稿中的停水通知", publish=False)
    faq = FAQIndexPage.objects.get()
    gone = make_question(faq, title="即将撤下的问题", slug="to-be-withdrawn")
    listed = entries(client)
    assert not any(draft.slug in loc for loc in listed)
    assert f"{ORIGIN}{gone.url}" in listed
    url = gone.url
    gone.unpublish()
    assert f"{ORIGIN}{url}" not in entries(client)


def test_addresses_follow_the_public_base_url(client, settings):
    settings.PUBLIC_BASE_URL = "https://heat.example.cn"
    listed = entries(client)
    assert all(loc.startswith("https://heat.example.cn/") for loc in listed)
    assert "https://heat.example.cn/directory/LY-0001/" in listed


def test_served_from_the_page_cache_and_dropped_by_what_it_shows(client):
    entries(client)
    assert client.get(URL).get("X-Page-Cache") == "hit"
    assert client.get(URL)["X-Robots-Tag"] == "noindex, noodp, noarchive"  # kept by the cache

    notice = make_notice(title="新发布的停水通知")
    response = client.get(URL)
    assert response.get("X-Page-Cache") != "hit"
    assert f"{ORIGIN}{notice.url}".encode() in response.content

    assert client.get(URL).get("X-Page-Cache") == "hit"
    community = make_community(code="T-SITEMAP")
    assert f"{ORIGIN}/directory/T-SITEMAP/" in entries(client)
    community.delete()
    assert f"{ORIGIN}/directory/T-SITEMAP/" not in entries(client)

    question = make_question(FAQIndexPage.objects.get(), slug="old-slug")
    entries(client)
    question.slug = "new-slug"
    question.save_revision().publish()
    listed = entries(client)
    assert f"{ORIGIN}/faq/new-slug/" in listed and f"{ORIGIN}/faq/old-slug/" not in listed


def test_conditional_requests_are_answered_by_the_documents_etag(client):
    first = client.get(URL)
    etag = first["ETag"]
    assert "Last-Modified" not in first  # the newest lastmod does not change when a page goes
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    QuestionPage.objects.live().first().unpublish()  # the newest lastmod stays as it was
    changed = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_queries_do_not_grow_with_the_number_of_pages_and_communities(client, settings):
    settings.PAGE_CACHE_TIMEOUT = 0  # count what rendering costs, not a page cache hit

    def queries() -> tuple[int, int]:
        client.get(URL)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL)
        assert response.status_code == 200
        return len(captured), response.content.count(b"<url>")

    few, listed = queries()
    make_communities(60)
    for number in range(8):
        make_notice(title=f"又一条测试通知{number}")
    many, listed_after = queries()
    assert listed_after == listed + 68
    # Wagtail fetches each page type's own fields in one query; the rest is fixed (the site,
    # view restrictions, the count and list of pages, the communities' codes).
    page_types = Page.objects.live().values("content_type").distinct().count()
    assert many == few <= page_types + 5
