from django import template
from wagtail.models import Page

from linkcheck import usage

register = template.Library()

DELETE_VIEW = "wagtailadmin_pages:delete"
UNPUBLISH_VIEW = "wagtailadmin_pages:unpublish"


@register.inclusion_tag("linkcheck/admin/linking_sources.html", takes_context=True)
def linking_sources_warning(context):
    """The pages and settings that link to the page being deleted (or to a page below it,
    deleted with it) or unpublished; nothing elsewhere."""
    page, request = context.get("page"), context.get("request")
    view = getattr(getattr(request, "resolver_match", None), "view_name", "")
    if not isinstance(page, Page) or view not in (DELETE_VIEW, UNPUBLISH_VIEW):
        return {"sources": []}
    deleting = view == DELETE_VIEW
    sources, total = usage.linking_sources(page, with_descendants=deleting, user=request.user)
    return {
        "sources": sources,
        "total": total,
        "more": total - len(sources),
        "deleting": deleting,
        "descendants": deleting and page.get_descendants().exists(),
    }
