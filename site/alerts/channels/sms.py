"""SMS to the site's subscribers, through the configured `sms` backend."""

from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerts import messages
from alerts.channels.base import (
    Channel,
    Content,
    InvalidRecipientError,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from alerts.channels.registry import register
from alerts.enums import SubscriberStatus
from alerts.models import Subscriber
from sms import (
    InvalidNumberError,
    PermanentSmsError,
    SmsContent,
    TransientSmsError,
    get_backend,
    sms_parts,
)


@register
class SmsChannel(Channel):
    name = "sms"
    label = gettext_lazy("短信")
    order = 10

    def build_backend(self):
        return get_backend()

    @property
    def max_batch(self) -> int:
        return self.backend.max_batch

    def audience(self, notice):
        """Active subscribers following the notice's utility and one of its communities (or no
        community at all: they asked for the whole city)."""
        communities = notice.communities.values("pk")
        return (
            Subscriber.objects.filter(
                status=SubscriberStatus.ACTIVE, followed_utilities__utility=notice.utility
            )
            .filter(Q(communities__in=communities) | Q(communities__isnull=True))
            .values(recipient_id=F("pk"))
            .distinct()
        )

    def addresses(self, recipient_ids):
        return dict(
            Subscriber.objects.filter(
                pk__in=recipient_ids, status=SubscriberStatus.ACTIVE
            ).values_list("pk", "phone")
        )

    def render(self, notice, event, update=None) -> Content:
        sms = messages.render(notice, event, update)
        return Content(text=sms.text, template_code=sms.template_code, params=sms.params)

    def preview(self, notice) -> dict:
        shown = super().preview(notice)
        shown["parts"] = parts = sms_parts(shown["text"])
        shown["note"] = _("按%(parts)d条计费（70字以内1条，超过时每67字1条）。") % {"parts": parts}
        return shown

    def send(self, addresses, content, *, out_id):
        sms = SmsContent(
            template_code=content.template_code, params=content.params, text=content.text
        )
        try:
            return self.backend.send(addresses, sms, out_id=out_id)
        except TransientSmsError as exc:
            raise TransientDeliveryError(
                str(exc), retry_after=exc.retry_after, maybe_accepted=exc.maybe_accepted
            ) from exc
        except InvalidNumberError as exc:
            raise InvalidRecipientError(str(exc), addresses=exc.numbers) from exc
        except PermanentSmsError as exc:
            raise PermanentDeliveryError(str(exc)) from exc

    def was_accepted(self, address, out_id, sent_on):
        return self.backend.was_accepted(address, out_id, sent_on)
