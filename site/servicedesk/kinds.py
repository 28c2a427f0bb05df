"""Which published commitment sets each deadline of each kind of request.

The commitments are data the public reads (commitments app, seed 002's table and seed 004's
rulebook); a request reads the same rows by their keys, so an edited promise changes the next
request's deadlines, and a request keeps the deadline it was given."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from servicedesk.enums import RequestKind


@dataclass(frozen=True)
class KindRule:
    kind: RequestKind
    contact_key: str  # time to first contact with the resident
    resolve_key: str  # time to close
    summary: str  # what the form is for, shown above it
    asks_address: bool  # 门牌 needed on site (visits, valves)
    asks_account: bool  # 供暖卡号 needed to act on the account


# 对用户的投诉、咨询及反映的问题，24小时内必须给予答复 (seed 004 第十二条) is the contact limit of
# every kind whose own row gives none.
REPLY_KEY = "complaint-reply"

RULES = {
    RequestKind.COMPLAINT: KindRule(
        RequestKind.COMPLAINT,
        contact_key="complaint-suggestion",
        resolve_key=REPLY_KEY,
        summary=_("对供热质量、服务态度、收费等方面的投诉，或对我们工作的意见建议。"),
        asks_address=False,
        asks_account=False,
    ),
    RequestKind.CONSULTATION: KindRule(
        RequestKind.CONSULTATION,
        contact_key="online-consultation",
        resolve_key=REPLY_KEY,
        summary=_("关于供热政策、收费、报停、过户等业务的咨询。"),
        asks_address=False,
        asks_account=False,
    ),
    RequestKind.TEMPERATURE: KindRule(
        RequestKind.TEMPERATURE,
        contact_key=REPLY_KEY,
        resolve_key="indoor-system-repair",
        summary=_("对室内温度有异议的，可申请上门测温；测温前请关闭门窗3小时以上。"),
        asks_address=True,
        asks_account=False,
    ),
    RequestKind.SUSPENSION: KindRule(
        RequestKind.SUSPENSION,
        contact_key=REPLY_KEY,
        resolve_key="online-suspension",
        summary=_("本供热期不用热的，可申请报停，我们将上门关阀。"),
        asks_address=True,
        asks_account=True,
    ),
    RequestKind.RESUMPTION: KindRule(
        RequestKind.RESUMPTION,
        contact_key=REPLY_KEY,
        resolve_key="resume-heating",
        summary=_("已报停的用户恢复用热，交费后预约开阀。"),
        asks_address=True,
        asks_account=True,
    ),
}
