"""Every channel names a notice by the same absolute URL, built in one place (core.addresses):
the request's own address, or PUBLIC_BASE_URL whenever it is set, and WAGTAILADMIN_BASE_URL
outside requests (texts, e-mails, tasks)."""

import json

import feedparser
import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from alerts.tasks import announce_major_feed
from core.addresses import absolute_url
from notices.channels.cap import CAP_NS
from servicedesk.models import ServiceRequest
from servicedesk.notifications import admin_url, tracking_url
from tests.factories.notices import make_notice
from tests.feed_validation import validate_response
from tests.xml_safety import parse_xml

pytestmark = pytest.mark.django_db

PUBLIC = "https://heat.example.cn"


def entry(feed, key: str):
    """The feed's entry whose tag URI ends in `key`, e.g. notice-42."""
    [found] = [e for e in feed.entries if e.id.endswith(f",2026:{key}")]
    return found


def channels(client, notice, **request) -> dict:
    """What each channel says about the notice: its page's URL, and the documents' own links."""

    def get(url):
        response = client.get(url, **request)
        assert response.status_code == 200, url
        return response.content

    api = json.loads(get(f"/api/notices/{notice.pk}/"))
    rss = feedparser.parse(get("/feeds/notices.rss"))
    atom = feedparser.parse(get("/feeds/notices.atom"))
    cap = parse_xml(get(f"/cap/notices/{notice.pk}.xml"))
    cap_index = feedparser.parse(get("/cap/index.atom"))
    [event] = Calendar.from_ical(get(f"/calendar/notices/{notice.pk}.ics")).walk("VEVENT")
    cap_entry = entry(cap_index, f"cap-notice-{notice.pk}")
    [cap_link] = [link.href for link in cap_entry.links if link.type == "application/cap+xml"]
    return {
        "page": {
            "api": api["url"],
            "rss": entry(rss, f"notice-{notice.pk}").link,
            "atom": entry(atom, f"notice-{notice.pk}").link,
            "cap": cap.findtext("cap:info/cap:web", namespaces={"cap": CAP_NS}),
            "cap index": cap_entry.link,
            "ical": str(event["URL"]),
        },
        "cap": {
            "api": api["links"]["cap"],
            "cap index": cap_link,
        },
        "ical": api["links"]["ical"],
        "ids": {
            "rss": entry(rss, f"notice-{notice.pk}").id,
            "cap": cap.findtext("cap:identifier", namespaces={"cap": CAP_NS}),
            "ical": str(event["UID"]),
        },
        "feed": {"rss": rss.feed.link, "atom self": atom.feed.links},
    }


@pytest.mark.parametrize("secure", [False, True])
def test_every_channel_gives_the_requests_address(secure):
    notice = make_notice()
    base = f"{'https' if secure else 'http'}://heat.example.cn"
    found = channels(Client(HTTP_HOST="heat.example.cn"), notice, secure=secure)
    assert found["page"] == dict.fromkeys(found["page"], base + notice.url)
    assert found["cap"] == dict.fromkeys(found["cap"], f"{base}/cap/notices/{notice.pk}.xml")
    assert found["ical"] == f"{base}/calendar/notices/{notice.pk}.ics"
    assert found["ids"] == {
        "rss": f"tag:heat.example.cn,2026:notice-{notice.pk}",
        "cap": f"heat.example.cn-notice-{notice.pk}",
        "ical": f"notice-{notice.pk}@heat.example.cn",
    }


def test_public_base_url_wins_over_the_requests_address(settings):
    """Behind a proxy, or reached by an internal name: the canonical address all the same."""
    settings.PUBLIC_BASE_URL = PUBLIC
    notice = make_notice()
    found = channels(Client(HTTP_HOST="10.0.0.5:8000"), notice)
    assert found["page"] == dict.fromkeys(found["page"], PUBLIC + notice.url)
    assert found["cap"] == dict.fromkeys(found["cap"], f"{PUBLIC}/cap/notices/{notice.pk}.xml")
    assert found["ical"] == f"{PUBLIC}/calendar/notices/{notice.pk}.ics"
    assert found["ids"] == {
        "rss": f"tag:heat.example.cn,2026:notice-{notice.pk}",
        "cap": f"heat.example.cn-notice-{notice.pk}",
        "ical": f"notice-{notice.pk}@heat.example.cn",
    }
    assert found["feed"]["rss"] == f"{PUBLIC}/notices/"
    assert {link.rel: link.href for link in found["feed"]["atom self"]}["self"] == (
        f"{PUBLIC}/feeds/notices.atom"
    )


@pytest.mark.parametrize(
    "url", ["/feeds/major.atom", "/feeds/column/commitments.rss", "/service/compliance/feed.atom"]
)
def test_public_base_url_is_in_every_feed(settings, url):
    settings.PUBLIC_BASE_URL = PUBLIC
    response = Client(HTTP_HOST="10.0.0.5:8000").get(url)
    validate_response(response)
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0
    assert feed.feed.link.startswith(f"{PUBLIC}/")
    for item in feed.entries:
        assert item.link.startswith(f"{PUBLIC}/")
        assert item.id.startswith("tag:heat.example.cn,2026:")


def test_the_conditional_get_key_follows_the_address(settings):
    """A copy held for one address is not 'unchanged' at another: its links differ."""
    notice = make_notice()
    for url in (f"/api/notices/{notice.pk}/", "/api/notices/", "/feeds/notices.rss"):
        etag = Client(HTTP_HOST="localhost").get(url)["ETag"]
        other = Client(HTTP_HOST="heat.example.cn").get(url, HTTP_IF_NONE_MATCH=etag)
        assert other.status_code == 200, url


def test_outside_requests_links_use_public_base_url_else_wagtailadmin_base_url(
    settings, monkeypatch
):
    """Texts, e-mails and tasks have no request: the canonical address, else the admin's."""
    service_request = ServiceRequest(pk=7, tracking_token="abc123")
    track = reverse("servicedesk_track", args=["abc123"])
    pinged = []
    monkeypatch.setattr(
        "core.feeds.requests.post", lambda hub, data, timeout: pinged.append(data["hub.url"])
    )
    settings.WEBSUB_HUB_URL = "https://hub.example.cn/"

    assert absolute_url("/notices/") == "http://testserver/notices/"
    assert tracking_url(service_request) == "http://testserver" + track

    settings.PUBLIC_BASE_URL = PUBLIC
    assert absolute_url("/notices/") == f"{PUBLIC}/notices/"
    assert tracking_url(service_request) == PUBLIC + track
    announce_major_feed()
    assert f"{PUBLIC}/feeds/major.rss" in pinged
    assert all(url.startswith(f"{PUBLIC}/feeds/") for url in pinged)
    # Staff e-mails link to the admin, at its own address as in Wagtail's e-mails.
    assert admin_url(service_request).startswith("http://testserver/admin/")
