"""Every figure of a report as CSV, one figure a row (范围, 部分, 项目, 指标, 数值), so one file
layout serves both reports and a spreadsheet can filter or pivot it. UTF-8 with a BOM (Excel
reads Chinese CSV as GBK without it); every cell through importers.csv_safety, since causes
and station names are text the staff typed."""

import csv
from collections.abc import Iterator
from dataclasses import replace

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from importers.csv_safety import spreadsheet_safe
from reports.figures import AnnualFigures, RequestFigure
from reports.season import SeasonFigures

HEADER = (
    gettext_lazy("范围"),
    gettext_lazy("部分"),
    gettext_lazy("项目"),
    gettext_lazy("指标"),
    gettext_lazy("数值"),
)
Row = tuple[str, str, str, object]  # part, item, measure, value


def _cell(value) -> str:
    if value is None:
        return ""
    return spreadsheet_safe(str(value))


def _request_rows(part: str, row: RequestFigure) -> Iterator[Row]:
    yield part, row.label, _("受理数"), row.received
    yield part, row.label, _("已办结数"), row.closed
    yield part, row.label, _("应办结数"), row.resolve_due
    yield part, row.label, _("按时办结数"), row.closed_in_time
    yield part, row.label, _("按时办结率（%）"), row.in_time_rate
    yield part, row.label, _("超时未办结数"), row.open_overdue
    yield part, row.label, _("应联系数"), row.contact_due
    yield part, row.label, _("按时联系数"), row.contacted_in_time
    yield part, row.label, _("按时联系率（%）"), row.contact_rate
    yield part, row.label, _("评价数"), row.ratings
    yield part, row.label, _("满意数"), row.satisfied
    yield part, row.label, _("满意率（%）"), row.satisfaction_rate


def _outage_rows(part: str, row) -> Iterator[Row]:
    yield part, row.label, _("通知数"), row.notices
    yield part, row.label, _("计划停"), row.planned_kind
    yield part, row.label, _("抢修停"), row.emergency_kind
    yield part, row.label, _("已取消"), row.cancelled
    yield part, row.label, _("计划时长（小时）"), row.planned_hours
    yield part, row.label, _("实际时长（小时）"), row.actual_hours


def annual_rows(figures: AnnualFigures) -> Iterator[Row]:
    part = _("主动公开")
    for column in figures.columns:
        yield part, column.label, _("本年新公开（条）"), column.published
    part = _("停供通知（按类型）")
    for row in [*figures.outages_by_utility, figures.outages]:
        yield from _outage_rows(part, row)
    part = _("停供通知（按原因）")
    for row in figures.outages_by_cause:
        yield from _outage_rows(part, row)
    part = _("停供时长")
    for row in figures.durations:
        yield part, row.label, _("按计划（条）"), row.planned
        yield part, row.label, _("按实际（条）"), row.actual
    part = _("停供消息推送")
    for row in figures.messages:
        yield part, row.label, _("消息数"), row.messages
        yield part, row.label, _("投递数"), row.deliveries
        yield part, row.label, _("已送达"), row.sent
        yield part, row.label, _("失败"), row.failed
        yield part, row.label, _("无法确认"), row.unconfirmed
        yield part, row.label, _("发送中"), row.open
    for row in [*figures.requests_by_kind, figures.requests]:
        yield from _request_rows(_("服务诉求（按类型）"), row)
    for row in figures.requests_by_station:
        yield from _request_rows(_("服务诉求（按供热站）"), row)


def season_rows(figures: SeasonFigures) -> Iterator[Row]:
    part = _("室温达标率")
    for month in figures.months:
        yield part, month.label, _("测温户数"), month.homes.measured
        yield part, month.label, _("达标户数"), month.homes.met
        yield part, month.label, _("室温达标率（%）"), month.homes.rate
    yield part, _("本供热期"), _("测温户数"), figures.homes.measured
    yield part, _("本供热期"), _("达标户数"), figures.homes.met
    yield part, _("本供热期"), _("室温达标率（%）"), figures.homes.rate
    part = _("室温达标率（按供热站）")
    for station in figures.stations:
        for month, share in zip(figures.months, station.months, strict=True):
            item = f"{station.station} {month.label}"
            yield part, item, _("测温户数"), share.measured
            yield part, item, _("达标户数"), share.met
            yield part, item, _("室温达标率（%）"), share.rate
        item = f"{station.station} {_('本供热期')}"
        yield part, item, _("测温户数"), station.season.measured
        yield part, item, _("达标户数"), station.season.met
        yield part, item, _("室温达标率（%）"), station.season.rate
    part = _("停供时长（按原因）")
    for row in [*figures.causes, figures.outages]:
        yield part, row.label, _("停供次数"), row.notices
        yield part, row.label, _("实际时长（小时）"), row.actual_hours
        yield part, row.label, _("计划时长（小时）"), row.planned_hours
    part = _("停供（按月份）")
    for month in figures.months:
        yield part, month.label, _("停供次数"), month.outage_notices
        yield part, month.label, _("实际时长（小时）"), month.outage_hours
    for month in figures.months:
        yield from _request_rows(_("服务诉求（按月份）"), _relabel(month.requests, month.label))
    part = _("服务诉求（按类型）")
    for row in [*figures.responses, figures.response_total]:
        if row.contact_limit:
            yield part, row.label, _("联系时限"), row.contact_limit
        if row.resolve_limit:
            yield part, row.label, _("办结时限"), row.resolve_limit
        yield part, row.label, _("平均首次联系用时（分钟）"), row.average_contact_minutes
        yield from _request_rows(part, row.requests)


def _relabel(row: RequestFigure, label: str) -> RequestFigure:
    return replace(row, label=label)


def csv_response(scope: str, rows, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([str(heading) for heading in HEADER])
    for part, item, measure, value in rows:
        writer.writerow([_cell(scope), _cell(part), _cell(item), _cell(measure), _cell(value)])
    return response
