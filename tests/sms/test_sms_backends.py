"""The SMS sending layer: billing parts, masking, backend selection, the console, file and
locmem backends, and the Aliyun backend against the local stand-in of the Aliyun API."""

import datetime
import io
import json
import logging

import pytest
import requests
from django.conf import settings
from django.test import override_settings

from sms import (
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
from sms.backends import locmem
from sms.backends.aliyun import AliyunBackend, signature
from sms.backends.aliyun_errors import error_class
from sms.backends.console import ConsoleBackend
from sms.backends.file import FileBackend
from sms.backends.locmem import LocmemBackend
from standins.aliyun_sms import CHINA, AliyunSmsStandin
from tests.support import ALIYUN_SIGNATURE_EXAMPLE

pytestmark = pytest.mark.clock

KEY_ID, SECRET = "test-key-id", "test-secret"
NUMBERS = [f"138{i:08d}" for i in range(1000)]
CONTENT = SmsContent(
    template_code="SMS_0001",
    params={"area": "星宇小区", "start": "10月13日8:00"},
    text="【长春热力】星宇小区10月13日8:00起停热，望周知。",
)


def today_in_china() -> datetime.date:
    return datetime.datetime.now(CHINA).date()


# Billing parts and masking


@pytest.mark.parametrize(("length", "parts"), [(1, 1), (70, 1), (71, 2), (134, 2), (135, 3)])
def test_sms_parts_counts_70_then_67_per_part(length, parts):
    assert sms_parts("热" * length) == parts


def test_sms_parts_counts_an_emoji_as_two_units():
    assert sms_parts("🔥" * 35) == 1  # 70 units
    assert sms_parts("热" * 69 + "🔥") == 2  # 71 units
    assert sms_parts("🔥" * 67) == 2  # 134 units
    assert sms_parts("🔥" * 67 + "热") == 3


def test_mask_number():
    assert mask_number("13812341234") == "138****1234"
    assert mask_number("1234") == "****"


def test_mask_numbers_in_text_leaves_other_digits():
    text = "号码13812341234非法；编号201310001234567不变"
    assert mask_numbers_in(text) == "号码138****1234非法；编号201310001234567不变"


# Choosing a backend


def test_get_backend_defaults_to_console():
    with override_settings():
        for name in ("SMS_BACKEND", "SMS_BACKEND_OPTIONS"):
            if hasattr(settings, name):
                delattr(settings, name)
        assert isinstance(get_backend(), ConsoleBackend)


@override_settings(
    SMS_BACKEND="sms.backends.locmem.LocmemBackend", SMS_BACKEND_OPTIONS={"max_batch": 5}
)
def test_get_backend_reads_settings_and_lets_options_override():
    assert get_backend().max_batch == 5
    assert get_backend(max_batch=7).max_batch == 7
    # Options in settings belong to the configured backend, not to one named explicitly.
    assert get_backend("sms.backends.locmem.LocmemBackend").max_batch == 1000


def test_get_backend_rejects_typos_and_non_backends():
    with pytest.raises(TypeError, match="max_bacth"):
        get_backend("sms.backends.locmem.LocmemBackend", max_bacth=5)
    with pytest.raises(ValueError, match="max_batch"):
        get_backend("sms.backends.locmem.LocmemBackend", max_batch=1001)
    with pytest.raises(TypeError, match="not an SMS backend"):
        get_backend("sms.base.SmsContent")


# Console, file and locmem backends


def test_console_backend_prints_masked_numbers_and_the_text(tmp_path):
    stream = io.StringIO()
    backend = ConsoleBackend(stream=stream, journal=tmp_path / "journal.jsonl")
    provider_id = backend.send(NUMBERS[:2], CONTENT, out_id="n1-0")
    output = stream.getvalue()
    assert provider_id in output and "n1-0" in output
    assert "138****0000" in output and "138****0001" in output
    assert CONTENT.text in output
    assert NUMBERS[0] not in output
    # Its journal: tests/sms/test_was_accepted.py


def test_console_backend_writes_to_stdout_by_default(capsys, tmp_path):
    ConsoleBackend(journal=tmp_path / "journal.jsonl").send(NUMBERS[:1], CONTENT, out_id="n1-0")
    assert CONTENT.text in capsys.readouterr().out


def test_file_backend_appends_one_json_line_per_call(tmp_path):
    path = tmp_path / "sms" / "outbox.jsonl"
    backend = FileBackend(path=path)
    first = backend.send(NUMBERS[:3], CONTENT, out_id="n1-0")
    backend.send(NUMBERS[3:4], CONTENT, out_id="n1-1")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    record = json.loads(lines[0])
    assert record["numbers"] == ["138****0000", "138****0001", "138****0002"]
    assert record["out_id"] == "n1-0" and record["provider_id"] == first
    assert record["text"] == CONTENT.text and record["timestamp"]
    assert NUMBERS[0] not in path.read_text(encoding="utf-8")
    assert backend.max_batch == 1000


def test_locmem_backend_keeps_calls_and_answers_was_accepted(outbox):
    backend = LocmemBackend()
    provider_id = backend.send(NUMBERS[:3], CONTENT, out_id="n1-0")
    assert outbox == [(tuple(NUMBERS[:3]), CONTENT, "n1-0", provider_id)]
    assert backend.was_accepted(NUMBERS[1], "n1-0", today_in_china()) is True
    assert backend.was_accepted(NUMBERS[1], "n1-1", today_in_china()) is False
    assert backend.was_accepted(NUMBERS[5], "n1-0", today_in_china()) is False


def test_locmem_backend_checks_the_batch_size(outbox):
    backend = LocmemBackend(max_batch=2)
    with pytest.raises(ValueError, match=r"1\.\.2"):
        backend.send(NUMBERS[:3], CONTENT, out_id="n1-0")
    with pytest.raises(ValueError):
        backend.send([], CONTENT, out_id="n1-0")
    assert outbox == []


def test_locmem_backend_fails_on_demand(outbox):
    backend = LocmemBackend()
    locmem.invalid_numbers.add(NUMBERS[1])
    with pytest.raises(InvalidNumberError) as batch_error:
        backend.send(NUMBERS[:3], CONTENT, out_id="n1-0")
    assert batch_error.value.numbers == frozenset()  # like Aliyun: bisect to find it
    with pytest.raises(InvalidNumberError) as single_error:
        backend.send(NUMBERS[1:2], CONTENT, out_id="n1-0")
    assert single_error.value.numbers == {NUMBERS[1]}
    locmem.fail_next(TransientSmsError("限流", retry_after=2), PermanentSmsError("模板"))
    with pytest.raises(TransientSmsError):
        backend.send(NUMBERS[:1], CONTENT, out_id="n1-0")
    with pytest.raises(PermanentSmsError):
        backend.send(NUMBERS[:1], CONTENT, out_id="n1-0")
    backend.send(NUMBERS[:1], CONTENT, out_id="n1-0")
    assert len(outbox) == 1
    locmem.reset()
    assert not locmem.invalid_numbers


# Aliyun: signature and error codes


def test_signature_matches_the_aliyun_documentation_example():
    example = ALIYUN_SIGNATURE_EXAMPLE
    assert signature(example["params"], example["secret"], "GET") == example["signature"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("isv.MOBILE_NUMBER_ILLEGAL", InvalidNumberError),
        ("isv.BUSINESS_LIMIT_CONTROL", TransientSmsError),
        ("Throttling.User", TransientSmsError),
        ("isp.SYSTEM_ERROR", TransientSmsError),
        ("isp.GATEWAY_ERROR", TransientSmsError),
        ("ServiceUnavailable", TransientSmsError),
        ("SignatureNonceUsed", TransientSmsError),
        ("SomethingNew", TransientSmsError),
        ("SignatureDoesNotMatch", PermanentSmsError),
        ("InvalidAccessKeyId.NotFound", PermanentSmsError),
        ("InvalidAccessKeyId.Inactive", PermanentSmsError),
        ("InvalidTimeStamp.Expired", PermanentSmsError),
        ("MissingPhoneNumbers", PermanentSmsError),
        ("isp.RAM_PERMISSION_DENY", PermanentSmsError),
        ("isv.MOBILE_COUNT_OVER_LIMIT", PermanentSmsError),
        ("isv.SMS_SIGNATURE_ILLEGAL", PermanentSmsError),
        ("isv.SMS_TEMPLATE_ILLEGAL", PermanentSmsError),
        ("isv.ACCOUNT_NOT_EXISTS", PermanentSmsError),
        ("isv.ACCOUNT_ABNORMAL", PermanentSmsError),
        ("isv.DAY_LIMIT_CONTROL", PermanentSmsError),
        ("isv.AMOUNT_NOT_ENOUGH", PermanentSmsError),
        ("isv.SOMETHING_NEW", PermanentSmsError),
    ],
)
def test_error_codes_map_to_error_classes(code, expected):
    assert error_class(code) is expected


