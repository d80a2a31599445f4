"""Fill missing cells that the table's arithmetic determines uniquely.

The relations of ``checks.relations`` are linear equations over the cells.  With
the printed values fixed, the missing cells are the unknowns.  A cell is filled
only when *every* solution of the equations gives it the same value:

* exact linear algebra (reduced row echelon form over fractions): an unknown whose
  row in the reduced system has no free variable is determined;
* non-negativity: when a total is 0, every part of it is 0 (counts are never
  negative), however many parts are missing.

A filled value must be a non-negative whole number; otherwise nothing is filled
(the check then reports the contradiction).  Printed values are never changed.
Each filled cell gets ``inferred=True`` and ``status="inferred"``, and the report an
``inferred`` diagnostic naming the cell and the relations used.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

from attrs import evolve, frozen

from .model import Cell, Diagnostic, Number, Report
from .registry import get_template
from .relations import Relation, relations
from .templates import Template

# Only a cell the input lost may be filled; a cell printed blank stays blank (None), and an
# equation with a blank cell in it is not used (whether the blank means 0 is not known).
FILLABLE = frozenset({"missing"})


def _terms(relation: Relation) -> list[tuple[int, str]]:
    """The relation as ``sum(sign * cell) == 0``."""
    return [(-1, relation.total), *relation.terms()]


def _signed(template: Template, key: str) -> bool:
    table, _, rest = key.partition(".")
    return template.column_type(table, rest.rsplit(".", 1)[-1]) == "signed_int"


def _cells(report: Report) -> dict[str, Cell]:
    return dict(report.keyed_cells())


Equation = tuple[dict[str, Fraction], Fraction]  # sum(coef * unknown) == rhs


def _reduce(
    coefs: dict[str, Fraction], rhs: Fraction, by: dict[str, Fraction], by_rhs: Fraction, var: str
) -> tuple[dict[str, Fraction], Fraction]:
    """Subtract ``coefs[var]`` times the row ``by`` (whose ``var`` coefficient is 1)."""
    m = coefs[var]
    out = dict(coefs)
    for k, v in by.items():
        out[k] = out.get(k, Fraction(0)) - m * v
    return {k: v for k, v in out.items() if v}, rhs - m * by_rhs


def _solve(equations: list[Equation]) -> dict[str, Fraction]:
    """The unknowns that every solution of the equations fixes (Gauss–Jordan elimination).

    In reduced row echelon form a variable is fixed exactly when it is a pivot and
    its row holds no free variable.  Values are checked against every equation
    afterwards, so a contradiction in the printed numbers never yields a value.

    (``infer`` runs the same elimination through ``_eliminate``, once per system of
    equations, and applies it to each report's numbers; this is the reference.)
    """
    pivots: list[tuple[str, dict[str, Fraction], Fraction]] = []
    for coefs, rhs in equations:
        for var, row, row_rhs in pivots:
            if var in coefs:
                coefs, rhs = _reduce(coefs, rhs, row, row_rhs, var)
        if not coefs:
            continue  # redundant, or contradictory (caught by the check below)
        var = min(coefs)
        factor = coefs[var]
        coefs = {k: v / factor for k, v in coefs.items()}
        rhs = rhs / factor
        pivots = [
            (p, *_reduce(row, row_rhs, coefs, rhs, var)) if var in row else (p, row, row_rhs)
            for p, row, row_rhs in pivots
        ]
        pivots.append((var, coefs, rhs))
    fixed = {var: rhs for var, row, rhs in pivots if len(row) == 1}
    for coefs, rhs in equations:
        if set(coefs) <= set(fixed) and sum(c * fixed[k] for k, c in coefs.items()) != rhs:
            for k in coefs:
                fixed.pop(k, None)
    return fixed


# ----------------------------------------------------------------- the same, cached per system
#
# The relations of a template over a report's rows, and which of their cells are printed,
# blank or lost, are the same for every report printed the same way; only the printed
# numbers differ.  The elimination's steps depend only on the coefficients, so it is done
# once per system with each pivot's right-hand side kept as a combination of the equations'
# right-hand sides, and each report only evaluates those combinations (in integers while its
# numbers are whole).  Same steps, exact arithmetic: the same values as ``_solve``.

Combination = tuple[tuple[int, Fraction | int], ...]  # ((equation index, factor), ...)


@frozen
class _Rel:
    """A relation as ``infer`` reads it."""

    rule: str
    total: str
    terms: tuple[tuple[int, str], ...]  # (sign, key), the total first with sign -1
    unsigned_parts: tuple[str, ...] | None  # the addends that may not be negative; None: one is subtracted


@frozen
class _Relations:
    """The relations of a template over one shape of report, and the rules naming each key."""

    rels: tuple[_Rel, ...]
    rules: dict[str, str]  # key -> "rule+rule" of every relation it is in
    absent: frozenset[str]  # keys of the relations that are no cell of the report


@frozen
class _System:
    """The equations for one split of the cells into printed, lost and unusable, eliminated."""

    equations: tuple[tuple[dict[str, int], tuple[tuple[int, str], ...]], ...]  # (coefs, printed terms)
    fixed: tuple[tuple[str, Combination], ...]  # pivot -> its value as a combination of right-hand sides


_CACHE_SIZE = 256
_relations_cache: dict[tuple[int, tuple[object, ...]], tuple[Template, _Relations]] = {}
_system_cache: dict[tuple[int, tuple[object, ...], frozenset[str], frozenset[str]], tuple[Template, _System]] = {}


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> None:
    if len(cache) >= _CACHE_SIZE:
        cache.clear()  # bounded; a long run of one template refills it at once
    cache[key] = value


def _shape(report: Report) -> tuple[object, ...]:
    """What the relations of a report depend on: its rows and their columns."""
    return tuple(
        (table.name, tuple((row.key, row.standard, tuple(c.column for c in row.cells)) for row in table.rows))
        for table in report.tables
    )


def _relations_of(
    report: Report, template: Template, shape: tuple[object, ...], cells: Mapping[str, Cell]
) -> _Relations:
    key = (id(template), shape)
    hit = _relations_cache.get(key)
    if hit is not None and hit[0] is template:
        return hit[1]
    rels: list[_Rel] = []
    rules: dict[str, set[str]] = {}
    for relation in relations(report, template):
        terms = relation.terms()
        unsigned = (
            None if any(sign < 0 for sign, _ in terms) else tuple(k for _, k in terms if not _signed(template, k))
        )
        rels.append(_Rel(relation.rule, relation.total, tuple(_terms(relation)), unsigned))
        for k in relation.keys():
            rules.setdefault(k, set()).add(relation.rule)
    absent = frozenset(k for k in rules if k not in cells)  # the cells' keys follow from the shape
    found = _Relations(tuple(rels), {k: "+".join(sorted(v)) for k, v in rules.items()}, absent)
    _remember(_relations_cache, key, (template, found))
    return found


def _system(
    template: Template,
    shape: tuple[object, ...],
    rels: tuple[_Rel, ...],
    unknown: frozenset[str],
    unusable: frozenset[str],
) -> _System:
    key = (id(template), shape, unknown, unusable)
    hit = _system_cache.get(key)
    if hit is not None and hit[0] is template:
        return hit[1]
    equations: list[tuple[dict[str, int], tuple[tuple[int, str], ...]]] = []
    for rel in rels:
        coefs: dict[str, int] = {}
        printed: list[tuple[int, str]] = []
        for sign, k in rel.terms:
            if k in unknown:
                coefs[k] = coefs.get(k, 0) + sign
            elif k in unusable:
                break  # a placeholder or unreadable cell: the equation says nothing
            else:
                printed.append((sign, k))
        else:
            if coefs:
                equations.append((coefs, tuple(printed)))
    found = _System(tuple(equations), _eliminate([coefs for coefs, _ in equations]))
    _remember(_system_cache, key, (template, found))
    return found


def _combine(
    a: dict[str, Fraction], a_rhs: dict[int, Fraction], m: Fraction, b: dict[str, Fraction], b_rhs: dict[int, Fraction]
) -> tuple[dict[str, Fraction], dict[int, Fraction]]:
    """``a - m * b``, coefficients and right-hand side (as ``_reduce``)."""
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, Fraction(0)) - m * v
    rhs = dict(a_rhs)
    for i, v in b_rhs.items():
        rhs[i] = rhs.get(i, Fraction(0)) - m * v
    return {k: v for k, v in out.items() if v}, {i: v for i, v in rhs.items() if v}


def _eliminate(system: list[dict[str, int]]) -> tuple[tuple[str, Combination], ...]:
    """``_solve``'s elimination on the coefficients alone: each fixed pivot with its value as
    a combination of the equations' right-hand sides (before the check against them)."""
    pivots: list[tuple[str, dict[str, Fraction], dict[int, Fraction]]] = []
    for index, equation in enumerate(system):
        coefs = {k: Fraction(v) for k, v in equation.items()}
        rhs = {index: Fraction(1)}
        for var, row, row_rhs in pivots:
            if var in coefs:
                coefs, rhs = _combine(coefs, rhs, coefs[var], row, row_rhs)
        if not coefs:
            continue
        var = min(coefs)
        factor = coefs[var]
        coefs = {k: v / factor for k, v in coefs.items()}
        rhs = {i: v / factor for i, v in rhs.items()}
        pivots = [
            (p, *_combine(row, row_rhs, row[var], coefs, rhs)) if var in row else (p, row, row_rhs)
            for p, row, row_rhs in pivots
        ]
        pivots.append((var, coefs, rhs))
    return tuple(
        (var, tuple((i, int(v) if v.denominator == 1 else v) for i, v in sorted(rhs.items())))
        for var, row, rhs in pivots
        if len(row) == 1
    )


def _solved(system: _System, known: dict[str, Number]) -> dict[str, Fraction | int]:
    """``_solve`` of the system with the printed numbers ``known``."""
    rhs: list[Fraction | int] = []
    for _, printed in system.equations:
        total: Fraction | int = 0
        for sign, k in printed:
            number = known[k]
            total -= sign * (number if type(number) is int else Fraction(number))
        rhs.append(total)
    fixed: dict[str, Fraction | int] = {}
    for var, combination in system.fixed:
        value: Fraction | int = 0
        for i, factor in combination:
            value += factor * rhs[i]
        fixed[var] = value
    for (coefs, _), equation_rhs in zip(system.equations, rhs, strict=True):
        if set(coefs) <= set(fixed) and sum(c * fixed[k] for k, c in coefs.items()) != equation_rhs:
            for k in coefs:
                fixed.pop(k, None)
    return fixed


def infer(report: Report) -> Report:
    """A copy of ``report`` with every uniquely determined missing cell filled."""
    template = get_template(report.template)
    if not any(
        cell.value is None and cell.status in FILLABLE
        for table in report.tables
        for row in table.rows
        for cell in row.cells
    ):
        return report  # nothing was lost
    cells, places = _places(report)
    shape = _shape(report)
    found = _relations_of(report, template, shape, cells)
    known: dict[str, Number] = {k: c.value for k, c in cells.items() if c.value is not None}
    unknown = {k for k, c in cells.items() if c.value is None and c.status in FILLABLE}
    # neither printed nor lost (a blank, a placeholder, no such cell): an equation with one says nothing
    unusable = found.absent | frozenset(k for k, c in cells.items() if c.value is None and c.status not in FILLABLE)
    filled: dict[str, tuple[int, list[str]]] = {}
    changed = True
    while changed and unknown:
        changed = False
        # non-negativity: a zero total forces its parts to zero (when none is subtracted)
        for rel in found.rels:
            if rel.unsigned_parts is None or known.get(rel.total) != 0:
                continue
            for key in rel.unsigned_parts:
                if key in unknown:
                    _fill(key, 0, rel.rule, known, unknown, filled)
                    changed = True
        system = _system(template, shape, found.rels, frozenset(unknown), unusable)
        for key, value in sorted(_solved(system, known).items()):
            if key in unknown and value.denominator == 1 and value >= 0:
                _fill(key, int(value), found.rules[key], known, unknown, filled)
                changed = True
    if not filled:
        return report
    return _apply(report, filled, cells, places)


def _fill(
    key: str,
    value: int,
    rule: str,
    known: dict[str, Number],
    unknown: set[str],
    filled: dict[str, tuple[int, list[str]]],
) -> None:
    known[key] = value
    unknown.discard(key)
    filled[key] = (value, [rule])


def _places(report: Report) -> tuple[dict[str, Cell], dict[str, list[tuple[int, int, int]]]]:
    """``_cells`` and where each key's cell is: (table, row, cell) indices."""
    cells: dict[str, Cell] = {}
    places: dict[str, list[tuple[int, int, int]]] = {}
    for t, table in enumerate(report.tables):
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row.cells):
                key = f"{table.name}.{row.key}.{cell.column}"
                cells[key] = cell
                places.setdefault(key, []).append((t, r, c))
    return cells, places


