from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from importers.docx.tree import DocxImportError
from regulations.importer import import_regulation


class Command(BaseCommand):
    help = "从 Word 文件导入规章制度，保存为草稿（已有同名规章制度时保存为新版本），不会直接发布。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Word 文件路径（.docx）")
        parser.add_argument(
            "--parent", required=True, help="所属栏目：网址路径（如 /regulations/）或页面编号"
        )
        parser.add_argument("--title", default=None, help="标题（默认取自文件）")

    def handle(self, *args, file: Path, parent: str, title: str | None, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("无法读取文件 %(file)s：%(error)s") % {"file": file, "error": exc.strerror}
            ) from None
        try:
            result = import_regulation(
                data, filename=file.name, parent=find_page(parent), title=title
            )
        except DocxImportError as exc:
            raise CommandError(str(exc)) from None
        page = result.page
        done = _("已创建草稿") if result.created else _("已保存新版本")
        self.stdout.write(self.style.SUCCESS(f"{done}《{page.title}》：{result.summary}。"))
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(warning))
        edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        self.stdout.write(_("后台编辑：%(url)s") % {"url": edit_url})


def find_page(reference: str) -> Page:
    """A page by id, or by its URL path on the default site (/regulations/)."""
    page = None
    if reference.isdigit():
        page = Page.objects.filter(pk=int(reference)).first()
    else:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is not None:
            path = reference.strip("/")
            url_path = site.root_page.url_path + (f"{path}/" if path else "")
            page = Page.objects.filter(url_path=url_path).first()
    if page is None:
        raise CommandError(
            _("找不到栏目“%(parent)s”，请填写网址路径（如 /regulations/）或页面编号。")
            % {"parent": reference}
        )
    return page
