"""A record of the calls a local backend accepted, one JSON line per call, and the answer to
"did it accept the call tagged `out_id` for this number?" read back from it: the file backend's
output and the console backend's journal.

No number is kept in clear. Each number of a call is kept as its `number_key`, an HMAC of the
number keyed with `SECRET_KEY` (Django's `salted_hmac`), which matches a number asked about
and cannot be turned back into one without the key; keys made with a key in
`SECRET_KEY_FALLBACKS` still match, so rotating the key does not make recovery resend.

Several processes (a cluster's workers) append to one file: each append holds an exclusive
`flock` and writes its line with one `write()`. A process killed in the middle of writing leaves
at most an incomplete last line; the next append first ends it with a newline, so it never runs
into the next record. A line that is not a whole JSON object was never accepted: the call that
was writing it did not return."""

import fcntl
import json
import os
from pathlib import Path

from django.utils.crypto import salted_hmac

from core.secret_keys import secret_keys

KEY_SALT = "sms.backends.journal.number_key"
KEY_LENGTH = 16  # hex digits, 64 bits: two of a city's numbers sharing a key is out of reach


def number_key(number: str, secret: str | None = None) -> str:
    """The number as the journal keeps it (with `SECRET_KEY` unless `secret` is given)."""
    return salted_hmac(KEY_SALT, number, secret=secret, algorithm="sha256").hexdigest()[:KEY_LENGTH]


def number_keys(numbers) -> list[str]:
    return [number_key(number) for number in numbers]


def append(path: Path, record: dict) -> None:
    """Append `record` as one line; it is in the file (the kernel's) when this returns."""
    line = (json.dumps(record, ensure_ascii=False) + "\n").encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        size = os.fstat(descriptor).st_size
        if size and os.pread(descriptor, 1, size - 1) != b"\n":
            line = b"\n" + line  # end the line a killed writer left incomplete
        view = memoryview(line)
        while view:
            view = view[os.write(descriptor, view) :]
    finally:
        os.close(descriptor)  # releases the lock


def records(path: Path, out_id: str):
    """The whole records tagged `out_id`, in the order written. Only lines that mention the
    out_id are parsed, so a long journal is read at the speed of the disk."""
    needle = json.dumps(out_id).encode()
    with path.open("rb") as file:
        for line in file:
            if needle not in line:
                continue
            try:
                record = json.loads(line)
            except ValueError:  # an incomplete line: its call never returned
                continue
            if isinstance(record, dict) and record.get("out_id") == out_id:
                yield record


def was_accepted(path: Path, number: str, out_id: str) -> bool | None:
    """Whether a whole record tagged `out_id` holds `number`; None when the journal cannot be
    read. A missing journal is an answer (nothing was accepted), not a failure to read."""
    keys = {number_key(number, secret) for secret in secret_keys()}
    try:
        return any(
            isinstance(kept := record.get("number_keys"), list) and not keys.isdisjoint(kept)
            for record in records(path, out_id)
        )
    except FileNotFoundError:
        return False
    except OSError:
        return None