def fake_response(status: int, body: bytes, headers: dict | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body
    response.headers.update(headers or {})
    return response


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (502, b"<html>Bad Gateway</html>", TransientSmsError),
        (500, b'{"Code":"OK"}', TransientSmsError),
        (429, b"Too Many Requests", TransientSmsError),
        (200, b"<html>captive portal</html>", TransientSmsError),
        (404, b"<html>Not Found</html>", PermanentSmsError),
        (400, b'{"Code":"Throttling.User","Message":"Request was denied."}', TransientSmsError),
    ],
)
def test_unexpected_http_answers(status, body, expected):
    backend = AliyunBackend(access_key_id=KEY_ID, access_key_secret=SECRET, sign_name="长春热力")
    with pytest.raises(expected):
        backend._parse(fake_response(status, body), ())


# Aliyun against the stand-in


@pytest.fixture
def standin():
    with AliyunSmsStandin(KEY_ID, SECRET, timeout_delay=3) as server:
        yield server


def aliyun(standin, **options) -> AliyunBackend:
    options = {"access_key_id": KEY_ID, "access_key_secret": SECRET, **options}
    return AliyunBackend(sign_name="长春热力", endpoint=standin.endpoint, **options)


def test_send_returns_the_biz_id_and_reaches_every_number_in_one_call(standin):
    biz_id = aliyun(standin).send(NUMBERS, CONTENT, out_id="n1-0")
    assert biz_id.endswith("^0")
    assert standin.calls == {"SendSms": 1}
    assert standin.message_count == 1000
    for number in (NUMBERS[0], NUMBERS[500], NUMBERS[-1]):
        [record] = standin.sent_to(number)
        assert (record.out_id, record.biz_id) == ("n1-0", biz_id)
        assert record.template_code == "SMS_0001" and record.params == CONTENT.params
        assert record.sign_name == "长春热力"


