"""Tables from ruling lines: the cells and rows the horizontal and vertical rules of a page draw.

The algorithm is pdfplumber's (``pdfplumber.table``, its default ``lines`` strategy, MIT
licence), written again here so the PDF reader needs nothing but PDFium, and with indexes
where pdfplumber searches every point and edge (a page of tables has a few hundred
crossings):

1. rules within ``tolerance`` of each other across are snapped to their mean position, and
   rules on one line whose ends are within ``tolerance`` are joined; rules shorter than
   ``min_length`` are dropped;
2. a horizontal and a vertical rule that meet (within ``tolerance``) make a crossing;
3. the cell at a crossing is the smallest box whose four corners are crossings joined by
   rules;
4. cells that share a corner make one table; a table of one cell is not a table;
5. a table's rows are its cells grouped by top, each row with a position (``None`` when
   a merged cell covers it) for every column edge of the table.

A rule is ``(orientation, x0, top, x1, bottom)``: ``"h"`` with ``top == bottom``, ``"v"``
with ``x0 == x1``, in points from the page's top-left corner.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from attrs import frozen

Box = tuple[float, float, float, float]
Rule = tuple[str, float, float, float, float]
Point = tuple[float, float]
Crossings = dict[Point, tuple[set[int], set[int]]]

TOLERANCE = 3.0  # points: pdfplumber's snap, join and intersection tolerances
MIN_LENGTH = 3.0  # points: pdfplumber's edge_min_length
MIN_PREFILTER = 1.0  # points: pdfplumber's edge_min_length_prefilter


@frozen
class Row:
    """One row of a table: its cells left to right, ``None`` where no cell starts at a column edge."""

    cells: tuple[Box | None, ...]

    @property
    def bbox(self) -> Box:
        boxes = [c for c in self.cells if c is not None]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


@frozen
class Table:
    """The cells of one ruled table."""

    cells: tuple[Box, ...]

    @property
    def bbox(self) -> Box:
        c = self.cells
        return (min(b[0] for b in c), min(b[1] for b in c), max(b[2] for b in c), max(b[3] for b in c))

    @property
    def rows(self) -> list[Row]:
        columns = sorted({c[0] for c in self.cells})
        rows = []
        for _, cells in itertools.groupby(sorted(self.cells, key=lambda c: (c[1], c[0])), key=lambda c: c[1]):
            by_x = {c[0]: c for c in cells}
            rows.append(Row(tuple(by_x.get(x) for x in columns)))
        return rows


def tables(rules: Iterable[Rule], tolerance: float = TOLERANCE, min_length: float = MIN_LENGTH) -> list[Table]:
    """The tables the rules draw, top to bottom (then left to right)."""
    merged = [r for r in merge(r for r in rules if _length(r) >= MIN_PREFILTER) if _length(r) >= min_length]
    return [Table(tuple(group)) for group in _tables(_cells(_crossings(merged, tolerance)))]


def _length(rule: Rule) -> float:
    return rule[3] - rule[1] if rule[0] == "h" else rule[4] - rule[2]


def merge(rules: Iterable[Rule], tolerance: float = TOLERANCE) -> list[Rule]:
    """Rules snapped to the mean of their cluster across, then joined along their line."""
    rules = list(rules)
    out: list[Rule] = []
    for orientation in ("v", "h"):
        these = [r for r in rules if r[0] == orientation]
        at = 1 if orientation == "v" else 2  # the coordinate across the rule
        snapped: list[Rule] = []
        for cluster in _clusters(these, at, tolerance):
            mean = sum(float(r[at]) for r in cluster) / len(cluster)
            for r in cluster:
                if orientation == "v":
                    snapped.append(("v", mean, r[2], mean, r[4]))
                else:
                    snapped.append(("h", r[1], mean, r[3], mean))
        start, end = (2, 4) if orientation == "v" else (1, 3)
        snapped.sort(key=lambda r: (r[at], r[start]))
        for _, line in itertools.groupby(snapped, key=lambda r: r[at]):
            joined: list[list[Any]] = []
            for r in line:
                if joined and r[start] <= joined[-1][end] + tolerance:
                    joined[-1][end] = max(joined[-1][end], r[end])
                else:
                    joined.append(list(r))
            out.extend((j[0], j[1], j[2], j[3], j[4]) for j in joined)
    return out


def _clusters(rules: list[Rule], at: int, tolerance: float) -> list[list[Rule]]:
    """Rules grouped by one coordinate: sorted, a new group where the gap to the last exceeds ``tolerance``."""
    groups: list[list[Rule]] = []
    last = None
    for r in sorted(rules, key=lambda r: r[at]):
        value = float(r[at])
        if last is None or value > last + tolerance:
            groups.append([])
        groups[-1].append(r)
        last = value
    return groups


def _crossings(rules: Sequence[Rule], tolerance: float) -> Crossings:
    """Each point where a vertical and a horizontal rule meet, with the indexes of both."""
    found: Crossings = {}
    verticals = [(i, r) for i, r in enumerate(rules) if r[0] == "v"]
    horizontals = [(i, r) for i, r in enumerate(rules) if r[0] == "h"]
    for i, v in verticals:
        _, x, top, _, bottom = v
        for j, h in horizontals:
            _, hx0, y, hx1, _ = h
            if top <= y + tolerance and bottom >= y - tolerance and hx0 - tolerance <= x <= hx1 + tolerance:
                vs, hs = found.setdefault((x, y), (set(), set()))
                vs.add(i)
                hs.add(j)
    return found


def _cells(crossings: Crossings) -> list[Box]:
    """At each crossing, the smallest box whose corners are crossings joined by rules."""
    points = sorted(crossings)
    below: dict[float, list[Point]] = defaultdict(list)  # same x, in order of y
    right: dict[float, list[Point]] = defaultdict(list)  # same y, in order of x
    for p in points:
        below[p[0]].append(p)
        right[p[1]].append(p)

    def joined(a: Point, b: Point) -> bool:
        if a[0] == b[0] and crossings[a][0] & crossings[b][0]:
            return True
        return a[1] == b[1] and bool(crossings[a][1] & crossings[b][1])

    cells = []
    for p in points:
        downs = [q for q in below[p[0]] if q[1] > p[1]]
        rights = [q for q in right[p[1]] if q[0] > p[0]]
        cell = _smallest(p, downs, rights, crossings, joined)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest(
    p: Point, downs: list[Point], rights: list[Point], crossings: Crossings, joined: Callable[[Point, Point], bool]
) -> Box | None:
    for down in downs:
        if not joined(p, down):
            continue
        for side in rights:
            if not joined(p, side):
                continue
            corner = (side[0], down[1])
            if corner in crossings and joined(corner, side) and joined(corner, down):
                return (p[0], p[1], corner[0], corner[1])
    return None


def _tables(cells: list[Box]) -> list[list[Box]]:
    """Cells grouped into tables by shared corners (pdfplumber's ``cells_to_tables``)."""
    remaining = list(cells)
    corners: set[Point] = set()
    current: list[Box] = []
    groups: list[list[Box]] = []
    while remaining:
        before = len(current)
        for cell in list(remaining):
            x0, top, x1, bottom = cell
            these = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not current or any(c in corners for c in these):
                corners.update(these)
                current.append(cell)
                remaining.remove(cell)
        if len(current) == before:
            groups.append(current)
            corners = set()
            current = []
    if current:
        groups.append(current)
    groups.sort(key=lambda g: min((c[1], c[0]) for c in g))
    return [g for g in groups if len(g) > 1]
