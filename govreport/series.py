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

from collections.abc import Iterable, Iterator, Sequence
from itertools import pairwise

from .checks import APPLICANT_COLUMNS, Finding, not_checkable
from .model import Number, Report

_DOCUMENT_ROWS = ("regulations", "normative_documents")
_ITEM_ROWS = ("licensing", "other_services", "penalty", "coercion", "fees")


def _value(report: Report, key: str) -> Number | None:
    try:
        return report.value(key)
    except KeyError:
        return None


def _compare(
    rule: str, zh: str, en: str, expected_terms: Sequence[tuple[int, Report, str]], actual: tuple[Report, str]
) -> Finding | None:
    values = [(sign, _value(r, k)) for sign, r, k in expected_terms]
    actual_value = _value(*actual)
    flat_keys = (f"{actual[0].meta.year}:{actual[1]}", *(f"{r.meta.year}:{k}" for _, r, k in expected_terms))
    if actual_value is None or any(v is None for _, v in values):
        missing = [k for k, (_, v) in zip(flat_keys[1:], values, strict=True) if v is None]
        if actual_value is None:
            missing.insert(0, flat_keys[0])
        return not_checkable(rule, zh, en, flat_keys, missing)
    expected = sum(sign * v for sign, v in values if v is not None)
    if expected != actual_value:
        return Finding(
            rule, "warning", "failed", f"{zh}不一致", f"{en} does not hold", flat_keys, expected, actual_value
        )
    return None


def _pair(previous: Report, current: Report) -> Iterator[Finding | None]:
    y0, y1 = previous.meta.year, current.meta.year
    for col in (*APPLICANT_COLUMNS, "total"):
        yield _compare(
            "H1",
            f"{y1}年上年结转应等于{y0}年结转下年度继续办理（{col}列）",
            f"carried over in {y1} = carried forward in {y0} ({col})",
            [(1, previous, f"applications.carried_forward.{col}")],
            (current, f"applications.carried_over.{col}"),
        )
    if "in_force" in _columns(previous, "regulations") and "in_force" in _columns(current, "regulations"):
        for row in _DOCUMENT_ROWS:
            yield _compare(
                "H2",
                f"{y1}年现行有效件数应等于{y0}年现行有效件数加本年制发减本年废止（{row}）",
                f"in force in {y1} = in force in {y0} + issued − repealed in {y1} ({row})",
                [
                    (1, previous, f"disclosure.{row}.in_force"),
                    (1, current, f"disclosure.{row}.issued"),
                    (-1, current, f"disclosure.{row}.repealed"),
                ],
                (current, f"disclosure.{row}.in_force"),
            )
    if "change" in _columns(previous, "licensing") and "previous" in _columns(current, "licensing"):
        for row in _ITEM_ROWS:
            yield _compare(
                "H3",
                f"{y1}年上一年项目数量应等于{y0}年上一年项目数量加本年增/减（{row}）",
                f"items at the start of {y1} = items at the start of {y0} + change in {y0} ({row})",
                [(1, previous, f"disclosure.{row}.previous"), (1, previous, f"disclosure.{row}.change")],
                (current, f"disclosure.{row}.previous"),
            )


def _columns(report: Report, row: str) -> tuple[str, ...]:
    try:
        return report.disclosure.row(row).columns
    except KeyError:
        return ()


def check_series(reports: Iterable[Report]) -> tuple[Finding, ...]:
    """Cross-year findings for the reports of one agency (any order; sorted by year).

    Only reports of consecutive years are compared; reports without a year are skipped.
    """
    dated = sorted((r for r in reports if r.meta.year is not None), key=lambda r: r.meta.year or 0)
    findings: list[Finding] = []
    for previous, current in pairwise(dated):
        if (current.meta.year or 0) - (previous.meta.year or 0) != 1:
            continue
        findings.extend(f for f in _pair(previous, current) if f is not None)
    return tuple(findings)
