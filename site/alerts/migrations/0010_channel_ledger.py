"""The SMS ledger becomes the ledger of every channel: a message per notice event and channel,
a delivery per message and recipient (the channel's own row, named by id). Existing messages
are SMS; existing deliveries keep their subscriber as recipient. Rows a worker was sending had
been handed over when claimed (the old protocol counted the hand-over with the claim), so their
hand-over time is their claim time: recovery asks the provider about them, as before."""

from django.db import migrations, models
from django.db.models import F


def copy_recipients(apps, schema_editor):
    Delivery = apps.get_model("alerts", "Delivery")
    Delivery.objects.update(recipient_id=F("subscriber_id"))
    Delivery.objects.filter(status="sending").update(handed_over_at=F("claimed_at"))


def copy_back(apps, schema_editor):
    """Backwards only SMS fits the old ledger, and only deliveries whose subscriber exists."""
    OutboundMessage = apps.get_model("alerts", "OutboundMessage")
    Delivery = apps.get_model("alerts", "Delivery")
    Subscriber = apps.get_model("alerts", "Subscriber")
    OutboundMessage.objects.exclude(channel="sms").delete()
    Delivery.objects.exclude(recipient_id__in=Subscriber.objects.values("pk")).delete()
    Delivery.objects.update(subscriber_id=F("recipient_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0009_delivery_handovers"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="outboundmessage", name="one_message_per_notice_event"),
        migrations.AddField(
            model_name="outboundmessage",
            name="channel",
            field=models.CharField(default="sms", help_text="alerts.channels.registry name", max_length=20, verbose_name="渠道"),
        ),
        migrations.AddField(
            model_name="outboundmessage",
            name="link",
            field=models.CharField(blank=True, max_length=500, verbose_name="链接"),
        ),
        migrations.AlterField(
            model_name="outboundmessage",
            name="text",
            field=models.TextField(verbose_name="内容"),
        ),
        migrations.AlterField(
            model_name="outboundmessage",
            name="template_code",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="outboundmessage",
            name="notice",
            field=models.ForeignKey(on_delete=models.deletion.CASCADE, related_name="outbound_messages", to="notices.outagenoticepage", verbose_name="通知"),
        ),
        migrations.AddConstraint(
            model_name="outboundmessage",
            constraint=models.UniqueConstraint(fields=("notice", "event_key", "channel"), name="one_message_per_notice_event_channel"),
        ),
        migrations.AlterModelOptions(
            name="outboundmessage",
            options={"verbose_name": "推送消息", "verbose_name_plural": "推送消息"},
        ),
        migrations.AddField(
            model_name="delivery",
            name="recipient_id",
            field=models.BigIntegerField(null=True, help_text="pk of the channel's recipient model"),
        ),
        migrations.AddField(
            model_name="delivery",
            name="handed_over_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="delivery",
            name="subscriber",
            field=models.ForeignKey(null=True, on_delete=models.deletion.CASCADE, related_name="deliveries", to="alerts.subscriber"),
        ),
        migrations.RunPython(copy_recipients, copy_back),
        migrations.RemoveConstraint(model_name="delivery", name="one_delivery_per_subscriber"),
        migrations.RemoveField(model_name="delivery", name="subscriber"),
        migrations.AlterField(
            model_name="delivery",
            name="recipient_id",
            field=models.BigIntegerField(help_text="pk of the channel's recipient model"),
        ),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.UniqueConstraint(fields=("message", "recipient_id"), name="one_delivery_per_recipient"),
        ),
        migrations.AlterField(
            model_name="delivery",
            name="status",
            field=models.CharField(choices=[("pending", "待发送"), ("sending", "发送中"), ("sent", "已发送"), ("failed", "失败"), ("gave_up", "已放弃"), ("unconfirmed", "未确认")], default="pending", max_length=11, verbose_name="状态"),
        ),
        migrations.AlterModelOptions(
            name="delivery",
            options={"verbose_name": "投递", "verbose_name_plural": "投递"},
        ),
    ]
