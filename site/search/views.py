from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from chinese_text import segmentation
from core import fragments, page_cache
from search import groups

QUERY_MAX_LENGTH = 40
PER_GROUP = 5
PER_PAGE = 20


def search(request):
    """/search/?q=…[&type=notices&page=2]: every kind of content with its first results, or
    one kind page by page."""
    page_cache.tag(request, page_cache.SEARCH)
    query = request.GET.get("q", "").strip()
    kind = groups.KINDS_BY_KEY.get(request.GET.get("type", ""))
    context = {
        "query": query[:QUERY_MAX_LENGTH],
        "query_max_length": QUERY_MAX_LENGTH,
        "kind": kind,
        "groups": [],
        "message": "",
    }
    terms = segmentation.query_terms(query) if 0 < len(query) <= QUERY_MAX_LENGTH else []
    if "q" in request.GET and not query:
        context["message"] = _("请输入要查找的内容，例如小区名称、“停水”或“发票”。")
    elif len(query) > QUERY_MAX_LENGTH:
        context["message"] = _("查找内容太长了，请不超过%(limit)s个字。") % {
            "limit": QUERY_MAX_LENGTH
        }
    elif query and not terms:
        context["message"] = _("请用汉字、字母或数字查找。")
    context["searched"] = bool(terms)
    if terms:
        page_cache.store_if_asked_again(request)
        context["results"] = _results(request, context, terms)
    return TemplateResponse(request, "search/search.html", context)


def _results(request, context: dict, terms: list[str]):
    """The results of these words, kept (core.fragments) until any content changes (the
    `search` tag, which drops cached search pages too): the same words asked again, as
    residents ask for their community over and over, are not searched again."""
    kind, page = context["kind"], request.GET.get("page")

    def search_and_render() -> str:
        found, page_obj = [], None
        if kind:
            group, page_obj = groups.one_group(request, kind, terms, page, PER_PAGE)
            found = [group] if group.count else []
        else:
            found = groups.all_groups(request, terms, PER_GROUP)
        shown = {
            **context,
            "groups": found,
            "page_obj": page_obj,
            "total": sum(group.count for group in found),
        }
        return render_to_string("search/includes/results.html", shown, request)

    key = ("search", context["query"], kind.key if kind else "", page)
    return fragments.render(request, key, [page_cache.SEARCH], search_and_render)
