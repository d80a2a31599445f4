"""The formats govreport ships, registered in this order: text, HTML, PDF, Word (.docx), Word 97 (.doc, .wps), OFD.

Adding a format to govreport itself takes a reader module, one ``Reader`` here and, if it
needs a library, an extra in pyproject.toml; ``read_file``, ``KINDS``, the command line
and the table in docs/inputs.md (``python docs/gen_inputs.py``) follow.  A format of your
own needs no change here: see ``register_reader``.

The tests below look at the content only.  Each is cheap: the first kilobyte for PDF,
the ZIP directory for Word and OFD, the OLE directory entries for Word 97, the first 4 kB
of text for HTML.
"""

from __future__ import annotations

import re

from .registry import Reader, ole_has_stream, zip_members

_HTML = re.compile(r"\A\s*<|<(?:!doctype\s+html|html|body)[\s>]", re.IGNORECASE)


def is_pdf(data: bytes) -> bool:
    """``%PDF-`` in the first kilobyte: some files carry a few bytes of junk before the header."""
    return b"%PDF-" in data[:1024]


def is_docx(data: bytes) -> bool:
    """A ZIP archive holding ``word/document.xml``."""
    return "word/document.xml" in zip_members(data)


def is_word97(data: bytes) -> bool:
    """An OLE2 compound file holding a ``WordDocument`` stream: Word 97–2003 .doc, and WPS .wps
    (WPS Office writes the Word 97 format).  An Excel .xls is an OLE2 file too, without it."""
    return ole_has_stream(data, "WordDocument")


def is_ofd(data: bytes) -> bool:
    """A ZIP archive holding ``OFD.xml`` at its root (GB/T 33190-2016)."""
    return "OFD.xml" in zip_members(data)


def looks_like_html(text: str) -> bool:
    """Text that starts with markup, or has ``<html>``, ``<body>`` or a doctype near the start."""
    return _HTML.search(text[:4096]) is not None


BUILTIN = (
    Reader(
        "text",
        "govreport.readers.text:read_text",
        title="text or Markdown",
        extensions=(".txt", ".md", ".markdown"),
        grid=False,  # pasted tab columns often do not line up with their headers
    ),
    Reader(
        "html",
        "govreport.readers.html:read_html",
        title="HTML",
        extensions=(".html", ".htm", ".shtml", ".xhtml"),
        extra="html",
        sniff_text=looks_like_html,
    ),
    Reader(
        "pdf", "govreport.readers.ocr:read_pdf_or_scan", title="PDF", extensions=(".pdf",), extra="pdf", sniff=is_pdf
    ),
    Reader(
        "docx",
        "govreport.readers.docx:read_docx",
        title="Word .docx",
        extensions=(".docx",),
        extra="docx",
        sniff=is_docx,
    ),
    Reader(
        "doc",
        "govreport.readers.doc:read_doc",
        title="Word 97 .doc or WPS .wps",
        extensions=(".doc", ".wps"),
        extra="doc",
        sniff=is_word97,
    ),
    Reader("ofd", "govreport.readers.ofd:read_ofd", title="OFD", extensions=(".ofd",), extra="ofd", sniff=is_ofd),
)
