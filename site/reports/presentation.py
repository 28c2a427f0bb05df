"""The figures as people read them: in the templates, the CSV, the feeds and the charts."""

from django.utils.translation import gettext as _

from reports import charts
from reports.figures import AnnualFigures
from reports.season import SeasonFigures

DASH = "—"


def number_text(value) -> str:
    if value is None:
        return DASH
    if isinstance(value, float):
        return f"{value:.1f}".removesuffix(".0")
    return str(value)


def percent_text(value) -> str:
    return DASH if value is None else f"{number_text(float(value))}%"


def minutes_text(minutes: float | None) -> str:
    """Minutes as people say them: "35分钟", "2小时5分钟"."""
    if minutes is None:
        return DASH
    whole = round(minutes)
    hours, rest = divmod(whole, 60)
    if not hours:
        return _("%d分钟") % rest
    return _("%(h)d小时%(m)d分钟") % {"h": hours, "m": rest} if rest else _("%d小时") % hours


def annual_summary(figures: AnnualFigures) -> str:
    """The year in one sentence, plain text."""
    return _(
        "%(year)d年主动公开信息%(published)d条，其中停供信息%(notices)d条；推送停供消息%(sent)d人次；"
        "受理服务诉求%(received)d件，按时办结率%(in_time)s，满意率%(satisfaction)s。"
    ) % {
        "year": figures.year,
        "published": figures.published_total,
        "notices": figures.outages.notices,
        "sent": figures.sent_total,
        "received": figures.requests.received,
        "in_time": percent_text(figures.requests.in_time_rate),
        "satisfaction": percent_text(figures.requests.satisfaction_rate),
    }


def season_summary(figures: SeasonFigures) -> str:
    """A season or a month in one sentence, plain text (the feed item's description)."""
    requests = figures.response_total.requests
    return _(
        "室温达标率%(rate)s（测温%(measured)d户，达标%(met)d户）；停供%(notices)d次，共%(hours)s小时；"
        "受理服务诉求%(received)d件，按时联系率%(contact)s，按时办结率%(in_time)s。"
    ) % {
        "rate": percent_text(figures.homes.rate),
        "measured": figures.homes.measured,
        "met": figures.homes.met,
        "notices": figures.outages.notices,
        "hours": number_text(figures.outages.actual_hours),
        "received": requests.received,
        "contact": percent_text(requests.contact_rate),
        "in_time": percent_text(requests.in_time_rate),
    }


def season_charts(figures: SeasonFigures) -> dict:
    """The season page's three charts, each described by the table after it."""
    first, last = figures.months[0].label, figures.months[-1].label
    temperature = charts.bar_chart(
        "chart-temperature",
        _("各月室温达标率"),
        _("%(first)s至%(last)s各月测温住户中室温达标的比例，数据见下表。")
        % {"first": first, "last": last},
        [
            (month.label, month.homes.rate, percent_text(month.homes.rate))
            for month in figures.months
        ],
        maximum=100,
        unit="%",
    )
    causes = charts.bar_chart(
        "chart-causes",
        _("按原因统计的停供时长"),
        _("本供热期各停供原因的实际停供小时数，数据见下表。"),
        [
            (cause.label, cause.actual_hours, _("%s小时") % number_text(cause.actual_hours))
            for cause in figures.causes
        ],
    )
    responses = charts.line_chart(
        "chart-responses",
        _("各月服务诉求按时联系率和按时办结率"),
        _("%(first)s至%(last)s各月按承诺时限联系用户和办结的比例，数据见下表。")
        % {"first": first, "last": last},
        [f"{int(month.month[5:])}月" for month in figures.months],
        [
            (_("按时联系率"), [month.requests.contact_rate for month in figures.months]),
            (_("按时办结率"), [month.requests.in_time_rate for month in figures.months]),
        ],
    )
    return {"temperature": temperature, "causes": causes, "responses": responses}
