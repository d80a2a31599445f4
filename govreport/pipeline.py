"""``parse(text)``: the whole pipeline, one way through.

text → normalise → grammar (items) → sections and metadata → layout (values to
rows) → cells → ``Report`` with diagnostics.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import lark
from attrs import evolve
from lark import Token

from .cells import end_in_doubt, place_row, read_cell
from .document import extract_meta
from .errors import NotAReportError, ParseError, PreStandardReportError
from .grammar import parse_items
from .infer import infer as infer_missing
from .items import Item
from .layout import (
    RowEvidence,
    ShiftedLine,
    TableLayout,
    Unplaced,
    aligned_values,
    anchored_cut_slots,
    anchored_slots,
    build_layouts,
    debris,
    header_cut_slots,
    header_slots,
    separated_values,
    shifted_line,
    slotted_values,
    stepped_values,
    stops_inside,
    table_of,
    unpadded,
    values_in,
)
from .model import Cell, Diagnostic, Meta, Number, Report, Row, Section, Span, Table
from .normalize import OffsetMap, normalize
from .realign import LOST, UNCERTAIN, agreed
from .registry import detect_template, get_template, label_cores, parser_for, printed_words
from .relations import table_relations
from .sections import build_sections, item_kinds
from .split import GluedRun, is_glued, read_runs
from .templates import Column, RowSpec, Template

#: Inputs longer than this (in characters) are refused; pass ``max_chars`` to raise it.
MAX_CHARS = 1_000_000
#: At most this many diagnostics are listed per report (``parse(max_diagnostics=...)``).
MAX_DIAGNOSTICS = 1000


class _Context:
    """What every stage needs to turn tokens into spans and diagnostics."""

    def __init__(self, original: str, text: str, offsets: OffsetMap, grid: bool = False) -> None:
        self.original = original
        self.grid = grid  # the tab-separated tables are exact grids (from a reader of HTML, Word, PDF)
        self.text = text
        self.offsets = offsets
        self.diagnostics: list[Diagnostic] = []
        self.glued: list[GluedRun] = []  # runs of digits printed for several cells (split.py)
        self._debris: dict[str, list[Token]] = {}
        self._line_starts = [0]
        start = text.find("\n")
        while start != -1:
            self._line_starts.append(start + 1)
            start = text.find("\n", start + 1)

    def debris_of(self, layout: TableLayout) -> list[Token]:
        """``layout.debris`` of a finished table, found once (every row with a blank cell asks)."""
        found = self._debris.get(layout.name)
        if found is None:
            found = self._debris[layout.name] = debris(layout)
        return found

    def span(self, token: Token) -> Span:
        return self.offsets.span(token.start_pos or 0, token.end_pos or 0)

    def item_span(self, item: Item) -> Span | None:
        return self.span(item.head) if item.head is not None else None

    def line_text(self, line: int) -> str:
        """A line of the input (1-based line of the normalised text), as the user wrote it."""
        if not 1 <= line <= len(self._line_starts):
            return ""
        start = self._line_starts[line - 1]
        return self.original_slice(start, start + len(self.normalized_line(line)))

    def normalized_line(self, line: int) -> str:
        """A line of the normalised text (1-based)."""
        if not 1 <= line <= len(self._line_starts):
            return ""
        start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start : end if end != -1 else len(self.text)]

    def line_slice(self, line: int, start: int, end: int) -> str:
        """The user's text behind ``normalized_line(line)[start:end]``."""
        base = self._line_starts[line - 1] if 1 <= line <= len(self._line_starts) else 0
        return self.original_slice(base + start, base + end)

    def line_span(self, line: int, start: int, end: int) -> Span | None:
        """Where ``normalized_line(line)[start:end]`` is in the input."""
        if not 1 <= line <= len(self._line_starts) or end <= start:
            return None
        base = self._line_starts[line - 1]
        return self.offsets.span(base + start, base + end)

    def original_slice(self, start: int, end: int) -> str:
        """The user's text behind normalised text[start:end]."""
        if end <= start:
            return ""
        # The map's indexes, without the line and column a Span also works out (a line at a time).
        return self.original[self.offsets.original_index(start) : self.offsets.original_index(end - 1) + 1]

    def report(
        self,
        code: str,
        message: str,
        token: Token | None = None,
        raw: str = "",
        keys: Sequence[str] = (),
        severity: str = "warning",
    ) -> None:
        line = column = None
        if token is not None:
            span = self.span(token)
            line, column = span.line, span.column
            raw = raw or str(token)
        self.diagnostics.append(Diagnostic(code, message, line, column, raw, severity, tuple(keys)))

    def report_at(
        self,
        code: str,
        message: str,
        span: Span | None,
        raw: str = "",
        keys: Sequence[str] = (),
        severity: str = "warning",
    ) -> None:
        """``report`` for a place given as a ``Span`` of the input."""
        line, column = (span.line, span.column) if span is not None else (None, None)
        self.diagnostics.append(Diagnostic(code, message, line, column, raw, severity, tuple(keys)))


