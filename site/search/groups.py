"""What the site search looks through, one group of results per kind of content in the order the
page shows them, and how a result of each kind is shown (title, link, excerpt with the matching
words marked).

Queries for all groups, whatever the number of results: one asking whether any content holds
any of the words at all (search.candidates: most unknown words stop there); one counting the
matching pages of every kind at once; one per kind with matches for its first results; one
counting communities when their group is full; one for the rows of the commitment pages shown.
Nine at most, with the private sections cached (private_sections)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Model, Q
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail.rich_text import get_text_for_indexing
from wagtail.search.backends import get_search_backend

from commitments.models import CommitmentPage
from contacts.models import Community
from faq.models import QuestionPage
from home.chrome import site_chrome
from notices.models import OutageNoticePage
from regulations.models import RegulationPage
from regulations.outline import block_anchors
from search.candidates import nothing_matches
from search.highlight import contains, excerpt, highlight
from search.private_sections import private_q


@dataclass(frozen=True)
class Hit:
    title: SafeString
    url: str
    excerpt: SafeString
    item: Model  # the template shows a notice's state and time from it


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    model: type[Model]
    show: Callable[[Any, Sequence[str], Any], Hit]
    ordering: tuple[str, ...] = ()  # empty: most relevant first
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()

    @cached_property
    def is_page(self) -> bool:
        return issubclass(self.model, Page)

    def results(self, query: str, private: Q):
        objects = self.model.objects.all()
        if self.is_page:
            objects = objects.live().exclude(private)
        objects = objects.select_related(*self.select_related).prefetch_related(
            *self.prefetch_related
        )
        if self.ordering:
            objects = objects.order_by(*self.ordering)
        return get_search_backend().search(
            query, objects, operator="and", order_by_relevance=not self.ordering
        )


@dataclass(frozen=True)
class Group:
    kind: Kind
    count: int
    hits: list[Hit]


def _notice(notice: OutageNoticePage, terms, request) -> Hit:
    return Hit(
        title=highlight(notice.title, terms),
        url=notice.get_url(request),
        excerpt=excerpt(
            [
                notice.area_name,
                notice.boundary_display,
                notice.cause,
                get_text_for_indexing(notice.details),
            ],
            terms,
        ),
        item=notice,
    )


def _community(community: Community, terms, request) -> Hit:
    """Name, district, address and station: never the manager's name or phone."""
    directory_url = (site_chrome(request) or {}).get("directory_url", "")
    aliases = _("又名%(aliases)s") % {"aliases": community.aliases} if community.aliases else ""
    facts = [community.district, aliases, community.address, community.station.name]
    return Hit(
        title=highlight(community.name, terms),
        url=f"{directory_url}{community.code}/" if directory_url else "",
        excerpt=excerpt([" · ".join(fact for fact in facts if fact)], terms),
        item=community,
    )


def _question(question: QuestionPage, terms, request) -> Hit:
    return Hit(
        title=highlight(question.title, terms),
        url=question.get_url(request),
        excerpt=excerpt([get_text_for_indexing(question.answer)], terms),
        item=question,
    )


def _commitment_page(page: CommitmentPage, terms, request) -> Hit:
    """The excerpt is the first commitment that matches, such as 退费办理：…（1个工作日内）."""
    rows = [
        f"{row.service_item}：{row.requirement}（{row.limit_display}）"
        for row in page.commitments.all()
    ]
    return Hit(
        title=highlight(page.title, terms),
        url=page.get_url(request),
        excerpt=excerpt([*rows, get_text_for_indexing(page.intro), page.source], terms),
        item=page,
    )


def _regulation(page: RegulationPage, terms, request) -> Hit:
    """The excerpt is the first passage that matches, linked to: the article (or chapter,
    section, table) it is, or the nearest one before it."""
    passage, anchor = _matching_passage(page, terms)
    url = page.get_url(request)
    return Hit(
        title=highlight(page.title, terms),
        url=f"{url}#{anchor}" if anchor else url,
        excerpt=excerpt([passage], terms),
        item=page,
    )


def _matching_passage(page: RegulationPage, terms) -> tuple[str, str]:
    """(text, anchor) of the first block that matches, else of the first block; image blocks
    are skipped without being loaded."""
    anchors = block_anchors(page.body)
    first, nearest = ("", ""), ""
    for position, raw in enumerate(page.body.raw_data):
        nearest = anchors[position] or nearest
        if raw["type"] == "image":
            continue
        child = page.body[position]
        text = " ".join(child.block.get_searchable_content(child.value))
        if contains(text, terms):
            return text, nearest
        if not first[0]:
            first = (text, "")
    return first


KINDS = [
    Kind("notices", _("停供通知"), OutageNoticePage, _notice, ordering=("-starts_at",)),
    Kind("communities", _("小区"), Community, _community, select_related=("station",)),
    Kind("faq", _("常见问题"), QuestionPage, _question),
    Kind(
        "commitments",
        _("服务承诺"),
        CommitmentPage,
        _commitment_page,
        prefetch_related=("commitments",),
    ),
    Kind("regulations", _("规章制度"), RegulationPage, _regulation),
]
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}


def all_groups(request, terms: Sequence[str], per_group: int) -> list[Group]:
    """Every kind with a match: how many, and the first `per_group`."""
    if nothing_matches(terms):
        return []
    query = " ".join(terms)
    private = private_q()
    page_counts = _page_counts(query, private)
    found = []
    for kind in KINDS:
        if kind.is_page and not page_counts[kind.model]:
            continue
        results = kind.results(query, private)
        items = list(results[:per_group])
        if kind.is_page:
            count = page_counts[kind.model]
        elif len(items) < per_group:
            count = len(items)
        else:
            count = results.count()
        if count:
            hits = [kind.show(item, terms, request) for item in items]
            found.append(Group(kind, count, hits))
    return found


def one_group(
    request, kind: Kind, terms: Sequence[str], page_number, per_page: int
) -> tuple[Group, PaginatorPage]:
    """One kind's matches, a page at a time."""
    paginator = Paginator(kind.results(" ".join(terms), private_q()), per_page)
    page = paginator.get_page(page_number)
    hits = [kind.show(item, terms, request) for item in page.object_list]
    return Group(kind, paginator.count, hits), page


def _page_counts(query: str, private: Q) -> dict[type[Model], int]:
    """Matching live pages of every page kind, counted in one query."""
    models = [kind.model for kind in KINDS if kind.is_page]
    pages = Page.objects.live().exclude(private).type(*models)
    results = get_search_backend().search(query, pages, operator="and", order_by_relevance=False)
    by_content_type = results.facet("content_type_id")
    content_types = ContentType.objects.get_for_models(*models)
    return {model: by_content_type.get(content_types[model].pk, 0) for model in models}
