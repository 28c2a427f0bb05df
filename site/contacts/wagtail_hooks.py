"""Admin listings search with the database (substring, and pinyin via pinyin_key), also for
communities, which are in the site search index too (see the search app)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from chinese_text import vocabulary
from contacts import admin_views, my_community
from contacts.models import Branch, Community, Station
from contacts.pages import DirectoryPage
from core import sections
from home import chrome


class BranchViewSet(SnippetViewSet):
    model = Branch
    icon = "home"
    list_display = ["name", "phone", "address"]
    search_fields = ["name", "address"]


class StationViewSet(SnippetViewSet):
    model = Station
    icon = "pick"
    list_display = ["name", "kind", "branch", "phone", "person_in_charge"]
    list_filter = ["kind", "branch"]
    search_fields = ["name", "office_address", "person_in_charge"]


class CommunityViewSet(SnippetViewSet):
    model = Community
    icon = "group"
    list_display = ["name", "code", "district", "station", "manager_name", "manager_phone"]
    list_filter = ["district", "station"]
    list_per_page = 50
    search_fields = ["name", "aliases", "code", "address", "pinyin_key"]
    search_backend_name = None  # substring search over the fields above, not the site index
    ordering = ["district", "name"]

    def get_queryset(self, request):
        return Community.objects.select_related("station")


class ContactsGroup(SnippetViewSetGroup):
    items = (CommunityViewSet, StationViewSet, BranchViewSet)
    menu_icon = "group"
    menu_label = _("联系名录")
    menu_name = "contacts"


register_snippet(ContactsGroup)


@hooks.register("register_admin_urls")
def register_directory_csv_urls():
    return [
        path("contacts/import/", admin_views.import_view, name="contacts_import"),
        path("contacts/export/", admin_views.export_view, name="contacts_export"),
    ]


class DirectoryCsvMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perms(["contacts.add_community", "contacts.change_community"])


@hooks.register("register_admin_menu_item")
def register_directory_csv_menu_item():
    return DirectoryCsvMenuItem(
        _("小区名录导入导出"), reverse("contacts_import"), icon_name="upload", order=310
    )


# The resident's own community leads the home page (core.sections).
hooks.register(sections.HOME_PAGE, my_community.my_community_section)


@hooks.register(vocabulary.PLACE_NAMES)
def directory_place_names() -> list[str]:
    """Communities with their aliases, stations with their offices: words of the search."""
    names = []
    for name, aliases in Community.objects.values_list("name", "aliases"):
        names += [name, aliases]
    for name, office in Station.objects.values_list("name", "office_address"):
        names += [name, office]
    return names


@hooks.register(chrome.DIRECTORY_URL)
def directory_url(site) -> str:
    directory = site.root_page.get_descendants().live().type(DirectoryPage).first()
    return directory.get_url() if directory else ""
