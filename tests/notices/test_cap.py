"""CAP 1.2 documents of the notices and their Atom index: every document the site produces is
valid against the OASIS schema, whatever the notice's state, and the message sequence (Alert →
Update … → Cancel) is told through identifiers and references."""

from datetime import datetime, timedelta

import feedparser
import pytest
from django.utils import timezone
from lxml import etree

from demo.content import site as site_content
from notices.channels.cap import CAP_NS, cap_time
from notices.enums import UpdateKind
from notices.lifecycle.transitions import record_update
from notices.maps.geometry import cap_polygon
from notices.models import OutageNoticePage
from tests.factories.contacts import make_community
from tests.factories.notices import make_notice
from tests.feed_validation import validate_response
from tests.support import DATA, queries_for
from tests.xml_safety import parse_xml

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

CAP_DIR = DATA / "cap"
NS = {"cap": CAP_NS}
POLYGON = {
    "type": "Polygon",
    "coordinates": [
        [[125.25, 43.88], [125.3, 43.88], [125.3, 43.92], [125.25, 43.92], [125.25, 43.88]]
    ],
}


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(parse_xml((CAP_DIR / "CAP-v1.2.xsd").read_bytes()))


@pytest.fixture
def fetch(client, schema):
    """GET a notice's CAP document, check it is schema-valid, return its root element."""

    def fetch(notice):
        response = client.get(f"/cap/notices/{notice.pk}.xml")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/cap+xml; charset=utf-8"
        root = parse_xml(response.content)
        schema.assertValid(root)
        return root

    return fetch


def field(root, path: str) -> str | None:
    return root.findtext(path, namespaces=NS)


def references(root) -> list[list[str]]:
    return [ref.split(",") for ref in (field(root, "cap:references") or "").split()]


def test_a_new_notice_is_an_alert_with_every_field(fetch):
    community = make_community(name="星宇小区")
    notice = make_notice(communities=[community], contact_phone="0431-88886666", households=320)
    root = fetch(notice)

    assert field(root, "cap:identifier") == f"localhost-notice-{notice.pk}"
    assert field(root, "cap:sender") == "localhost"
    assert field(root, "cap:sent") == cap_time(notice.went_live_at)
    assert (field(root, "cap:status"), field(root, "cap:msgType"), field(root, "cap:scope")) == (
        "Actual",
        "Alert",
        "Public",
    )
    assert field(root, "cap:references") is None
    info = root.find("cap:info", NS)
    assert field(info, "cap:language") == "zh-CN"
    assert field(info, "cap:category") == "Infra"
    assert field(info, "cap:event") == "停水通知"
    assert field(info, "cap:responseType") == "Prepare"
    assert field(info, "cap:urgency") == "Expected"
    assert field(info, "cap:severity") == "Moderate"  # 12 hours: a major outage
    assert field(info, "cap:certainty") == "Likely"
    assert field(info, "cap:effective") == field(root, "cap:sent")
    assert field(info, "cap:onset") == cap_time(notice.starts_at)
    assert field(info, "cap:onset").endswith("+08:00")
    assert field(info, "cap:expires") == cap_time(notice.current_ends_at)
    assert field(info, "cap:senderName") == site_content.COMPANY_NAME
    assert field(info, "cap:headline") == "停水：测试泵站"
    description = field(info, "cap:description")
    for fact in ("管网检修", "南至皓月大路", "星宇小区", "320户"):
        assert fact in description
    assert "储水" in field(info, "cap:instruction")
    assert field(info, "cap:web") == f"http://localhost{notice.url}"
    assert field(info, "cap:contact") == "0431-88886666"
    area_desc = field(info, "cap:area/cap:areaDesc")
    assert "南至皓月大路" in area_desc and "星宇小区" in area_desc
    assert info.find("cap:area/cap:polygon", NS) is None


