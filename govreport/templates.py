"""Template data: what a format year prints and how its numbers relate, read from JSON.

A template is two files side by side:

* ``<name>.lark`` – a Lark grammar that ``%import``\\ s the shipped ``core.lark``
  (or another template) and ``%extend``\\ s / ``%override``\\ s what its format changes;
* ``<name>.json`` – the data: which terminal is which row, the columns of each row, the
  canonical flat keys and Chinese labels, how each table is laid out, the section
  headings, and the relations (勾稽关系) its numbers must satisfy.

Everything the pipeline does differently for one format comes from here: no Python
branch names a year or a table.  The JSON is read by one cattrs converter into the
``*Data`` classes below, which mirror the file; ``_build`` then checks what a schema
cannot (references between fields) and makes the ``Template`` the pipeline uses.  Any
problem is a ``TemplateError`` naming the file, the field and the problem.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import cattrs
from attrs import evolve, field, fields, frozen

from .errors import TemplateError
from .model import Report, Table
from .strict_json import strict_converter

ColumnType = Literal["int", "signed_int", "decimal"]
TableLayoutName = Literal["rows", "one_line"]

#: The tables of the national format, as the model names them (``Report.disclosure`` …).
TABLE_NAMES: tuple[str, ...] = tuple(a.name for a in fields(Report) if a.type in (Table, "Table"))


# ----------------------------------------------------------------- the JSON file, field by field


@frozen
class ColumnData:
    key: str
    label: str
    type: ColumnType = "int"
    unit: str | None = None


@frozen
class RowData:
    key: str
    path: str
    columns: str  # the name of a column set
    terminal: str | None = None
    variant_of: tuple[str, ...] = ()


@frozen
class TableData:
    rows: tuple[RowData, ...]
    layout: TableLayoutName = "rows"
    terminal_prefix: str = ""  # head terminals named <prefix>… belong to this table
    blocks: bool = False  # block headers (第二十条第(一)项) belong to this table
    label_notes: bool = False  # a note printed in a row label (规章(县级无此项)) is reported
    column_terminals: tuple[str, ...] = ()  # one-line tables: the terminals of the column headers
    groups: dict[str, tuple[str, ...]] = field(factory=dict)  # name -> row key patterns


@frozen
class RelationData:
    rule: str
    table: str
    each: Literal["row", "column"]
    equation: str
    zh: str
    en: str
    columns: str | None = None  # each=column: the column set whose columns the equation runs over
    severity: Literal["error", "warning"] = "error"


@frozen
class SectionData:
    kind: str
    words: str  # a regular expression that the heading's text matches
    number: str = ""  # the number the national format gives the section (一 … 六): its place in the order
    heading: str = ""  # a regular expression of the heading's wording in the national format and its variants


@frozen
class TemplateData:
    name: str
    years: tuple[int, int | None]
    columns: dict[str, tuple[ColumnData, ...]]
    tables: dict[str, TableData]
    title: str = ""
    grammar: str | None = None
    default: bool = False
    detect: tuple[str, ...] = ()
    sections: tuple[SectionData, ...] = ()
    relations: tuple[RelationData, ...] = ()
    series: tuple[RelationData, ...] = ()
    headings: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()


_converter = strict_converter()


# ----------------------------------------------------------------- what the pipeline uses


@frozen
class Column:
    key: str
    label: str
    type: str = "int"  # "int", "signed_int" or "decimal"
    unit: str | None = None


@frozen
class RowSpec:
    """One row of a template table."""

    table: str
    key: str
    path: str  # the label path as printed, e.g. "三 / （三）不予公开 / 1.属于国家秘密"
    columns: tuple[Column, ...]
    terminal: str | None = None
    variant_of: tuple[str, ...] = ()  # a single row printed instead of these rows

    @property
    def label(self) -> str:
        return self.path.split(" / ")[-1]

    def keys(self) -> list[str]:
        return [f"{self.table}.{self.key}.{c.key}" for c in self.columns]


@frozen
class TableSpec:
    """How one table is printed (see ``TableData`` for the fields)."""

    name: str
    one_line: bool = False  # all values on one line under a multi-row header (table 四)
    terminal_prefix: str = ""
    blocks: bool = False
    label_notes: bool = False
    column_terminals: frozenset[str] = frozenset()
    groups: Mapping[str, tuple[str, ...]] = field(factory=dict)


@frozen
class Ref:
    """A name in an equation: a row or column key, a row group (``sum(results)``), or a
    key of the previous year's report (``prev:carried_forward``)."""

    name: str
    group: bool = False
    previous: bool = False


