import json
from datetime import timedelta

import pytest

from contacts.models import Community
from notices.lifecycle.transitions import record_update
from tests.factories.notices import make_notice

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_notice_detail_has_structured_fields_and_timeline(client):
    notice = make_notice(communities=[Community.objects.get(code="LY-0001")], households=300)
    record_update(
        notice.pk, "extended", new_ends_at=notice.ends_at + timedelta(hours=3), text="延长三小时"
    )
    data = get_json(client, f"/api/notices/{notice.pk}/")
    assert data["id"] == notice.pk
    assert data["utility"] == {"code": "water", "label": "停水"}
    assert data["state"]["label"] == "预告"
    assert data["boundary"]["south"] == "皓月大路" and data["boundary"]["east"] == "铁路"
    assert data["communities"] == [{"code": "LY-0001", "name": "星宇小区"}]
    assert data["households"] == 300
    assert data["updates"][0]["kind"]["code"] == "extended"
    assert data["updates"][0]["text"] == "延长三小时"
    assert data["url"] == f"http://localhost{notice.url}"  # the request's address
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


STATES = "scheduled（预告）、in_progress（进行中）、extended（已延长）、restored（已恢复）、cancelled（已取消）"


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("state=bogus", f"参数 state 的值无效，只能是以下之一：{STATES}。"),
        (
            "utility=steam",
            "参数 utility 的值无效，只能是以下之一：heat（停热）、water（停水）、gas（停气）、power（停电）。",
        ),
        ("major=yes", "参数 major 的值无效，只能是以下之一：1（只看8小时以上的停供）。"),
        ("utility=heat&state=Scheduled", f"参数 state 的值无效，只能是以下之一：{STATES}。"),
    ],
)
def test_an_unknown_filter_value_is_a_400_naming_the_parameter_and_its_values(client, query, error):
    """Not an empty list, which a client would read as "no notices"."""
    assert get_json(client, f"/api/notices/?{query}", status=400) == {"error": error}


def test_known_and_empty_filter_values_select(client):
    everything = get_json(client, "/api/notices/")["count"]
    scheduled = get_json(client, "/api/notices/?state=scheduled&page_size=100")
    assert 0 < scheduled["count"] < everything
    assert {item["state"]["code"] for item in scheduled["results"]} == {"scheduled"}
    assert get_json(client, "/api/notices/?state=&utility=&major=")["count"] == everything
    # District and community are matched as text: a place with no notice has none.
    assert get_json(client, "/api/notices/?district=朝阳区")["count"] == 0
    assert get_json(client, "/api/notices/?community=不存在的小区")["count"] == 0
