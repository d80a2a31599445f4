"""The wide table of a corpus: one row per report, one column per canonical key.

This is what ``govreport parse -f csv``, ``govreport export`` and ``to_frame`` write.  The
columns are ``file`` and ``error``, then the ``meta.*`` keys, then the cell keys of every
registered template (the 2021 keys, then those only the 2019 format has, then those of any
template you registered), then one ``status.<status>`` column per cell status other than
``number`` (``status.blank``, ``status.inferred`` ...) listing the keys of the cells with
that status, so a value column never hides how its number was obtained (an ``inferred``
number is not a printed one; an empty field may be a printed blank or a lost cell), then
two counts of the arithmetic findings.  A second table
lists the findings themselves, one row per finding, with one ``unreadable`` row per file
that could not be read, so the reports that do not add up are one filter away.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

from .checks import check
from .flatten import META_KEYS, flatten
from .model import CELL_STATUSES, Finding, Report
from .registry import get_template, templates

CHECK_COLUMNS = ("checks.failed", "checks.not_checkable")
STATUS_COLUMNS = tuple(f"status.{status}" for status in CELL_STATUSES if status != "number")
FINDING_COLUMNS = ("file", "rule", "severity", "status", "message_en", "message_zh", "keys", "expected", "actual")


def _newest_first() -> list[dict[str, Any]]:
    return sorted(templates(), key=lambda t: -t["years"][0])


def cell_keys() -> list[str]:
    """The cell keys of every registered template, each once, the newest format's first."""
    seen: dict[str, None] = {}
    for description in _newest_first():
        for key in get_template(description["name"]).keys(variants=True):
            seen.setdefault(key, None)
    return list(seen)


def column_types() -> dict[str, str]:
    """``{column: "str" | "int" | "decimal"}`` for every column of the wide table."""
    types = {"file": "str", "error": "str", **{key: "str" for key in META_KEYS}, "meta.year": "int"}
    for description in _newest_first():
        for row in get_template(description["name"]).rows:
            for key, column in zip(row.keys(), row.columns, strict=True):
                types.setdefault(key, "decimal" if column.type == "decimal" else "int")
    types.update({column: "str" for column in STATUS_COLUMNS})
    types.update({column: "int" for column in CHECK_COLUMNS})
    return types


def columns() -> list[str]:
    return ["file", "error", *META_KEYS, *cell_keys(), *STATUS_COLUMNS, *CHECK_COLUMNS]


def status_fields(report: Report) -> dict[str, str]:
    """``{"status.blank": "applications.new.commercial ...", ...}``: the keys of the cells of
    each status other than ``number``, space-separated (empty when there are none)."""
    keys: dict[str, list[str]] = {column: [] for column in STATUS_COLUMNS}
    for key, cell in report.keyed_cells(standard=True):
        if cell.status != "number":
            keys.setdefault(f"status.{cell.status}", []).append(key)
    return {column: " ".join(found) for column, found in keys.items()}


def report_row(
    name: str, report: Report | None, findings: Sequence[Finding] = (), error: str | None = None
) -> dict[str, Any]:
    """One row of the wide table (keys not in the report's template are absent)."""
    row: dict[str, Any] = {"file": name, "error": error}
    if report is not None:
        row.update(flatten(report))
        row.update(status_fields(report))
        row["checks.failed"] = sum(1 for f in findings if f.status == "failed")
        row["checks.not_checkable"] = sum(1 for f in findings if f.status == "not_checkable")
    return row


def finding_rows(name: str, findings: Iterable[Finding], error: str | None = None) -> list[dict[str, Any]]:
    """The findings of one report as rows of the findings table."""
    if error is not None:
        return [
            dict.fromkeys(FINDING_COLUMNS, None)
            | {"file": name, "rule": "READ", "severity": "error", "status": "unreadable", "message_en": error}
        ]
    return [{"file": name, **finding_record(f), "keys": " ".join(f.keys)} for f in findings]


def finding_record(finding: Finding) -> dict[str, Any]:
    """A finding as plain data: the fields of the findings table (``keys`` as a list)."""
    return {
        "rule": finding.rule,
        "severity": finding.severity,
        "status": finding.status,
        "message_en": finding.message_en,
        "message_zh": finding.message_zh,
        "keys": list(finding.keys),
        "expected": finding.expected,
        "actual": finding.actual,
    }


def report_findings(report: Report) -> tuple[Finding, ...]:
    """The findings the tables count: the arithmetic and the text-against-table checks."""
    return check(report, prose=True)


class CsvTable:
    """A CSV table written row by row (blank cells empty, amounts in full decimal notation)."""

    def __init__(self, out: IO[str], header: Sequence[str]) -> None:
        self.header = list(header)
        self.writer = csv.DictWriter(out, fieldnames=self.header, extrasaction="ignore", lineterminator="\n")
        self.writer.writeheader()

    def write(self, row: dict[str, Any]) -> None:
        self.writer.writerow({k: _csv_value(v) for k, v in row.items()})


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return value
