"""The audit workbook (``govreport export DIR -o audit.xlsx``): a corpus as an Excel file to check by eye.

Sheets, in this order:

* 汇总 (summary): one row per file, ranked by the number of failed relations (most first):
  file, agency, year, template, failed, not checkable, inferred cells, diagnostics, its sheet;
* 问题 (findings): every finding of every report, and the files that could not be read;
* 逐年 (series), when the corpus holds several years of one agency: the year-over-year
  findings (``govreport.series``) and the agencies and years they were drawn from;
* one sheet per report, laid out like the official tables 二, 三 and 四: row labels and column
  headers come from the template's data (``RowSpec.path``, the column labels, a one-line table
  such as 四 printed across), the printed values as numbers.

Marked cells, each with a comment that says why (the relation with its numbers,
``Finding.equation_zh``, else its message; and the page of the PDF when known):

* a failed relation: its total red, its other cells light red (the total is the cell the
  relation is checked against; the parts are shown so the arithmetic can be redone);
* inferred (not printed, filled from the arithmetic): yellow, the value shown;
* split (printed glued to other digits): light blue, the value shown;
* ocr (read by OCR from a scanned page): light green, the value shown, its score in the comment;
* blank (printed empty): grey, the text 空;
* placeholder (/, —, 无): lavender, the printed mark;
* missing (not in the text): orange, the text 缺;  unresolved (not placed with certainty): purple, ？.

The workbook is written in openpyxl's write-only mode: each report's sheet goes to disk as it
comes and the report is dropped, so memory stays small for a corpus of thousands (write-only
cells take fills and comments; they cannot be merged, so a label printed over several rows or
columns is shown once, at its first row or column).  What is kept to the end: one summary row
per file, and for the series sheet each report without its prose.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from attrs import evolve, frozen

from .messages import text
from .model import Cell, Finding, Report
from .readers.extras import require
from .registry import get_template
from .series import Filed, Grouping, Limits, SeriesFinding, check_groups, group_series, table_heading
from .templates import Template

EXTRA = "excel"

# Fills (ARGB without alpha, as openpyxl takes them), one per mark.
FILLS = {
    "failed_total": "FF7C80",
    "failed_part": "FFD7D7",
    "inferred": "FFEB84",
    "split": "BDD7EE",
    "ocr": "E2EFDA",
    "blank": "D9D9D9",
    "placeholder": "D9D2E9",
    "missing": "F8CBAD",
    "unresolved": "B4A7D6",
}
# The text shown in a cell that has no value, by status ("" = the printed raw text).
SHOWN = {
    "blank": "workbook.shown.blank",
    "missing": "workbook.shown.missing",
    "unresolved": "workbook.shown.unresolved",
}

MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(wanted: str, taken: set[str]) -> str:
    """A name Excel accepts (≤ 31 characters, none of ``[]:*?/\\``, not starting or ending with
    ``'``, not ``History``), unique among ``taken`` (case-insensitively, as Excel compares); added to it."""
    base = _BAD_SHEET_CHARS.sub("_", wanted).strip("'").strip() or "sheet"
    if base.lower() == "history":
        base += "_"
    name, n = base[:MAX_SHEET_NAME], 1
    lowered = {t.lower() for t in taken}
    while name.lower() in lowered:
        n += 1
        suffix = f"~{n}"
        name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
    taken.add(name)
    return name


@frozen
class _SummaryRow:
    file: str
    agency: str
    year: int | None
    template: str
    failed: int
    not_checkable: int
    inferred: int
    diagnostics: int
    sheet: str
    error: str | None = None


class _Book:
    """An openpyxl write-only workbook and the helpers to fill its sheets."""

    def __init__(self, path: str | Path, lang: str) -> None:
        self.openpyxl = require("openpyxl", "the Excel workbook (.xlsx)", EXTRA)
        self.path = Path(path)
        self.lang = lang
        self.book = self.openpyxl.Workbook(write_only=True)
        self.taken: set[str] = set()

    def _t(self, key: str, **params: object) -> str:
        return text(key, self.lang, **params)

    def _sheet(self, key: str, widths: Sequence[float] = ()) -> Any:
        sheet = self.book.create_sheet(sheet_name(self._t(key), self.taken))
        _widths(sheet, widths)
        return sheet

    def _cell(
        self, sheet: Any, value: Any, fill: str | None = None, comment: str | None = None, bold: bool = False
    ) -> Any:
        cell = self.openpyxl.cell.WriteOnlyCell(sheet, value=value)
        styles = self.openpyxl.styles
        if fill is not None:
            cell.fill = styles.PatternFill("solid", fgColor=fill)
        if comment:
            cell.comment = self.openpyxl.comments.Comment(comment, "govreport", width=320, height=160)
        if bold:
            cell.font = styles.Font(bold=True)
        return cell

    def _header(self, sheet: Any, keys: Sequence[str]) -> list[Any]:
        return [self._cell(sheet, self._t(k), bold=True) for k in keys]

    def series_sheet(self, grouping: Grouping, findings: Sequence[SeriesFinding]) -> Any:
        """The year-over-year findings, then every agency with its years and files."""
        sheet = self._sheet("workbook.sheet.series", [28, 8, 28, 8, 8, 8, 70, 48, 10, 10])
        sheet.append(self._header(sheet, SERIES_HEADER))
        for found in findings:
            f = found.finding
            message = f.message_zh if self.lang == "zh" else f.message_en
            fill = FILLS["failed_part"] if f.status == "failed" else None
            sheet.append(
                [
                    found.agency,
                    found.year,
                    found.file,
                    self._cell(sheet, f.rule, fill=fill),
                    f.severity,
                    f.status,
                    message,
                    " ".join(f.keys),
                    f.expected,
                    f.actual,
                ]
            )
        sheet.append([])
        sheet.append(self._header(sheet, GROUP_HEADER))
        for group in grouping.series:
            for filed in group.reports:
                sheet.append([group.agency, filed.report.meta.year, filed.name, " / ".join(group.names)])
        for filed in grouping.unplaced:
            sheet.append([filed.report.meta.agency, filed.report.meta.year, filed.name, self._t("series.unplaced")])
        return sheet

    def save(self) -> Path:
        self.book.save(self.path)
        return self.path


class AuditWorkbook(_Book):
    """Write the audit workbook report by report: ``add`` each, then ``close``.

    ``series=False`` leaves out the series sheet (and keeps no report in memory)."""

    def __init__(
        self, path: str | Path, *, lang: str = "zh", series: bool = True, limits: Limits | None = None
    ) -> None:
        super().__init__(path, lang)
        self.limits = limits or Limits()
        self.summary = self._sheet("workbook.sheet.summary", [28, 24, 8, 8, 8, 10, 10, 10, 24, 40])
        self.findings = self._sheet("workbook.sheet.findings", [28, 8, 8, 14, 60, 60, 48, 10, 10])
        self.findings.append(self._header(self.findings, FINDING_HEADER))
        self.rows: list[_SummaryRow] = []
        self.kept: list[Filed] | None = [] if series else None

    # ------------------------------------------------------------- the reports

    def skipped(self, name: str, reason: str) -> None:
        """A file a folder scan left out (not a report format, a hidden file …): a ``SKIP`` row."""
        self.findings.append([name, "SKIP", "warning", "skipped", reason, reason, "", None, None])
        self.rows.append(_SummaryRow(name, "", None, "", 0, 0, 0, 0, "", reason))

    def add(self, name: str, report: Report | None, findings: Sequence[Finding] = (), error: str | None = None) -> None:
        """One file: its sheet (if it was read), its findings, its summary row."""
        if report is None:
            self.findings.append([name, "READ", "error", "unreadable", error or "", error or "", "", None, None])
            self.rows.append(_SummaryRow(name, "", None, "", 0, 0, 0, 0, "", error or ""))
            return
        for f in findings:
            self.findings.append(
                [
                    name,
                    f.rule,
                    f.severity,
                    f.status,
                    f.equation_zh or f.message_zh,
                    f.equation_en or f.message_en,
                    " ".join(f.keys),
                    f.expected,
                    f.actual,
                ]
            )
        sheet = self.book.create_sheet(sheet_name(Path(name).stem or name, self.taken))
        self._report_sheet(sheet, name, report, findings)
        sheet.close()  # to disk now: a write-only sheet holds a file open until it is closed
        failed = sum(f.status == "failed" for f in findings)
        unchecked = sum(f.status == "not_checkable" for f in findings)
        inferred = sum(c.inferred for _, c in report.keyed_cells())
        self.rows.append(
            _SummaryRow(
                name,
                report.meta.agency,
                report.meta.year,
                report.template,
                failed,
                unchecked,
                inferred,
                len(report.diagnostics),
                sheet.title,
            )
        )
        if self.kept is not None:
            slim = evolve(report, sections=(), preamble="", diagnostics=())
            self.kept.append(Filed(name, slim))

    def _report_sheet(self, sheet: Any, name: str, report: Report, findings: Sequence[Finding]) -> None:
        template = get_template(report.template)
        marks = _marks(findings)
        depth = max(
            (len(_label_parts(template, t.name, r.key, r.label)) for t in report.tables for r in t.rows), default=1
        )
        _widths(sheet, [26] * depth + [12] * 15)
        meta = report.meta
        sheet.append([self._cell(sheet, meta.title or name, bold=True)])
        sheet.append(
            [
                self._t(
                    "workbook.report.line",
                    file=name,
                    agency=meta.agency or "-",
                    year=meta.year or "-",
                    template=report.template,
                )
            ]
        )
        for table in report.tables:
            sheet.append([])
            heading = table_heading(template, table.name)
            printed = "" if table.printed else self._t("workbook.report.not_printed")
            sheet.append([self._cell(sheet, f"{heading}{printed}", bold=True)])
            if table.name in template.table_names and template.table(table.name).one_line:
                self._one_line(sheet, template, report, table.name, marks)
            else:
                self._by_rows(sheet, template, report, table.name, depth, marks)
        legend = [self._cell(sheet, self._t(f"workbook.legend.{k}"), fill=v) for k, v in FILLS.items()]
        sheet.append([])
        sheet.append(legend)

    def _value_cell(self, sheet: Any, key: str, cell: Cell, marks: dict[str, list[tuple[bool, Finding]]]) -> Any:
        """A table cell: its value (a number) or a mark, its fill and its comment."""
        status = "inferred" if cell.inferred else cell.status
        value: Any = cell.value
        if cell.value is None:
            value = self._t(SHOWN[status]) if status in SHOWN else (cell.raw or self._t("workbook.shown.blank"))
        notes = []
        fill = FILLS.get(status)
        if status in FILLS:
            score = cell.origin.confidence if cell.origin is not None else None
            notes.append(self._t(f"workbook.note.{status}", raw=cell.raw, confidence=f"{score or 0:.2f}"))
        found = marks.get(key, [])
        if found:
            fill = FILLS["failed_total"] if any(total for total, _ in found) else FILLS["failed_part"]
            notes.extend(
                f"[{f.rule}] {f.equation_zh or f.message_zh}"
                if self.lang == "zh"
                else f"[{f.rule}] {f.equation_en or f.message_en}"
                for _, f in found
            )
        page = cell.origin.page if cell.origin is not None else None
        if notes and page is not None:
            notes.append(self._t("workbook.note.page", page=page))
        return self._cell(sheet, value, fill=fill, comment="\n".join(notes) or None)

    def _by_rows(
        self,
        sheet: Any,
        template: Template,
        report: Report,
        table: str,
        depth: int,
        marks: dict[str, list[tuple[bool, Finding]]],
    ) -> None:
        previous: list[str] = []
        columns: tuple[str, ...] | None = None
        for row in getattr(report, table).rows:
            if row.columns != columns:
                columns = row.columns
                labels = _column_labels(template, table, row.key, columns)
                sheet.append([None] * depth + [self._cell(sheet, label, bold=True) for label in labels])
            parts = _label_parts(template, table, row.key, row.label)
            shown = [part if not _same(part, previous, i) else None for i, part in enumerate(parts)]
            previous = parts
            shown += [None] * (depth - len(shown))
            values = [self._value_cell(sheet, f"{table}.{row.key}.{c.column}", c, marks) for c in row.cells]
            sheet.append([*shown, *values])

    def _one_line(
        self, sheet: Any, template: Template, report: Report, table: str, marks: dict[str, list[tuple[bool, Finding]]]
    ) -> None:
        """A table printed on one line (四): its row labels as header lines over their columns."""
        rows = getattr(report, table).rows
        paths = [_label_parts(template, table, r.key, r.label) for r in rows]
        for level in range(max((len(p) for p in paths), default=0)):
            line: list[Any] = []
            last = None
            for row, parts in zip(rows, paths, strict=True):
                part = parts[level] if level < len(parts) else None
                shown = part is not None and part != last
                line += [self._cell(sheet, part, bold=True) if shown else None] + [None] * (len(row.cells) - 1)
                last = part
            sheet.append(line)
        labels: list[Any] = []
        values: list[Any] = []
        for row in rows:
            labels += [self._cell(sheet, x, bold=True) for x in _column_labels(template, table, row.key, row.columns)]
            values += [self._value_cell(sheet, f"{table}.{row.key}.{c.column}", c, marks) for c in row.cells]
        sheet.append(labels)
        sheet.append(values)

    # ------------------------------------------------------------- the end

    def close(self) -> Path:
        """The summary (ranked), the series sheet when there is a series; the file is saved."""
        self.summary.append(self._header(self.summary, SUMMARY_HEADER))
        ranked = sorted(self.rows, key=lambda r: (r.error is None, -r.failed, -r.not_checkable, r.file))
        for r in ranked:
            fill = FILLS["failed_total"] if r.failed else None
            self.summary.append(
                [
                    r.file,
                    r.agency,
                    r.year,
                    r.template,
                    self._cell(self.summary, r.failed, fill=fill),
                    r.not_checkable,
                    r.inferred,
                    r.diagnostics,
                    r.sheet,
                    r.error or "",
                ]
            )
        if self.kept:
            grouping = group_series(self.kept)
            if any(len(s.years) > 1 for s in grouping.series):
                sheet = self.series_sheet(grouping, check_groups(grouping, self.limits))
                sheets = self.book._sheets  # write-only books cannot look a sheet up to move it
                sheets.insert(2, sheets.pop(sheets.index(sheet)))  # after the findings
        return self.save()


FINDING_HEADER = (
    "series.column.file",
    "series.column.rule",
    "series.column.severity",
    "series.column.status",
    "workbook.column.message_zh",
    "workbook.column.message_en",
    "series.column.keys",
    "series.column.expected",
    "series.column.actual",
)
SUMMARY_HEADER = (
    "series.column.file",
    "series.column.agency",
    "series.column.year",
    "workbook.column.template",
    "workbook.column.failed",
    "workbook.column.not_checkable",
    "workbook.column.inferred",
    "workbook.column.diagnostics",
    "workbook.column.sheet",
    "workbook.column.error",
)
SERIES_HEADER = (
    "series.column.agency",
    "series.column.year",
    "series.column.file",
    "series.column.rule",
    "series.column.severity",
    "series.column.status",
    "series.column.message",
    "series.column.keys",
    "series.column.expected",
    "series.column.actual",
)
GROUP_HEADER = ("series.column.agency", "series.column.year", "series.column.file", "workbook.column.names")


def write_series_workbook(
    path: str | Path, grouping: Grouping, findings: Sequence[SeriesFinding], *, lang: str = "zh"
) -> Path:
    """A workbook with the series sheet only (``govreport series DIR -o series.xlsx``)."""
    book = _Book(path, lang)
    book.series_sheet(grouping, findings)
    return book.save()


# ----------------------------------------------------------------- layout helpers


def _widths(sheet: Any, widths: Sequence[float]) -> None:
    from_index = require("openpyxl.utils", "the Excel workbook (.xlsx)", EXTRA).get_column_letter
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[from_index(i)].width = width


def _marks(findings: Sequence[Finding]) -> dict[str, list[tuple[bool, Finding]]]:
    """For each flat key, the failed findings it is in, and whether it is their total (the first key)."""
    marks: dict[str, list[tuple[bool, Finding]]] = {}
    for f in findings:
        if f.status != "failed":
            continue
        for i, key in enumerate(f.keys):
            marks.setdefault(key, []).append((i == 0, f))
    return marks


def _label_parts(template: Template, table: str, key: str, label: str) -> list[str]:
    """The row's label as printed in the official table, level by level, without the level every
    row of the table shares (the table's own number, 二)."""
    spec = template.row_spec(table, key)
    if spec is None:
        return [label or key]  # a row the agency added
    parts = spec.path.split(" / ")
    firsts = {s.path.split(" / ")[0] for s in template.table_rows(table)}
    return parts[1:] if len(firsts) == 1 and len(parts) > 1 else parts


def _same(part: str, previous: list[str], level: int) -> bool:
    """The label part repeats the previous row's (``三`` after ``三、本年度办理结果`` does)."""
    if level >= len(previous):
        return False
    before = previous[level]
    return part == before or before.startswith(part + "、")


def _column_labels(template: Template, table: str, key: str, columns: Sequence[str]) -> list[str]:
    """The column headers of a row: its template row's, or for a row the agency added, those of
    the template row with the same columns."""
    spec = template.row_spec(table, key)
    if spec is None:
        spec = next((s for s in template.table_rows(table) if tuple(c.key for c in s.columns) == tuple(columns)), None)
    labels = {c.key: c.label for c in spec.columns} if spec is not None else {}
    return [labels.get(c, c) for c in columns]