def _unplaced(ctx: _Context, table: str, unplaced: Unplaced) -> None:
    raw = " ".join(str(t) for t in unplaced.tokens)
    shown = raw if len(raw) <= 200 else f"{raw[:200]}… ({len(raw):,} characters in all, see raw)"
    ctx.report("unplaced-value", f"table {table}: {unplaced.reason}: {shown}", unplaced.tokens[0], raw)


def _row_shape(ctx: _Context, what: str, values: Sequence[Token], expected: int, keys: Sequence[str]) -> None:
    """Values printed for a row (or a one-line table) that cannot be put in columns with certainty."""
    raw = " ".join(str(t) for t in values)
    ctx.report(
        "row-shape",
        f"{what}: {len(values)} value(s) printed for {expected} cell(s); "
        f"which cell each belongs to is not certain: {raw}",
        values[0],
        raw,
        keys=keys,
    )


def _row_key(table: str, key: str) -> str:
    """``applications.other_handling.misc`` → ``other_handling.misc``."""
    return key.split(".", 1)[1] if key.startswith(table + ".") else key


def _single_row_variants(
    ctx: _Context, layout: TableLayout, specs: Sequence[RowSpec], evidence: dict[str, list[RowEvidence]]
) -> set[str]:
    """The single-row variants (2021 （六）其他处理 printed as one row) that stand in for their sub-rows.

    A variant printed together with any of its sub-rows cannot stand for them: the sub-rows
    are read, and the values the variant's label took (often those of a sub-row whose
    label was damaged) are reported as unplaced rather than dropped or misplaced.
    """
    variants: set[str] = set()
    for spec in specs:
        if not spec.variant_of or spec.key not in evidence:
            continue
        if not any(_row_key(layout.name, k) in evidence for k in spec.variant_of):
            variants.add(spec.key)
            continue
        for row in evidence.pop(spec.key):
            values = [t for slot in row.slots or [] for t in slot]
            if values:
                reason = (
                    f"values after {spec.label}, which is printed with its sub-rows, so they belong to none for certain"
                )
                _unplaced(ctx, layout.name, Unplaced(values, reason))
    return variants


def _build_table(ctx: _Context, template: Template, layout: TableLayout) -> Table:
    specs = template.table_rows(layout.name)
    evidence: dict[str, list[RowEvidence]] = {}
    for row in layout.rows:
        if row.spec is not None:
            evidence.setdefault(row.spec.key, []).append(row)
    printed = layout.first is not None or bool(layout.rows) or bool(layout.data_lines)
    if template.table(layout.name).one_line:
        return _build_one_line_table(ctx, template, layout, printed)
    variants = _single_row_variants(ctx, layout, specs, evidence)
    replaced = {_row_key(layout.name, k) for s in specs if s.key in variants for k in s.variant_of}
    rows: list[Row] = []
    for spec in specs:
        if (spec.variant_of and spec.key not in variants) or spec.key in replaced:
            continue
        found = evidence.get(spec.key, [])
        if not found:
            rows.append(Row(spec.key, spec.label, tuple(Cell(c.key) for c in spec.columns)))
            if printed:
                ctx.report("row-missing", f"table {layout.name}: row {spec.label} is not in the text", keys=spec.keys())
            continue
        first, *others = found
        _report_repeats(ctx, layout.name, spec, others)
        rows.append(_standard_row(ctx, template, layout, spec, first, printed))
    rows.extend(_extra_rows(ctx, layout, [r for r in layout.rows if r.spec is None], rows))
    for unplaced in layout.unplaced:
        _unplaced(ctx, layout.name, unplaced)
    span = ctx.span(layout.first) if layout.first is not None else None
    table = _split_glued(ctx, template, Table(layout.name, tuple(rows), span, printed))
    open_rows = {f"{layout.name}.{r.spec.key}" for r in layout.rows if r.open_end and r.spec is not None}
    return _unless_shifted(ctx, template, table, open_rows)


