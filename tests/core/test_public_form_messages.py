"""Every public form answers bad input in its own Chinese: no field ever shows one of Django's
default messages (which read oddly in Chinese: 不允许是用空字符串。 for a NUL byte), and an
error on a hidden field is shown where the resident can read it."""

import inspect
import re

import pytest
from django import forms
from django.core import validators
from django.utils import translation

from alerts.forms import SubscribeForm
from fees.forms import AreaForm, HeatingFeeForm, RefundForm, ResumeFeeForm
from fees.models import FeeSeasonPage
from servicedesk.enums import RequestKind
from servicedesk.forms import LookupForm, RatingForm, ServiceRequestForm
from servicedesk.kinds import RULES
from sms.forms import VerifyForm

pytestmark = pytest.mark.django_db


def season():
    return FeeSeasonPage.objects.live().order_by("-starts_on").first()


PUBLIC_FORMS = {
    "subscribe": lambda data: SubscribeForm(data),
    "verify": lambda data: VerifyForm(data),
    "service request": lambda data: ServiceRequestForm(data, rule=RULES[RequestKind.TEMPERATURE]),
    "lookup": lambda data: LookupForm(data),
    "rating": lambda data: RatingForm(data),
    "heating fee": lambda data: HeatingFeeForm(data, season=season()),
    "resume fee": lambda data: ResumeFeeForm(data, season=season()),
    "refund": lambda data: RefundForm(data, season=season()),
    "area": lambda data: AreaForm(data, season=season()),
}


def _django_defaults() -> list:
    """Django's own message objects: every form field's defaults and the validators'."""
    defaults = []
    fields = [forms.Field]
    while fields:
        field = fields.pop()
        defaults += field.default_error_messages.values()
        fields += field.__subclasses__()
    for name, validator in inspect.getmembers(validators, inspect.isclass):
        if name.endswith("Validator"):
            defaults += [
                getattr(validator, "message", None),
                *getattr(validator, "messages", {}).values(),
            ]
    return [message for message in defaults if message is not None]


DJANGO_DEFAULTS = _django_defaults()


def bad_values(field: forms.Field) -> list[str]:
    values = ["", "\x00", "有\x00字", "x" * ((getattr(field, "max_length", None) or 100) + 1)]
    values += ["不是数字", "1e999", "-1", "9" * 30, "1.23456", "0.5", "９" * 20, "bogus"]
    return values


def errors_for(name: str, field_name: str, value: str):
    form = PUBLIC_FORMS[name]({field_name: value})
    form.is_valid()
    return [error for errors in form.errors.as_data().values() for error in errors]


@pytest.mark.parametrize("name", PUBLIC_FORMS)
def test_no_field_ever_answers_with_a_django_default_message(name):
    seen = 0
    with translation.override("zh-hans"):
        for field_name, field in PUBLIC_FORMS[name]({}).fields.items():
            for value in bad_values(field):
                for error in errors_for(name, field_name, value):
                    seen += 1
                    assert not any(error.message is default for default in DJANGO_DEFAULTS), (
                        f"{name}.{field_name}={value!r}: Django's “{error.message}” ({error.code})"
                    )
                    text = str(error.message) % (error.params or {})
                    assert re.search(r"[\u4e00-\u9fff]", text), text
                    assert "变量" not in text and "空字符串" not in text, text
    assert seen >= len(PUBLIC_FORMS[name]({}).fields)  # the bad values did produce errors


def test_a_nul_byte_is_named_in_the_field_s_own_words():
    with translation.override("zh-hans"):
        form = LookupForm({"reference": "2026\x001123", "phone_last4": "1234"})
        assert not form.is_valid()
        assert form.errors["reference"] == ["诉求编号含有无法识别的字符，请重新输入。"]
        form = ServiceRequestForm(
            {"description": "x" * 1001, "address": "x" * 61}, rule=RULES[RequestKind.TEMPERATURE]
        )
        assert not form.is_valid()
        assert form.errors["description"] == ["诉求内容最多1000字，请精简后再提交。"]


@pytest.mark.clock
def test_too_many_communities_in_the_hidden_field_is_said_on_the_page(client, clock):
    clock("2026-12-04T10:00")
    codes = ",".join(f"LY-{number:04d}" for number in range(1, 22))
    response = client.post(
        "/sms/subscribe/",
        {"phone": "13800000001", "utilities": ["heat"], "consent": "on", "communities": codes},
    )
    assert response.status_code == 400
    page = response.content.decode()
    message = "一次最多关注20个小区，请减少后再提交。"
    assert message in page
    assert 'role="alert"' in page.split(message)[0].rsplit("<div", 1)[1]
    over_limit = client.post(
        "/sms/subscribe/",
        {"phone": "13800000001", "utilities": ["heat"], "consent": "on", "communities": "X" * 401},
    )
    assert over_limit.status_code == 400
    assert message in over_limit.content.decode()
