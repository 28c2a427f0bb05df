from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

from catalogue.columns import Column


class ColumnPageForm(WagtailAdminPageForm):
    """One 栏目页 per column and site. The model checks an existing page (disclosure.models
    .ColumnPage.clean); a page being created is not in the tree yet, so its parent is known
    only here."""

    def clean(self):
        cleaned_data = super().clean()
        column = cleaned_data.get("column")
        if column and not self.instance.path and self.parent_page is not None:
            from disclosure.models import column_conflict

            message = column_conflict(column, self.parent_page)
            if message:
                self.add_error("column", message)
        return cleaned_data


class ReviewPeriodForm(forms.Form):
    column = forms.ChoiceField(choices=Column.choices)
    review_days = forms.IntegerField(min_value=1, max_value=120)