def _unless_shifted(ctx: _Context, template: Template, table: Table, open_rows: set[str]) -> Table:
    """Rows read as their first cells with the rest unknown (``open_end``: empty lines before
    the next heading, spacing or blank cells) are right only if no value line was lost in
    them: a lost line moves the later values up one cell.  Such a row is kept only when the
    table's relations, with every term printed, confirm each of its values; a row they do
    not confirm, and every open row after it, is left unresolved, never read shifted."""
    if not open_rows:
        return table
    values = dict(_table_values(table))
    confirmed: set[str] = set()
    broken: set[str] = set()
    for relation in table_relations(table, template):
        keys = relation.keys()
        if not {key.rsplit(".", 1)[0] for key in keys} & open_rows or any(values.get(k) is None for k in keys):
            continue
        holds = values[relation.total] == sum(sign * (values[key] or 0) for sign, key in relation.terms())
        (confirmed if holds else broken).update(keys)
    rows = []
    doubtful = False
    for row in table.rows:
        key = f"{table.name}.{row.key}"
        if key in open_rows:
            printed = [f"{key}.{c.column}" for c in row.cells if c.status == "number"]
            doubtful = doubtful or any(k in broken or k not in confirmed for k in printed)
        if key in open_rows and doubtful:
            ctx.report(
                "row-unresolved",
                f"table {table.name}: row {row.label}: its values, read as its first cells, are not confirmed by "
                "the table's arithmetic: a value line may be lost, so none is placed",
                keys=[f"{key}.{c.column}" for c in row.cells],
            )
            row = evolve(row, cells=tuple(Cell(c.column, status="unresolved") for c in row.cells))
        rows.append(row)
    return evolve(table, rows=tuple(rows))


def _split_glued(ctx: _Context, template: Template, table: Table) -> Table:
    """The table's runs of glued digits (``ctx.glued``) split where its arithmetic leaves one
    reading (status ``split``, a ``split-run`` note); the others are reported unplaced."""
    runs = [run for run in ctx.glued if run.keys[0].startswith(table.name + ".")]
    if not runs:
        return table
    cells = {f"{table.name}.{row.key}.{c.column}": c for row in table.rows for c in row.cells}
    known = {key: cell.value for key, cell in cells.items() if cell.status in ("number", "split")}
    changes: dict[str, Cell] = {}
    for reading in read_runs(runs, known, list(table_relations(table, template))):
        run, raw = reading.run, str(reading.run.token)
        if reading.values is None:
            ctx.report(
                "unplaced-value",
                f"{run.keys[0].rsplit('.', 1)[0]}: {raw} is printed for {len(run.keys)} cells without separators, "
                f"and is not split: {reading.reason}",
                run.token,
                raw,
                keys=run.keys,
            )
            continue
        span = ctx.span(run.token)
        for key, value in zip(run.keys, reading.values, strict=True):
            changes[key] = Cell(cells[key].column, value, str(value), span, None, "split")
        ctx.report(
            "split-run",
            f"{run.keys[0].rsplit('.', 1)[0]}: {raw} read as {' | '.join(map(str, reading.values))}: "
            f"{len(run.keys)} cells printed without separators, and the only reading the table's arithmetic allows",
            run.token,
            raw,
            keys=run.keys,
            severity="info",
        )
    return table.with_cells(changes)


def _table_values(table: Table) -> Iterator[tuple[str, Number | None]]:
    """``(flat key, value)`` of every cell of a table."""
    for row in table.rows:
        for cell in row.cells:
            yield f"{table.name}.{row.key}.{cell.column}", cell.value


def _report_repeats(ctx: _Context, table: str, spec: RowSpec, repeats: Sequence[RowEvidence]) -> None:
    """A row printed again: the first one is read, the values of the others are unplaced."""
    for extra in repeats:
        ctx.report(
            "duplicate-row",
            f"table {table}: row {spec.label} is printed more than once; the first one is used",
            extra.label,
            keys=spec.keys(),
        )
        extra_values = [t for slot in (extra.slots or []) for t in slot]
        if extra_values:
            _unplaced(ctx, table, Unplaced(extra_values, f"values of a repeated row {spec.label}"))


def _anchored(ctx: _Context, layout: TableLayout, spec: RowSpec, row: RowEvidence) -> list[list[Token]] | None:
    """A short grid row's slots placed under the columns its cells line up with, or None."""
    slots = row.slots
    width = len(spec.columns)
    if row.cut or not (row.grid and slots and 0 < sum(1 for s in slots if s) < width):
        return None  # a row the text stops in: its cells after the cut are lost, not blank
    anchored = anchored_slots(layout, row, width)
    if anchored is None:
        anchored = header_slots(layout, row, width, grid=ctx.grid)
    if anchored is not None:
        ctx.report(
            "row-anchored",
            f"table {layout.name}: row {spec.label} prints "
            f"{sum(1 for s in anchored if s)} of {width} cells; each value is placed "
            "under the column its printed cell lines up with (in the other rows, or under the column headers)",
            row.label,
            keys=spec.keys(),
            severity="info",
        )
    return anchored


