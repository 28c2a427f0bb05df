"""索引号: given once in the column's format, stable across edits and moves, never reused."""

import re

import pytest
from django.core.exceptions import ValidationError

from catalogue.models import CatalogueItem, IndexSerial
from tests.catalogue.helpers import (
    CREDIT_CODE,
    item,
    outside_the_catalogue,
    regulation,
    regulation_index,
    set_credit_code,
)
from tests.factories.notices import make_notice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(commits_at_once, site):
    set_credit_code(site)


def serial(number: str) -> int:
    return int(number.rsplit("-", 1)[1])


def test_first_publication_numbers_the_item_in_its_column_and_year(clock):
    clock("2026-12-05 10:00")
    first, second = regulation(), regulation()
    assert re.fullmatch(rf"{CREDIT_CODE}/09-2026-\d{{5}}", item(first).index_number)
    assert serial(item(second).index_number) == serial(item(first).index_number) + 1

    notice = make_notice()
    assert item(notice).index_number.startswith(f"{CREDIT_CODE}/06-2026-")
    assert item(notice).column == "outages"


def test_a_new_year_starts_its_own_serials(clock):
    clock("2026-12-31 23:00")
    december = regulation()
    clock("2027-01-01 09:00")
    january = regulation()
    assert "/09-2026-" in item(december).index_number
    assert item(january).index_number == f"{CREDIT_CODE}/09-2027-00001"


def test_the_number_survives_edits_renames_and_moves(clock):
    clock("2026-12-05 10:00")
    page = regulation()
    number = item(page).index_number

    page.title, page.slug = "改名后的管理办法", "renamed-rule"
    page.save_revision().publish()
    other_section = regulation_index()  # a second 规章制度 section
    page.move(regulation_index(title="另一个规章制度栏目", slug="other-rules"), "last-child")
    assert other_section  # (the first section still exists)

    found = item(page)
    assert found.index_number == number
    assert found.in_catalogue
    assert found.snapshot["title"] == "改名后的管理办法"
    assert found.snapshot["path"].endswith("/other-rules/renamed-rule/")


def test_a_deleted_items_number_is_never_given_again(clock, commits_at_once):
    clock("2026-12-05 10:00")
    gone = regulation()
    number = item(gone).index_number
    with commits_at_once():
        gone.delete()
    assert not item(gone).in_catalogue  # the row, and its number, stay
    newcomer = regulation()
    assert item(newcomer).index_number != number
    assert serial(item(newcomer).index_number) > serial(number)
    assert CatalogueItem.objects.filter(index_number=number).count() == 1


def test_moving_out_and_back_keeps_the_number(clock):
    clock("2026-12-05 10:00")
    page = regulation()
    number = item(page).index_number
    page.move(outside_the_catalogue(), "last-child")
    assert not item(page).in_catalogue
    assert item(page).withdrawn_reason == "moved"
    page.move(regulation_index(), "last-child")
    assert item(page).in_catalogue
    assert item(page).index_number == number


def test_serials_only_count_up():
    IndexSerial.objects.create(column_code="09", year=2030, last=41)
    from catalogue.index_numbers import next_index_number

    assert next_index_number("regulations", 2030, CREDIT_CODE).endswith("/09-2030-00042")
    assert next_index_number("regulations", 2030, "").startswith("000000000000000000/09-2030-00043")


def test_credit_code_is_checked_in_chinese(site):
    from catalogue.models import CatalogueSettings

    settings = CatalogueSettings.for_site(site)
    settings.credit_code = "12345"
    with pytest.raises(ValidationError) as error:
        settings.full_clean()
    assert "统一社会信用代码应为18位" in str(error.value)
