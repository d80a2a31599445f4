"""Items → rows with their value tokens: how the printed layout ties values to labels.

The grammar already attaches every cell to the item printed before it.  Two
layouts need more than that:

* **one cell per line or paragraph** (P2–P5): the values of a row follow its
  label on lines of their own;
* **PDF text** (P6): a wrapped label may have its values on the line *before*
  it, between its two halves, or on the line after.

Both are resolved the same way.  A line that holds only values is a *floating
line*.  A row whose label line holds no value is *needy*.  Rows that carry their
own values are anchors; between two anchors lie the needy rows and floating lines
of a *run*.  A run is resolved only when its floating values exactly fill its
needy rows in order (or, for one-value lines, when each row's own following
lines fill it).  Otherwise every row of the run stays missing and every
floating value is reported as unplaced — never a guess.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise

from attrs import define, field, frozen
from lark import Token

from .cells import fit
from .items import MAX_RUN_CHARS, VALUE_TYPES, Item
from .templates import RowSpec, Template

Slot = list[Token]  # the tokens of one printed cell; empty for a blank cell

# Items whose text can be the second half of a wrapped row label.
_CONTINUATION_KINDS = frozenset({"row", "para", "junk", "subheading", "lead"})
# Items whose line may be an extra row: label text followed by values.
_EXTRA_ROW_KINDS = _CONTINUATION_KINDS | {"group"}


def table_of(item: Item, template: Template) -> str | None:
    """The table an item's head token belongs to, or None for neutral items."""
    name = item.terminal
    if not name:
        return None
    spec = template.row_for_terminal(name)
    if spec is not None:
        return spec.table
    if item.kind == "block":
        return template.block_table()
    return template.table_for_terminal(name)


@define
class RowEvidence:
    """A printed row and the value slots the layout gave it."""

    spec: RowSpec | None
    label: Token
    slots: list[Slot] | None = None  # None: no value could be tied to the row
    grid: bool = False  # True when the slots come from explicit separators
    problem: str = ""  # why the row has no slots, if it should have had some
    text: str = ""  # the printed label of an extra row (one the template does not have)
    optional: bool = False  # a group label that is a row only if values are printed for it
    cut: bool = False  # the text ends inside this row: its slots are the first cells only
    cut_value: bool = False  # the text stops inside a value printed after the slots (one cell more)
    first_cell: bool = False  # the slots start at the row's first cell (no label padding before them)
    open_end: bool = False  # the slots are the first cells; blank lines or spacing after them, unknown
    paired: bool = False  # the slots are the line at the same place in a later block of value lines
    padded: bool = False  # tab text whose rows pad their ends: an empty end slot may be padding


@define
class Unplaced:
    """Value tokens that could not be tied to any cell, and why."""

    tokens: list[Token]
    reason: str


@define
class TableLayout:
    name: str
    rows: list[RowEvidence] = field(factory=list)
    data_lines: list[list[Slot]] = field(factory=list)  # one-line table: floating value lines
    grid_data_lines: list[list[Slot]] = field(factory=list)  # the same with their empty cells, if separated
    opened_lines: list[bool] = field(factory=list)  # the same line starts with a pipe (P1a)
    grid_lines: dict[int, list[Token]] = field(factory=dict)  # every token of the table's lines, by line
    unplaced: list[Unplaced] = field(factory=list)
    first: Token | None = None  # first token seen in the table, for its span
    text_end: int = 0  # where the text's last printed character ends (a row reaching it is cut)
    text_length: int = 0  # a value ending there, with no line break after it, may itself be cut
    printed_lines: list[int] = field(factory=list)  # every line of the text that holds a token, in order
    space_lines: frozenset[int] = frozenset()  # lines of spaces only: an empty paragraph, an empty cell
    rule_lines: dict[int, int] = field(factory=dict)  # Markdown rules (|---|---|) by line: columns declared
    step: int | None = None  # lines from one cell to the next where cells print one per line (_line_steps)
    furniture_lines: frozenset[int] = frozenset()  # lines emptied of a page footer: neither cell nor spacing
    end_gap: int | None = None  # lines from a table's last cell to what follows the table (_line_steps)
    label_lines: frozenset[int] = frozenset()  # the lines of the table's row labels


# ----------------------------------------------------------------- lines and slots


def _lines(tokens: Iterable[Token]) -> list[list[Token]]:
    """Group cell tokens by input line."""
    lines: list[list[Token]] = []
    current = -1
    for token in tokens:
        if token.line != current:
            lines.append([])
            current = token.line or 0
        lines[-1].append(token)
    return lines


def slots_of(tokens: Sequence[Token], *, after_label: bool) -> tuple[list[Slot], bool]:
    """Split the tokens of one line into printed cells.

    Returns the slots that hold or could hold values and whether the line used
    explicit separators.  Text tokens (OCR junk, label remainders) are dropped
    here; ``values_in`` still sees them for diagnostics.  The ``|`` that closes a
    pipe row (``| 规章 | 0 | 0 | 0 |``) ends the row; it opens no empty cell.
    """
    slots: list[Slot] = [[]]
    grid = False
    for token in tokens:
        kind = token.type
        if kind == "SEP":
            grid = True
            slots.append([])
        elif kind in VALUE_TYPES:
            slots[-1].append(token)
    if after_label and not slots[0]:
        slots = slots[1:]  # the label's own cell
    if tokens and str(tokens[-1]).strip() == "|" and slots and not slots[-1]:
        slots = slots[:-1]  # the pipe that closes the row
    # Several values in one printed cell: PDF text separates cells by spaces; in a line whose
    # cells are delimited (tab, pipe) they are one cell that holds no one number ("11128 28").
    expanded: list[Slot] = []
    for slot in slots:
        if len(slot) > 1 and not grid:
            expanded.extend([t] for t in slot)
        elif len(slot) > 1:
            expanded.append([_one_cell(slot)])
        else:
            expanded.append(slot)
    return expanded, grid


def _one_cell(tokens: Sequence[Token]) -> Token:
    """The values printed in one delimited cell, as one token (which reads as no number)."""
    first, last = tokens[0], tokens[-1]
    token = Token(first.type, " ".join(str(t) for t in tokens), first.start_pos, first.line, first.column)
    token.end_line, token.end_column, token.end_pos = last.end_line, last.end_column, last.end_pos
    return token


# The rule under a Markdown table's first row: every row after it has the same cells.
_RULE_CELL = re.compile(r":?-{3,}:?")
_MARKDOWN_RULE = re.compile(r"\s*\|?(\s*:?-{3,}:?\s*\|)+\s*(:?-{3,}:?\s*)?")

# OCR debris: stray marks that are neither words, numbers nor the brackets of a label's note.
_DEBRIS = re.compile(r"[_~`^+,.;:'\"!*#@&=<>\\]+")


def debris(layout: TableLayout) -> list[Token]:
    """Text in a table that is neither a label nor a number (``_,``, ``+``, ``~``): OCR damage.
    In a table OCR damaged, an empty cell may be a cell OCR lost, not one printed blank.
    The line the text is cut in is not counted: ``57,1`` there is a number cut short."""
    return [
        t
        for line in layout.grid_lines.values()
        if not _ends_text(layout, line)
        for t in line
        if t.type == "TEXT" and _DEBRIS.fullmatch(str(t))
    ]


def _overlong(token: Token) -> bool:
    """A run of cells too long to be a table row, left whole by ``items.cell_tokens``."""
    return len(token) > MAX_RUN_CHARS and token.type == "CELL_RUN"


def values_in(tokens: Iterable[Token]) -> list[Token]:
    return [t for t in tokens if t.type in VALUE_TYPES]


# ----------------------------------------------------------------- the walk


@define
class _Entry:
    row: RowEvidence | None = None
    floating: list[Token] | None = None  # a line holding only values