def test_batches_reuse_one_connection(standin):
    backend = aliyun(standin)
    for index in range(3):
        backend.send(NUMBERS[:10], CONTENT, out_id=f"n1-{index}")
    assert len(backend.session.adapters["http://"].poolmanager.pools) == 1
    assert standin.calls == {"SendSms": 3}


def test_more_numbers_than_max_batch_are_refused_before_any_call(standin):
    with pytest.raises(ValueError):
        aliyun(standin, max_batch=10).send(NUMBERS[:11], CONTENT, out_id="n1-0")
    with pytest.raises(ValueError, match="max_batch"):
        aliyun(standin, max_batch=1001)
    assert standin.calls == {}


@pytest.mark.parametrize("kind", ["5xx", "throttle", "isp.SYSTEM_ERROR"])
def test_transient_faults(standin, kind):
    standin.fail_next(1, kind)
    backend = aliyun(standin)
    with pytest.raises(TransientSmsError):
        backend.send(NUMBERS[:5], CONTENT, out_id="n1-0")
    assert standin.message_count == 0
    backend.send(NUMBERS[:5], CONTENT, out_id="n1-0")  # the retry goes through
    assert standin.message_count == 5


def test_5xx_passes_retry_after_on(standin):
    standin.fail_next(1, "5xx")
    with pytest.raises(TransientSmsError) as error:
        aliyun(standin).send(NUMBERS[:5], CONTENT, out_id="n1-0")
    assert error.value.retry_after == 1.0


def test_timeout_is_transient_and_was_accepted_tells_whether_it_went_through(standin):
    backend = aliyun(standin, timeout=0.3)
    standin.fail_next(1, "timeout")
    with pytest.raises(TransientSmsError):
        backend.send(NUMBERS[:5], CONTENT, out_id="n1-0")
    assert backend.was_accepted(NUMBERS[0], "n1-0", today_in_china()) is False

    standin.timeout_after_accept = True
    standin.fail_next(1, "timeout")
    with pytest.raises(TransientSmsError):
        backend.send(NUMBERS[:5], CONTENT, out_id="n1-1")
    assert backend.was_accepted(NUMBERS[0], "n1-1", today_in_china()) is True


