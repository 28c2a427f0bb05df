"""Opening a .docx as a zip package, refusing what is not one or is not safe to open.

Checks run in this order, each before anything is decompressed that it guards against:
size of the upload; an OLE compound file (an encrypted .docx or a legacy .doc); the zip's
end-of-central-directory record (entry count, read before zipfile builds an entry per record);
the central directory's declared sizes (total and per-entry compression ratio); then the main
document part, found through _rels/.rels as Word does, with its content type and namespace
(Strict OOXML refused).

Parts are decompressed in chunks of CHUNK bytes and never past their declared size: zipfile's
own `read()` asks zlib for up to 1 GiB at once and only then cuts to the declared size, so a
"lying" directory (4,000 bytes declared for a 1 GiB stream) would fill memory before the lie
shows. Read in chunks, the lie ends at the declared size, where the CRC check refuses it. Only
the methods Word writes (stored, deflate) are accepted: bzip2 and LZMA decompress without any
output limit in zipfile.

Only the parts the body needs are read: the main document, its relationships, styles,
numbering, and the images the body shows. Headers, footers, comments and footnotes are never
opened. Every XML part is parsed without DTDs, entities or network access, and a part that
declares a DTD is refused."""

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from urllib.parse import unquote

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from importers.docx.ooxml import STRICT_W, Element, W
from importers.docx.tree import DocxImportError

MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
MAX_PARTS = 2_000
MAX_RATIO = 200  # uncompressed / compressed; deflate tops out near 1,030
RATIO_CHECKED_FROM = 1024 * 1024  # smaller entries cannot do harm whatever their ratio
MB = 1024 * 1024
CHUNK = 64 * 1024  # bytes decompressed per step
WORD_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_DIRECTORY_ENTRY = 128
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
WORD_MAIN_CONTENT_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
SAVE_AS_DOCX = "请在 Word 或 WPS 中另存为“Word 文档 (*.docx)”后再导入。"
_NOT_ZIP_HINTS = (
    (b"%PDF", "（这是 PDF 文件）"),
    (b"{\\rtf", "（这是 RTF 文件）"),
    (b"<html", "（这是网页文件）"),
    (b"<!DOCTYPE html", "（这是网页文件）"),
)
_OTHER_PACKAGES = (
    ("xl/workbook.xml", "（这是 Excel 表格）"),
    ("ppt/presentation.xml", "（这是 PowerPoint 演示文稿）"),
    ("content.xml", "（这是 OpenDocument / WPS 文档，不是 .docx）"),
)


@dataclass(frozen=True)
class Relationship:
    type: str
    target: str  # a part name in the package, or the external address
    external: bool


