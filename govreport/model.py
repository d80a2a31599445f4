"""The data model: frozen attrs classes for a parsed report.

The tables are generic (``Table`` → ``Row`` → ``Cell``) so that a template year is
data, not code: the rows and columns a table has come from the template's data
file.  Attribute access is sugar over that structure, so both of these work::

    report.applications.new.total          # -> 0 (the value)
    report.cell("applications.new.total")  # -> Cell(value=0, raw="0", span=...)

Every parsed value keeps its raw text and its ``Span`` in the user's input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from attrs import evolve, field, frozen

Number = int | Decimal


class UnknownKeyError(KeyError):
    """A lookup (``Report.cell``, ``Table.row``, ``Row.cell``) by a key the report does not
    have.  A ``KeyError``, with a message that says which part of the key is unknown."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


@frozen
class Span:
    """Where a piece of text sits in the *original* input (1-based line/column)."""

    line: int
    column: int
    end_line: int
    end_column: int
    start: int  # 0-based character offset
    end: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


@frozen
class Origin:
    """Where a cell (or a diagnostic) sits in the source *document*, beyond the extracted
    text its ``Span`` points into: the page and box of a PDF, the table/row/column of an
    HTML or Word table.  ``None`` fields are not known for that kind of input."""

    page: int | None = None  # PDF/OFD: 1-based page number
    bbox: tuple[float, float, float, float] | None = None  # PDF points: x0, top, x1, bottom (top-left origin)
    table: int | None = None  # HTML/DOCX: 1-based index of the table in the document
    row: int | None = None  # 1-based row within that table (as printed, merged cells expanded)
    column: int | None = None  # 1-based column within that row
    confidence: float | None = None  # scanned PDF: the OCR score of the text, 0..1 (readers/ocr.py)

    def __str__(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"p.{self.page}")
        if self.table is not None:
            parts.append(f"table {self.table} row {self.row} col {self.column}")
        if self.confidence is not None:
            parts.append(f"OCR {self.confidence:.2f}")
        return " ".join(parts)


@frozen
class Cell:
    """One cell of a table, as printed.

    ``value`` is ``None`` when the cell is blank, holds a placeholder such as ``/``
    or ``—``, or could not be read with certainty.  ``status`` says which.
    """

    column: str
    value: Number | None = None
    raw: str = ""
    span: Span | None = None
    unit: str | None = None
    status: str = "missing"  # see CELL_STATUSES
    inferred: bool = False
    origin: Origin | None = None  # page/box or table position in the source document (parse_file)


CELL_STATUSES = {
    "number": "a number printed in the cell",
    "blank": "the cell is printed empty",
    "placeholder": "the cell holds /, -, —, 无 or a similar mark",
    "missing": "the cell is not in the text: lost (OCR, a cut) or its row is not printed; inference may fill it",
    "unresolved": "the row prints values that could not be tied to this cell with certainty (see the diagnostic); "
    "never filled",
    "inferred": "not printed; filled from the table's arithmetic (see govreport.infer)",
    "split": "printed glued to other cells' digits (0000000, 77132470); split by the only reading the "
    "table's arithmetic allows (see govreport.split)",
    "ocr": "a number read by OCR from a scanned page, with its score in origin.confidence (see docs/ocr.md)",
}


@frozen
class Row:
    """A row of a table: its canonical key, the label as printed, and its cells."""

    key: str
    label: str = ""
    cells: tuple[Cell, ...] = ()
    span: Span | None = None
    standard: bool = True  # False for rows an agency added to the official table

    def cell(self, column: str) -> Cell:
        for cell in self.cells:
            if cell.column == column:
                return cell
        raise UnknownKeyError(f"row {self.key!r} has no column {column!r} (columns: {', '.join(self.columns)})")

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c.column for c in self.cells)

    def values(self) -> dict[str, Number | None]:
        return {c.column: c.value for c in self.cells}

    def __getattr__(self, name: str) -> Number | None:
        if name.startswith("_"):
            raise AttributeError(name)
        cells: tuple[Cell, ...] = object.__getattribute__(self, "cells")
        for cell in cells:
            if cell.column == name:
                return cell.value
        raise AttributeError(f"row {self.key!r} has no column {name!r}")