@define
class _Walk:
    """Where the walk over the items stands: the table it is in and the row that is open."""

    template: Template
    layouts: dict[str, TableLayout]
    entries: dict[str, list[_Entry]]
    region: str | None = None  # the table the current item belongs to
    current: RowEvidence | None = None  # the row whose label was read last
    item: Item | None = None
    is_row: bool = False  # the current item is a row label
    text: str = ""  # the normalised text

    @property
    def layout(self) -> TableLayout:
        assert self.region is not None
        return self.layouts[self.region]

    @property
    def run(self) -> list[_Entry]:
        assert self.region is not None
        return self.entries[self.region]


def _row_spec(item: Item, template: Template) -> RowSpec | None:
    if item.kind in ("row", "group"):
        return template.row_for_terminal(item.terminal)
    return None


def build_layouts(
    items: Sequence[Item],
    template: Template,
    section_kinds: Sequence[str | None],
    text: str = "",
    furniture_lines: frozenset[int] = frozenset(),
) -> dict[str, TableLayout]:
    """Tie value tokens to rows for each table of the template.

    ``section_kinds[i]`` is the kind of the section item ``i`` sits in; it decides
    the table of neutral items (prose, junk) that carry values.  Every line of an item
    is classified (``_line_class``) and handled by the function of its class (``_PLACE``).
    """
    names = template.table_names
    end = max((t.end_pos or 0 for item in items[-1:] for t in (item.head, *item.cells) if t is not None), default=0)
    printed = sorted({t.line or 0 for item in items for t in (item.head, *item.cells) if t is not None})
    lines = text.split("\n")
    spaces = frozenset(n for n, line in enumerate(lines, 1) if line and not line.strip())
    rules = {n: len(_RULE_CELL.findall(line)) for n, line in enumerate(lines, 1) if _MARKDOWN_RULE.fullmatch(line)}
    layouts = {
        n: TableLayout(
            n,
            text_end=end,
            text_length=len(text),
            printed_lines=printed,
            space_lines=spaces,
            rule_lines=rules,
            furniture_lines=furniture_lines,
        )
        for n in names
    }
    walk = _Walk(template, layouts, {n: [] for n in names}, text=text)
    for index, item in enumerate(items):
        item_lines = _lines(item.cells)
        _enter(walk, item, section_kinds[index], item_lines)
        if walk.region is None:
            continue  # prose outside the tables: its numbers are text, not cells
        head_line = item.head.line if item.head is not None else None
        for n, line in enumerate(item_lines):
            line = _drop_overlong(walk.layout, line)
            if line:
                on_head_line = n == 0 and line[0].line == head_line
                _PLACE[_line_class(walk, line, on_head_line)](walk, line, on_head_line)
    one_line = {n: sum(len(r.columns) for r in template.table_rows(n)) for n in names if template.table(n).one_line}
    _line_steps(walk.layouts, walk.entries, one_line)
    for name, layout in walk.layouts.items():
        if template.table(name).one_line:
            _collect_data_lines(layout, walk.entries[name])
        else:
            _resolve_runs(layout, walk.entries[name])
            _mark_padded_rows(layout)
    return walk.layouts


def _mark_padded_rows(layout: TableLayout) -> None:
    """In tab text whose full rows print empty cells at the ends of their lines (padding
    after the label, a separator closing the line: ``规章\t\t0\t0\t0\t``), an empty cell at
    an end of a row may be such padding: a row printing exactly as many cells as it has
    columns, one of them empty at an end, may be a row with padding and a cell lost.  Read
    as a blank cell, every value after the lost one would sit a column off (``fit``).  Rows
    pad each their own way (seed 001: 一、本年新收 prints no padding, 四、结转下年度继续办理
    a padding cell and a closing tab), so a row printing as many cells as another full row
    may still be one with two cells lost: every tab row of such a table is ``padded``."""
    full = [r for r in layout.rows if r.spec is not None and len(_printed(r)) == _expected(r)]
    if not any(_empty_ends(layout, r) for r in full):
        return
    for row in layout.rows:
        row.padded = row.grid and not _lines_ruled(layout, row)


def _empty_ends(layout: TableLayout, row: RowEvidence) -> bool:
    """The row's label line is a tab line with an empty cell next to the label or at its end."""
    if not row.grid or _shape(layout, row) is None or _lines_ruled(layout, row):
        return False
    slots = row.slots or []
    return bool(slots) and (not slots[0] or not slots[-1])


def _lines_ruled(layout: TableLayout, row: RowEvidence) -> bool:
    """A row of a Markdown or pipe table: its cells are declared, not padded."""
    tokens = layout.grid_lines.get(row.label.line or 0, [])
    return any(n < (row.label.line or 0) for n in layout.rule_lines) or any(str(t).strip() == "|" for t in tokens)


def _enter(walk: _Walk, item: Item, section_kind: str | None, lines: list[list[Token]]) -> None:
    """Start an item (its cells grouped by line): which table it is in, and whether it opens a row."""
    template = walk.template
    own_table = table_of(item, template)
    if item.kind == "heading":
        walk.region = section_kind if section_kind in template.table_names else None
        walk.current = None
    elif own_table is not None:
        walk.region = own_table
    walk.item, walk.is_row = item, False
    if walk.region is None:
        return
    layout = walk.layout
    grid_lines = layout.grid_lines
    if item.head is not None:
        grid_lines.setdefault(item.head.line or 0, []).append(item.head)
    for line in lines:  # the item's cells, a line at a time
        grid_lines.setdefault(line[0].line or 0, []).extend(line)
    if layout.first is None and own_table is not None and item.head is not None:
        layout.first = item.head
    spec = _row_spec(item, template)
    head_line = item.head.line if item.head is not None else None
    # A group label that the template also knows as a row: always a row when the
    # template has no sub-rows for it (2019 （六）其他处理); when it may stand for
    # its sub-rows (2021 （六）), a row if values follow it, else an optional row
    # that only takes values nobody else can (see _resolve_run).
    own_values = bool(lines and lines[0][0].line == head_line and values_in(lines[0]))
    is_row = spec is not None and (item.kind == "row" or own_values or not spec.variant_of)
    optional = spec is not None and item.kind == "group" and bool(spec.variant_of) and not own_values
    if spec is not None and spec.table != walk.region:
        is_row = optional = False
    if is_row or optional:
        assert item.head is not None and spec is not None
        walk.current = RowEvidence(spec, item.head, optional=optional)
        walk.run.append(_Entry(row=walk.current))
        walk.is_row = is_row
    elif item.kind in ("block", "header", "heading"):
        walk.current = None


def _drop_overlong(layout: TableLayout, line: list[Token]) -> list[Token]:
    if max(map(len, line), default=0) <= MAX_RUN_CHARS:
        return line  # the usual line: nothing long enough to look at
    overlong = [t for t in line if _overlong(t)]
    if not overlong:
        return line
    layout.unplaced.append(Unplaced(overlong, "a run of cells longer than any table row"))
    return [t for t in line if not _overlong(t)]


def _line_class(walk: _Walk, line: list[Token], on_head_line: bool) -> str:
    """What a line of cells is, by the layout it shows (see ``_PLACE``)."""
    item = walk.item
    assert item is not None
    if not values_in(line):
        if walk.is_row and on_head_line:
            return "label_cells"
        return "floating" if _empty_cell_line(walk, line, on_head_line) else "no_values"
    if walk.is_row and on_head_line:
        return "label_cells"
    first_kind = line[0].type
    if (first_kind in VALUE_TYPES or (first_kind == "SEP" and _value_before_text(line))) and not on_head_line:
        return "floating"
    current = walk.current
    if (
        current is not None
        and not _has_values(current)
        and item.kind in _CONTINUATION_KINDS
        and bool(walk.run)
        and walk.run[-1].row is current  # no value line since the label
    ):
        return "wrapped_label"
    if not walk.template.table(walk.layout.name).one_line and item.kind in _EXTRA_ROW_KINDS:
        return "extra_row"
    return "stray"


def _empty_cell_line(walk: _Walk, line: list[Token], on_head_line: bool) -> bool:
    """A line of lone ``|`` after a row label whose values are on lines of their own
    (P2/P5), or after a row that printed only part of its values on its label line (MIX):
    an empty cell, the separator between two cells, or the end of a row (P2a ``| |``)."""
    current = walk.current
    return (
        not on_head_line
        and all(t.type == "SEP" for t in line)
        and _rest_of_line_blank(walk.text, line[-1].end_pos or 0)  # not the | that opens the next row
        and current is not None
        and (not _has_values(current) or _partial(current))
        and any(e.row is current for e in walk.run)
    )


