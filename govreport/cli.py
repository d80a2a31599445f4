"""The ``govreport`` command line: one report to read, or a corpus to turn into a table.

govreport show report.pdf                      # the tables, diagnostics and checks, for reading
govreport parse report.txt                     # one report as JSON
govreport parse reports/*.html -f csv -o t.csv # one CSV row per report
govreport check reports/*                      # the findings; exit status 1 if any report has an error
govreport export reports/ -o table.parquet     # the wide table of a corpus, and its findings
govreport export reports/ -o audit.xlsx        # an Excel workbook to audit by eye
govreport series reports/                      # year-over-year checks of each agency's reports
govreport templates                            # the registered templates
govreport view report.pdf -o report.html       # one report as an HTML page, values linked to the source text

Files are processed in parallel (``--jobs``, default all CPUs) and written in the order
given; a file that cannot be read is reported with its reason and never stops the batch.
Under a folder, the regular files with a report extension or none are read; every other
file (another extension, a hidden file, a named pipe, a device, a socket) is skipped and
named on standard error with the reason.  A file that takes longer than ``--timeout``
seconds (default 60) is stopped and reported as unreadable; the batch goes on.
Exit status: 0 when every file was read (and, for ``check``, no report has an error);
1 when a file could not be read or a report has an error; 2 for a usage error (also:
nothing to read, as in an empty folder).
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, TextIO

from attrs import evolve, frozen

from . import __version__
from .batch import TIMEOUT, default_jobs, describe, input_name, map_ordered, parse_one, worker_died
from .csvfiles import Earlier, FlushedCsv, resume, skipped_row
from .errors import GovreportError, UsageError
from .executors import dask_executor
from .messages import DEFAULT_LANG, LANGS, text
from .model import Finding, Report
from .printout import fmt, print_report
from .readers import extensions, readers
from .registry import build_parsers, templates
from .serialize import to_dict, to_json
from .table import (
    FINDING_COLUMNS,
    UNCHECKED,
    CsvTable,
    columns,
    finding_places,
    finding_record,
    finding_rows,
    report_findings,
    report_row,
)

EXAMPLES = {
    "show": """examples:
  govreport show examples/huaian-2024.txt
  govreport show report.pdf --template 2019
  govreport show report.pdf --lang en             # in English (also: GOVREPORT_LANG=en)""",
    "parse": """examples:
  govreport parse report.pdf                      # JSON of one report
  govreport parse a.txt b.html c.pdf              # JSON Lines, one report per line
  govreport parse reports/ -f csv -o table.csv    # one CSV row per report, a column per key
  cat report.txt | govreport parse -              # standard input""",
    "check": """examples:
  govreport check report.txt                      # findings, human-readable
  govreport check reports/ -q && echo all consistent
  govreport check reports/ -f jsonl > findings.jsonl""",
    "export": """examples:
  govreport export reports/ -o table.csv          # + table.findings.csv, table.unchecked.csv
  govreport export reports/ -o table.csv --with-inferred   # inferred numbers in the value columns too
  govreport export reports/ -o table.csv --sections        # + the text of 总体情况 and 存在的主要问题及改进情况
  govreport export reports/ -o table.parquet      # needs pip install 'govreport[parquet]'
  govreport export a/ b/ --findings problems.csv -o table.csv --jobs 2
  govreport export reports/ -o table.csv --resume # after an interrupted run: only the files not in table.csv
  govreport export reports/ -o table.csv --timeout 300  # allow 5 minutes per file
  govreport export reports/ -o audit.xlsx         # a workbook: needs pip install 'govreport[excel]'
  govreport export /shared/reports/ -o table.csv --scheduler tcp://10.0.0.5:8786  # on a Dask cluster""",
    "series": """examples:
  govreport series reports/                       # year-over-year findings of each agency, on standard output
  govreport series reports/ -o series.csv         # as a CSV table (or -o series.xlsx, a workbook)
  govreport series reports/ --factor 5 --minimum 50   # report smaller jumps (H5)""",
    "templates": """examples:
  govreport templates""",
    "view": """examples:
  govreport view report.pdf -o report.html        # open report.html in a browser
  govreport view report.docx --lang en -o report.html""",
}


