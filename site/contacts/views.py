"""Choosing “我的小区”: a search by name or pinyin initials, then a button per result that
remembers the choice (POST, CSRF-protected) and returns to the home page, which leads with it."""

from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from contacts import my_community
from contacts.models import Community
from contacts.pages import QUERY_MAX_LENGTH
from core.ratelimit import limit_posts

MAX_RESULTS = 30
# Per IP: 100 choices in 10 minutes, more than a family sharing one address needs.
RATE_LIMIT = (100, 600)


@limit_posts("my-community", *RATE_LIMIT, gettext_lazy("操作太频繁，请十分钟后再试。"))
@require_http_methods(["GET", "POST"])
def choose(request):
    if request.method == "POST":
        if request.POST.get("action") == "forget":
            response = redirect("/")
            my_community.forget(response)
            return response
        community = Community.objects.filter(code=request.POST.get("code", "")).first()
        if community is None:
            return HttpResponseBadRequest(_("没有这个小区，请重新查找。"))
        response = redirect("/#my-community")
        my_community.remember(response, community)
        return response
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    results = list(Community.objects.lookup(query).order_by("name")[: MAX_RESULTS + 1])
    return render(
        request,
        "contacts/choose_community.html",
        {
            "query": query,
            "results": results[:MAX_RESULTS],
            "more": len(results) > MAX_RESULTS,
            "chosen": my_community.chosen_code(request),
        },
    )
