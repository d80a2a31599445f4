"""``govreport.parse``: what users pass as "the text" — report text, or by mistake markup or a path.

A page's source (``<table><tr><td colspan="2">…``) or a scraped JavaScript string holding it
(``"<td colspan=\\"2\\">"``) is not text: read as text, every tag would be noise and the tables
would be lost.  Markup goes to the HTML reader (``parse_html``), which expands merged cells.
A one-line string that names a file (``"report.pdf"``) is refused with a pointer to
``parse_file``.  Everything else goes to the text pipeline unchanged.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import NotAReportError
from .model import Report
from .pipeline import parse as parse_text

# Table tags, or a document's own tags: a Markdown cell's <br> is not markup of this kind.
_TABLE_TAG = re.compile(r"<\s*(?:table|tbody|thead|tr|td|th)\b[^<>]*>", re.IGNORECASE)
_DOCUMENT_TAG = re.compile(r"<\s*(?:!doctype\s+html|html|body)\b[^<>]*>", re.IGNORECASE)
_ESCAPED_QUOTE = re.compile(r"=\\[\"']|<\\/")  # colspan=\"2\", <\/td>: markup inside a JS string
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|[\"'/\\nrt])")
_JS_CHARS = {'"': '"', "'": "'", "/": "/", "\\": "\\", "n": "\n", "r": "\r", "t": "\t"}
_FILE_SUFFIX = re.compile(
    r"\.(?:pdf|docx?|wps|ofd|html?|shtml|txt|md|markdown|xlsx?|json|zip)$",
    re.IGNORECASE,
)
_MAX_PATH = 1024


def parse(text: str, **options: Any) -> Report:
    """Parse the text of one annual report (see ``govreport.pipeline.parse`` for ``options``).

    Markup (an HTML page, a ``<table>`` fragment, or either inside a JavaScript string with
    ``\\"`` quotes) is read with the HTML reader, as ``parse_html`` does; a string that looks
    like a file name raises ``NotAReportError`` naming ``parse_file``.
    """
    if isinstance(text, str):
        if looks_like_markup(text):
            from .files import parse_html  # the HTML reader is loaded only for markup

            return parse_html(unescape_script_string(text), **options)
        if looks_like_path(text):
            raise NotAReportError(
                f"{text.strip()!r} looks like a file path, not report text: "
                "use govreport.parse_file(path) to read a file"
            )
    return parse_text(text, **options)


def looks_like_markup(text: str) -> bool:
    """An HTML document, or at least three table tags (a ``<table>`` fragment)."""
    head = text[:4096]
    if _DOCUMENT_TAG.search(head):
        return True
    count = 0
    for _ in _TABLE_TAG.finditer(text):
        count += 1
        if count >= 3:
            return True
    return False


def unescape_script_string(text: str) -> str:
    """Markup copied out of a JavaScript string literal: ``\\"`` → ``"``, ``<\\/td>`` →
    ``</td>``, ``\\n`` and ``\\uXXXX`` decoded; the enclosing quotes are left for the HTML
    reader to ignore.  Text without such escapes is returned as it is."""
    if not _ESCAPED_QUOTE.search(text):
        return text
    return _JS_ESCAPE.sub(_unescape_one, text)


def _unescape_one(match: re.Match[str]) -> str:
    code = match.group(1)
    return chr(int(code[1:], 16)) if code[0] == "u" else _JS_CHARS[code]


def looks_like_path(text: str) -> bool:
    """One short line ending in a document's file suffix (``report.pdf``, ``C:\\a\\b.docx``)."""
    stripped = text.strip()
    return len(stripped) <= _MAX_PATH and "\n" not in stripped and _FILE_SUFFIX.search(stripped) is not None
