"""Who links to a page, for the warnings on its delete and unpublish confirmation pages.

Wagtail's usage index (ReferenceIndex) already holds the links chosen from the page tree: in
rich text (RichTextField and rich text blocks), page chooser blocks and foreign keys of pages
and of the rows inlined in them. Its confirmation pages only count them ("referenced N times",
linking to the usage page); this lists them, by title with their edit links, so an editor sees
at once what the deletion breaks. Two kinds of link are added:

- settings (the 公众号 menu's page buttons): Wagtail does not index settings models; they are
  registered here, and indexed again after every migrate (a handful of rows);
- addresses typed into links (`/faq/…`), which no index can hold: the last link check's
  `HARD_CODED` and `MOVED` findings name the page they lead to."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, transaction
from django.db.models.functions import Cast
from django.db.models.signals import post_migrate
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.contrib.settings.registry import registry as settings_registry
from wagtail.models import Page, ReferenceIndex

from linkcheck.enums import Status
from linkcheck.links import setting_label
from linkcheck.models import LinkProblem

SHOWN = 50  # sources listed; the rest are counted


@dataclass
class LinkingSource:
    label: str
    edit_url: str | None
    live: bool = True
    where: list[str] = field(default_factory=list)


def index_settings_references() -> None:
    """Settings in Wagtail's usage index, kept up to date on save like pages (AppConfig.ready),
    and their rows indexed after every migrate."""
    for model in settings_registry:
        ReferenceIndex.register_model(model)
    post_migrate.connect(_index_settings, dispatch_uid="linkcheck-index-settings")


def _index_settings(sender, using="default", **kwargs) -> None:
    """After a migrate to an earlier state (`migrate app 0005`) some settings have no table."""
    if sender.name != "linkcheck":
        return
    tables = set(connections[using].introspection.table_names())
    for model in settings_registry:
        if ReferenceIndex.is_indexed(model) and model._meta.db_table in tables:
            for setting in model.objects.all():
                with transaction.atomic():
                    ReferenceIndex.create_or_update_for_object(setting)


def linking_sources(page: Page, *, with_descendants: bool, user) -> tuple[list[LinkingSource], int]:
    """The pages and settings that link to `page` (and, when it is deleted, to the pages below
    it, deleted with it), other than those going too: the first SHOWN of them, and how many in
    all."""
    page_type = ContentType.objects.get_for_model(Page)
    targets = (
        Page.objects.descendant_of(page, inclusive=True)
        if with_descendants
        else Page.objects.filter(pk=page.pk)
    )
    target_ids = targets.annotate(id_text=Cast("pk", models.CharField())).values("id_text")
    found: dict[tuple[int, str], list[str]] = {}
    references = (
        ReferenceIndex.objects.filter(to_content_type=page_type, to_object_id__in=target_ids)
        .exclude(base_content_type=page_type, object_id__in=target_ids)
        .select_related("content_type")
        .order_by("base_content_type", "object_id", "model_path")
    )
    for reference in references:
        where = found.setdefault((reference.base_content_type_id, reference.object_id), [])
        _add(where, _describe(reference))
    typed = (
        LinkProblem.objects.filter(
            fixed_at__isnull=True,
            status__in=(Status.HARD_CODED, Status.MOVED),
            target_page__in=targets,
        )
        .exclude(page__in=targets)
        .order_by("source_type", "source_id", "where")
    )
    for problem in typed:
        where = found.setdefault((problem.source_type_id, problem.source_id), [])
        _add(where, _("%(where)s（固定地址）") % {"where": problem.where})
    sources = _sources(found, page_type, user)
    return sources[:SHOWN], len(sources)


def _add(where: list[str], description: str) -> None:
    if description not in where:
        where.append(description)


def _describe(reference: ReferenceIndex) -> str:
    try:
        return str(reference.describe_source_field())
    except Exception:  # a field renamed since the index was written
        return reference.model_path.split(".")[0]


def _sources(found: dict, page_type, user) -> list[LinkingSource]:
    page_ids = [int(object_id) for type_id, object_id in found if type_id == page_type.pk]
    pages = Page.objects.filter(pk__in=page_ids).only("pk", "title", "draft_title", "live")
    sources = [
        LinkingSource(
            label=page.get_admin_display_title(),
            edit_url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
            live=page.live,
            where=found[(page_type.pk, str(page.pk))],
        )
        for page in pages.order_by("title")
    ]
    finder = AdminURLFinder(user)
    for (type_id, object_id), where in found.items():
        if type_id == page_type.pk:
            continue
        model = ContentType.objects.get_for_id(type_id).model_class()
        obj = model._default_manager.filter(pk=object_id).first() if model else None
        if obj is None:
            continue
        label = (
            setting_label(obj)
            if model in settings_registry
            else f"{capfirst(model._meta.verbose_name)}：{obj}"
        )
        sources.append(LinkingSource(label, finder.get_edit_url(obj), where=where))
    return sources
