import pytest

from contacts import pinyin
from contacts.models import Community


def test_initials_and_full_pinyin():
    assert pinyin.initials("星宇") == "xy"
    assert pinyin.initials("星宇东泵站") == "xydbz"
    assert pinyin.full("星宇") == "xingyu"
    assert pinyin.initials("安居3期") == "aj3q"


def test_search_key_covers_name_and_aliases_once():
    key = pinyin.search_key("星宇小区", "星宇东", "星宇小区")
    assert key.split() == ["xyxq", "xingyuxiaoqu", "xyd", "xingyudong"]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["星宇", "xy", "XY", "xingyu", "星宇东", "xyd"])
def test_lookup_finds_community_by_name_alias_or_pinyin(query):
    names = set(Community.objects.lookup(query).values_list("name", flat=True))
    assert "星宇小区" in names


@pytest.mark.django_db
def test_lookup_is_specific_and_empty_query_finds_nothing():
    assert set(Community.objects.lookup("铁路").values_list("code", flat=True)) == {"KC-0001"}
    assert not Community.objects.lookup("   ").exists()


@pytest.mark.django_db
def test_pinyin_key_follows_renames(django_assert_num_queries):
    community = Community.objects.get(code="KC-0001")
    community.name = "和平里"
    community.save(update_fields=["name"])
    community.refresh_from_db()
    assert "hpl" in community.pinyin_key.split()
