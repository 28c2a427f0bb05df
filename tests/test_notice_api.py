import json

import pytest

from contacts.models import Community
from notices.lifecycle import record_update
from tests.factories.notices import make_notice

pytestmark = pytest.mark.django_db


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_notice_detail_has_structured_fields_and_timeline(client):
    notice = make_notice(communities=[Community.objects.get(code="LY-0001")], households=300)
    record_update(
        notice.pk, "extended", new_ends_at=notice.starts_at.replace(hour=23), text="延长到晚上"
    )
    data = get_json(client, f"/api/notices/{notice.pk}/")
    assert data["id"] == notice.pk
    assert data["utility"] == {"code": "water", "label": "停水"}
    assert data["state"]["label"] == "预告"
    assert data["boundary"]["south"] == "皓月大路" and data["boundary"]["east"] == "铁路"
    assert data["communities"] == [{"code": "LY-0001", "name": "星宇小区"}]
    assert data["households"] == 300
    assert data["updates"][0]["kind"]["code"] == "extended"
    assert data["updates"][0]["text"] == "延长到晚上"
    assert data["url"].startswith("http://localhost/notices/")
    assert data["links"]["cap"] == f"http://localhost/cap/notices/{notice.pk}.xml"
    assert data["starts_at"].endswith("+08:00")


def test_list_filters_and_paginates(client):
    data = get_json(client, "/api/notices/?utility=gas")
    assert data["count"] == 1
    assert data["results"][0]["title"] == "黄河路与东八条交会处燃气管网改造停气通知"
    page = get_json(client, "/api/notices/?page_size=3")
    assert len(page["results"]) == 3 and page["pages"] >= 3
    assert all(item["is_major"] for item in get_json(client, "/api/notices/?major=1")["results"])
    assert (
        get_json(client, "/api/notices/?page=x", status=400)["error"]
        == "page 和 page_size 必须是整数。"
    )
    assert get_json(client, "/api/notices/?page=999", status=404)["error"] == "页码超出范围。"


def test_drafts_are_not_served_and_unchanged_answers_304(client):
    draft = make_notice(publish=False)
    assert client.get(f"/api/notices/{draft.pk}/").status_code == 404
    response = client.get("/api/notices/")
    assert client.get("/api/notices/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
