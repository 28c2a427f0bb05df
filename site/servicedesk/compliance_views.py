"""The public compliance page (服务诉求办理情况公示) and its CSV: the precomputed monthly figures
(servicedesk.compliance), one query for the months and one for the month shown. Counts and
station names only: no request, no person."""

import csv
from datetime import date, timedelta
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import format_datetime, format_duration
from importers.csv_safety import spreadsheet_safe
from servicedesk.models import ComplianceFigure

DASH = "—"
COMPANY = gettext_lazy("全公司")


class MonthConverter:
    """'2026-11' in a URL ↔ date(2026, 11, 1)."""

    regex = r"[0-9]{4}-(?:0[1-9]|1[0-2])"

    def to_python(self, value: str) -> date:
        year, month = value.split("-")
        return date(int(year), int(month), 1)

    def to_url(self, value) -> str:
        return value.strftime("%Y-%m") if isinstance(value, date) else str(value)


def published_months() -> list[date]:
    """Months with figures, latest first (one query)."""
    return list(
        ComplianceFigure.objects.filter(station=None)
        .order_by("-month")
        .values_list("month", flat=True)
    )


def month_figures(month: date) -> tuple[list[ComplianceFigure], ComplianceFigure | None]:
    """The month's station rows by station name, and the company row (one query)."""
    figures = list(ComplianceFigure.objects.filter(month=month).select_related("station"))
    company = next((figure for figure in figures if figure.station_id is None), None)
    stations = sorted(
        (figure for figure in figures if figure.station_id is not None),
        key=lambda figure: figure.station.name,
    )
    return stations, company


def month_label(month: date) -> str:
    return _("%(year)d年%(month)d月") % {"year": month.year, "month": month.month}


def percent(value: Decimal | None) -> str:
    return DASH if value is None else f"{value}%"


def median_label(minutes: Decimal | None) -> str:
    """Minutes as people say them: "35分钟", "2小时5分钟"; '—' when nobody was contacted."""
    if minutes is None:
        return DASH
    return format_duration(timedelta(minutes=float(minutes)))


class Row:
    """One line of the table, as shown."""

    def __init__(self, figure: ComplianceFigure):
        self.figure = figure
        self.name = figure.station.name if figure.station_id else str(COMPANY)
        self.in_time = percent(figure.in_time_rate)
        self.median = median_label(figure.median_contact_minutes)
        self.satisfaction = percent(figure.satisfaction_rate)


def compliance_index(request):
    """The latest month with figures."""
    months = published_months()
    if not months:
        return render(request, "servicedesk/compliance.html", {"months": []})
    return _month_page(request, months[0], months)


def compliance_month(request, month: date):
    months = published_months()
    if month not in months:
        raise Http404(_("该月份暂无统计数据。"))
    return _month_page(request, month, months)


def _month_page(request, month: date, months: list[date]):
    stations, company = month_figures(month)
    return render(
        request,
        "servicedesk/compliance.html",
        {
            "months": [(m, month_label(m)) for m in months],
            "month": month,
            "month_label": month_label(month),
            "rows": [Row(figure) for figure in stations],
            "company": Row(company),
            "computed_at": format_datetime(company.computed_at),
        },
    )


CSV_HEADER = (
    gettext_lazy("月份"),
    gettext_lazy("供热站"),
    gettext_lazy("受理数"),
    gettext_lazy("应办结数"),
    gettext_lazy("按时办结数"),
    gettext_lazy("按时办结率（%）"),
    gettext_lazy("已联系数"),
    gettext_lazy("首次联系用时中位数（分钟）"),
    gettext_lazy("超时未办结数"),
    gettext_lazy("评价数"),
    gettext_lazy("满意数"),
    gettext_lazy("满意率（%）"),
    gettext_lazy("统计时间"),
)


def _cell(value) -> str:
    """Empty for 'no figure'; a leading ' for text a spreadsheet would take for a formula."""
    if value is None:
        return ""
    return spreadsheet_safe(str(value))


def compliance_csv(request, month: date):
    """UTF-8 with a BOM (or Excel reads the Chinese as GBK): a row per station, then 全公司."""
    stations, company = month_figures(month)
    if company is None:
        raise Http404(_("该月份暂无统计数据。"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="compliance-{month:%Y-%m}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([str(heading) for heading in CSV_HEADER])
    for figure in [*stations, company]:
        name = figure.station.name if figure.station_id else str(COMPANY)
        writer.writerow(
            _cell(value)
            for value in (
                f"{month:%Y-%m}",
                name,
                figure.received,
                figure.due,
                figure.closed_in_time,
                figure.in_time_rate,
                figure.contacted,
                figure.median_contact_minutes,
                figure.open_overdue,
                figure.ratings,
                figure.satisfied,
                figure.satisfaction_rate,
                format_datetime(figure.computed_at),
            )
        )
    return response
