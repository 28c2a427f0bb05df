"""CSV cells a spreadsheet will not run (CSV injection, OWASP): text that Excel or WPS would take
for a formula gets a leading apostrophe, which they show as plain text. Every CSV the site
writes goes through `spreadsheet_safe`; a CSV the site reads back (the directory) through
`unescaped`, so export → import gives the exact text."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unescaped(text: str) -> str:
    """A cell read back: without the apostrophe `spreadsheet_safe` put before it."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text