# ----------------------------------------------------------------- the work done per file (in workers)


@frozen
class Outcome:
    """What a worker sends back for one file: small, already serialised."""

    name: str
    error: str | None = None
    text: str | None = None  # the JSON of the report (parse -f json/jsonl), or show's printout
    row: dict[str, Any] | None = None  # the wide-table row (csv, export)
    findings: tuple[Finding, ...] = ()
    finding_rows: tuple[dict[str, Any], ...] = ()  # the findings as rows of the findings tables (export)
    places: tuple[str, ...] = ()  # per finding: where its cells are printed (check)
    report: Report | None = None  # the report itself (want "report": the workbook, series)


def work(index: int, item: Any, options: dict[str, Any]) -> Outcome:
    """Parse one file and prepare exactly what the command writes."""
    name = input_name(item, index) if options.get("name") is None else options["name"]
    want = options["want"]
    try:
        report = parse_one(item, template=options.get("template"))
    except Exception as exc:  # one bad file never stops the batch; its reason is reported
        return Outcome(name, error=describe(exc, name))
    findings = report_findings(report)
    lang = options.get("lang", DEFAULT_LANG)
    if want == "json":
        written = findings if options.get("checks") else None
        return Outcome(name, text=to_json(report, indent=2, findings=written), findings=findings)
    if want == "jsonl":
        written = findings if options.get("checks") else None
        record = {"file": name, "error": None, "report": to_dict(report, findings=written)}
        return Outcome(name, text=json.dumps(record, ensure_ascii=False), findings=findings)
    if want == "show":
        from io import StringIO

        out = StringIO()
        print_report(report, findings, out, lang)
        return Outcome(name, text=out.getvalue(), findings=findings)
    if want == "report":
        return Outcome(name, report=report, findings=findings)
    if want == "check":
        places = tuple(_place(*finding_places(report, f)) for f in findings)
        return Outcome(name, findings=findings, places=places)
    rows = tuple(finding_rows(name, findings, report=report, lang=lang))
    row = report_row(
        name, report, findings, inferred=options.get("with_inferred", False), sections=options.get("sections", False)
    )
    return Outcome(name, row=row, findings=findings, finding_rows=rows)


def _place(pages: str, lines: str) -> str:
    """``p.3 12:5 13:5`` (the pages only when the input has them)."""
    where = [f"p.{page}" for page in pages.split()] + lines.split()
    return " ".join(where)


def failed(index: int, item: Any, exc: BaseException) -> Outcome:
    return Outcome(input_name(item, index), error=worker_died(exc, "--timeout SECONDS"))


# ----------------------------------------------------------------- inputs, progress


@frozen
class Inputs:
    """The files a command reads, and the files under its folders it leaves out, with why."""

    paths: list[str]
    skipped: list[tuple[str, str]]  # (path, reason)


def scan_inputs(arguments: Sequence[str]) -> Inputs:
    """Files as given, and the files under each directory (sorted, recursively).

    Under a directory, a regular file is read when its extension is one a registered reader
    names (``govreport.readers.extensions()``) or when it has none (the kind is always told
    from the content); every other file is skipped, with the reason: another extension, a
    hidden file, not a regular file (a named pipe would block its reader, a device never
    ends), a folder that cannot be listed.  A file named on the command line is always read.
    """
    wanted = extensions()
    paths: list[str] = []
    skipped: list[tuple[str, str]] = []
    for argument in arguments:
        if argument == "-" or not os.path.isdir(argument):
            paths.append(argument)
            continue
        found: list[str] = []

        def unlisted(error: OSError, folder: str = argument) -> None:
            skipped.append((error.filename or folder, f"the folder cannot be listed: {error.strerror or error}"))

        for root, folders, files in os.walk(argument, onerror=unlisted):
            folders.sort()
            for name in files:
                path = os.path.join(root, name)
                suffix = Path(name).suffix.lower()
                special = _not_regular(path)
                if name.startswith("."):
                    skipped.append((path, "a hidden file"))
                elif special:
                    skipped.append((path, f"not a regular file: {special}"))
                elif suffix in wanted or suffix == "":
                    found.append(path)
                else:
                    skipped.append((path, f"not a report format: no reader reads {suffix} files"))
        paths.extend(sorted(found))
    skipped.sort()
    return Inputs(paths, skipped)


