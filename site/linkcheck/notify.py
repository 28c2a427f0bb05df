"""The e-mail telling editors of the links that broke in their pages, in Chinese.

Each problem is e-mailed once: to the page's owner and to the author of its latest revision
(active users with an address); a problem nobody answers for (a setting, a page whose people
have no address or have left) goes to the holders of `linkcheck.run_check` (审核). A problem
is claimed (`notified_at`) in the transaction that sends, so a second run sends nothing, and a
failed send rolls the claim back: the next run tries again. A problem that is fixed and breaks
again, or that turns from a warning into an error, is new again."""

import logging
import smtplib
from collections import defaultdict

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.addresses import admin_url
from core.people import holders_of
from linkcheck.enums import Severity
from linkcheck.models import LinkProblem
from linkcheck.presentation import edit_path, target_label

logger = logging.getLogger(__name__)

RUN_PERMISSION = "linkcheck.run_check"


def responsible_users():
    """Who answers for the link check itself: active holders of linkcheck.run_check through a
    group (审核) or directly."""
    return holders_of(RUN_PERMISSION)


def send_new_problems() -> int:
    """E-mail the open problems no one has been told of; how many messages were sent."""
    try:
        with transaction.atomic():
            problems = list(
                LinkProblem.objects.select_for_update(of=("self",))
                .filter(fixed_at__isnull=True, notified_at__isnull=True)
                .select_related("page__owner", "page__latest_revision__user")
            )
            if not problems:
                return 0
            by_address = _recipients(problems)
            messages = [
                EmailMessage(*problem_email(listed), to=[address])
                for address, listed in sorted(by_address.items())
            ]
            LinkProblem.objects.filter(pk__in=[problem.pk for problem in problems]).update(
                notified_at=timezone.now()
            )
            if messages:
                get_connection().send_messages(messages)
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("Broken links not e-mailed, will retry with the next run: %s", exc)
        return 0
    return len(messages)


def _people(problem: LinkProblem) -> set[str]:
    page = problem.page
    if page is None:
        return set()
    users = [page.owner, page.latest_revision.user if page.latest_revision else None]
    return {user.email for user in users if user is not None and user.is_active and user.email}


def _recipients(problems: list[LinkProblem]) -> dict[str, list[LinkProblem]]:
    by_address: dict[str, list[LinkProblem]] = defaultdict(list)
    fallback = None
    for problem in problems:
        addresses = _people(problem)
        if not addresses:
            if fallback is None:
                fallback = {user.email for user in responsible_users() if user.email}
            addresses = fallback
        for address in addresses:
            by_address[address].append(problem)
    return by_address


def problem_email(problems: list[LinkProblem]) -> tuple[str, str]:
    """Subject and body: the links page by page, errors first, each with what to do."""
    errors = sum(problem.severity == Severity.ERROR for problem in problems)
    subject = _("【链接检查】%(count)d个链接需要处理") % {"count": len(problems)}
    if errors:
        subject += _("（%(errors)d个已失效）") % {"errors": errors}
    lines = [
        _("您好！"),
        "",
        _("链接检查发现，您编辑或负责的以下页面中有链接已失效或需要更新，请尽快修改："),
    ]
    by_source: dict[tuple, list[LinkProblem]] = defaultdict(list)
    for problem in problems:
        by_source[(problem.source_label, problem.source_type_id, problem.source_id)].append(problem)
    for (label, _type, _id), listed in sorted(by_source.items()):
        lines += ["", f"■ {label}", _("  修改：%s") % admin_url(edit_path(listed[0]))]
        listed.sort(key=lambda problem: (problem.severity != Severity.ERROR, problem.where))
        for problem in listed:
            lines.append(
                _("  ・【%(severity)s】%(where)s：%(target)s")
                % {
                    "severity": problem.get_severity_display(),
                    "where": problem.where,
                    "target": target_label(problem),
                }
            )
            lines.append(
                _("    %(status)s。%(detail)s")
                % {"status": problem.get_status_display(), "detail": problem.detail}
            )
            if problem.suggestion:
                lines.append(_("    建议改为：%s") % problem.suggestion)
    lines += [
        "",
        _("全部问题链接：%s") % admin_url(reverse("linkcheck_report")),
        _("修改后无需回复：下次检查发现链接恢复正常，报告中会标为“已修复”。同一个问题只通知一次。"),
    ]
    return subject, "\n".join(lines)
