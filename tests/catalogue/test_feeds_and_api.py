"""What the portal pulls: column feeds with the catalogue metadata and tombstones, the change
API's cursor and pages, and the full exports."""

import csv
import io
import json
from datetime import date

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree
from openpyxl import load_workbook

from catalogue.feeds import DC, NAMESPACE, TOMBSTONE_NS
from catalogue.models import CatalogueItem, CatalogueSequence
from tests.catalogue.helpers import item, regulation, set_credit_code

pytestmark = pytest.mark.django_db
ATOM = "http://www.w3.org/2005/Atom"


@pytest.fixture(autouse=True)
def _setup(commits_at_once, site, clock):
    clock("2026-12-05 10:00")
    set_credit_code(site)


def guid(page) -> str:
    return f"tag:localhost,2026:page-{page.pk}"


def test_rss_items_carry_the_catalogue_metadata(client):
    page = regulation(document_number="长供热〔2026〕7号", keywords="退费、报停")
    response = client.get("/feeds/column/regulations.rss")
    assert response.status_code == 200
    tree = etree.fromstring(response.content)
    entry = next(i for i in tree.iter("item") if i.findtext("guid") == guid(page))
    assert entry.findtext(f"{{{NAMESPACE}}}indexNumber") == item(page).index_number
    assert entry.findtext(f"{{{DC}}}identifier") == item(page).index_number
    assert entry.findtext(f"{{{NAMESPACE}}}documentNumber") == "长供热〔2026〕7号"
    assert [k.text for k in entry.iter(f"{{{NAMESPACE}}}keyword")] == ["退费", "报停"]
    assert entry.find(f"{{{NAMESPACE}}}validity").get("key") == "valid"
    assert not feedparser.parse(response.content).bozo


def test_atom_lists_withdrawals_as_tombstones(client, commits_at_once):
    kept, unpublished, deleted = regulation(), regulation(), regulation()
    unpublished.unpublish()
    with commits_at_once():
        deleted.delete()
    tree = etree.fromstring(client.get("/feeds/column/regulations.atom").content)
    ids = [e.findtext(f"{{{ATOM}}}id") for e in tree.iter(f"{{{ATOM}}}entry")]
    assert guid(kept) in ids
    assert guid(unpublished) not in ids and guid(deleted) not in ids
    tombstones = {t.get("ref"): t for t in tree.iter(f"{{{TOMBSTONE_NS}}}deleted-entry")}
    assert {guid(unpublished), guid(deleted)} <= set(tombstones)
    assert tombstones[guid(deleted)].findtext(f"{{{TOMBSTONE_NS}}}comment") == "已删除"
    assert tombstones[guid(deleted)].get("when").startswith("2026-12-05T")


def test_the_outage_column_keeps_the_notice_guids(client):
    tree = etree.fromstring(client.get("/feeds/column/outages.atom").content)
    ids = [e.findtext(f"{{{ATOM}}}id") for e in tree.iter(f"{{{ATOM}}}entry")]
    assert ids and all(i.startswith("tag:localhost,2026:notice-") for i in ids)


def test_every_column_has_both_feeds(client):
    from catalogue.columns import Column

    for column in Column.values:
        for kind in ("rss", "atom"):
            assert client.get(f"/feeds/column/{column}.{kind}").status_code == 200
    assert client.get("/feeds/column/nothing.rss").status_code == 404


def read_all(client, since="0", limit=3):
    """Follow the cursor to the end, as a mirror does."""
    seen = []
    while True:
        body = client.get(f"/api/disclosure/changes/?since={since}&limit={limit}").json()
        seen += body["changes"]
        since = body["cursor"]
        if not body["has_more"]:
            return seen, since


