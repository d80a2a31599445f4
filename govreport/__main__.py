"""The ``govreport`` command line: ``govreport show FILE`` prints data and checks.

govreport show report.txt          # the tables, diagnostics and arithmetic checks
govreport parse report.txt         # the report as JSON
govreport check report.txt         # only the checks; exit status 1 if any fails
govreport templates                # the registered templates
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from . import __version__
from .checks import Finding, check
from .errors import GovreportError
from .files import parse_file
from .flatten import flatten
from .model import Report
from .serialize import to_json
from .templates import get_template, templates


def _load(path: str, template: str | None) -> Report:
    """Parse a file of any kind ``parse_file`` reads; ``-`` is standard input."""
    return parse_file(sys.stdin.buffer.read() if path == "-" else path, template=template)


def _fmt(value: object) -> str:
    return "" if value is None else str(value)


def print_report(report: Report, findings: Sequence[Finding], out: TextIO) -> None:
    meta = report.meta
    out.write(f"{meta.title or '(no title)'}\n")
    out.write(f"  agency: {meta.agency or '-'}   year: {_fmt(meta.year) or '-'}   template: {report.template}")
    out.write(f"   signed: {meta.signed_on or '-'}\n")
    template = get_template(report.template)
    for table in report.tables:
        out.write(f"\n[{table.name}]{'' if table.printed else '  (not in the text)'}\n")
        for row in table.rows:
            spec = next((s for s in template.table_rows(table.name) if s.key == row.key), None)
            label = spec.label if spec is not None else row.label
            values = "  ".join(f"{c.column}={_fmt(c.value) or '·'}{'*' if c.inferred else ''}" for c in row.cells)
            out.write(f"  {row.key:<34} {values}   {label}\n")
    if any(c.inferred for t in report.tables for r in t.rows for c in r.cells):
        out.write("\n* not printed: filled from the table's arithmetic (see the 'inferred' diagnostics)\n")
    out.write(f"\ndiagnostics: {len(report.diagnostics)}\n")
    for diagnostic in report.diagnostics:
        out.write(f"  {diagnostic}\n")
    failed = [f for f in findings if f.status == "failed"]
    unchecked = [f for f in findings if f.status == "not_checkable"]
    hints = [f for f in findings if f.status == "suspected_misread"]
    out.write(f"\nchecks: {len(failed)} failed, {len(unchecked)} not checkable, {len(hints)} misread hints\n")
    for finding in findings:
        out.write(f"  {finding}\n")
        if finding.status == "failed":
            out.write(f"      {finding.message_zh}; cells: {', '.join(finding.keys[:8])}")
            out.write(" …\n" if len(finding.keys) > 8 else "\n")
    if not findings:
        out.write("  every relation holds (P1, S1, S2, S5, D1) and the text agrees with the tables (TXT)\n")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="govreport", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--version", action="version", version=f"govreport {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("show", "print the tables, diagnostics and check results"),
        ("parse", "print the report as JSON (or flat key/values with -f flat)"),
        ("check", "print the arithmetic checks; exit 1 if any relation fails"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("file", help="a report: text (any encoding), HTML, PDF or .docx; - for standard input")
        p.add_argument("--template", help="force a template (default: 2021)")
        if name == "parse":
            p.add_argument("-f", "--format", choices=["json", "flat"], default="json")
            p.add_argument("--checks", action="store_true", help="include the check findings in the JSON")
    sub.add_parser("templates", help="list the registered templates")
    args = ap.parse_args(argv)

    if args.command == "templates":
        for t in templates():
            years = f"{t['years'][0]}–{t['years'][1] or ''}"
            print(f"{t['name']}\t{years}\t{len(t['keys'])} keys\t{t['title']}")
        return 0
    try:
        report = _load(args.file, args.template)
    except GovreportError as exc:
        print(f"govreport: {exc}", file=sys.stderr)
        return 2
    findings = check(report, prose=True)
    if args.command == "parse":
        if args.format == "json":
            print(to_json(report, indent=2, checks=args.checks))
        else:
            print(json.dumps(flatten(report), ensure_ascii=False, indent=2, default=str))
        return 0
    if args.command == "check":
        for finding in findings:
            print(f"{args.file}: {finding}")
        return 1 if any(f.status == "failed" for f in findings) else 0
    print_report(report, findings, sys.stdout)
    return 0


def run() -> None:
    """Console-script entry: exit quietly when the reader of our output goes away (``| head``)."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)


if __name__ == "__main__":
    run()