def _standard_row(
    ctx: _Context, template: Template, layout: TableLayout, spec: RowSpec, first: RowEvidence, printed: bool
) -> Row:
    """A row of the official table from the evidence the layout found for it."""
    label_span = ctx.span(first.label)
    anchored = _anchored(ctx, layout, spec, first)
    slots, first_cell = first.slots, first.first_cell
    if first.cut and slots and not slots[0] and not first_cell:
        width = len(spec.columns)
        under = header_cut_slots(layout, first, width, grid=ctx.grid) or anchored_cut_slots(layout, first, width)
        if under is not None:
            slots, first_cell = under, True
        else:
            first_cell = unpadded(layout)
    cells, diagnostics, leftovers = place_row(
        spec.columns,
        anchored if anchored is not None else slots,
        first.grid,
        ctx.span,
        blank_span=label_span,
        row=f"{layout.name}.{spec.key}",
        aligned=anchored is not None,
        cut=first.cut,
        cut_value=first.cut_value,
        first_cell=first_cell,
        open_end=first.open_end,
        padded=first.padded,
    )
    ctx.diagnostics.extend(diagnostics)
    what = f"table {layout.name}: row {spec.label}"
    cells = _damaged_blanks(ctx, layout, spec, first, cells, what)
    separated = first.padded and anchored is None and end_in_doubt(slots or [], len(spec.columns))
    if len(leftovers) == 1 and not separated and is_glued(str(leftovers[0]), spec.columns):
        ctx.glued.append(GluedRun(leftovers[0], tuple(spec.keys())))  # split by split_glued, or reported
    elif leftovers:
        _row_shape(ctx, what, leftovers, len(spec.columns), spec.keys())
    elif first.problem:
        ctx.report("row-unresolved", f"{what}: {first.problem}", first.label, keys=spec.keys())
    if leftovers or first.problem:  # printed, but not placed: the text did not lose these cells
        cells = tuple(evolve(c, status="unresolved") if c.status == "missing" else c for c in cells)
    elif first.slots is None and printed:
        ctx.report("row-no-values", f"{what} has no values in the text", first.label, keys=spec.keys())
    if first.paired and not leftovers:
        ctx.report(
            "row-paired",
            f"{what}: its values are the line at the same place in the block of value lines after the "
            "block of labels (a converter's layout)",
            first.label,
            keys=spec.keys(),
            severity="info",
        )
    label = ctx.original_slice(first.label.start_pos or 0, first.label.end_pos or 0).strip()
    notes = template.table(layout.name).label_notes
    if notes and "(" in label and "(" not in spec.label and "（" not in spec.label:
        ctx.report("label-note", f"{what} carries a printed note: {label}", first.label, severity="info")
    return Row(spec.key, label, cells, label_span)


def _damaged_blanks(
    ctx: _Context, layout: TableLayout, spec: RowSpec, row: RowEvidence, cells: tuple[Cell, ...], what: str
) -> tuple[Cell, ...]:
    """Empty cells of a table that OCR damaged are read as lost (``missing``), not printed blank."""
    blank = [c for c in cells if c.status == "blank"]
    junk = ctx.debris_of(layout) if blank else []
    if not junk:
        return cells
    keys = [f"{layout.name}.{spec.key}.{c.column}" for c in blank]
    ctx.report(
        "damaged-line",
        f"{what}: the table carries OCR debris ({' '.join(str(t) for t in junk[:5])}), so the row's "
        f"{len(blank)} empty cell(s) are read as lost, not as printed blank",
        row.label,
        keys=keys,
        severity="info",
    )
    return tuple(evolve(c, status="missing") if c.status == "blank" else c for c in cells)


def _extra_rows(ctx: _Context, layout: TableLayout, extras: list[RowEvidence], standard: list[Row]) -> list[Row]:
    """Rows the official table does not have, kept as printed (``Row.standard`` is False).

    Their columns are named after the standard row printed just before them when
    the value counts match (e.g. 其他主动公开文件 under 规章/规范性文件), else ``c1``, ``c2``, ...
    """
    out: list[Row] = []
    for n, extra in enumerate(extras, 1):
        values = [slot[0] for slot in extra.slots or [] if slot]
        count = len(values) + extra.cut  # a value the text stops inside is a cell, lost
        before = [r for r in standard if r.span is not None and r.span.start < ctx.span(extra.label).start]
        names = list(before[-1].columns) if before and len(before[-1].columns) == count else []
        if not names:
            names = [f"c{i}" for i in range(1, count + 1)]
        cells = []
        for name, token in zip(names, values, strict=False):
            column = Column(name, name, "decimal" if "." in str(token) else "signed_int")
            cell, diagnostic = read_cell(column, token, ctx.span)
            cells.append(cell)
            if diagnostic is not None:
                ctx.diagnostics.append(diagnostic)
        label = extra.text or str(extra.label)
        if extra.cut:
            cells.append(Cell(names[-1], status="missing"))
            ctx.report(
                "truncated",
                f"table {layout.name}: the text ends inside the last value of extra row extra.{n} ({label!r}); "
                "that value is lost",
                extra.label,
                keys=[f"{layout.name}.extra.{n}.{names[-1]}"],
            )
        ctx.report(
            "extra-row",
            f"table {layout.name}: row {label!r} is not in the official table; kept as extra row extra.{n}",
            extra.label,
            raw=label + " " + " ".join(str(v) for v in values),
        )
        out.append(Row(f"extra.{n}", label, tuple(cells), ctx.span(extra.label), standard=False))
    return out


