"""Row labels broken over lines or cells are joined; a label lost shifts no value (issue 14).

The shapes are those of issue 14 (items 6 and 7), seen in real web pages: a short label
broken over two lines (``行政⏎处罚``, narrow table cells copied as text), an HTML line break
left in the text (``行政规范<br>性文件``), a Markdown label wrapped over two cells
(``缴纳费用、 | 行政机关不再处理其政 |``), and a label dropped or garbled.  The expected
values are read off each text.
"""

from __future__ import annotations

import govreport
from govreport import Report


def _values(report: Report, *keys: str) -> list[object]:
    return [report.cell(key).value for key in keys]


def _named(report: Report, key: str) -> bool:
    return any(key in d.keys for d in report.diagnostics)


def test_label_broken_over_two_lines_in_paragraphs() -> None:
    text = (
        "第二十条第（六）项\n\n信息内容\n\n上一年项目数量\n\n本年增/减\n\n处理决定数量\n\n"
        "行政许可\n\n3\n\n0\n\n5\n\n行政\n处罚\n\n2\n\n0\n\n7\n\n行政强制\n\n1\n\n0\n\n4\n"
    )
    report = govreport.parse(text, template="2019")
    assert report.disclosure.licensing.values() == {"previous": 3, "change": 0, "decisions": 5}
    assert report.disclosure.penalty.values() == {"previous": 2, "change": 0, "decisions": 7}
    assert report.disclosure.coercion.values() == {"previous": 1, "change": 0, "decisions": 4}
    # the spans still point into the text as given: 处罚's 7 is on line 26
    assert report.cell("disclosure.penalty.decisions").span.line == 26


def test_label_broken_in_tab_text_and_by_a_br() -> None:
    for broken in ("行政规范\n性文件", "行政规范<br>性文件", "行政规范<br />性文件"):
        text = (
            "第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t1\t0\t3\n"
            f"{broken}\t2\t0\t7\n第二十条第（五）项\n信息内容\t本年处理决定数量\n行政许可\t4\n"
        )
        report = govreport.parse(text)
        assert report.disclosure.normative_documents.values() == {"issued": 2, "repealed": 0, "in_force": 7}, broken
        assert not [d for d in report.diagnostics if d.code == "extra-row"], broken


def test_markdown_label_wrapped_over_two_cells() -> None:
    text = (
        "| （六）其他处理 | 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 "
        "| 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
        "|  | 2.申请人逾期未按收费通知要求缴纳费用、 | 行政机关不再处理其政府信息公开申请 "
        "| 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n"
        "|  | 3.其他 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
    )
    report = govreport.parse(text)
    fees = report.applications.row("other_handling.fee_unpaid")
    assert fees.values() == {
        "natural_person": 1,
        "commercial": 0,
        "research": 0,
        "social_welfare": 0,
        "legal_services": 0,
        "other_org": 0,
        "total": 1,
    }


def test_numbered_label_broken_one_cell_per_line() -> None:
    text = (
        "（三）不予公开\n1.属于国家\n秘密\n0\n0\n0\n0\n0\n0\n0\n2.其他法律行政法规禁止公开\n1\n0\n0\n0\n0\n0\n1\n"
        "3.危及“三安全一稳定”\n2\n0\n0\n0\n0\n0\n2\n"
    )
    report = govreport.parse(text)
    assert _values(
        report,
        "applications.denied.state_secret.total",
        "applications.denied.prohibited_by_law.total",
        "applications.denied.security_stability.total",
    ) == [0, 1, 2]


def test_text_that_only_looks_broken_is_left_alone() -> None:
    """Two labels on consecutive lines stay two rows; a prose line break is not touched."""
    text = (
        "第二十条第（六）项\n信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n行政许可\t3\t0\t5\n"
        "行政处罚\t2\t0\t7\n行政强制\t1\t0\t4\n"
    )
    report = govreport.parse(text, template="2019")
    assert report.disclosure.penalty.values() == {"previous": 2, "change": 0, "decisions": 7}
    prose = "一、总体情况\n本机关认真贯彻落实条例\n行政处罚信息及时公开。\n"
    normalized, _ = govreport.normalize.normalize(prose, labels=govreport.registry.label_cores())
    assert normalized == prose


def test_a_dropped_label_shifts_nothing() -> None:
    """2.其他法律行政法规禁止公开 is not printed: its seven values follow 1.属于国家秘密's.
    Neither row may take them; the next row is read as printed."""
    text = (
        "（三）不予公开\n1.属于国家秘密\n0\n0\n0\n0\n0\n0\n0\n1\n0\n0\n0\n0\n0\n1\n"
        "3.危及“三安全一稳定”\n2\n0\n0\n0\n0\n0\n2\n4.保护第三方合法权益\n0\n0\n0\n0\n0\n0\n0\n"
    )
    report = govreport.parse(text)
    for key in ("applications.denied.state_secret.total", "applications.denied.prohibited_by_law.total"):
        assert report.cell(key).value is None and _named(report, key), key
    assert report.applications.denied.security_stability.values()["total"] == 2
    assert report.applications.denied.third_party.values()["total"] == 0


def test_a_garbled_label_shifts_nothing() -> None:
    """``1.属于国⏎秘密`` (a character lost): not a label; its values belong to no row."""
    text = (
        "（三）不予公开\n\n1.属于国\n\n秘密\n\n0\n\n0\n\n0\n\n0\n\n0\n\n0\n\n0\n\n"
        "2.其他法律行政法规禁止公开\n\n1\n\n0\n\n0\n\n0\n\n0\n\n0\n\n1\n\n3.危及“三安全一稳定”\n\n0\n\n0\n\n0\n\n0\n\n0\n\n0\n\n0\n"
    )
    report = govreport.parse(text, infer=False)
    assert report.cell("applications.denied.state_secret.total").value is None
    assert report.applications.denied.prohibited_by_law.values()["total"] == 1
    assert report.applications.denied.security_stability.values()["total"] == 0
    unplaced = [d for d in report.diagnostics if d.code == "unplaced-value"]
    assert len(unplaced) == 1 and "0 0 0 0 0 0 0" in unplaced[0].message
