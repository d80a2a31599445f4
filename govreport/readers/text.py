"""Plain text and Markdown: the decoded text, with embedded HTML tables as grid lines.

Markdown written by PDF converters (MinerU, marker, ...) often holds its tables as HTML
``<table>`` elements between Markdown lines.  Each becomes the tab-separated grid lines
the HTML reader writes (so the ``html`` extra is needed for them); every other line is
kept as it is.
"""

from __future__ import annotations

import re

from ..model import Source
from .content import Content, Extracted

_EMBEDDED_TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)


def read_text(content: Content) -> Extracted:
    """The ``text`` reader: the text in its detected encoding."""
    text = content.text
    if "<" in text:
        text = _EMBEDDED_TABLE.sub(lambda m: _table_as_lines(m.group(0), content.name), text)
    return Extracted(text, Source("text", content.name, encoding=content.encoding))


def _table_as_lines(table: str, name: str) -> str:
    from .html import html_to_text

    return "\n" + html_to_text(table, name) + "\n"
