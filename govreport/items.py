"""Grammar → items: the Lark transformer.

Each grammar rule becomes an ``Item``: the head token that says what the item is
(a heading, a row label, a column header, prose ...) and the cell tokens printed
after it.  Nothing is interpreted here; ``layout.py`` decides which values belong
to which row.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence

from attrs import frozen
from lark import Token, Transformer

# Token types of cells (after the namespace prefix is stripped).
VALUE_TYPES = frozenset({"NUMBER", "PLACEHOLDER"})

# The cells inside a CELL_RUN token (see grammars/core.lark): the same patterns as the
# NUMBER, PLACEHOLDER and SEP terminals, tried in the lexer's order.
_NUMBER = r"(?>[+-]?(?:\d{1,3}(?:,\d{3})++|\d+)(?:\.\d+)?(?:[ ]?(?:万元|元|件|项|个|批次|条))?)"
_PLACEHOLDER = r"(?:/|—{1,2}|–|-{1,2}|无|未增未减)"
_RUN_ITEM = re.compile(rf"[ ]*(?:(?P<NUMBER>{_NUMBER})|(?P<PLACEHOLDER>{_PLACEHOLDER})|(?P<SEP>[\t|]))")


def short_name(type_name: str) -> str:
    """``core__APP_NEW`` → ``APP_NEW``: imported terminals carry a namespace."""
    name = _SHORT_NAMES.get(type_name)
    if name is None:
        name = _SHORT_NAMES[type_name] = type_name.rsplit("__", 1)[-1]
    return name


def terminal_name(token: Token) -> str:
    """The terminal a token was lexed as.  ``ItemBuilder`` gives every token it hands on its
    short name (``APP_NEW``, not ``core__APP_NEW``), so this is the token's type."""
    return token.type


# Memo for short_name.  Bounded by the number of terminal names of the registered grammars;
# dict assignment is atomic, so threads may share it.
_SHORT_NAMES: dict[str, str] = {}


@frozen
class Item:
    kind: str  # the grammar rule: heading, subheading, para, junk, block, header, group, row, lead
    head: Token | None
    cells: tuple[Token, ...]

    @property
    def terminal(self) -> str:
        return self.head.type if self.head is not None else ""

    @property
    def line(self) -> int:
        token = self.head if self.head is not None else (self.cells[0] if self.cells else None)
        return int(token.line) if token is not None and token.line is not None else 0


class ItemBuilder(Transformer[Token, list[Item]]):
    """Turns each item rule of the grammar into an ``Item``.

    There is one method per rule; ``tests/test_grammar.py`` fails if a template
    grammar adds a rule that has no method here.
    """

    def _make(self, kind: str, children: Sequence[Token]) -> Item:
        head = children[0]
        head.type = short_name(head.type)
        return Item(kind, head, cell_tokens(children[1:]))

    def heading(self, children: Sequence[Token]) -> Item:
        return self._make("heading", children)

    def subheading(self, children: Sequence[Token]) -> Item:
        return self._make("subheading", children)

    def para(self, children: Sequence[Token]) -> Item:
        return self._make("para", children)

    def junk(self, children: Sequence[Token]) -> Item:
        return self._make("junk", children)

    def block(self, children: Sequence[Token]) -> Item:
        return self._make("block", children)

    def header(self, children: Sequence[Token]) -> Item:
        return self._make("header", children)

    def group(self, children: Sequence[Token]) -> Item:
        return self._make("group", children)

    def row(self, children: Sequence[Token]) -> Item:
        return self._make("row", children)

    def start(self, children: Sequence[Token | Item]) -> list[Item]:
        items: list[Item] = []
        lead = cell_tokens([c for c in children if isinstance(c, Token)])
        if lead:  # cells before the first item (a bare page number, say)
            items.append(Item("lead", None, tuple(lead)))
        items.extend(c for c in children if isinstance(c, Item))
        return items


# A run of cells longer than this is no table row (the longest, table 四 in Markdown, is
# about 200 characters): it is kept as one CELL_RUN token instead of a token per cell, so that a
# hostile line of a million cells costs one token, not hundreds of megabytes.
MAX_RUN_CHARS = 4096

# Token's own constructor minus its deprecation shim: a report splits about 700 cells.
_new_token: Callable[..., Token] = Token._future_new


def cell_tokens(tokens: Sequence[Token]) -> tuple[Token, ...]:
    """The cells printed after an item's head, as the layout stage reads them.

    Every token gets its short terminal name; each CELL_RUN becomes the NUMBER,
    PLACEHOLDER and SEP tokens it is made of; tokens printed touching one another are
    joined (``join_touching``).  Inside a run no two values touch (the run's patterns
    need a space or a separator after each), so joining looks only where it can apply.
    """
    if not tokens:
        return ()
    if len(tokens) == 1:  # the usual item: a head and one run of cells, or one other token
        token = tokens[0]
        kind = token.type = short_name(token.type)
        return tuple(_split_run(token)) if kind == "CELL_RUN" and len(token) <= MAX_RUN_CHARS else (token,)
    out: list[Token] = []
    for token in tokens:
        kind = token.type = short_name(token.type)
        if kind == "CELL_RUN" and len(token) <= MAX_RUN_CHARS:
            out.extend(_split_run(token))
        else:
            out.append(token)  # an overlong run stays whole: layout.py reports it as unplaced
    if any(a.end_pos == b.start_pos and a.type != "SEP" != b.type for a, b in itertools.pairwise(out)):
        return tuple(join_touching(out))
    return tuple(out)


def join_touching(tokens: Iterable[Token]) -> list[Token]:
    """Tokens printed with nothing between them, one of them a number, are one token.

    ``709317,052.0`` (two cells run together), ``.5``, ``1e5``, ``l2``, ``+-1``, ``20-``: the
    lexer reads a number and some debris, or two numbers, out of what was printed as one
    word.  That word is not one well-formed number, so it must not pass for the number the
    lexer found in it (``.5`` read as 5 makes a fee ten times too large): joined, it is one
    cell that ``cells.read_cell`` reads as no number, with the printed text in the
    diagnostic.  CJK text stays apart (``3次``, a label glued to its first value).
    """
    out: list[Token] = []
    group: list[Token] = []
    for token in tokens:
        if group and group[-1].end_pos == token.start_pos and _joinable(group[-1]) and _joinable(token):
            group.append(token)
            continue
        out.extend(_joined(group))
        group = [token]
    out.extend(_joined(group))
    return out


# Characters of words: text holding one of them is a word, not debris around a number.
_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _joinable(token: Token) -> bool:
    kind = token.type
    if kind in VALUE_TYPES:
        return True
    return kind == "TEXT" and _WORD.search(str(token)) is None


def _joined(group: list[Token]) -> list[Token]:
    numbers = [t for t in group if t.type == "NUMBER"]
    if len(group) < 2 or not numbers:
        return group
    first, last = group[0], group[-1]
    return [
        _new_token(
            "NUMBER",
            "".join(str(t) for t in group),
            first.start_pos,
            first.line,
            first.column,
            last.end_line,
            last.end_column,
            last.end_pos,
        )
    ]


def _split_run(token: Token) -> list[Token]:
    """The NUMBER/PLACEHOLDER/SEP tokens a CELL_RUN is made of, as the lexer would make them."""
    start = token.start_pos or 0
    line, column = token.line, token.column or 1
    out = []
    for match in _RUN_ITEM.finditer(str(token)):
        kind = match.lastgroup or "SEP"
        begin, end = match.span(kind)
        text = match.group(kind)
        out.append(_new_token(kind, text, start + begin, line, column + begin, line, column + end, start + end))
    return out
