"""Grammar → items: the Lark transformer.

Each grammar rule becomes an ``Item``: the head token that says what the item is
(a heading, a row label, a column header, prose ...) and the cell tokens printed
after it.  Nothing is interpreted here; ``layout.py`` decides which values belong
to which row.
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import frozen
from lark import Token, Transformer

# Token types of cells (after the namespace prefix is stripped).
VALUE_TYPES = frozenset({"NUMBER", "PLACEHOLDER"})


def terminal_name(token: Token) -> str:
    """``core__APP_NEW`` → ``APP_NEW``: imported terminals carry a namespace."""
    return token.type.rsplit("__", 1)[-1]


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
        return Item(kind, children[0], tuple(children[1:]))

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
        lead = [c for c in children if isinstance(c, Token)]
        if lead:  # cells before the first item (a bare page number, say)
            items.append(Item("lead", None, tuple(lead)))
        items.extend(c for c in children if isinstance(c, Item))
        return items
