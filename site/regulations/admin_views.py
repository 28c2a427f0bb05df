"""Admin import of a Word file in two steps: 预览 parses the upload and shows what was
recognised, writing nothing but the stashed upload (regulations.uploads); 创建草稿 creates the
draft page (or a new revision) and opens it in the editor, where the moderation workflow takes
over."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages

from importers.docx.tree import DocxImportError
from regulations import importer, uploads
from regulations.forms import ConfirmForm, UploadForm

TEMPLATE = "regulations/admin/import.html"
PREVIEW_TEMPLATE = "regulations/admin/preview.html"


def can_import(user) -> bool:
    """Importing creates images and a document besides the page. The editorial groups hold
    these as model permissions (home migration 0002), so those are what is checked."""
    return user.has_perms(["wagtailimages.add_image", "wagtaildocs.add_document"])


def import_view(request):
    if not can_import(request.user):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("step") == "create":
        return _create(request)
    if request.method == "POST":
        return _preview(request)
    return render(request, TEMPLATE, {"form": UploadForm(user=request.user)})


def _preview(request):
    form = UploadForm(request.POST, request.FILES, user=request.user)
    if form.is_valid():
        data, upload = form.cleaned_data["data"], form.cleaned_data["file"]
        parent, title = form.cleaned_data["parent"], form.cleaned_data["title"]
        try:
            plan = importer.plan_import(
                data, filename=upload.name, parent=parent, title=title or None
            )
        except DocxImportError as exc:
            form.add_error("file", str(exc))
        else:
            token = uploads.stash(data, filename=upload.name, user=request.user)
            confirm = ConfirmForm(
                initial={"upload": token, "parent": parent.pk, "title": title},
                user=request.user,
            )
            context = {"plan": plan, "confirm": confirm, "parent": parent, "filename": upload.name}
            return render(request, PREVIEW_TEMPLATE, context)
    return render(request, TEMPLATE, {"form": form}, status=400)


def _create(request):
    form = ConfirmForm(request.POST, user=request.user)
    try:
        if not form.is_valid():
            raise uploads.UploadExpired
        token = form.cleaned_data["upload"]
        data, filename = uploads.fetch(token, user=request.user)
    except uploads.UploadExpired:
        messages.error(request, _("上传的文件已失效，请重新上传。"))
        return redirect("regulations_import")
    try:
        result = importer.import_regulation(
            data,
            filename=filename,
            parent=form.cleaned_data["parent"],
            user=request.user,
            title=form.cleaned_data["title"] or None,
        )
    except DocxImportError as exc:
        messages.error(request, str(exc))
        return redirect("regulations_import")
    uploads.discard(token, user=request.user)
    page = result.page
    if result.created:
        message = _("已创建草稿《%(title)s》（%(summary)s），请检查后提交审核。")
    else:
        message = _("已为《%(title)s》保存新版本（%(summary)s），可在“历史”中对比修改后提交审核。")
    messages.success(request, message % {"title": page.title, "summary": result.summary})
    for warning in result.warnings:
        messages.warning(request, warning)
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
