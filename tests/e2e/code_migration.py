"""Run by tests/sms/test_code_migration.py in its own process, against the database of
DATABASE_URL (an empty database, migrated here): verification codes move from alerts to sms and back
with alerts' migration 0006. Prints JSON: the codes as each table holds them after each step."""

import json
import os
import sys
from datetime import UTC, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.dateparse import parse_datetime  # noqa: E402

from sms.models import VerificationCode  # noqa: E402

CREATED = timezone.now().replace(microsecond=0) - timedelta(hours=3)


def alerts_codes() -> list[list]:
    """alerts' table after migrating backwards: its model is gone from the code, so in SQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT phone, purpose, community_ids, utilities, attempts, created_at"
            " FROM alerts_verificationcode ORDER BY phone"
        )
        return [
            [
                phone,
                purpose,
                json.loads(community_ids) if isinstance(community_ids, str) else community_ids,
                json.loads(utilities) if isinstance(utilities, str) else utilities,
                attempts,
                _moment(created_at),
            ]
            for phone, purpose, community_ids, utilities, attempts, created_at in cursor.fetchall()
        ]


def _moment(value) -> str:
    """A timestamp as SQLite (text, UTC) or PostgreSQL (aware datetime) returns it."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value.isoformat()


def sms_codes() -> list[list]:
    return [
        [code.phone, code.purpose, code.payload, code.attempts, _moment(code.created_at)]
        for code in VerificationCode.objects.order_by("phone")
    ]


def main() -> None:
    call_command("migrate", verbosity=0)
    VerificationCode.objects.all().delete()
    for phone, purpose, payload in (
        ("13800000001", "subscribe", {"community_ids": [1, 2], "utilities": ["heat", "gas"]}),
        ("13800000002", "service_request", {}),
    ):
        code = VerificationCode.objects.create(
            phone=phone,
            purpose=purpose,
            code_hash="h" * 64,
            payload=payload,
            expires_at=CREATED + timedelta(minutes=10),
            attempts=2,
        )
        VerificationCode.objects.filter(pk=code.pk).update(created_at=CREATED)
    before = sms_codes()
    call_command("migrate", "alerts", "0005", verbosity=0)
    backwards = {"alerts": alerts_codes(), "sms": sms_codes()}
    call_command("migrate", verbosity=0)
    print(
        json.dumps(
            {
                "created": _moment(CREATED),
                "before": before,
                "backwards": backwards,
                "forwards": sms_codes(),
            }
        )
    )


main()
