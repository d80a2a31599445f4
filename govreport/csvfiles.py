"""Tables written to disk row by row (``govreport export``): each row whole and flushed as it
comes, so a run killed midway leaves every finished row readable, and ``--resume`` goes on from
there (the rows a kill cut are dropped, with the findings of files not in the table)."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from attrs import frozen

from .errors import UsageError
from .table import FINDING_COLUMNS, CsvTable, columns


class FlushedCsv:
    """A CSV table on disk, each row written whole and flushed as it comes (header first,
    unless appending): a run killed midway leaves every finished row on disk, readable."""

    def __init__(self, path: Path, header: Sequence[str], *, append: bool = False) -> None:
        self.handle = open(path, "a" if append else "w", encoding="utf-8-sig", newline="")
        self.rows = io.StringIO()
        self.table = CsvTable(self.rows, header)  # formats the values as the other tables do
        if append:
            self._clear()
        else:
            self.flush()

    def write(self, row: dict[str, Any]) -> None:
        """Add a row; it reaches the file at the next ``flush``."""
        self.table.write(row)

    def flush(self) -> None:
        self.handle.write(self.rows.getvalue())
        self.handle.flush()
        self._clear()

    def _clear(self) -> None:
        self.rows.seek(0)
        self.rows.truncate()

    def close(self) -> None:
        self.flush()
        self.handle.close()

    def __enter__(self) -> FlushedCsv:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@frozen
class Earlier:
    """What an interrupted ``export`` left, for ``--resume``: the files its table has."""

    files: frozenset[str] = frozenset()
    unreadable: int = 0  # of them, the rows with an error
    skipped: frozenset[str] = frozenset()  # the files its findings table names as skipped
    findings: bool = False  # the findings table exists: append to it
    unchecked: bool = False  # the table of the relations not checkable exists: append to it


def resume(output: Path, findings_path: Path, unchecked_path: Path | None = None, *, sections: bool = False) -> Earlier:
    """The files an earlier run wrote to ``output``, and the tables made whole to append to.

    The table's ``file`` column names the files done.  A row cut by the kill is removed, and
    so are the findings of a file whose table row was not written (they come again).
    """
    if not output.exists():
        return Earlier()
    rows = _whole_rows(output, columns(sections=sections))
    files = frozenset(row["file"] for row in rows)
    unreadable = sum(bool(row["error"]) for row in rows)
    unchecked = unchecked_path is not None and unchecked_path.exists()
    if unchecked and unchecked_path is not None:
        _whole_rows(unchecked_path, FINDING_COLUMNS, keep=lambda row: row["file"] in files)
    if not findings_path.exists():
        return Earlier(files, unreadable, unchecked=unchecked)
    findings = _whole_rows(
        findings_path, FINDING_COLUMNS, keep=lambda row: row["file"] in files or row["rule"] == "SKIP"
    )
    skipped = frozenset(row["file"] for row in findings if row["rule"] == "SKIP")
    return Earlier(files, unreadable, skipped, findings=True, unchecked=unchecked)


def _whole_rows(
    path: Path, header: Sequence[str], keep: Callable[[dict[str, str]], bool] | None = None
) -> list[dict[str, str]]:
    """The rows of a CSV table written by ``FlushedCsv``, less an unfinished last row (the
    kill cut its write) and the rows ``keep`` drops; the file is rewritten without them."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"--resume: {path} is not a table govreport wrote (not UTF-8: {exc.reason})") from None
    consumed = 0

    def lines() -> Iterator[str]:
        nonlocal consumed
        start = 0
        while start < len(text):
            end = text.find("\n", start)
            end = len(text) if end < 0 else end + 1
            consumed = end
            yield text[start:end]
            start = end

    records: list[list[str]] = []
    last = before = 0  # where the last record ends, and starts
    try:
        for record in csv.reader(lines()):
            records.append(record)
            last, before = consumed, last
    except csv.Error as exc:
        raise UsageError(f"--resume: {path} is not a table govreport wrote: {exc}") from None
    if not records or records[0] != list(header):
        raise UsageError(f"--resume: {path} is not a table of this govreport version (its columns differ)")
    rows = records[1:]
    if rows and text[before:] != _csv_line(rows[-1]):  # written whole, or cut by the kill
        rows.pop()
    if any(len(record) != len(header) for record in rows):
        raise UsageError(f"--resume: {path} is not a table govreport wrote (a row has another number of cells)")
    named = [dict(zip(header, record, strict=True)) for record in rows]
    kept = named if keep is None else [row for row in named if keep(row)]
    if len(kept) < len(records) - 1:
        partial = path.with_name(path.name + ".partial")
        with open(partial, "w", encoding="utf-8-sig", newline="") as handle:
            handle.write(_csv_line(header) + "".join(_csv_line([row[name] for name in header]) for row in kept))
        os.replace(partial, path)
    return kept


def _csv_line(cells: Sequence[str]) -> str:
    """One row as ``CsvTable`` writes it."""
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow(cells)
    return line.getvalue()


def skipped_row(path: str, reason: str) -> dict[str, Any]:
    """A file left out of a folder scan, as a row of the findings table (rule ``SKIP``)."""
    row: dict[str, Any] = dict.fromkeys(FINDING_COLUMNS, None)
    return row | {"file": path, "rule": "SKIP", "severity": "warning", "status": "skipped", "message": reason}
