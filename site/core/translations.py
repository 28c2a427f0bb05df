"""gettext answered from each process's memory.

The site's own messages are written in Chinese, so for zh-hans Django finds them in none of
the 21 catalogues (Django's, Wagtail's, the apps') nor the 11 empty `zh` fallbacks it chains,
and returned each one as it is after looking through all of them: 15 µs a message, dozens a
page (issue 19). Catalogues do not change while a process runs, so each language's answers
are remembered (bounded: `{% translate %}` of a variable could bring any text)."""

import functools

from django.conf import settings
from django.utils.translation import trans_real

MESSAGES = 8192


def remember() -> None:
    for code, _name in settings.LANGUAGES:
        translation = trans_real.translation(code)
        if not hasattr(translation.gettext, "cache_info"):
            translation.gettext = functools.lru_cache(maxsize=MESSAGES)(translation.gettext)