def _not_regular(path: str) -> str | None:
    """What a file under a folder is when it is not a regular file (a link is followed), else None.

    A path that cannot be examined (a dangling link) counts as regular: reading it names the error.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def expand_inputs(arguments: Sequence[str]) -> list[str]:
    """The files ``scan_inputs`` reads."""
    return scan_inputs(arguments).paths


def inputs_of(arguments: Sequence[str], command: str, quiet: bool) -> Inputs:
    """The files to read; each file skipped is named on standard error (unless ``quiet``).

    Raises ``UsageError`` when there is nothing to read (an empty folder, or one whose
    every file was skipped).
    """
    inputs = scan_inputs(arguments)
    if not quiet:
        for path, reason in inputs.skipped:
            print(f"govreport {command}: skipped {path}: {reason}", file=sys.stderr)
    if not inputs.paths:
        where = ", ".join(arguments)
        more = f" ({len(inputs.skipped):,} skipped)" if inputs.skipped else ""
        raise UsageError(f"no report files in {where}{more}")
    return inputs


def _items(paths: Sequence[str]) -> Iterator[Any]:
    for path in paths:
        yield sys.stdin.buffer.read() if path == "-" else path


class Progress:
    """A tqdm bar on standard error, ``|#####     | 1234/2000 files  56.7 files/s  2 unreadable``, only
    when it is a terminal (nothing at all otherwise, and with ``-q``).  Results written to the
    same terminal go above the bar (``above``), as with ``tqdm.write``."""

    def __init__(self, total: int, quiet: bool, stream: TextIO | None = None) -> None:
        from tqdm import tqdm

        self.stream = stream or sys.stderr
        self.enabled = not quiet and total > 1 and self.stream.isatty()
        self.bad = 0
        self.bar = tqdm(
            total=total,
            file=self.stream,
            disable=not self.enabled,
            unit=" files",
            bar_format="  |{bar:30}| {n_fmt}/{total_fmt} files  {rate_fmt}{postfix}",
            postfix="0 unreadable",
            mininterval=0.1,
            dynamic_ncols=True,
        )

    def step(self, outcome: Outcome) -> None:
        if outcome.error is not None:
            self.bad += 1
            self.bar.set_postfix_str(f"{self.bad:,} unreadable", refresh=False)
        self.bar.update(1)

    @contextmanager
    def above(self) -> Iterator[None]:
        """Clear the bar while a result is printed on the terminal, then draw it again below."""
        shared = self.enabled and sys.stdout.isatty()
        if shared:
            self.bar.clear()
        try:
            yield
        finally:
            if shared:
                self.bar.refresh()

    def close(self) -> None:
        self.bar.close()


def run_batch(args: argparse.Namespace, paths: Sequence[str], want: str) -> Iterator[Outcome]:
    options = {
        "want": want,
        "template": args.template,
        "checks": getattr(args, "checks", False),
        "lang": getattr(args, "lang", DEFAULT_LANG),
        "with_inferred": getattr(args, "with_inferred", False),
        "sections": getattr(args, "sections", False),
    }
    if paths == ["-"]:
        options["name"] = "<stdin>"
    progress = Progress(len(paths), args.quiet)
    timeout = args.timeout or None  # 0: no limit
    try:
        outcomes = map_ordered(
            work,
            _items(paths),
            fail=failed,
            jobs=args.jobs,
            timeout=timeout,
            options=options,
            prepare=build_parsers,
            executor=getattr(args, "executor", None),  # export --scheduler: a Dask cluster's
        )
        for outcome in outcomes:
            progress.step(outcome)
            with progress.above():
                yield outcome
    finally:
        progress.close()


# ----------------------------------------------------------------- commands


def cmd_show(args: argparse.Namespace) -> int:
    status = 0
    for outcome in run_batch(args, inputs_of(args.files, "show", args.quiet).paths, "show"):
        if _report_error(outcome):
            status = 1
            continue
        if len(args.files) > 1:
            print(f"== {outcome.name}")
        sys.stdout.write(outcome.text or "")
    return status


def cmd_parse(args: argparse.Namespace) -> int:
    paths = inputs_of(args.files, "parse", args.quiet).paths
    fmt = args.format or ("json" if len(paths) == 1 else "jsonl")
    status = 0
    with _output(args.output, bom=fmt == "csv") as out:
        if fmt == "csv":
            table = CsvTable(out, columns(sections=args.sections))
            for outcome in run_batch(args, paths, "row"):
                status |= _report_error(outcome)
                table.write(outcome.row or report_row(outcome.name, None, error=outcome.error))
                out.flush()
        elif fmt == "jsonl":
            for outcome in run_batch(args, paths, "jsonl"):
                status |= _report_error(outcome)
                line = outcome.text or json.dumps({"file": outcome.name, "error": outcome.error, "report": None})
                out.write(line + "\n")
                out.flush()
        else:
            many = len(paths) > 1
            if many:
                out.write("[\n")
            for n, outcome in enumerate(run_batch(args, paths, "json")):
                status |= _report_error(outcome)
                text = outcome.text or json.dumps({"file": outcome.name, "error": outcome.error}, ensure_ascii=False)
                out.write((",\n" if n else "") + text if many else text + "\n")
                out.flush()
            if many:
                out.write("\n]\n")
    return status


def cmd_check(args: argparse.Namespace) -> int:
    status = 0
    paths = inputs_of(args.files, "check", args.quiet).paths
    reports = with_errors = 0
    with _output(args.output) as out:
        if args.format == "json":
            out.write("[")
        for n, outcome in enumerate(run_batch(args, paths, "check")):
            reports += 1
            bad = outcome.error is not None or any(f.severity == "error" for f in outcome.findings)
            with_errors += bad
            status |= int(bad)
            if args.format == "text":
                _print_findings(outcome, out, args.lang)
            else:
                record = {"file": outcome.name, "error": outcome.error, "findings": _findings_json(outcome.findings)}
                line = json.dumps(record, ensure_ascii=False)
                out.write(line + "\n" if args.format == "jsonl" else ("," if n else "") + "\n  " + line)
            out.flush()
        if args.format == "json":
            out.write("\n]\n")
    if not args.quiet:
        print(text("check.summary", args.lang, files=f"{reports:,}", bad=f"{with_errors:,}"), file=sys.stderr)
    return status


def cmd_export(args: argparse.Namespace) -> int:
    output = Path(args.output)
    suffix = output.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise UsageError(
            f"export -o {output}: unknown kind of table {suffix or '(no suffix)'!r}: use one of "
            f"{' '.join(EXPORT_SUFFIXES)}"
        )
    inputs = inputs_of(args.inputs, "export", args.quiet)
    if suffix == ".xlsx":
        return export_workbook(args, inputs, output)
    parquet = suffix == ".parquet"
    findings_path = Path(args.findings) if args.findings else output.with_name(output.stem + ".findings.csv")
    unchecked_path = Path(args.unchecked) if args.unchecked else output.with_name(output.stem + ".unchecked.csv")
    if args.resume and parquet:
        raise UsageError(
            f"--resume cannot append to {output}: a Parquet file is whole only once it is closed; "
            "export to a .csv table to resume, or run again without --resume"
        )
    earlier = resume(output, findings_path, unchecked_path, sections=args.sections) if args.resume else Earlier()
    paths = [path for path in inputs.paths if path not in earlier.files]
    table_writer: Any
    if parquet:
        from .frame import ParquetTable

        partial = output.with_name(output.name + ".partial")
        table_writer = ParquetTable(str(partial), sections=args.sections)
    else:
        table_writer = FlushedCsv(output, columns(sections=args.sections), append=bool(earlier.files))
    counts = {"files": 0, "unreadable": 0, "failed": 0, "findings": 0, "unchecked": 0, "skipped": 0}
    try:
        with (
            FlushedCsv(findings_path, FINDING_COLUMNS, append=earlier.findings) as findings,
            FlushedCsv(unchecked_path, FINDING_COLUMNS, append=earlier.unchecked) as unchecked,
        ):
            for path, reason in inputs.skipped:  # named in the findings table too, whatever -q says
                if path not in earlier.skipped:
                    findings.write(skipped_row(path, reason))
                    counts["skipped"] += 1
            findings.flush()
            for outcome in run_batch(args, paths, "row"):
                counts["files"] += 1
                counts["unreadable"] += outcome.error is not None
                counts["failed"] += any(f.status == "failed" and f.severity == "error" for f in outcome.findings)
                rows = outcome.finding_rows or finding_rows(outcome.name, (), outcome.error)
                for row in rows:
                    if row["status"] == UNCHECKED:
                        unchecked.write(row)
                        counts["unchecked"] += 1
                    else:
                        findings.write(row)
                        counts["findings"] += row["status"] != "unreadable"
                unchecked.flush()
                findings.flush()  # before the table row: a file in the table has all its findings
                table_writer.write(outcome.row or report_row(outcome.name, None, error=outcome.error))
                table_writer.flush()
    finally:
        table_writer.close()
        if parquet:
            os.replace(partial, output)
    if not args.quiet:
        print(
            export_summary(
                counts, len(earlier.files) if args.resume else None, output, findings_path, unchecked_path, args.lang
            ),
            file=sys.stderr,
        )
    return 1 if counts["unreadable"] or earlier.unreadable else 0


def export_summary(
    counts: dict[str, int], again: int | None, output: Path, findings: Path, unchecked: Path, lang: str
) -> str:
    """The line ``export`` ends with: the counts of what this run wrote to each file
    (``findings``: rows of the findings table other than the ``READ`` and ``SKIP`` rows,
    whose numbers are ``unreadable`` and ``skipped``; ``unchecked``: rows of the unchecked table)."""
    more = "" if again is None else text("export.again", lang, count=f"{again:,}", output=output)
    return text(
        "export.summary",
        lang,
        **{key: f"{value:,}" for key, value in counts.items()},
        again=more,
        findings_path=findings,
        unchecked_path=unchecked,
        output=output,
    )


EXPORT_SUFFIXES = (".csv", ".parquet", ".xlsx")


def export_workbook(args: argparse.Namespace, inputs: Inputs, output: Path) -> int:
    """``export -o audit.xlsx``: the audit workbook (govreport.workbook), written report by report."""
    from .workbook import AuditWorkbook

    if args.resume or args.findings or args.unchecked:
        raise UsageError(
            "--resume, --findings and --unchecked apply to .csv and .parquet tables; a workbook has a findings sheet"
        )
    book = AuditWorkbook(output)
    unreadable = 0
    for path, reason in inputs.skipped:
        book.skipped(path, reason)
    for outcome in run_batch(args, inputs.paths, "report"):
        unreadable += outcome.error is not None
        book.add(outcome.name, outcome.report, outcome.findings, outcome.error)
    book.close()
    if not args.quiet:
        print(
            f"govreport export: {len(inputs.paths):,} file(s), {unreadable:,} unreadable -> {output}", file=sys.stderr
        )
    return 1 if unreadable else 0


def cmd_series(args: argparse.Namespace) -> int:
    """``govreport series``: the year-over-year checks of each agency's reports (govreport.series)."""
    from .messages import text
    from .series import SERIES_COLUMNS, Filed, Limits, check_groups, group_series, series_record

    suffix = Path(args.output).suffix.lower() if args.output not in (None, "-") else ""
    if suffix not in ("", ".csv", ".xlsx"):
        raise UsageError(f"series -o {args.output}: unknown kind of table {suffix!r}: use .csv or .xlsx")
    kept: list[Filed] = []
    status = 0
    for outcome in run_batch(args, inputs_of(args.files, "series", args.quiet).paths, "report"):
        status |= _report_error(outcome)
        if outcome.report is not None:
            kept.append(Filed(outcome.name, evolve(outcome.report, sections=(), preamble="", diagnostics=())))
    grouping = group_series(kept)
    found = check_groups(grouping, Limits(factor=args.factor, minimum=args.minimum))
    if suffix == ".xlsx":
        from .workbook import write_series_workbook

        write_series_workbook(args.output, grouping, found, lang=args.lang)
    else:
        with _output(args.output, bom=suffix == ".csv") as out:
            if suffix == ".csv":
                table = CsvTable(out, SERIES_COLUMNS)
                for item in found:
                    table.write(series_record(item))
            else:
                heading = ("agency", "year", "rule", "message", "expected", "actual", "file")
                out.write("\t".join(text(f"series.column.{h}", args.lang) for h in heading) + "\n")
                for item in found:
                    r = series_record(item)
                    numbers = f"\t{fmt(r['expected'])}\t{fmt(r['actual'])}"
                    out.write(
                        f"{r['agency']}\t{r['year']}\t{r['rule']}\t{r['message_' + args.lang]}{numbers}\t{r['file']}\n"
                    )
    if not args.quiet:
        several = sum(len(s.years) > 1 for s in grouping.series)
        print(
            f"govreport series: {len(grouping.series):,} agencies ({several:,} with several years), "
            f"{len(found):,} finding(s), {len(grouping.unplaced):,} report(s) without an agency or a year",
            file=sys.stderr,
        )
    return status


