"""Turning a parsed directory CSV into communities, all or nothing, and back into a CSV.

An import goes in three steps, so that the database's write lock is held only for the writes
(the embedded profile's SQLite has one writer at a time, and public forms wait for it):
1. `check_directory` reads and checks the whole file, every number against its column's
   range, and prepares each community (its pinyin key); it writes nothing.
2. `write_directory` writes every change in one transaction of bulk statements: 20,000 rows
   hold the lock well under a second (docs/benchmarks.md).
3. `refresh_derived`, after the commit, does what saving one community at a time did through
   signals: the cached pages and facets, the search vocabulary, the search index and Wagtail's
   reference index, in batches that each write briefly."""

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext as _
from wagtail.models import ReferenceIndex
from wagtail.search.backends import get_search_backends

from chinese_text import segmentation
from contacts import cache_tags, facets
from contacts.models import Community, Station
from core import page_cache
from importers.csv_safety import spreadsheet_safe
from importers.directory_csv import (
    COLUMNS,
    NUMBER_FIELDS,
    RowError,
    parse_directory_csv,
    write_directory_csv,
)
from jobs.progress import Progress

FIELDS = [name for name in COLUMNS if name != "station"]
COMPARED = [*FIELDS, "station_id"]
BATCH = 500


class DirectoryImportError(ValueError):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    saved: list[Community] = field(default_factory=list, repr=False)
    # Created, or moved to another station: their references (to the station) are new.
    referencing: list[Community] = field(default_factory=list, repr=False)

    def summary(self) -> str:
        return f"新增{len(self.created)}个小区，更新{len(self.updated)}个，{self.unchanged}个没有变化。"


def import_directory(data: bytes, progress: Progress | None = None) -> ImportReport:
    """Upsert communities by their code. Raises DirectoryFileError for an unreadable file and
    DirectoryImportError listing every bad row; in both cases nothing is written."""
    progress = progress or Progress()
    report = write_directory(check_directory(data, progress), progress)
    refresh_derived(report, progress)
    return report


def check_directory(data: bytes, progress: Progress) -> list[Community]:
    """The file's communities, unsaved, or DirectoryFileError / DirectoryImportError."""
    progress.stage(_("读取并检查文件"))
    parsed = parse_directory_csv(data, ranges=number_ranges())
    stations = {station.name: station for station in Station.objects.all()}
    errors = list(parsed.errors)
    for row in parsed.rows:
        if row.station not in stations:
            errors.append(
                RowError(row.line, f"供热站“{row.station}”不存在，请先在名录中添加该供热站")
            )
    if errors:
        raise DirectoryImportError(sorted(errors, key=lambda error: error.line))
    progress.stage(_("准备数据"), total=len(parsed.rows))
    communities = []
    for row in parsed.rows:
        community = Community(
            **{name: getattr(row, name) for name in FIELDS}, station=stations[row.station]
        )
        community.set_pinyin_key()
        communities.append(community)
        progress.advance()
    return communities


def number_ranges() -> dict[str, tuple[int, int]]:
    """What each number column's field holds on every database the site runs on (a
    PositiveIntegerField: 0 to 2³¹−1, PostgreSQL's integer; SQLite alone would take 64 bits,
    which a later move to PostgreSQL would then refuse)."""
    return {
        name: BaseDatabaseOperations.integer_field_ranges[
            Community._meta.get_field(name).get_internal_type()
        ]
        for name in NUMBER_FIELDS
    }


def write_directory(communities: list[Community], progress: Progress) -> ImportReport:
    """One transaction: what the directory holds now is read inside it, so nothing another
    writer did meanwhile is overwritten unseen."""
    progress.stage(_("写入数据库"), total=len(communities))
    report = ImportReport()
    with transaction.atomic():
        existing = {row["code"]: row for row in Community.objects.values("pk", *COMPARED)}
        created, changed = [], []
        for community in communities:
            current = existing.get(community.code)
            if current is None:
                created.append(community)
            elif any(current[name] != getattr(community, name) for name in COMPARED):
                community.pk = current["pk"]
                changed.append(community)
                if current["station_id"] != community.station_id:
                    report.referencing.append(community)
            else:
                report.unchanged += 1
        Community.objects.bulk_create(created, batch_size=BATCH)
        _update(changed)
        progress.mark_written()
    progress.advance(len(communities))
    report.created = [community.code for community in created]
    report.updated = [community.code for community in changed]
    report.saved = created + changed
    report.referencing += created
    return report


def _update(communities: list[Community]) -> None:
    """One prepared UPDATE per row, sent as a batch. Django's bulk_update builds a CASE per
    column over every row of a batch, which SQLite took 22 s to run for 20,000 rows."""
    fields = [Community._meta.get_field(name) for name in [*FIELDS, "station", "pinyin_key"]]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    statement = (
        f"UPDATE {quote(Community._meta.db_table)} SET {assignments} "  # noqa: S608 (names from the model)
        f"WHERE {quote(Community._meta.pk.column)} = %s"
    )
    rows = [
        [field.get_db_prep_save(getattr(community, field.attname), connection) for field in fields]
        + [community.pk]
        for community in communities
    ]
    with connection.cursor() as cursor:
        cursor.executemany(statement, rows)


def refresh_derived(report: ImportReport, progress: Progress) -> None:
    if not report.saved:
        return
    progress.stage(_("更新缓存和搜索索引"), total=len(report.saved))
    page_cache.invalidate_existing(
        cache_tags.communities_changed(community.code for community in report.saved)
    )
    facets.forget()
    # The names become words of the search at once, not one community (and cache) at a time.
    segmentation.add_names(
        name for community in report.saved for name in (community.name, *community.alias_list)
    )
    referencing = {community.pk for community in report.referencing}
    backends = list(get_search_backends(with_auto_update=True))
    for start in range(0, len(report.saved), BATCH):
        batch = report.saved[start : start + BATCH]
        for backend in backends:
            backend.add_bulk(Community, batch)
        # One transaction for the batch: one each, back to back, would leave others waiting
        # for the lock only instants to take it, which SQLite's busy handler (it looks again
        # every 100 ms at most) mostly misses; the next batch's indexing, all CPU, lets them in.
        with transaction.atomic():
            for community in batch:
                if community.pk in referencing:
                    ReferenceIndex.create_or_update_for_object(community)
        progress.advance(len(batch))


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
