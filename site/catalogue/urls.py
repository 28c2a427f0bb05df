"""What the portal pulls from the catalogue (docs/feeds.md): the columns' feeds, the change
API and the full exports."""

from django.urls import path

from catalogue import api, export, feeds
from catalogue.cache_tags import column_tag
from core.page_cache import tagged

column = tagged(dynamic=lambda column: [column_tag(column)])

urlpatterns = [
    path("feeds/column/<slug:column>.rss", column(feeds.column_rss), name="catalogue_column_rss"),
    path(
        "feeds/column/<slug:column>.atom", column(feeds.column_atom), name="catalogue_column_atom"
    ),
    path("api/disclosure/changes/", api.change_list, name="catalogue_changes"),
    path("api/disclosure/catalogue.json", export.catalogue_json, name="catalogue_export_json"),
    path("api/disclosure/catalogue.csv", export.catalogue_csv, name="catalogue_export_csv"),
    path("api/disclosure/catalogue.xlsx", export.catalogue_xlsx, name="catalogue_export_xlsx"),
]