def _empty_cell(layout: TableLayout) -> bool:
    """The one data line of a one-line table prints an empty cell: the count of its values
    alone says nothing about their columns."""
    return len(layout.grid_data_lines) == 1 and any(not slot for slot in layout.grid_data_lines[0])


def _tab_ends_in_doubt(layout: TableLayout, expected: int) -> bool:
    """The one tab-separated data line of a one-line table prints an empty cell at an end of
    its cells, and no header grid says where its cells stand: the empty cell may be a blank
    one, or padding with a cell lost elsewhere (``cells.end_in_doubt``)."""
    if len(layout.grid_data_lines) != 1 or any("|" in str(t) for t in layout.grid_lines.get(_data_line(layout), [])):
        return False
    return end_in_doubt(layout.grid_data_lines[0], expected)


def _data_line(layout: TableLayout) -> int:
    return next((slot[0].line or 0 for slot in layout.grid_data_lines[0] if slot), 0)


def _realign(
    ctx: _Context, template: Template, layout: TableLayout, specs: Sequence[RowSpec], line: ShiftedLine
) -> tuple[list[Token | None], dict[int, str]]:
    """The line of a one-line table that prints one cell more or fewer than its header grid,
    read by the only readings the table's arithmetic allows (``realign.py``).  Returns the
    value per column and the columns decided otherwise: ``missing`` (lost in every allowed
    reading) or ``unresolved`` (the readings disagree, or none is allowed)."""
    columns = [c for s in specs for c in s.columns]
    keys = [f"{layout.name}.{s.key}.{c.key}" for s in specs for c in s.columns]
    empty = Table(layout.name, tuple(Row(s.key, s.label, tuple(Cell(c.key) for c in s.columns)) for s in specs))
    relations = list(table_relations(empty, template))

    def value_of(i: int, token: Token) -> Number | None:
        return read_cell(columns[i], token, ctx.span)[0].value

    found = agreed(line, keys, relations, value_of)
    printed = [t for t in line.cells if t is not None]
    first = printed[0] if printed else None
    if found is None:
        ctx.report(
            "row-shape",
            f"table {layout.name}: its line prints {len(line.cells)} cells for {line.header_cells}, and no reading "
            "with one cell lost or added fits the table's arithmetic: no value is placed",
            first,
            " ".join(str(t) for t in printed),
            keys=keys,
        )
        return [None] * len(keys), dict.fromkeys(range(len(keys)), "unresolved")
    choices, spare = found
    values: list[Token | None] = [c if isinstance(c, Token) else None for c in choices]
    lost = "missing" if line.grid else "unresolved"
    decided = {i: (lost if c == LOST else "unresolved") for i, c in enumerate(choices) if c in (LOST, UNCERTAIN)}
    doubtful = [keys[i] for i, status in decided.items() if status == "unresolved"]
    if not decided and not spare and values == printed:
        return values, decided  # read as printed: the header's extra cell is one the line leaves off
    ctx.report(
        "row-realigned",
        f"table {layout.name}: its line prints {len(line.cells)} cells for {line.header_cells} (a cell lost or "
        f"added); {len(keys) - len(doubtful)} cell(s) read by the readings the table's arithmetic allows, "
        f"{len(doubtful)} not certain",
        first,
        " ".join(str(t) for t in printed),
        keys=doubtful or [keys[i] for i in decided],
        severity="warning" if decided else "info",
    )
    if spare:
        reason = "values under no column header" if line.grid else "a value every reading allowed leaves out"
        layout.unplaced.append(Unplaced(list(spare), reason))
    return values, decided


