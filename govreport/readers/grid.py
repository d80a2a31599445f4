"""Tables with merged cells, written out as the tab-separated text the parser reads.

HTML, Word and PDF tables merge cells (``rowspan``/``colspan``, ``vMerge``/``gridSpan``).
A merged cell is expanded into the grid the way the official tables are printed: its
text stands in its top-left grid position and every other position it covers is an
empty cell.  Each grid row then becomes one line of cells separated by tabs, the layout
of the tab-separated seeds, so the column of every value stays certain and the one
grammar reads tables from every source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from attrs import evolve, frozen

from ..errors import UnreadableFileError

MAX_COLSPAN = 1000  # the HTML standard's own limit
MAX_GRID_CELLS = 2_000_000  # an official table has about 300; this stops a hostile span from exhausting memory

_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_LINE_JOIN = re.compile(rf"(?<=[{_CJK}])\s*\n\s*(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")


@frozen
class GridCell:
    """One cell as the source document declares it."""

    text: str
    rowspan: int = 1
    colspan: int = 1


def join_lines(text: str) -> str:
    """One line for the text of one cell.

    A label wrapped inside its cell (``"商业\\n企业"``, or a header typeset one character per
    line) is joined without a space; any other line break becomes a space, so two numbers on
    two lines stay two numbers and are never glued into one.
    """
    if text.isprintable() and "  " not in text:  # the usual cell: no whitespace but single spaces
        return text.strip()
    return _SPACES.sub(" ", _LINE_JOIN.sub("", text)).strip()


def expand(rows: Sequence[Sequence[GridCell]], name: str = "<table>") -> list[list[str]]:
    """The grid of a table: every declared cell at its row and column, merges expanded.

    Raises ``UnreadableFileError`` (naming ``name``) for a table whose spans would make a
    grid of more than ``MAX_GRID_CELLS`` cells.
    """
    rows = agree_colspans(rows)
    grid: list[list[str]] = []
    size = 0
    edges = {0}  # the grid columns at which some declared cell starts or ends
    covered: dict[int, set[int]] = {}  # row -> columns taken by a rowspan from a row above
    for r, row in enumerate(rows):
        taken = covered.pop(r, set())
        line: list[str] = []
        for cell in row:
            while len(line) in taken:
                line.append("")
            colspan = max(1, min(cell.colspan, MAX_COLSPAN))
            rowspan = len(rows) - r if cell.rowspan <= 0 else min(cell.rowspan, len(rows) - r)
            size += rowspan * colspan
            if size > MAX_GRID_CELLS:
                raise UnreadableFileError(name, f"a table whose merged cells span more than {MAX_GRID_CELLS:,} cells")
            for dr in range(1, rowspan):
                covered.setdefault(r + dr, set()).update(range(len(line), len(line) + colspan))
            edges.update((len(line), len(line) + colspan))
            line.append(cell.text)
            line.extend([""] * (colspan - 1))
        while taken and len(line) <= max(taken):
            line.append("")
        grid.append(line)
    return _merge_columns(grid, edges)


def _merge_columns(grid: list[list[str]], edges: set[int]) -> list[list[str]]:
    """The grid without the columns no cell boundary separates from the one before.

    A value cell ``colspan="2"`` under a header cell ``colspan="2"``: every row covers both
    grid columns with one cell, so they are one column of the table, and the value stands
    under its header whatever the spans of the other rows."""
    width = max((len(line) for line in grid), default=0)
    kept = [c for c in range(width) if c in edges]
    if len(kept) == width:
        return grid
    return [[line[c] for c in kept if c < len(line)] for line in grid]


def agree_colspans(rows: Sequence[Sequence[GridCell]]) -> list[list[GridCell]]:
    """Rows that print the same number of cells, one below the other and out of reach of any
    rowspan, take the column spans of the widest of them when their spans disagree.

    A header printed with ``colspan="2"`` cells above value rows printed without spans (or the
    other way round) still holds one value per header cell: the i-th value belongs under the
    i-th header.  When two of the widest rows disagree, nothing is changed (the placement
    then withholds what it cannot place)."""
    out = [list(row) for row in rows]
    touched: set[int] = set()
    for r, row in enumerate(rows):
        for cell in row:
            if cell.rowspan != 1:
                end = len(rows) if cell.rowspan <= 0 else min(len(rows), r + cell.rowspan)
                touched.update(range(r, end))
    start = 0
    while start < len(rows):
        end = start + 1
        while start not in touched and end < len(rows) and end not in touched and len(rows[end]) == len(rows[start]):
            end += 1
        spans = {tuple(min(max(1, c.colspan), MAX_COLSPAN) for c in rows[k]) for k in range(start, end)}
        if len(spans) > 1:
            widest = max(sum(s) for s in spans)
            chosen = [s for s in spans if sum(s) == widest]
            if len(chosen) == 1:
                for k in range(start, end):
                    out[k] = [evolve(c, colspan=n) for c, n in zip(rows[k], chosen[0], strict=True)]
        start = end
    return out


def grid_lines(grid: Iterable[Sequence[str | None]]) -> list[str]:
    """The table as text: one line per row, cells separated by tabs; empty rows left out."""
    return [line for _, line, _ in grid_cells(grid)]


def grid_cells(grid: Iterable[Sequence[str | None]]) -> list[tuple[int, str, list[tuple[int, int, int]]]]:
    """``grid_lines``, with where each cell stands: for each line, the index of its row in
    the grid (0-based, empty rows counted), the line, and ``(start, end, column)`` of each
    cell with text (offsets in the line, 0-based column of the grid)."""
    placed = []
    for index, row in enumerate(grid):
        cells = [join_lines(c or "").replace("\t", " ") for c in row]
        if any(cells):
            where = []
            offset = 0
            for column, cell in enumerate(cells):
                if cell:
                    where.append((offset, offset + len(cell), column))
                offset += len(cell) + 1
            placed.append((index, "\t".join(cells), where))
    return placed
