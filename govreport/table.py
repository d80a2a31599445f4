"""The wide table of a corpus: one row per report, one column per canonical key.

This is what ``govreport parse -f csv``, ``govreport export`` and ``to_frame`` write.  The
columns are ``file`` and ``error``, then the ``meta.*`` keys, then the cell keys of every
registered template (the 2021 keys, then those only the 2019 format has, then those of any
template you registered), then one ``status.<status>`` column per cell status other than
``number`` (``status.blank``, ``status.inferred`` ...) listing the keys of the cells with
that status, so a value column never hides how its number was obtained (an empty field
may be a printed blank or a lost cell), then ``inferred`` (``key=value; …``: the numbers
filled from the arithmetic, which the value columns leave empty unless asked with
``inferred=True``, so a value column never shows an inferred number as if printed), then
two counts of the findings.

A second table lists the findings people act on, one row per failed relation (and D1, M1,
TXT) with its equation and the pages and lines of its cells, with one ``unreadable`` row
per file that could not be read; the relations that could not be checked (a cell lost)
go to a third table (``UNCHECKED``), so the reports that do not add up are not buried
under them.  The findings tables' column names are stable keys; their ``equation`` and
``message`` are in the language asked for (Chinese by default).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

from .checks import check
from .flatten import META_KEYS, flatten
from .messages import DEFAULT_LANG
from .model import CELL_STATUSES, Finding, Report
from .registry import get_template, templates

CHECK_COLUMNS = ("checks.failed", "checks.not_checkable")
STATUS_COLUMNS = tuple(f"status.{status}" for status in CELL_STATUSES if status != "number")
INFERRED_COLUMN = "inferred"
# ``--sections``: the prose most read beside the numbers, a section's whole text (sub-parts included)
SECTION_COLUMNS = ("section.overview", "section.problems")
FINDING_COLUMNS = (
    "file",
    "agency",
    "year",
    "template",
    "rule",
    "severity",
    "status",
    "equation",
    "message",
    "cells",
    "pages",
    "lines",
    "expected",
    "actual",
)
UNCHECKED = "not_checkable"  # the status of the findings that go to the secondary table


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
    types[INFERRED_COLUMN] = "str"
    types.update({column: "int" for column in CHECK_COLUMNS})
    types.update({column: "str" for column in SECTION_COLUMNS})
    return types


def columns(*, sections: bool = False) -> list[str]:
    """The wide table's columns; ``sections=True`` adds the ``section.*`` text columns at the end."""
    extra = list(SECTION_COLUMNS) if sections else []
    return ["file", "error", *META_KEYS, *cell_keys(), *STATUS_COLUMNS, INFERRED_COLUMN, *CHECK_COLUMNS, *extra]


def status_fields(report: Report) -> dict[str, str]:
    """``{"status.blank": "applications.new.commercial ...", ...}``: the keys of the cells of
    each status other than ``number``, space-separated (empty when there are none)."""
    keys: dict[str, list[str]] = {column: [] for column in STATUS_COLUMNS}
    for key, cell in report.keyed_cells(standard=True):
        if cell.status != "number":
            keys.setdefault(f"status.{cell.status}", []).append(key)
    return {column: " ".join(found) for column, found in keys.items()}


def report_row(
    name: str,
    report: Report | None,
    findings: Sequence[Finding] = (),
    error: str | None = None,
    *,
    inferred: bool = False,
    sections: bool = False,
) -> dict[str, Any]:
    """One row of the wide table (keys not in the report's template are absent).

    An inferred cell's value column is empty and its number is in ``inferred``
    (``key=value; …``); ``inferred=True`` also puts it in its value column, for a filled
    table (``status.inferred`` still names it).  ``sections=True`` adds the ``section.*``
    columns: the section's ``full_text``, empty when the report prints no such section."""
    row: dict[str, Any] = {"file": name, "error": error}
    if report is not None:
        row.update(flatten(report))
        filled = [(key, cell.value) for key, cell in report.keyed_cells(standard=True) if cell.status == "inferred"]
        if not inferred:
            row.update((key, None) for key, _ in filled)
        row.update(status_fields(report))
        row[INFERRED_COLUMN] = "; ".join(f"{key}={_csv_value(value)}" for key, value in filled)
        row["checks.failed"] = sum(1 for f in findings if f.status == "failed")
        row["checks.not_checkable"] = sum(1 for f in findings if f.status == UNCHECKED)
        if sections:
            for column in SECTION_COLUMNS:
                section = report.section(column.removeprefix("section."))
                row[column] = section.full_text if section is not None else ""
    return row


def finding_places(report: Report, finding: Finding) -> tuple[str, str]:
    """The pages (``3 4``, PDFs and other paged inputs) and the lines:columns (``12:5 13:5``)
    of the cells a finding names, as printed in the text read; empty when unknown."""
    pages: dict[str, None] = {}
    lines: dict[str, None] = {}
    for key in finding.keys:
        try:
            cell = report.cell(key)
        except KeyError:
            continue  # a series key (2023:…) or a key the report lacks
        if cell.origin is not None and cell.origin.page is not None:
            pages.setdefault(str(cell.origin.page), None)
        if cell.span is not None:
            lines.setdefault(str(cell.span), None)
    return " ".join(pages), " ".join(lines)


def finding_rows(
    name: str,
    findings: Iterable[Finding],
    error: str | None = None,
    *,
    report: Report | None = None,
    lang: str = DEFAULT_LANG,
) -> list[dict[str, Any]]:
    """The findings of one report as rows of the findings tables (``equation`` and
    ``message`` in ``lang``; the report, when given, fills agency, year, template, pages
    and lines)."""
    if error is not None:
        return [
            dict.fromkeys(FINDING_COLUMNS, None)
            | {"file": name, "rule": "READ", "severity": "error", "status": "unreadable", "message": error}
        ]
    about: dict[str, Any] = {}
    if report is not None:
        about = {"agency": report.meta.agency, "year": report.meta.year, "template": report.template}
    rows = []
    for f in findings:
        pages, lines = finding_places(report, f) if report is not None else ("", "")
        rows.append(
            {
                "file": name,
                **about,
                "rule": f.rule,
                "severity": f.severity,
                "status": f.status,
                "equation": f.equation_zh if lang == "zh" else f.equation_en,
                "message": f.message_zh if lang == "zh" else f.message_en,
                "cells": " ".join(f.keys),
                "pages": pages,
                "lines": lines,
                "expected": f.expected,
                "actual": f.actual,
            }
        )
    return rows


def finding_record(finding: Finding) -> dict[str, Any]:
    """A finding as plain data (``check -f json``): both languages, ``keys`` as a list."""
    return {
        "rule": finding.rule,
        "severity": finding.severity,
        "status": finding.status,
        "message_en": finding.message_en,
        "message_zh": finding.message_zh,
        "equation_en": finding.equation_en,
        "equation_zh": finding.equation_zh,
        "keys": list(finding.keys),
        "expected": finding.expected,
        "actual": finding.actual,
    }


def report_findings(report: Report) -> tuple[Finding, ...]:
    """The findings the command line and the tables report: exactly ``govreport.check``."""
    return check(report)


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
