"""Decoding text files as Chinese offices save them: UTF-8 with or without BOM, or GBK."""

import codecs


class UndecodableText(ValueError):
    pass


def decode_chinese_text(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is a superset of GBK and GB2312, what Excel and WPS write on Chinese Windows.
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise UndecodableText("文件编码无法识别，请另存为 UTF-8 或 GBK 编码的 CSV 文件。") from exc
