"""Checks across the reports of one agency in successive years (warnings).

* ``H1``  上年结转 of year N+1 = 结转下年度继续办理 of year N, per applicant column
          (also across the 2020→2021 change of format: table 三 kept its columns);
* ``H2``  现行有效件数(N+1) = 现行有效件数(N) + 本年制发件数(N+1) − 本年废止件数(N+1),
          for 规章 and 行政规范性文件 (2021 format);
* ``H3``  上一年项目数量(N+1) = 上一年项目数量(N) + 本年增/减(N) (2019 format).

These relations are heuristics: agency mergers, restated figures and documents that
lapse without repeal break them, so a mismatch is a warning.  Keys in the findings
carry the year: ``2023:applications.carried_forward.total``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import pairwise

from .checks import not_checkable
from .equation import Term, equations
from .model import Finding, Number, Report
from .registry import get_template
from .relations import PREVIOUS, Relation, series_relations


def _value(report: Report, key: str) -> Number | None:
    """The value at a key; KeyError when the report has no such cell (another format)."""
    return report.cell(key).value


def _compare(relation: Relation, previous: Report, current: Report) -> Finding | None:
    """One cross-year relation; None when it holds or when a report lacks one of its cells."""
    terms = []
    for sign, key in relation.terms():
        report, key = (previous, key[len(PREVIOUS) :]) if key.startswith(PREVIOUS) else (current, key)
        terms.append((sign, report, key))
    try:
        values = [(sign, _value(r, k)) for sign, r, k in terms]
        actual_value = _value(current, relation.total)
    except KeyError:
        return None  # the relation needs a cell one of the two formats does not print
    flat_keys = (f"{current.meta.year}:{relation.total}", *(f"{r.meta.year}:{k}" for _, r, k in terms))
    total = Term.of(flat_keys[0], current.cell(relation.total))
    shown = [(s, Term.of(f, r.cell(k))) for (s, r, k), f in zip(terms, flat_keys[1:], strict=True)]
    template = get_template(current.template)
    if actual_value is None or any(v is None for _, v in values):
        missing = [k for k, (_, v) in zip(flat_keys[1:], values, strict=True) if v is None]
        if actual_value is None:
            missing.insert(0, flat_keys[0])
        return not_checkable(
            relation.rule, relation.zh, relation.en, flat_keys, missing, equations(template, total, shown, None)
        )
    expected = sum(sign * v for sign, v in values if v is not None)
    if expected != actual_value:
        return Finding(
            relation.rule,
            relation.severity,
            "failed",
            f"{relation.zh}不一致",
            f"{relation.en} does not hold",
            flat_keys,
            expected,
            actual_value,
            *equations(template, total, shown, expected),
        )
    return None


def _pair(previous: Report, current: Report) -> Iterator[Finding | None]:
    template = get_template(current.template)
    for relation in series_relations(current, template, current.meta.year or 0, previous.meta.year or 0):
        yield _compare(relation, previous, current)


def check_series(reports: Iterable[Report]) -> tuple[Finding, ...]:
    """Cross-year findings for the reports of one agency (any order; sorted by year).

    Only reports of consecutive years are compared; reports without a year are skipped.
    The relations are the later report's template's ``series`` (its JSON data).
    """
    dated = sorted((r for r in reports if r.meta.year is not None), key=lambda r: r.meta.year or 0)
    findings: list[Finding] = []
    for previous, current in pairwise(dated):
        if (current.meta.year or 0) - (previous.meta.year or 0) != 1:
            continue
        findings.extend(f for f in _pair(previous, current) if f is not None)
    return tuple(findings)
