"""The catalogue metadata a demo page is published with (catalogue.models.DisclosedPage's
fields), from the "catalogue" entry of its content: 成文日期 as (year, month, day), 关键词, and
only where they apply a 体裁 other than its column's and a 文号. Fields left out keep the
catalogue's defaults (catalogue.metadata)."""

from datetime import date


def disclosed_fields(data: dict) -> dict:
    meta = data.get("catalogue", {})
    fields = {name: meta[name] for name in ("keywords", "genre", "document_number") if name in meta}
    if "written_on" in meta:
        fields["written_on"] = date(*meta["written_on"])
    return fields


def without_metadata(data: dict) -> dict:
    """The content's page fields, for loaders that pass a content dict as it is."""
    return {name: value for name, value in data.items() if name != "catalogue"}
