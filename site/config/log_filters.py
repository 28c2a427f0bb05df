"""Logging filters named in settings.LOGGING."""

import logging


class OneLineWarning(logging.Filter):
    """A record that is expected noise, not a fault: a warning without its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        return True
