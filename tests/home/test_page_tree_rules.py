"""Which page types may live where: the tree editors can build is the tree the site expects."""

import pytest
from wagtail.models import Page

from collections_app.models import CollectionPage
from commitments.models import CommitmentIndexPage, CommitmentPage
from contacts.pages import DirectoryPage
from disclosure.models import CataloguePage
from faq.models import FAQIndexPage, QuestionPage
from fees.models import FeeCalculatorPage, FeeSeasonPage
from home.models import HomePage
from notices.models import NoticeIndexPage
from regulations.models import RegulationIndexPage
from reports.models import AnnualReportPage, ReportIndexPage, SeasonQualityPage


def test_home_holds_only_the_sections():
    assert set(HomePage.allowed_subpage_models()) == {
        NoticeIndexPage,
        CommitmentIndexPage,
        FAQIndexPage,
        DirectoryPage,
        RegulationIndexPage,
        FeeCalculatorPage,
        CataloguePage,
        ReportIndexPage,
        CollectionPage,
    }
    assert HomePage.allowed_parent_page_models() == [Page]


@pytest.mark.parametrize(
    ("page_type", "parents", "children"),
    [
        (CommitmentIndexPage, [HomePage], [CommitmentPage]),
        (CommitmentPage, [CommitmentIndexPage], []),
        (FAQIndexPage, [HomePage], [QuestionPage]),
        (QuestionPage, [FAQIndexPage], []),
        (DirectoryPage, [HomePage], []),
        (FeeCalculatorPage, [HomePage], [FeeSeasonPage]),
        (FeeSeasonPage, [FeeCalculatorPage], []),
        (ReportIndexPage, [HomePage], [AnnualReportPage, SeasonQualityPage]),
        (AnnualReportPage, [ReportIndexPage], []),
        (SeasonQualityPage, [ReportIndexPage], []),
        (CollectionPage, [HomePage, CataloguePage], []),
    ],
)
def test_sections_and_their_children(page_type, parents, children):
    assert page_type.allowed_parent_page_models() == parents
    assert page_type.allowed_subpage_models() == children


@pytest.mark.django_db
def test_singletons_cannot_be_created_twice(home):
    # One home page, one commitments section and one directory per site.
    assert not HomePage.can_create_at(Page.get_first_root_node())
    assert not CommitmentIndexPage.can_create_at(home)
    assert not DirectoryPage.can_create_at(home)
    assert not FeeCalculatorPage.can_create_at(home)
    assert FAQIndexPage.can_create_at(home)
    assert QuestionPage.can_create_at(FAQIndexPage.objects.get())
    assert not QuestionPage.can_create_at(home)


def test_no_page_type_can_be_made_private():
    """Everything published here is public information, and the feeds, CAP, calendars and JSON
    list live pages without looking at view restrictions: editors are not offered them."""
    from wagtail.models import get_page_models

    offered = [m.__name__ for m in get_page_models() if m is not Page and m.private_page_options]
    assert offered == []
