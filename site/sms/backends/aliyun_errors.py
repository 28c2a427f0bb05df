"""Which `SmsError` an Aliyun Dysmsapi error code becomes.

The rule of thumb for codes not listed: `isv.*` codes describe the customer's account, sign
name, template, content or numbers, which a retry does not change, so they are permanent;
anything else unknown (gateway and platform codes) is taken as transient, and the dispatcher's
retry cap bounds the cost of being wrong.
"""

from django.utils.translation import gettext as _

from ..base import InvalidNumberError, PermanentSmsError, SmsError, TransientSmsError

INVALID_NUMBER_CODES = frozenset({"isv.MOBILE_NUMBER_ILLEGAL"})

TRANSIENT_CODES = frozenset(
    {
        "isv.BUSINESS_LIMIT_CONTROL",  # frequency control per number / per account
        "Throttling",
        "Throttling.User",
        "Throttling.Api",
        "ServiceUnavailable",
        "InternalError",
        "SignatureNonceUsed",  # a replayed nonce; a retry signs with a fresh one
    }
)

PERMANENT_CODES = frozenset(
    {
        "SignatureDoesNotMatch",  # wrong AccessKey secret
        "IncompleteSignature",
        "isp.RAM_PERMISSION_DENY",  # the only isp.* code a retry cannot fix
        # More numbers than one call takes: `max_batch` is misconfigured. Not InvalidNumberError,
        # since no number is at fault and bisecting would hide the configuration bug.
        "isv.MOBILE_COUNT_OVER_LIMIT",
    }
)

# Checked after the exact codes above, in this order.
PREFIXES: tuple[tuple[str, type[SmsError]], ...] = (
    # InvalidAccessKeyId.NotFound / .Inactive, InvalidTimeStamp.Expired (the server clock is
    # off), InvalidParameter, MissingXxx: credentials, clock or our own request are wrong.
    ("Invalid", PermanentSmsError),
    ("Missing", PermanentSmsError),
    ("Forbidden", PermanentSmsError),
    ("isp.", TransientSmsError),  # isp.SYSTEM_ERROR and other platform errors
    # Account, balance, sign name, template, content; also isv.DAY_LIMIT_CONTROL and
    # isv.MONTH_LIMIT_CONTROL, the caps set in the console, which staff must raise.
    ("isv.", PermanentSmsError),
)


def error_class(code: str) -> type[SmsError]:
    if code in INVALID_NUMBER_CODES:
        return InvalidNumberError
    if code in TRANSIENT_CODES:
        return TransientSmsError
    if code in PERMANENT_CODES:
        return PermanentSmsError
    for prefix, cls in PREFIXES:
        if code.startswith(prefix):
            return cls
    return TransientSmsError


def error_for(
    code: str, message: str, *, batch: tuple[str, ...] = (), retry_after: float | None = None
) -> SmsError:
    """The error to raise for `code`; `message` must already have its numbers masked."""
    cls = error_class(code)
    text = _("阿里云短信接口返回 %(code)s：%(message)s") % {"code": code, "message": message}
    if cls is InvalidNumberError:
        # A one-number batch names its bad number even though Aliyun does not.
        return InvalidNumberError(text, numbers=batch if len(batch) == 1 else ())
    if cls is TransientSmsError:
        return TransientSmsError(text, retry_after=retry_after)
    return cls(text)