def _build_one_line_table(ctx: _Context, template: Template, layout: TableLayout, printed: bool) -> Table:
    """Table 四: one printed line of values under a multi-row header."""
    specs = template.table_rows(layout.name)
    expected = sum(len(s.columns) for s in specs)
    printed_values = [slot[0] for line in layout.data_lines for slot in line]
    values: list[Token | None] = list(printed_values)
    terminals = template.table(layout.name).column_terminals
    decided: dict[int, str] = {}  # cells whose place is not printed: missing or unresolved
    aligned = None
    if len(values) > expected or (ctx.grid and values and len(values) < expected) or _empty_cell(layout):
        aligned = aligned_values(layout, expected, terminals)
        if aligned is not None:
            values, extra = aligned
            if extra:
                layout.unplaced.append(Unplaced(extra, "values under no column header"))
    shifted = shifted_line(layout, expected, terminals) if aligned is None else None
    if shifted is not None and shifted.grid:
        values, decided = _realign(ctx, template, layout, specs, shifted)
    cut = open_end = False
    if len(values) != expected:
        in_doubt = aligned is None and shifted is None and _tab_ends_in_doubt(layout, expected)
        reading = (
            (None if in_doubt else slotted_values(layout, expected))
            or separated_values(layout, expected, terminals)
            or stepped_values(layout, expected)
        )
        if reading is not None:
            values, cut, open_end = reading.values, reading.cut, reading.open_end
        elif shifted is not None:
            values, decided = _realign(ctx, template, layout, specs, shifted)
    if len(values) == expected and not cut and printed_values and stops_inside(printed_values[-1], layout.text_length):
        # Every cell is printed, but the text stops right after the last value, which may
        # then be cut ("1" of "14"): it and the cells after it are lost, as in a cut row.
        at = next((i for i, v in enumerate(values) if v is printed_values[-1]), None)
        if at is not None:
            values, cut = values[:at], True
    placed = len(values) == expected or cut or open_end
    rows: list[Row] = []
    lost: list[str] = []
    position = 0
    for spec in specs:
        cells: list[Cell] = []
        for column in spec.columns:
            token = values[position] if placed and position < len(values) else None
            if position in decided:
                cells.append(Cell(column.key, status=decided[position]))
                lost.append(f"{layout.name}.{spec.key}.{column.key}")
            elif token is not None:
                cell, diagnostic = read_cell(column, token, ctx.span, row=f"{layout.name}.{spec.key}")
                if diagnostic is not None:
                    ctx.diagnostics.append(diagnostic)
                cells.append(cell)
            elif placed and position < len(values):
                cells.append(Cell(column.key, status="blank"))
            else:
                status = "unresolved" if (printed_values and not cut) or open_end else "missing"
                cells.append(Cell(column.key, status=status))
                lost.append(f"{layout.name}.{spec.key}.{column.key}")
            position += 1
        rows.append(Row(spec.key, spec.label, tuple(cells)))
    if cut:
        ctx.report(
            "truncated",
            f"table {layout.name}: the text ends inside its line of values; {len(lost)} cell(s) after the "
            f"{len(values)} printed are not in it",
            printed_values[-1] if printed_values else layout.first,
            keys=lost,
        )
    elif open_end:
        ctx.report(
            "row-unresolved",
            f"table {layout.name}: {len(lost)} cell(s) after the {len(values)} printed: the empty lines before "
            "what follows the table may be blank cells or spacing",
            printed_values[-1] if printed_values else layout.first,
            keys=lost,
        )
    if printed and not placed:
        keys = [k for s in specs for k in s.keys()]
        if len(printed_values) == 1 and is_glued(str(printed_values[0]), [c for s in specs for c in s.columns]):
            ctx.glued.append(GluedRun(printed_values[0], tuple(keys)))
        elif printed_values:
            _row_shape(ctx, f"table {layout.name}", printed_values, expected, keys)
        else:
            ctx.report(
                "row-no-values", f"table {layout.name}: no values found under the header", layout.first, keys=keys
            )
    for unplaced in layout.unplaced:
        _unplaced(ctx, layout.name, unplaced)
    first = layout.first if layout.first is not None else (printed_values[0] if printed_values else None)
    span = ctx.span(first) if first is not None else None
    table = _split_glued(ctx, template, Table(layout.name, tuple(rows), span, printed))
    return _unless_shifted(ctx, template, table, {f"{layout.name}.{s.key}" for s in specs} if open_end else set())


# Section names of the pre-2019 reports (条例 of 2008): 概述, 收费及减免, 咨询 ...
_OLD_SECTIONS = ("概述", "收费及减免", "咨询处理", "政府信息公开的收费", "申请行政复议及提起诉讼")


def _pre_standard(meta: Meta, sections: Sequence[Section]) -> bool:
    """No national tables, and the year or the section names say before 2019."""
    if meta.year is not None and meta.year < 2019:
        return True
    return any(old in s.heading for s in sections for old in _OLD_SECTIONS)


