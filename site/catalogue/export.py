"""The whole live catalogue in one download: JSON for a mirror's first sync, CSV and Excel
(Chinese header row) for the disclosure officer. Streamed in chunks, so 20,000 items take the
memory of a few hundred (benchmarks/catalogue.py); the Excel file is a zip that openpyxl
finishes before it can be sent, so it is built in a temporary file and sent from there.

The JSON carries the cursor to continue from with the change API. It is read BEFORE the items:
a change committed in between is then both in the export and after the cursor, and replaying
it is harmless (a mirror replaces an item by its 索引号); read after, it could be in neither."""

import csv
import json
import tempfile
from functools import wraps

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from catalogue.models import CatalogueItem, CatalogueSequence
from catalogue.records import public, replacements
from core import ratelimit
from importers.csv_safety import spreadsheet_safe

CHUNK = 500
# Downloads per address and hour, all formats together: a mirror needs one export to start
# (then the change API), an officer a few; each reads the whole catalogue (docs/feeds.md).
RATE_LIMIT = (30, 3600)

# (header, key of the public item) for the CSV and Excel files.
COLUMNS = [
    ("索引号", "index_number"),
    ("栏目", "column_label"),
    ("标题", "title"),
    ("链接", "url"),
    ("发布机构", "publisher"),
    ("文号", "document_number"),
    ("成文日期", "written_on"),
    ("发布日期", "disclosed_on"),
    ("主题分类", "topic_label"),
    ("体裁", "genre_label"),
    ("有效性", "validity_label"),
    ("修订或废止日期", "validity_changed_on"),
    ("关键词", "keywords"),
    ("更新时间", "updated_at"),
]


def _items(request):
    """Public items in chunks: one query for a chunk, one for its replacements."""
    snapshots = (
        CatalogueItem.objects.filter(in_catalogue=True)
        .order_by("index_number")
        .values_list("snapshot", flat=True)
        .iterator(chunk_size=CHUNK)
    )
    chunk = []
    for snapshot in snapshots:
        chunk.append(snapshot)
        if len(chunk) == CHUNK:
            yield from _public(chunk, request)
            chunk = []
    yield from _public(chunk, request)


def _public(chunk, request):
    replaced = replacements(chunk)
    for snapshot in chunk:
        yield public(snapshot, request, replaced)


def _cell(value) -> str:
    if isinstance(value, list):
        value = "、".join(value)
    return spreadsheet_safe("" if value is None else str(value))


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d")


def limited(view):
    @wraps(view)
    def wrapped(request):
        address = ratelimit.client_ip(request)
        if retry_after := ratelimit.attempt("catalogue-export", address, *RATE_LIMIT):
            message = _("下载目录太频繁，请一小时后再试；同步变动请用变动接口。")
            return ratelimit.too_many_requests(request, message, retry_after)
        return view(request)

    return wrapped


@require_GET
@limited
def catalogue_json(request):
    cursor = CatalogueSequence.objects.values_list("last", flat=True).get(pk=1)

    def body():
        head = {"cursor": str(cursor), "generated_at": timezone.localtime().isoformat()}
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "items": ['
        for index, item in enumerate(_items(request)):
            yield ("," if index else "") + json.dumps(item, ensure_ascii=False)
        yield "]}"

    response = StreamingHttpResponse(body(), content_type="application/json; charset=utf-8")
    response["X-Catalogue-Cursor"] = str(cursor)
    return response


class _Line:
    def write(self, text):
        return text


@require_GET
@limited
def catalogue_csv(request):
    writer = csv.writer(_Line())

    def rows():
        yield "\ufeff" + writer.writerow([header for header, _key in COLUMNS])
        for item in _items(request):
            yield writer.writerow([_cell(item.get(key)) for _header, key in COLUMNS])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="catalogue-{_stamp()}.csv"'
    return response


@require_GET
@limited
def catalogue_xlsx(request):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("信息公开目录")
    sheet.append([header for header, _key in COLUMNS])
    for item in _items(request):
        sheet.append([_cell(item.get(key)) for _header, key in COLUMNS])
    file = tempfile.TemporaryFile()  # closed by the response once sent
    book.save(file)
    file.seek(0)
    response = FileResponse(
        file, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="catalogue-{_stamp()}.xlsx"'
    return response
