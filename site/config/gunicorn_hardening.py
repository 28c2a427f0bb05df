"""gunicorn as the site runs it (deploy/gunicorn.conf.py): its logs escaped and without query
strings, and no `Server` header naming it.

gunicorn writes PATH_INFO into the access log raw (a `%0d%0a` in the path forges a line) and
its "Invalid request" warning and "Error handling request" error quote the whole request line,
query string included. gunicorn has no setting for either, nor for its `Server: gunicorn`
header, which tells a scanner which server and (with a version) which vulnerabilities to try."""

from gunicorn.glogging import Logger
from gunicorn.http import wsgi

from config.log_safety import SafeFormatter


class SafeLogger(Logger):
    """gunicorn's logger with every handler's formatter replaced by `SafeFormatter` (same
    format): each error and access line is escaped and loses its query strings, whatever the
    message or the access-log format."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                formatter = handler.formatter
                handler.setFormatter(
                    SafeFormatter(formatter._fmt if formatter else None, self.datefmt)
                )


def drop_server_header() -> None:
    """Responses without gunicorn's `Server` line (the proxy in front may add its own)."""
    default_headers = wsgi.Response.default_headers
    if getattr(default_headers, "drops_server_header", False):
        return

    def without_server(response):
        return [line for line in default_headers(response) if not line.startswith("Server:")]

    without_server.drops_server_header = True
    wsgi.Response.default_headers = without_server
