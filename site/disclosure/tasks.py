"""The daily e-mail to 审核 about the columns whose review is overdue (disclosure.review).

Idempotent: django-q2 may run the job twice (a redelivery, a schedule run by hand). Each
column is e-mailed about at most once a day: a `ReviewReminder` row per column and day, written
under its unique constraint in the transaction that sends. A second run finds the rows and
sends nothing; a failed send rolls them back, and the next run tries again."""

import logging
import smtplib

from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.addresses import admin_url
from core.formatting import format_datetime
from disclosure import review
from disclosure.models import ReviewReminder

logger = logging.getLogger(__name__)


def remind_overdue_reviews() -> dict:
    now = timezone.now()
    today = timezone.localdate(now)
    overdue = review.overdue_columns(now)
    if not overdue:
        return {"columns": [], "recipients": 0}
    addresses = sorted({user.email for user in review.reviewers() if user.email})
    try:
        with transaction.atomic():
            claimed = [status for status in overdue if _claim(status.column, today, now, addresses)]
            if claimed and addresses:
                subject, body = reminder_email(claimed)
                get_connection().send_messages(
                    [EmailMessage(subject, body, to=[address]) for address in addresses]
                )
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("Column review reminder not e-mailed, will retry: %s", exc)
        return {"columns": [], "recipients": 0}
    return {"columns": [status.column for status in claimed], "recipients": len(addresses)}


def _claim(column: str, day, now, addresses) -> bool:
    """Record today's reminder of the column; False when a run has recorded it already."""
    try:
        with transaction.atomic():
            ReviewReminder.objects.create(
                column=column, day=day, sent_at=now, recipients=len(addresses)
            )
    except IntegrityError:
        return False
    return True


def reminder_email(statuses) -> tuple[str, str]:
    """Subject and body: the overdue columns, since when each waits and the admin page."""
    subject = _("【信息公开】%(count)d个栏目已超过审核期限") % {"count": len(statuses)}
    lines = [_("以下栏目内容变更后未在审核期限内审核，请尽快审核："), ""]
    for status in statuses:
        lines.append(
            _("・%(column)s：%(since)s起变更未审核，审核期限%(days)d个工作日，已于%(due)s到期。")
            % {
                "column": status.label,
                "since": format_datetime(status.unreviewed_since),
                "days": status.review_days,
                "due": format_datetime(status.due),
            }
        )
    lines += ["", _("审核页面：%s") % admin_url(reverse("disclosure_reviews"))]
    return subject, "\n".join(lines)
