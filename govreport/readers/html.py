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

The page is read in one walk of Lexbor's tree: a data table's cells are read where the walk
meets the table (a cell holding one text, perhaps inside ``<p><span>``, without a walk of its
own), and the layout tables are found from Lexbor's list of the tables inside tables.

Each table cell's text keeps its place (``Extracted.origins``): the table (1-based, every
``<table>`` of the page counted in document order, as ``document.querySelectorAll("table")``
lists them), the row and the column of the grid (1-based, merged cells expanded).
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import UnreadableFileError
from ..model import Origin, Source
from .content import Content, Extracted, Origins, PlacedLine, placed_text
from .extras import require
from .grid import GridCell, expand, grid_cells, join_lines

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
    numbers: dict[int, int] = {}
    layout: frozenset[int] = frozenset()
    if tables:
        numbers = {table.mem_id: n for n, table in enumerate(root.css("table"), 1)}
        if tables > 1:
            layout = _layout_tables(root)
    lines: list[PlacedLine] = []
    _walk(root, name, layout, numbers, lines)
    return placed_text(lines)


def _walk(root: Any, name: str, layout: frozenset[int], numbers: dict[int, int], out: list[PlacedLine]) -> None:
    """Append the finished lines under ``root`` to ``out``, a data table's rows with the place of
    each cell (``numbers``: the 1-based number of each table; ``layout``: tables read as blocks).

    One walk of the tree without recursion (pages nest deeply): a node on the stack is
    followed by its next sibling, ``_END`` marks where a block ends."""
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            line = _WHITESPACE.sub(" ", "".join(buffer)).strip()
            buffer.clear()
            if line:
                out.append((line, ()))

    stack: list[Any] = [root]
    first = True
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if node is _END:
            flush()
            continue
        if first:
            first = False  # the root's siblings are not its content
        else:
            stack.append(node.next)
        tag = node.tag
        if tag == "-text":
            buffer.append(node.text_content or "")
            continue
        if tag in _SKIP or not node.is_element_node:
            continue
        if tag == "br":
            flush()
            continue
        if tag == "table" and node.mem_id not in layout:
            flush()
            number = numbers.get(node.mem_id)
            for row, line, cells in grid_cells(expand(_table_rows(node, name), name)):
                out.append(
                    (
                        line,
                        [
                            (start, end, Origin(table=number, row=row + 1, column=column + 1))
                            for start, end, column in cells
                        ],
                    )
                )
            continue
        if tag in _BLOCK:
            flush()
            stack.append(_END)
        stack.append(node.first_child)
    flush()


_END = object()  # on the walk's stack: the end of a block


def _layout_tables(root: Any) -> frozenset[int]:
    """The ``mem_id`` of every table holding another table: page layout, read as blocks.

    The nearest table above each table that has one (Lexbor finds those); the walk up from
    each stops at a node already passed, so all the walks together pass each node once."""
    layout: set[int] = set()
    nearest: dict[int, int] = {}  # a node passed on the way up -> the table above it
    for table in root.css("table table"):
        passed = []
        node = table.parent
        while node is not None and node.tag != "table":
            known = nearest.get(node.mem_id)
            if known is not None:
                break
            passed.append(node.mem_id)
            node = node.parent
        else:
            known = None if node is None else node.mem_id
        if known is not None:
            layout.add(known)
            nearest.update(dict.fromkeys(passed, known))
    return frozenset(layout)


def _table_rows(table: Any, name: str) -> list[list[GridCell]]:
    """The rows of a table that holds no other table, each a list of declared cells."""
    rows = []
    for tr in table.css("tr"):
        cells = []
        for td in tr.iter():
            if td.tag in ("td", "th"):
                spans = td.attributes
                cells.append(GridCell(_cell_text(td, name), _span(spans.get("rowspan")), _span(spans.get("colspan"))))
        rows.append(cells)
    return rows


