"""Settings of the server process the browser tests drive (tests/browser/server.py): the test
settings, except that texts go to a file the tests read the verification code from, since the
test settings' in-memory backend lives in the server process."""

from config.env import env_str
from config.settings.test import *  # noqa: F403

SMS_BACKEND = "sms.backends.file.FileBackend"
SMS_BACKEND_OPTIONS = {"path": env_str("BROWSER_SMS_FILE")}