def test_a_short_outage_is_minor(fetch):
    start = timezone.now() + timedelta(days=1)
    notice = make_notice(starts_at=start, ends_at=start + timedelta(hours=2))
    assert field(fetch(notice), "cap:info/cap:severity") == "Minor"


def test_an_extension_is_an_update_referencing_the_alert(fetch):
    notice = make_notice()
    alert = fetch(notice)
    new_end = notice.current_ends_at + timedelta(hours=6)
    update = record_update(notice.pk, UpdateKind.EXTENDED, new_ends_at=new_end, text="管网抢修延时")
    root = fetch(notice)

    assert field(root, "cap:msgType") == "Update"
    assert field(root, "cap:identifier") == f"localhost-notice-{notice.pk}-u{update.pk}"
    assert references(root) == [
        ["localhost", field(alert, "cap:identifier"), field(alert, "cap:sent")]
    ]
    assert field(root, "cap:info/cap:expires") == cap_time(new_end)
    assert "管网抢修延时" in field(root, "cap:info/cap:description")


PREPARE = ("Prepare", "Expected", "Likely")
UNDER_WAY = ("None", "Immediate", "Observed")
OVER = ("AllClear", "Past", "Observed")


def classification(root) -> tuple:
    info = root.find("cap:info", NS)
    names = ("responseType", "urgency", "certainty")
    return (field(root, "cap:msgType"), *(field(info, f"cap:{name}") for name in names))


def test_every_state_of_the_lifecycle_gives_a_valid_document(fetch):
    """Each message has a new identifier containing the notice id, and references all before it."""
    start = timezone.now() + timedelta(hours=1)
    notice = make_notice(starts_at=start, ends_at=start + timedelta(hours=4))
    steps = [
        (None, {}, ("Alert", *PREPARE)),
        (UpdateKind.EXTENDED, {"new_ends_at": start + timedelta(hours=5)}, ("Update", *PREPARE)),
        (UpdateKind.STARTED, {}, ("Update", *UNDER_WAY)),
        (UpdateKind.EXTENDED, {"new_ends_at": start + timedelta(hours=9)}, ("Update", *UNDER_WAY)),
        (UpdateKind.INFO, {"text": "抢修人员已到场"}, ("Update", *UNDER_WAY)),
        (UpdateKind.RESTORED, {"occurred_at": start + timedelta(hours=8)}, ("Update", *OVER)),
    ]
    seen = []
    for kind, kwargs, expected in steps:
        if kind:
            record_update(notice.pk, kind, **kwargs)
        root = fetch(notice)
        assert classification(root) == expected, kind
        identifier = field(root, "cap:identifier")
        assert identifier.startswith(f"localhost-notice-{notice.pk}")
        assert [ref[1] for ref in references(root)] == [message[0] for message in seen]
        seen.append((identifier, field(root, "cap:sent")))
    assert len({identifier for identifier, _ in seen}) == len(steps)
    sent = [datetime.fromisoformat(s) for _, s in seen]
    assert sent == sorted(sent)


def test_a_cancelled_notice_is_a_cancel_message(fetch):
    notice = make_notice()
    record_update(notice.pk, UpdateKind.CANCELLED, text="检修计划调整，取消停水")
    root = fetch(notice)
    assert field(root, "cap:msgType") == "Cancel"
    assert references(root)[0][1] == f"localhost-notice-{notice.pk}"
    assert classification(root) == ("Cancel", *OVER)
    assert "取消" in field(root, "cap:info/cap:instruction")


def test_an_update_is_never_sent_before_the_alert_it_updates(fetch):
    """Published two hours late, a notice is started at once with an entry dated at its start."""
    start = timezone.now() - timedelta(hours=2)
    notice = make_notice(kind="emergency", starts_at=start, ends_at=start + timedelta(hours=6))
    root = fetch(notice)
    assert field(root, "cap:msgType") == "Update"
    [[_, _, alert_sent]] = references(root)
    assert datetime.fromisoformat(field(root, "cap:sent")) >= datetime.fromisoformat(alert_sent)