class _RowPath:
    """Attribute sugar for multi-part row keys, e.g. ``table.denied.state_secret``."""

    def __init__(self, table: Table, prefix: str) -> None:
        self._table = table
        self._prefix = prefix

    def __getattr__(self, name: str) -> Any:
        return self._table._lookup(f"{self._prefix}.{name}")

    def __repr__(self) -> str:
        return f"<rows {self._table.name}.{self._prefix}.*>"


@frozen
class Table:
    """One of the three tables: ``disclosure``, ``applications`` or ``appeals``."""

    name: str
    rows: tuple[Row, ...] = ()
    span: Span | None = None
    printed: bool = False  # False when the table does not appear in the text at all

    def row(self, key: str) -> Row:
        for row in self.rows:
            if row.key == key:
                return row
        raise UnknownKeyError(f"table {self.name!r} has no row {key!r}")

    def with_cells(self, changes: Mapping[str, Cell]) -> Table:
        """A copy with the cells at the given flat keys (``table.row.column``) replaced."""
        rows = tuple(
            evolve(row, cells=tuple(changes.get(f"{self.name}.{row.key}.{c.column}", c) for c in row.cells))
            for row in self.rows
        )
        return evolve(self, rows=rows)

    def _lookup(self, key: str) -> Any:
        for row in self.rows:
            if row.key == key:
                return row
        prefix = key + "."
        if any(row.key.startswith(prefix) for row in self.rows):
            return _RowPath(self, key)
        raise AttributeError(f"table {self.name!r} has no row {key!r}")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._lookup(name)


@frozen
class Diagnostic:
    """Something the parser could not place or was unsure about.

    ``code`` is stable (see docs/errors.md); ``raw`` is the input text involved.
    """

    code: str
    message: str
    line: int | None = None
    column: int | None = None
    raw: str = ""
    severity: str = "warning"  # "info", "warning" or "error"
    keys: tuple[str, ...] = ()
    page: int | None = None  # PDF/OFD: the page of ``line`` (parse_file)

    def __str__(self) -> str:
        where = f"{self.line}:{self.column}: " if self.line is not None else ""
        return f"{where}{self.code}: {self.message}"


@frozen
class Section:
    """A numbered section (一、…六、) or a sub-heading inside one."""

    number: str
    heading: str
    kind: str = "other"  # overview, disclosure, applications, appeals, problems, other
    level: int = 1
    text: str = ""
    subsections: tuple[Section, ...] = ()
    span: Span | None = None

    @property
    def full_text(self) -> str:
        """The text with every sub-section's heading and text, in reading order."""
        parts = [self.text] if self.text else []
        for sub in self.subsections:
            parts += [p for p in (sub.heading, sub.full_text) if p]
        return "\n".join(parts)


@frozen
class Meta:
    """What the report says about itself."""

    title: str = ""
    agency: str = ""
    year: int | None = None
    signed_on: str | None = None  # ISO date of the signature at the end, if printed
    signed_by: str = ""


@frozen
class Source:
    """The file a report was read from (``parse_file``); spans point into the text read from it."""

    kind: str  # "text", "html", "pdf" or "docx"
    name: str = ""  # the path, or "<bytes>"
    encoding: str | None = None  # text and HTML: the encoding the bytes were in
    pages: int | None = None  # PDF: the number of pages


