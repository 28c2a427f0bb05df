from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from regulations.files import word_format
from regulations.models import RegulationIndexPage


def allowed_parents(user):
    """The regulation sections the user may add pages to."""
    pages = RegulationIndexPage.objects.order_by("path")
    allowed = [page.pk for page in pages if page.permissions_for_user(user).can_add_subpage()]
    return RegulationIndexPage.objects.filter(pk__in=allowed).order_by("path")


class ParentField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_admin_display_title()


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Word 文件"),
        help_text=_("请上传 .docx 文件（旧版 .doc 需服务器安装 LibreOffice 才能转换）。"),
    )
    parent = ParentField(queryset=RegulationIndexPage.objects.none(), label=_("所属栏目"))
    title = forms.CharField(
        label=_("标题"),
        required=False,
        max_length=255,
        help_text=_("留空则使用文件中的标题。同一栏目下标题相同的规章制度会保存为新版本。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = allowed_parents(user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
        if upload.size > limit:
            raise forms.ValidationError(
                _("文件过大，请不要超过%(limit)sMB。") % {"limit": limit // (1024 * 1024)}
            )
        data = upload.read()
        if word_format(data) is None:
            raise forms.ValidationError(_("文件不是 Word 文档（.docx），请检查后重新上传。"))
        self.cleaned_data["data"] = data
        return upload
