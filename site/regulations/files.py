"""What an uploaded file really is, judged by its content and never by its name, and the
conversion of legacy Word files (.doc) with LibreOffice when it is installed."""

import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

from importers.docx.tree import DocxImportError

DOCX = "docx"
DOC = "doc"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc (and other old Office files)
CONVERT_TIMEOUT = 120  # seconds
IMAGE_EXTENSIONS = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)
MAX_STEM = 60  # characters kept of an uploaded file's name; storage adds its own prefix


def word_format(data: bytes) -> str | None:
    """DOCX, DOC or None. A .docx is a zip holding word/document.xml."""
    if data.startswith(OLE_MAGIC):
        return DOC
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return DOCX if "word/document.xml" in archive.namelist() else None
    except (zipfile.BadZipFile, OSError):
        return None


def image_extension(data: bytes) -> str | None:
    """png, jpg, gif or webp: the formats every browser shows; None for EMF, WMF, TIFF ..."""
    for magic, extension in IMAGE_EXTENSIONS:
        if data.startswith(magic):
            return extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def docx_bytes(data: bytes) -> bytes:
    """The file as .docx, converting a legacy .doc; DocxImportError for anything else."""
    kind = word_format(data)
    if kind == DOCX:
        return data
    if kind == DOC:
        return convert_doc(data)
    raise DocxImportError(_("文件不是 Word 文档（.docx），请检查后重新上传。"))


def convert_doc(data: bytes) -> bytes:
    soffice = shutil.which("soffice")
    if soffice is None:
        raise DocxImportError(_("不支持旧版 .doc 文件，请另存为 .docx 后上传。"))
    with tempfile.TemporaryDirectory(prefix="regulation-doc-") as workdir:
        work = Path(workdir)
        source = work / "upload.doc"
        source.write_bytes(data)
        command = [
            soffice,
            "--headless",
            "--norestore",
            # A profile of its own: a desktop LibreOffice left open would otherwise take over.
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to",
            "docx",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT, check=True)  # noqa: S603
            return (work / "upload.docx").read_bytes()
        except (subprocess.SubprocessError, OSError):
            raise DocxImportError(
                _("旧版 .doc 文件转换失败，请在 Word 中另存为 .docx 后上传。")
            ) from None


def safe_filename(filename: str, extension: str, fallback: str) -> str:
    """The name's last path part, shortened, with the extension the content really has."""
    stem = Path(filename.replace("\\", "/")).stem.strip() or fallback
    return f"{stem[:MAX_STEM]}.{extension}"
