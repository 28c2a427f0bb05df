"""Helpers shared by the tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(client, url) -> int:
    """SQL queries of one view of `url`, after a warm-up view: in service the site chrome,
    directory facets and Wagtail's site root paths are already cached."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)
