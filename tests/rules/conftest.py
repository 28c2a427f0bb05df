import pytest

from contacts.models import Community
from tests.rules.helpers import switch_off_seeded_rules


@pytest.fixture
def own_rules(clock):
    """Only the test's own rules run, in the morning (no quiet hours)."""
    clock("2026-12-05T10:00:00")
    switch_off_seeded_rules()


@pytest.fixture
def community():
    return Community.objects.get(code="LY-0001")