class Package:
    def __init__(self, data: bytes, max_bytes: int):
        _check_size(data, max_bytes)
        if data.startswith(OLE_SIGNATURE):
            raise DocxImportError(_ole_message(data))
        _check_entry_count(data)
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            ValueError,
            EOFError,
            NotImplementedError,
        ):
            raise DocxImportError(_not_a_zip_message(data)) from None
        _check_declared_sizes(self._zip.infolist())
        self._names = {info.filename.lower(): info.filename for info in self._zip.infolist()}
        self._parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        self._content_types = self._read_content_types()
        self.main = self._main_part()

    def document_body(self) -> Element:
        root = self.xml(self.main)
        if root.tag.startswith("{" + STRICT_W + "}"):
            raise DocxImportError(_strict_message())
        body = root.find(W + "body")
        if root.tag != W + "document" or body is None:
            raise DocxImportError(f"Word 文档已损坏：“{self.main}”里没有正文。")
        return body

    def related_xml(self, rel_type: str) -> Element | None:
        """The first part of type `rel_type` the main document points to (styles, numbering)."""
        for rel in self.relationships(self.main).values():
            if rel.type == rel_type and not rel.external and self.has(rel.target):
                return self.xml(rel.target)
        return None

    def relationships(self, part: str) -> dict[str, Relationship]:
        directory, name = posixpath.split(part)
        rels_part = posixpath.join(directory, "_rels", name + ".rels")
        if not self.has(rels_part):
            return {}
        relationships = {}
        for rel in self.xml(rels_part).iter(_RELATIONSHIPS):
            target = rel.get("Target", "")
            external = rel.get("TargetMode") == "External"
            if not external:
                target = posixpath.normpath(posixpath.join("/" + directory, target)).lstrip("/")
            relationships[rel.get("Id", "")] = Relationship(rel.get("Type", ""), target, external)
        return relationships

    def has(self, name: str) -> bool:
        return self._member(name) is not None

    def read(self, name: str) -> bytes:
        member = self._member(name)
        if member is None:
            raise DocxImportError(f"Word 文档已损坏：缺少“{name}”。")
        try:
            return _read_bounded(self._zip, member)
        except RuntimeError:  # a zip entry with a zip password
            raise DocxImportError(f"文件中的“{name}”被加密，无法读取。") from None
        except zipfile.BadZipFile as exc:
            if "CRC" in str(exc):  # what a part that is not what the directory declares ends in
                raise DocxImportError(
                    f"Word 文档已损坏：“{name}”解压后与文件声明的大小或校验值不符，"
                    "可能是恶意构造的压缩文件，已拒绝导入。"
                ) from None
            raise DocxImportError(f"Word 文档已损坏：无法解压“{name}”。") from None
        except (zlib.error, NotImplementedError, EOFError, OSError, ValueError):
            raise DocxImportError(f"Word 文档已损坏：无法解压“{name}”。") from None

    def xml(self, name: str) -> Element:
        data = self.read(name)
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise DocxImportError(_dtd_message(name))
        try:
            root = etree.fromstring(data, self._parser)
        except etree.XMLSyntaxError as exc:
            raise DocxImportError(f"Word 文档已损坏：“{name}”无法解析（{exc}）。") from None
        if root.getroottree().docinfo.doctype:  # declared in an encoding the byte check missed
            raise DocxImportError(_dtd_message(name))
        return root

    def content_type(self, name: str) -> str:
        overrides, defaults = self._content_types
        extension = posixpath.splitext(name)[1].lstrip(".").lower()
        return overrides.get("/" + name.lower()) or defaults.get(extension, "")

    def _member(self, name: str) -> str | None:
        name = name.lstrip("/")
        return self._names.get(name.lower()) or self._names.get(unquote(name).lower())

    def _read_content_types(self) -> tuple[dict[str, str], dict[str, str]]:
        if not self.has("[Content_Types].xml"):
            raise DocxImportError(_not_word_message(self))
        root = self.xml("[Content_Types].xml")
        overrides = {
            element.get("PartName", "").lower(): element.get("ContentType", "")
            for element in root.iter(_CONTENT_TYPES + "Override")
        }
        defaults = {
            element.get("Extension", "").lower(): element.get("ContentType", "")
            for element in root.iter(_CONTENT_TYPES + "Default")
        }
        return overrides, defaults

    def _main_part(self) -> str:
        for rel in self.relationships("").values():
            if rel.type == _STRICT_OFFICE_DOCUMENT:
                raise DocxImportError(_strict_message())
            if rel.type == RT.OFFICE_DOCUMENT and self.has(rel.target):
                main = rel.target
                break
        else:
            main = "word/document.xml"
            if not self.has(main):
                raise DocxImportError(_not_word_message(self))
        content_type = self.content_type(main)
        if content_type not in WORD_MAIN_CONTENT_TYPES:
            raise DocxImportError(
                f"这不是 Word 文档（.docx）：正文“{main}”的内容类型是“{content_type or '未声明'}”。"
                + SAVE_AS_DOCX
            )
        return main


def _read_bounded(archive: zipfile.ZipFile, member: str) -> bytes:
    """The part, decompressed CHUNK bytes at a time: zipfile stops each step at the declared
    size, so no more than that is ever held, whatever the compressed stream holds."""
    chunks = []
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            chunks.append(chunk)
    return b"".join(chunks)


