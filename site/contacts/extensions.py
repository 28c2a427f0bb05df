"""Other apps add sections to a community's page without contacts importing them (the
dependency points from them to contacts): notices, for instance, lists the community's
current outages there. A provider returns None or a dict with `template` (the section),
optionally `head_template` (links for the page head) and `context`."""

from collections.abc import Callable

_providers: list[Callable] = []


def register_community_section(provider: Callable) -> None:
    if provider not in _providers:
        _providers.append(provider)


def community_sections(request, community) -> list[dict]:
    sections = (provider(request, community) for provider in _providers)
    return [section for section in sections if section]
