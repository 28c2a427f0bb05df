"""Template helpers shared by every app: phone links and Chinese date formatting."""

import re
from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from core import formatting

register = template.Library()


@register.filter
def tel_href(number: str) -> str:
    """`0431-8888 1234` → `tel:043188881234`, keeping a leading `+`."""
    number = str(number or "").strip()
    digits = re.sub(r"[^0-9]", "", number)
    return f"tel:{'+' if number.startswith('+') else ''}{digits}"


@register.filter
def cn_date(value: date | datetime | None) -> str:
    """2026-11-15 → 2026年11月15日, the way Chinese notices write dates."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def cn_datetime(value: datetime | None) -> str:
    return formatting.format_datetime(value) if value else ""


@register.filter
def cn_duration(value) -> str:
    return formatting.format_duration(value)


@register.simple_tag
def cn_time_range(start, end, estimated=False) -> str:
    return formatting.format_time_range(start, end, estimated=estimated)


@register.filter
def plain_number(value) -> str:
    """A decimal as a rule states it, without trailing zeros: 0.30 → 0.3, 50.00 → 50."""
    if value in (None, ""):
        return ""
    return f"{Decimal(value).normalize():f}"
