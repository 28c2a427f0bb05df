"""JSON for machines: /api/notices/ (filtered, paginated) and /api/notices/<id>/, with the
structured fields of each notice and its timeline. Documented in docs/feeds.md."""

from django.core.paginator import EmptyPage, Paginator
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.addresses import absolute_url, base_url, page_url
from core.conditional import CACHE_CONTROL, conditional, fingerprint
from notices.channels.fingerprints import notice_fingerprint
from notices.enums import NoticeState
from notices.models import OutageNoticePage
from notices.queries import InvalidFilter, NoticeFilters, choice, notices_for_display

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def _iso(value):
    """ISO 8601 in Beijing time, as the notices are written."""
    return timezone.localtime(value).isoformat() if value else None


def serialize(notice: OutageNoticePage, request) -> dict:
    duration = notice.duration
    return {
        "id": notice.pk,
        "title": notice.title,
        "url": page_url(notice, request),
        "utility": {"code": notice.utility, "label": notice.utility_label},
        "kind": {"code": notice.kind, "label": notice.kind_label},
        "state": {"code": notice.state, "label": notice.state_label},
        "is_major": notice.is_major,
        "cause": notice.cause,
        "area_name": notice.area_name,
        "district": notice.district,
        "starts_at": _iso(notice.starts_at),
        "ends_at": _iso(notice.current_ends_at),
        "end_is_estimate": notice.end_is_estimate,
        "duration_minutes": int(duration.total_seconds() // 60) if duration else None,
        "households": notice.households,
        "station": {"name": notice.station.name, "phone": notice.station.phone}
        if notice.station
        else None,
        "phone": notice.phone,
        "boundary": {
            "text": notice.boundary_text,
            "south": notice.boundary_south,
            "north": notice.boundary_north,
            "west": notice.boundary_west,
            "east": notice.boundary_east,
        },
        "communities": [{"code": c.code, "name": c.name} for c in notice.communities.all()],
        "polygon": notice.polygon,
        "went_live_at": _iso(notice.went_live_at),
        "changed_at": _iso(notice.changed_at),
        "updates": [
            {
                "kind": {"code": u.kind, "label": u.kind_label},
                "occurred_at": _iso(u.occurred_at),
                "text": u.text,
                "new_ends_at": _iso(u.new_ends_at),
                "state_after": u.state_after,
            }
            for u in notice.updates.all()
        ],
        "links": {
            "cap": absolute_url(reverse("notice_cap", args=(notice.pk,)), request),
            "ical": absolute_url(reverse("notice_ical", args=(notice.pk,)), request),
        },
    }


def _selection(params):
    """The live notices the list's parameters select; InvalidFilter for a value they cannot
    have, rather than an empty list that reads as "no notices"."""
    notices = NoticeFilters.from_query(params, strict=True).apply(OutageNoticePage.objects.live())
    state = choice(params, "state", dict(NoticeState.choices), strict=True)
    if state:
        notices = notices.filter(state=state)
    return notices


def _list_fingerprint(request, notices, **page):
    # The base address is in the key: the links in the document are built from it.
    return fingerprint(notices, "changed_at", f"{base_url(request)}?{request.GET.urlencode()}")


def _json(data, status=200):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = CACHE_CONTROL  # 400/404 too; conditional() sets it on 200s
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def notice_list(request):
    """The parameters are checked before the conditional GET: a wrong one is a 400 whatever
    the client already holds."""
    try:
        notices = _selection(request.GET)
        size = min(max(int(request.GET.get("page_size", DEFAULT_PAGE_SIZE)), 1), MAX_PAGE_SIZE)
        number = int(request.GET.get("page", 1))
    except InvalidFilter as error:
        return _json({"error": str(error)}, status=400)
    except ValueError:
        return _json({"error": _("page 和 page_size 必须是整数。")}, status=400)
    return _notice_page(request, notices=notices, number=number, size=size)


@conditional(_list_fingerprint)
def _notice_page(request, notices, number, size):
    paginator = Paginator(notices_for_display(notices).order_by("-changed_at", "-pk"), size)
    try:
        page = paginator.page(number)
    except EmptyPage:
        return _json({"error": _("页码超出范围。")}, status=404)
    return _json(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "results": [serialize(notice, request) for notice in page.object_list],
        }
    )


@require_safe
@conditional(notice_fingerprint("json"))
def notice_detail(request, notice_id):
    notice = notices_for_display(OutageNoticePage.objects.live()).filter(pk=notice_id).first()
    if notice is None:
        return _json({"error": _("没有这条通知，或它已下线。")}, status=404)
    return _json(serialize(notice, request))


def not_found(request):
    """Any other address under /api/ ending in a slash (an id out of range among them): a
    client reads JSON there, never the site's HTML 404 page. Without the slash, Django's
    APPEND_SLASH redirect comes first."""
    return _json({"error": _("没有这个接口地址。")}, status=404)
