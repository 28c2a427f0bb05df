"""The residents' side of the service desk: what can be asked and what is promised, a form per
kind, the texted code, the tracking page and the rating. No account: the number is proven by
SMS, and the tracking page is reached by its unguessable link or by reference number plus the
last four digits of the phone.

Personal data stays out of public pages, URLs and the cache: between the form and the code
only the pending request's id is kept, in the session; the tracking page shows the masked
number and nothing the resident wrote, and is never stored by any cache."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from commitments.lookup import published_commitments
from commitments.models import Commitment, CommitmentPage
from contacts import cache_tags, my_community
from contacts.models import Community
from contacts.pages import QUERY_MAX_LENGTH
from core import page_cache, privacy, ratelimit
from servicedesk import deadlines, workflow
from servicedesk.enums import (
    PUBLIC_EVENTS,
    Deadline,
    DeadlineOutcome,
    EventKind,
    RequestKind,
    RequestStatus,
)
from servicedesk.forms import LookupForm, RatingForm, ServiceRequestForm
from servicedesk.kinds import RULES, KindRule
from servicedesk.models import ServiceRequest
from sms.forms import VerifyForm
from sms.verification import CodeBudgetSpent, VerificationFailed, issue_code

SESSION_PENDING = "servicedesk_pending_request"
MAX_COMMUNITY_CHOICES = 20
# The commitment pages publish the promises every page here quotes.
COMMITMENTS_TAG = f"type:{CommitmentPage._meta.label_lower}"
# Per IP: 10 submissions, 30 code entries, 10 code resends, 20 lookups and 20 ratings an hour;
# per number, on submitting and resending alike, the number's budget of codes across every use
# (one a minute, five a day: sms.verification, with five guesses per code).
LIMITS = {
    "submit-ip": (10, 3600),
    "verify-ip": (30, 3600),
    "resend-ip": (10, 3600),
    "lookup-ip": (20, 3600),
    "rate-ip": (20, 3600),
}
CODE_USE = gettext_lazy("提交供热服务诉求")  # as workflow.submit words the first code
NOT_FOUND = gettext_lazy("没有找到相符的诉求，请核对诉求编号和手机号后四位。")


def _limit(name: str, message: str):
    return ratelimit.limit_posts(f"servicedesk-{name}", *LIMITS[f"{name}-ip"], message)


# What is promised -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Promise:
    label: str  # 联系用户 / 办结
    commitment: Commitment


@dataclass(frozen=True)
class Service:
    kind: RequestKind
    rule: KindRule
    promises: list[Promise]


def _services(kinds) -> list[Service]:
    rules = [RULES[kind] for kind in kinds]
    commitments = published_commitments(
        key for rule in rules for key in (rule.contact_key, rule.resolve_key)
    )
    services = []
    for rule in rules:
        promises = [
            Promise(str(label), commitments[key])
            for label, key in (
                (Deadline.CONTACT.label, rule.contact_key),
                (Deadline.RESOLVE.label, rule.resolve_key),
            )
            if key in commitments
        ]
        services.append(Service(rule.kind, rule, promises))
    return services


# Index and lookup -----------------------------------------------------------------------------


def _render_index(request, lookup_form, status=200):
    return render(
        request,
        "servicedesk/index.html",
        {"services": _services(RequestKind), "lookup_form": lookup_form},
        status=status,
    )


@require_http_methods(["GET", "HEAD"])
def index(request):
    page_cache.tag(request, COMMITMENTS_TAG)
    # A message (e.g. from the verify page) arrives in a cookie: one copy per cookie value,
    # and a page showing one is not stored (its response clears the cookie).
    page_cache.vary_on_cookie(request, CookieStorage.cookie_name)
    return _render_index(request, LookupForm())


@_limit("lookup", gettext_lazy("查询太频繁，请一小时后再试。"))
@require_http_methods(["GET", "POST"])
def lookup(request):
    if request.method == "GET":
        return redirect("servicedesk_index")
    form = LookupForm(request.POST)
    if form.is_valid():
        token = (
            ServiceRequest.objects.routed()
            .filter(
                reference=form.cleaned_data["reference"],
                phone__endswith=form.cleaned_data["phone_last4"],
            )
            .values_list("tracking_token", flat=True)
            .first()
        )
        if token:
            return redirect("servicedesk_track", token=token)
        form.add_error(None, str(NOT_FOUND))
    return privacy.private(_render_index(request, form, status=400))


# The form -----------------------------------------------------------------------------------


def _kind(value: str) -> RequestKind:
    try:
        return RequestKind(value)
    except ValueError:
        raise Http404 from None


def _community(code: str) -> Community | None:
    if not my_community.CODE.match(code):
        return None
    return Community.objects.for_directory().filter(code=code).first()


@_limit("submit", gettext_lazy("提交太频繁，请一小时后再试。"))
@require_http_methods(["GET", "HEAD", "POST"])
def request_form(request, kind):
    kind = _kind(kind)
    rule = RULES[kind]
    chosen_code = my_community.chosen_code(request)  # declares the cookie to the page cache
    query, results, status, retry_after = "", [], 200, 0
    if request.method == "POST":
        form = ServiceRequestForm(request.POST, rule=rule)
        if form.is_valid():
            data = form.cleaned_data
            try:
                service_request = workflow.submit(
                    kind,
                    data["community"],
                    data["phone"],
                    data["description"],
                    address=data.get("address", ""),
                    account_number=data.get("account_number", ""),
                )
            except CodeBudgetSpent as spent:
                form.add_error("phone", _("验证码发送太频繁，请稍后再试。"))
                status, retry_after = 429, spent.retry_after
            else:
                request.session[SESSION_PENDING] = service_request.pk
                return redirect("servicedesk_verify")
        else:
            status = 400
        community = form.cleaned_data.get("community")
    else:
        form = ServiceRequestForm(rule=rule)
        searching = "q" in request.GET
        query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
        code = request.GET.get("community", "") or ("" if searching else chosen_code)
        community = _community(code) if code else None
        if community is None and query:
            results = list(
                Community.objects.lookup(query).order_by("name")[: MAX_COMMUNITY_CHOICES + 1]
            )
    page_cache.tag(request, COMMITMENTS_TAG)
    if community is None:  # the search, its results, or a code not (yet) in the directory
        page_cache.tag(request, cache_tags.DIRECTORY)
    else:
        page_cache.tag(request, *cache_tags.for_community(community))
    response = render(
        request,
        "servicedesk/request_form.html",
        {
            "service": _services([kind])[0],
            "form": form,
            "community": community,
            "query": query,
            "results": results[:MAX_COMMUNITY_CHOICES],
            "more": len(results) > MAX_COMMUNITY_CHOICES,
        },
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    # What was typed comes back with the errors: kept by no cache.
    return privacy.private(response) if request.method == "POST" else response


# The texted code ----------------------------------------------------------------------------


def _pending(request) -> ServiceRequest | None:
    """The request this browser submitted last (its id is all the session holds)."""
    pk = request.session.get(SESSION_PENDING)
    if not isinstance(pk, int):
        return None
    return ServiceRequest.objects.select_related("community").filter(pk=pk).first()


def _nothing_pending(request, service_request):
    """No code to enter: the request was proven already (a second click on 提交, the back
    button) and its tracking page is the answer; or none was submitted from this browser, or
    it was purged unproven."""
    request.session.pop(SESSION_PENDING, None)
    if service_request is not None and service_request.status != RequestStatus.UNVERIFIED:
        return redirect("servicedesk_track", token=service_request.tracking_token)
    messages.info(request, _("没有待验证的诉求。请选择办理事项，重新填写。"))
    return redirect("servicedesk_index")


def _render_verify(request, pending, form, refusal="", status=200):
    response = render(
        request,
        "servicedesk/verify.html",
        {"pending": pending, "form": form, "refusal": refusal},
        status=status,
    )
    return privacy.private(response)


@_limit("verify", gettext_lazy("验证太频繁，请一小时后再试。"))
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    pending = _pending(request)
    if pending is None or pending.status != RequestStatus.UNVERIFIED:
        return _nothing_pending(request, pending)
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.confirm(pending, form.cleaned_data["code"])
        except (VerificationFailed, workflow.WorkflowError) as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(
                request,
                _("诉求已提交，编号%(reference)s。请记下编号或收藏本页，随时查询办理进度。")
                % {"reference": pending.reference},
            )
            return redirect("servicedesk_track", token=pending.tracking_token)
    return _render_verify(request, pending, form, status=400 if form.errors else 200)


@_limit("resend", gettext_lazy("重新发送太频繁，请一小时后再试。"))
@require_POST
def resend_code(request):
    pending = _pending(request)
    if pending is None or pending.status != RequestStatus.UNVERIFIED:
        return _nothing_pending(request, pending)
    try:
        issue_code(pending.phone, workflow.CODE_PURPOSE, str(CODE_USE))
    except CodeBudgetSpent as spent:
        refusal = _("验证码发送太频繁，请稍后再试。")
        response = _render_verify(request, pending, VerifyForm(), refusal=refusal, status=429)
        response["Retry-After"] = str(spent.retry_after)
        return response
    messages.success(request, _("验证码已重新发送，10分钟内有效。"))
    return redirect("servicedesk_verify")


# Tracking and rating --------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineState:
    """A promised deadline as the tracking page reports it."""

    label: str
    due_at: datetime | None
    basis: str
    state: DeadlineOutcome

    @property
    def state_label(self) -> str:
        return self.state.label


def _deadline_states(service_request: ServiceRequest, now=None) -> list[DeadlineState]:
    """Contact is reached by the first contact, or by closing (the answer itself); resolving
    by closing."""
    now = now or timezone.now()
    contacted = service_request.first_contact_at or service_request.closed_at
    return [
        DeadlineState(
            str(Deadline.CONTACT.label),
            service_request.contact_due_at,
            service_request.contact_limit,
            deadlines.outcome(service_request.contact_due_at, contacted, now),
        ),
        DeadlineState(
            str(Deadline.RESOLVE.label),
            service_request.resolve_due_at,
            service_request.resolve_limit,
            deadlines.outcome(service_request.resolve_due_at, service_request.closed_at, now),
        ),
    ]


@_limit("rate", gettext_lazy("评价太频繁，请一小时后再试。"))
@require_http_methods(["GET", "HEAD", "POST"])
def track(request, token):
    service_request = (
        ServiceRequest.objects.routed()
        .select_related("community", "station")
        .filter(tracking_token=token)
        .first()
    )
    if service_request is None:
        raise Http404
    can_rate = service_request.status == RequestStatus.CLOSED and service_request.rating is None
    form, refusal, status = (RatingForm() if can_rate else None), "", 200
    if request.method == "POST":
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                workflow.rate(
                    service_request, form.cleaned_data["score"], form.cleaned_data["comment"]
                )
            except workflow.WorkflowError as exc:  # not closed yet, or rated already
                refusal = str(exc)
            else:
                messages.success(request, _("感谢您的评价！"))
                return privacy.private(redirect("servicedesk_track", token=token))
        status = 400
        if not can_rate:
            form, refusal = None, refusal or _("该诉求现在不能评价。")
    timeline = [
        (EventKind(kind).label, at)
        for kind, at in service_request.events.filter(kind__in=PUBLIC_EVENTS).values_list(
            "kind", "at"
        )
    ]
    readings = []
    if service_request.kind == RequestKind.TEMPERATURE:
        readings = list(
            service_request.temperature_readings.only(
                "request", "measured_at", "room", "average", "signature", "standard_temperature"
            )
        )
    response = render(
        request,
        "servicedesk/track.html",
        {
            "service_request": service_request,
            "deadlines": _deadline_states(service_request),
            "timeline": timeline,
            "readings": readings,
            "rating_form": form,
            "refusal": refusal,
        },
        status=status,
    )
    return privacy.private(response)
