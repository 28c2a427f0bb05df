"""Aliyun (Alibaba Cloud) SMS: the Dysmsapi RPC API, version 2017-05-25, signature 1.0.

Requests are POSTed as form bodies (Aliyun's own lightweight signing demo does the same) rather
than sent as GET query strings: a call carries up to 1,000 phone numbers, and a URL ends up in
proxy and `urllib3` debug logs, a body does not. The signature covers the method, so the string
to sign starts with "POST&%2F&".
"""

import base64
import hashlib
import hmac
import json
import logging
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

import requests
from django.utils.translation import gettext as _

from ..base import (
    BaseSmsBackend,
    PermanentSmsError,
    SmsError,
    TransientSmsError,
    mask_number,
    mask_numbers_in,
)
from .aliyun_errors import error_for

logger = logging.getLogger(__name__)

API_VERSION = "2017-05-25"
DEFAULT_ENDPOINT = "https://dysmsapi.aliyuncs.com/"
QUERY_PAGE_SIZE = 50  # the most QuerySendDetails returns per page


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as Aliyun signs it: only A-Z a-z 0-9 - _ . ~ stay as they are, so a
    space is %20 (not +), * is %2A and ~ is ~ (not %7E)."""
    return quote(value, safe="")


def signature(params: dict[str, str], secret: str, method: str = "POST") -> str:
    """Signature 1.0: Base64(HMAC-SHA1(secret + "&", method&%2F&encode(canonical query)))."""
    canonical = "&".join(
        f"{percent_encode(key)}={percent_encode(value)}" for key, value in sorted(params.items())
    )
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunBackend(BaseSmsBackend):
    max_batch = 1000  # SendSms takes at most 1,000 numbers per call

    def __init__(
        self,
        *,
        access_key_id: str,
        access_key_secret: str,
        sign_name: str,
        endpoint: str = DEFAULT_ENDPOINT,
        region_id: str = "cn-hangzhou",
        timeout: float = 10,
        **options,
    ):
        super().__init__(**options)
        self.access_key_id = access_key_id
        self._secret = access_key_secret
        self.sign_name = sign_name
        self.endpoint = endpoint
        self.region_id = region_id
        self.timeout = timeout
        # One connection, kept alive, for all the calls of a dispatch run.
        self.session = requests.Session()

    def __repr__(self):
        return f"<AliyunBackend {self.endpoint} key {self.access_key_id}>"

    def send(self, numbers, content, *, out_id):
        batch = self._batch(numbers)
        params = {
            "Action": "SendSms",
            "PhoneNumbers": ",".join(batch),
            "SignName": self.sign_name,
            "TemplateCode": content.template_code,
            "OutId": out_id,
        }
        if content.params:
            params["TemplateParam"] = json.dumps(content.params, ensure_ascii=False)
        try:
            data = self._call(params, batch)
        except SmsError as error:
            logger.warning("SendSms %s to %d numbers failed: %s", out_id, len(batch), error)
            raise
        biz_id = str(data.get("BizId", ""))
        logger.info("SendSms %s to %d numbers accepted, BizId %s", out_id, len(batch), biz_id)
        return biz_id

    def was_accepted(self, number, out_id, sent_on):
        """Looks for `out_id` in QuerySendDetails. The provider may list a call some seconds
        after accepting it, so a False right after the call is not yet final."""
        params = {
            "Action": "QuerySendDetails",
            "PhoneNumber": number,
            "SendDate": sent_on.strftime("%Y%m%d"),
            "PageSize": str(QUERY_PAGE_SIZE),
        }
        page = 1
        while True:
            try:
                data = self._call({**params, "CurrentPage": str(page)})
                details = data["SmsSendDetailDTOs"]["SmsSendDetailDTO"]
                total = int(data.get("TotalCount", 0))
            except (SmsError, AttributeError, KeyError, TypeError, ValueError) as error:
                logger.warning(
                    "QuerySendDetails for %s (%s) failed: %s", mask_number(number), out_id, error
                )
                return None
            if any(detail.get("OutId") == out_id for detail in details):
                return True
            if not details or page * QUERY_PAGE_SIZE >= total:
                return False
            page += 1

    def _call(self, params: dict[str, str], batch: tuple[str, ...] = ()) -> dict:
        """POST one signed request; return the JSON body when Code is OK, else raise."""
        params = {
            "AccessKeyId": self.access_key_id,
            "Format": "JSON",
            "RegionId": self.region_id,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": API_VERSION,
            **params,
        }
        params["Signature"] = signature(params, self._secret)
        try:
            response = self.session.post(self.endpoint, data=params, timeout=self.timeout)
        except (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
        ) as error:
            raise PermanentSmsError(_("阿里云短信接口地址无效：%s") % self.endpoint) from error
        except requests.ConnectTimeout as error:
            raise TransientSmsError(_("连接阿里云短信接口超时")) from error
        except requests.Timeout as error:
            raise TransientSmsError(
                _("阿里云短信接口应答超时，可能已受理"), maybe_accepted=True
            ) from error
        except requests.RequestException as error:
            # Refused, reset or dropped mid-answer: only the last may follow an acceptance.
            raise TransientSmsError(_("与阿里云短信接口通信失败")) from error
        return self._parse(response, batch)

    def _parse(self, response: requests.Response, batch: tuple[str, ...]) -> dict:
        retry_after = _retry_after(response)
        if response.status_code >= 500:
            raise TransientSmsError(
                _("阿里云短信接口暂时不可用（HTTP %s）") % response.status_code,
                retry_after=retry_after,
            )
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict) or "Code" not in data:
            message = _("阿里云短信接口返回了无法识别的应答（HTTP %s）") % response.status_code
            if response.status_code == 429 or response.status_code < 400:
                raise TransientSmsError(message, retry_after=retry_after)
            raise PermanentSmsError(message)
        if data["Code"] == "OK":
            return data
        raise error_for(
            str(data["Code"]),
            mask_numbers_in(str(data.get("Message", ""))),
            batch=batch,
            retry_after=retry_after,
        )


def _retry_after(response: requests.Response) -> float | None:
    """The Retry-After header in seconds; its HTTP-date form is not worth parsing here."""
    try:
        return max(0.0, float(response.headers["Retry-After"]))
    except (KeyError, ValueError):
        return None