def _span(value: str | None) -> int:
    """A rowspan/colspan attribute as browsers read it (the HTML standard's rules for parsing
    non-negative integers): leading ASCII digits, else 1.  Other digits (``"３"``, ``"²"``,
    ``"③"``) are no number to a browser, which draws such a cell one column wide; a huge
    number is clamped later (``grid.MAX_COLSPAN``), as browsers clamp it."""
    if value is None:
        return 1
    match = _SPAN.match(value)
    if match is None:
        return 1
    digits = match.group(1).lstrip("0") or "0"
    return int(digits) if len(digits) <= 7 else 10_000_000


_SPAN = re.compile(r"[ \t\n\f\r]*\+?([0-9]+)")


def _cell_text(td: Any, name: str) -> str:
    """The text of a cell, ``<br>`` and block boundaries as line breaks (joined by ``join_lines``)."""
    node = td.first_child
    while node is not None and node.next is None:  # the usual cell: one text, perhaps inside <p><span>
        tag = node.tag
        if tag == "-text":
            return join_lines(_WHITESPACE.sub(" ", node.text_content or "").strip())
        if tag in _SKIP or tag == "br" or tag == "table" or not node.is_element_node:
            break
        node = node.first_child
    if node is None:
        return ""  # no text at all
    lines: list[PlacedLine] = []
    _walk(td, name, frozenset(), {}, lines)
    return join_lines("\n".join(line for line, _ in lines))


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
_RAW = "s(?:cript|tyle)|t(?:extarea|itle)|xmp|iframe|no(?:embed|frames|script)"  # _RAW_TEXT, as a trie
_END_OF_NAME = r"(?![^\t\n\f\r />])"
# The tokens of a lower-cased page: a comment, <!doctype ...> or <?...>, a raw-text element up to
# its end tag (its content is text), <plaintext> and the rest of the page (all text), a tag.
_TOKEN = re.compile(
    r"<(?:!--.*?(?:-->|\Z)|[!?][^>]*"
    rf"|({_RAW}){_END_OF_NAME}.*?(?=</\1[\t\n\f\r />]|\Z)"
    rf"|plaintext{_END_OF_NAME}.*"
    r"|(/?)([a-z][^\t\n\f\r />]*))",
    re.DOTALL,
)


def _check_size(html: str, name: str) -> int:
    """Refuse a page over ``MAX_TAGS``, ``MAX_CELLS`` or ``MAX_DEPTH``; the number of its tables."""
    lowered = html.lower()
    cells = lowered.count("<td") + lowered.count("<th") - lowered.count("<thead")
    if cells > MAX_CELLS:
        raise UnreadableFileError(name, f"an HTML page of more than {MAX_CELLS:,} table cells")
    if lowered.count("<") > MAX_TAGS and _count_tags(html) > MAX_TAGS:
        raise UnreadableFileError(name, f"an HTML page of more than {MAX_TAGS:,} tags")
    if _open_elements(html, lowered) > MAX_DEPTH:
        raise UnreadableFileError(name, f"an HTML page nesting more than {MAX_DEPTH:,} elements")
    return lowered.count("<table")


def _count_tags(html: str) -> int:
    return sum(1 for _ in re.finditer(r"<[A-Za-z]", html))


