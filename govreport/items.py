"""Grammar → items: the Lark transformer.

Each grammar rule becomes an ``Item``: the head token that says what the item is
(a heading, a row label, a column header, prose ...) and the cell tokens printed
after it.  Nothing is interpreted here; ``layout.py`` decides which values belong
to which row.
"""

from __future__ import annotations

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


def terminal_name(token: Token) -> str:
    """``core__APP_NEW`` → ``APP_NEW``: imported terminals carry a namespace."""
    name = _SHORT_NAMES.get(token.type)
    if name is None:
        name = _SHORT_NAMES[token.type] = token.type.rsplit("__", 1)[-1]
    return name


# Memo for terminal_name, the hottest function of the layout stage.  Bounded by the number of
# terminal names of the registered grammars; dict assignment is atomic, so threads may share it.
_SHORT_NAMES: dict[str, str] = {}


@frozen
class Item:
    kind: str  # the grammar rule: heading, subheading, para, junk, block, header, group, row, lead
    head: Token | None
    cells: tuple[Token, ...]

    @property
    def terminal(self) -> str:
        return terminal_name(self.head) if self.head is not None else ""

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
        return Item(kind, children[0], tuple(join_touching(split_runs(children[1:]))))

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
        lead = list(split_runs(c for c in children if isinstance(c, Token)))
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
    kind = terminal_name(token)
    if kind in VALUE_TYPES:
        return True
    return kind == "TEXT" and _WORD.search(str(token)) is None


def _joined(group: list[Token]) -> list[Token]:
    numbers = [t for t in group if terminal_name(t) == "NUMBER"]
    if len(group) < 2 or not numbers:
        return group
    first, last = group[0], group[-1]
    return [
        _new_token(
            numbers[0].type,
            "".join(str(t) for t in group),
            first.start_pos,
            first.line,
            first.column,
            last.end_line,
            last.end_column,
            last.end_pos,
        )
    ]


def split_runs(tokens: Iterable[Token]) -> Iterable[Token]:
    """The tokens, each CELL_RUN replaced by the NUMBER/PLACEHOLDER/SEP tokens it is made of."""
    for token in tokens:
        if not token.type.endswith("CELL_RUN") or len(token) > MAX_RUN_CHARS:
            yield token  # an overlong run stays whole: layout.py reports it as unplaced
            continue
        prefix = token.type[: -len("CELL_RUN")]
        start = token.start_pos or 0
        line, column = token.line, token.column or 1
        for match in _RUN_ITEM.finditer(str(token)):
            kind = match.lastgroup or "SEP"
            begin, end = match.span(kind)
            yield _new_token(
                prefix + kind,
                match.group(kind),
                start + begin,
                line,
                column + begin,
                line,
                column + end,
                start + end,
            )
