"""Sections one app adds to another app's page without that app importing it, as Wagtail hooks:
the adding app registers a provider in its wagtail_hooks.py, the page collects what the
providers return. The dependency points from the adding app to the page's, never back
(contacts never imports notices, yet a community's page lists its outages).

A provider returns None (nothing to add) or a dict with `template`, optionally `head_template`
(links for the page head), and `context`. A section that shows only what page-cache tags
name can say so with `fragment` (a tuple of what it depends on besides them) and
`fragment_tags`: core/includes/sections.html then renders it once per change (core.fragments),
so its context must read nothing until it is rendered. Providers run in the order of
INSTALLED_APPS."""

from wagtail import hooks

HOME_PAGE = "home_page_sections"  # provider(request): the top of the home page
COMMUNITY_PAGE = "community_page_sections"  # provider(request, community)
NOTICE_PAGE = "notice_page_sections"  # provider(request, notice)


def sections(hook_name: str, *args) -> list[dict]:
    found = (provider(*args) for provider in hooks.get_hooks(hook_name))
    return [section for section in found if section]
