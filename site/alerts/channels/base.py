"""The contract between dispatch and a channel.

A channel is a small class: a registered `name`, how many recipients one provider call carries
(`max_batch`), how many calls may run at once (`concurrency`) and how fast (`rate`), who its
recipients are for a notice (`audience`), what it sends (`render`, `preview`) and how it sends
(`send`). Dispatch (`alerts.dispatch`) knows nothing more about it: the same ledger, claims,
retries and recovery serve every channel, and adding one means writing and registering a class
(`alerts.channels.registry.register`), never editing dispatch.

A channel reports failures as one of the errors below; dispatch acts on the kind: retry later,
fail the named recipients alone, end the recipients' subscription, or stop the message.
Addresses (phone numbers, openids, e-mail addresses, robot keys) are personal data or secrets:
error messages, which staff see in the admin, never contain one."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from django.db.models import QuerySet


@dataclass(frozen=True)
class Content:
    """What one message of a channel says: the full text a recipient reads, and for template
    channels the provider's template id and its fields; `link` opens the notice."""

    text: str
    template_code: str = ""
    params: dict[str, str] = field(default_factory=dict)
    link: str = ""


class DeliveryError(Exception):
    """A failed call. The message is shown to staff: it never contains an address."""


class TransientDeliveryError(DeliveryError):
    """Timeouts, connection errors, 5xx, throttling, "system busy": retry later. A timeout
    after the request went out leaves open whether the provider took it (`maybe_accepted`):
    the rows stay claimed and recovery asks the channel (`was_accepted`)."""

    def __init__(
        self, message: str = "", *, retry_after: float | None = None, maybe_accepted: bool = False
    ):
        super().__init__(message)
        self.retry_after = retry_after
        self.maybe_accepted = maybe_accepted


class InvalidRecipientError(DeliveryError):
    """The provider refused the call because of at least one recipient. `addresses` names
    them when known; else dispatch splits the batch until the bad one is alone."""

    def __init__(self, message: str = "", *, addresses: Iterable[str] = ()):
        super().__init__(message)
        self.addresses = frozenset(addresses)


class RecipientGoneError(DeliveryError):
    """The recipient cannot be reached any more (a follower who unfollowed, WeChat 43004):
    failed, never retried, and the channel ends the subscription (`recipient_gone`)."""


class PermanentDeliveryError(DeliveryError):
    """Can never succeed as configured (credentials, template, signature): stop the message's
    sending and tell staff; a retry from the admin starts it again once fixed."""


class Channel:
    name: ClassVar[str]  # registry key, stored on every message
    label: ClassVar[str]  # what staff read
    order: ClassVar[int] = 100  # column order in the admin
    max_batch: ClassVar[int] = 1  # recipients per provider call
    concurrency: ClassVar[int] = 1  # provider calls at once within one task
    rate: ClassVar[float] = 0  # provider calls per second within one task (0: unpaced)
    # After a crash between a call and its record, when the provider cannot say whether it took
    # the call: send again (a late message beats a lost one, SMS) or not (never twice).
    resend_unconfirmed: ClassVar[bool] = True
    # How long the provider drops a second call carrying the same out_id (WeChat's
    # client_msg_id: 10 minutes): within it, recovery repeats an unconfirmed call as it was,
    # safely; after it, `resend_unconfirmed` decides.
    idempotency_window: ClassVar[datetime.timedelta | None] = None

    def __init__(self, backend=None):
        """`backend`: the provider client; None builds the configured one when first needed."""
        self._backend = backend

    @property
    def backend(self):
        if self._backend is None:
            self._backend = self.build_backend()
        return self._backend

    @classmethod
    def is_enabled(cls) -> bool:
        """Whether new messages are written for this channel (its settings are present)."""
        return True

    def build_backend(self):
        return None

    def audience(self, notice) -> QuerySet:
        """The notice's recipients as a queryset of `values(recipient_id=...)` rows, one per
        recipient: dispatch inserts the deliveries from it in one INSERT ... SELECT."""
        raise NotImplementedError

    def addresses(self, recipient_ids: Sequence[int]) -> dict[int, str]:
        """Where to send each recipient; a recipient gone since the fan-out is left out."""
        raise NotImplementedError

    def render(self, notice, event: str, update=None) -> Content:
        raise NotImplementedError

    def preview(self, notice) -> dict:
        """What editors see before approval: `text`, `length`, `fields` (template fields and
        their values) and `note` (billing, limits)."""
        content = self.render(notice, "published")
        return {
            "text": content.text,
            "length": len(content.text),
            "fields": content.params,
            "note": "",
        }

    def send(self, addresses: Sequence[str], content: Content, *, out_id: str) -> str:
        """One provider call for `addresses` (at most `max_batch`); the provider's id for it.
        Raises the `DeliveryError` subclasses above."""
        raise NotImplementedError

    def was_accepted(self, address: str, out_id: str, sent_on: datetime.date) -> bool | None:
        """After a crash: did the provider take the call tagged `out_id`? None: cannot tell."""
        return None

    def recipient_gone(self, addresses: Sequence[str]) -> None:
        """The provider says these recipients left (RecipientGoneError): end their subscription."""
