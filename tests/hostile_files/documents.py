"""Hostile Word, HTML and text files (issue 16, items 5, 7, 8 and 9), built at test time.

Each generator returns the bytes of one file, small on disk and costly to read naively:
a .docx zip bomb, a .docx of 1.5 million table cells, .docx tables whose spans are no
plain numbers, HTML nesting 20,000 tables or 100,000 divs, HTML of a million cells, and
text of 200 kB of ``<table`` openings with no closing tag.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>'
_TAIL = "</w:body></w:document>"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)


def docx(body: str) -> bytes:
    """A minimal .docx whose body XML is ``body`` (python-docx and Word open it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", _HEAD + body + _TAIL)
    return out.getvalue()


def docx_zip_bomb(megabytes: int = 600) -> bytes:
    """A .docx of about 600 kB whose document.xml inflates to ``megabytes`` MB of paragraphs.

    The deflate stream is built from one compressed megabyte repeated: after a full flush
    the compressor starts afresh, so every megabyte compresses to the same bytes, and the
    archive is made without ever holding the inflated XML."""
    chunk = ("<w:p><w:r><w:t>0</w:t></w:r></w:p>" * 30_000)[: 1 << 20]
    chunk = chunk[: chunk.rindex("</w:p>") + 6].encode()
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(_HEAD.encode()) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH) == block
    tail = compressor.compress(_TAIL.encode()) + compressor.flush()
    crc = zlib.crc32(_HEAD.encode())
    for _ in range(megabytes + 1):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(_TAIL.encode(), crc)
    data = head + block * (megabytes + 1) + tail
    size = len(_HEAD) + len(chunk) * (megabytes + 1) + len(_TAIL)
    return _zip_with(
        [("[Content_Types].xml", _CONTENT_TYPES.encode()), ("_rels/.rels", _RELS.encode())],
        ("word/document.xml", data, size, crc),
    )


def _zip_with(small: list[tuple[str, bytes]], raw: tuple[str, bytes, int, int]) -> bytes:
    """A ZIP archive of ``small`` parts and one part given already deflated (name, data, size, crc)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in small:
            archive.writestr(name, content)
    entries = out.getvalue()
    # Rebuild: the small parts' local records, then the raw part, then one central directory.
    count = len(zipfile.ZipFile(io.BytesIO(entries)).infolist()) + 1
    end_of_locals = entries.index(b"PK\x01\x02")
    locals_ = entries[:end_of_locals]
    central = entries[end_of_locals : entries.index(b"PK\x05\x06")]
    name, data, size, crc = raw
    offset = len(locals_)
    encoded = name.encode()
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0)
    record = struct.pack(
        "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0, 0, 0, 0, 0, offset
    )
    body = locals_ + local + encoded + data
    directory = central + record + encoded
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), len(body), 0)
    return body + directory + end


def docx_many_cells(cells: int = 1_500_000, width: int = 1_000) -> bytes:
    """A .docx of one table of ``cells`` empty cells, ``width`` to a row (about 300 kB)."""
    row = "<w:tr>" + "<w:tc><w:p/></w:tc>" * width + "</w:tr>"
    return docx("<w:tbl>" + row * (cells // width) + "</w:tbl>")


BAD_SPANS = {
    "superscript": "²",
    "circled": "③",
    "fullwidth": "３",
    "negative": "-1",
    "5000 digits": "9" * 5000,
}


def docx_with_span(value: str, attribute: str = "gridSpan") -> bytes:
    """A .docx table whose first row's first cell has ``w:<attribute> w:val=value`` (gridSpan, vMerge)."""
    spanned = f'<w:tc><w:tcPr><w:{attribute} w:val="{value}"/></w:tcPr><w:p><w:r><w:t>信息内容</w:t></w:r></w:p></w:tc>'
    cell = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
    rows = [spanned + cell.format("本年制发件数"), cell.format("规章") + cell.format("4") + cell.format("5")]
    return docx("<w:tbl>" + "".join(f"<w:tr>{r}</w:tr>" for r in rows) + "</w:tbl>")


def html_nested_tables(depth: int = 20_000) -> bytes:
    return ("<html><body>" + "<table><tr><td>" * depth + "1" + "</td></tr></table>" * depth + "</body></html>").encode()


def html_nested_divs(depth: int = 100_000) -> bytes:
    return ("<html><body>" + "<div>" * depth + "1" + "</div>" * depth + "</body></html>").encode()


def html_many_cells(cells: int = 1_000_000, width: int = 1_000) -> bytes:
    """About 5 MB: ``cells`` cells without end tags, ``width`` to a row."""
    row = "<tr>" + "<td>1" * width
    return ("<html><body><table>" + row * (cells // width) + "</table></body></html>").encode()


def text_of_table_openings(size: int = 210_000) -> bytes:
    """Markdown-like text of ``size`` bytes of ``<table>`` openings and no ``</table>``."""
    return ("# 报告\n" + "<table>" * (size // 7)).encode()
