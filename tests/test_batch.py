"""parse_many (in order, streaming, one bad input never stops it) and to_frame."""

from __future__ import annotations

import itertools
import os
from decimal import Decimal
from typing import Any

import pytest
from conftest import DATA, read_text

import govreport
from govreport.batch import map_ordered

SEED = read_text("seeds/000_bfa6ed85e05c204a.txt")
OLD = read_text("seeds/001_29ed77745b82a4d4.txt")


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_come_in_input_order_with_errors_in_place(jobs: int) -> None:
    inputs: list[Any] = [SEED, "", DATA / "external/hzq2024_working.pdf", OLD, b"\x00\x01binary", "no/such/file.txt"]
    results = list(govreport.parse_many(inputs, jobs=jobs))
    assert [r.index for r in results] == list(range(len(inputs)))
    assert [r.ok for r in results] == [True, False, True, True, False, False]
    assert results[0].report == govreport.parse(SEED)
    assert results[0].name == "<text 0>"
    assert results[2].name == str(DATA / "external/hzq2024_working.pdf")
    assert results[2].report is not None and results[2].report.applications.new.total == 95
    assert results[3].report is not None and results[3].report.template == "2019"
    assert results[1].error is not None and results[1].error.startswith("NotAReportError: the text is empty")
    assert results[5].error is not None and "No such file" in results[5].error


def test_inputs_are_read_as_results_are_consumed() -> None:
    """An endless input stream: the first results arrive, so inputs are not all read first."""
    endless = itertools.repeat(SEED)
    first = list(itertools.islice(govreport.parse_many(endless, jobs=2), 10))
    assert [r.index for r in first] == list(range(10)) and all(r.ok for r in first)


def test_options_reach_the_parser() -> None:
    (result,) = govreport.parse_many([SEED], jobs=1, template="2019")
    assert result.report is not None and result.report.template == "2019"


def test_jobs_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        list(govreport.parse_many([SEED], jobs=0))


def _crash_on_three(index: int, item: Any, options: dict[str, Any]) -> tuple[int, str]:
    if item == 3:
        os._exit(1)  # a worker killed by a crash in a C library, or by the OOM killer
    return index, "ok"


def _crash_result(index: int, item: Any, exc: BaseException) -> tuple[int, str]:
    return index, "died"


@pytest.mark.parametrize("attempt", range(5))  # the crash races with the inputs beside it: try several times
def test_a_dying_worker_loses_only_its_own_input(attempt: int) -> None:
    results = list(map_ordered(_crash_on_three, range(12), fail=_crash_result, jobs=2))
    assert results == [(i, "died" if i == 3 else "ok") for i in range(12)]


# ----------------------------------------------------------------- to_frame


def test_to_frame_columns_and_dtypes() -> None:
    pd = pytest.importorskip("pandas")
    results = list(govreport.parse_many([DATA / "external/szfgs2024.pdf", "", OLD], jobs=1))
    frame = govreport.to_frame(results)
    assert list(frame.columns[:2]) == ["file", "error"]
    assert list(frame.columns[2 : 2 + len(govreport.META_KEYS)]) == list(govreport.META_KEYS)
    assert len(frame) == 3
    assert frame["applications.new.total"].dtype == pd.Int64Dtype()
    assert frame["meta.year"].dtype == pd.Int64Dtype()
    assert frame.loc[0, "applications.new.total"] == 3119
    assert frame.loc[0, "disclosure.fees.amount"] == Decimal("96171.6")
    assert isinstance(frame.loc[0, "disclosure.fees.amount"], Decimal)
    assert frame.loc[0, "file"] == str(DATA / "external/szfgs2024.pdf")
    assert pd.isna(frame.loc[1, "applications.new.total"]) and "NotAReportError" in frame.loc[1, "error"]
    # A 2019 report has no 2021-only columns (missing, not 0), and its own keys are filled.
    assert pd.isna(frame.loc[2, "disclosure.regulations.issued"])
    assert frame.loc[2, "disclosure.regulations.made"] == 0
    assert frame.loc[0, "checks.failed"] == 0


def test_to_frame_of_reports() -> None:
    pytest.importorskip("pandas")
    frame = govreport.to_frame([govreport.parse(SEED)])
    assert frame.loc[0, "meta.agency"] == "市科学技术局"  # as printed in the seed's title
    assert frame.loc[0, "file"] == ""


def test_to_frame_without_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(govreport.MissingExtraError, match=r"pip install 'govreport\[pandas\]'"):
        govreport.to_frame([])
