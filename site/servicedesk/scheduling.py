"""The return call's django-q2 schedule: one ONCE schedule per request, named after it, so
closing again (or a redelivered task) updates the one schedule instead of adding another."""

from django_q.models import Schedule

from core.tasks import dotted_path
from servicedesk.models import ServiceRequest
from servicedesk.tasks import return_visit_due


def return_visit_schedule_name(request: ServiceRequest) -> str:
    return f"servicedesk-return-visit-{request.pk}"


def schedule_return_visit(request: ServiceRequest) -> Schedule:
    schedule, _created = Schedule.objects.update_or_create(
        name=return_visit_schedule_name(request),
        defaults={
            "func": dotted_path(return_visit_due),
            "args": repr(request.pk),
            "schedule_type": Schedule.ONCE,
            "repeats": 1,
            "next_run": request.return_visit_at,
        },
    )
    return schedule