def _check_size(data: bytes, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise DocxImportError(
            f"文件大小 {len(data) / MB:.1f} MB，超过上限 {max_bytes / MB:g} MB。"
            "请压缩文档中的图片或拆分文档后再导入。"
        )
    if not data:
        raise DocxImportError("不是有效的 Word 文档（.docx）：文件是空的。")


def _ole_message(data: bytes) -> str:
    """Encrypted .docx files and legacy .doc files are both OLE compound files; the names in
    the compound file's directory tell them apart."""
    if _ole_has_stream(data, "EncryptionInfo"):
        return "文件设置了打开密码（已加密），无法读取。请在 Word 或 WPS 中取消密码并保存后再导入。"
    if _ole_has_stream(data, "WordDocument"):
        return "这是旧版 Word 97-2003 文档（.doc），无法直接导入。" + SAVE_AS_DOCX
    return (
        "文件已加密或是旧版 .doc 格式，无法读取。"
        "请在 Word 或 WPS 中取消密码，并另存为“Word 文档 (*.docx)”后再导入。"
    )


def _ole_has_stream(data: bytes, name: str) -> bool:
    """Whether a directory entry (128 bytes, aligned to 128 past the 512-byte header, whatever
    the sector size) names the stream `name`: UTF-16 name, its byte length with the final NUL
    at offset 64, object type 2 (stream) at 66."""
    encoded = (name + "\0").encode("utf-16-le")
    position = data.find(encoded)
    while position >= 0:
        entry = data[position : position + _OLE_DIRECTORY_ENTRY]
        if (
            position % _OLE_DIRECTORY_ENTRY == 0
            and len(entry) == _OLE_DIRECTORY_ENTRY
            and int.from_bytes(entry[64:66], "little") == len(encoded)
            and entry[66] == 2
        ):
            return True
        position = data.find(encoded, position + 1)
    return False


def _check_entry_count(data: bytes) -> None:
    """Count the entries from the end-of-central-directory record (or its zip64 twin) before
    zipfile reads the directory: a 20 MB upload can hold 250,000 empty entries."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65_535))
    if end < 0 or len(data) < end + 22:
        raise DocxImportError(_not_a_zip_message(data))
    count = int.from_bytes(data[end + 10 : end + 12], "little")
    if count == 0xFFFF:
        zip64 = data.rfind(b"PK\x06\x06", 0, end)
        if zip64 >= 0:
            count = int.from_bytes(data[zip64 + 32 : zip64 + 40], "little")
    if count > MAX_PARTS:
        raise DocxImportError(
            f"文件内含 {count} 个部件，超过上限 {MAX_PARTS} 个，可能是恶意构造的压缩文件，已拒绝导入。"
        )


def _check_declared_sizes(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_PARTS:
        raise DocxImportError(
            f"文件内含 {len(infos)} 个部件，超过上限 {MAX_PARTS} 个，可能是恶意构造的压缩文件，已拒绝导入。"
        )
    for info in infos:
        if info.compress_type not in WORD_METHODS:
            raise DocxImportError(
                f"文件中的“{info.filename}”使用了 Word 不会使用的压缩方式（{info.compress_type}），"
                "可能是恶意构造的压缩文件，已拒绝导入。" + SAVE_AS_DOCX
            )
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise DocxImportError(
            f"文件解压后共 {total / MB:.0f} MB，超过上限 {MAX_TOTAL_UNCOMPRESSED // MB} MB，"
            "可能是压缩炸弹，已拒绝导入。"
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_CHECKED_FROM and ratio > MAX_RATIO:
            raise DocxImportError(
                f"文件中的“{info.filename}”压缩比高达 {ratio:.0f} 倍（上限 {MAX_RATIO} 倍），"
                "可能是压缩炸弹，已拒绝导入。"
            )


def _not_a_zip_message(data: bytes) -> str:
    head = data[:1024].lstrip().lower()
    hint = next(
        (text for signature, text in _NOT_ZIP_HINTS if head.startswith(signature.lower())), ""
    )
    return f"不是有效的 Word 文档（.docx）{hint}：文件内容不是 .docx 格式。" + SAVE_AS_DOCX


def _not_word_message(package: Package) -> str:
    hint = next((text for name, text in _OTHER_PACKAGES if package.has(name)), "")
    return (
        f"这是一个压缩文件，但不是 Word 文档（.docx）{hint}：里面没有 Word 正文（word/document.xml）。"
        + SAVE_AS_DOCX
    )


def _strict_message() -> str:
    return "这是“Strict Open XML 文档”格式，无法导入。" + SAVE_AS_DOCX


def _dtd_message(name: str) -> str:
    return (
        f"文档中的“{name}”含有 DTD 或实体声明（正常的 Word 文档不会有），"
        "出于安全考虑拒绝导入（XXE 防护）。"
    )
