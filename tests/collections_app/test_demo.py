"""The demo's two collections, built from the demo directory as staff would build them, show
the demo notices they should (placed a few days after the test database's day: tests/conftest)."""

import pytest

from collections_app.models import CollectionPage
from tests.feed_validation import validate_response

pytestmark = [pytest.mark.django_db, pytest.mark.clock]  # the demo notices follow the instant


def test_a_stations_water_outages_of_the_coming_days(client):
    collection = CollectionPage.objects.live().get(slug="first-station-water-7-days")
    body = client.get(collection.url).content.decode()
    assert "绿园区星宇东泵站停水通知" in body  # 星宇小区, 第一供热所
    assert "绿园区安居三期泵站、万鑫小区泵站停水通知" in body  # 安居三期 is 第一供热所's
    assert "绿园区辽阳街泵站停水通知" not in body  # 第二供热所
    assert "第一供热所换热站检修停热通知" not in body  # the station's, but heat


def test_a_branchs_gas_outages(client):
    collection = CollectionPage.objects.live().get(slug="kuancheng-gas")
    body = client.get(collection.url).content.decode()
    assert "黄河路与东八条交会处燃气管网改造停气通知" in body
    assert "停水通知" not in body
    validate_response(client.get(f"/feeds/collection/{collection.pk}.atom"))
