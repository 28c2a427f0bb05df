"""Public SMS subscription pages, the unsubscribe link and the inbound-message webhook."""

import hashlib
import hmac
import json
import re

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from alerts.enums import UnsubscribeReason
from alerts.forms import SubscribeForm
from alerts.models import Subscriber
from alerts.subscriptions import VerificationFailed, request_subscription, unsubscribe, verify
from core import privacy, ratelimit
from sms.forms import VerifyForm
from sms.phones import InvalidPhone, normalise_mobile
from sms.verification import CodeBudgetSpent

SESSION_PHONE = "alerts_pending_phone"
UNSUBSCRIBE_REPLY = re.compile(r"^\s*(退订|TD|T)\s*$", re.IGNORECASE)
# Per IP: 10 sign-ups an hour, 30 code entries and 20 unsubscriptions an hour, and 600 webhook
# calls a minute (the provider relays every reply from a few addresses). Per number: the budget
# of codes it shares with every use (one a minute, five a day: sms.verification.issue_code), and five
# guesses per code.
LIMITS = {
    "ip": (10, 3600),
    "verify-ip": (30, 3600),
    "unsubscribe-ip": (20, 3600),
    "inbound-ip": (600, 60),
}


def subscribe(request):
    form = SubscribeForm(
        request.POST or None, initial={"communities": request.GET.get("communities", "")}
    )
    status, retry_after = 200, 0
    if request.method == "POST":
        if retry_after := ratelimit.attempt(
            "subscribe-ip", ratelimit.client_ip(request), *LIMITS["ip"]
        ):
            form.add_error(None, _("操作太频繁，请一小时后再试。"))
            status = 429
        elif form.is_valid():
            phone = form.cleaned_data["phone"]
            try:
                request_subscription(
                    phone, form.cleaned_data["communities"], form.cleaned_data["utilities"]
                )
            except CodeBudgetSpent as spent:
                form.add_error("phone", _("验证码发送太频繁，请稍后再试。"))
                status, retry_after = 429, spent.retry_after
            else:
                request.session[SESSION_PHONE] = phone
                return redirect("alerts_verify")
        else:
            status = 400
    response = render(request, "alerts/subscribe.html", {"form": form}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@ratelimit.limit_posts(
    "verify-ip", *LIMITS["verify-ip"], gettext_lazy("验证太频繁，请一小时后再试。")
)
def verify_code(request):
    phone = request.session.get(SESSION_PHONE)
    if not phone:
        return redirect("alerts_subscribe")
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscriber = verify(phone, form.cleaned_data["code"])
        except VerificationFailed as exc:
            form.add_error("code", str(exc))
        else:
            del request.session[SESSION_PHONE]
            return render(request, "alerts/subscribed.html", {"subscriber": subscriber})
    masked = f"{phone[:3]}****{phone[-4:]}"
    return render(
        request,
        "alerts/verify.html",
        {"form": form, "masked_phone": masked},
        status=400 if form.errors else 200,
    )


@ratelimit.limit_posts(
    "unsubscribe-ip", *LIMITS["unsubscribe-ip"], gettext_lazy("操作太频繁，请一小时后再试。")
)
def unsubscribe_link(request, token):
    """GET shows a button, POST unsubscribes: a link prefetched by a mail or chat app must not
    unsubscribe anyone. The token in the address is the subscriber's: the page is private."""
    subscriber = get_object_or_404(Subscriber, token=token)
    if request.method == "POST":
        unsubscribe(subscriber, UnsubscribeReason.LINK)
        return privacy.private(render(request, "alerts/unsubscribed.html", {}))
    return privacy.private(render(request, "alerts/unsubscribe.html", {"subscriber": subscriber}))


@csrf_exempt  # called by the SMS provider, authenticated by an HMAC of the body instead
@ratelimit.limit_posts(
    "inbound-ip", *LIMITS["inbound-ip"], gettext_lazy("请求太频繁，请稍后再试。")
)
@require_POST
def inbound_message(request):
    """Replies to our texts. The provider (or our relay) signs the raw body with the shared
    secret: X-Signature = hex HMAC-SHA256(SMS_INBOUND_SECRET, body). Body: JSON with
    `phone_number` and `content` (Aliyun's SmsUp fields)."""
    secret = settings.SMS_INBOUND_SECRET
    if not secret:
        raise Http404
    expected = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Signature", "")):
        return HttpResponseForbidden("signature")
    try:
        payload = json.loads(request.body)
        phone = normalise_mobile(payload["phone_number"])
        content = str(payload.get("content", ""))
    except (ValueError, KeyError, TypeError, InvalidPhone):
        return HttpResponseBadRequest("payload")
    if UNSUBSCRIBE_REPLY.match(content):
        subscriber = Subscriber.objects.filter(phone=phone).first()
        if subscriber:
            unsubscribe(subscriber, UnsubscribeReason.REPLY)
    return HttpResponse(
        json.dumps({"code": 0, "msg": "成功"}, ensure_ascii=False), content_type="application/json"
    )
