"""Every body the site accepts is UTF-8: its forms are served as UTF-8 and browsers post them so.
Anything else is refused before a view sees it, rather than stored as mojibake."""

import codecs
from urllib.parse import unquote_to_bytes

from django.core.exceptions import BadRequest

FORM = "application/x-www-form-urlencoded"


def _is_utf8(charset: str) -> bool:
    try:
        return codecs.lookup(charset).name == "utf-8"
    except LookupError:
        return False


class Utf8BodyMiddleware:
    """400 (the site's 400 page) for a body that declares another charset, which Django would
    decode as declared (Latin-1: `ÿþÃ(`), and for a form post whose fields are not UTF-8, which
    Django would decode with replacement characters. Reading the body here also applies
    DATA_UPLOAD_MAX_MEMORY_SIZE before any view: too large is a 400 too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        charset = request.content_params.get("charset")
        if charset is not None and not _is_utf8(charset):
            raise BadRequest("request body is not UTF-8")
        if request.content_type == FORM:
            try:
                # Separators are ASCII, so the whole body decodes iff every field does.
                unquote_to_bytes(request.body).decode("utf-8")
            except UnicodeDecodeError:
                raise BadRequest("form fields are not UTF-8") from None
        return self.get_response(request)
