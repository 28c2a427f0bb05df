"""CSV cells a spreadsheet will not run (CSV injection, OWASP): text that Excel or WPS would take
for a formula gets a leading apostrophe, which they show as plain text."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text
