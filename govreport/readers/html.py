"""HTML pages: prose as lines, tables as grids (``rowspan``/``colspan`` expanded).

Uses selectolax's Lexbor engine (optional extra ``govreport[html]``): a browser-grade
HTML5 parser written in C, so broken markup is repaired the way a browser repairs it, and
a whole government page parses in about a millisecond.

A table whose cells hold further tables is page layout, not data: its cells are read as
ordinary blocks.  Scripts, styles and forms are dropped; navigation and footers are kept
as lines of prose, which the parser passes over because they are outside the report's
sections.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..model import Source
from .content import Content, Extracted
from .extras import require
from .grid import GridCell, expand, grid_lines, join_lines

if TYPE_CHECKING:
    from collections.abc import Iterator

_SKIP = frozenset({"script", "style", "noscript", "template", "head", "select", "option", "svg", "iframe", "object"})
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "dd", "details", "dialog", "div", "dl",
        "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "ul", "caption",
        "table", "tbody", "thead", "tfoot", "tr", "td", "th", "body", "html",
    }
)  # fmt: skip
_WHITESPACE = re.compile(r"[ \t\r\n\f]+")


def read_html(content: Content) -> Extracted:
    """The ``html`` reader: a page in any encoding."""
    return Extracted(html_to_text(content.text, content.name), Source("html", content.name, encoding=content.encoding))


def html_to_text(html: str, name: str = "<html>") -> str:
    """The text of an HTML page as the parser reads it: one line per block, one per table row."""
    lexbor = require("selectolax.lexbor", "reading HTML", "html")
    tree = lexbor.LexborHTMLParser(html)
    root = tree.root
    if root is None:
        return ""
    return "\n".join(_lines(root, name))


def _lines(root: Any, name: str) -> Iterator[str]:
    """Walk the tree without recursion (pages nest deeply), yielding finished lines."""
    buffer: list[str] = []

    def flush() -> Iterator[str]:
        line = _WHITESPACE.sub(" ", "".join(buffer)).strip()
        buffer.clear()
        if line:
            yield line

    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            yield from flush()
            continue
        if node.is_text_node:
            buffer.append(node.text_content or "")
            continue
        tag = node.tag
        if tag in _SKIP or not (node.is_element_node or node.is_document_node):
            continue
        if tag == "br":
            yield from flush()
            continue
        if tag == "table" and not _is_layout_table(node):
            yield from flush()
            yield from grid_lines(expand(_table_rows(node, name), name))
            continue
        if tag in _BLOCK:
            yield from flush()
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(_children(node))))
    yield from flush()


def _children(node: Any) -> Iterator[Any]:
    child = node.first_child
    while child is not None:
        yield child
        child = child.next


def _is_layout_table(table: Any) -> bool:
    return any(inner.mem_id != table.mem_id for inner in table.css("table"))


def _table_rows(table: Any, name: str) -> list[list[GridCell]]:
    """The rows of this table (not of tables nested in it), each a list of declared cells."""
    rows = []
    for tr in table.css("tr"):
        if _owning_table(tr).mem_id != table.mem_id:
            continue
        cells = [
            GridCell(_cell_text(td, name), _span(td.attributes.get("rowspan")), _span(td.attributes.get("colspan")))
            for td in _children(tr)
            if td.tag in ("td", "th")
        ]
        rows.append(cells)
    return rows


def _owning_table(node: Any) -> Any:
    parent = node.parent
    while parent is not None and parent.tag != "table":
        parent = parent.parent
    return parent


def _span(value: str | None) -> int:
    """A rowspan/colspan attribute as browsers read it: leading digits, else 1."""
    match = re.match(r"\s*(\d{1,6})", value or "")
    return int(match.group(1)) if match else 1


def _cell_text(td: Any, name: str) -> str:
    """The text of a cell, ``<br>`` and block boundaries as line breaks (joined by ``join_lines``)."""
    return join_lines("\n".join(_lines(td, name)))
