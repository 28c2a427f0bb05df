"""Header and footer come from a cache that is dropped when what they show changes."""

import pytest

from home.models import SiteSettings
from tests.factories.pages import publish_child

pytestmark = pytest.mark.django_db


def test_new_menu_section_appears_at_once(client, home):
    from faq.models import FAQIndexPage

    assert "办事指南" not in client.get("/").content.decode()
    page = FAQIndexPage(title="办事指南", slug="guide", show_in_menus=True)
    # Only one FAQ index is expected in practice; creation rules are tested elsewhere.
    publish_child(home, page)
    assert 'href="/guide/">办事指南</a>' in client.get("/directory/").content.decode()
    page.unpublish()
    assert "办事指南" not in client.get("/directory/").content.decode()


def test_changed_hotline_shows_on_the_next_view(client, site):
    assert "tel:9612399" in client.get("/faq/").content.decode()
    settings = SiteSettings.for_site(site)
    settings.hotlines = [
        (
            "hotline",
            {"kind": "service", "label": "客服热线", "number": "0431-0000-8888", "hours": ""},
        )
    ]
    settings.save()
    body = client.get("/faq/").content.decode()
    assert "tel:9612399" not in body and 'href="tel:043100008888"' in body
