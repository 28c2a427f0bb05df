"""A "lying" .docx: its zip directory declares a few thousand bytes for a part whose deflate
stream holds 1 or 2 GiB. The declared sizes pass every check made before decompressing, so
what protects the worker is that parts are decompressed in bounded chunks and never past their
declared size (importers/docx/package.py). Memory is measured in a process of its own: the
growth of its peak resident size while it parses the file."""

import json
import struct
import subprocess
import sys
import zipfile
import zlib

import pytest

from importers.docx.parser import parse_docx
from importers.docx.tree import DocxImportError
from tests.support import DATA, ROOT

GIB = 1024**3
MB = 1024 * 1024
DECLARED = 4_000
SEGMENT = 16 * MB  # spaces per independently compressed segment of the stream
BASE = DATA / "docx" / "tables.docx"


def deflate_spaces(size: int, prefix: bytes) -> bytes:
    """A raw deflate stream of `prefix` then spaces up to `size` bytes, built without holding
    them: after a full flush a segment depends on nothing before it, so one compressed 16 MB
    segment repeated makes the stream."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    segment = compressor.compress(b" " * SEGMENT) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush()
    return head + segment * ((size - len(prefix)) // SEGMENT) + tail


def lying_docx(stream_size: int, declared: int = DECLARED, method: int = zipfile.ZIP_DEFLATED):
    """tables.docx with word/document.xml replaced by a `stream_size` stream that the local
    header and the central directory both declare as `declared` bytes."""
    with zipfile.ZipFile(BASE) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    document = parts["word/document.xml"]
    opening = document[: document.index(b"<w:body>") + len(b"<w:body>")]
    entries, central, offset = [], [], 0
    for name, data in parts.items():
        raw_name = name.encode()
        if name == "word/document.xml":
            payload, crc, size = deflate_spaces(stream_size, opening), 0, declared
            payload_method = method
        else:
            payload = zlib.compressobj(6, zlib.DEFLATED, -15)
            payload = payload.compress(data) + payload.flush()
            crc, size, payload_method = zlib.crc32(data), len(data), zipfile.ZIP_DEFLATED
        fields = (20, 0, payload_method, 0, 0x21, crc, len(payload), size, len(raw_name))
        entries.append(struct.pack("<4s5HLLLHH", b"PK\x03\x04", *fields, 0) + raw_name + payload)
        central.append(
            struct.pack("<4s6HLLLHHHHHLL", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0, offset)
            + raw_name
        )
        offset += len(entries[-1])
    directory = b"".join(central)
    end = struct.pack(
        "<4s4HLLH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(directory), offset, 0
    )
    return b"".join(entries) + directory + end


_MEASURE = """
import json, resource, sys
sys.path.insert(0, sys.argv[1])
from importers.docx.parser import parse_docx
from importers.docx.tree import DocxImportError
data = open(sys.argv[2], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    parse_docx(data)
    message = ""
except DocxImportError as exc:
    message = str(exc)
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"grown_kib": grown, "message": message}, ensure_ascii=False))
"""


@pytest.mark.parametrize("stream_size", [GIB, 2 * GIB], ids=["1GiB", "2GiB"])
def test_a_lying_zip_is_refused_within_100_mb(stream_size, tmp_path):
    path = tmp_path / "lying.docx"
    path.write_bytes(lying_docx(stream_size))
    assert path.stat().st_size < 3 * MB
    with zipfile.ZipFile(path) as archive:  # what every check before decompressing sees
        assert archive.getinfo("word/document.xml").file_size == DECLARED

    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(ROOT), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    measured = json.loads(result.stdout)
    assert "解压后与文件声明的大小或校验值不符" in measured["message"]
    assert "已拒绝导入" in measured["message"]
    assert measured["grown_kib"] * 1024 < 100 * MB


def test_a_part_compressed_with_a_method_word_never_uses_is_refused_before_decompressing():
    data = lying_docx(SEGMENT, method=zipfile.ZIP_BZIP2)
    with pytest.raises(DocxImportError, match="Word 不会使用的压缩方式"):
        parse_docx(data)
