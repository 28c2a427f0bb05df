from django.apps import AppConfig


class LinkcheckConfig(AppConfig):
    """Links that readers would find broken: the daily check of the site's rich text and
    settings, its report in the admin, and the warnings when a page others link to is deleted or
    unpublished."""

    name = "linkcheck"
    verbose_name = "链接检查"

    def ready(self):
        from linkcheck import usage

        usage.index_settings_references()
