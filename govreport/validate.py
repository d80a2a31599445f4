"""Is a ``Report`` whole for its template?  What ``from_json`` checks after the types.

A report the parser makes is whole: its template is registered; each table sits under
its own name; a table has the template's rows in the template's order (a single-row
variant such as 2021 （六）其他处理 in place of its sub-rows, or the sub-rows), then any
rows the agency added (``extra.N``, ``standard`` false); a template row has the
template's columns in order, an extra row each column once; every cell has a status of
``CELL_STATUSES``, a value exactly when the status is one that holds one, the
``inferred`` flag exactly when the status is ``inferred``, and a value of its column's
type (a count is an int; an amount an int or a Decimal); every diagnostic a severity of
``SEVERITIES``; a cell's ``origin`` and a diagnostic's ``page`` are places that can be
(pages, tables, rows and columns from 1, a box of four finite numbers, x0 <= x1, top <= bottom).
``check``, ``flatten``, ``to_frame`` and ``Report.cell`` rely on this,
so a loaded report must be whole; a report built by hand can be tested with ``problems``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal

from .errors import UnknownTemplateError
from .model import CELL_STATUSES, Cell, Origin, Report, Row, Table
from .registry import get_template
from .templates import TABLE_NAMES, RowSpec, Template

SEVERITIES = ("info", "warning", "error")  # a diagnostic's (model.Diagnostic.severity)
VALUED_STATUSES = frozenset({"number", "inferred", "split", "ocr"})  # the statuses whose cell holds a value
EXTRA_ROW = re.compile(r"extra\.[1-9][0-9]*", re.ASCII)  # the key of a row an agency added
_COUNT_TYPES = frozenset({"int", "signed_int"})


def problems(report: Report) -> list[str]:
    """What keeps ``report`` from being whole, each as ``"<problem> @ <path>"`` with the path
    of the problem in the report's JSON (``$.applications.rows[3].key``); empty when whole."""
    found = [
        f"unknown severity {d.severity!r} (one of {', '.join(SEVERITIES)}) @ $.diagnostics[{i}].severity"
        for i, d in enumerate(report.diagnostics)
        if d.severity not in SEVERITIES
    ]
    found.extend(
        f"a page is numbered from 1, not {d.page} @ $.diagnostics[{i}].page"
        for i, d in enumerate(report.diagnostics)
        if d.page is not None and d.page < 1
    )
    try:
        template = get_template(report.template)
    except UnknownTemplateError as exc:
        hint = "; a template of your own is read back after govreport.register_template()"
        return [f"{exc}{hint} @ $.template", *found]
    tables = [_table(template, name, getattr(report, name)) for name in TABLE_NAMES]
    return [problem for table in tables for problem in table] + found


def _table(template: Template, name: str, table: Table) -> list[str]:
    where = f"$.{name}"
    if table.name != name:
        return [f"the table under {name!r} is named {table.name!r} @ {where}.name"]
    specs = {spec.key: spec for spec in template.table_rows(name)}
    found: list[str] = []
    first: dict[str, int] = {}  # row key -> index of its first row
    standard: list[tuple[int, str]] = []  # (index, key) of the template's rows, as they come
    for index, row in enumerate(table.rows):
        at = f"{where}.rows[{index}]"
        if row.key in first:
            found.append(f"row {row.key!r} twice (first at rows[{first[row.key]}]) @ {at}.key")
            continue
        first[row.key] = index
        spec = specs.get(row.key)
        if spec is None and row.standard:
            found.append(
                f"no row {row.key!r} in table {name} of template {template.name} "
                f"(an agency's own row is extra.N with standard false) @ {at}.key"
            )
            continue
        if spec is None and not EXTRA_ROW.fullmatch(row.key):
            found.append(f"an agency's own row is keyed extra.N (N = 1, 2, ...), not {row.key!r} @ {at}.key")
            continue
        if spec is not None and not row.standard:
            found.append(f"{row.key!r} is a template row, so standard is true (false is for extra.N) @ {at}.standard")
        if spec is not None:
            standard.append((index, row.key))
        found.extend(_cells(template, row, spec, at))
    found.extend(_rows_as_printed(name, list(specs.values()), standard, where))
    return found


def _row_key(table: str, key: str) -> str:
    """``applications.other_handling.misc`` → ``other_handling.misc`` (a ``variant_of`` entry)."""
    return key.split(".", 1)[1] if key.startswith(table + ".") else key