@frozen
class Equation:
    total: Ref
    terms: tuple[tuple[int, Ref], ...]  # (sign, ref)


@frozen
class RelationSpec:
    """A declared relation: an equation applied to every row or every column of a table."""

    rule: str
    table: str
    each: str  # "row" or "column"
    equation: Equation
    zh: str
    en: str
    columns: tuple[str, ...] = ()  # each=column: the column keys it runs over
    severity: str = "error"
    groups: Mapping[str, tuple[str, ...]] = field(factory=dict)  # the table's row groups


@frozen
class SectionSpec:
    """A kind of section (overview, disclosure, …), the words its heading prints, and where the
    national format puts it: its number (一 … 六, ``rank`` 1 … 6) and its heading's wording."""

    kind: str
    words: re.Pattern[str]
    number: str = ""
    heading: re.Pattern[str] | None = None

    @property
    def rank(self) -> int:
        """1 … 6 for 一 … 六; 0 when the template gives no number."""
        return "一二三四五六七八九十".find(self.number) + 1 if self.number else 0


@frozen
class Template:
    name: str
    title: str
    years: tuple[int, int | None]
    grammar_path: Path = field(eq=False)
    rows: tuple[RowSpec, ...]
    tables: tuple[TableSpec, ...] = ()
    relations: tuple[RelationSpec, ...] = field(default=(), eq=False)
    series: tuple[RelationSpec, ...] = field(default=(), eq=False)
    sections: tuple[SectionSpec, ...] = field(default=(), eq=False)
    detect: tuple[re.Pattern[str], ...] = field(default=(), eq=False)  # header/row words only this format prints
    default: bool = False
    # The section headings and the table header words as printed: with the row and column
    # labels, what starts a new line in text whose line breaks were lost (unglue.py).
    headings: tuple[str, ...] = field(default=(), eq=False)
    headers: tuple[str, ...] = field(default=(), eq=False)

    @cached_property
    def table_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.tables)

    def table(self, name: str) -> TableSpec:
        return self._table_index[name]

    def table_rows(self, table: str) -> tuple[RowSpec, ...]:
        return self._rows_by_table.get(table, ())

    def row_spec(self, table: str, key: str) -> RowSpec | None:
        """The template's row of a table by its key; None for a row it does not have (an extra row)."""
        return next((spec for spec in self.table_rows(table) if spec.key == key), None)

    def row_for_terminal(self, terminal: str) -> RowSpec | None:
        return self._terminal_index.get(terminal)

    def table_for_terminal(self, terminal: str) -> str | None:
        """The table whose head terminals are named with this terminal's prefix."""
        found = self._table_by_terminal.get(terminal, "")
        if found == "":  # not asked before (the memo is bounded by the grammar's terminals)
            found = next(
                (t.name for t in self.tables if t.terminal_prefix and terminal.startswith(t.terminal_prefix)), None
            )
            self._table_by_terminal[terminal] = found
        return found

    def block_table(self) -> str | None:
        return next((t.name for t in self.tables if t.blocks), None)

    def column_type(self, table: str, column: str) -> str | None:
        """The type of a column key in a table (``signed_int`` columns may be negative)."""
        return self._column_types.get((table, column))

    def keys(self, *, variants: bool = False) -> list[str]:
        """The canonical flat keys, in order (without single-row variants by default)."""
        out: list[str] = []
        for row in self.rows:
            if row.variant_of and not variants:
                continue
            out.extend(row.keys())
        return out

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "years": self.years,
            "keys": self.keys(),
            "relations": sorted({r.rule for r in self.relations}),
            "series": sorted({r.rule for r in self.series}),
        }

    @cached_property
    def _table_index(self) -> dict[str, TableSpec]:
        return {t.name: t for t in self.tables}

    @cached_property
    def _rows_by_table(self) -> dict[str, tuple[RowSpec, ...]]:
        return {t.name: tuple(r for r in self.rows if r.table == t.name) for t in self.tables}

    @cached_property
    def _terminal_index(self) -> dict[str, RowSpec]:
        return {r.terminal: r for r in self.rows if r.terminal}

    @cached_property
    def _table_by_terminal(self) -> dict[str, str | None]:
        return {}

    @cached_property
    def _column_types(self) -> dict[tuple[str, str], str]:
        types: dict[tuple[str, str], str] = {}
        for row in self.rows:
            for column in row.columns:
                if types.get((row.table, column.key)) != "signed_int":
                    types[(row.table, column.key)] = column.type
        return types


