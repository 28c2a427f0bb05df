"""A local stand-in for the Aliyun SMS API (Dysmsapi 2017-05-25, RPC, signature 1.0).

It checks signatures with its own AccessKey pair, validates parameters, answers SendSms,
SendBatchSms and QuerySendDetails as Aliyun does (JSON, GET or POST), records every accepted
message per number, counts calls per action, and fails on demand:

    with AliyunSmsStandin("key-id", "secret") as standin:
        backend = AliyunBackend(access_key_id="key-id", access_key_secret="secret",
                                sign_name="某某热力", endpoint=standin.endpoint)
        standin.invalid_numbers.add("13800000000")  # calls naming it: isv.MOBILE_NUMBER_ILLEGAL
        standin.fail_next(2, "5xx")                 # the next two SendSms calls: HTTP 503
        standin.fail_next(1, "timeout")             # answers after `timeout_delay` seconds
        standin.fail_next(1, "throttle")            # isv.BUSINESS_LIMIT_CONTROL
        standin.fail_next(1, "isv.SMS_TEMPLATE_ILLEGAL")  # any other kind is returned as Code

Standard library only, so it also runs as a script (prints its endpoint, serves until Ctrl-C):

    python standins/aliyun_sms.py --port 8999 --key-id KEY --secret SECRET

It never prints a full phone number: requests are not logged.
"""

import base64
import hmac
import itertools
import json
import os
import re
import sys
import threading
import uuid
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from urllib.parse import parse_qsl, quote, urlsplit

if __package__:
    from .serving import JsonHandler, StandinServer, script_arguments, serve_until_interrupted
else:  # run as a script (by path, or by runpy from anywhere): serving.py is beside it
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from serving import JsonHandler, StandinServer, script_arguments, serve_until_interrupted

API_VERSION = "2017-05-25"
CHINA = timezone(timedelta(hours=8))  # Aliyun's SendDate calendar; China has no DST
MAX_SEND_SMS = 1000
MAX_SEND_BATCH_SMS = 100
MAX_PAGE_SIZE = 50
TIMESTAMP_TOLERANCE = timedelta(minutes=15)
MOBILE = re.compile(r"1\d{10}")
COMMON_PARAMS = (
    "AccessKeyId",
    "Action",
    "Signature",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureVersion",
    "Timestamp",
    "Version",
)
ACTION_PARAMS = {
    "SendSms": ("PhoneNumbers", "SignName", "TemplateCode"),
    "SendBatchSms": ("PhoneNumberJson", "SignNameJson", "TemplateCode"),
    "QuerySendDetails": ("PhoneNumber", "SendDate", "PageSize", "CurrentPage"),
}


@dataclass(frozen=True)
class SentRecord:
    """One accepted message to one number."""

    out_id: str
    template_code: str
    params: dict
    sign_name: str
    biz_id: str
    sent_at: datetime  # China time

    @property
    def send_date(self) -> date:
        return self.sent_at.date()


class ApiError(Exception):
    def __init__(self, code: str, message: str, status: int = 200):
        super().__init__(code)
        self.code, self.message, self.status = code, message, status


def _encode(value: str) -> str:
    return quote(value, safe="")


def expected_signature(params: dict[str, str], secret: str, method: str) -> str:
    """Signature 1.0 over every parameter but Signature; written apart from the client's on
    purpose, so a shared mistake cannot make both agree."""
    pairs = sorted((k, v) for k, v in params.items() if k != "Signature")
    canonical = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in pairs)
    string_to_sign = "&".join((method, _encode("/"), _encode(canonical)))
    key = (secret + "&").encode()
    return base64.b64encode(hmac.digest(key, string_to_sign.encode(), "sha1")).decode()