def test_unreachable_provider_is_transient(standin):
    backend = aliyun(standin)
    standin.stop()
    with pytest.raises(TransientSmsError):
        backend.send(NUMBERS[:5], CONTENT, out_id="n1-0")
    assert backend.was_accepted(NUMBERS[0], "n1-0", today_in_china()) is None


def test_an_invalid_number_refuses_the_whole_batch(standin):
    standin.invalid_numbers.add(NUMBERS[3])
    backend = aliyun(standin)
    with pytest.raises(InvalidNumberError) as batch_error:
        backend.send(NUMBERS[:5], CONTENT, out_id="n1-0")
    assert batch_error.value.numbers == frozenset()  # Aliyun does not say which
    with pytest.raises(InvalidNumberError) as single_error:
        backend.send(NUMBERS[3:4], CONTENT, out_id="n1-0")
    assert single_error.value.numbers == {NUMBERS[3]}
    assert standin.message_count == 0


@pytest.mark.parametrize(
    ("options", "standin_setting"),
    [
        ({"access_key_secret": "wrong-secret"}, {}),
        ({"access_key_id": "unknown-key"}, {}),
        ({}, {"sign_names": {"别的热力"}}),
        ({}, {"template_codes": {"SMS_9999"}}),
    ],
)
def test_permanent_faults(standin, options, standin_setting):
    for name, value in standin_setting.items():
        setattr(standin, name, value)
    with pytest.raises(PermanentSmsError):
        aliyun(standin, **options).send(NUMBERS[:5], CONTENT, out_id="n1-0")
    assert standin.message_count == 0


def test_was_accepted(standin):
    backend = aliyun(standin)
    backend.send(NUMBERS[:5], CONTENT, out_id="n1-0")
    today = today_in_china()
    assert backend.was_accepted(NUMBERS[2], "n1-0", today) is True
    assert backend.was_accepted(NUMBERS[2], "n1-1", today) is False
    assert backend.was_accepted(NUMBERS[7], "n1-0", today) is False
    assert backend.was_accepted(NUMBERS[2], "n1-0", today - datetime.timedelta(days=1)) is False
    standin.fail_next(1, "5xx", action="QuerySendDetails")
    assert backend.was_accepted(NUMBERS[2], "n1-0", today) is None


def test_was_accepted_reads_past_the_first_page(standin):
    backend = aliyun(standin)
    for index in range(60):
        backend.send(NUMBERS[:1], CONTENT, out_id=f"n1-{index}")
    assert backend.was_accepted(NUMBERS[0], "n1-59", today_in_china()) is True
    assert backend.was_accepted(NUMBERS[0], "n1-60", today_in_china()) is False
    assert standin.calls["QuerySendDetails"] == 4


def test_no_full_number_or_secret_in_logs_or_errors(standin, caplog):
    caplog.set_level(logging.DEBUG)  # urllib3 logs request lines at DEBUG
    backend = aliyun(standin, timeout=0.3)
    standin.invalid_numbers.add(NUMBERS[1])
    errors = []
    for kind in ("5xx", "timeout", "throttle", "isv.SMS_TEMPLATE_ILLEGAL", None):
        if kind:
            standin.fail_next(1, kind)
        with pytest.raises(SmsError) as error:
            backend.send(NUMBERS[:3], CONTENT, out_id="n1-0")
        errors.append(str(error.value))
    standin.fail_next(1, "5xx", action="QuerySendDetails")
    assert backend.was_accepted(NUMBERS[1], "n1-0", today_in_china()) is None
    standin.invalid_numbers.clear()
    backend.send(NUMBERS[:3], CONTENT, out_id="n1-1")
    assert "SendSms n1-0 to 3 numbers failed" in caplog.text
    assert '"POST / HTTP/1.1"' in caplog.text  # urllib3's request line: numbers are in the body
    assert "138****0001" in caplog.text
    for text in [caplog.text, *errors]:
        assert not any(number in text for number in NUMBERS[:3])
        assert SECRET not in text