# ----------------------------------------------------------------- loading


def load_template(data: Mapping[str, Any], source: Path, grammar_path: Path | None = None) -> Template:
    """A ``Template`` from the parsed JSON of ``source``; ``TemplateError`` if it is not valid.

    ``grammar_path`` defaults to the file the data's ``grammar`` field names, beside ``source``.
    """
    try:
        parsed = _converter.structure(dict(data), TemplateData)
    except cattrs.BaseValidationError as exc:
        problems = "; ".join(cattrs.transform_error(exc, path="$"))
        raise TemplateError(f"invalid template data in {source.name}: {problems}") from None
    if grammar_path is None:
        if parsed.grammar is None:
            raise TemplateError(f"invalid template data in {source.name}: $.grammar: required field missing")
        grammar_path = source.parent / parsed.grammar
    return _Builder(parsed, source.name).build(grammar_path)


class _Builder:
    """Checks the references between fields of a parsed template file, and builds the ``Template``."""

    def __init__(self, data: TemplateData, file: str) -> None:
        self.data = data
        self.file = file

    def fail(self, where: str, problem: str) -> TemplateError:
        return TemplateError(f"invalid template data in {self.file}: $.{where}: {problem}")

    def build(self, grammar_path: Path) -> Template:
        data = self.data
        start, end = data.years
        if end is not None and end < start:
            raise self.fail("years", f"the last year {end} is before the first year {start}")
        if set(data.tables) != set(TABLE_NAMES):
            raise self.fail(
                "tables", f"must be exactly the tables {', '.join(TABLE_NAMES)}, not {', '.join(data.tables)}"
            )
        rows = tuple(self._rows())
        template = Template(
            name=data.name,
            title=data.title,
            years=(start, end),
            grammar_path=grammar_path,
            rows=rows,
            tables=tuple(self._table(name) for name in TABLE_NAMES),
            sections=tuple(self._section(i, s) for i, s in enumerate(data.sections)),
            detect=tuple(self._pattern(f"detect[{i}]", p) for i, p in enumerate(data.detect)),
            default=data.default,
            headings=data.headings,
            headers=data.headers,
        )
        relations = tuple(self._relation("relations", i, r, template) for i, r in enumerate(data.relations))
        series = tuple(self._relation("series", i, r, template) for i, r in enumerate(data.series))
        return evolve(template, relations=relations, series=series)

    def _rows(self) -> list[RowSpec]:
        rows: list[RowSpec] = []
        for table in TABLE_NAMES:
            spec = self.data.tables[table]
            keys = {r.key for r in spec.rows}
            for i, row in enumerate(spec.rows):
                where = f"tables.{table}.rows[{i}]"
                if row.columns not in self.data.columns:
                    raise self.fail(f"{where}.columns", f"no column set {row.columns!r} in $.columns")
                unknown = [k for k in row.variant_of if k not in keys]
                if unknown:
                    raise self.fail(f"{where}.variant_of", f"no row {unknown[0]!r} in this table")
                columns = tuple(Column(c.key, c.label, c.type, c.unit) for c in self.data.columns[row.columns])
                rows.append(RowSpec(table, row.key, row.path, columns, row.terminal, row.variant_of))
        return rows

    def _table(self, name: str) -> TableSpec:
        data = self.data.tables[name]
        if data.column_terminals and data.layout != "one_line":
            raise self.fail(f"tables.{name}.column_terminals", "only a one_line table has column terminals")
        return TableSpec(
            name,
            one_line=data.layout == "one_line",
            terminal_prefix=data.terminal_prefix,
            blocks=data.blocks,
            label_notes=data.label_notes,
            column_terminals=frozenset(data.column_terminals),
            groups=dict(data.groups),
        )

    def _pattern(self, where: str, pattern: str) -> re.Pattern[str]:
        try:
            return re.compile(pattern)
        except re.error as exc:
            raise self.fail(where, f"not a valid regular expression: {exc}") from None

    def _section(self, index: int, section: SectionData) -> SectionSpec:
        heading = self._pattern(f"sections[{index}].heading", section.heading) if section.heading else None
        return SectionSpec(
            section.kind, self._pattern(f"sections[{index}].words", section.words), section.number, heading
        )

    def _relation(self, field_name: str, index: int, data: RelationData, template: Template) -> RelationSpec:
        where = f"{field_name}[{index}]"
        if data.table not in TABLE_NAMES:
            raise self.fail(f"{where}.table", f"no table {data.table!r}")
        try:
            equation = parse_equation(data.equation)
        except ValueError as exc:
            raise self.fail(f"{where}.equation", str(exc)) from None
        refs = [equation.total, *(ref for _, ref in equation.terms)]
        if equation.total.previous:
            raise self.fail(f"{where}.equation", "the left side is this year's cell; prev: goes on the right")
        if field_name == "relations" and any(ref.previous for ref in refs):
            raise self.fail(f"{where}.equation", "prev: refers to last year's report; only series relations may")
        rows = template.table_rows(data.table)
        columns: tuple[str, ...] = ()
        if data.each == "row":
            known = {c.key for r in rows for c in r.columns}
            what = "column"
        else:
            if data.columns not in self.data.columns:
                raise self.fail(
                    f"{where}.columns", f"each=column needs a column set of $.columns, not {data.columns!r}"
                )
            columns = tuple(c.key for c in self.data.columns[data.columns])
            known = {r.key for r in rows}
            what = "row"
        groups = template.table(data.table).groups
        for ref in refs:
            if ref.group and ref.name not in groups:
                raise self.fail(f"{where}.equation", f"no row group {ref.name!r} in $.tables.{data.table}.groups")
            if not ref.group and ref.name not in known:
                raise self.fail(f"{where}.equation", f"no {what} {ref.name!r} in table {data.table}")
        for text in (data.zh, data.en):
            try:
                text.format(row="", label="", column="", year="", previous_year="")
            except (KeyError, IndexError, ValueError) as exc:
                raise self.fail(where, f"message {text!r} has an unknown placeholder: {exc}") from None
        return RelationSpec(
            data.rule, data.table, data.each, equation, data.zh, data.en, columns, data.severity, dict(groups)
        )


