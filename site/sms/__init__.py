"""Sending SMS: the contract (`base`) and its backends (`backends.*`)."""

from .base import (
    BaseSmsBackend,
    InvalidNumberError,
    PermanentSmsError,
    SmsContent,
    SmsError,
    TransientSmsError,
    get_backend,
    mask_number,
    mask_numbers_in,
    sms_parts,
)

__all__ = [
    "BaseSmsBackend",
    "InvalidNumberError",
    "PermanentSmsError",
    "SmsContent",
    "SmsError",
    "TransientSmsError",
    "get_backend",
    "mask_number",
    "mask_numbers_in",
    "sms_parts",
]
