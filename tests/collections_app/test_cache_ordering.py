"""A collection is rendered from the catalogue's records, which are written after the page's
own transaction commits. A reader in between must not leave a copy without the new notice:
what drops the collection is the catalogue's record of the change, not the notice's commit."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tests.collections_app.helpers import make_area, make_collection
from tests.factories.notices import make_notice

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def test_a_reader_between_the_commit_and_the_catalogue_record(
    client, clock, django_capture_on_commit_callbacks
):
    clock("2026-12-09T10:00")
    station, (community, _) = make_area()
    collection = make_collection(stations=[station])
    client.get(collection.url)
    start = timezone.make_aware(datetime(2026, 12, 10, 8))
    with django_capture_on_commit_callbacks() as after_commit:
        notice = make_notice(
            communities=[community], starts_at=start, ends_at=start + timedelta(hours=4)
        )
    assert after_commit  # the catalogue's sync among them
    for callback in after_commit:  # what runs after the commit, with a reader before each step
        client.get(collection.url)
        callback()
    assert notice.title in client.get(collection.url).content.decode()
