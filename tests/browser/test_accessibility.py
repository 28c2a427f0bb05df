"""WCAG 2.1 AA: axe-core finds no violation on the key public pages, at phone and desktop
sizes. The phone-size view of each page is saved as a screenshot (artifacts/screenshots/)."""

import pytest

from tests.browser.helpers import DESKTOP, PHONE, assert_accessible, save_screenshot

# django_db: the server copies the test database, which pytest-django sets up only for tests
# that ask for it.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PAGES = {
    "home": "/",
    "notice-list": "/notices/",
    "notice": "/notices/xingyu-east-pump-station-water/",
    "faq": "/faq/",
    "commitments": "/commitments/",
    "commitment-table": "/commitments/service-standard/",
    "directory": "/directory/",
    "community": "/directory/LY-0001/",
    "search": "/search/?q=星宇",
    "subscribe": "/sms/subscribe/",
}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_wcag_violations(new_page, name, viewport):
    page = new_page(viewport)
    response = page.goto(PAGES[name])
    assert response.status == 200, PAGES[name]
    if viewport == PHONE:
        save_screenshot(page, name)
    assert_accessible(page)
