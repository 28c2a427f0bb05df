"""Loads the demo's collections (demo.content.collections) as part of load_demo, under the
home page. Idempotent as the rest of it: a collection found by slug is left as it is."""

from collections_app.models import CollectionPage
from contacts.models import Branch, Station
from demo.content import collections as content
from home.models import HomePage


def load_collections(home: HomePage, publish) -> None:
    """`publish(parent, page)` is demo.loader's; the directory is loaded before."""
    for data in content.COLLECTIONS:
        page = CollectionPage(
            title=data["title"],
            slug=data["slug"],
            search_description=data["search_description"],
            intro=data["intro"],
            utilities=data["utilities"],
            window=data["window"],
        )
        page.stations.set(Station.objects.filter(name__in=data.get("stations", ())))
        page.branches.set(Branch.objects.filter(name__in=data.get("branches", ())))
        publish(home, page)
