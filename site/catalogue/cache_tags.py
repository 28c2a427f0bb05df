"""Page-cache tags of what the catalogue's records show (core.page_cache)."""

# Everything that shows the catalogue as a whole (the catalogue page: counts, last updates).
CATALOGUE = "catalogue"


def column_tag(column: str) -> str:
    return f"catalogue:{column}"
