"""How the reports write their numbers: per cents to one decimal with "%", "—" for no figure."""

from django import template

from reports import presentation
from reports.presentation import DASH, minutes_text, number_text, percent_text

register = template.Library()


@register.filter
def percent(value) -> str:
    """98.5 → "98.5%"; None → "—"."""
    return percent_text(value)


@register.filter
def number(value) -> str:
    """12.0 → "12", 12.5 → "12.5"; None → "—"."""
    return number_text(value)


@register.filter
def dash(value) -> str:
    return DASH if value is None or value == "" else value


@register.filter
def minutes(value) -> str:
    """35.0 → "35分钟", 125 → "2小时5分钟"; None → "—"."""
    return minutes_text(value)


@register.filter
def season_summary(figures) -> str:
    return presentation.season_summary(figures)
