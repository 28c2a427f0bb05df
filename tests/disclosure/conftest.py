# The catalogue syncs a page after its transaction commits: the same fixture as its tests'.
from tests.catalogue.conftest import commits_at_once  # noqa: F401
