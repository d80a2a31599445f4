"""Files to text: the first step of ``parse_file``.

Each reader turns one kind of file into the plain text the grammar reads, tables as
tab-separated grid rows.  The kind is decided by the content, not the file name:

* ``%PDF-`` → ``pdf.py`` (extra ``govreport[pdf]``);
* a ZIP holding ``word/document.xml`` → ``docx.py`` (extra ``govreport[docx]``);
* otherwise the bytes are decoded (``encoding.py``), and a page of markup (starting with
  ``<``, or with ``<html>``/``<body>``) goes to ``html.py`` (extra ``govreport[html]``);
  everything else is plain text or Markdown, whose HTML tables (as PDF-to-Markdown
  converters write them) are turned into grid lines by the same reader.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from typing import IO, Union

from attrs import frozen

from ..errors import UnreadableFileError
from ..model import Source
from .encoding import decode

FileInput = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, IO[bytes]]
KINDS = ("text", "html", "pdf", "docx")

_HTML = re.compile(r"\A\s*<|<(?:!doctype\s+html|html|body)[\s>]", re.IGNORECASE)
# Markdown from PDF converters (MinerU, marker, ...) often writes the tables as HTML.
_EMBEDDED_TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)


@frozen
class Extracted:
    """The text read from a file, and where it came from."""

    text: str
    source: Source


def read_file(file: FileInput, *, kind: str | None = None) -> Extracted:
    """Read a report file (path, bytes or binary file object) into the text the parser reads.

    ``kind`` ("text", "html", "pdf", "docx") skips the detection.  Raises
    ``UnreadableFileError`` for a file that cannot be read and ``MissingExtraError`` when
    the reader's optional dependency is not installed.
    """
    data, name = _load(file)
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    kind = kind or sniff(data, name)
    if kind == "pdf":
        from .pdf import pdf_to_text

        text, pages = pdf_to_text(data, name)
        return Extracted(text, Source("pdf", name, pages=pages))
    if kind == "docx":
        from .docx import docx_to_text

        return Extracted(docx_to_text(data, name), Source("docx", name))
    text, encoding = decode(data, name)
    if kind == "html" or (kind is None and _looks_like_html(text)):
        from .html import html_to_text

        return Extracted(html_to_text(text, name), Source("html", name, encoding=encoding))
    if "<" in text:
        text = _EMBEDDED_TABLE.sub(lambda m: _table_as_lines(m.group(0), name), text)
    return Extracted(text, Source("text", name, encoding=encoding))


def _table_as_lines(table: str, name: str) -> str:
    from .html import html_to_text

    return "\n" + html_to_text(table, name) + "\n"


def sniff(data: bytes, name: str = "<bytes>") -> str | None:
    """The kind of a file from its first bytes: "pdf", "docx", or None for text (HTML is told later)."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise UnreadableFileError(name, f"a damaged ZIP archive (truncated .docx?): {exc}") from exc
        if "word/document.xml" in names:
            return "docx"
        raise UnreadableFileError(name, "a ZIP archive that is not a Word (.docx) document")
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise UnreadableFileError(name, "a legacy Word/Excel (.doc/.xls) file: save it as .docx or text first")
    return None


def _looks_like_html(text: str) -> bool:
    return _HTML.search(text[:4096]) is not None


def _load(file: FileInput) -> tuple[bytes, str]:
    if isinstance(file, (bytes, bytearray, memoryview)):
        return bytes(file), "<bytes>"
    if isinstance(file, (str, os.PathLike)):
        name = os.fspath(file)
        try:
            with open(name, "rb") as handle:
                return handle.read(), name
        except OSError as exc:
            raise UnreadableFileError(name, exc.strerror or str(exc)) from exc
    if hasattr(file, "read"):
        data = file.read()
        if not isinstance(data, bytes):
            raise TypeError("parse_file reads binary files: open the file with 'rb', or pass the text to parse()")
        return data, str(getattr(file, "name", "<file>"))
    raise TypeError(f"parse_file takes a path, bytes or a binary file, not {type(file).__name__}")
