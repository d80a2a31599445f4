"""Printed cells → ``Cell`` values, and value slots → the columns of a row.

The rules are deliberately strict: a value is placed in a column only when the
printed layout says so without doubt.  Otherwise the row's cells are ``None``
and a diagnostic lists the values it could not place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation

from lark import Token

from .model import Cell, Diagnostic, Number, Span
from .templates import Column

SpanOf = Callable[[Token], Span]

_UNIT = re.compile(r"[ ]?(万元|元|件|项|个|批次|条)$")
# One well-formed number: thousands grouped by commas or not at all, no leading zero.
_WELL_FORMED = re.compile(r"[+-]?(?:[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*|0)(?:\.\d+)?")
# Placeholders that mean "no change" in the 2019 本年增/减 column.
_ZERO_WORDS = frozenset({"未增未减"})


def read_cell(column: Column, token: Token, span_of: SpanOf, *, row: str = "") -> tuple[Cell, Diagnostic | None]:
    """Interpret one printed value for ``column`` of ``row`` (``table.row_key``, for messages)."""
    raw = str(token)
    span = span_of(token)
    if token.type == "PLACEHOLDER":
        if raw in _ZERO_WORDS and column.type == "signed_int":
            return Cell(column.key, 0, raw, span, None, "number"), None
        return Cell(column.key, None, raw, span, None, "placeholder"), None
    if raw.isascii() and raw.isdigit() and (raw[0] != "0" or len(raw) == 1):  # most cells: plain digits
        value: Number = Decimal(raw) if column.type == "decimal" else int(raw)
        return Cell(column.key, value, raw, span, column.unit, "number"), None
    unit = None
    text = raw
    match = None if raw[-1:].isdigit() else _UNIT.search(text)
    if match:
        unit = match.group(1)
        text = text[: match.start()]
    # A count or an amount is never signed: a sign before one is a dash or debris.
    well_formed = _WELL_FORMED.fullmatch(text) is not None and (column.type == "signed_int" or text[:1] not in "+-")
    text = text.replace(",", "").lstrip("+")
    key = (f"{row}.{column.key}",) if row else ()
    where = f"{row}.{column.key} ({column.label})" if row else column.label
    try:
        if not well_formed:
            # "0100001", "052.0", "709317,052.0": cells run together, or debris
            raise ValueError(text)
        if column.type == "decimal":
            value = Decimal(text)
        elif "." in text:
            return (
                Cell(column.key, None, raw, span, unit, "missing"),
                Diagnostic(
                    "non-integer-count",
                    f"{where} must be a whole number, the text has {raw!r}",
                    span.line,
                    span.column,
                    raw,
                    keys=key,
                ),
            )
        else:
            value = int(text)
    except (ValueError, InvalidOperation):
        return Cell(column.key, None, raw, span, unit, "missing"), Diagnostic(
            "unreadable-number", f"{where}: cannot read {raw!r} as a number", span.line, span.column, raw, keys=key
        )
    if unit is None and column.unit is not None:
        unit = column.unit
    return Cell(column.key, value, raw, span, unit, "number"), None


def _run_of_zeros(token: Token, count: int) -> bool:
    text = str(token)
    return count > 1 and len(text) == count and set(text) == {"0"}


def windows(slots: Sequence[list[Token]], width: int) -> list[int]:
    """Where ``width`` cells can start in a row of more slots, when only empty slots at its
    ends (padding: a label cell spanning two columns, empty cells after the last column)
    are dropped."""
    leading = next((i for i, s in enumerate(slots) if s), len(slots))
    trailing = next((i for i, s in enumerate(reversed(slots)) if s), len(slots))
    extra = len(slots) - width
    if extra <= 0 or leading == len(slots):
        return []
    return [a for a in range(min(leading, extra) + 1) if extra - a <= trailing]


def cut_windows(slots: Sequence[list[Token]], width: int) -> list[int]:
    """Where ``width`` cells can start in a row the text stops inside, after ``slots``: the
    columns hold every printed value and the cell the text stops in (the slot after the
    last), so only empty slots before the first value can be padding."""
    stop = len(slots)
    first = next((i for i, s in enumerate(slots) if s), stop)
    return list(range(max(0, stop - width + 1), min(first, stop) + 1))


def fit(slots: Sequence[list[Token]], width: int) -> list[list[Token]]:
    """The printed cells of a row without its padding.

    A row that prints exactly ``width`` cells has no padding, and its empty cells are blank
    cells.  A longer row loses empty slots from its ends (``windows``), but only when
    exactly one way of doing so leaves ``width`` cells; otherwise (and for a shorter row)
    every empty slot at the ends goes, and the caller decides whether what is left fits.
    """
    if len(slots) == width:
        return list(slots)
    ways = windows(slots, width)
    if len(ways) == 1:
        return list(slots[ways[0] : ways[0] + width])
    leading = next((i for i, s in enumerate(slots) if s), len(slots))
    trailing = next((i for i, s in enumerate(reversed(slots)) if s), len(slots))
    return list(slots[leading : len(slots) - trailing]) if leading < len(slots) else []


def fit_typed(slots: Sequence[list[Token]], columns: Sequence[Column]) -> list[list[Token]] | None:
    """The one window of ``slots`` (see ``windows``) that puts no amount with decimals in a
    count column, when the padding alone leaves more than one (``政府集中采购 | | 2.3 |``:
    2.3 can only be the amount)."""
    fitting = [
        a
        for a in windows(slots, len(columns))
        if all(
            not slot or column.type == "decimal" or "." not in str(slot[0])
            for slot, column in zip(slots[a : a + len(columns)], columns, strict=True)
        )
    ]
    return list(slots[fitting[0] : fitting[0] + len(columns)]) if len(fitting) == 1 else None


def _cut_row(
    columns: Sequence[Column],
    printed: list[list[Token]],
    span_of: SpanOf,
    blank_span: Span | None,
    row: str,
    *,
    open_end: bool = False,
) -> tuple[tuple[Cell, ...], list[Diagnostic], list[Token]]:
    """A row the text stops inside: its printed cells in order, the rest missing.  With
    ``open_end`` the text goes on, but whether the empty lines after the printed cells are
    blank cells or spacing is not known: the rest are ``unresolved`` (never filled)."""
    cells, diagnostics = _read_slots(columns[: len(printed)], printed, span_of, blank_span, row)
    lost = columns[len(printed) :]
    cells.extend(Cell(c.key, status="unresolved" if open_end else "missing") for c in lost)
    keys = tuple(f"{row}.{c.key}" for c in lost)
    line = blank_span.line if blank_span else None
    column = blank_span.column if blank_span else None
    code, message = (
        (
            "row-unresolved",
            f"{row}: {len(lost)} cell(s) after the {len(printed)} printed: the empty lines before what follows "
            "the table may be blank cells or spacing",
        )
        if open_end
        else (
            "truncated",
            f"{row}: the text ends inside this row; {len(lost)} cell(s) after the {len(printed)} printed are not in it",
        )
    )
    diagnostics.append(Diagnostic(code, message, line, column, "", "warning", keys))
    return tuple(cells), diagnostics, []


def _read_slots(
    columns: Sequence[Column], slots: Sequence[list[Token]], span_of: SpanOf, blank_span: Span | None, row: str
) -> tuple[list[Cell], list[Diagnostic]]:
    """One slot per column: a value read, or an empty slot as a blank cell."""
    cells: list[Cell] = []
    diagnostics: list[Diagnostic] = []
    for column, slot in zip(columns, slots, strict=True):
        if not slot:
            cells.append(Cell(column.key, status="blank", span=blank_span))
            continue
        cell, diagnostic = read_cell(column, slot[0], span_of, row=row)
        cells.append(cell)
        if diagnostic is not None:
            diagnostics.append(diagnostic)
    return cells, diagnostics


def end_in_doubt(slots: Sequence[list[Token]], width: int) -> bool:
    """The row's printed cells (padding dropped by ``fit``) start or end with an empty one:
    where rows pad their ends each their own way, that cell may be padding (and a cell
    lost elsewhere in the row) as well as a blank cell."""
    core = fit(slots, width)
    return len(core) == width and any(core) and (not core[0] or not core[-1])


def place_row(
    columns: Sequence[Column],
    slots: list[list[Token]] | None,
    grid: bool,
    span_of: SpanOf,
    *,
    blank_span: Span | None = None,
    row: str = "",
    aligned: bool = False,
    cut: bool = False,
    cut_value: bool = False,
    first_cell: bool = False,
    open_end: bool = False,
    padded: bool = False,
) -> tuple[tuple[Cell, ...], list[Diagnostic], list[Token]]:
    """Put a row's printed value slots into its columns.

    Empty slots at the ends may be label or colspan padding (see ``fit``), unless
    ``aligned`` says the slots already stand one per column.  An empty slot between
    printed cells is a blank cell.
    ``cut``: the text ends inside the row, so its slots are its first cells; the cells
    after them are missing, with a ``truncated`` diagnostic.  An empty first slot of a cut
    row is a blank cell only when ``first_cell`` says no label padding can precede it.
    ``cut_value``: the text stops inside a value printed after the slots, so that value's
    cell is one of the row's (``cut_windows``).
    ``open_end``: the slots are the row's first cells, and whether the rest are blank is not
    known (see ``_cut_row``).  ``padded``: the table pads the ends of its rows, so an empty
    slot at an end of the row's cells may be padding, not a blank cell.
    Returns the cells, diagnostics, and the value tokens that could not be placed.
    """
    if slots is None:
        return tuple(Cell(c.key) for c in columns), [], []
    if cut_value and not aligned and len(slots) >= len(columns):
        # As many slots as columns before the value the text stops in: some are padding.
        starts = [a for a in cut_windows(slots, len(columns)) if a == 0 or not first_cell]
        if len(starts) != 1:
            return tuple(Cell(c.key) for c in columns), [], [slot[0] for slot in slots if slot]
        slots, first_cell = list(slots[starts[0] :]), True
    if (cut or open_end) and len(slots) < len(columns) and not aligned:
        if slots and not slots[0] and not first_cell:  # a blank first cell or a label's padding?
            lost, diagnostics, _ = _cut_row(columns, [], span_of, blank_span, row)
            return lost, diagnostics, [slot[0] for slot in slots if slot]
        return _cut_row(columns, list(slots), span_of, blank_span, row, open_end=not cut)
    if padded and not aligned and end_in_doubt(slots, len(columns)):
        # An empty end slot is padding (and a cell lost) or a blank cell: not certain.
        return tuple(Cell(c.key) for c in columns), [], [slot[0] for slot in slots if slot]
    core = list(slots) if aligned else fit(slots, len(columns))
    if len(core) != len(columns) and not aligned:
        core = fit_typed(slots, columns) or core
    if not any(core):  # only separators: the row is printed with empty cells
        status = "blank" if grid else "missing"
        return tuple(Cell(c.key, status=status, span=blank_span if grid else None) for c in columns), [], []
    tokens = [slot[0] for slot in core if slot]
    if len(core) == 1 and _run_of_zeros(tokens[0], len(columns)):
        # "0000000" where seven cells are expected: the only reading is seven zeros.
        token = tokens[0]
        span = span_of(token)
        zeros = tuple(Cell(c.key, Decimal(0) if c.type == "decimal" else 0, "0", span, None, "split") for c in columns)
        note = Diagnostic(
            "split-zeros",
            f"{row}: {token!s} read as {len(columns)} cells of 0 (cells printed without separators)",
            span.line,
            span.column,
            str(token),
            "info",
            tuple(f"{row}.{c.key}" for c in columns) if row else (),
        )
        return zeros, [note], []
    if len(core) == len(columns):
        cells, diagnostics = _read_slots(columns, core, span_of, blank_span, row)
        return tuple(cells), diagnostics, []
    return tuple(Cell(c.key) for c in columns), [], tokens