class AliyunSmsStandin(StandinServer):
    """The fake provider. All state is guarded by one lock: tests may inject faults and read
    records while requests are being served."""

    def __init__(
        self,
        access_key_id: str,
        access_key_secret: str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        timeout_delay: float = 5.0,
        timeout_after_accept: bool = False,
        sign_names: set[str] | None = None,
        template_codes: set[str] | None = None,
    ):
        """`latency`: seconds added to every call. `timeout_delay`: how long a "timeout" fault
        keeps the caller waiting (longer than its timeout) before answering; the message is
        recorded first when `timeout_after_accept` (a provider that accepted, then went
        silent), else not at all. `sign_names` / `template_codes`: the approved ones (None:
        any); others get isv.SMS_SIGNATURE_ILLEGAL / isv.SMS_TEMPLATE_ILLEGAL."""
        self.access_key_id = access_key_id
        self._secret = access_key_secret
        self.latency = latency
        self.timeout_delay = timeout_delay
        self.timeout_after_accept = timeout_after_accept
        self.sign_names = sign_names
        self.template_codes = template_codes
        self.invalid_numbers: set[str] = set()
        self._lock = threading.Lock()
        self._faults: deque[tuple[str, str | None]] = deque()
        self._sent: defaultdict[str, list[SentRecord]] = defaultdict(list)
        self._calls: Counter[str] = Counter()
        self._nonces: set[str] = set()
        self._biz_ids = itertools.count(1)
        super().__init__(_Handler, host=host, port=port, thread_name="aliyun-sms-standin")

    @property
    def endpoint(self) -> str:
        return f"{self.address}/"

    # Fault injection and inspection

    def fail_next(self, count: int = 1, kind: str = "5xx", *, action: str | None = "SendSms"):
        """Make the next `count` calls of `action` (None: any action) fail: "5xx" (HTTP 503),
        "timeout" (see `timeout_delay`), "throttle" (isv.BUSINESS_LIMIT_CONTROL), or any other
        string, answered as the error Code. Faults apply after the signature check."""
        with self._lock:
            self._faults.extend([(kind, action)] * count)

    def sent_to(self, number: str) -> list[SentRecord]:
        with self._lock:
            return list(self._sent.get(number, ()))

    @property
    def sent(self) -> dict[str, list[SentRecord]]:
        """A snapshot: number -> its accepted messages, in order."""
        with self._lock:
            return {number: list(records) for number, records in self._sent.items()}

    @property
    def message_count(self) -> int:
        """Accepted messages, one per number per call."""
        with self._lock:
            return sum(len(records) for records in self._sent.values())

    @property
    def calls(self) -> Counter:
        """Calls received per Action, failed ones included."""
        with self._lock:
            return Counter(self._calls)

    def reset(self) -> None:
        with self._lock:
            self.invalid_numbers.clear()
            self._faults.clear()
            self._sent.clear()
            self._calls.clear()

    # Request handling (server threads)

    def handle(self, method: str, params: dict[str, str]) -> tuple[int, dict, dict]:
        """(HTTP status, JSON body, extra headers) for one request."""
        action = params.get("Action", "")
        with self._lock:
            self._calls[action] += 1
        if self.latency:
            self._stopping.wait(self.latency)
        try:
            self._authenticate(method, params)
            fault = self._take_fault(action)
            if fault == "timeout":
                return self._time_out(action, params)
            if fault:
                return _fault_reply(fault)
            return 200, self._perform(action, params), {}
        except ApiError as error:
            body = {"Code": error.code, "Message": error.message, "RequestId": _request_id()}
            return error.status, body, {}

    def _authenticate(self, method: str, params: dict[str, str]) -> None:
        for name in COMMON_PARAMS:
            if not params.get(name):
                raise ApiError(f"Missing{name}", f"{name} is mandatory for this action.", 400)
        if params["Version"] != API_VERSION:
            raise ApiError("InvalidVersion", "Specified parameter Version is not valid.", 400)
        if params["Action"] not in ACTION_PARAMS:
            raise ApiError("InvalidAction.NotFound", "Specified api is not found.", 404)
        if params["AccessKeyId"] != self.access_key_id:
            raise ApiError("InvalidAccessKeyId.NotFound", "Specified access key is not found.", 404)
        if params["SignatureMethod"] != "HMAC-SHA1" or params["SignatureVersion"] != "1.0":
            raise ApiError("InvalidParameter", "Unsupported signature method or version.", 400)
        try:
            timestamp = datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            raise ApiError("InvalidTimeStamp.Format", "Timestamp is not ISO 8601.", 400) from None
        if abs(datetime.now(UTC) - timestamp.replace(tzinfo=UTC)) > TIMESTAMP_TOLERANCE:
            raise ApiError("InvalidTimeStamp.Expired", "Specified time stamp is expired.", 400)
        expected = expected_signature(params, self._secret, method)
        if not hmac.compare_digest(expected, params["Signature"]):
            raise ApiError(
                "SignatureDoesNotMatch",
                "Specified signature does not match our calculation.",
                400,
            )
        with self._lock:
            if params["SignatureNonce"] in self._nonces:
                raise ApiError("SignatureNonceUsed", "Specified signature nonce was used.", 400)
            self._nonces.add(params["SignatureNonce"])

    def _take_fault(self, action: str) -> str | None:
        with self._lock:
            for index, (kind, fault_action) in enumerate(self._faults):
                if fault_action in (None, action):
                    del self._faults[index]
                    return kind
        return None

    def _time_out(self, action: str, params: dict[str, str]) -> tuple[int, dict, dict]:
        if self.timeout_after_accept:
            body = self._perform(action, params)
            self._stopping.wait(self.timeout_delay)
            return 200, body, {}
        self._stopping.wait(self.timeout_delay)
        return _fault_reply("5xx")

    def _perform(self, action: str, params: dict[str, str]) -> dict:
        for name in ACTION_PARAMS[action]:
            if not params.get(name):
                raise ApiError(f"Missing{name}", f"{name} is mandatory for this action.", 400)
        if action == "QuerySendDetails":
            return self._query_send_details(params)
        if action == "SendSms":
            numbers = params["PhoneNumbers"].split(",")
            template_params = _json_param(params.get("TemplateParam") or "{}", dict)
            messages = [(n, params["SignName"], template_params) for n in numbers]
            limit = MAX_SEND_SMS
        else:
            numbers = _json_param(params["PhoneNumberJson"], list)
            signs = _json_param(params["SignNameJson"], list)
            template_params = _json_param(params.get("TemplateParamJson") or "[]", list)
            template_params = template_params or [{}] * len(numbers)
            if not len(numbers) == len(signs) == len(template_params):
                raise ApiError("isv.INVALID_PARAMETERS", "参数个数不一致")
            messages = list(zip(numbers, signs, template_params, strict=True))
            limit = MAX_SEND_BATCH_SMS
        return self._send(messages, limit, params["TemplateCode"], params.get("OutId", ""))

    def _send(self, messages, limit: int, template_code: str, out_id: str) -> dict:
        if len(messages) > limit:
            raise ApiError("isv.MOBILE_COUNT_OVER_LIMIT", "手机号码数量超过限制")
        with self._lock:
            invalid = self.invalid_numbers.copy()
        if any(
            not (isinstance(number, str) and MOBILE.fullmatch(number)) or number in invalid
            for number, _, _ in messages
        ):
            raise ApiError("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
        if self.sign_names is not None and any(s not in self.sign_names for _, s, _ in messages):
            raise ApiError("isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名")
        if self.template_codes is not None and template_code not in self.template_codes:
            raise ApiError("isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板")
        now = datetime.now(CHINA).replace(microsecond=0)
        with self._lock:
            biz_id = f"{now:%Y%m%d%H%M%S}{next(self._biz_ids):06d}^0"
            for number, sign_name, template_params in messages:
                record = SentRecord(out_id, template_code, template_params, sign_name, biz_id, now)
                self._sent[number].append(record)
        return {"Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": _request_id()}

    def _query_send_details(self, params: dict[str, str]) -> dict:
        try:
            send_date = datetime.strptime(params["SendDate"], "%Y%m%d").date()
            page_size, page = int(params["PageSize"]), int(params["CurrentPage"])
        except ValueError:
            raise ApiError("isv.INVALID_PARAMETERS", "参数格式不正确") from None
        if not 1 <= page_size <= MAX_PAGE_SIZE or page < 1:
            raise ApiError("isv.INVALID_PARAMETERS", "参数超出范围")
        number, biz_id = params["PhoneNumber"], params.get("BizId")
        with self._lock:
            records = [
                r
                for r in self._sent.get(number, ())
                if r.send_date == send_date and biz_id in (None, r.biz_id)
            ]
        shown = records[(page - 1) * page_size : page * page_size]
        return {
            "Code": "OK",
            "Message": "OK",
            "RequestId": _request_id(),
            "TotalCount": len(records),
            "SmsSendDetailDTOs": {"SmsSendDetailDTO": [_detail(number, r) for r in shown]},
        }


def _detail(number: str, record: SentRecord) -> dict:
    sent_at = f"{record.sent_at:%Y-%m-%d %H:%M:%S}"
    return {
        "PhoneNum": number,
        "SendStatus": 3,  # 1 waiting for the receipt, 2 failed, 3 delivered
        "ErrCode": "DELIVERED",
        "TemplateCode": record.template_code,
        "Content": f"【{record.sign_name}】{json.dumps(record.params, ensure_ascii=False)}",
        "SendDate": sent_at,
        "ReceiveDate": sent_at,
        "OutId": record.out_id,
    }


def _json_param(value: str, expected_type: type):
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if not isinstance(parsed, expected_type):
        raise ApiError("isv.INVALID_JSON_PARAM", "JSON参数不合法")
    return parsed


def _fault_reply(kind: str) -> tuple[int, dict, dict]:
    if kind == "5xx":
        body = {
            "Code": "ServiceUnavailable",
            "Message": "The request has failed due to a temporary failure of the server.",
        }
        return 503, body, {"Retry-After": "1"}
    code = "isv.BUSINESS_LIMIT_CONTROL" if kind == "throttle" else kind
    return 200, {"Code": code, "Message": f"stand-in fault {code}", "RequestId": _request_id()}, {}


def _request_id() -> str:
    return str(uuid.uuid4()).upper()


class _Handler(JsonHandler):
    content_type = "application/json;charset=utf-8"

    def do_GET(self):
        self._answer("GET", b"")

    def do_POST(self):
        self._answer("POST", self.read_body())

    def _answer(self, method: str, body: bytes) -> None:
        params = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        params.update(parse_qsl(body.decode(), keep_blank_values=True))
        self.send_json(*self.server.standin.handle(method, params))


def main() -> None:
    parser = script_arguments("Local stand-in for the Aliyun SMS API.", port=8999)
    parser.add_argument("--key-id", required=True, help="AccessKeyId the clients use")
    parser.add_argument("--secret", required=True, help="AccessKey secret the clients use")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per call")
    args = parser.parse_args()
    standin = AliyunSmsStandin(
        args.key_id, args.secret, host=args.host, port=args.port, latency=args.latency
    )

    def summary() -> str:
        calls = ", ".join(f"{action} {count}" for action, count in sorted(standin.calls.items()))
        return f"calls: {calls or 'none'}; messages accepted: {standin.message_count}"

    serve_until_interrupted(standin, standin.endpoint, summary)


if __name__ == "__main__":
    main()