def _rest_of_line_blank(text: str, at: int) -> bool:
    end = text.find("\n", at)
    return not text[at : end if end != -1 else len(text)].strip()


def _place_label_cells(walk: _Walk, line: list[Token], on_head_line: bool) -> None:
    """P1/tab/pipe/PDF: the row's values printed on its label's own line."""
    current = walk.current
    assert current is not None
    current.slots, current.grid = slots_of(line, after_label=True)
    if not values_in(line) and not any(current.slots):
        current.slots = current.slots if current.grid else None
    else:
        _cut_where_text_ends(walk.layout, current, line)


def _cut_where_text_ends(layout: TableLayout, row: RowEvidence, line: list[Token]) -> None:
    """A row whose line of values the text stops in is cut (see ``_cut_slots``)."""
    if _ends_text(layout, line) and row.spec is not None and row.slots is not None:
        left = _cut_slots(layout, row.slots, len(row.spec.columns), line)
        row.slots, row.cut, row.cut_value = left.slots, left.cut, left.dropped
        # Below a Markdown rule, a line the text stops in that prints fewer cells than the rule
        # declares is cut, even when its padding makes up the count of values.
        row.cut = row.cut or _short_of_rule(layout, line)


def _place_nothing(walk: _Walk, line: list[Token], on_head_line: bool) -> None:
    """A line of text or separators without values outside a row's label line."""


def _place_floating(walk: _Walk, line: list[Token], on_head_line: bool) -> None:
    """P2–P5 (one cell per line or paragraph), or PDF values printed before a wrapped label:
    a line of values only, tied to a row later by ``_resolve_runs``."""
    walk.run.append(_Entry(floating=line))


def _place_wrapped_label(walk: _Walk, line: list[Token], on_head_line: bool) -> None:
    """P6: a wrapped label whose text continues on this line, then its values."""
    current = walk.current
    assert current is not None
    current.slots, current.grid = slots_of(line, after_label=True)
    _cut_where_text_ends(walk.layout, current, line)


def _place_extra_row(walk: _Walk, line: list[Token], on_head_line: bool) -> None:
    """A row the official table does not have (an agency's addition, or a label too damaged
    to recognise): kept as an extra row, never merged into a standard one."""
    item = walk.item
    assert item is not None
    words = [str(item.head)] if on_head_line and item.head is not None else []
    for token in line:
        if token.type in VALUE_TYPES:
            break
        if token.type == "TEXT":
            words.append(str(token))
    label = line[0] if not (on_head_line and item.head is not None) else item.head
    extra = RowEvidence(None, label, text=" ".join(words).strip())
    extra.slots, extra.grid = slots_of(line, after_label=True)
    if _ends_text(walk.layout, line):  # the text stops in the row: a value glued to its end may be cut
        left = _cut_slots(walk.layout, extra.slots, len(extra.slots), line)
        extra.slots, extra.cut, extra.cut_value = left.slots, left.dropped, left.dropped
    walk.run.append(_Entry(row=extra))
    walk.current = None


def _place_stray(walk: _Walk, line: list[Token], on_head_line: bool) -> None:
    walk.layout.unplaced.append(Unplaced(values_in(line), "values on a line whose label was not recognised"))


_PLACE: dict[str, Callable[[_Walk, list[Token], bool], None]] = {
    "label_cells": _place_label_cells,
    "no_values": _place_nothing,
    "floating": _place_floating,
    "wrapped_label": _place_wrapped_label,
    "extra_row": _place_extra_row,
    "stray": _place_stray,
}


def _value_before_text(line: Sequence[Token]) -> bool:
    for token in line:
        kind = token.type
        if kind in VALUE_TYPES:
            return True
        if kind == "TEXT":
            return False
    return False


def _has_values(row: RowEvidence) -> bool:
    return bool(row.slots) and any(row.slots or ())


def _collect_data_lines(layout: TableLayout, entries: list[_Entry]) -> None:
    for entry in entries:
        if entry.floating is not None:
            slots, grid = slots_of(entry.floating, after_label=False)
            layout.data_lines.append([s for s in slots if s])
            layout.grid_data_lines.append(slots if grid else [])
            layout.opened_lines.append(str(entry.floating[0]).strip() == "|" and entry.floating[0].column == 1)
        elif entry.row is not None:
            layout.rows.append(entry.row)


def _partial(row: RowEvidence) -> bool:
    """A row whose label line holds some but not all of its values (``行政许可 12`` then
    ``0`` and ``30`` on lines of their own; MIX ``规章 | 0 | 0 |`` then ``|``): the lines
    after it may finish it."""
    slots = row.slots or []
    count = sum(1 for slot in slots if slot)
    return 0 < count and (len(slots) if row.grid else count) < _expected(row)


def _resolve_runs(layout: TableLayout, entries: list[_Entry]) -> None:
    step = layout.step
    run: list[_Entry] = []
    partial: RowEvidence | None = None
    for entry in entries:
        if entry.row is not None and _has_values(entry.row):
            _resolve_after(layout, partial, run, step)
            run = []
            layout.rows.append(entry.row)
            partial = entry.row if _partial(entry.row) else None
        else:
            run.append(entry)
    _resolve_after(layout, partial, run, step)


def _resolve_after(layout: TableLayout, partial: RowEvidence | None, run: list[_Entry], step: int | None) -> None:
    """The run after a row with values: its first value lines may finish that row."""
    if partial is not None:
        taken = _finish_partial(layout, partial, run)
        if taken:
            _resolve_run(layout, run[taken:], step)
            return
    _resolve_run(layout, run, step, ambiguous=partial is not None)


def _finish_partial(layout: TableLayout, row: RowEvidence, run: list[_Entry]) -> int:
    """How many value lines at the start of ``run`` finish ``row``, a row that printed only
    part of its values on its label line (0: none).  Lines before the next row label can
    only be the rest of that row when they print separators (MIX: ``规范性文件 | 0 |`` then
    ``| 0 |``; in PDF text a line of values may precede its own label), or when no other
    label follows.  Taken when together they print exactly its cells (or its first cells,
    when the text ends in them)."""
    head = next((n for n, e in enumerate(run) if e.floating is None), len(run))
    lines = [e.floating for e in run[:head] if e.floating is not None]
    if not lines or (head < len(run) and not all(any(t.type == "SEP" for t in f) for f in lines)):
        return 0
    slots = [*(row.slots or []), *(s for line in lines for s in slots_of(line, after_label=False)[0])]
    width = _expected(row)
    if _ends_text(layout, lines[-1]):
        left = _cut_slots(layout, slots, width, lines[-1])
        if left.cut and left.slots and left.slots[0]:
            row.slots, row.cut, row.cut_value = left.slots, True, left.dropped
            return head
    if len(fit(slots, width)) != width:
        return 0
    row.slots = slots
    return head


def _report_unplaced(layout: TableLayout, lines: list[list[Token]], reason: str) -> None:
    """One diagnostic for the floating lines of a run, not one per line: the lines share the
    reason, and a hostile text of many thousand value lines stays one diagnostic.  Lines
    without values (lone separators) say nothing."""
    values = [v for line in lines for v in values_in(line)]
    if values:
        layout.unplaced.append(Unplaced(values, reason))


def _expected(row: RowEvidence) -> int:
    return len(row.spec.columns) if row.spec is not None else 0


