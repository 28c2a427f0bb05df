"""The django-q2 schedules, created or corrected by name after every `migrate` (see
config.apps), so a deploy never duplicates them and never needs a manual step."""

from django.apps import apps
from django.db.models.signals import post_migrate
from django_q.models import Schedule

SCHEDULES = {
    "wagtail-publish-scheduled": {
        "func": "django.core.management.call_command",
        "args": "'publish_scheduled'",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
    "notices-advance-by-clock": {
        "func": "notices.tasks.advance_notices",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
    "alerts-dispatch-due": {
        "func": "alerts.tasks.dispatch_due",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
    "notices-import-partner-feeds": {
        "func": "notices.partners.importer.import_partner_feeds",
        "schedule_type": Schedule.MINUTES,
        "minutes": 10,
    },
    "servicedesk-check-deadlines": {
        "func": "servicedesk.tasks.check_deadlines",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
    "servicedesk-refresh-compliance": {
        "func": "servicedesk.tasks.refresh_compliance",
        "schedule_type": Schedule.MINUTES,
        "minutes": 10,
    },
    "servicedesk-purge": {
        "func": "servicedesk.tasks.purge",
        "schedule_type": Schedule.DAILY,
    },
    "sms-purge-codes": {
        "func": "sms.verification.purge_codes",
        "schedule_type": Schedule.DAILY,
    },
    "alerts-purge-unsubscribed": {
        "func": "alerts.tasks.purge_unsubscribed",
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
