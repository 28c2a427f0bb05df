"""Collections for the tests, and places of their own: the demo's notices lie around the day the
test database was loaded, so a test that counts what a collection holds names places nothing
else uses."""

import itertools

from django.utils import timezone

from collections_app.models import CollectionPage
from collections_app.query import CollectionQuery, Place
from contacts.models import Branch
from home.models import HomePage
from tests.factories.contacts import make_community, make_station
from tests.factories.pages import publish_child

_numbers = itertools.count(1)


def make_branch(**fields) -> Branch:
    return Branch.objects.create(**{"name": f"测试分公司{next(_numbers)}", **fields})


def make_area(branch: Branch | None = None, communities: int = 2):
    """A station (of `branch`, if given) with communities of its own."""
    station = make_station(branch=branch)
    return station, [make_community(station=station) for _ in range(communities)]


def make_collection(
    parent=None, *, branches=(), stations=(), communities=(), **fields
) -> CollectionPage:
    number = next(_numbers)
    page = CollectionPage(
        **{"title": f"测试专题{number}", "slug": f"test-collection-{number}", **fields}
    )
    page.branches.set(list(branches))
    page.stations.set(list(stations))
    page.communities.set(list(communities))
    return publish_child(parent or HomePage.objects.get(), page)


def place(entry) -> Place:
    kind = type(entry).__name__.lower()
    return Place(kind, entry.pk, str(entry), getattr(entry, "code", ""))


def selected(now=None, **criteria) -> set[int]:
    """The page ids a query of `criteria` selects (places given as directory rows)."""
    places = tuple(place(entry) for entry in criteria.pop("places", ()))
    query = CollectionQuery(places=places, **criteria)
    return set(query.items(now or timezone.now()).values_list("page_id", flat=True))
