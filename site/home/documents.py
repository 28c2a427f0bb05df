"""Wagtail documents are checked by their content, not their name: an HTML page, an SVG or a
script renamed .pdf, or a .docx that is no Word file, is refused at upload (every document
form of the admin: single, multiple and chooser uploads). Together with how documents are
served (settings: WAGTAILDOCS_SERVE_METHOD and friends) an upload can never run script in the
site's origin. Regulations' .docx uploads have their own check (regulations.files)."""

import io
import re
import zipfile

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

# The start of an Office 97–2003 file (OLE compound document): .doc, and also .xls or .ppt.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An Office Open XML package is a zip holding [Content_Types].xml and its main part.
OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
# Markup a browser would run if it ever rendered the file; no spreadsheet of ours holds it.
MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|meta|link|style|xml)\b",
    re.IGNORECASE,
)


def _is_ooxml(data: bytes, extension: str) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())  # the directory only: nothing is decompressed
    except (zipfile.BadZipFile, OSError):
        return False
    return "[Content_Types].xml" in names and OOXML_MAIN_PART[extension] in names


def _is_text(data: bytes) -> bool:
    """A CSV file: UTF-8 (with or without BOM) or GBK text, no markup, no binary. The whole
    file is looked at (at most WAGTAILDOCS_MAX_UPLOAD_SIZE)."""
    if b"\x00" in data or MARKUP.search(data):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


CHECKS = {
    "pdf": lambda data: data.startswith(b"%PDF-"),
    "doc": lambda data: data.startswith(OLE_MAGIC),
    "docx": lambda data: _is_ooxml(data, "docx"),
    "xlsx": lambda data: _is_ooxml(data, "xlsx"),
    "csv": _is_text,
}


def content_matches(data: bytes, extension: str) -> bool:
    """Whether `data` is a file of the kind `extension` names; False for an unknown one."""
    check = CHECKS.get(extension.lower())
    return bool(check and check(data))


class DocumentForm(BaseDocumentForm):
    """WAGTAILDOCS_DOCUMENT_FORM_BASE. The extension itself is checked by Wagtail
    (WAGTAILDOCS_EXTENSIONS); here the content must match it."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or "file" not in self.changed_data:
            return upload
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in CHECKS:
            return upload  # Wagtail refuses the extension itself, with its own message
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        if not content_matches(data, extension):
            raise forms.ValidationError(
                _("文件内容与扩展名 .%(extension)s 不符，请上传真正的 %(kind)s 文件。"),
                code="content_mismatch",
                params={"extension": extension, "kind": extension.upper()},
            )
        return upload
