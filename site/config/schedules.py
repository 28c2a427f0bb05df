"""The django-q2 schedules, created or corrected by name after every `migrate` (see
config.apps), so a deploy never duplicates them and never needs a manual step."""

from django.apps import apps
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django_q.models import Schedule

from alerts.tasks import dispatch_due, purge_unsubscribed
from catalogue.tasks import reconcile as reconcile_catalogue
from core.ratelimit import purge_counters
from core.tasks import dotted_path
from disclosure.tasks import remind_overdue_reviews
from jobs.runner import purge_finished
from linkcheck.run import run_link_check
from notices.partners.importer import import_partner_feeds
from notices.tasks import advance_notices
from reports.tasks import close_periods
from rules.tasks import remind_reviews
from servicedesk.tasks import check_deadlines, purge, refresh_compliance
from sms.verification import purge_codes
from wechat.replay import purge_seen

SCHEDULES = {
    "wagtail-publish-scheduled": {
        "func": dotted_path(call_command),
        "args": "'publish_scheduled'",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
    "notices-advance-by-clock": {
        "func": dotted_path(advance_notices),
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
    "alerts-dispatch-due": {
        "func": dotted_path(dispatch_due),
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
    "notices-import-partner-feeds": {
        "func": dotted_path(import_partner_feeds),
        "schedule_type": Schedule.MINUTES,
        "minutes": 10,
    },
    "servicedesk-check-deadlines": {
        "func": dotted_path(check_deadlines),
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
    "servicedesk-refresh-compliance": {
        "func": dotted_path(refresh_compliance),
        "schedule_type": Schedule.MINUTES,
        "minutes": 10,
    },
    "servicedesk-purge": {
        "func": dotted_path(purge),
        "schedule_type": Schedule.DAILY,
    },
    "sms-purge-codes": {
        "func": dotted_path(purge_codes),
        "schedule_type": Schedule.DAILY,
    },
    "alerts-purge-unsubscribed": {
        "func": dotted_path(purge_unsubscribed),
        "schedule_type": Schedule.DAILY,
    },
    "core-purge-rate-counters": {
        "func": dotted_path(purge_counters),
        "schedule_type": Schedule.DAILY,
    },
    "wechat-purge-seen-callbacks": {
        "func": dotted_path(purge_seen),
        "schedule_type": Schedule.DAILY,
    },
    "catalogue-reconcile": {
        "func": dotted_path(reconcile_catalogue),
        "schedule_type": Schedule.DAILY,
    },
    "jobs-purge-finished": {
        "func": dotted_path(purge_finished),
        "schedule_type": Schedule.DAILY,
    },
    # Overdue column reviews e-mailed to 审核, each column at most once a day (disclosure.tasks).
    "disclosure-review-reminders": {
        "func": dotted_path(remind_overdue_reviews),
        "schedule_type": Schedule.DAILY,
    },
    # Pages whose review date a content rule set, told once to their owner and last editor.
    "rules-review-reminders": {
        "func": dotted_path(remind_reviews),
        "schedule_type": Schedule.DAILY,
    },
    "reports-close-periods": {
        "func": dotted_path(close_periods),
        "schedule_type": Schedule.DAILY,
    },
    # Links of the live pages and settings; the editors of pages with new problems e-mailed.
    "linkcheck-daily": {
        "func": dotted_path(run_link_check),
        "schedule_type": Schedule.DAILY,
    },
}


def ensure_schedules(**kwargs) -> None:
    for name, fields in SCHEDULES.items():
        Schedule.objects.update_or_create(
            name=name, defaults={"repeats": -1, "args": None, **fields}
        )


def register() -> None:
    # post_migrate is sent once per app with models; answering django_q's (whose tables hold
    # the schedules) runs this once per migrate.
    post_migrate.connect(
        ensure_schedules,
        sender=apps.get_app_config("django_q"),
        dispatch_uid="config-ensure-schedules",
    )
