"""Links into the calculators from elsewhere on the site (FAQ answers), pre-filled through the
query string the calculator's GET reads."""

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _

from fees.enums import Calculator
from fees.forms import FORMS
from fees.models import FeeCalculatorPage


def calculator_page() -> FeeCalculatorPage | None:
    return FeeCalculatorPage.objects.live().first()


def prefilled_url(page: FeeCalculatorPage, calculator: str, prefill: str) -> str:
    url = page.calculator_url(Calculator(calculator))
    return f"{url}?{prefill}" if prefill else url


def check_prefill(calculator: str, prefill: str) -> None:
    """Refuse a pre-fill naming fields the calculator does not have, so a typo in an FAQ's
    link is caught when the editor saves, not by a resident."""
    if not prefill:
        return
    if not calculator:
        raise ValidationError(_("填写预填内容前请先选择计算器。"))
    allowed = FORMS[Calculator(calculator)].prefill_fields
    unknown = sorted(set(QueryDict(prefill)) - set(allowed))
    if unknown:
        raise ValidationError(
            _("计算器不认识这些项目：%(unknown)s。可以预填：%(allowed)s。")
            % {"unknown": "、".join(unknown), "allowed": "、".join(allowed)}
        )
