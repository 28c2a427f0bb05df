"""索引号: `{统一社会信用代码}/{column code}-{year}-{serial}`, e.g.
`91220101MA14XXXX0X/06-2026-00042`. Given once, when an item first enters the catalogue, from
a counter per column and year that only counts up; the item's row keeps it for good (also
after the page is deleted), so a number is stable across edits and moves and never reused."""

from django.db.models import F

from catalogue.columns import RULES
from catalogue.models import IndexSerial

# Before the credit code is entered: the number still has its place, and stays as given.
NO_CREDIT_CODE = "000000000000000000"


def next_index_number(column: str, year: int, credit_code: str) -> str:
    """Call inside the transaction that stores the number (it locks the counter's row)."""
    code = RULES[column].code
    IndexSerial.objects.get_or_create(column_code=code, year=year)
    IndexSerial.objects.filter(column_code=code, year=year).update(last=F("last") + 1)
    serial = IndexSerial.objects.get(column_code=code, year=year).last
    return f"{credit_code or NO_CREDIT_CODE}/{code}-{year}-{serial:05d}"
