"""What the notices app announces, for other apps (alerts) to act on. Sent only after the
transaction that made the change has committed, so a listener never sees a rolled-back state."""

from django.dispatch import Signal

# A notice's revision really went live (not merely scheduled). Args: notice_id, first_time.
notice_published = Signal()

# A timeline entry was recorded. Args: notice_id, update_id, was_major.
notice_updated = Signal()
