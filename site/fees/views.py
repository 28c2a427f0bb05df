"""The calculator routes of `FeeCalculatorPage`: GET shows the form (pre-filled from the query
string, so FAQ answers can link to a worked example), POST answers with the result and its
working. POST keeps a resident's figures out of addresses and logs; it is rate limited."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import ratelimit
from fees.enums import Calculator
from fees.forms import FORMS
from fees.models import topic_for

# Per IP: 60 calculations in 10 minutes is far more than a resident comparing options needs.
RATE_LIMIT = (60, 600)
UNKNOWN_SEASON = gettext_lazy("没有这个供热期，请从列表中选择供热期。")


def calculator_response(request, page, calculator: Calculator, season, seasons, *, unknown_season):
    """`unknown_season`: the season asked for is none of `seasons` (`season` is the current
    one): refused with 400 rather than calculated against another season's rules."""
    form_class = FORMS[calculator]
    status, refusal, retry_after = 200, "", 0
    if request.method == "POST":
        form = form_class(request.POST, season=season)
        if retry_after := ratelimit.attempt(
            "fee-calculator", ratelimit.client_ip(request), *RATE_LIMIT
        ):
            # Shown with the figures entered, but not calculated.
            refusal, status = _("计算太频繁，请十分钟后再试。"), 429
        elif unknown_season:
            refusal, status = str(UNKNOWN_SEASON), 400
        elif not form.is_valid():
            status = 400
    else:
        initial = {
            name: request.GET[name] for name in form_class.prefill_fields if request.GET.get(name)
        }
        form = form_class(initial=initial, season=season)
        if unknown_season:
            refusal, status = str(UNKNOWN_SEASON), 400
    sources = {
        topic: (source.url(request), source.page.title) for topic, source in season.sources.items()
    }
    calculation = form.calculation if form.is_bound and not refusal else None
    steps = (
        [(step, sources.get(topic_for(step.rule))) for step in calculation.steps]
        if calculation
        else []
    )
    context = {
        "calculator": calculator,
        "calculators": [(c, page.calculator_url(c)) for c in Calculator],
        "calculator_urls": {c.value: page.calculator_url(c) for c in Calculator},
        "form": form,
        "refusal": refusal,
        "calculation": calculation,
        "steps": steps,
        "season": season,
        "seasons": seasons,
        "sources": sources,
    }
    response = page.render_calculator(
        request, f"fees/calculator_{calculator.value}.html", context, status
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
