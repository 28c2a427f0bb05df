"""Other apps add sections to a notice's page without notices importing them (alerts adds the
SMS subscribe form). Same contract as contacts.extensions: a provider returns None or a dict
with `template` and `context`."""

from collections.abc import Callable

_providers: list[Callable] = []


def register_notice_section(provider: Callable) -> None:
    if provider not in _providers:
        _providers.append(provider)


def notice_sections(request, notice) -> list[dict]:
    sections = (provider(request, notice) for provider in _providers)
    return [section for section in sections if section]
