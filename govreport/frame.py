"""The wide table as a pandas DataFrame, and as a Parquet file (optional extras).

``to_frame`` needs ``pip install 'govreport[pandas]'``; Parquet output needs
``pip install 'govreport[parquet]'`` (pyarrow).  Counts are nullable integers (pandas
``Int64``, Parquet ``int64``): a blank cell is missing, never 0.  Money stays exact:
``decimal.Decimal`` objects in the DataFrame, ``decimal128(38, 10)`` in Parquet (a value
that does not fit is an error, never rounded).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from .batch import BatchResult, describe, input_name, parse_one
from .errors import GovreportError
from .model import Report
from .readers.extras import require
from .table import column_types, columns, report_findings, report_row

PARQUET_DECIMAL = (38, 10)
PARQUET_BATCH = 1000  # rows per row group written: memory stays flat however long the corpus


def to_frame(items: Iterable[Report | BatchResult | str | os.PathLike[str] | bytes] | Any, **options: Any) -> Any:
    """A ``pandas.DataFrame`` with one row per report and the columns of the CSV table.

    ``items`` are what ``parse_many`` takes, or what it gives back, in any mix:

    * a ``Report``, or a ``BatchResult`` of ``parse_many`` (one with an error gives a row
      with only ``file`` and ``error``);
    * a file: a ``pathlib.Path``, bytes, or a ``str`` with no line break (a path);
    * report text: a ``str`` with a line break (every report has one).  This is the rule
      of ``parse_many``; to be explicit, pass ``Path("a.pdf")`` for a file.

    Files and texts are parsed here, one after the other (``options`` are those of
    ``parse``, such as ``template``); for a large corpus, ``parse_many`` in parallel
    and pass its results.  An input that cannot be read gives a row with ``error`` (its
    reason), never an exception.  A single item (not in a list) is one row.
    """
    pd = require("pandas", "to_frame (a pandas DataFrame)", "pandas")
    if isinstance(items, (str, bytes, bytearray, os.PathLike, Report, BatchResult)):
        items = [items]
    names = columns()
    types = column_types()
    rows = [_row(index, item, options) for index, item in enumerate(items)]
    data = {name: [row.get(name) for row in rows] for name in names}
    frame = pd.DataFrame(
        {name: pd.Series(values, dtype=_pandas_dtype(types[name]), name=name) for name, values in data.items()},
        columns=names,
    )
    return frame


def _row(index: int, item: Any, options: dict[str, Any]) -> dict[str, Any]:
    if isinstance(item, BatchResult):
        if item.report is None:
            return report_row(item.name, None, error=item.error)
        report = item.report
        name = item.name
    elif isinstance(item, Report):
        report = item
        name = report.source.name if report.source is not None else ""
    else:
        name = input_name(item, index)
        if not isinstance(item, (str, bytes, bytearray, os.PathLike)):
            error = f"TypeError: not a report, a parse_many result, a path or a text: {type(item).__name__}"
            return report_row(name, None, error=error)
        try:
            report = parse_one(item, **options)
        except Exception as exc:  # one bad input is a row with its reason, as in parse_many
            return report_row(name, None, error=describe(exc, name))
    return report_row(name, report, report_findings(report))


def _pandas_dtype(kind: str) -> str:
    return {"str": "string", "int": "Int64", "decimal": "object"}[kind]


class ParquetTable:
    """A Parquet file written in row groups as rows arrive."""

    def __init__(self, path: str, *, sections: bool = False) -> None:
        self.pa = require("pyarrow", "writing Parquet", "parquet")
        parquet = require("pyarrow.parquet", "writing Parquet", "parquet")
        types = column_types()
        self.names = columns(sections=sections)
        self.schema = self.pa.schema([(name, self._arrow_type(types[name])) for name in self.names])
        self.writer = parquet.ParquetWriter(path, self.schema)
        self.rows: list[dict[str, Any]] = []

    def _arrow_type(self, kind: str) -> Any:
        pa = self.pa
        return {"str": pa.string(), "int": pa.int64(), "decimal": pa.decimal128(*PARQUET_DECIMAL)}[kind]

    def write(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= PARQUET_BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        columns_data = {name: [row.get(name) for row in self.rows] for name in self.names}
        try:
            batch = self.pa.RecordBatch.from_pydict(columns_data, schema=self.schema)
        except (self.pa.ArrowInvalid, self.pa.ArrowTypeError, OverflowError) as exc:
            raise GovreportError(f"a value does not fit the Parquet column types: {exc}") from exc
        self.writer.write_batch(batch)
        self.rows.clear()

    def close(self) -> None:
        self.flush()
        self.writer.close()
