"""Catalogue test helpers: pages published with their after-commit work run (the catalogue
syncs after the page's transaction commits; a test's transaction never does)."""

import itertools
from datetime import date

from wagtail.models import Page

from catalogue.models import CatalogueChange, CatalogueItem, CatalogueSettings
from faq.models import FAQIndexPage
from home.models import HomePage
from regulations.models import RegulationIndexPage, RegulationPage
from tests.factories.pages import publish_child

CREDIT_CODE = "91220101MA14TEST0X"
_numbers = itertools.count(1)


def set_credit_code(site, code: str = CREDIT_CODE, organisation: str = "长春市测试供热有限公司"):
    settings = CatalogueSettings.for_site(site)
    settings.credit_code, settings.organisation = code, organisation
    settings.save()
    return settings


def regulation_index(**fields) -> RegulationIndexPage:
    found = RegulationIndexPage.objects.first()
    if found and not fields:
        return found
    number = next(_numbers)
    index = RegulationIndexPage(
        **{"title": f"规章制度{number}", "slug": f"rules-{number}", **fields}
    )
    home = HomePage.objects.get()
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def regulation(parent: Page | None = None, **fields) -> RegulationPage:
    number = next(_numbers)
    defaults = {
        "title": f"测试管理办法{number}",
        "slug": f"test-rule-{number}",
        "issuing_body": "长春市测试供热有限公司",
        "effective_date": date(2026, 10, 1),
    }
    return publish_child(parent or regulation_index(), RegulationPage(**{**defaults, **fields}))


def outside_the_catalogue() -> Page:
    """A live page that is no column's section."""
    return FAQIndexPage.objects.get()


def item(page) -> CatalogueItem:
    return CatalogueItem.objects.get(page_id=page.pk)


def changes_of(page) -> list[tuple[str, str]]:
    found = CatalogueChange.objects.filter(item__page_id=page.pk).order_by("sequence")
    return list(found.values_list("action", "reason"))
