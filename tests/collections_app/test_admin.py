"""Staff build a collection in the admin without code: the criteria are check boxes and
lists, the ones that cannot select anything together are refused with the reason in Chinese,
and a published collection has its page and feeds at once."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text

from collections_app.models import CollectionPage
from contacts.models import Branch, Station
from home.models import HomePage
from tests.collections_app.helpers import make_area, make_collection
from tests.factories.notices import make_notice

pytestmark = pytest.mark.django_db


def add_url(parent=None):
    parent = parent or HomePage.objects.get()
    return reverse("wagtailadmin_pages:add", args=("collections_app", "collectionpage", parent.pk))


def form(**choices):
    """The editor's fields; `choices` (lists for the check boxes) are sent as repeated values."""
    data = {
        "title": "第一供热所本周停水",
        "slug": "first-station-water-this-week",
        "intro": rich_text(""),
        "keyword": choices.pop("keyword", ""),
        "window": choices.pop("window", "this_week"),
    }
    return {**nested_form_data(data), **choices, "action-publish": "publish"}


def test_a_collection_built_in_the_admin_has_its_page_and_feeds(client, moderator):
    client.force_login(moderator)
    station = Station.objects.get(name="第一供热所")
    response = client.post(
        add_url(), form(utilities=["water"], stations=[station.pk], keyword="  泵站 ")
    )
    assert response.status_code == 302
    collection = CollectionPage.objects.get(slug="first-station-water-this-week")
    assert collection.live
    assert collection.utilities == ["water"]
    assert list(collection.stations.all()) == [station]
    assert collection.keyword == "泵站"
    client.logout()
    assert client.get(collection.url).status_code == 200
    assert client.get(f"/feeds/collection/{collection.pk}.atom").status_code == 200


def test_the_editor_offers_every_criterion(client, moderator):
    client.force_login(moderator)
    page = client.get(add_url()).content.decode()
    for label in (
        "停供通知",
        "规章制度",
        "停供信息",
        "停水",
        "已恢复",
        "第一供热所",
        "本周",
        "未来7天（含今天）",
    ):
        assert label in page, label
    assert "停供通知看停供时段是否与所选日期重叠" in page  # the window's help text


def test_criteria_that_cannot_go_together_are_refused_in_chinese(client, moderator):
    client.force_login(moderator)
    branch = Branch.objects.get(name="宽城供热分公司")
    response = client.post(
        add_url(),
        form(
            utilities=["gas"],
            branches=[branch.pk],
            page_types=["regulations.regulationpage"],
            columns=["regulations"],
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "请在“内容类型”中勾选“停供通知”" in errors["page_types"][0]
    assert "“停供信息”栏目" in errors["columns"][0]
    assert not CollectionPage.objects.filter(slug="first-station-water-this-week").exists()


def test_unknown_values_are_refused_in_chinese(client, moderator):
    client.force_login(moderator)
    response = client.post(add_url(), form(utilities=["steam"], window="next_year"))
    errors = response.context["form"].errors
    assert "steam" in errors["utilities"][0] and "选择" in errors["utilities"][0]
    assert "选择" in errors["window"][0]


def test_a_collection_can_live_under_the_catalogue_page(client, moderator):
    from disclosure.models import CataloguePage

    client.force_login(moderator)
    catalogue = CataloguePage.objects.get()
    response = client.post(add_url(catalogue), form(columns=["regulations"], window="all"))
    assert response.status_code == 302
    collection = CollectionPage.objects.get(slug="first-station-water-this-week")
    client.logout()
    assert collection.url.startswith(catalogue.url)
    assert client.get(collection.url).status_code == 200


def test_the_preview_shows_what_the_draft_selects(client, moderator, commits_at_once):
    station, (community, _) = make_area()
    notice = make_notice(communities=[community], title="预览里的测试停水通知")
    collection = make_collection(stations=[make_area()[0]])  # live: another station
    client.force_login(moderator)
    url = f"/admin/pages/{collection.pk}/edit/preview/"
    data = form(stations=[station.pk], window="all")
    data.update(title=collection.title, slug=collection.slug)
    assert client.post(url, data).json()["is_valid"]
    assert notice.title in client.get(url).content.decode()
    client.logout()
    assert notice.title not in client.get(collection.url).content.decode()