def cmd_view(args: argparse.Namespace) -> int:
    """One report as a self-contained HTML page (``govreport.view``)."""
    from .files import _parse_extracted
    from .readers import read_file
    from .view import render_html

    data = sys.stdin.buffer.read() if args.file == "-" else args.file
    extracted = read_file(data)  # read once: the spans point into this text
    report = _parse_extracted(extracted, template=args.template)
    page = render_html(report, extracted.text, report_findings(report), lang=args.lang)
    with _output(args.output) as out:
        out.write(page)
    return 0


def cmd_templates(args: argparse.Namespace) -> int:
    for t in templates():
        years = f"{t['years'][0]}–{t['years'][1] or ''}"
        rules = ", ".join([*t["relations"], *t["series"]]) or "no relations declared: nothing is checked"
        print(f"{t['name']}\t{years}\t{len(t['keys'])} keys\t{rules}\t{t['title']}")
    return 0


# ----------------------------------------------------------------- printing


def _report_error(outcome: Outcome) -> int:
    if outcome.error is None:
        return 0
    print(f"govreport: {outcome.name}: {outcome.error}", file=sys.stderr)
    return 1


def _print_findings(outcome: Outcome, out: IO[str], lang: str = DEFAULT_LANG) -> None:
    """``file: S5 错误 不成立: <equation>  <message> [cells] @ p.3 12:5`` per finding."""
    if outcome.error is not None:
        out.write(text("check.read_error", lang, file=outcome.name, error=outcome.error) + "\n")
        return
    places = outcome.places or ("",) * len(outcome.findings)
    unchecked = 0
    for f, place in zip(outcome.findings, places, strict=True):
        if f.status == UNCHECKED:  # counted on one line: a lost cell is no problem of the report
            unchecked += 1
            continue
        cells = ", ".join(f.keys[:6]) + (" …" if len(f.keys) > 6 else "")
        head = f"{outcome.name}: {f.rule} {text('severity.' + f.severity, lang)} {text('status.' + f.status, lang)}"
        equation = f.equation_zh if lang == "zh" else f.equation_en
        message = f.message_zh if lang == "zh" else f.message_en
        body = (
            f"{equation}  （{message}）"
            if lang == "zh" and equation
            else f"{equation}  ({message})"
            if equation
            else message
        )
        out.write(f"{head}: {body} [{cells}]{' @ ' + place if place else ''}\n")
    if unchecked:
        out.write(text("check.unchecked", lang, file=outcome.name, count=unchecked) + "\n")


