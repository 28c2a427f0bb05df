"""Verification codes move to the sms app (shared by the subscription and the service desk):
pending codes are copied into sms_verificationcode, what a subscription asked for going into
the code's payload, before alerts' table is dropped. Backwards, the subscription's codes move
back; codes of other uses have no place in alerts' table and stay in sms'."""

from django.db import migrations

SUBSCRIBE = "subscribe"


def to_sms(apps, schema_editor):
    Old = apps.get_model("alerts", "VerificationCode")
    New = apps.get_model("sms", "VerificationCode")
    for code in Old.objects.iterator():
        copy = New.objects.create(
            phone=code.phone,
            purpose=code.purpose,
            code_hash=code.code_hash,
            payload={"community_ids": code.community_ids, "utilities": code.utilities}
            if code.purpose == SUBSCRIBE
            else {},
            expires_at=code.expires_at,
            attempts=code.attempts,
            used_at=code.used_at,
        )
        # created_at is auto_now_add: its time is set after the row is made. It counts in the
        # number's budget of codes.
        New.objects.filter(pk=copy.pk).update(created_at=code.created_at)


def to_alerts(apps, schema_editor):
    Old = apps.get_model("alerts", "VerificationCode")
    New = apps.get_model("sms", "VerificationCode")
    moving = New.objects.filter(purpose=SUBSCRIBE)
    for code in moving.iterator():
        copy = Old.objects.create(
            phone=code.phone,
            purpose=code.purpose,
            code_hash=code.code_hash,
            community_ids=code.payload.get("community_ids", []),
            utilities=code.payload.get("utilities", []),
            expires_at=code.expires_at,
            attempts=code.attempts,
            used_at=code.used_at,
        )
        Old.objects.filter(pk=copy.pk).update(created_at=code.created_at)
    moving.delete()  # moved back, not copied: migrating forward again brings them once


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0005_verificationcode_purpose"),
        ("sms", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(to_sms, to_alerts),
        migrations.DeleteModel(name="VerificationCode"),
    ]
