"""Exports keep a printed value, a printed blank, a lost cell and an inferred one apart.

tests/data/web/025.txt (桦川县卫生健康局 2021, README of tests/data/web), read by hand:
the 行政事业性收费 amount is printed as an empty paragraph (line 74), and the text stops
after the sixth of the seven cells of （二）部分公开 (six ``0`` paragraphs, lines 157-167),
so that row's 总计 is not in the text; S1 (总计 = the six columns, all 0) gives it as 0.
Everything after that row is lost to the cut.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import read_text

import govreport
from govreport.cli import main
from govreport.table import STATUS_COLUMNS

TEXT = read_text("web/025.txt")
BLANK = "disclosure.fees.amount"
INFERRED = "applications.partially_granted.total"
PRINTED = "applications.partially_granted.other_org"  # the sixth 0 of that row
LOST = "applications.results_total.total"  # after the cut


def _keys(field: str) -> set[str]:
    return set(field.split())


def _check_row(row: dict[str, object], *, with_inferred: bool = False) -> None:
    # An inferred number is never shown in its value column as if printed (unless asked):
    # it is in the "inferred" column, key=value.
    assert row[INFERRED] in ((0, "0") if with_inferred else (None, "")) and row[PRINTED] in (0, "0")
    assert row["inferred"] == f"{INFERRED}=0"
    assert row[BLANK] in (None, "") and row[LOST] in (None, "")
    assert _keys(str(row["status.blank"])) == {BLANK}
    assert _keys(str(row["status.inferred"])) == {INFERRED}
    missing = _keys(str(row["status.missing"]))
    assert LOST in missing and BLANK not in missing and INFERRED not in missing and PRINTED not in missing


def test_the_statuses_as_read() -> None:
    report = govreport.parse(TEXT)
    statuses = govreport.statuses(report)
    assert (statuses[BLANK], statuses[INFERRED], statuses[PRINTED], statuses[LOST]) == (
        "blank",
        "inferred",
        "number",
        "missing",
    )


def test_csv_lists_the_keys_of_each_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "025.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert main(["parse", str(path), "-f", "csv", "-q"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    assert len(rows) == 1
    header = list(rows[0])
    assert [c for c in header if c.startswith("status.")] == list(STATUS_COLUMNS)
    assert "status.number" not in header
    _check_row(rows[0])


def test_with_inferred_puts_the_inferred_numbers_in_their_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "025.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert main(["parse", str(path), "-f", "csv", "-q", "--with-inferred"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    _check_row(rows[0], with_inferred=True)
    table = tmp_path / "t.csv"
    assert main(["export", str(path), "-o", str(table), "-q", "--with-inferred"]) == 0
    with open(table, encoding="utf-8-sig", newline="") as handle:
        _check_row(next(csv.DictReader(handle)), with_inferred=True)


def test_frame_and_parquet_carry_the_status_columns(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    pq = pytest.importorskip("pyarrow.parquet")
    frame = govreport.to_frame([govreport.parse(TEXT)])
    assert str(frame["status.inferred"].dtype) == "string"
    _check_row({k: None if v is pd.NA else v for k, v in frame.iloc[0].to_dict().items()})
    source, out = tmp_path / "025.txt", tmp_path / "t.parquet"
    source.write_text(TEXT, encoding="utf-8")
    assert main(["export", str(source), "-o", str(out), "-q"]) == 0
    table = pq.read_table(out)
    assert str(table.schema.field("status.inferred").type) == "string"
    _check_row(table.to_pylist()[0])


def test_json_keeps_status_and_inferred() -> None:
    data = json.loads(govreport.to_json(govreport.parse(TEXT)))
    rows = {row["key"]: row for row in data["applications"]["rows"]}
    cells = {c["column"]: c for c in rows["partially_granted"]["cells"]}
    assert (cells["total"]["status"], cells["total"]["inferred"], cells["total"]["value"]) == ("inferred", True, 0)
    assert (cells["other_org"]["status"], cells["other_org"]["inferred"]) == ("number", False)
    fees = {row["key"]: row for row in data["disclosure"]["rows"]}["fees"]
    assert [(c["value"], c["status"]) for c in fees["cells"]] == [(None, "blank")]
