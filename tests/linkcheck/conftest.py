import pytest

from linkcheck.models import CheckedURL, LinkCheckRun, LinkProblem
from tests.linkcheck.web import Web


@pytest.fixture(autouse=True)
def _no_earlier_runs(request):
    """Each test starts with no run, problem or checked address. On PostgreSQL the suite's
    cluster tests share the test database, and their clusters run the daily schedules, the
    link check's included; what they committed is removed here inside the test's transaction
    (and comes back at its rollback)."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        LinkProblem.objects.all().delete()
        LinkCheckRun.objects.all().delete()
        CheckedURL.objects.all().delete()


@pytest.fixture
def web():
    server = Web().start()
    yield server
    server.stop()
