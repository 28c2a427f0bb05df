"""Replay protection for the callback (`/wechat/`), across processes.

WeChat signs a callback's timestamp and nonce, and repeats a message it got no answer to within
five seconds, up to three times. The callback view therefore:

1. refuses a timestamp more than WINDOW seconds from now (`check_timestamp`): an old signed
   request cannot be replayed later;
2. takes a (timestamp, nonce) pair once (`nonce_is_new`): not twice within the window;
3. takes a message once (`message_is_new`, by MsgId, or sender and CreateTime for events): a
   retry is answered without being acted on again.

2 and 3 are one INSERT … ON CONFLICT DO NOTHING each (`first_sighting`), atomic whatever the
number of processes, on SQLite and PostgreSQL alike. Call them inside the transaction that does
the message's work: if that work fails and rolls back, the sighting goes with it and WeChat's
retry is handled afresh; a concurrent retry waits for the first to commit (PostgreSQL's unique
index; SQLite's write lock) and then finds it seen.
"""

import hashlib
import time
from datetime import timedelta

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import CallbackRejected
from .messages import IncomingMessage
from .models import SeenCallback

WINDOW = 300  # seconds a callback's timestamp may be off from now, either way
RETENTION = timedelta(days=1)  # far longer than the window and WeChat's retries

# wechat_seencallback is SeenCallback's table. RETURNING yields a row only when inserted.
INSERT = """
    INSERT INTO wechat_seencallback (key, seen_at) VALUES (%s, %s)
    ON CONFLICT (key) DO NOTHING
    RETURNING id
"""


def check_timestamp(timestamp: str) -> None:
    """CallbackRejected unless `timestamp` (Unix seconds) is within WINDOW of now."""
    if not timestamp.isdigit() or abs(int(timestamp) - time.time()) > WINDOW:
        raise CallbackRejected(_("微信回调的时间戳已过期或无效"))


def first_sighting(kind: str, value: str) -> bool:
    """Record (kind, value) as seen: True the first time, False ever after (until purged)."""
    digest = hashlib.sha256(value.encode()).hexdigest()[:48]
    with connection.cursor() as cursor:  # one statement: atomic on its own
        cursor.execute(INSERT, [f"{kind}:{digest}", timezone.now()])
        return cursor.fetchone() is not None


def nonce_is_new(timestamp: str, nonce: str) -> bool:
    """Whether this signed (timestamp, nonce) pair comes for the first time."""
    return first_sighting("nonce", f"{timestamp}:{nonce}")


def message_is_new(message: IncomingMessage) -> bool:
    """Whether this message (or event) comes for the first time, WeChat's retries aside."""
    return first_sighting("message", message.dedup_key)


def purge_seen() -> int:
    """Daily: sightings older than RETENTION, long past any replay the checks must catch."""
    cutoff = timezone.now() - RETENTION
    return SeenCallback.objects.filter(seen_at__lt=cutoff).delete()[0]