def _resolve_run(layout: TableLayout, run: list[_Entry], step: int | None, *, ambiguous: bool = False) -> None:
    """Tie the floating lines of a run to its needy rows (see the module docstring).

    ``ambiguous``: the run follows a row that printed only part of its values on its
    label line, so its floating values may finish that row instead: nothing is tied.
    """
    needy = [e.row for e in run if e.row is not None]
    floats = [e.floating for e in run if e.floating is not None]
    required = [r for r in needy if not r.optional]
    layout.rows.extend(r for r in needy if not r.optional)
    if not floats and not needy:
        return
    if not needy:
        _report_unplaced(layout, floats, "values with no row label to belong to")
        return
    if ambiguous:
        for row in required:
            row.slots = None
            row.problem = (
                "the values printed after the row above, which shows only part of its values, "
                "could belong to either row"
            )
        _report_unplaced(layout, floats, "values that could finish the row above or belong to the row below")
        return
    if _pair_blocks(layout, run):
        return
    # 1. One cell per line or paragraph (P2–P5), or cells delimited by separators (MIX
    #    ``规章 |`` then ``| 0 | 0 |``): each row takes the cells between its label and the
    #    next label, blank cells included; a row they do not fit is left alone, and the
    #    others are still read.
    #    (A line the text stops in may show a value cut in two: it does not count.)
    whole = [f for f in floats if not _ends_text(layout, f)]
    if all(len(values_in(f)) <= 1 or any(t.type == "SEP" for t in f) for f in whole):
        _fill_each_row(layout, run, step)
        return
    # 2. The floating values fill the needy rows exactly, in order (optional rows
    #    only when the others cannot take them all).
    for candidates in (required, needy):
        if candidates and _fill_in_order(candidates, floats):
            layout.rows.extend(r for r in needy if r.optional and r in candidates)
            return
    needy = required
    for row in needy:
        row.slots = None
        row.problem = "the values printed near this label could not be tied to it with certainty"
    _report_unplaced(layout, floats, "values printed between labels whose rows they could belong to")


def _pair_blocks(layout: TableLayout, run: list[_Entry]) -> bool:
    """A converter's block of row labels, then a block of as many delimited value lines, each
    printing exactly its row's cells (``| 本年新收… |``, ``| 上年结转… |``, then ``| 705 | 3 | …``,
    ``| 36 | 0 | …``): the n-th line is the n-th row's (flagged ``paired``)."""
    head = next((n for n, e in enumerate(run) if e.row is None), len(run))
    rows = [e.row for e in run[:head] if e.row is not None]
    lines = [e.floating for e in run[head:] if e.floating is not None]
    if len(rows) < 2 or len(lines) != len(rows) or len(lines) != len(run) - head or any(r.optional for r in rows):
        return False
    if _ends_text(layout, lines[-1]):
        return False
    slotted = [slots_of(line, after_label=False) for line in lines]
    if not all(
        grid and len(fit(slots, _expected(row))) == _expected(row)
        for row, (slots, grid) in zip(rows, slotted, strict=True)
    ):
        return False
    for row, (slots, _) in zip(rows, slotted, strict=True):
        row.slots, row.grid, row.paired = slots, True, True
    return True


def _width(line: list[Slot], zeros: bool) -> int:
    """How many cells a floating line fills.  With ``zeros``, a line holding only a run
    like ``0000000`` counts as that many cells (place_row splits it, flagged)."""
    if zeros and len(line) == 1 and set(str(line[0][0])) == {"0"} and len(str(line[0][0])) > 1:
        return len(str(line[0][0]))
    return len(line)


def _fill_in_order(needy: list[RowEvidence], floats: list[list[Token]]) -> bool:
    lines = [[s for s in slots_of(f, after_label=False)[0] if s] for f in floats]
    expected = sum(_expected(r) for r in needy)
    for zeros in (False, True):
        if sum(_width(line, zeros) for line in lines) != expected:
            continue
        queue = list(lines)
        plan: list[list[Slot]] = []
        for row in needy:
            taken: list[Slot] = []
            filled = 0
            while queue and filled + _width(queue[0], zeros) <= _expected(row):
                filled += _width(queue[0], zeros)
                taken.extend(queue.pop(0))
            if filled != _expected(row):
                break
            plan.append(taken)
        else:
            for row, slots in zip(needy, plan, strict=True):
                row.slots, row.grid = slots, False
            return True
    return False


def _spans(run: list[_Entry]) -> tuple[list[list[Token]], list[tuple[RowEvidence, list[list[Token]]]]]:
    """The run cut at its labels: the lines before the first label, and each row with the lines after it."""
    before: list[list[Token]] = []
    spans: list[tuple[RowEvidence, list[list[Token]]]] = []
    for entry in run:
        if entry.row is not None:
            spans.append((entry.row, []))
        elif entry.floating is not None:
            (spans[-1][1] if spans else before).append(entry.floating)
    return before, spans


def _fill_each_row(layout: TableLayout, run: list[_Entry], step: int | None) -> None:
    """One cell per line or paragraph: every row is read from the cells printed after its label.

    With separators (P2 ``0 |`` lines, P5 lone ``|`` lines) the cells are what the
    separators delimit, so an empty one is a blank cell.  Without them (P3, P4) a blank
    cell is an empty line or paragraph where a cell should be: a gap of twice the
    document's line step, with nothing else printed in it.  A row whose cells do not fit
    its columns keeps no value, and its values are reported; the other rows are read.
    """
    before, spans = _spans(run)
    _report_unplaced(layout, before, "values with no row label to belong to")
    drops_cells = False  # an earlier row printed fewer values than cells: empty cells go unprinted
    for row, lines in spans:
        slots, spare, grid = _row_cells(layout, row, lines, step)
        printed = [v for line in lines for v in values_in(line)]
        width = _expected(row)
        if row.optional and not printed:
            continue
        zeros = len(printed) == 1 and width > 1 and _width([printed], zeros=True) == width
        tail = lines[-1] if lines else _label_line(layout, row)
        cut = _ends_text(layout, tail) and not zeros
        if cut:
            left = _cut_slots(layout, slots, width, tail)
            slots, cut = left.slots, left.cut
        elif not zeros:
            # The empty lines before what follows: blank cells as far as the row needs them
            # (its printed cells come first, in order), spacing after that.
            slots = [*slots, *([] for _ in range(min(spare, max(0, width - len(slots)))))]
        if cut and drops_cells and not grid and printed:
            # Its printed values are its first cells only where the table prints every cell.
            row.slots = None
            row.problem = (
                "the text ends in this row, and an earlier row of the table prints fewer values than "
                "it has cells (its empty cells are not printed), so which cell each value belongs to is not certain"
            )
            _report_unplaced(layout, lines, f"values after {str(row.label).strip()}")
            continue
        if zeros:
            slots = [printed]  # "0000000" for seven cells: place_row splits it, flagged
        last = lines[-1][-1].end_line if lines else row.label.end_line
        open_end = not cut and not zeros and len(slots) < width and not spare and _open_end(layout, last or 0, step)
        if len(fit(slots, width)) == width or zeros or cut or open_end:
            row.slots, row.grid, row.cut, row.open_end = slots, grid, cut, open_end
            row.first_cell = _no_label_padding(layout, row)
            if row.optional:
                layout.rows.append(row)
        elif row.optional:
            _report_unplaced(
                layout, lines, f"values after {str(row.label).strip()}, which belong to no row for certain"
            )
        elif printed:
            row.slots = None
            row.problem = (
                f"{len(printed)} value(s) printed after this label for {width} cell(s), "
                "so which cell each belongs to is not certain"
            )
            _report_unplaced(layout, lines, f"values after {str(row.label).strip()}")
            drops_cells = drops_cells or len(printed) < width


@frozen
class CutSlots:
    """What is left of a row's slots where the text stops inside it (``_cut_slots``)."""

    slots: list[Slot]
    cut: bool  # the row is cut short: fewer cells than its width
    dropped: bool  # a value the text may have cut inside was dropped


def _cut_slots(layout: TableLayout, slots: list[Slot], width: int, line: list[Token]) -> CutSlots:
    """The slots of a row the text stops inside.  The text may stop inside a number (``5,08``
    of ``5,083``): every value glued to the text's last character is dropped."""
    glued: set[int] = set()
    end = layout.text_length
    for token in reversed(line):
        if not stops_inside(token, end) or token.type == "SEP":
            break  # a separator ends the cell before it
        glued.add(id(token))
        end = token.start_pos or 0
    while slots and not slots[-1]:
        slots = slots[:-1]  # an empty cell the text ends in: blank, or cut before its value
    dropped = False
    while slots and slots[-1] and any(id(t) in glued for t in slots[-1]):
        slots, dropped = slots[:-1], True  # a value the text may have cut: the row is cut
    return CutSlots(slots, dropped or len(fit(slots, width)) < width, dropped)


