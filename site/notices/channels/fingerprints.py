"""The conditional-GET fingerprint of one live notice as a channel serves it (CAP, iCalendar,
JSON): its `changed_at`, and the base address, because the document's links and identifiers
are built from it."""

from core.addresses import base_url
from core.conditional import fingerprint
from notices.models import OutageNoticePage


def notice_fingerprint(channel: str):
    """A `core.conditional.conditional` fingerprint for views taking `notice_id`; (None, None)
    for a notice that is not live, so the view answers its own 404."""

    def of_notice(request, notice_id):
        etag, changed_at = fingerprint(
            OutageNoticePage.objects.live().filter(pk=notice_id),
            "changed_at",
            f"{channel}:{notice_id}:{base_url(request)}",
        )
        return (etag, changed_at) if changed_at else (None, None)

    return of_notice
