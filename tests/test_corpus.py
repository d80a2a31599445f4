"""Real reports without a gold file: format detection, metadata, and values read by hand.

These texts are badly converted (Markdown from PDF, displaced rows).  The tests
check the values that were read from the text by a person; the rest of each
report may be None, but then with a diagnostic.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import read_text

import govreport

CORPUS = [
    "corpus/kewei-2024.md",
    "corpus/shanghai-office-2025.md",
    "corpus/shuyang-2025.txt",
    "corpus/huaian-2024-section3.txt",
]


@pytest.mark.parametrize("name", CORPUS)
def test_detected_as_2021_and_none_without_a_diagnostic(name: str) -> None:
    report = govreport.parse(read_text(name))
    assert report.template == "2021"
    diagnosed = {k for d in report.diagnostics for k in d.keys}
    missing_tables = {d.raw for d in report.diagnostics if d.code == "table-missing"}
    for key, value in govreport.flatten(report, meta=False).items():
        if value is None and not missing_tables:
            assert key in diagnosed, key


def test_shuyang_2025() -> None:
    report = govreport.parse(read_text("corpus/shuyang-2025.txt"))
    assert (report.meta.agency, report.meta.year, report.meta.signed_on) == ("沐阳县人民政府", 2025, "2026-01-23")
    d = report.disclosure
    assert d.normative_documents.values() == {"issued": 6, "repealed": 1, "in_force": 32}
    assert (d.licensing.decisions, d.penalty.decisions, d.coercion.decisions) == (517645, 693957, 2154)
    assert d.fees.amount == Decimal("4068.208")
    a = report.applications
    assert a.other_handling.misc.values() == dict(
        natural_person=142, commercial=1, research=0, social_welfare=0, legal_services=0, other_org=0, total=143
    )
    assert a.results_total.total == 718 and a.results_total.legal_services == 5
    assert a.carried_forward.total == 31
    # Table 四 printed as three small tables, one per group.
    assert report.appeals.review.values() == dict(upheld=27, corrected=10, other=9, pending=15, total=61)
    assert report.appeals.litigation_direct.values() == dict(upheld=3, corrected=0, other=0, pending=0, total=3)
    assert report.appeals.litigation_after_review.values() == dict(upheld=8, corrected=0, other=1, pending=1, total=10)


def test_shanghai_office_2025() -> None:
    report = govreport.parse(read_text("corpus/shanghai-office-2025.md"))
    assert (report.meta.agency, report.meta.year) == ("上海市人民政府办公厅", 2025)
    a = report.applications
    assert a.new.values() == dict(
        natural_person=1259, commercial=36, research=0, social_welfare=0, legal_services=0, other_org=0, total=1295
    )
    assert a.carried_over.total == 189 and a.carried_over.legal_services == 4
    # Values printed on the line after a wrapped label.
    assert a.partially_granted.total == 2
    assert a.denied.internal_affairs.values()["legal_services"] == 1
    assert a.results_total.total == 1191
    assert report.appeals.review.values() == dict(upheld=40, corrected=0, other=10, pending=5, total=55)
    assert report.appeals.litigation_after_review.total == 22
    # The columns of table 二 were lost in conversion: nothing is guessed.
    assert report.disclosure.regulations.issued is None
    assert any(d.code == "row-shape" and "disclosure.regulations.issued" in d.keys for d in report.diagnostics)


def test_kewei_2024() -> None:
    report = govreport.parse(read_text("corpus/kewei-2024.md"))
    assert (report.meta.agency, report.meta.year) == ("上海市科委", 2024)
    assert report.disclosure.normative_documents.values() == {"issued": 13, "repealed": 0, "in_force": 55}
    assert report.disclosure.licensing.decisions == 97
    assert report.applications.new.total == 34 and report.applications.new.commercial == 2
    assert report.applications.results_total.total == 35
    # 四、结转下年度继续办理 prints "| 1 | 0 | 0 | 0 | 0 | 0 |  |": its cells line up with the
    # other rows of the grid, so the six values are placed and 总计 is printed blank.  A
    # printed blank is never filled: 总计 stays None, and P1 (34 + 2 = 35 + x) says the
    # blank is where the arithmetic requires 1.
    raw = govreport.parse(read_text("corpus/kewei-2024.md"), infer=False)
    assert raw.applications.carried_forward.natural_person == 1
    assert raw.applications.carried_forward.total is None
    carried = report.applications.carried_forward
    assert (carried.natural_person, carried.total, carried.cell("total").status) == (1, None, "blank")
    p1 = [f for f in govreport.check(report) if f.rule == "P1" and f.keys[0].endswith(".total")]
    assert [f.status for f in p1] == ["failed"]
    assert "applications.carried_forward.total is blank where the arithmetic requires 1" in p1[0].message_en
