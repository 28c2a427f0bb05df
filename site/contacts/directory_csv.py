"""Turning a parsed directory CSV into communities, all or nothing, and back into a CSV."""

from dataclasses import dataclass, field

from django.db import transaction

from contacts.models import Community, Station
from importers.csv_safety import spreadsheet_safe
from importers.directory_csv import (
    COLUMNS,
    DirectoryRow,
    RowError,
    parse_directory_csv,
    write_directory_csv,
)

FIELDS = [name for name in COLUMNS if name != "station"]


class DirectoryImportError(ValueError):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return f"新增{len(self.created)}个小区，更新{len(self.updated)}个，{self.unchanged}个没有变化。"


def import_directory(data: bytes) -> ImportReport:
    """Upsert communities by their code. Raises DirectoryFileError for an unreadable file and
    DirectoryImportError listing every bad row; in both cases nothing is written."""
    parsed = parse_directory_csv(data)
    stations = {station.name: station for station in Station.objects.all()}
    errors = list(parsed.errors)
    for row in parsed.rows:
        if row.station not in stations:
            errors.append(
                RowError(row.line, f"供热站“{row.station}”不存在，请先在名录中添加该供热站")
            )
    if errors:
        raise DirectoryImportError(sorted(errors, key=lambda error: error.line))

    report = ImportReport()
    with transaction.atomic():
        existing = Community.objects.select_for_update().in_bulk(
            [row.code for row in parsed.rows], field_name="code"
        )
        for row in parsed.rows:
            community = existing.get(row.code)
            if community is None:
                community = Community()
                _apply(community, row, stations)
                community.save()
                report.created.append(row.code)
            elif _apply(community, row, stations):
                community.save()
                report.updated.append(row.code)
            else:
                report.unchanged += 1
    return report


def export_directory() -> bytes:
    """Cells a spreadsheet would run as formulas (`=HYPERLINK(…)`, `+1+1`) get the apostrophe
    of importers.csv_safety; parse_directory_csv drops it again, so an export imports unchanged."""
    rows = [
        {
            name: _cell(value)
            for name, value in (
                *((name, getattr(community, name)) for name in FIELDS),
                ("station", community.station.name),
            )
        }
        for community in Community.objects.select_related("station").order_by("code")
    ]
    return write_directory_csv(rows)


def _cell(value) -> str | None:
    return None if value is None else spreadsheet_safe(str(value))


def _apply(community: Community, row: DirectoryRow, stations) -> bool:
    """Copy the row onto the community; True when anything changed."""
    changed = False
    for name in FIELDS:
        value = getattr(row, name)
        if getattr(community, name) != value:
            setattr(community, name, value)
            changed = True
    station = stations[row.station]
    if community.station_id != station.pk:
        community.station = station
        changed = True
    return changed
