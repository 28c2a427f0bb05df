"""The local stand-in of the Aliyun SMS API, spoken to over raw HTTP: it checks signatures and
parameters, answers SendSms, SendBatchSms and QuerySendDetails, counts calls and fails on
demand."""

import json
import signal
import subprocess
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import requests

from standins.aliyun_sms import CHINA, AliyunSmsStandin, expected_signature
from tests.clock import python_at_suite_time
from tests.support import ALIYUN_SIGNATURE_EXAMPLE, ROOT

pytestmark = pytest.mark.clock

KEY_ID, SECRET = "standin-key", "standin-secret"
SCRIPT = ROOT / "standins" / "aliyun_sms.py"


@pytest.fixture
def standin():
    with AliyunSmsStandin(KEY_ID, SECRET) as server:
        yield server


def signed(action: str, *, secret: str = SECRET, method: str = "POST", **params) -> dict:
    params = {
        "AccessKeyId": KEY_ID,
        "Action": action,
        "Format": "JSON",
        "RegionId": "cn-hangzhou",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": uuid.uuid4().hex,
        "SignatureVersion": "1.0",
        "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Version": "2017-05-25",
        **params,
    }
    params["Signature"] = expected_signature(params, secret, method)
    return params


def send_sms(numbers, out_id="n1-0", **params) -> dict:
    defaults = {
        "PhoneNumbers": ",".join(numbers),
        "SignName": "长春热力",
        "TemplateCode": "SMS_0001",
        "TemplateParam": json.dumps({"area": "星宇小区"}, ensure_ascii=False),
        "OutId": out_id,
    }
    return signed("SendSms", **{**defaults, **params})


def query(number, *, page=1, day=None, **params) -> dict:
    return signed(
        "QuerySendDetails",
        PhoneNumber=number,
        SendDate=f"{day or datetime.now(CHINA):%Y%m%d}",
        PageSize="50",
        CurrentPage=str(page),
        **params,
    )


def post(standin, params: dict) -> dict:
    response = requests.post(standin.endpoint, data=params, timeout=5)
    return {"status": response.status_code, **response.json()}


def test_signature_matches_the_aliyun_documentation_example():
    example = ALIYUN_SIGNATURE_EXAMPLE
    assert expected_signature(example["params"], example["secret"], "GET") == example["signature"]


# Authentication


def test_get_requests_work_and_the_method_is_signed(standin):
    params = dict(PhoneNumbers="13800000001", SignName="长春热力", TemplateCode="SMS_0001")
    signed_for_get = signed("SendSms", method="GET", **params)
    response = requests.get(standin.endpoint, params=signed_for_get, timeout=5)
    assert response.json()["Code"] == "OK"
    signed_for_post = signed("SendSms", **params)
    response = requests.get(standin.endpoint, params=signed_for_post, timeout=5)
    assert (response.status_code, response.json()["Code"]) == (400, "SignatureDoesNotMatch")


def test_wrong_secret_is_refused(standin):
    answer = post(standin, signed("SendSms", secret="wrong", PhoneNumbers="13800000001"))
    assert (answer["status"], answer["Code"]) == (400, "SignatureDoesNotMatch")


@pytest.mark.parametrize(
    ("tamper", "status", "code"),
    [
        ({"PhoneNumbers": "13800000001,13800000009"}, 400, "SignatureDoesNotMatch"),
        ({"OutId": "n1-1"}, 400, "SignatureDoesNotMatch"),
        ({"TemplateParam": '{"area":"别处"}'}, 400, "SignatureDoesNotMatch"),
        ({"Extra": "1"}, 400, "SignatureDoesNotMatch"),
        ({"AccessKeyId": "other-key"}, 404, "InvalidAccessKeyId.NotFound"),
        ({"Version": "2016-09-27"}, 400, "InvalidVersion"),
        ({"SignatureNonce": ""}, 400, "MissingSignatureNonce"),
    ],
)
def test_tampered_requests_are_refused(standin, tamper, status, code):
    params = send_sms(["13800000001"])
    params.update(tamper)
    answer = post(standin, params)
    assert (answer["status"], answer["Code"]) == (status, code)
    assert standin.message_count == 0