@frozen
class Report:
    """A parsed 政府信息公开工作年度报告."""

    template: str
    meta: Meta = field(factory=Meta)
    preamble: str = ""  # the text before 一、总体情况 (title lines, introduction)
    sections: tuple[Section, ...] = ()
    disclosure: Table = field(factory=lambda: Table("disclosure"))
    applications: Table = field(factory=lambda: Table("applications"))
    appeals: Table = field(factory=lambda: Table("appeals"))
    diagnostics: tuple[Diagnostic, ...] = ()
    template_evidence: tuple[str, ...] = ()
    source: Source | None = None  # set by parse_file: what was read, and how

    @property
    def tables(self) -> tuple[Table, Table, Table]:
        return (self.disclosure, self.applications, self.appeals)

    def section(self, kind: str) -> Section | None:
        """The top-level section of a kind (``overview``, ``disclosure``, ``applications``,
        ``appeals``, ``problems``, ``other``), or None when the text has none.  Its
        ``full_text`` includes its sub-parts."""
        return next((s for s in self.sections if s.kind == kind and s.level == 1), None)

    def cell(self, key: str) -> Cell:
        """The cell behind a flat key such as ``applications.new.total``.

        ``UnknownKeyError`` (a ``KeyError``) names the table, row or column the report lacks.
        """
        table_name, _, rest = key.partition(".")
        row_key, _, column = rest.rpartition(".")
        if not row_key:
            raise UnknownKeyError(f"not a flat key table.row.column (e.g. applications.new.total): {key!r}")
        for table in self.tables:
            if table.name == table_name:
                return table.row(row_key).cell(column)
        names = ", ".join(table.name for table in self.tables)
        raise UnknownKeyError(f"no table {table_name!r} in the report (tables: {names}) for the key {key!r}")

    def value(self, key: str) -> Number | None:
        return self.cell(key).value

    def keyed_cells(self, *, standard: bool = False) -> Iterator[tuple[str, Cell]]:
        """Every cell of the three tables with its flat key, in table and row order
        (``standard=True``: only the official rows, not the ``extra.N`` ones)."""
        for table in self.tables:
            for row in table.rows:
                if standard and not row.standard:
                    continue
                for cell in row.cells:
                    yield f"{table.name}.{row.key}.{cell.column}", cell

    def with_cells(self, changes: Mapping[str, Cell]) -> Report:
        """A copy with the cells at the given flat keys replaced (e.g. corrections)."""
        tables: dict[str, Any] = {t.name: t.with_cells(changes) for t in self.tables}
        return evolve(self, **tables)

    def __repr__(self) -> str:
        """One line (a notebook prints the repr of the last value; the full one ran to ~40k
        characters): ``<Report 2021 淮安市人民政府 2024: 3 tables, 200 cells (200 number), 0 diagnostics>``.
        The whole structure is in ``govreport.to_dict(report)``."""
        counts: dict[str, int] = {}
        for _, cell in self.keyed_cells():
            counts[cell.status] = counts.get(cell.status, 0) + 1
        order = [s for s in CELL_STATUSES if s in counts] + sorted(s for s in counts if s not in CELL_STATUSES)
        statuses = ", ".join(f"{counts[s]} {s}" for s in order) or "none"
        who = " ".join(str(part) for part in (self.meta.agency or "?", self.meta.year or "?"))
        printed = sum(table.printed for table in self.tables)
        cells = sum(len(row.cells) for table in self.tables for row in table.rows)
        return (
            f"<Report {self.template} {who}: {printed} tables, {cells} cells ({statuses}), "
            f"{len(self.diagnostics)} diagnostics>"
        )

    def _repr_html_(self) -> str | None:
        """The three tables, in a notebook (Jupyter calls this).  The renderer is
        ``govreport.view.render_tables``, registered when govreport is imported: the model
        imports nothing of the pipeline (templates, checks) that the tables are drawn with."""
        return _html_renderer[0](self) if _html_renderer else None


# ``Report._repr_html_`` draws with this (``govreport.view`` sets it on import).
_html_renderer: list[Callable[[Report], str]] = []


def set_html_renderer(render: Callable[[Report], str]) -> None:
    """Make ``render`` what ``Report._repr_html_`` shows (the last one set wins)."""
    _html_renderer[:] = [render]


@frozen
class Finding:
    """One relation that does not hold, or cannot be checked."""

    rule: str
    severity: str  # "error" or "warning"
    status: str  # "failed", "not_checkable" or "suspected_misread"
    message_zh: str
    message_en: str
    keys: tuple[str, ...]
    expected: Number | None = None
    actual: Number | None = None
    equation_zh: str = ""  # the relation with the printed numbers put in, e.g. "（七）总计 自然人 = 2932 ≠ 2930 = …"
    equation_en: str = ""

    def __str__(self) -> str:
        if self.status == "failed":
            return f"{self.rule} {self.severity}: {self.message_en} (expected {self.expected}, printed {self.actual})"
        return f"{self.rule} not checkable: {self.message_en}"
