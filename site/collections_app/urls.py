"""A collection's machine channels, by the page's id: an address that outlives a rename or a
move of the page, as the items' GUIDs do (docs/feeds.md, "Collections")."""

from django.urls import path

from collections_app import channels
from collections_app.cache_tags import page
from core.page_cache import tagged

# Every response shows the collection itself (its title and criteria): dropped when it is
# published again. What else it shows, the views tag (collections_app.reading).
one_collection = tagged(dynamic=lambda collection_id: [page(collection_id)])

ROUTES = [
    ("feeds/collection/<id:collection_id>.rss", channels.rss, "collection_feed_rss"),
    ("feeds/collection/<id:collection_id>.atom", channels.atom, "collection_feed_atom"),
    ("calendar/collection/<id:collection_id>.ics", channels.ical, "collection_ical"),
    ("api/collections/<id:collection_id>/", channels.items_json, "api_collection"),
]
urlpatterns = [path(route, one_collection(view), name=name) for route, view, name in ROUTES]
