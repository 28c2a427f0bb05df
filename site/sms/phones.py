"""Mainland China mobile numbers, validated with phonenumbers and stored as 11 digits."""

import phonenumbers
from phonenumbers import PhoneNumberType


class InvalidPhone(ValueError):
    pass


def normalise_mobile(raw: str) -> str:
    """ "+86 138-1234-1234" → "13812341234"; raises InvalidPhone with a Chinese message."""
    try:
        number = phonenumbers.parse(str(raw).strip(), "CN")
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
