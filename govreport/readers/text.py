"""Plain text and Markdown: the decoded text, with embedded HTML tables as grid lines.

Markdown written by PDF converters (MinerU, marker, ...) often holds its tables as HTML
``<table>`` elements between Markdown lines.  Each becomes the tab-separated grid lines
the HTML reader writes (so the ``html`` extra is needed for them); every other line is
kept as it is.

The tables are found in one pass: each ``<table`` is paired with the first ``</table>``
after it (the first one closes the table, as a lazy regular expression would), and a
``<table`` with no ``</table>`` after it ends the search, so text of many openings and no
closing tag costs time in proportion to its length.
"""

from __future__ import annotations

import re

from ..model import Source
from .content import Content, Extracted

_TABLE_OPEN = re.compile(r"<table\b", re.IGNORECASE)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.IGNORECASE)


def read_text(content: Content) -> Extracted:
    """The ``text`` reader: the text in its detected encoding."""
    text = content.text
    if "<" in text:
        text = _with_tables_as_lines(text, content.name)
    return Extracted(text, Source("text", content.name, encoding=content.encoding))


def _with_tables_as_lines(text: str, name: str) -> str:
    parts: list[str] = []
    done = 0
    while (opening := _TABLE_OPEN.search(text, done)) is not None:
        closing = _TABLE_CLOSE.search(text, opening.end())
        if closing is None:
            break  # no later <table can be closed either
        parts.extend((text[done : opening.start()], _table_as_lines(text[opening.start() : closing.end()], name)))
        done = closing.end()
    return "".join(parts) + text[done:] if parts else text


def _table_as_lines(table: str, name: str) -> str:
    from .html import html_to_text

    return "\n" + html_to_text(table, name) + "\n"
