"""A Word file becomes a draft RegulationPage: images become Wagtail images, the file itself the
page's original (下载原文), the document tree its body. Publishing stays with the moderation
workflow: the importer never publishes.

The same regulation is recognised by `source_key` (from the title) under the same parent: a
re-import saves a new revision of that page, so the admin's revision comparison shows what
changed. Every write happens in one transaction; if anything fails, no page, image or document
is left, and files already written to storage are removed. The transaction holds only the
writes: the file is parsed and its blocks built before it, and Wagtail's search and reference
indexing of the page (the segmentation of its whole text) runs once after it
(core.wagtail_tasks), so a large regulation holds the database's write lock briefly."""

import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image as PillowImage
from wagtail.coreutils import find_available_slug
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Page
from wagtail.utils.file import hash_filelike

from core import wagtail_tasks
from importers.docx.tree import Article, Document, DocxImportError
from importers.docx.tree import Image as TreeImage
from jobs.progress import Progress
from regulations.conversion import count_blocks, find_effective_date, to_stream
from regulations.files import docx_bytes, image_extension, safe_filename, word_format
from regulations.models import RegulationPage

SOURCE_KEY_MAX = 200
SLUG_MAX = 50
PREVIEW_ARTICLES = 5


@dataclass(frozen=True)
class Plan:
    """What importing a document would do, worked out without writing anything."""

    title: str
    source_key: str
    counts: dict[str, int]
    first_articles: list[str]
    warnings: list[str]
    existing: RegulationPage | None


@dataclass(frozen=True)
class ImportResult:
    page: RegulationPage
    created: bool
    counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return describe(self.counts)


def describe(counts: dict[str, int]) -> str:
    return (
        _("%(chapters)s章、%(sections)s节、%(articles)s条、%(tables)s个表格、%(images)s张图片")
        % counts
    )


def read_document(data: bytes, *, filename: str) -> Document:
    """Parse a .docx (or a .doc, converted first); DocxImportError with a Chinese message."""
    data = docx_bytes(data)
    from importers.docx.parser import parse_docx  # written alongside; imported when used

    return parse_docx(data, filename=filename)


def source_key_for(title: str) -> str:
    """The title without spaces, punctuation or width differences: 《供热管理办法》 and
    供热管理办法 are the same regulation."""
    normalized = unicodedata.normalize("NFKC", title).casefold()
    return re.sub(r"[\W_]+", "", normalized)[:SOURCE_KEY_MAX]


def plan_import(data: bytes, *, filename: str, parent: Page, title: str | None = None) -> Plan:
    return plan_document(read_document(data, filename=filename), filename, parent, title)


def plan_document(document: Document, filename: str, parent: Page, title: str | None) -> Plan:
    title = resolve_title(document, filename, title)
    key = source_key_for(title)
    _check_parent(parent)
    images, warnings = _check_images(document)
    articles = [block.number for block in document.blocks if isinstance(block, Article)]
    return Plan(
        title=title,
        source_key=key,
        counts={**document.stats, "images": sum(1 for image in images if image)},
        first_articles=articles[:PREVIEW_ARTICLES],
        warnings=warnings,
        existing=_existing(parent, key),
    )


