"""The filing numbers every website in mainland China shows in its footer, and where each links:

- ICP备案号 (工业和信息化部 filing, e.g. 吉ICP备12345678号-1), linked to the MIIT filing system;
- 公安机关备案号 (公安机关互联网站安全管理 filing, e.g. 吉公网安备22010202000123号), linked to
  the MPS filing system's record of that number and shown with its emblem;
- 网站标识码, which only government websites are given (政府网站发展指引): shown when set.

Editors paste these from the filing systems' certificates, often typed with a Chinese input
method: the text is read after NFKC (full-width ＩＣＰ, digits and －) without spaces, and checked
against ASCII patterns ([0-9], not \\d, which also takes other scripts' digits)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.typed_input import nfkc

MIIT_URL = "https://beian.miit.gov.cn/"
MPS_QUERY_URL = "https://beian.mps.gov.cn/#/query/webSearch?code={code}"

# The provinces' one-character names with the first two digits of their administrative division
# codes (GB/T 2260), which begin every 公安备案 number: 吉 is 吉林, 22.
PROVINCE_CODES = {
    "京": "11",
    "津": "12",
    "冀": "13",
    "晋": "14",
    "蒙": "15",
    "辽": "21",
    "吉": "22",
    "黑": "23",
    "沪": "31",
    "苏": "32",
    "浙": "33",
    "皖": "34",
    "闽": "35",
    "赣": "36",
    "鲁": "37",
    "豫": "41",
    "鄂": "42",
    "湘": "43",
    "粤": "44",
    "桂": "45",
    "琼": "46",
    "渝": "50",
    "川": "51",
    "贵": "52",
    "云": "53",
    "藏": "54",
    "陕": "61",
    "甘": "62",
    "青": "63",
    "宁": "64",
    "新": "65",
}
_PROVINCE = "[" + "".join(PROVINCE_CODES) + "]"
ICP_PATTERN = re.compile(_PROVINCE + r"ICP备[0-9]+号(?:-[0-9]+)?")
POLICE_PATTERN = re.compile(r"(?P<province>" + _PROVINCE + r")公网安备(?P<code>[0-9]{14})号")
WEBSITE_CODE_PATTERN = re.compile(r"[A-Za-z0-9]{10}")
_SPACES = re.compile(r"\s+")


def normalise(value: str) -> str:
    """As stored and shown: NFKC, no spaces anywhere."""
    return _SPACES.sub("", nfkc(value or ""))


def validate_icp_number(value: str) -> None:
    if value and not ICP_PATTERN.fullmatch(normalise(value)):
        raise ValidationError(
            _(
                "ICP备案号应为“省份简称＋ICP备＋数字＋号”，网站序号可带在“-”之后，"
                "例如：吉ICP备12345678号-1。"
            ),
            code="invalid",
        )


def validate_police_number(value: str) -> None:
    if not value:
        return
    match = POLICE_PATTERN.fullmatch(normalise(value))
    if match is None:
        raise ValidationError(
            _(
                "公安机关备案号应为“省份简称＋公网安备＋14位数字＋号”，例如：吉公网安备22010202000123号。"
            ),
            code="invalid",
        )
    province, code = match["province"], match["code"]
    if not code.startswith(PROVINCE_CODES[province]):
        raise ValidationError(
            _(
                "公安机关备案号的省份简称“%(province)s”与编号开头的行政区划代码“%(prefix)s”不符"
                "（%(province)s应为%(expected)s），请按备案证明核对。"
            ),
            code="province",
            params={"province": province, "prefix": code[:2], "expected": PROVINCE_CODES[province]},
        )


def validate_website_code(value: str) -> None:
    if value and not WEBSITE_CODE_PATTERN.fullmatch(normalise(value)):
        raise ValidationError(
            _("网站标识码为10位数字或字母，例如：2201000001。"),
            code="invalid",
        )


def police_query_url(number: str) -> str:
    """The MPS filing system's page for a 公安备案 number: its digits are the query."""
    return MPS_QUERY_URL.format(code="".join(re.findall("[0-9]", normalise(number))))
