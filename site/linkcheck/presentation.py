"""How a problem is named to staff: its link target in words, and where to edit it."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext as _

from linkcheck.links import DOCUMENT, PAGE
from linkcheck.models import LinkProblem


def target_label(problem: LinkProblem) -> str:
    """The link as the editor knows it: its text and address, or the chosen page or document."""
    target = problem.target
    if target.startswith(PAGE):
        shown = _("站内页面（编号%s）") % target[len(PAGE) :]
    elif target.startswith(DOCUMENT):
        shown = _("文档（编号%s）") % target[len(DOCUMENT) :]
    else:
        shown = target
    return f"“{problem.text}” {shown}" if problem.text else shown


def edit_path(problem: LinkProblem) -> str:
    """The admin path where the link is edited: the page's editor, or the setting's (for the
    current site)."""
    if problem.page_id is not None:
        return reverse("wagtailadmin_pages:edit", args=[problem.page_id])
    content_type = ContentType.objects.get_for_id(problem.source_type_id)
    return reverse("wagtailsettings:edit", args=[content_type.app_label, content_type.model])
