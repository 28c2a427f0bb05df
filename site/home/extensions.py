"""Other apps add sections to the top of the home page without home importing them: contacts,
for instance, leads with the resident's own community. A provider returns None or a dict with
`template` and `context`."""

from collections.abc import Callable

_providers: list[Callable] = []


def register_home_section(provider: Callable) -> None:
    if provider not in _providers:
        _providers.append(provider)


def home_sections(request) -> list[dict]:
    sections = (provider(request) for provider in _providers)
    return [section for section in sections if section]