def _report_truncation(ctx: _Context, items: Sequence[Item], template: Template, tables: dict[str, Table]) -> None:
    """A text that stops inside a table: say so, once, naming the last row read."""
    last = next((i for i in range(len(items) - 1, -1, -1) if items[i].kind in ("row", "group", "header")), None)
    if last is None or any(item.kind == "heading" for item in items[last + 1 :]):
        return
    item = items[last]
    name = table_of(item, template)
    if name is None or template.table(name).one_line:
        return
    table = tables[name]
    keys = [row.key for row in table.rows]
    spec = template.row_for_terminal(item.terminal)
    after = keys[keys.index(spec.key) + 1 :] if spec is not None and spec.key in keys else []
    unread = [k for k in after if all(c.status == "missing" for c in table.row(k).cells)]
    order = list(template.table_names)
    later_missing = [n for n in order[order.index(name) + 1 :] if not tables[n].printed]
    if unread or later_missing:
        ctx.report(
            "truncated",
            f"the text ends inside table {name}, after {str(item.head).strip()!r}: "
            f"{len(unread)} row(s) of it and {len(later_missing)} later table(s) are not in the text",
            item.head,
        )


def _check_input(text: object, max_chars: int) -> str:
    if isinstance(text, (bytes, bytearray)):
        raise NotAReportError("parse() takes a str; decode the bytes first")
    if not isinstance(text, str):
        raise NotAReportError(f"parse() takes a str, not {type(text).__name__}")
    if not text.strip():
        raise NotAReportError("the text is empty")
    if len(text) > max_chars:
        raise NotAReportError(
            f"the text has {len(text):,} characters, more than the limit of {max_chars:,}; "
            "pass max_chars= to parse a larger document"
        )
    return text


def _looks_like_report(items: Sequence[Item], kinds: Sequence[str | None], sections: int) -> bool:
    """A report, or a recognisable fragment of one: a national table row or block header with
    more of a table around it (headers, other rows), a table's column headers with a line of
    values under them (table 四 alone has no row labels), or three of the six national
    sections.  A page cut before most rows is still a report; text with none of this is not."""
    table_items = sum(1 for item in items if item.kind in ("row", "block", "group"))
    headers = [item for item in items if item.kind == "header"]
    valued_header = len(headers) >= 3 and any(values_in(item.cells) for item in headers)
    return (
        table_items >= 3
        or (table_items >= 1 and table_items + len(headers) >= 3)
        or valued_header
        or len({k for k in kinds if k}) >= 3
    )


def parse(
    text: str,
    *,
    template: str | None = None,
    strict: bool = False,
    infer: bool = True,
    max_chars: int = MAX_CHARS,
    grid: bool = False,
    max_diagnostics: int = MAX_DIAGNOSTICS,
) -> Report:
    """Parse the text of one annual report.

    Never raises on messy input: what cannot be placed becomes a diagnostic on
    ``report.diagnostics``.  ``strict=True`` raises ``ParseError`` instead when
    there is any diagnostic above "info".  ``template`` forces a template
    (default: detected from the table words).  ``infer`` fills the missing cells
    that the table's arithmetic determines uniquely, marked ``inferred``
    (see ``govreport.infer``).  Raises ``NotAReportError`` for text that is not a
    report at all.

    ``grid=True`` declares that every tab-separated table line in the text is a row of
    an exact grid (merged cells expanded to empty cells, header and value cells in the
    same columns), as ``parse_file`` and ``parse_html`` produce.  A value in a row with
    blank cells is then placed under the column header printed above its cell.  Leave
    it off for text copied from elsewhere, whose tab columns often do not line up.

    At most ``max_diagnostics`` diagnostics are listed, the last of them
    ``diagnostics-truncated`` counting the rest (a real report has a few dozen).
    """
    text = _check_input(text, max_chars)
    if not isinstance(max_diagnostics, int) or isinstance(max_diagnostics, bool) or max_diagnostics < 1:
        raise ValueError(f"max_diagnostics must be a positive int, not {max_diagnostics!r}")
    forced = get_template(template) if template is not None else None
    normalized, offsets = normalize(text, labels=label_cores(), words=printed_words())
    if forced is None:
        tmpl, evidence = detect_template(normalized)
    else:
        tmpl, evidence = forced, (f"forced: parse(template={template!r})",)
    ctx = _Context(text, normalized, offsets, grid)
    items = _read_items(tmpl, normalized)
    _report_conversion(ctx, offsets.notes)
    _report_label_variants(ctx)
    section_plan, preamble, preamble_normalized, sections = build_sections(
        items, ctx, tmpl.sections, frozenset(tmpl.table_names), ctx.report_at
    )
    kinds = item_kinds(items, section_plan)
    if not _looks_like_report(items, kinds, len(sections)):
        raise NotAReportError(
            "no report structure found: neither the national tables nor the 一、总体情况 … 六、 sections"
        )
    meta = extract_meta(preamble_normalized, sections, normalized, ctx.report)
    if not any(item.kind in ("row", "group", "block") for item in items) and _pre_standard(meta, sections):
        raise PreStandardReportError(
            f"{meta.title or 'this report'} is a pre-2019 report: it has no national tables "
            "(国办公开办函〔2019〕60号 introduced them); nothing is read from it",
            meta,
        )
    tables = _build_tables(ctx, tmpl, items, kinds)
    if not evidence:
        ctx.report(
            "template-assumed",
            f"the text prints none of the table words that tell the national formats apart; "
            f"read as {tmpl.name}, the default (pass template= to choose)",
        )
    report = Report(
        template=tmpl.name,
        meta=meta,
        preamble=preamble,
        sections=sections,
        **tables,
        diagnostics=tuple(ctx.diagnostics),
        template_evidence=evidence,
    )
    if infer:
        report = infer_missing(report)
    if len(report.diagnostics) > max_diagnostics:
        report = evolve(report, diagnostics=capped(report.diagnostics, max_diagnostics))
    if strict and any(d.severity != "info" for d in report.diagnostics):
        raise ParseError([d for d in report.diagnostics if d.severity != "info"])
    return report


