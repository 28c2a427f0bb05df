from collections import Counter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm


class CommitmentPageForm(WagtailAdminPageForm):
    """Keys identify commitments to the rest of the system. The inline formset refuses a
    duplicate too, but its message names raw fields ("page 和 key"); this one says which key.
    Runs before the formset is cleaned, so it reads the submitted rows."""

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("commitments")
        if formset is None:
            return cleaned_data
        keys = Counter(
            (form.data.get(form.add_prefix("key")) or "").strip()
            for form in formset.forms
            if not form.data.get(form.add_prefix("DELETE"))
        )
        duplicates = sorted(key for key, count in keys.items() if key and count > 1)
        if duplicates:
            raise ValidationError(
                _("服务时限中的标识不能重复：%(keys)s。") % {"keys": "、".join(duplicates)}
            )
        return cleaned_data
