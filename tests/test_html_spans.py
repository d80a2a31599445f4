"""HTML tables whose cells span columns: every printed value is placed under the column its
header defines, or withheld with a diagnostic when that is not certain, never in a wrong cell.

The tables are shaped like the official ones: table 二's four-column blocks, table 三's
申请人情况 header with 法人或其他组织 over five columns, table 四's fifteen columns under
行政复议 (five) and 行政诉讼 (ten: 未经复议直接起诉 and 复议后起诉, five each).  Values are
numbered so that each tells its cell: table 三 row k, column c prints 10*k + c.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from govreport import parse_html
from govreport.flatten import flatten
from govreport.readers.grid import GridCell, agree_colspans, expand

pytest.importorskip("selectolax")


def td(text, colspan=1, rowspan=1):
    a = (f' colspan="{colspan}"' if colspan > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
    return f"<td{a}>{text}</td>"


def table(rows):
    return (
        "<table>"
        + "".join("<tr>" + "".join(td(*c) if isinstance(c, tuple) else td(c) for c in r) + "</tr>" for r in rows)
        + "</table>"
    )


def disclosure(
    hspan=1, vspan=1, blocks_span=3, value_span=None, values=("1", "2", "3", "4", "5", "6", "7", "8", "9", "1.5")
):
    v = value_span or vspan
    w = 1 + 3 * hspan
    bspan = blocks_span
    return table(
        [
            [("第二十条第（一）项", w)],
            ["信息内容", ("本年制发件数", hspan), ("本年废止件数", hspan), ("现行有效件数", hspan)],
            ["规章", (values[0], v), (values[1], v), (values[2], v)],
            ["行政规范性文件", (values[3], v), (values[4], v), (values[5], v)],
            [("第二十条第（五）项", w)],
            ["信息内容", ("本年处理决定数量", w - 1 if bspan else 1)],
            ["行政许可", (values[6], w - 1 if bspan else 1)],
            [("第二十条第（六）项", w)],
            ["信息内容", ("本年处理决定数量", w - 1 if bspan else 1)],
            ["行政处罚", (values[7], w - 1 if bspan else 1)],
            ["行政强制", (values[8], w - 1 if bspan else 1)],
            [("第二十条第（八）项", w)],
            ["信息内容", ("本年收费金额（单位：万元）", w - 1 if bspan else 1)],
            ["行政事业性收费", (values[9], w - 1 if bspan else 1)],
        ]
    )


APP_ROWS = [
    ("一、本年新收政府信息公开申请数量", None),
    ("二、上年结转政府信息公开申请数量", None),
]


def applications(vals):
    """vals(row_index) -> list of 7 cell tuples/strings"""
    rows = [
        [("(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)", 3, 3), ("申请人情况", 7)],
        [("自然人", 1, 2), ("法人或其他组织", 5), ("总计", 1, 2)],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
        [("一、本年新收政府信息公开申请数量", 3), *vals(0)],
        [("二、上年结转政府信息公开申请数量", 3), *vals(1)],
        [("三、本年度办理结果", 1, 22), ("（一）予以公开", 2), *vals(2)],
        [("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 2), *vals(3)],
    ]
    subs = [
        (
            "（三）不予公开",
            [
                "1.属于国家秘密",
                "2.其他法律行政法规禁止公开",
                "3.危及“三安全一稳定”",
                "4.保护第三方合法权益",
                "5.属于三类内部事务信息",
                "6.属于四类过程性信息",
                "7.属于行政执法案卷",
                "8.属于行政查询事项",
            ],
        ),
        ("（四）无法提供", ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]),
        (
            "（五）不予处理",
            [
                "1.信访举报投诉类申请",
                "2.重复申请",
                "3.要求提供公开出版物",
                "4.无正当理由大量反复申请",
                "5.要求行政机关确认或重新出具已获取信息",
            ],
        ),
        (
            "（六）其他处理",
            [
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                "3.其他",
            ],
        ),
    ]
    i = 4
    for group, labels in subs:
        for j, lab in enumerate(labels):
            first = [(group, 1, len(labels))] if j == 0 else []
            rows.append([*first, lab, *vals(i)])
            i += 1
    rows.append([("（七）总计", 2), *vals(i)])
    i += 1
    rows.append([("四、结转下年度继续办理", 3), *vals(i)])
    return table(rows)


def appeals(values, header_variant="official"):
    r1 = [("行政复议", 5), ("行政诉讼", 10)]
    r2 = [
        ("结果维持", 1, 2),
        ("结果纠正", 1, 2),
        ("其他结果", 1, 2),
        ("尚未审结", 1, 2),
        ("总计", 1, 2),
        ("未经复议直接起诉", 5),
        ("复议后起诉", 5),
    ]
    r3 = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    return table([r1, r2, r3, values])


def report(t2, t3, t4):
    return (
        "<html><body><p>某局2022年政府信息公开工作年度报告</p><p>一、总体情况</p><p>正文。</p>"
        f"<p>二、主动公开政府信息情况</p>{t2}<p>三、收到和处理政府信息公开申请情况</p>{t3}"
        f"<p>四、政府信息公开行政复议、行政诉讼情况</p>{t4}<p>五、存在的主要问题及改进情况</p><p>无。</p></body></html>"
    )


def _app_values(k: int) -> list[str]:
    return [str(10 * k + c) for c in range(1, 8)]


APP_ROWS = [
    "new", "carried_over", "granted", "partially_granted",
    "denied.state_secret", "denied.prohibited_by_law", "denied.security_stability", "denied.third_party",
    "denied.internal_affairs", "denied.process_info", "denied.enforcement_files", "denied.administrative_query",
    "unavailable.not_held", "unavailable.needs_creation", "unavailable.unclear",
    "not_processed.petition", "not_processed.repeated", "not_processed.publication", "not_processed.excessive",
    "not_processed.reconfirm", "other_handling.no_correction", "other_handling.fee_unpaid", "other_handling.misc",
    "results_total", "carried_forward",
]  # fmt: skip
APP_COLUMNS = ["natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total"]
APPEAL_KEYS = [
    f"appeals.{row}.{col}"
    for row in ("review", "litigation_direct", "litigation_after_review")
    for col in ("upheld", "corrected", "other", "pending", "total")
]


def _expected(blank: tuple[str, ...] = ()) -> dict[str, object]:
    """What the tables below print, read from how they are written."""
    values: dict[str, object] = {
        "disclosure.regulations.issued": 1,
        "disclosure.regulations.repealed": 2,
        "disclosure.regulations.in_force": 3,
        "disclosure.normative_documents.issued": 4,
        "disclosure.normative_documents.repealed": 5,
        "disclosure.normative_documents.in_force": 6,
        "disclosure.licensing.decisions": 7,
        "disclosure.penalty.decisions": 8,
        "disclosure.coercion.decisions": 9,
        "disclosure.fees.amount": Decimal("1.5"),
    }
    for k, row in enumerate(APP_ROWS):
        for c, column in enumerate(APP_COLUMNS, start=1):
            values[f"applications.{row}.{column}"] = 10 * k + c
    for i, key in enumerate(APPEAL_KEYS, start=1):
        values[key] = i
    for key in blank:
        values[key] = None
    return values


def _read(html: str) -> tuple[dict[str, object], list[str]]:
    report = parse_html(html, infer=False)
    values = {k: v for k, v in flatten(report, meta=False).items() if not k.startswith("meta.")}
    return values, [d.code for d in report.diagnostics]


T3 = applications(_app_values)
T4 = appeals([str(i) for i in range(1, 16)])
BLANKS = ("1", "", "3", "4", "5", "", "7", "8", "9", "1.5")
BLANK_KEYS = ("disclosure.regulations.repealed", "disclosure.normative_documents.in_force")


@pytest.mark.parametrize(
    ("html", "blank"),
    [
        pytest.param(report(disclosure(), T3, T4), (), id="official-spans"),
        pytest.param(report(disclosure(hspan=2, vspan=2), T3, T4), (), id="value-colspan-under-header-colspan"),
        pytest.param(report(disclosure(hspan=2, vspan=2, values=BLANKS), T3, T4), BLANK_KEYS, id="same-with-blanks"),
        pytest.param(report(disclosure(hspan=2, vspan=1), T3, T4), (), id="header-colspan-values-without"),
        pytest.param(report(disclosure(hspan=2, vspan=1, values=BLANKS), T3, T4), BLANK_KEYS, id="same-with-blanks-2"),
        pytest.param(report(disclosure(vspan=2, values=BLANKS), T3, T4), BLANK_KEYS, id="values-colspan-header-not"),
        pytest.param(report(disclosure(), T3, appeals([(str(i), 2) for i in range(1, 16)])), (), id="table-4-colspan"),
    ],
)  # fmt: skip
def test_every_value_is_placed_under_its_header(html: str, blank: tuple[str, ...]) -> None:
    values, codes = _read(html)
    assert values == _expected(blank)
    assert "row-shape" not in codes and "unplaced-value" not in codes


def test_a_blank_cell_of_table_4_stays_blank() -> None:
    printed = [str(i) for i in range(1, 16)]
    printed[6] = ""  # 未经复议直接起诉 / 结果纠正
    values, _ = _read(report(disclosure(), T3, appeals(printed)))
    assert values == _expected(("appeals.litigation_direct.corrected",))


def test_a_blank_cell_of_table_3_stays_blank() -> None:
    def printed(k: int) -> list[str]:
        cells = _app_values(k)
        if k == 5:
            cells[2] = ""  # 2.其他法律行政法规禁止公开 / 科研机构
        return cells

    values, _ = _read(report(disclosure(), applications(printed), T4))
    assert values == _expected(("applications.denied.prohibited_by_law.research",))


@pytest.mark.parametrize(
    "html",
    [
        pytest.param(report(disclosure(hspan=1, vspan=2), T3, T4), id="table-2-header-4-wide-values-7-wide"),
        pytest.param(
            report(disclosure(), T3, appeals([(v, 2) for v in [*map(str, range(1, 7)), "", *map(str, range(8, 16))]])),
            id="table-4-values-colspan-2-with-a-blank",
        ),
        pytest.param(
            report(disclosure(), applications(lambda k: [(v, 2) for v in _app_values(k)]), T4),
            id="table-3-values-colspan-2",
        ),
    ],
)
def test_values_whose_columns_are_uncertain_are_withheld_never_misplaced(html: str) -> None:
    """Spans that leave the column of a value open: what is read is right, the rest is None
    with a diagnostic (these are known limits, see docs/layouts.md)."""
    values, codes = _read(html)
    expected = _expected(("appeals.litigation_direct.corrected",))
    for key, value in values.items():
        if value is not None:
            assert value == _expected().get(key), key
    assert any(values[k] is None and expected[k] is not None for k in expected)
    assert "row-shape" in codes


def test_columns_no_cell_boundary_separates_are_one_column() -> None:
    rows = [
        [GridCell("信息内容"), GridCell("本年制发件数", colspan=2), GridCell("本年废止件数", colspan=2)],
        [GridCell("规章"), GridCell("1", colspan=2), GridCell("", colspan=2)],
    ]
    assert expand(rows) == [["信息内容", "本年制发件数", "本年废止件数"], ["规章", "1", ""]]


def test_rows_with_as_many_cells_take_the_widest_rows_spans() -> None:
    rows = [
        [GridCell("信息内容"), GridCell("A", colspan=2), GridCell("B", colspan=2)],
        [GridCell("规章"), GridCell("1"), GridCell("2")],
    ]
    assert [[c.colspan for c in row] for row in agree_colspans(rows)] == [[1, 2, 2], [1, 2, 2]]
    # two widest rows that disagree: nothing is changed
    rows.append([GridCell("x"), GridCell("3", colspan=3), GridCell("4")])
    assert [[c.colspan for c in row] for row in agree_colspans(rows)] == [[1, 2, 2], [1, 1, 1], [1, 3, 1]]
    # a rowspan keeps its rows out of it
    spanned = [[GridCell("a", rowspan=2), GridCell("b", colspan=2)], [GridCell("c")], [GridCell("d"), GridCell("e")]]
    assert agree_colspans(spanned) == [list(r) for r in spanned]
