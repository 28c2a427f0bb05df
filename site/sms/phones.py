"""Mainland China mobile numbers, validated with phonenumbers and stored as 11 digits."""

import re

import phonenumbers
from phonenumbers import PhoneNumberType

from core.typed_input import nfkc

# After NFKC (full-width digits are typed by Chinese input methods): digits, spaces, hyphens,
# parentheses and a leading + only. phonenumbers.parse alone is lenient: it finds the number in
# "😀13800000000" and reads "13800000505#1234" as one with an extension.
TYPED = re.compile(r"\+?[0-9 ()\-]+")


class InvalidPhone(ValueError):
    pass


def normalise_mobile(raw: str) -> str:
    """ "+86 138-1234-1234" → "13812341234"; raises InvalidPhone with a Chinese message."""
    typed = nfkc(str(raw)).strip()
    if not TYPED.fullmatch(typed):
        raise InvalidPhone("请填写正确的手机号码。")
    try:
        number = phonenumbers.parse(typed, "CN")
    except phonenumbers.NumberParseException:
        raise InvalidPhone("请填写正确的手机号码。") from None
    if number.country_code != 86 or not phonenumbers.is_valid_number(number):
        raise InvalidPhone("请填写中国大陆的手机号码（11位）。")
    if phonenumbers.number_type(number) not in (
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise InvalidPhone("只能用手机号码订阅短信，固定电话收不到短信。")
    return str(number.national_number)
