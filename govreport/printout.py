"""The human-readable view of a report (``govreport show``): its tables, diagnostics and
checks, each failed relation with its equation and the cells involved, with their place in
the document (page and box for a PDF, always line:column in the text read)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

from .equation import labels
from .messages import DEFAULT_LANG, text
from .model import Finding
from .registry import get_template
from .table import UNCHECKED


def fmt(value: object) -> str:
    return "" if value is None else str(value)


def _where(cell: Any) -> str:
    """Where a cell is printed: ``p.3 [72,410,96,422] 12:5`` (page and box when the
    reader gave an origin, then the line:column in the text read)."""
    parts = []
    origin = getattr(cell, "origin", None)
    if origin is not None:
        if origin.page is not None:
            parts.append(f"p.{origin.page}")
        if origin.bbox is not None:
            parts.append("[" + ",".join(f"{v:g}" for v in origin.bbox) + "]")
        if origin.table is not None:
            parts.append(str(origin).replace(f"p.{origin.page} ", "") if origin.page is not None else str(origin))
    if cell.span is not None:
        parts.append(str(cell.span))
    return " ".join(parts) or "-"


def _diagnostic_line(diagnostic: Any, lang: str) -> str:
    """Chinese: the code's title, the place and the raw text; English: the message as is."""
    where = ""
    if diagnostic.page is not None:
        where += f"p.{diagnostic.page} "
    if diagnostic.line is not None:
        where += f"{diagnostic.line}:{diagnostic.column}: "
    if lang == "zh":
        title = text(f"diagnostic.{diagnostic.code}", lang)
        raw = f"：“{diagnostic.raw}”" if diagnostic.raw else ""
        return f"{where}{diagnostic.code} {title}{raw}"
    return f"{where}{diagnostic.code}: {diagnostic.message}"


def print_report(report: Any, findings: Sequence[Finding], out: IO[str], lang: str = DEFAULT_LANG) -> None:
    """The human-readable view of ``govreport show``: the tables, the diagnostics, and for
    each failed relation its equation and the cells involved with where they are printed."""
    meta = report.meta
    out.write(f"{meta.title or text('show.no_title', lang)}\n")
    out.write(
        text(
            "show.meta",
            lang,
            agency=meta.agency or "-",
            year=fmt(meta.year) or "-",
            template=report.template,
            signed=meta.signed_on or "-",
        )
        + "\n"
    )
    template = get_template(report.template)
    for table in report.tables:
        out.write(f"\n[{table.name}]{'' if table.printed else text('show.table_absent', lang)}\n")
        for row in table.rows:
            spec = template.row_spec(table.name, row.key)
            label = spec.label if spec is not None else row.label
            values = "  ".join(f"{c.column}={fmt(c.value) or '·'}{'*' if c.inferred else ''}" for c in row.cells)
            out.write(f"  {row.key:<34} {values}   {label}\n")
    if any(c.inferred for t in report.tables for r in t.rows for c in r.cells):
        out.write("\n" + text("show.inferred_note", lang) + "\n")
    out.write("\n" + text("show.diagnostics", lang, count=len(report.diagnostics)) + "\n")
    for diagnostic in report.diagnostics:
        out.write(f"  {_diagnostic_line(diagnostic, lang)}\n")
    failed_ = [f for f in findings if f.status == "failed"]
    unchecked = [f for f in findings if f.status == UNCHECKED]
    hints = [f for f in findings if f.status == "suspected_misread"]
    out.write("\n" + text("show.checks", lang, failed=len(failed_), unchecked=len(unchecked), hints=len(hints)) + "\n")
    for finding in [*failed_, *hints]:
        severity = text(f"severity.{finding.severity}", lang)
        message = finding.message_zh if lang == "zh" else finding.message_en
        out.write(
            f"  {finding.rule} {severity}：{message}\n" if lang == "zh" else f"  {finding.rule} {severity}: {message}\n"
        )
        equation = finding.equation_zh if lang == "zh" else finding.equation_en
        if equation:
            out.write(f"      {equation}\n")
        cells = [(key, _cell(report, key)) for key in finding.keys]
        shown = [(key, cell) for key, cell in cells if cell is not None]
        if shown:
            out.write(text("show.cells", lang) + "\n")
        for key, cell in shown[:12]:
            value = (
                fmt(cell.value) or ("空" if lang == "zh" else "blank")
                if cell.status == "blank"
                else fmt(cell.value) or "·"
            )
            label = " ".join(labels(template, key)) if lang == "zh" else ""
            out.write(f"        {key:<48} {value:>8}  {_where(cell)}  {label}".rstrip() + "\n")
        if len(shown) > 12:
            out.write(f"        … {len(shown) - 12}\n")
    if unchecked:
        rules = ", ".join(dict.fromkeys(f"{f.rule} {f.keys[0]}" for f in unchecked))
        out.write(text("show.unchecked_list", lang, rules=rules) + "\n")
    if not findings:
        rules = ", ".join(dict.fromkeys([*(s.rule for s in template.relations), "D1"]))
        out.write(text("show.all_hold", lang, rules=rules) + "\n")


def _cell(report: Any, key: str) -> Any:
    try:
        return report.cell(key)
    except KeyError:
        return None
