"""Loads the 信息公开 section of the demo (demo.content.disclosure) as part of load_demo.
Idempotent as the rest of it: pages found by slug under their parent are left as they are, the
catalogue settings are filled only where empty."""

from datetime import date
from decimal import Decimal

from wagtail.models import Page, Site

from catalogue.models import CatalogueSettings
from demo.content import disclosure as content
from demo.metadata import disclosed_fields
from disclosure.models import (
    CataloguePage,
    ColumnPage,
    OrganisationProfilePage,
    SafetyPage,
    ServiceGuidePage,
)
from home.models import HomePage


def fill_catalogue_settings(home: HomePage) -> None:
    """Before any disclosed page is published: every 索引号 begins with the credit code."""
    settings = CatalogueSettings.for_site(Site.objects.get(root_page=home))
    changed = [
        name for name, value in content.CATALOGUE_SETTINGS.items() if not getattr(settings, name)
    ]
    for name in changed:
        setattr(settings, name, content.CATALOGUE_SETTINGS[name])
    if changed:
        settings.full_clean()
        settings.save()


def load_disclosure(home: HomePage, publish) -> None:
    """The catalogue page and its sections; `publish(parent, page)` is demo.loader's (adds and
    publishes a page unless one with its slug is there already)."""
    data = content.CATALOGUE_PAGE
    catalogue = publish(
        home,
        CataloguePage(
            title=data["title"],
            slug=data["slug"],
            search_description=data["search_description"],
            intro=data["intro"],
            show_in_menus=True,
        ),
    )
    _profile(catalogue, publish)
    columns = {}
    for data in content.COLUMN_PAGES:
        columns[data["column"]] = publish(
            catalogue,
            ColumnPage(
                title=data["title"],
                slug=data["slug"],
                column=data["column"],
                search_description=data["search_description"],
                intro=data["intro"],
                body=data["body"],
                **disclosed_fields(data),
            ),
        )
    _safety(columns["safety"], publish)
    for data in content.GUIDES:
        publish(columns["guides"], _guide(data))


def _profile(catalogue: Page, publish) -> None:
    data = content.PROFILE
    publish(
        catalogue,
        OrganisationProfilePage(
            title=data["title"],
            slug=data["slug"],
            search_description=data["search_description"],
            address=data["address"],
            licence_number=data["licence_number"],
            licence_issuer=data["licence_issuer"],
            licence_issued_on=date(*data["licence_issued_on"]),
            licence_valid_until=date(*data["licence_valid_until"]),
            heating_area=Decimal(data["heating_area"]),
            service_area=data["service_area"],
            body=data["body"],
            **disclosed_fields(data),
        ),
    )


def _safety(column: Page, publish) -> None:
    data = content.SAFETY_PAGE
    publish(
        column,
        SafetyPage(
            title=data["title"],
            slug=data["slug"],
            search_description=data["search_description"],
            intro=data["intro"],
            advice=[
                {"type": "advice", "value": {"heading": heading, "text": text, "image": None}}
                for heading, text in data["advice"]
            ],
            **disclosed_fields(data),
        ),
    )


def _guide(data: dict) -> ServiceGuidePage:
    return ServiceGuidePage(
        title=data["title"],
        slug=data["slug"],
        search_description=data["search_description"],
        intro=data["intro"],
        applicants=data["applicants"],
        materials=[
            {"type": "material", "value": {"name": name, "note": note, "optional": optional}}
            for name, note, optional in data["materials"]
        ],
        steps=[
            {"type": "step", "value": {"title": title, "text": text}}
            for title, text in data["steps"]
        ],
        channels=[{"type": kind, "value": value} for kind, value in data["channels"]],
        fees=data["fees"],
        time_limits=[
            {"type": "time_limit", "value": {"key": key, "label": label}}
            for key, label in data["time_limits"]
        ],
        notes=data["notes"],
        **disclosed_fields(data),
    )
