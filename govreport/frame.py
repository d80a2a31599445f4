"""The wide table as a pandas DataFrame, and as a Parquet file (optional extras).

``to_frame`` needs ``pip install 'govreport[pandas]'``; Parquet output needs
``pip install 'govreport[parquet]'`` (pyarrow).  Counts are nullable integers (pandas
``Int64``, Parquet ``int64``): a blank cell is missing, never 0.  Money stays exact:
``decimal.Decimal`` objects in the DataFrame, ``decimal128(38, 10)`` in Parquet (a value
that does not fit is an error, never rounded).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .batch import BatchResult
from .errors import GovreportError
from .model import Report
from .readers.extras import require
from .table import column_types, columns, report_findings, report_row

PARQUET_DECIMAL = (38, 10)
PARQUET_BATCH = 1000  # rows per row group written: memory stays flat however long the corpus


def to_frame(reports: Iterable[Report | BatchResult]) -> Any:
    """A ``pandas.DataFrame`` with one row per report and the columns of the CSV table.

    Accepts reports, or the results of ``parse_many`` (a result with an error gives a row
    with only ``file`` and ``error``).  ``file`` is the file a report was read from, if any.
    """
    pd = require("pandas", "to_frame (a pandas DataFrame)", "pandas")
    names = columns()
    types = column_types()
    rows = [_row(item) for item in reports]
    data = {name: [row.get(name) for row in rows] for name in names}
    frame = pd.DataFrame(
        {name: pd.Series(values, dtype=_pandas_dtype(types[name]), name=name) for name, values in data.items()},
        columns=names,
    )
    return frame


def _row(item: Report | BatchResult) -> dict[str, Any]:
    if isinstance(item, BatchResult):
        if item.report is None:
            return report_row(item.name, None, error=item.error)
        report = item.report
        name = item.name
    else:
        report = item
        name = report.source.name if report.source is not None else ""
    return report_row(name, report, report_findings(report))


def _pandas_dtype(kind: str) -> str:
    return {"str": "string", "int": "Int64", "decimal": "object"}[kind]


class ParquetTable:
    """A Parquet file written in row groups as rows arrive."""

    def __init__(self, path: str) -> None:
        self.pa = require("pyarrow", "writing Parquet", "parquet")
        parquet = require("pyarrow.parquet", "writing Parquet", "parquet")
        types = column_types()
        self.names = columns()
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