def _apply(
    report: Report,
    filled: dict[str, tuple[int, list[str]]],
    cells: dict[str, Cell],
    places: dict[str, list[tuple[int, int, int]]],
) -> Report:
    """The report with the filled cells and their diagnostics (as ``Report.with_cells``, but
    only the rows that changed are rebuilt)."""
    changes: dict[tuple[int, int], dict[int, Cell]] = {}
    diagnostics = list(report.diagnostics)
    for key, (value, rules) in filled.items():
        cell = cells[key]
        new = evolve(cell, value=value, status="inferred", inferred=True)
        for t, r, c in places[key]:
            changes.setdefault((t, r), {})[c] = new
        diagnostics.append(
            Diagnostic(
                "inferred",
                f"{key} is not printed; the relations {', '.join(rules)} determine it: {value}",
                cell.span.line if cell.span else None,
                cell.span.column if cell.span else None,
                cell.raw,
                "info",
                (key,),
            )
        )
    rows = {t: list(table.rows) for t, table in enumerate(report.tables)}
    for (t, r), new_cells in changes.items():
        row = rows[t][r]
        rows[t][r] = evolve(row, cells=tuple(new_cells.get(c, cell) for c, cell in enumerate(row.cells)))
    tables: dict[str, Any] = {
        table.name: evolve(table, rows=tuple(rows[t]))
        for t, table in enumerate(report.tables)
        if any(key[0] == t for key in changes)
    }
    return evolve(report, **tables, diagnostics=tuple(diagnostics))


def inferred_keys(report: Report) -> list[str]:
    """The flat keys whose value was filled by inference (companion of ``flatten``)."""
    return [k for k, c in _cells(report).items() if c.inferred]


def statuses(report: Report, keys: Iterable[str] | None = None) -> dict[str, str]:
    """``{flat key: cell status}`` — "number", "blank", "placeholder", "missing" or "inferred"."""
    cells = _cells(report)
    return {k: cells[k].status for k in (keys if keys is not None else cells)}
