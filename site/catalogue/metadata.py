"""The metadata an item is disclosed with: what its editors filled in, and for every blank field
the default of its column and of the site (catalogue.columns, CatalogueSettings)."""

from django.utils import timezone
from wagtail.models import Site

from catalogue.columns import RULES
from catalogue.enums import Genre, Topic, Validity
from catalogue.models import CatalogueSettings


def site_settings() -> CatalogueSettings:
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    return CatalogueSettings.for_site(site)


def keywords(text: str) -> list[str]:
    for separator in "，,；;、 ":
        text = text.replace(separator, "、")
    return [word for word in text.split("、") if word]


def _local_date(moment):
    return timezone.localdate(moment) if moment else None


def effective(page, column: str, settings: CatalogueSettings) -> dict:
    """JSON-ready metadata of a disclosed page in a column (dates ISO 8601)."""
    rules = RULES[column]
    own = page.catalogue_defaults()
    disclosed_on = page.disclosed_on or _local_date(page.first_published_at)
    written_on = page.written_on or own.get("written_on") or disclosed_on
    replaced_by = page.replaced_by_id if page.validity != Validity.VALID else None
    return {
        "publisher": page.publisher or own.get("publisher") or settings.organisation,
        "written_on": written_on.isoformat() if written_on else None,
        "disclosed_on": disclosed_on.isoformat() if disclosed_on else None,
        "topic": page.topic or rules.topic,
        "topic_label": str(Topic(page.topic or rules.topic).label),
        "genre": page.genre or rules.genre,
        "genre_label": str(Genre(page.genre or rules.genre).label),
        "document_number": page.document_number,
        "validity": page.validity,
        "validity_label": str(Validity(page.validity).label),
        "validity_changed_on": (
            page.validity_changed_on.isoformat() if page.validity_changed_on else None
        ),
        "replaced_by_page": replaced_by,
        "keywords": keywords(page.keywords),
    }