def test_a_polygon_becomes_the_area_polygon(fetch):
    notice = make_notice(polygon=POLYGON)
    polygon = field(fetch(notice), "cap:info/cap:area/cap:polygon")
    assert polygon == cap_polygon(POLYGON)
    pairs = polygon.split()
    assert pairs[0] == pairs[-1] == "43.88,125.25"


def test_an_unknown_end_has_no_expiry(fetch):
    notice = make_notice(ends_at=None)
    info = fetch(notice).find("cap:info", NS)
    assert info.find("cap:expires", NS) is None
    assert "恢复时间待定" in field(info, "cap:description")


def test_characters_xml_cannot_carry_are_dropped(fetch):
    notice = make_notice(cause="管网\x0b检修\x1f")
    assert "管网检修" in field(fetch(notice), "cap:info/cap:description")


def test_the_sender_comes_from_the_setting_when_set(fetch, settings):
    settings.CAP_SENDER = "alerts.example.cn"
    notice = make_notice()
    root = fetch(notice)
    assert field(root, "cap:sender") == "alerts.example.cn"
    assert field(root, "cap:identifier") == f"alerts.example.cn-notice-{notice.pk}"


def test_an_unchanged_document_is_not_modified_and_not_rebuilt(client, monkeypatch):
    notice = make_notice()
    url = f"/cap/notices/{notice.pk}.xml"
    first = client.get(url)
    assert first["Cache-Control"] == "public, max-age=60"
    assert first.has_header("Last-Modified")

    monkeypatch.setattr(
        "notices.channels.cap.build_cap", lambda *a: pytest.fail("document rebuilt")
    )
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["Cache-Control"] == "public, max-age=60"
    monkeypatch.undo()

    record_update(notice.pk, UpdateKind.INFO, text="进展")
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_drafts_and_unknown_notices_have_no_document(client):
    draft = make_notice(publish=False)
    assert client.get(f"/cap/notices/{draft.pk}.xml").status_code == 404
    assert client.get("/cap/notices/987654.xml").status_code == 404


def test_the_document_costs_the_same_queries_however_big_the_notice(client):
    small = make_notice()
    big = make_notice(communities=[make_community() for _ in range(5)], contact_phone="0431-1")
    for text in ("一", "二", "三"):
        record_update(big.pk, UpdateKind.INFO, text=text)
    counts = {queries_for(client, f"/cap/notices/{n.pk}.xml") for n in (small, big)}
    assert len(counts) == 1
    assert counts.pop() <= 8


def test_the_index_is_atom_linking_every_current_alert(client, fetch):
    current = make_notice()
    ongoing = make_notice(starts_at=timezone.now() - timedelta(hours=1))
    cancelled = make_notice()
    record_update(cancelled.pk, UpdateKind.CANCELLED)
    draft = make_notice(publish=False)

    response = client.get("/cap/index.atom")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    validate_response(response)
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"

    entries = {entry.id: entry for entry in feed.entries}
    for notice in (current, ongoing):
        entry = entries[f"tag:localhost,2026:cap-notice-{notice.pk}"]
        [cap_link] = [link for link in entry.links if link.get("type") == "application/cap+xml"]
        assert cap_link.rel == "alternate"
        assert cap_link.href == f"http://localhost/cap/notices/{notice.pk}.xml"
        assert entry.title == OutageNoticePage.objects.get(pk=notice.pk).headline
        fetch(notice)
    ids = "".join(entries)
    for absent in (cancelled, draft):
        assert f"cap-notice-{absent.pk}" not in ids


def test_the_index_costs_the_same_queries_however_many_alerts(client):
    make_notice()
    before = queries_for(client, "/cap/index.atom")
    for _ in range(3):
        make_notice(communities=[make_community()])
    assert queries_for(client, "/cap/index.atom") == before