def _open_elements(html: str, lowered: str | None = None) -> int:
    """The most elements open at once, as far as tags show it, stopping once past ``MAX_DEPTH``.

    A model of the HTML5 tree builder: an end tag closes what the tree builder's rules
    surely close (the nearest element of its name, unless a scope boundary lies between),
    and ``<td>``, ``<tr>``, ``<li>``, ``<p>``... close their open predecessor the same way;
    where the model is unsure, the element stays open, so the count errs high.  Every
    lookup is constant time (a stack of positions per name and per kind of boundary), so
    the pass is linear in the page's length; the tags are found by one regular expression
    (``lowered``: the page lower-cased, if the caller has it) and the loop is written out
    in one function, an end tag that closes the element on top being the common case."""
    names: list[str] = []  # the open elements
    where: dict[str, list[int]] = {}  # name -> its positions in names
    stops: dict[str, list[int]] = {kind: [] for kind in _STOPS}  # boundary kind -> positions
    deepest = 0

    def pop_to(position: int) -> None:
        while len(names) > position:
            name = names.pop()
            where[name].pop()
            for kind in _RULES.get(name, _UNKNOWN)[0]:
                stops[kind].pop()

    def close(candidates: tuple[str, ...], kind: str) -> None:
        """Close the nearest of ``candidates`` and all above it, unless a ``kind`` boundary lies between."""
        found = -1
        for candidate in candidates:
            positions = where.get(candidate)
            if positions and positions[-1] > found:
                found = positions[-1]
        if found >= 0:
            boundaries = stops[kind]
            if not boundaries or found >= boundaries[-1]:
                pop_to(found)

    for _, closing, tag in _TOKEN.findall(html.lower() if lowered is None else lowered):
        if not tag:
            continue  # a comment, <!doctype ...>, <?...>, text
        if closing:
            if tag == "body" or tag == "html":
                continue  # the tree builder closes nothing here: what follows still goes into the body
            if names and names[-1] == tag:  # the usual end tag: it closes the element on top
                names.pop()
                where[tag].pop()
                for kind in _RULES.get(tag, _UNKNOWN)[0]:
                    stops[kind].pop()
            elif tag != "form":  # the form leaves the stack only from the top, its open content stays
                close(*_RULES.get(tag, _UNKNOWN)[2] or ((tag,), "special"))
            continue
        kinds, closes, _, pops, keeps = _RULES.get(tag, _UNKNOWN)
        for candidates, kind in closes:  # close(), written out: mostly there is nothing to close
            found = -1
            for candidate in candidates:
                positions = where.get(candidate)
                if positions and positions[-1] > found:
                    found = positions[-1]
            if found >= 0:
                boundaries = stops[kind]
                if not boundaries or found >= boundaries[-1]:
                    pop_to(found)
        if pops and names and names[-1] in pops:
            pop_to(len(names) - 1)
        if keeps and (keeps is True or where.get(tag)):
            continue  # a void element, or a second <html>, <head>, <body>
        position = len(names)
        names.append(tag)
        where.setdefault(tag, []).append(position)
        for kind in kinds:
            stops[kind].append(position)
        if position >= deepest:
            deepest = position + 1
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


_Rule = tuple[
    tuple[str, ...],  # the boundary kinds the element is
    tuple[tuple[tuple[str, ...], str], ...],  # what its start tag closes first
    "tuple[tuple[str, ...], str] | None",  # what its end tag closes
    frozenset[str],  # the elements its start tag closes when they are on top (<h2> after <h1>)
    "bool | str",  # True: never opened (void); "once": opened only if not open yet
]


def _rule(tag: str) -> _Rule:
    pops = _HEADINGS if tag in _HEADINGS else frozenset({"option"}) if tag == "option" else frozenset()
    keeps: bool | str = True if tag in _VOID else "once" if tag in ("html", "head", "body") else False
    kinds = tuple(kind for kind, members in _STOPS.items() if tag in members)
    return kinds, _start_rules(tag), _end_rule(tag), pops, keeps


# Every name the rules treat apart; any other (a formatting or unknown element) is _UNKNOWN.
_RULES: dict[str, _Rule] = {
    tag: _rule(tag)
    for tag in (
        _VOID | _SCOPE | _SPECIAL | _CLOSES_P | _HEADINGS | _TABLE_PARTS
        | {"td", "th", "tr", "li", "dd", "dt", "p", "option", "button", "ol", "ul", "form"}
    )
}  # fmt: skip
_UNKNOWN: _Rule = ((), (), None, frozenset(), False)