def test_replays_stale_timestamps_and_missing_parameters_are_refused(standin):
    params = send_sms(["13800000001"])
    assert post(standin, params)["Code"] == "OK"
    assert post(standin, params)["Code"] == "SignatureNonceUsed"
    stale = f"{datetime.now(UTC) - timedelta(hours=1):%Y-%m-%dT%H:%M:%SZ}"
    assert post(standin, send_sms(["13800000001"], Timestamp=stale))["Code"] == (
        "InvalidTimeStamp.Expired"
    )
    no_sign_name = signed("SendSms", PhoneNumbers="13800000001", TemplateCode="SMS_0001")
    assert post(standin, no_sign_name)["Code"] == "MissingSignName"
    assert standin.message_count == 1


# SendSms and SendBatchSms


def test_send_sms_records_the_message_for_each_number(standin):
    answer = post(standin, send_sms(["13800000001", "13800000002"]))
    assert (answer["status"], answer["Code"]) == (200, "OK")
    [record] = standin.sent_to("13800000002")
    assert (record.out_id, record.biz_id) == ("n1-0", answer["BizId"])
    assert (record.template_code, record.sign_name) == ("SMS_0001", "长春热力")
    assert record.params == {"area": "星宇小区"}
    assert record.send_date == datetime.now(CHINA).date()
    assert standin.message_count == 2


def test_send_sms_takes_up_to_1000_numbers(standin):
    numbers = [f"139{i:08d}" for i in range(1001)]
    assert post(standin, send_sms(numbers))["Code"] == "isv.MOBILE_COUNT_OVER_LIMIT"
    assert post(standin, send_sms(numbers[:1000]))["Code"] == "OK"
    assert standin.message_count == 1000


@pytest.mark.parametrize("bad", ["1380000000", "138000000011", "23800000001", "1380000000x"])
def test_one_malformed_number_refuses_the_whole_call(standin, bad):
    answer = post(standin, send_sms(["13800000001", bad]))
    assert (answer["status"], answer["Code"]) == (200, "isv.MOBILE_NUMBER_ILLEGAL")
    assert standin.message_count == 0


def test_invalid_numbers_refuse_the_calls_naming_them(standin):
    standin.invalid_numbers.add("13800000002")
    assert post(standin, send_sms(["13800000001", "13800000002"]))["Code"] == (
        "isv.MOBILE_NUMBER_ILLEGAL"
    )
    assert post(standin, send_sms(["13800000001"]))["Code"] == "OK"


def test_unapproved_sign_names_and_templates_are_refused():
    with AliyunSmsStandin(KEY_ID, SECRET, sign_names={"别家"}, template_codes={"SMS_0001"}) as s:
        assert post(s, send_sms(["13800000001"]))["Code"] == "isv.SMS_SIGNATURE_ILLEGAL"
        s.sign_names = None
        assert post(s, send_sms(["13800000001"], TemplateCode="SMS_9"))["Code"] == (
            "isv.SMS_TEMPLATE_ILLEGAL"
        )
        assert post(s, send_sms(["13800000001"]))["Code"] == "OK"


def test_send_batch_sms_records_each_numbers_own_parameters(standin):
    params = signed(
        "SendBatchSms",
        PhoneNumberJson=json.dumps(["13800000001", "13800000002"]),
        SignNameJson=json.dumps(["长春热力", "长春热力"], ensure_ascii=False),
        TemplateCode="SMS_0001",
        TemplateParamJson=json.dumps([{"area": "甲"}, {"area": "乙"}], ensure_ascii=False),
        OutId="b-1",
    )
    assert post(standin, params)["Code"] == "OK"
    assert standin.sent_to("13800000002")[0].params == {"area": "乙"}
    mismatched = signed(
        "SendBatchSms",
        PhoneNumberJson=json.dumps(["13800000001", "13800000002"]),
        SignNameJson=json.dumps(["长春热力"], ensure_ascii=False),
        TemplateCode="SMS_0001",
    )
    assert post(standin, mismatched)["Code"] == "isv.INVALID_PARAMETERS"


# QuerySendDetails


