"""Bytes to text: UTF-8 (with or without BOM), UTF-16/32, GB18030/GBK/GB2312 and the rest.

A byte-order mark decides first; valid UTF-8 is taken as UTF-8 (text in any other
encoding is practically never valid UTF-8); anything else is left to charset-normalizer,
which tells GB18030 from Big5 or UTF-16 without a BOM by how plausible the decoded
text is.
"""

from __future__ import annotations

import codecs

from ..errors import UnreadableFileError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# GB2312 and GBK text is also GB18030 text, decoded the same: report the family by its superset.
_NAMES = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "hz": "hz-gb-2312"}


def decode(data: bytes, name: str) -> tuple[str, str]:
    """The text of ``data`` and the name of the encoding it was in."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise UnreadableFileError(
                    name, f"starts with a {encoding} byte-order mark but is not {encoding}: {exc}"
                ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnreadableFileError(
            name, "not text in any known encoding (binary data, or a format govreport does not read)"
        )
    encoding = best.encoding.replace("_", "-")
    encoding = _NAMES.get(encoding, encoding)
    return str(best), encoding
