"""HTML pages: prose as lines, tables as grids (``rowspan``/``colspan`` expanded).

Uses selectolax's Lexbor engine (optional extra ``govreport[html]``): a browser-grade
HTML5 parser written in C, so broken markup is repaired the way a browser repairs it, and
a whole government page parses in about a millisecond.

A table whose cells hold further tables is page layout, not data: its cells are read as
ordinary blocks.  Scripts, styles and forms are dropped; navigation and footers are kept
as lines of prose, which the parser passes over because they are outside the report's
sections.

A page is bounded before it is parsed, by one pass over its markup: at most ``MAX_TAGS``
tags, ``MAX_CELLS`` table cells and ``MAX_DEPTH`` elements open at once (an HTML5
parser's work grows with the square of the nesting, and its memory with the number of
elements).  The depth is counted by a small model of the HTML5 tree builder
(``_open_elements``) that closes an element only where the tree builder surely closes
it, so the count is never below the page's real nesting by more than a small factor.
Beyond a limit the page is refused with ``UnreadableFileError``.

Each table cell's text keeps its place (``Extracted.origins``): the table (1-based, every
``<table>`` of the page counted in document order, as ``document.querySelectorAll("table")``
lists them), the row and the column of the grid (1-based, merged cells expanded).
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from ..errors import UnreadableFileError
from ..model import Origin, Source
from .content import Content, Extracted, Origins, PlacedLine, placed_text
from .extras import require
from .grid import GridCell, expand, grid_cells, join_lines

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

MAX_TAGS = 50_000  # start tags in a page; a report's page has about 5,000
MAX_CELLS = 20_000  # table cells (td, th); an official table has about 300, a report about 1,000
MAX_DEPTH = 512  # elements open at once (browsers stop nesting at about this depth); a page needs about 30


def read_html(content: Content) -> Extracted:
    """The ``html`` reader: a page in any encoding."""
    text, origins = html_to_placed_text(content.text, content.name)
    return Extracted(text, Source("html", content.name, encoding=content.encoding), origins=origins)


def html_to_text(html: str, name: str = "<html>") -> str:
    """The text of an HTML page as the parser reads it: one line per block, one per table row."""
    return html_to_placed_text(html, name)[0]


def html_to_placed_text(html: str, name: str = "<html>") -> tuple[str, Origins]:
    """``html_to_text``, and the table, row and column of each table cell's text."""
    lexbor = require("selectolax.lexbor", "reading HTML", "html")
    tables = _check_size(html, name)
    tree = lexbor.LexborHTMLParser(html)
    root = tree.root
    if root is None:
        return "", Origins()
    numbers = {table.mem_id: n for n, table in enumerate(root.css("table"), 1)} if tables else {}
    return placed_text(_lines(root, name, _layout_tables(root) if tables > 1 else frozenset(), numbers))


def _lines(
    root: Any, name: str, layout: frozenset[int] = frozenset(), numbers: dict[int, int] | None = None
) -> Iterator[PlacedLine]:
    """Walk the tree without recursion (pages nest deeply), yielding finished lines, a table
    row's with the place of each cell (``numbers``: the 1-based number of each table)."""
    buffer: list[str] = []

    def flush() -> Iterator[PlacedLine]:
        line = _WHITESPACE.sub(" ", "".join(buffer)).strip()
        buffer.clear()
        if line:
            yield line, ()

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
        if tag == "table" and node.mem_id not in layout:
            yield from flush()
            number = (numbers or {}).get(node.mem_id)
            for row, line, cells in grid_cells(expand(_table_rows(node, name), name)):
                yield (
                    line,
                    [
                        (start, end, Origin(table=number, row=row + 1, column=column + 1))
                        for start, end, column in cells
                    ],
                )
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


def _layout_tables(root: Any) -> frozenset[int]:
    """The ``mem_id`` of every table holding another table: page layout, read as blocks.

    One walk of the tree, each node carrying its nearest enclosing table (asking each
    table for the tables inside it would cost the square of the nesting)."""
    layout: set[int] = set()
    stack: list[tuple[Any, int | None]] = [(root, None)]
    while stack:
        node, enclosing = stack.pop()
        if node.tag == "table":
            if enclosing is not None:
                layout.add(enclosing)
            enclosing = node.mem_id
        stack.extend((child, enclosing) for child in _children(node) if child.is_element_node)
    return frozenset(layout)


def _table_rows(table: Any, name: str) -> list[list[GridCell]]:
    """The rows of a table that holds no other table, each a list of declared cells."""
    rows = []
    for tr in table.css("tr"):
        cells = [
            GridCell(_cell_text(td, name), _span(td.attributes.get("rowspan")), _span(td.attributes.get("colspan")))
            for td in _children(tr)
            if td.tag in ("td", "th")
        ]
        rows.append(cells)
    return rows