def import_regulation(
    data: bytes,
    *,
    filename: str,
    parent: Page,
    user=None,
    title: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    progress = progress or Progress()
    progress.stage(_("读取 Word 文件"))
    document = read_document(data, filename=filename)
    return import_document(
        document,
        original=data,
        filename=filename,
        parent=parent,
        user=user,
        title=title,
        progress=progress,
    )


def import_document(
    document: Document,
    *,
    original: bytes,
    filename: str,
    parent: Page,
    user=None,
    title: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Create the draft page, or a new revision of the page with the same source key."""
    progress = progress or Progress()
    _check_parent(parent)
    page_title = resolve_title(document, filename, title)
    key = source_key_for(page_title)
    checked, warnings = _check_images(document)
    stored: list = []  # files written to storage, removed again if the import fails
    with wagtail_tasks.held_back():
        progress.stage(_("写入数据库"))
        try:
            with transaction.atomic():
                image_ids = [
                    _store_image(*item, user, stored).pk if item else None for item in checked
                ]
                stream = to_stream(document, key, image_ids)
                existing = _existing(parent, key)
                if existing is not None:
                    _check_can_edit(existing, user)
                    page = existing.get_latest_revision_as_object()
                    if title:
                        page.title = page_title
                else:
                    page = RegulationPage(
                        title=page_title,
                        slug=_free_slug(parent, page_title),
                        source_key=key,
                        live=False,
                        owner=user,
                    )
                page.body = stream
                page.original = _original(
                    page.original, original, filename, page_title, user, stored
                )
                page.effective_date = page.effective_date or find_effective_date(document)
                if existing is None:
                    parent.add_child(instance=page)
                    page.save_revision(user=user, log_action=False)
                    log(instance=page, action="wagtail.create", user=user)
                else:
                    page.save_revision(user=user, log_action=True)
                progress.mark_written()
        except BaseException:
            for storage, name in stored:
                storage.delete(name)
            raise
        progress.stage(_("更新搜索索引"))
    return ImportResult(
        page=page, created=existing is None, counts=count_blocks(stream), warnings=warnings
    )


def resolve_title(document: Document, filename: str, title: str | None) -> str:
    for candidate in (title, document.title, Path(filename.replace("\\", "/")).stem):
        candidate = (candidate or "").strip()
        if source_key_for(candidate):
            return candidate[:255]
    raise DocxImportError(_("无法确定文件的标题，请填写标题后重新导入。"))


def _check_parent(parent: Page) -> None:
    if not RegulationPage.can_create_at(parent):
        raise DocxImportError(_("“%(title)s”下不能添加规章制度。") % {"title": parent.title})


def _check_can_edit(page: RegulationPage, user) -> None:
    if user is None:
        return
    if not page.permissions_for_user(user).can_edit():
        raise DocxImportError(_("您没有修改《%(title)s》的权限。") % {"title": page.title})
    lock = page.get_lock()
    if lock is not None and lock.for_user(user):
        raise DocxImportError(
            _("《%(title)s》已被锁定，暂时不能导入新版本。") % {"title": page.title}
        )


def _existing(parent: Page, key: str) -> RegulationPage | None:
    return RegulationPage.objects.child_of(parent).filter(source_key=key).first()


def _free_slug(parent: Page, title: str) -> str:
    return find_available_slug(
        parent, slugify(title, allow_unicode=True)[:SLUG_MAX] or "regulation"
    )


def _image_problem(block: TreeImage, number: int) -> str | None:
    """Why an image is left out: browsers do not show EMF, WMF or TIFF, and a broken file is
    better skipped (and named) than failing the whole import."""
    name = block.filename or _("第%(number)s张图片") % {"number": number}
    if image_extension(block.data) is None:
        return _(
            "第%(number)s张图片（%(name)s）不是网页能显示的格式，已略过；"
            "可在 Word 中将其另存为 PNG 或 JPEG 后重新导入。"
        ) % {"number": number, "name": name}
    try:
        with PillowImage.open(io.BytesIO(block.data)) as picture:
            picture.verify()
    except Exception:
        return _("第%(number)s张图片（%(name)s）无法读取，已略过。") % {
            "number": number,
            "name": name,
        }
    return None


def _check_images(document: Document) -> tuple[list[tuple[TreeImage, int] | None], list[str]]:
    """Per picture in document order, (picture, number) if it can be imported, else None; and
    what the editor should know about them."""
    checked, warnings = [], []
    pictures = [block for block in document.blocks if isinstance(block, TreeImage)]
    for number, block in enumerate(pictures, start=1):
        problem = _image_problem(block, number)
        if problem:
            warnings.append(problem)
        checked.append(None if problem else (block, number))
    missing_alt = sum(1 for item in checked if item and not item[0].alt.strip())
    if missing_alt:
        warnings.append(
            _("%(count)s张图片没有替代文字，请在编辑页为有内容的图片补上（纯装饰的可不填）。")
            % {"count": missing_alt}
        )
    return checked, warnings


def _store_image(block: TreeImage, number: int, user, stored: list):
    """A Wagtail image of the picture; the same picture imported before is reused."""
    image_model = get_image_model()
    file_hash = hash_filelike(io.BytesIO(block.data))
    image = image_model.objects.filter(file_hash=file_hash).first()
    if image is not None:
        return image
    name = safe_filename(block.filename, image_extension(block.data), f"image{number}")
    image = image_model(
        title=(block.alt or Path(name).stem)[:255],
        description=block.alt[:255],
        uploaded_by_user=user,
        file=ImageFile(io.BytesIO(block.data), name=name),
        file_size=len(block.data),
        file_hash=file_hash,
    )
    image.save()
    stored.append((image.file.storage, image.file.name))
    return image


def _original(current, data: bytes, filename: str, title: str, user, stored: list):
    """The uploaded file as a Wagtail document; kept as it is if the file did not change."""
    file_hash = hash_filelike(io.BytesIO(data))
    if current is not None and current.file_hash == file_hash:
        return current
    name = safe_filename(filename, word_format(data) or "docx", "regulation")
    document = get_document_model()(
        title=title,
        uploaded_by_user=user,
        file=ContentFile(data, name=name),
        file_size=len(data),
        file_hash=file_hash,
    )
    document.save()
    stored.append((document.file.storage, document.file.name))
    return document