def test_changes_come_in_order_and_the_cursor_continues(client):
    _, start = read_all(client, limit=1000)
    page = regulation()
    first_title = page.title
    page.title = "第二版"
    page.save_revision().publish()
    page.unpublish()
    changes, end = read_all(client, since=start, limit=1)
    assert [(c["action"], c["item"]["title"]) for c in changes] == [
        ("created", first_title),
        ("updated", "第二版"),
        ("withdrawn", "第二版"),
    ]
    assert changes[2]["reason"] == "unpublished"
    assert [c["sequence"] for c in changes] == sorted(c["sequence"] for c in changes)
    assert int(end) == CatalogueSequence.objects.get().last
    assert changes[0]["item"]["index_number"] == item(page).index_number
    assert changes[0]["item"]["url"].startswith("http://localhost/")
    assert read_all(client, since=end)[0] == []


def test_an_unchanged_change_list_answers_304(client):
    url = "/api/disclosure/changes/?since=0&limit=5"
    first = client.get(url)
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and len(captured) == 1
    regulation()
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


@pytest.mark.parametrize("query", ["since=-1", "since=abc", "since=１２", "limit=0", "limit=5000"])
def test_a_bad_cursor_is_refused_in_chinese(client, query):
    response = client.get(f"/api/disclosure/changes/?{query}")
    assert response.status_code == 400
    assert "参数" in response.json()["error"]


def test_the_change_list_costs_the_same_queries_for_many_changes(client):
    def count():
        with CaptureQueriesContext(connection) as captured:
            client.get("/api/disclosure/changes/?since=0&limit=200")
        return len(captured)

    before = count()
    for _ in range(5):
        regulation()
    assert count() == before <= 5


def test_the_json_export_holds_the_live_catalogue_and_a_cursor(client):
    page, gone = regulation(), regulation()
    gone.unpublish()
    response = client.get("/api/disclosure/catalogue.json")
    body = json.loads(b"".join(response.streaming_content))
    numbers = {i["index_number"] for i in body["items"]}
    assert item(page).index_number in numbers and item(gone).index_number not in numbers
    assert len(numbers) == CatalogueItem.objects.filter(in_catalogue=True).count()
    assert body["cursor"] == str(CatalogueSequence.objects.get().last)


def test_csv_and_excel_exports_have_a_chinese_header(client):
    page = regulation(title='=HYPERLINK("x")恶意标题')
    text = b"".join(client.get("/api/disclosure/catalogue.csv").streaming_content).decode()
    assert text.startswith("\ufeff索引号,栏目,标题,链接,发布机构")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    row = next(r for r in rows if r[0] == item(page).index_number)
    assert row[2].startswith("'=")  # a spreadsheet will not run it

    response = client.get("/api/disclosure/catalogue.xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    header = next(book.active.iter_rows(values_only=True))
    assert header[:3] == ("索引号", "栏目", "标题")
    assert (
        sum(1 for _ in book.active.iter_rows())
        == 1 + CatalogueItem.objects.filter(in_catalogue=True).count()
    )


def test_every_column_feed_is_valid_with_metadata_and_tombstones(client, commits_at_once):
    """Validated against RFC 4287's schema and rules, RFC 6721 and RSS 2.0, not only parsed:
    with a revised item (replacement link), keywords, a document number and withdrawals."""
    from catalogue.columns import Column
    from tests.feed_validation import validate_atom, validate_rss

    new = regulation(document_number="长供热〔2026〕9号", keywords="退费、报停")
    old = regulation()
    old.validity, old.validity_changed_on, old.replaced_by = "revised", date(2026, 12, 1), new
    old.save_revision().publish()
    regulation().unpublish()
    with commits_at_once():
        regulation().delete()
    for column in Column.values:
        validate_rss(client.get(f"/feeds/column/{column}.rss").content)
        validate_atom(client.get(f"/feeds/column/{column}.atom").content)


def test_exports_are_limited_per_address_across_formats(client, monkeypatch):
    monkeypatch.setattr("catalogue.export.RATE_LIMIT", (2, 3600))
    assert client.get("/api/disclosure/catalogue.json").status_code == 200
    assert client.get("/api/disclosure/catalogue.csv").status_code == 200
    refused = client.get("/api/disclosure/catalogue.xlsx")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "下载目录太频繁" in refused.content.decode()
    other = client.get("/api/disclosure/catalogue.json", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200
    assert client.get("/api/disclosure/changes/").status_code == 200  # the mirror's way in
