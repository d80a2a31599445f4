"""Inference with the elimination cached per system of equations (issue 19).

``infer`` eliminates once per template, shape of report and split of its cells into
printed, lost and unusable, and keeps each pivot's value as a combination of the
equations' right-hand sides; a report only puts its printed numbers in.  The values must
be those of the plain elimination ``_solve``, and a cached system must never carry one
report's numbers into another.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from attrs import evolve

import govreport
from govreport.infer import _eliminate, _shape, _solve, _solved, _System, infer

DATA = Path(__file__).parent / "data" / "external"
LOST = "applications.new.natural_person"


def _system(equations: list[tuple[dict[str, int], tuple[tuple[int, str], ...]]]) -> _System:
    return _System(tuple(equations), _eliminate([coefs for coefs, _ in equations]))


def test_cached_elimination_gives_the_plain_values() -> None:
    # x + y = t, x - y = u, x = w, with t = 5, u = 1, w = 4 printed: the first two give
    # x = 3, y = 2; the third contradicts x, so x is not fixed (y still is: both equations
    # that hold y hold, x - y = 1 is no longer checked once x is dropped).
    equations = [
        ({"x": 1, "y": 1}, ((-1, "t"),)),
        ({"x": 1, "y": -1}, ((-1, "u"),)),
        ({"x": 1}, ((-1, "w"),)),
    ]
    known = {"t": 5, "u": 1, "w": 4}
    assert _solved(_system(equations), known) == {"y": 2}
    plain = [({k: Fraction(v) for k, v in c.items()}, Fraction(known[p[0][1]])) for c, p in equations]
    assert _solve(plain) == {"y": Fraction(2)}
    # without the contradiction both are fixed
    assert _solved(_system(equations[:2]), known) == {"x": 3, "y": 2}


def test_a_value_that_is_no_whole_number_stays_a_fraction() -> None:
    # 2x = t with t = 3: x = 3/2, which infer does not fill (not a count)
    assert _solved(_system([({"x": 2}, ((-1, "t"),))]), {"t": 3}) == {"x": Fraction(3, 2)}


def test_decimal_amounts_are_exact() -> None:
    from decimal import Decimal

    # x + 0.25 = 7730.28 (a fee in 万元): x = 7730.03 exactly, a Fraction, never a float
    fixed = _solved(_system([({"x": 1}, ((1, "a"), (-1, "t")))]), {"a": Decimal("0.25"), "t": Decimal("7730.28")})
    assert fixed == {"x": Fraction("7730.03")}


def _lost(path: Path) -> govreport.Report:
    report = govreport.parse(path.read_text(encoding="utf-8"), infer=False)
    cell = report.cell(LOST)
    return report.with_cells({LOST: evolve(cell, value=None, status="missing")})


def test_a_cached_system_takes_each_reports_own_numbers() -> None:
    # Two reports of the same shape that lost the same cell: the second is solved with the
    # first one's system, and must get its own value.  hzq2024.txt line 66 prints
    # 一、本年新收政府信息公开申请数量 95 0 0 0 0 0 95; hzq2023.txt line 65 prints 21 0 0 0 0 0 21.
    first, second = _lost(DATA / "hzq2024.txt"), _lost(DATA / "hzq2023.txt")
    assert _shape(first) == _shape(second)
    for _ in range(2):  # cold, then warm
        a, b = infer(first), infer(second)
        assert (a.cell(LOST).value, a.cell(LOST).status) == (95, "inferred")
        assert (b.cell(LOST).value, b.cell(LOST).status) == (21, "inferred")
        assert [d.code for d in b.diagnostics if d.keys == (LOST,)] == ["inferred"]
    # nothing else changed
    assert a.with_cells({LOST: first.cell(LOST)}) == evolve(first, diagnostics=a.diagnostics)


def test_nothing_lost_returns_the_report_itself() -> None:
    report = govreport.parse((DATA / "hzq2024.txt").read_text(encoding="utf-8"), infer=False)
    assert infer(report) is report
