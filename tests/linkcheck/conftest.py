import pytest

from tests.linkcheck.web import Web


@pytest.fixture
def web():
    server = Web().start()
    yield server
    server.stop()
