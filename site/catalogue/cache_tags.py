"""Page-cache tags of what the catalogue's records show (core.page_cache)."""


def column_tag(column: str) -> str:
    return f"catalogue:{column}"