def _span(value: str | None) -> int:
    """A rowspan/colspan attribute as browsers read it (the HTML standard's rules for parsing
    non-negative integers): leading ASCII digits, else 1.  Other digits (``"３"``, ``"²"``,
    ``"③"``) are no number to a browser, which draws such a cell one column wide; a huge
    number is clamped later (``grid.MAX_COLSPAN``), as browsers clamp it."""
    match = _SPAN.match(value or "")
    if match is None:
        return 1
    digits = match.group(1).lstrip("0") or "0"
    return int(digits) if len(digits) <= 7 else 10_000_000


_SPAN = re.compile(r"[ \t\n\f\r]*\+?([0-9]+)")


def _cell_text(td: Any, name: str) -> str:
    """The text of a cell, ``<br>`` and block boundaries as line breaks (joined by ``join_lines``)."""
    child = td.first_child
    if child is not None and child.next is None and child.is_text_node:  # the usual cell: the walk's result, faster
        return join_lines(_WHITESPACE.sub(" ", child.text_content or "").strip())
    return join_lines("\n".join(line for line, _ in _lines(td, name)))


# ----------------------------------------------------------------- limits, checked before parsing

_VOID = frozenset(
    "area base basefont bgsound br col embed frame hr image img input keygen link meta param source track wbr".split()
)
_RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes noscript".split())
_SCOPE = frozenset(
    "applet caption html table td th marquee object template "
    "mi mo mn ms mtext annotation-xml foreignobject desc title".split()
)  # the HTML standard's "has an element in scope" stops at these
_SPECIAL = frozenset(
    "address applet area article aside base basefont bgsound blockquote body br button caption center col "
    "colgroup dd details dir div dl dt embed fieldset figcaption figure footer form frame frameset h1 h2 h3 "
    "h4 h5 h6 head header hgroup hr html iframe img input keygen li link listing main marquee menu meta nav "
    "noembed noframes noscript object ol p param plaintext pre script search section select source style "
    "summary table tbody td template textarea tfoot th thead title tr track ul wbr xmp "
    "mi mo mn ms mtext annotation-xml foreignobject desc".split()
)
_CLOSES_P = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer "
    "header hgroup main menu nav ol p search section summary ul h1 h2 h3 h4 h5 h6 pre listing form "
    "li dd dt plaintext".split()
)
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_TABLE_PARTS = frozenset("tbody thead tfoot".split())
# The boundaries each search for an open element stops at (classes of the tree builder's scopes).
_STOPS: dict[str, frozenset[str]] = {
    "scope": _SCOPE,
    "button": _SCOPE | {"button"},
    "list": _SCOPE | {"ol", "ul"},
    "table": frozenset({"html", "table", "template"}),
    "special": _SPECIAL,
    "li": _SPECIAL - {"address", "div", "p", "li"},
    "dd": _SPECIAL - {"address", "div", "p", "dd", "dt"},
}
_TOKEN = re.compile(r"<!--(?:[^-]|-(?!->))*(?:-->|\Z)|<[!?][^>]*|<(/?)([A-Za-z][^\t\n\f\r />]*)")


def _check_size(html: str, name: str) -> int:
    """Refuse a page over ``MAX_TAGS``, ``MAX_CELLS`` or ``MAX_DEPTH``; the number of its tables."""
    lowered = html.lower()
    cells = lowered.count("<td") + lowered.count("<th") - lowered.count("<thead")
    if cells > MAX_CELLS:
        raise UnreadableFileError(name, f"an HTML page of more than {MAX_CELLS:,} table cells")
    if lowered.count("<") > MAX_TAGS and _count_tags(html) > MAX_TAGS:
        raise UnreadableFileError(name, f"an HTML page of more than {MAX_TAGS:,} tags")
    if _open_elements(html) > MAX_DEPTH:
        raise UnreadableFileError(name, f"an HTML page nesting more than {MAX_DEPTH:,} elements")
    return lowered.count("<table")


def _count_tags(html: str) -> int:
    return sum(1 for _ in re.finditer(r"<[A-Za-z]", html))


