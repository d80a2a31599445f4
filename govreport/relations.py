"""The relations a template declares, applied to one report's rows and columns.

A template declares each relation once, as an equation over row or column keys
(``"total = natural_person + … + other_org"`` for every row, ``"results_total =
sum(results)"`` for every column).  Here they become ``Relation``\\ s over flat keys
for the rows this report actually has: a relation that names a row or column the
report does not have (a single-row variant printed instead of its sub-rows, an
agency's extra row) is not applied.  ``checks`` and ``infer`` evaluate them.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import cast

from attrs import frozen

from .model import Report, Table
from .templates import Equation, Ref, RelationSpec, Template, group_rows

PREVIOUS = "prev:"  # an addend from the previous year's report (series relations)


@frozen
class Relation:
    """``total = sum(addends)`` over flat keys; an addend ``-key`` is subtracted, and
    ``prev:key`` (series relations) is read from the previous year's report."""

    rule: str
    total: str
    addends: tuple[str, ...]
    zh: str
    en: str
    severity: str = "error"

    def terms(self) -> list[tuple[int, str]]:
        """The addends as (sign, key)."""
        return [(-1, a[1:]) if a.startswith("-") else (1, a) for a in self.addends]

    def keys(self) -> tuple[str, ...]:
        """Every key the relation involves, the total first."""
        return (self.total, *(key for _, key in self.terms()))


def relations(report: Report, template: Template) -> Iterator[Relation]:
    """The relations of ``template`` that apply to this report's tables."""
    yield from _expand(template.relations, report, {})


def table_relations(table: Table, template: Template) -> Iterator[Relation]:
    """The relations of ``template`` over one table, for a table still being built."""
    holder = cast(Report, SimpleNamespace(**{table.name: table}))
    yield from _expand(tuple(spec for spec in template.relations if spec.table == table.name), holder, {})


def series_relations(report: Report, template: Template, year: int, previous_year: int) -> Iterator[Relation]:
    """The cross-year relations of ``template`` for ``report`` (the later year)."""
    yield from _expand(template.series, report, {"year": year, "previous_year": previous_year})


def _expand(specs: tuple[RelationSpec, ...], report: Report, names: dict[str, object]) -> Iterator[Relation]:
    """The relations depend only on the specs and on the keys, columns and labels of the
    tables' standard rows, which most reports of a template share: expanded once per shape."""
    tables = dict.fromkeys(spec.table for spec in specs)
    shape = tuple(
        (name, tuple(_RowShape(row.key, row.label, row.columns) for row in getattr(report, name).rows if row.standard))
        for name in tables
    )
    key = (tuple(map(id, specs)), shape, tuple(names.items()))
    cached = _EXPANDED.get(key)
    if cached is None:
        if len(_EXPANDED) >= _MAX_EXPANDED:
            _EXPANDED.clear()
        # The value holds the specs themselves, so no id in a key is reused while it is cached.
        cached = _EXPANDED[key] = (specs, _expanded(specs, dict(shape), names))
    return iter(cached[1])


# Expanded relations by (spec identities, shape, names); dict operations are atomic, so threads
# may share it.  A national corpus has a few dozen shapes per template.
_EXPANDED: dict[tuple[object, ...], tuple[tuple[RelationSpec, ...], tuple[Relation, ...]]] = {}
_MAX_EXPANDED = 512


@frozen
class _RowShape:
    """What relations read of a row."""

    key: str
    label: str
    columns: tuple[str, ...]


def _expanded(
    specs: tuple[RelationSpec, ...], rows_of: dict[str, tuple[_RowShape, ...]], names: dict[str, object]
) -> tuple[Relation, ...]:
    out: list[Relation] = []
    for spec in specs:
        rows = list(rows_of[spec.table])
        if spec.each == "row":
            out.extend(_each_row(spec, rows, names))
        else:
            out.extend(_each_column(spec, rows, names))
    return tuple(out)


def _each_row(spec: RelationSpec, rows: list[_RowShape], names: dict[str, object]) -> Iterator[Relation]:
    refs = _refs(spec.equation)
    for row in rows:
        columns = set(row.columns)
        if not all(ref.name in columns for ref in refs):
            continue

        def key(ref: Ref, row: _RowShape = row) -> str:
            return f"{PREVIOUS if ref.previous else ''}{spec.table}.{row.key}.{ref.name}"

        text = {**names, "row": row.key, "label": row.label or row.key, "column": ""}
        yield _relation(spec, key(spec.equation.total), [(s, key(r)) for s, r in spec.equation.terms], text)


def _each_column(spec: RelationSpec, rows: list[_RowShape], names: dict[str, object]) -> Iterator[Relation]:
    row_keys = [row.key for row in rows]
    present = set(row_keys)
    expanded: list[tuple[int, Ref]] = []
    for sign, ref in spec.equation.terms:
        if ref.group:
            members = group_rows(spec.groups[ref.name], row_keys)
            if not members:
                return
            expanded.extend((sign, Ref(member)) for member in members)
        else:
            expanded.append((sign, ref))
    if not all(ref.name in present or ref.previous for _, ref in [(1, spec.equation.total), *expanded]):
        return
    for column in spec.columns:

        def key(ref: Ref, column: str = column) -> str:
            return f"{PREVIOUS if ref.previous else ''}{spec.table}.{ref.name}.{column}"

        text = {**names, "row": "", "label": "", "column": column}
        yield _relation(spec, key(spec.equation.total), [(s, key(r)) for s, r in expanded], text)


def _refs(equation: Equation) -> list[Ref]:
    return [equation.total, *(ref for _, ref in equation.terms)]


def _relation(spec: RelationSpec, total: str, terms: list[tuple[int, str]], text: dict[str, object]) -> Relation:
    addends = tuple(key if sign > 0 else f"-{key}" for sign, key in terms)
    return Relation(spec.rule, total, addends, spec.zh.format(**text), spec.en.format(**text), spec.severity)
