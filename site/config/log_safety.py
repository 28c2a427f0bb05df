"""What a log line may contain: nothing that forges another line, and no query string.

A path is the client's to choose, percent-encoded or not: `/x%0d%0a2026-12-05 ERROR …` puts a
carriage return and a line feed into PATH_INFO, and a log that writes it raw shows a line the
site never wrote. Query strings carry what residents type (a phone number into a search box),
and a phone number must never land in a log. Used by Django's log formatter
(`settings.LOGGING`) and by gunicorn's logger (`config.gunicorn_logging`)."""

import logging
import re
import traceback

# C0 controls, DEL, C1 controls and the Unicode line and paragraph separators: everything a
# terminal or a log viewer may take for a new line or an escape sequence.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# A query string: from "?" to the next space or quote (a request line, a quoted URL).
_QUERY = re.compile(r"\?[^\s'\"]*")
QUERY_OMITTED = "?…"


def escape_controls(text: str) -> str:
    """`text` with each control character written as an escape (`\\r`, `\\x00`, `\\u2028`)."""
    return _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode(), text)


def without_query(text: str) -> str:
    """`text` with every query string replaced by `?…`."""
    return _QUERY.sub(QUERY_OMITTED, text)


def safe(text: str) -> str:
    return escape_controls(without_query(text))


# What Python writes between the parts of a traceback, on lines of their own.
_TRACEBACK_LINES = (
    "Traceback (most recent call last):",
    "During handling of the above exception, another exception occurred:",
    "The above exception was the direct cause of the following exception:",
)


class SafeFormatter(logging.Formatter):
    """Formats the message escaped and without query strings. A traceback that follows keeps
    the line breaks Python puts between its frames, while each exception's own message (which
    may quote what a client sent) is escaped into one line."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = safe(record.message)
        return super().formatMessage(record)

    def formatException(self, exc_info) -> str:
        parts = []
        for part in traceback.TracebackException(*exc_info).format():
            if part.startswith("  ") or part.strip() in _TRACEBACK_LINES:  # frames, headers
                parts.append("\n".join(safe(line) for line in part.split("\n")))
            else:  # an exception's type and message
                parts.append(safe(part.rstrip("\n")) + "\n")
        return "".join(parts).rstrip("\n")