_TERM = re.compile(r"\s*([+-])?\s*(?:sum\(\s*([A-Za-z_][\w.]*)\s*\)|(prev:)?([A-Za-z_][\w.]*))\s*")


def parse_equation(text: str) -> Equation:
    """``"total = a + b - c"``, ``"results_total = sum(results)"``, ``"x = prev:x + y"``."""
    left, equals, right = text.partition("=")
    total = _TERM.fullmatch(left)
    if not equals or total is None or total.group(1) or total.group(2):
        raise ValueError(f"not an equation 'key = term + term - term': {text!r}")
    terms: list[tuple[int, Ref]] = []
    position = 0
    while position < len(right):
        match = _TERM.match(right, position)
        if match is None or match.end() == position or (terms and not match.group(1)):
            raise ValueError(f"cannot read the terms of {text!r} at {right[position:]!r}")
        sign = -1 if match.group(1) == "-" else 1
        ref = Ref(match.group(2), group=True) if match.group(2) else Ref(match.group(4), previous=bool(match.group(3)))
        terms.append((sign, ref))
        position = match.end()
    if not terms:
        raise ValueError(f"the equation {text!r} has no terms")
    return Equation(Ref(total.group(4), previous=bool(total.group(3))), tuple(terms))


def group_rows(patterns: tuple[str, ...], row_keys: list[str]) -> list[str]:
    """The row keys, in table order, that a row group's patterns (``denied.*``) match."""
    return [key for key in row_keys if any(fnmatch.fnmatchcase(key, p) for p in patterns)]
