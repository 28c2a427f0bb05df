"""The collection's editor: the query's criteria as check boxes, refused with the reason in
Chinese when they cannot select anything together."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from catalogue.changes import disclosed_models
from catalogue.columns import Column
from collections_app.query import CollectionQuery, Place
from notices.enums import NoticeState, Utility


def page_type_choices() -> list[tuple[str, str]]:
    """Every page type the catalogue discloses, by its name in the admin."""
    models = sorted(disclosed_models(), key=lambda model: model._meta.label_lower)
    return [(model._meta.label_lower, model._meta.verbose_name) for model in models]


def _choices(label, choices, help_text) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class CollectionPageForm(WagtailAdminPageForm):
    page_types = _choices(
        _("内容类型"), page_type_choices, _("只收录这些类型的页面；都不勾选为全部类型。")
    )
    columns = _choices(
        _("目录栏目"), Column.choices, _("只收录这些信息公开栏目的信息；都不勾选为全部栏目。")
    )
    utilities = _choices(
        _("停供类型"), Utility.choices, _("只收录这些类型的停供通知；都不勾选为不限。")
    )
    states = _choices(
        _("通知状态"), NoticeState.choices, _("只收录处于这些状态的停供通知；都不勾选为不限。")
    )

    def clean(self):
        cleaned_data = super().clean()
        places = [
            Place(kind, obj.pk, str(obj))
            for kind, name in (
                ("branch", "branches"),
                ("station", "stations"),
                ("community", "communities"),
            )
            for obj in cleaned_data.get(name) or ()
        ]
        query = CollectionQuery(
            page_types=tuple(cleaned_data.get("page_types") or ()),
            columns=tuple(cleaned_data.get("columns") or ()),
            utilities=tuple(cleaned_data.get("utilities") or ()),
            states=tuple(cleaned_data.get("states") or ()),
            places=tuple(places),
        )
        for name, message in query.problems().items():
            self.add_error(name, message)
        return cleaned_data
