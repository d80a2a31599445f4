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

from collections.abc import Iterable
from fractions import Fraction

from attrs import evolve

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


def infer(report: Report) -> Report:
    """A copy of ``report`` with every uniquely determined missing cell filled."""
    cells = _cells(report)
    template = get_template(report.template)
    rels = list(relations(report, template))
    known: dict[str, Number] = {k: c.value for k, c in cells.items() if c.value is not None}
    unknown = {k for k, c in cells.items() if c.value is None and c.status in FILLABLE}
    filled: dict[str, tuple[int, list[str]]] = {}
    changed = True
    while changed and unknown:
        changed = False
        # non-negativity: a zero total forces its parts to zero (when none is subtracted)
        for relation in rels:
            terms = relation.terms()
            if known.get(relation.total) != 0 or any(sign < 0 for sign, _ in terms):
                continue
            for _, key in terms:
                if key in unknown and not _signed(template, key):
                    _fill(key, 0, relation.rule, known, unknown, filled)
                    changed = True
        equations: list[Equation] = []
        for relation in rels:
            coefs: dict[str, Fraction] = {}
            rhs = Fraction(0)
            usable = True
            for sign, key in _terms(relation):
                if key in known:
                    rhs -= sign * Fraction(known[key])
                elif key in unknown:
                    coefs[key] = coefs.get(key, Fraction(0)) + sign
                else:
                    usable = False  # a placeholder or unreadable cell: the equation says nothing
            if usable and coefs:
                equations.append((coefs, rhs))
        for key, value in sorted(_solve(equations).items()):
            if key in unknown and value.denominator == 1 and value >= 0:
                rules = sorted({r.rule for r in rels if key in r.keys()})
                _fill(key, int(value), "+".join(rules), known, unknown, filled)
                changed = True
    if not filled:
        return report
    return _apply(report, filled)


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


def _apply(report: Report, filled: dict[str, tuple[int, list[str]]]) -> Report:
    cells = _cells(report)
    changes: dict[str, Cell] = {}
    diagnostics = list(report.diagnostics)
    for key, (value, rules) in filled.items():
        cell = cells[key]
        changes[key] = evolve(cell, value=value, status="inferred", inferred=True)
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
    return evolve(report.with_cells(changes), diagnostics=tuple(diagnostics))


def inferred_keys(report: Report) -> list[str]:
    """The flat keys whose value was filled by inference (companion of ``flatten``)."""
    return [k for k, c in _cells(report).items() if c.inferred]


def statuses(report: Report, keys: Iterable[str] | None = None) -> dict[str, str]:
    """``{flat key: cell status}`` — "number", "blank", "placeholder", "missing" or "inferred"."""
    cells = _cells(report)
    return {k: cells[k].status for k in (keys if keys is not None else cells)}