def _findings_json(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Findings for JSON output: numbers as strings, so that amounts stay exact."""
    records = [finding_record(f) for f in findings]
    for record in records:
        for field in ("expected", "actual"):
            record[field] = None if record[field] is None else str(record[field])
    return records


class _output:
    """Standard output, or a file (``-o``) opened for the duration of a command."""

    def __init__(self, path: str | None, bom: bool = False) -> None:
        self.path, self.bom = path, bom
        self.handle: IO[str] | None = None

    def __enter__(self) -> IO[str]:
        if self.path in (None, "-"):
            return sys.stdout
        self.handle = open(self.path, "w", encoding="utf-8-sig" if self.bom else "utf-8", newline="")
        return self.handle

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()


# ----------------------------------------------------------------- the parser of arguments


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return jobs


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not seconds >= 0 or seconds == float("inf"):
        raise argparse.ArgumentTypeError("must be a number of seconds, 0 for no limit")
    return seconds


def _files_help() -> str:
    """The FILE argument's help, from the registered readers."""
    formats = ", ".join(r.title for r in readers())
    suffixes = " ".join(sorted(extensions()))
    return (
        f"report files ({formats}) or directories (their {suffixes} files and files without an extension); "
        "- is standard input"
    )


def _default_lang() -> str:
    """``GOVREPORT_LANG`` when it names a language govreport speaks, else Chinese."""
    lang = os.environ.get("GOVREPORT_LANG", DEFAULT_LANG).strip().lower()
    return lang if lang in LANGS else DEFAULT_LANG


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="govreport", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--version", action="version", version=f"govreport {__version__}")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=EXAMPLES[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if name != "templates":
            p.add_argument("--template", help="read every file with this template (default: detected)")
            p.add_argument(
                "-j", "--jobs", type=_jobs, default=default_jobs(), help="worker processes (default: all CPUs)"
            )
            p.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary on standard error")
            p.add_argument(
                "--timeout",
                type=_seconds,
                default=TIMEOUT,
                metavar="SECONDS",
                help=f"stop reading a file after this long, and report it (default: {TIMEOUT:g}; 0: no limit)",
            )
            p.add_argument(
                "--lang",
                choices=LANGS,
                default=_default_lang(),
                help="the language of the texts for people: zh (default) or en; also GOVREPORT_LANG "
                "(codes, rule names and column names never change)",
            )
        return p

    files_help = _files_help()
    p = command("show", "print the tables, diagnostics and check results of reports, for reading")
    p.add_argument("files", nargs="+", metavar="FILE", help=files_help)
    p = command("parse", "reports as JSON, JSON Lines or a CSV table with one row per report")
    p.add_argument("files", nargs="+", metavar="FILE", help=files_help)
    p.add_argument(
        "-f", "--format", choices=["json", "jsonl", "csv"], help="default: json for one file, jsonl for several"
    )
    p.add_argument("-o", "--output", help="write here instead of standard output")
    p.add_argument("--checks", action="store_true", help="include the check findings in the JSON")
    p.add_argument(
        "--with-inferred",
        action="store_true",
        help="csv: put inferred numbers in the value columns too (default: only in the 'inferred' column)",
    )
    p.add_argument(
        "--sections",
        action="store_true",
        help="csv: add the text of 总体情况 and 存在的主要问题及改进情况 (section.overview, section.problems)",
    )
    p = command("check", "print the arithmetic findings per report; exit status 1 if a report has an error")
    p.add_argument("files", nargs="+", metavar="FILE", help=files_help)
    p.add_argument("-f", "--format", choices=["text", "json", "jsonl"], default="text")
    p.add_argument("-o", "--output", help="write here instead of standard output")
    p = command("export", "the wide table of a corpus (CSV or Parquet) and a table of its findings")
    p.add_argument("inputs", nargs="+", metavar="DIR_OR_FILE", help=files_help)
    p.add_argument("-o", "--output", required=True, help="table.csv, table.parquet or audit.xlsx (a workbook)")
    p.add_argument(
        "--findings",
        help="the findings table: failed relations, D1, M1, TXT, unreadable and skipped files "
        "(default: <output>.findings.csv beside the output)",
    )
    p.add_argument(
        "--unchecked",
        metavar="PATH",
        help="the relations that could not be checked, a cell lost (default: <output>.unchecked.csv)",
    )
    p.add_argument(
        "--with-inferred",
        action="store_true",
        help="put inferred numbers in the value columns too (default: only in the 'inferred' column)",
    )
    p.add_argument(
        "--sections",
        action="store_true",
        help="add the text of 总体情况 and 存在的主要问题及改进情况 (section.overview, section.problems)",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="after an interrupted run: read only the files not yet in the (CSV) output, and append their rows",
    )
    p.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="read the files on a running Dask cluster (pip install 'govreport[dask]'); the workers must see "
        "the files at the same paths; --jobs is then the files in flight (default: the cluster's threads)",
    )
    p.set_defaults(jobs=None)  # None: all CPUs, or with --scheduler the cluster's threads
    p = command("series", "year-over-year checks of each agency's reports (H0-H5, warnings)")
    p.add_argument("files", nargs="+", metavar="FILE", help=files_help)
    p.add_argument("-o", "--output", help="series.csv or series.xlsx instead of a table on standard output")
    p.add_argument(
        "--factor",
        type=Decimal,
        default=Decimal(10),
        help="H5: a total that changes more than this many times (default 10)",
    )
    p.add_argument(
        "--minimum", type=Decimal, default=Decimal(100), help="H5: … and by at least this much (default 100)"
    )
    command("templates", "list the registered templates")
    p = sub.add_parser(
        "view",
        help="one report as a self-contained HTML page: the tables linked to the source text, the checks marked",
        description="one report as a self-contained HTML page: the tables linked to the source text, the checks marked",
        epilog=EXAMPLES["view"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", metavar="FILE", help="a report file (any format parse reads); - is standard input")
    p.add_argument("-o", "--output", help="write the page here (default: standard output)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="the page's language (default: zh)")
    p.add_argument("--template", help="read the file with this template (default: detected)")
    return ap


COMMANDS = {
    "show": cmd_show,
    "parse": cmd_parse,
    "check": cmd_check,
    "export": cmd_export,
    "series": cmd_series,
    "templates": cmd_templates,
    "view": cmd_view,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        with ExitStack() as stack:
            if getattr(args, "scheduler", None):  # connected before anything is written
                args.executor = stack.enter_context(dask_executor(args.scheduler))
            return COMMANDS[args.command](args)
    except (GovreportError, OSError, UsageError) as exc:  # a missing extra for Parquet, an output not writable
        print(f"govreport: {exc}", file=sys.stderr)
        return 2


def run() -> None:
    """Console-script entry: exit quietly when the reader of our output goes away (``| head``)."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    except KeyboardInterrupt:
        code = 130
    sys.exit(code)