def test_query_send_details_lists_the_days_messages_with_their_out_id(standin):
    first = post(standin, send_sms(["13800000001"], out_id="n1-0"))
    post(standin, send_sms(["13800000001", "13800000002"], out_id="n2-0"))
    answer = post(standin, query("13800000001"))
    assert (answer["Code"], answer["TotalCount"]) == ("OK", 2)
    details = answer["SmsSendDetailDTOs"]["SmsSendDetailDTO"]
    assert [detail["OutId"] for detail in details] == ["n1-0", "n2-0"]
    assert details[0]["PhoneNum"] == "13800000001" and details[0]["SendStatus"] == 3
    assert details[0]["TemplateCode"] == "SMS_0001"

    by_biz_id = post(standin, query("13800000001", BizId=first["BizId"]))
    assert [d["OutId"] for d in by_biz_id["SmsSendDetailDTOs"]["SmsSendDetailDTO"]] == ["n1-0"]
    yesterday = datetime.now(CHINA) - timedelta(days=1)
    assert post(standin, query("13800000001", day=yesterday))["TotalCount"] == 0
    assert post(standin, query("13800000009"))["SmsSendDetailDTOs"]["SmsSendDetailDTO"] == []


def test_query_send_details_pages_by_50(standin):
    for index in range(55):
        post(standin, send_sms(["13800000001"], out_id=f"n{index}"))
    second_page = post(standin, query("13800000001", page=2))
    assert second_page["TotalCount"] == 55
    assert [d["OutId"] for d in second_page["SmsSendDetailDTOs"]["SmsSendDetailDTO"]] == [
        f"n{index}" for index in range(50, 55)
    ]


# Counters and faults


def test_calls_are_counted_per_action_failures_included(standin):
    post(standin, send_sms(["13800000001"]))
    post(standin, send_sms(["1380000000"]))  # malformed number
    post(standin, signed("SendSms", secret="wrong"))
    post(standin, query("13800000001"))
    assert standin.calls == {"SendSms": 3, "QuerySendDetails": 1}
    assert standin.message_count == 1
    standin.reset()
    assert (standin.calls, standin.message_count) == ({}, 0)


def test_faults_apply_in_order_to_their_action(standin):
    standin.fail_next(1, "5xx")
    standin.fail_next(1, "throttle")
    standin.fail_next(1, "isv.AMOUNT_NOT_ENOUGH", action=None)
    assert post(standin, query("13800000001"))["Code"] == "isv.AMOUNT_NOT_ENOUGH"
    response = requests.post(standin.endpoint, data=send_sms(["13800000001"]), timeout=5)
    assert (response.status_code, response.headers["Retry-After"]) == (503, "1")
    assert post(standin, send_sms(["13800000001"]))["Code"] == "isv.BUSINESS_LIMIT_CONTROL"
    assert post(standin, send_sms(["13800000001"]))["Code"] == "OK"
    assert standin.message_count == 1


@pytest.mark.parametrize(("after_accept", "recorded"), [(False, 0), (True, 1)])
def test_timeouts_keep_the_caller_waiting(after_accept, recorded):
    with AliyunSmsStandin(
        KEY_ID, SECRET, timeout_delay=2, timeout_after_accept=after_accept
    ) as standin:
        standin.fail_next(1, "timeout")
        with pytest.raises(requests.Timeout):
            requests.post(standin.endpoint, data=send_sms(["13800000001"]), timeout=0.2)
        assert standin.message_count == recorded


def test_latency_is_added_to_every_call():
    with AliyunSmsStandin(KEY_ID, SECRET, latency=0.2) as standin:
        started = time.monotonic()
        post(standin, query("13800000001"))
        assert time.monotonic() - started >= 0.2


def test_runs_as_a_script():
    process = subprocess.Popen(
        python_at_suite_time(SCRIPT, "--port", "0", "--key-id", KEY_ID, "--secret", SECRET),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        endpoint = process.stdout.readline().strip()
        assert endpoint.startswith("http://127.0.0.1:")
        answer = requests.post(endpoint, data=send_sms(["13800000001"]), timeout=5).json()
        assert answer["Code"] == "OK"
        process.send_signal(signal.SIGINT)
        summary = process.communicate(timeout=10)[0]
    finally:
        process.kill()
    assert "SendSms 1" in summary and "messages accepted: 1" in summary
    assert "13800000001" not in summary
