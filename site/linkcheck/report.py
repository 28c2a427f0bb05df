"""The report's filters and its CSV: the same rows on screen and in the file."""

import csv
import io

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from importers.csv_safety import spreadsheet_safe
from linkcheck.enums import Kind, RunState, Severity, Status
from linkcheck.models import LinkCheckRun, LinkProblem
from linkcheck.presentation import edit_path, target_label

OPEN, NEW, FIXED = "open", "new", "fixed"
ALL = [("", _("全部"))]


class ReportFilters(forms.Form):
    state = forms.ChoiceField(
        label=_("范围"),
        required=False,
        choices=[(OPEN, _("未修复")), (NEW, _("最近一次检查新发现")), (FIXED, _("已修复"))],
    )
    severity = forms.ChoiceField(
        label=_("严重程度"), required=False, choices=ALL + Severity.choices
    )
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=ALL + Kind.choices)
    status = forms.ChoiceField(label=_("问题"), required=False, choices=ALL + Status.choices)
    source = forms.ChoiceField(label=_("页面或设置"), required=False)

    def __init__(self, data):
        super().__init__(data)
        sources = (
            LinkProblem.objects.order_by("source_label")
            .values_list("source_type_id", "source_id", "source_label")
            .distinct()
        )
        self.fields["source"].choices = ALL + [
            (f"{type_id}-{object_id}", label) for type_id, object_id, label in sources
        ]
        self.is_valid()  # a value that is not a choice is dropped, the others still filter

    def value(self, name: str) -> str:
        return getattr(self, "cleaned_data", {}).get(name) or ""

    def rows(self):
        state = self.value("state") or OPEN
        problems = LinkProblem.objects.select_related("page")
        if state == FIXED:
            problems = problems.filter(fixed_at__isnull=False).order_by("-fixed_at", "pk")
        else:
            problems = problems.filter(fixed_at__isnull=True).order_by(
                "severity", "source_label", "where", "pk"
            )
            if state == NEW and (started := latest_run_start()) is not None:
                problems = problems.filter(first_seen__gte=started)
        for name in ("severity", "kind", "status"):
            if self.value(name):
                problems = problems.filter(**{name: self.value(name)})
        if self.value("source"):
            type_id, object_id = self.value("source").split("-", 1)
            problems = problems.filter(source_type_id=type_id, source_id=object_id)
        return problems


def latest_run_start():
    """When the last finished run started: what it found first is new."""
    run = (
        LinkCheckRun.objects.filter(state=RunState.FINISHED)
        .exclude(started_at=None)
        .order_by("-started_at")
        .first()
    )
    return run.started_at if run else None


HEADER = [
    _("状态"),
    _("严重程度"),
    _("问题"),
    _("类型"),
    _("所在页面或设置"),
    _("位置"),
    _("链接"),
    _("说明"),
    _("建议改为"),
    _("HTTP状态码"),
    _("首次发现"),
    _("最近发现"),
    _("修复时间"),
    _("修改地址"),
]


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def csv_text(problems) -> str:
    """UTF-8 with a BOM (or Excel reads it as GBK), every cell safe from formula injection."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([str(title) for title in HEADER])
    for problem in problems:
        cells = [
            str(_("未修复") if problem.is_open else _("已修复")),
            problem.get_severity_display(),
            problem.get_status_display(),
            problem.get_kind_display(),
            problem.source_label,
            problem.where,
            target_label(problem),
            problem.detail,
            problem.suggestion,
            str(problem.http_status or ""),
            _when(problem.first_seen),
            _when(problem.last_seen),
            _when(problem.fixed_at),
            edit_path(problem),
        ]
        writer.writerow([spreadsheet_safe(str(cell)) for cell in cells])
    return out.getvalue()
