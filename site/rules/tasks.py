"""The rules' e-mails and the review reminders, as django-q2 tasks.

An e-mail action's task may be delivered twice: the `SentEmail` row, created in the same
transaction that sends, makes the second run a no-op; a worker that dies after the mail server
took the mail and before the commit sends it again (a reminder twice beats none)."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from core.addresses import admin_url
from rules.models import PageReview, RuleFiring, SentEmail

MODERATORS = "审核"


def _addresses(group_filter: dict) -> list[str]:
    users = get_user_model().objects.filter(is_active=True, **group_filter).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _body(firing: RuleFiring) -> tuple[str, str]:
    event = firing.event
    subject = _("【内容规则】%(rule)s：%(event)s") % {"rule": firing.rule.name, "event": event}
    lines = [
        _("规则：%s") % firing.label,
        _("事件：%s") % event.get_trigger_display(),
        _("页面：%s") % event.title,
        _("时间：%s") % timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M"),
    ]
    if Page.objects.filter(pk=event.page_id).exists():
        lines.append(
            _("编辑：%s") % admin_url(reverse("wagtailadmin_pages:edit", args=[event.page_id]))
        )
    return subject, "\n".join(lines)


def _send_once(firing_id: int, position: int, group_filter: dict) -> int:
    firing = RuleFiring.objects.select_related("rule", "event", "revision").get(pk=firing_id)
    with transaction.atomic():
        row, created = SentEmail.objects.get_or_create(firing=firing, position=position)
        if not created:
            return 0
        addresses = _addresses(group_filter)
        subject, body = _body(firing)
        with get_connection() as connection:
            connection.send_messages(
                [EmailMessage(subject, body, to=[address]) for address in addresses]
            )
        row.recipients = len(addresses)
        row.save(update_fields=["recipients"])
    return len(addresses)


def email_group(firing_id: int, position: int, group_id: int) -> int:
    return _send_once(firing_id, position, {"groups__pk": group_id})


def email_moderators(firing_id: int, position: int) -> int:
    return _send_once(firing_id, position, {"groups__name": MODERATORS})


def remind_reviews(today: date | None = None) -> int:
    """Daily: each page whose review date has come, told once to its owner and its last editor."""
    today = today or timezone.localdate()
    due = PageReview.objects.filter(done_at=None, due_on__lte=today, reminded_on=None)
    sent = 0
    for review in due.select_related("page", "page__owner"):
        page = review.page
        people = {page.owner} if page.owner else set()
        latest = page.get_latest_revision()
        if latest is not None and latest.user is not None:
            people.add(latest.user)
        addresses = sorted({p.email for p in people if p.is_active and p.email})
        subject = _("【复核提醒】%s") % page.title
        body = "\n".join(
            [
                _("页面《%(title)s》已到复核日期%(due)s。")
                % {"title": page.title, "due": review.due_on},
                _("原因：%s") % review.reason,
                _("编辑：%s") % admin_url(reverse("wagtailadmin_pages:edit", args=[page.pk])),
                _("复核后请在“页面复核”中标记已复核。"),
            ]
        )
        with transaction.atomic():
            if not PageReview.objects.filter(pk=review.pk, reminded_on=None).update(
                reminded_on=today
            ):
                continue  # another run got it
            if addresses:
                with get_connection() as connection:
                    connection.send_messages([EmailMessage(subject, body, to=addresses)])
        sent += 1
    return sent
