from itertools import groupby

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Page

from catalogue.columns import Column
from catalogue.models import CatalogueSection, DisclosedPage
from contacts import cache_tags, entries, my_community
from contacts.facets import directory_facets
from contacts.models import Community
from core import page_cache
from core.pages import BasePage
from core.sections import COMMUNITY_PAGE, sections
from home.models import HomePage

QUERY_MAX_LENGTH = 40


class DirectoryPage(CatalogueSection, DisclosedPage, RoutablePageMixin, BasePage):
    """The public directory: branches, stations and communities, and a page per community
    at `<directory>/<community code>/`. Every view here costs a fixed number of queries."""

    catalogue_column = Column.OUTLETS

    intro = RichTextField(_("导语"), blank=True, features=["bold", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = [HomePage]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("联系名录页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["directory_url"] = self.url
        return context

    def get_sitemap_urls(self, request=None):
        """The directory and every community's page, in one query whatever their number. A
        community's record keeps no time of change: its page carries the directory's."""
        urls = super().get_sitemap_urls(request)
        if not urls:
            return urls
        directory = urls[0]
        codes = Community.objects.order_by("code").values_list("code", flat=True)
        return [
            *urls,
            *(
                {
                    "location": directory["location"]
                    + self.reverse_subpage("community", kwargs={"code": code}),
                    "lastmod": directory["lastmod"],
                }
                for code in codes
            ),
        ]

    @path("")
    def index(self, request):
        query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
        district = request.GET.get("district", "").strip()[:QUERY_MAX_LENGTH]
        communities = Community.objects.for_directory().order_by(
            "district", "station__name", "name"
        )
        page_cache.tag(request, cache_tags.DIRECTORY)
        facets = directory_facets()
        districts = facets["districts"]
        if query:
            communities = communities.lookup(query)
        if district:
            communities = communities.filter(district=district)
        context = self.get_context(request)
        context.update(
            query=query,
            district=district if district in districts else "",
            districts=districts,
            groups=_group_by_district_and_station(communities),
            searching=bool(query or district),
            branches=facets["branches"],
            stations=facets["stations"],
        )
        return TemplateResponse(request, "contacts/directory_page.html", context)

    @re_path(r"^(?P<code>[-\w]+)/$", name="community")
    def community(self, request, code):
        community = entries.community(request, code)
        if community is None:
            raise Http404
        # What the page's top shows: kept as a fragment (core.fragments) until one changes.
        community_tags = [*cache_tags.for_community(community), page_cache.page_tag(self.pk)]
        page_cache.tag(request, *community_tags)
        context = self.get_context(request)
        context.update(
            community=community,
            community_tags=community_tags,
            station=community.station,
            sections=sections(COMMUNITY_PAGE, request, community),
            is_my_community=my_community.chosen_code(request) == community.code,
        )
        return TemplateResponse(request, "contacts/community_page.html", context)


def _group_by_district_and_station(communities) -> list[dict]:
    """[{district, count, stations: [{station, communities}]}] from one ordered query."""
    groups = []
    for district, in_district in groupby(communities, key=lambda c: c.district):
        stations = [
            {"station": station, "communities": list(rows)}
            for station, rows in groupby(in_district, key=lambda c: c.station)
        ]
        groups.append(
            {
                "district": district,
                "count": sum(len(s["communities"]) for s in stations),
                "stations": stations,
            }
        )
    return groups
