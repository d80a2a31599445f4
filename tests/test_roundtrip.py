"""Render a consistent report in the layout of seed 000, parse it, get the same report back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, note, settings
from render import cell_text, render_tab
from strategies import APPEAL_PARTS, APPLICANT_COLUMNS, assert_never_wrong, flat_values, reports, typed

import govreport
from govreport import Report

SEED = Path(__file__).parent / "data" / "seeds" / "000_bfa6ed85e05c204a.txt"

ROUND_TRIP = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SMALLER = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def typed_flat(flat: dict[str, Any]) -> dict[str, tuple[type, Any]]:
    """``==`` cannot tell Decimal("3") from 3; compare the types too."""
    return {key: typed(value) for key, value in flat.items()}


def parse_rendered(report: Report) -> tuple[str, Report]:
    text = render_tab(report)
    note(text)
    return text, govreport.parse(text)


# ----------------------------------------------------------------- the seed layout itself


def test_render_reproduces_the_seed_tables() -> None:
    """render_tab of the parsed seed prints its three tables byte for byte."""
    seed = SEED.read_text(encoding="utf-8")
    rendered = render_tab(govreport.parse(seed))

    def tables(text: str) -> str:
        return text.split("二、主动公开政府信息情况", 1)[1].split("五、存在的主要问题及改进情况", 1)[0]

    assert tables(rendered) == tables(seed)
    assert rendered.splitlines()[2] == "市科学技术局2022年政府信息公开工作年度报告"


# ----------------------------------------------------------------- the strategy's arithmetic


@SMALLER
@given(reports())
def test_generated_reports_are_consistent(report: Report) -> None:
    def v(row: str, column: str, table: str = "applications") -> int:
        value = report.value(f"{table}.{row}.{column}")
        assert isinstance(value, int)
        return value

    apps = [row.key for row in report.applications.rows]
    results = [key for key in apps if key not in ("new", "carried_over", "results_total", "carried_forward")]
    for key in apps:
        assert v(key, "total") == sum(v(key, c) for c in APPLICANT_COLUMNS)
    for column in (*APPLICANT_COLUMNS, "total"):
        assert v("results_total", column) == sum(v(key, column) for key in results)
        assert v("new", column) + v("carried_over", column) == v("results_total", column) + v("carried_forward", column)
        assert v("new", column) >= 0
        assert v("carried_forward", column) >= 0
    for row in report.appeals.rows:
        assert v(row.key, "total", "appeals") == sum(v(row.key, p, "appeals") for p in APPEAL_PARTS)
    assert list(flat_values(report)) == govreport.get_template("2021").keys()


# ----------------------------------------------------------------- (a) values


@ROUND_TRIP
@given(reports())
def test_rendered_report_parses_to_the_same_values(report: Report) -> None:
    _, parsed = parse_rendered(report)
    assert parsed.diagnostics == ()
    assert typed_flat(govreport.flatten(parsed, meta=False)) == typed_flat(flat_values(report))


@SMALLER
@given(reports())
def test_parsed_cells_keep_raw_text_and_spans(report: Report) -> None:
    """Each parsed cell keeps the printed text, and its span points at that text in the input."""
    text, parsed = parse_rendered(report)
    lines = text.split("\n")
    for table in parsed.tables:
        for row in table.rows:
            for cell in row.cells:
                expected = cell_text(report.cell(f"{table.name}.{row.key}.{cell.column}"))
                assert cell.status == "number"
                assert cell.raw == expected
                assert cell.span is not None
                assert text[cell.span.start : cell.span.end] == expected
                line = lines[cell.span.line - 1]
                assert line[cell.span.column - 1 :].startswith(expected)


# ----------------------------------------------------------------- (b) metadata


@SMALLER
@given(reports())
def test_rendered_report_keeps_its_metadata(report: Report) -> None:
    _, parsed = parse_rendered(report)
    assert parsed.template == "2021"
    assert parsed.meta.year == report.meta.year
    assert parsed.meta.agency == report.meta.agency
    assert parsed.meta.title == report.meta.title
    assert parsed.meta.signed_on == report.meta.signed_on
    assert parsed.meta.signed_by == report.meta.signed_by


@SMALLER
@given(reports())
def test_rendered_report_has_the_six_sections(report: Report) -> None:
    _, parsed = parse_rendered(report)
    assert [(s.number, s.kind) for s in parsed.sections] == [(s.number, s.kind) for s in report.sections]
    assert all(table.printed for table in parsed.tables)


# ----------------------------------------------------------------- blank cells


@SMALLER
@given(reports(allow_blank=True))
def test_blank_cells_never_give_a_wrong_value(report: Report) -> None:
    """With blank cells the layout can be ambiguous; a value is then None with a diagnostic, never wrong.

    Parsed without inference: the true value behind a blank is not known here (inference
    is checked against true values in test_layouts.py and test_checks.py).
    """
    text = render_tab(report)
    note(text)
    assert_never_wrong(govreport.parse(text, infer=False), report)