def _open_elements(html: str) -> int:
    """The most elements open at once, as far as tags show it, stopping once past ``MAX_DEPTH``.

    A model of the HTML5 tree builder: an end tag closes what the tree builder's rules
    surely close (the nearest element of its name, unless a scope boundary lies between),
    and ``<td>``, ``<tr>``, ``<li>``, ``<p>``... close their open predecessor the same way;
    where the model is unsure, the element stays open, so the count errs high.  Every
    lookup is constant time (a stack of positions per name and per kind of boundary), so
    the pass is linear in the page's length."""
    stack = _OpenStack()
    deepest = 0
    skip_to = 0  # the end of a script, style... whose content is text
    for token in _TOKEN.finditer(html):
        closing, tag = token.groups()
        if tag is None or token.start() < skip_to:
            continue  # a comment, <!doctype ...>, <?...>, or text in a script
        tag = tag.lower()
        if closing:
            stack.end_tag(tag)
        elif tag in _RAW_TEXT:
            close = re.compile(rf"</{re.escape(tag)}[\t\n\f\r />]", re.IGNORECASE).search(html, token.end())
            skip_to = len(html) if close is None else close.start()
        elif tag == "plaintext":
            break  # the rest of the page is text
        else:
            stack.start_tag(tag)
            if len(stack.names) > deepest:
                deepest = len(stack.names)
                if deepest > MAX_DEPTH:
                    break
    return deepest


def _start_rules(tag: str) -> tuple[tuple[tuple[str, ...], str], ...]:
    """What a start tag closes first: (names, boundary kind) searches, in order."""
    rules: list[tuple[tuple[str, ...], str]] = []
    if tag in ("td", "th"):
        rules.append((("td", "th"), "table"))
    elif tag == "tr":
        rules.append((("tr",), "table"))
    elif tag in _TABLE_PARTS:
        rules.append((tuple(_TABLE_PARTS), "table"))
    if tag in _CLOSES_P:
        rules.append((("p",), "button"))
    if tag == "li":
        rules.append((("li",), "li"))
    elif tag in ("dd", "dt"):
        rules.append((("dd", "dt"), "dd"))
    return tuple(rules)


def _end_rule(tag: str) -> tuple[tuple[str, ...], str]:
    """What an end tag closes: the nearest of (names) with no boundary of a kind above it."""
    if tag in ("table", "td", "th", "tr", *_TABLE_PARTS):
        return (tag,), "table"
    if tag == "p":
        return ("p",), "button"
    if tag == "li":
        return ("li",), "list"
    if tag in _HEADINGS:
        return tuple(_HEADINGS), "scope"
    return (tag,), "scope" if tag in _SPECIAL else "special"  # a formatting or unknown element: not past a block


@functools.cache
def _rules(tag: str) -> tuple[tuple[str, ...], tuple[tuple[tuple[str, ...], str], ...], tuple[tuple[str, ...], str]]:
    """A tag's boundary kinds, start-tag rules and end-tag rule, worked out once per name."""
    return tuple(kind for kind, members in _STOPS.items() if tag in members), _start_rules(tag), _end_rule(tag)


class _OpenStack:
    """The open elements, with the positions of each name and each boundary kind for constant-time search."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.where: dict[str, list[int]] = {}
        self.stops: dict[str, list[int]] = {kind: [] for kind in _STOPS}

    def close(self, names: tuple[str, ...], stops: str) -> None:
        """Close the nearest of ``names`` and all above it, unless a ``stops`` boundary lies between."""
        found = -1
        for name in names:
            positions = self.where.get(name)
            if positions and positions[-1] > found:
                found = positions[-1]
        boundaries = self.stops[stops]
        if found >= 0 and (not boundaries or found >= boundaries[-1]):
            self.pop_to(found)

    def pop_to(self, position: int) -> None:
        while len(self.names) > position:
            name = self.names.pop()
            self.where[name].pop()
            for kind in _rules(name)[0]:
                self.stops[kind].pop()

    def start_tag(self, tag: str) -> None:
        kinds, rules, _ = _rules(tag)
        for names, stops in rules:
            self.close(names, stops)
        top = self.names[-1] if self.names else ""
        if (tag in _HEADINGS and top in _HEADINGS) or (tag == "option" and top == "option"):
            self.pop_to(len(self.names) - 1)
        if tag in _VOID or (tag in ("html", "head", "body") and self.where.get(tag)):
            return
        position = len(self.names)
        self.names.append(tag)
        self.where.setdefault(tag, []).append(position)
        for kind in kinds:
            self.stops[kind].append(position)

    def end_tag(self, tag: str) -> None:
        if tag in ("body", "html"):
            return  # the tree builder closes nothing here: what follows still goes into the body
        if tag == "form":  # the form leaves the stack, its open content stays
            if self.names and self.names[-1] == "form":
                self.pop_to(len(self.names) - 1)
            return
        self.close(*_rules(tag)[2])