def capped(diagnostics: Sequence[Diagnostic], limit: int) -> tuple[Diagnostic, ...]:
    """The first ``limit - 1`` diagnostics, then one counting the others by code and naming
    every cell they name (a bounded set: the template's keys), so no cell loses its warning."""
    kept, rest = tuple(diagnostics[: limit - 1]), diagnostics[limit - 1 :]
    counts = Counter(d.code for d in rest)
    listed = ", ".join(f"{code} {n:,}" for code, n in counts.most_common())
    keys = tuple(sorted({key for d in rest for key in d.keys}))
    severity = "info" if all(d.severity == "info" for d in rest) else "warning"
    first = rest[0]
    more = Diagnostic(
        "diagnostics-truncated",
        f"{len(rest):,} more diagnostic(s) not listed ({listed}); pass max_diagnostics= to list more",
        first.line,
        first.column,
        "",
        severity,
        keys,
    )
    return (*kept, more)


def _read_items(template: Template, normalized: str) -> list[Item]:
    try:
        return parse_items(parser_for(template.name), normalized)  # type: ignore[no-any-return]
    except lark.exceptions.LarkError as exc:  # the grammar accepts any text; this is a bug if it happens
        raise NotAReportError(f"the text could not be read: {exc.__class__.__name__}") from None


def _report_conversion(ctx: _Context, notes: Sequence[str]) -> None:
    """What the normaliser did to the script of the text."""
    for note in notes:
        if note == "traditional-converted":
            ctx.report(
                "traditional-text",
                "the text is in Traditional characters; it was converted to Simplified (OpenCC t2s) before reading",
                severity="info",
            )
        elif note == "traditional-unconverted":
            ctx.report(
                "traditional-text",
                "the text is in Traditional characters and OpenCC is not installed, so "
                "labels such as 規範性文件 cannot be read: pip install 'govreport[traditional]'",
            )


def _report_label_variants(ctx: _Context) -> None:
    """Label phrases printed in Taiwan/HK wording and read as the national ones (normalize)."""
    seen: dict[tuple[str, str], list[Any]] = {}
    for found in ctx.offsets.label_variants:
        seen.setdefault((found.variant, found.national), []).append(found)
    for (variant, national), each in seen.items():
        line, column = ctx.offsets.position(each[0].start)
        times = f" ({len(each)} times)" if len(each) > 1 else ""
        message = f"{variant} (Taiwan/HK wording of a label) was read as {national}{times}"
        raw = ctx.original[each[0].start : each[0].end]
        ctx.diagnostics.append(Diagnostic("label-variant", message, line, column, raw, "info"))


def _build_tables(
    ctx: _Context, template: Template, items: Sequence[Item], kinds: Sequence[str | None]
) -> dict[str, Any]:
    """Placement, then the model's tables, with the diagnostics about whole tables."""
    layouts = build_layouts(items, template, kinds, ctx.text, ctx.offsets.furniture_lines)
    tables: dict[str, Any] = {name: _build_table(ctx, template, layout) for name, layout in layouts.items()}
    for name, table in tables.items():
        if not table.printed:
            keys = [f"{name}.{row.key}.{cell.column}" for row in table.rows for cell in row.cells]
            ctx.report("table-missing", f"table {name} is not in the text", severity="warning", keys=keys)
    _report_truncation(ctx, items, template, tables)
    return tables