def _rows_as_printed(name: str, specs: Sequence[RowSpec], standard: list[tuple[int, str]], where: str) -> Iterator[str]:
    """The template's rows, each variant printed either as its single row or as its sub-rows
    (never both, never part of them), in the template's order."""
    present = {key: index for index, key in standard}
    replaced: set[str] = set()
    for spec in specs:
        if not spec.variant_of or spec.key not in present:
            continue
        parts = [_row_key(name, key) for key in spec.variant_of]
        replaced.update(parts)
        both = [key for key in parts if key in present]
        if both:
            yield (
                f"row {spec.key!r} stands for the rows {', '.join(map(repr, parts))}, "
                f"which are here too (rows[{present[both[0]]}]) @ {where}.rows[{present[spec.key]}].key"
            )
    expected = [s.key for s in specs if s.key not in replaced and (s.key in present or not s.variant_of)]
    missing = [key for key in expected if key not in present]
    if missing:
        yield f"missing row(s) {_listed(missing)} of the template @ {where}.rows"
    order = [key for key in expected if key in present]
    shown = [(index, key) for index, key in standard if key not in replaced]
    for (index, key), wanted in zip(shown, order, strict=False):
        if key != wanted:
            yield f"row {key!r} out of the template's order: {wanted!r} comes here @ {where}.rows[{index}].key"
            return


def _cells(template: Template, row: Row, spec: RowSpec | None, where: str) -> Iterator[str]:
    types = {column.key: column.type for column in spec.columns} if spec is not None else {}
    seen: dict[str, int] = {}
    for index, cell in enumerate(row.cells):
        at = f"{where}.cells[{index}]"
        if cell.column in seen:
            yield f"column {cell.column!r} twice (first at cells[{seen[cell.column]}]) @ {at}.column"
            continue
        seen[cell.column] = index
        if spec is not None and cell.column not in types:
            yield f"no column {cell.column!r} in row {row.key!r} of template {template.name} @ {at}.column"
            continue
        yield from _cell(cell, types.get(cell.column), at)
    if spec is None:
        return
    missing = [c.key for c in spec.columns if c.key not in seen]
    if missing:
        yield f"missing column(s) {_listed(missing)} of row {row.key!r} @ {where}.cells"
    order = [c.key for c in spec.columns if c.key in seen]
    printed = [(i, c.column) for i, c in enumerate(row.cells) if seen.get(c.column) == i and c.column in types]
    for (index, column), wanted in zip(printed, order, strict=False):
        if column != wanted:
            yield f"column {column!r} out of the template's order: {wanted!r} here @ {where}.cells[{index}].column"
            return


def _cell(cell: Cell, kind: str | None, at: str) -> Iterator[str]:
    """A cell's status, its value against the status, its value against the column type
    (``kind``; None for an extra row's column, which may hold a count or an amount)."""
    if cell.origin is not None:
        yield from _origin(cell.origin, f"{at}.origin")
    if cell.status not in CELL_STATUSES:
        yield f"unknown cell status {cell.status!r} (one of {', '.join(CELL_STATUSES)}) @ {at}.status"
        return
    if cell.inferred != (cell.status == "inferred"):
        yield f"inferred is {str(cell.inferred).lower()} for a cell of status {cell.status!r} @ {at}.inferred"
    if cell.status in VALUED_STATUSES and cell.value is None:
        yield f"a cell of status {cell.status!r} holds a value, not null @ {at}.value"
    elif cell.status not in VALUED_STATUSES and cell.value is not None:
        yield f"a cell of status {cell.status!r} holds no value (null), not {cell.value!r} @ {at}.value"
    elif kind in _COUNT_TYPES and isinstance(cell.value, Decimal):
        yield f"a count (column type {kind}) is a JSON integer, not the decimal {str(cell.value)!r} @ {at}.value"


def _origin(origin: Origin, at: str) -> Iterator[str]:
    """A place in a document: numbers from 1, a box of four finite numbers with its corners in order."""
    for name in ("page", "table", "row", "column"):
        number = getattr(origin, name)
        if number is not None and number < 1:
            yield f"a {name} is numbered from 1, not {number} @ {at}.{name}"
    if origin.confidence is not None and not 0 <= origin.confidence <= 1:
        yield f"an OCR confidence is between 0 and 1, not {origin.confidence!r} @ {at}.confidence"
    box = origin.bbox
    if box is None:
        return
    if len(box) != 4 or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in box):
        yield f"a box is four numbers [x0, top, x1, bottom], not {list(box)!r} @ {at}.bbox"
    elif not all(math.isfinite(v) for v in box):
        yield f"a box is four finite numbers, not {list(box)!r} @ {at}.bbox"
    elif box[0] > box[2] or box[1] > box[3]:
        yield f"a box is [x0, top, x1, bottom] with x0 <= x1 and top <= bottom, not {list(box)!r} @ {at}.bbox"


def _listed(keys: Sequence[str], most: int = 6) -> str:
    shown = ", ".join(map(repr, keys[:most]))
    return shown + (f" and {len(keys) - most} more" if len(keys) > most else "")
