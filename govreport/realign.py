"""A one-line table whose line of values lost or gained a cell: the readings its arithmetic allows.

Table 四 is one line of fifteen values under a header grid.  When the line prints one cell
fewer than the header (OCR or a converter lost a cell) or one more (a spare value, a cell
split in two), where the cell went is not printed: every value after it would be read one
column off.  Each place it could have gone gives one reading; the table's relations
(结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计 ...) rule readings out.  A cell is read only
when every reading the relations allow puts the same printed cell in it; the others are
not certain, and a cell every allowed reading says was lost is lost (``missing``).
A header cell under no column name may hold a spare value (seed 001 prints one there),
so a line without it is not taken to have simply dropped it: that is one reading among
the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from attrs import frozen
from lark import Token

from .layout import ShiftedLine
from .model import Number
from .relations import Relation

# What a reading puts in a column: a printed value, None (a cell printed empty), or LOST;
# UNCERTAIN where the allowed readings disagree.
LOST = "lost"
UNCERTAIN = "uncertain"
Choice = Token | None | str


@frozen
class Reading:
    """One way of laying the printed cells under the header: a choice per column, and the
    values that fall under no column."""

    columns: tuple[Choice, ...]
    spare: tuple[Token, ...]


def readings(line: ShiftedLine) -> Iterator[Reading]:
    """Every reading of ``line`` with exactly one cell lost (the line is one short) or one
    cell added (one long) anywhere in it, the header grid taken as printed."""
    header = line.header_cells
    cells: list[Choice] = list(line.cells)
    named = set(line.columns)
    short = len(cells) == header - 1
    for at in range(header if short else len(cells)):
        grid = [*cells[:at], LOST, *cells[at:]] if short else cells[:at] + cells[at + 1 :]
        spare = [c for i, c in enumerate(grid) if i not in named and isinstance(c, Token)]
        dropped = None if short else cells[at]
        if isinstance(dropped, Token):
            spare.append(dropped)
        yield Reading(tuple(grid[i] for i in line.columns), tuple(spare))


def agreed(
    line: ShiftedLine,
    keys: Sequence[str],
    relations: Sequence[Relation],
    value_of: Callable[[int, Token], Number | None],
) -> tuple[list[Choice], tuple[Token, ...]] | None:
    """Per column, the choice every reading the relations allow agrees on (``UNCERTAIN`` where
    they disagree), and the values every allowed reading leaves
    under no column; None when no reading is allowed.  ``value_of(column, token)`` reads a
    printed value (None when it is no number)."""
    allowed = [r for r in readings(line) if _holds(r, keys, relations, value_of)]
    if not allowed:
        return None
    out: list[Choice] = []
    for i in range(len(keys)):
        first = allowed[0].columns[i]
        out.append(first if all(r.columns[i] is first for r in allowed) else UNCERTAIN)
    spare = tuple(t for t in allowed[0].spare if all(any(s is t for s in r.spare) for r in allowed))
    return out, spare


ValueOf = Callable[[int, Token], "Number | None"]


def _holds(reading: Reading, keys: Sequence[str], relations: Sequence[Relation], value_of: ValueOf) -> bool:
    """Whether every relation whose terms the reading all prints holds."""
    values: dict[str, Number | None] = {
        key: value_of(i, choice) if isinstance(choice, Token) else None
        for i, (key, choice) in enumerate(zip(keys, reading.columns, strict=True))
    }
    for relation in relations:
        terms = [(sign, values.get(key)) for sign, key in relation.terms()]
        total = values.get(relation.total)
        if total is None or any(v is None for _, v in terms):
            continue
        if total != sum(sign * (v or 0) for sign, v in terms):
            return False
    return True