def stops_inside(token: Token, end: int) -> bool:
    """The token reaches ``end`` (where the text stops, no line break after it): the text
    may have been cut inside it."""
    return (token.end_pos or 0) >= end


def _ends_text(layout: TableLayout, line: list[Token]) -> bool:
    return bool(line) and (line[-1].end_pos or 0) >= layout.text_end


def _no_label_padding(layout: TableLayout, row: RowEvidence) -> bool:
    """One cell per line: the first slot after the label is the row's first cell, unless the
    label's line prints more than the one separator that ends the label (``规章 | ||``)."""
    return sum(1 for t in _label_line(layout, row)[1:] if t.type == "SEP") <= 1


def _row_end(lines: list[list[Token]]) -> list[Token] | None:
    """The tokens of a P2a row up to the separator that closes its last cell: the first
    line ending in two separators (``0 | |``, ``| |``; not MIX's ``| 0 |``) ends the row,
    the second one marking the end.  None when no line does."""
    out: list[Token] = []
    for line in lines:
        if len(line) >= 2 and all(t.type == "SEP" for t in line[-2:]):
            return [*out, *line[:-1]]
        out.extend(line)
    return None


def _label_line(layout: TableLayout, row: RowEvidence) -> list[Token]:
    """The label and the tokens after it on its line."""
    after = row.label.start_pos or 0
    return [row.label, *(t for t in layout.grid_lines.get(row.label.end_line or 0, []) if (t.start_pos or 0) > after)]


def _row_cells(
    layout: TableLayout, row: RowEvidence, lines: list[list[Token]], step: int | None
) -> tuple[list[Slot], int, bool]:
    """The cells printed between a row's label and the next label (see ``_fill_each_row``),
    the number of empty lines after the last of them that may be blank cells or spacing
    before what follows, and whether the cells come from a grid of separators or lines."""
    tokens = [*_label_line(layout, row)[1:], *(t for line in lines for t in line)]
    if any(t.type == "SEP" for t in tokens):
        ended = _row_end(lines)
        if ended is not None:  # P2a: the row ends `` | |``; the lone | after it opens the next row
            return slots_of([*_label_line(layout, row)[1:], *ended], after_label=True)[0], 0, True
        # Empty cells after the last value: blank cells as far as the row needs them.
        separated = slots_of(tokens, after_label=True)[0]
        end = len(separated)
        while end and not separated[end - 1]:
            end -= 1
        return separated[:end], len(separated) - end, True
    slots: list[Slot] = []
    previous = row.label.end_line or 0
    for line in lines:
        slots.extend([] for _ in range(_blank_lines(layout, previous, line[0].line or 0, step)))
        slots.append(values_in(line)[:1])
        previous = line[-1].end_line or 0
    following = _next_printed(layout, previous)  # the next label, heading or any other line
    spare = _trailing_blanks(layout, previous, following, step) if following is not None else 0
    # Every empty slot here stands for an empty line or paragraph the text prints.
    return slots, spare, any(not s for s in slots) or spare > 0


def _open_end(layout: TableLayout, last: int, step: int | None) -> bool:
    """Empty lines between ``last`` and what follows the table, with no table end in the
    document to tell the spacing there: blank cells or spacing, which is not known."""
    following = _next_printed(layout, last)
    return (
        bool(step)
        and following is not None
        and layout.end_gap is None
        and following not in layout.label_lines
        and following not in layout.grid_lines
        and _distance(layout, last, following) > 1
        and not _printed_between(layout, last, following)
    )


def _line_steps(layouts: dict[str, TableLayout], entries: dict[str, list[_Entry]], one_line: dict[str, int]) -> None:
    """Set each table's line step: the number of lines from one cell to the next where cells
    print one per line or paragraph (1 for P4, 2 for P3), from the gaps between consecutive
    labels, value lines and column headers.  A document prints all its tables one way, so the
    gaps of every table count: a table cut after a few lines, or with many blank cells, has too
    few of its own to tell a step of 2 from a step of 1 with a blank cell in every gap.  When
    the tables disagree (no one step divides every gap), each table keeps its own, if any."""
    gaps = {name: _gaps(layouts[name], _marks(entries[name], layouts[name])) for name in layouts}
    document = _step([g for table in gaps.values() for g in table], minimum=2)
    for name, layout in layouts.items():
        layout.step = document if document is not None else _step(gaps[name], minimum=2)
        layout.label_lines = frozenset(
            n for e in entries[name] if e.row is not None for n in (e.row.label.line or 0, e.row.label.end_line or 0)
        )
    # What follows a table (the next heading) may sit after extra spacing: the gap from a
    # table's last cell to it, where that cell is printed, is that spacing plus one step.
    ends = {
        gap
        for name, layout in layouts.items()
        if (gap := _end_gap(layout, entries[name], one_line.get(name))) is not None
    }
    for layout in layouts.values():
        layout.end_gap = ends.pop() if len(ends) == 1 else None


def _end_gap(layout: TableLayout, entries: list[_Entry], cells: int | None) -> int | None:
    """Lines from the table's last cell to the next printed line, when that cell is printed
    (its last row, or table 四, prints one value line per cell, one step apart) and what
    follows is not part of the table, with nothing but empty lines between."""
    step = layout.step
    lines = [e.floating[0].line or 0 for e in entries if e.floating is not None and values_in(e.floating)]
    rows = [e.row for e in entries if e.row is not None]
    if not step or not lines:
        return None
    if rows:
        label = rows[-1].label.end_line or 0
        cells = _expected(rows[-1])
        lines = [n for n in lines if n > label]
        lines = [label, *lines]
        cells += 1
    if len(lines) != cells or any(_distance(layout, a, b) != step for a, b in pairwise(lines)):
        return None
    last = lines[-1]
    following = _next_printed(layout, last)
    if (
        following is None
        or following in layout.label_lines
        or following in layout.grid_lines
        or _printed_between(layout, last, following)
        or any(n in layout.space_lines for n in range(last + 1, following))
    ):
        return None
    return _distance(layout, last, following)


def _marks(entries: list[_Entry], layout: TableLayout) -> list[int]:
    """The lines of the labels of rows without values on their line, of value lines, and of
    column headers printed one to a line (a header cell is a cell of the table's rhythm too)."""
    rows = {e.row.label.end_line or 0 for e in entries if e.row is not None and not _has_values(e.row)}
    floats = {e.floating[0].line or 0 for e in entries if e.floating is not None and values_in(e.floating)}
    if len(floats) < 2:
        return []
    headers = {n for n, tokens in layout.grid_lines.items() if len(tokens) == 1 and _is_column_header(tokens[0])}
    return sorted(rows | floats | headers)


def _printed_between(layout: TableLayout, first: int, last: int) -> bool:
    following = _next_printed(layout, first)
    return following is not None and following < last


def _next_printed(layout: TableLayout, line: int) -> int | None:
    """The first line after ``line`` that holds anything at all (in any table or none)."""
    index = bisect_right(layout.printed_lines, line)
    return layout.printed_lines[index] if index < len(layout.printed_lines) else None


def _distance(layout: TableLayout, first: int, last: int) -> int:
    """Lines from ``first`` to ``last``, not counting the lines a page footer was removed from."""
    return last - first - sum(1 for n in layout.furniture_lines if first < n < last)


def _blank_lines(layout: TableLayout, first: int, last: int, step: int | None) -> int:
    """Blank cells between two printed cells at lines ``first`` and ``last`` when nothing at
    all is printed in between: the lines of spaces there (an empty paragraph), else the gap
    in steps, less one."""
    if last <= first or _printed_between(layout, first, last):
        return 0
    spaces = sum(1 for n in range(first + 1, last) if n in layout.space_lines)
    if spaces or not step:
        return spaces
    gap = _distance(layout, first, last)
    return 0 if gap % step else gap // step - 1


