"""The change API the portal mirrors the catalogue by (docs/feeds.md):
`/api/disclosure/changes/?since=<cursor>&limit=<n>`.

The cursor is the number of the last change read (catalogue.changes: numbers are given in
commit order, so reading past a number never skips a change that commits later). It is
opaque to the portal: it sends back the `cursor` of the page it read."""

import hashlib
import json

from django.db.models import F
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import condition, require_GET

from catalogue.models import CatalogueChange, CatalogueSequence
from catalogue.records import public, replacements
from core.addresses import base_url

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
CACHE_CONTROL = "no-cache"  # a mirror revalidates every time: a 304 costs one small query


class BadRequest(ValueError):
    pass


def _number(text: str | None, default: int, name: str, maximum: int | None = None) -> int:
    if text in (None, ""):
        return default
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise BadRequest(f"参数{name}应为非负整数。")
    value = int(text)
    if maximum is not None and not 1 <= value <= maximum:
        raise BadRequest(f"参数{name}应在1到{maximum}之间。")
    return value


def _arguments(request) -> tuple[int, int]:
    since = _number(request.GET.get("since"), 0, "since")
    limit = _number(request.GET.get("limit"), DEFAULT_LIMIT, "limit", MAX_LIMIT)
    return since, limit


def _etag(request, *args, **kwargs):
    try:
        since, limit = _arguments(request)
    except BadRequest:
        return None
    last = CatalogueSequence.objects.values_list("last", flat=True).get(pk=1)
    raw = f"{base_url(request)}:{since}:{limit}:{last}"
    return f'"{hashlib.sha256(raw.encode()).hexdigest()[:32]}"'


@require_GET
@condition(etag_func=_etag)
def change_list(request):
    try:
        since, limit = _arguments(request)
    except BadRequest as error:
        response = JsonResponse({"error": str(error)}, status=400)
        response["Cache-Control"] = CACHE_CONTROL
        return response
    # Of the item only its number: joining the whole row would decode its snapshot too, a
    # fifth of a page's time (benchmarks/catalogue.py).
    found = list(
        CatalogueChange.objects.filter(sequence__gt=since)
        .annotate(index_number=F("item__index_number"))
        .order_by("sequence")[: limit + 1]
    )
    more = len(found) > limit
    found = found[:limit]
    replaced = replacements(change.snapshot for change in found)
    body = {
        "since": str(since),
        "cursor": str(found[-1].sequence if found else since),
        "has_more": more,
        "changes": [
            {
                "sequence": change.sequence,
                "action": change.action,
                "reason": change.reason or None,
                "at": timezone.localtime(change.at).isoformat(),
                "index_number": change.index_number,
                "item": public(change.snapshot, request, replaced),
            }
            for change in found
        ],
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    response["Cache-Control"] = CACHE_CONTROL
    return response