def _trailing_blanks(layout: TableLayout, last: int, following: int, step: int | None) -> int:
    """Blank cells between a row's (or table 四's) last printed line and what follows it.
    Before more of the table (a row or group label, a block header), as between two cells;
    before what follows the table (the next heading), the document's spacing there
    (``end_gap``) is not a cell: without it, none (lines of spaces always are cells)."""
    if following in layout.label_lines or following in layout.grid_lines or not step:
        return _blank_lines(layout, last, following, step)
    if _printed_between(layout, last, following):
        return 0
    spaces = sum(1 for n in range(last + 1, following) if n in layout.space_lines)
    if spaces or layout.end_gap is None:
        return spaces
    return max(0, (_distance(layout, last, following) - layout.end_gap) // step)


def slot_index(line_tokens: Sequence[Token], token: Token) -> int:
    """The printed cell a token sits in: the number of separators before it on its line
    (a label that OCR split over cells carries its separators inside it)."""
    return slot_indexes(line_tokens, (token,))[0]


def slot_indexes(line_tokens: Sequence[Token], tokens: Iterable[Token]) -> list[int]:
    """``slot_index`` of each of ``tokens``, the line counted once (a row's values, say).  A
    token is found by where it starts: the first of a cell's values stands for them (_one_cell)."""
    index = 0
    first_at: dict[int | None, int] = {}
    for other in line_tokens:
        first_at.setdefault(other.start_pos, index)
        index += _separators(other)
    return [first_at.get(token.start_pos, index) for token in tokens]


def _separators(token: Token) -> int:
    """The cell separators a token is or carries (a label that OCR split over cells)."""
    if token.type == "SEP":
        return 1
    return token.count("\t") + token.count("|") if "\t" in token or "|" in token else 0


def _cell_count(line_tokens: Sequence[Token]) -> int:
    """How many printed cells a line has (separators, including those inside a split label)."""
    return sum(map(_separators, line_tokens)) + 1


def _printed(row: RowEvidence) -> list[Token]:
    """The row's value tokens in print order (its slots hold one value each, or none)."""
    return [slot[0] for slot in row.slots or [] if slot]


def _shape(layout: TableLayout, row: RowEvidence) -> tuple[int, int, list[int]] | None:
    """(label cell, cells in the line, value cells) of a grid row printed on one line."""
    values = _printed(row)
    if not row.grid or not values or len({v.line for v in values}) != 1 or row.label.line != values[0].line:
        return None
    tokens = layout.grid_lines.get(values[0].line or 0, [])
    return slot_index(tokens, row.label), _cell_count(tokens), slot_indexes(tokens, values)


def anchored_slots(layout: TableLayout, row: RowEvidence, width: int) -> list[Slot] | None:
    """A short grid row's values put under the columns their printed cells line up with.

    Tab text and Markdown exported from a table keep one cell per column (merged cells
    leave empty ones), so rows whose lines have the same number of cells share their
    column positions: in tab text the rows whose label sits in the same cell, below a
    Markdown rule every row (a sub-row's label one cell to the right).  At least three
    such rows (one, below a Markdown rule) must print all ``width`` values side by side,
    and all of them must start at the same cell, after the row's label; otherwise the row
    is not placed (None).
    """
    shape = _shape(layout, row)
    if shape is None:
        return None
    label_cell, cells, value_cells = shape
    first = _value_start(layout, row, width, cells)
    if first is None or label_cell >= first:
        return None
    values = _printed(row)
    slots: list[Slot] = [[] for _ in range(width)]
    for value, cell in zip(values, value_cells, strict=True):
        column = cell - first
        if not 0 <= column < width or slots[column]:
            return None
        slots[column] = [value]
    return slots


def anchored_cut_slots(layout: TableLayout, row: RowEvidence, width: int) -> list[Slot] | None:
    """The cells of a pipe or Markdown row the text stops inside, put under the value columns
    of the grid's other rows (see ``anchored_slots``): the cells before the one the text
    stops in, each a value or blank."""
    line = row.label.line or 0
    tokens = layout.grid_lines.get(line, [])
    if not any(n < line for n in layout.rule_lines) and not any(str(t).strip() == "|" for t in tokens):
        return None  # tab text: rows pad their labels each their own way
    counts = Counter(shape[1] for other in layout.rows if other is not row and (shape := _shape(layout, other)))
    if counts:
        first = _value_start(layout, row, width, counts.most_common(1)[0][0])
    else:
        first = _declared_first(layout, tokens, line, width)
    if first is None or slot_index(tokens, row.label) >= first:
        return None
    return _cells_before_cut(tokens, list(range(first, first + width)))


def _short_of_rule(layout: TableLayout, line: Sequence[Token]) -> bool:
    """A line below a Markdown rule printing fewer cells than the rule declares."""
    number = line[0].line or 0 if line else 0
    above = [n for n in layout.rule_lines if n < number]
    if not above:
        return False
    opened = line[0].type == "SEP"
    closed = str(line[-1]).strip() == "|"
    return _cell_count(line) - opened - closed < layout.rule_lines[max(above)]


def _declared_first(layout: TableLayout, tokens: list[Token], line: int, width: int) -> int | None:
    """The first value cell of the only row below a Markdown rule (a row the text stops in,
    with no full row to go by): the rule declares the columns, and the values are the last
    ``width`` of them."""
    above = [n for n in layout.rule_lines if n < line]
    if not above or not tokens:
        return None
    opened = tokens[0].type == "SEP"
    return layout.rule_lines[max(above)] + opened - width


def _value_start(layout: TableLayout, row: RowEvidence, width: int, cells: int) -> int | None:
    """The cell where the ``width`` values start in this table's lines of ``cells`` cells,
    by the rows that print all their values side by side (see ``anchored_slots``)."""
    ruled = any(n < (row.label.line or 0) for n in layout.rule_lines)
    tokens = layout.grid_lines.get(row.label.line or 0, [])
    label_cell = slot_index(tokens, row.label)
    starts: set[int] = set()
    peers = 0
    for other in layout.rows:
        if other is row or other.spec is None or len(other.spec.columns) != width:
            continue
        other_shape = _shape(layout, other)
        if other_shape is None or other_shape[1] != cells or len(other_shape[2]) != width:
            continue
        if not ruled and other_shape[0] != label_cell:
            continue  # tab text: only rows whose label sits in the same cell share their padding
        first = other_shape[2][0]
        if other_shape[2] != list(range(first, first + width)):
            return None
        starts.add(first)
        peers += 1
    # Below a Markdown rule the rows are one declared grid: one full row fixes the columns,
    # or, with none, the rule and the rows do (the value columns are the last ``width``).
    # Tab text has no such promise (padding varies from row to row): three full rows with
    # the label in the same cell must agree.
    if ruled and not peers:
        return _ruled_first(layout, cells, width)
    if peers < (1 if ruled else 3) or len(starts) != 1:
        return None
    return starts.pop()


def unpadded(layout: TableLayout) -> bool:
    """Every row of the table printed on its label's line, with separators, prints exactly
    its cells after the label (two rows at least): the table pads no label, so a cut
    row's first slot is its first cell."""
    rows = [r for r in layout.rows if r.grid and r.slots is not None and not r.cut and r.spec is not None]
    return len(rows) >= 2 and all(len(r.slots or []) == _expected(r) for r in rows)


def _ruled_first(layout: TableLayout, cells: int, width: int) -> int | None:
    """The first value column of a Markdown grid whose rows have ``cells`` cells, when no
    row prints all its values: the value columns are the last ``width`` cells, provided a
    row prints a value in the last cell, and every label and value of those rows is then
    on its side of the line."""
    shapes = []
    opened: set[bool] = set()
    for other in layout.rows:
        tokens = layout.grid_lines.get(other.label.line or 0, [])
        if any(t is other.label for t in tokens) and _cell_count(tokens) == cells:
            values = slot_indexes(tokens, [v for v in _printed(other) if v.line == other.label.line])
            closed = str(tokens[-1]).strip() == "|"
            opened.add(tokens[0].type == "SEP")
            shapes.append((slot_index(tokens, other.label), values, cells - 1 - closed))
    if not shapes or len({last for _, _, last in shapes}) != 1 or len(opened) != 1:
        return None
    last = shapes[0][2]
    # The rule declares the columns: when the rows print exactly those, the last is the last.
    above = [n for n in layout.rule_lines if n < (layout.rows[0].label.line or 0)] if layout.rows else []
    declared = layout.rule_lines[max(above)] if above else None
    if declared != last - opened.pop() + 1 and max((v for _, vs, _ in shapes for v in vs), default=-1) != last:
        return None
    first = last - width + 1
    if all(label < first and all(v >= first for v in values) for label, values, _ in shapes):
        return first
    return None


def _is_column_header(token: Token) -> bool:
    name = token.type
    return "COL_" in name or name == "APP_APPLICANTS"


def _header_block(layout: TableLayout, line: int) -> list[list[Token]]:
    """The consecutive grid lines of column headers nearest above ``line``."""
    headers = sorted(
        n for n, tokens in layout.grid_lines.items() if n < line and any(_is_column_header(t) for t in tokens)
    )
    block: list[list[Token]] = []
    previous = line
    for n in reversed(headers):
        if block and n != previous - 1:
            break
        block.append(layout.grid_lines[n])
        previous = n
    return block


def header_slots(layout: TableLayout, row: RowEvidence, width: int, *, grid: bool) -> list[Slot] | None:
    """A short grid row's values put under the column headers printed above them.

    For a table written out as a full grid (``grid``: from HTML, Word or a PDF's ruling
    lines), every line has one cell per grid column.  When the header lines above the row
    have exactly as many cells as the row's line, and their column headers sit in exactly
    ``width`` cells, a value belongs to the column whose header is in its cell.  Text from
    elsewhere is trusted only with a header of one line (``信息内容⇥上一年项目数量⇥本年增/减``
    above ``行政事业性收费⇥⇥60``): a multi-line header there rarely keeps its cells.
    """
    shape = _shape(layout, row)
    if shape is None:
        return None
    _, cells, value_cells = shape
    block = _header_block(layout, row.label.line or 0)
    if not block or any(_cell_count(tokens) != cells for tokens in block) or (not grid and len(block) != 1):
        return None
    labelled = sorted({slot_index(tokens, t) for tokens in block for t in tokens if _is_column_header(t)})
    if len(labelled) != width or not set(value_cells) <= set(labelled):
        return None
    values = _printed(row)
    slots: list[Slot] = [[] for _ in range(width)]
    for value, cell in zip(values, value_cells, strict=True):
        slots[labelled.index(cell)] = [value]
    return slots


def header_cut_slots(layout: TableLayout, row: RowEvidence, width: int, *, grid: bool) -> list[Slot] | None:
    """The cells of a row the text stops inside, put under the column headers above it (see
    ``header_slots``), when its first printed cell is empty (a blank cell, or the label's
    padding: only the header can say): the cells before the one the text stops in, each a
    value or blank."""
    line = row.label.line or 0
    tokens = layout.grid_lines.get(line, [])
    block = _header_block(layout, line)
    if not block or (not grid and len(block) != 1):
        return None
    cells = _cell_count(block[0])
    if any(_cell_count(tokens) != cells for tokens in block):
        return None
    labelled = sorted({slot_index(t, h) for t in block for h in t if _is_column_header(h)})
    label_cell = slot_index(tokens, row.label)
    if len(labelled) != width or label_cell >= labelled[0]:
        return None
    return _cells_before_cut(tokens, labelled)


def _cells_before_cut(tokens: Sequence[Token], columns: Sequence[int]) -> list[Slot] | None:
    """The slots of a line the text stops inside, one per column cell (``columns``, the
    cell index of each column) before the cell the text stops in: a value or blank.  None
    when a cell holds two values, or a value sits outside the columns."""
    last = _cell_count(tokens) - 1  # the cell the text stops in
    by_cell: dict[int, list[Token]] = {}
    for token in tokens:
        if token.type in VALUE_TYPES:
            by_cell.setdefault(slot_index(tokens, token), []).append(token)
    if any(len(found) > 1 for found in by_cell.values()) or any(c not in columns for c in by_cell if c < last):
        return None
    return [by_cell.get(cell, []) for cell in columns if cell < last]


@define
class OneLineReading:
    """The cells of a one-line table (table 四) in order: a value, or None for a blank cell.
    ``cut``: the text ends inside the cells, so there are fewer; the rest are not in the text."""

    values: list[Token | None]
    cut: bool = False
    open_end: bool = False  # more cells may follow as blank lines, or the lines are spacing: unknown


def _cut_reading(left: CutSlots, expected: int) -> OneLineReading | None:
    """The first cells of a one-line table the text stops in (None: more slots than cells)."""
    if len(left.slots) > expected:
        return None
    return OneLineReading([slot[0] if slot else None for slot in left.slots], cut=left.cut)


def slotted_values(layout: TableLayout, expected: int) -> OneLineReading | None:
    """The one data line of a one-line table read cell by cell, when its separators print
    exactly ``expected`` cells (padding aside): an empty cell is a blank one.  A line the
    text stops inside gives its first cells, when the first is printed (an empty first
    slot could be a blank cell or a label's padding)."""
    if len(layout.grid_data_lines) != 1 or not layout.grid_data_lines[0]:
        return None
    slots = layout.grid_data_lines[0]
    tokens = [t for slot in slots for t in slot]
    # A pipe at the start of the line opens the row (P1a), or closes a blank first cell.
    opened = layout.opened_lines[0] and bool(slots) and not slots[0]
    # The whole line, separators too: a line that ends the text with a separator (``0 | ``)
    # is cut after that cell.
    line = layout.grid_lines.get(tokens[0].line or 0, tokens) if tokens else tokens
    if tokens and _ends_text(layout, line):
        # Cut short, the count of cells cannot say whether a pipe opens the line: the
        # header lines can, when every one of them opens with one too.
        start = 1 if opened and _lines_open_with_pipe(layout) else 0
        left = _cut_slots(layout, slots[start:], expected, line)
        if left.cut:
            if not left.slots or not left.slots[0]:
                return None
            return OneLineReading([slot[0] if slot else None for slot in left.slots], cut=True)
    readings = {
        tuple(slot[0] if slot else None for slot in core)
        for core in (fit(slots, expected), fit(slots[1:], expected) if opened else [])
        if len(core) == expected
    }
    if len(readings) != 1:
        return None
    return OneLineReading(list(readings.pop()))


def _opens_line(tokens: Sequence[Token]) -> bool:
    """A ``|`` at the start of a line with more of the line's cells after it."""
    first = tokens[0]
    return first.type == "SEP" and first.column == 1 and len(tokens) > 1 and tokens[1].line == first.line


def _lines_open_with_pipe(layout: TableLayout) -> bool:
    """Every line of cells in the table other than its data lines opens with ``|`` (P1a,
    Markdown)."""
    lines = [
        tokens
        for tokens in layout.grid_lines.values()
        if not values_in(tokens) and any(t.type == "SEP" for t in tokens)
    ]
    return bool(lines) and all(t[0].type == "SEP" and t[0].column == 1 for t in lines)


def separated_values(layout: TableLayout, expected: int, column_terminals: frozenset[str]) -> OneLineReading | None:
    """A one-line table printed one cell per line with separators (P2 ``0 |`` lines, P5
    lone ``|`` lines): the cells are what the separators after the header delimit, so an
    empty one is a blank cell; empty cells after the last value are blank cells as far as
    the table needs them (the rest close the row).  Text that stops inside gives the
    first cells."""
    if any(len(line) > 1 for line in layout.data_lines):
        return None
    lines = sorted(layout.grid_lines.items())
    header = [t for _, tokens in lines for t in tokens if t.type in column_terminals]
    if not header:
        return None
    last = header[-1]
    closing = [t for t in layout.grid_lines.get(last.line or 0, []) if (t.start_pos or 0) > (last.start_pos or 0)]
    stream = [t for n, tokens in lines if n > (last.line or 0) for t in tokens]
    if not stream or not any(t.type == "SEP" for t in stream):
        return None
    if any(t.type != "SEP" for t in closing):
        return None
    if len(closing) != 1 and stream[0].type == "SEP":
        # P5: the lone | after the header closes its cell; P2a: the header ends ` | |` and
        # a lone | opens the row of values.  Neither is a cell.
        stream = stream[1:]
    elif _opens_line(stream) and _lines_open_with_pipe(layout):
        # P1a: the line of values opens with a pipe as every header line does: no cell.
        stream = stream[1:]
    slots = slots_of(stream, after_label=False)[0]
    if _ends_text(layout, stream):
        return _cut_reading(_cut_slots(layout, slots, expected, stream), expected)
    core = len(slots)
    while core and not slots[core - 1]:
        core -= 1
    if not core <= expected <= len(slots):
        return None
    return OneLineReading([slot[0] if slot else None for slot in slots[:expected]])


def stepped_values(layout: TableLayout, expected: int) -> OneLineReading | None:
    """A one-line table printed one cell per line or paragraph (P3, P4): a blank cell is an
    empty line or paragraph at the rhythm of the value lines (see ``_fill_each_row``).

    As for a row after its label, the empty lines between the header and the first value
    are blank cells; those after the last value are blank cells as far as the table needs
    them, spacing after that.  Text that stops after a value gives the first cells."""
    lines = layout.data_lines
    if not lines or any(len(line) != 1 or len(line[0]) != 1 for line in lines):
        return None
    values = [line[0][0] for line in lines]
    if len(values) < 2 and not _ends_text(layout, values):
        return None  # one value line: one cell per line, or a line of its own? (the text goes on)
    numbers = [v.line or 0 for v in values]
    step = layout.step
    if step is None:
        return None
    previous = _previous_printed(layout, numbers[0])
    lead = _blank_lines(layout, previous, numbers[0], step) if previous is not None else 0
    core: list[Token | None] = [*([None] * lead), values[0]]
    for value, (before, here) in zip(values[1:], pairwise(numbers), strict=True):
        core.extend(None for _ in range(_blank_lines(layout, before, here, step)))
        core.append(value)
    if _ends_text(layout, [values[-1]]):
        return _cut_reading(
            _cut_slots(layout, [[v] if v is not None else [] for v in core], expected, [values[-1]]), expected
        )
    following = _next_printed(layout, numbers[-1])
    spare = _trailing_blanks(layout, numbers[-1], following, step) if following is not None else 0
    if len(core) < expected and not spare and _open_end(layout, numbers[-1], step):
        return OneLineReading(core, open_end=True)
    if not 0 <= expected - len(core) <= spare:
        return None
    return OneLineReading([*core, *([None] * (expected - len(core)))])


def _gaps(layout: TableLayout, lines: Sequence[int]) -> list[int]:
    """The gaps between consecutive printed lines with nothing else printed between them.
    Gaps holding a line of spaces (an empty paragraph that stands for a cell) do not count:
    the spaces say how many cells they hold."""
    return [
        _distance(layout, a, b)
        for a, b in pairwise(lines)
        if b > a and not _printed_between(layout, a, b) and not any(n in layout.space_lines for n in range(a + 1, b))
    ]


def _step(gaps: Sequence[int], minimum: int) -> int | None:
    """The commonest gap, when every gap is a multiple of it (most cells follow the one
    before by one step); None with fewer than ``minimum`` gaps."""
    if len(gaps) < minimum:
        return None
    step = Counter(gaps).most_common(1)[0][0]
    return step if all(g % step == 0 for g in gaps) else None


def _previous_printed(layout: TableLayout, line: int) -> int | None:
    """The last line before ``line`` that holds anything at all."""
    index = bisect_left(layout.printed_lines, line)
    return layout.printed_lines[index - 1] if index > 0 else None


def header_grid(layout: TableLayout, data_line: int, column_terminals: frozenset[str]) -> tuple[int, list[int]] | None:
    """The grid of a one-line table's column header lines: their number of cells, when every
    header line naming a column prints the same number, and the cells the names sit in."""
    counts: set[int] = set()
    labelled: set[int] = set()
    for header_line, header_tokens in layout.grid_lines.items():
        if header_line == data_line:
            continue
        headers = [t for t in header_tokens if t.type in column_terminals]
        if headers:
            counts.add(_cell_count(header_tokens))
            labelled.update(slot_index(header_tokens, token) for token in headers)
    if len(counts) != 1:
        return None
    return counts.pop(), sorted(labelled)


def _grid_data_line(layout: TableLayout) -> tuple[int, list[Token], list[Token]] | None:
    """(line, its tokens, its values) of a one-line table's one data line printed with separators."""
    if len(layout.data_lines) != 1:
        return None
    values = [slot[0] for slot in layout.data_lines[0]]
    line = values[0].line or 0
    tokens = layout.grid_lines.get(line, [])
    if not any(t.type == "SEP" for t in tokens):
        return None
    return line, tokens, values


def aligned_values(
    layout: TableLayout, expected: int, column_terminals: frozenset[str]
) -> tuple[list[Token | None], list[Token]] | None:
    """Values of a tab/pipe data line placed under the column headers above them.

    Used when the data line does not print exactly one value per cell: a padding column,
    or cells printed empty (a table grid from HTML, Word or PDF).  Returns the value of each
    column in order (None for a cell printed empty) and the values under no header; or None
    when the header grid does not name exactly ``expected`` columns, or when a column's
    cell is not printed on the data line at all, or when the header lines have another
    number of cells than the data line (the lines are then not one grid: see
    ``shifted_line``).
    """
    data = _grid_data_line(layout)
    if data is None:
        return None
    line, tokens, values = data
    grid = header_grid(layout, line, column_terminals)
    by_slot = dict(zip(slot_indexes(tokens, values), values, strict=True))
    cells = _printed_cells(tokens, by_slot, grid[0] if grid else 0)
    if grid is None or grid[0] != cells or len(grid[1]) != expected or grid[1][-1] >= cells:
        return None
    labelled = grid[1]
    placed = [by_slot.get(i) for i in labelled]
    unplaced = [v for i, v in sorted(by_slot.items()) if i not in labelled]
    return placed, unplaced


def _printed_cells(tokens: Sequence[Token], by_slot: dict[int, Token], header: int) -> int:
    """The cells of a data line, empty cells after the header's last one (a trailing tab)
    not counted."""
    cells = _cell_count(tokens)
    return max(header, max(by_slot, default=-1) + 1) if cells > header else cells


@frozen
class ShiftedLine:
    """A one-line table's data line printing one cell more or fewer than its header grid: a
    cell was lost (OCR, a converter) or one added, and where is not printed."""

    columns: tuple[int, ...]  # the header cells that name the table's columns, in order
    header_cells: int  # how many cells the header lines print
    cells: tuple[Token | None, ...]  # the data line's printed cells: a value, or None (empty)
    # A grid line keeps a cell printed empty: a cell it does not print was lost.  In text
    # without separators a blank cell prints nothing, so a cell not printed may be blank.
    grid: bool = True


def shifted_line(layout: TableLayout, expected: int, column_terminals: frozenset[str]) -> ShiftedLine | None:
    """The data line of a one-line table whose cells are one off its header grid's; or, in
    text without separators, one line printing one value more or fewer than the table has
    cells."""
    data = _grid_data_line(layout)
    if data is None:
        lines = layout.data_lines
        if len(lines) != 1 or abs(len(lines[0]) - expected) != 1 or _ends_text(layout, [s[0] for s in lines[0]]):
            return None
        return ShiftedLine(tuple(range(expected)), expected, tuple(slot[0] for slot in lines[0]), grid=False)
    line, tokens, values = data
    grid = header_grid(layout, line, column_terminals)
    by_slot = dict(zip(slot_indexes(tokens, values), values, strict=True))
    cells = _printed_cells(tokens, by_slot, grid[0] if grid else 0)
    if grid is None or len(grid[1]) != expected or abs(grid[0] - cells) != 1 or grid[1][-1] >= grid[0]:
        return None
    return ShiftedLine(tuple(grid[1]), grid[0], tuple(by_slot.get(i) for i in range(cells)))
