"""Report metadata comes from the report, not from the web page around it.

The expected values are read by hand: from the real excerpts in ``data/web`` (their URL
table in ``data/web/README.md`` names the agency and year), the seeds and the corpus, and
from the small inputs written below, which copy the page chrome of those real pages
(breadcrumbs, navigation bars, ``标题:`` / ``来源:`` / ``发布机构:`` / ``发布日期:`` fields,
flip-book page marks, closing links).
"""

from __future__ import annotations

import pytest
from conftest import read_text

import govreport
from govreport.document import DATE, is_page_chrome, read_date
from govreport.normalize import normalize

# A body with the six sections, so that the text is a report; it prints no title, date or agency.
BODY = """一、总体情况
本机关认真贯彻落实《条例》,全面推进政务公开。
二、主动公开政府信息情况
第二十条第(一)项
三、收到和处理政府信息公开申请情况
四、政府信息公开行政复议、行政诉讼情况
五、存在的主要问题及改进情况
公开内容有待丰富。
六、其他需要报告的事项
无。"""

META = ("title", "agency", "year", "signed_on", "signed_by")


def parse(head: str, tail: str = "") -> govreport.Report:
    return govreport.parse("\n".join(part for part in (head, BODY, tail) if part))


def meta(report: govreport.Report) -> tuple[object, ...]:
    return tuple(getattr(report.meta, name) for name in META)


def meta_notes(report: govreport.Report) -> list[tuple[str, str, int | None]]:
    codes = ("bad-date", "meta-from-chrome", "year-mismatch")
    return [(d.code, d.severity, d.line) for d in report.diagnostics if d.code in codes]


# ----------------------------------------------------------------- real pages

# (excerpt, title, agency, year): the title as printed (joined when printed over two lines),
# the agency the title names.  The page chrome around them is in the comment.
REAL_TITLES = [
    # 当前位置 breadcrumb, 日期:/字体:/分享: fields, the title repeated without its year
    ("web/021.txt", "河包镇2020年政府信息公开工作年度报告", "河包镇", 2020),
    # "当前位置: 首页>…" breadcrumb, "日期:… 来源:zwgk001", 字号:, the title twice
    ("web/025.txt", "桦川县卫生健康局2021年政府信息公开工作年度报告", "桦川县卫生健康局", 2021),
    # site name "洱源县人民政府", "• 索引号:", "• 发文机关:", "发布时间:… 浏览次数: [字体:"
    ("web/027.txt", "洱源县政务服务管理局2020年政府信息公开工作年度报告", "洱源县政务服务管理局", 2020),
    # "作者: 来源: 发布时间:…"
    ("web/029.txt", "宁陕县梅子镇人民政府2024年度政府信息公开工作年度报告", "宁陕县梅子镇人民政府", 2024),
    # "发布日期:… 浏览次数:"
    ("web/031.txt", "舟山市退役军人事务局2020年度政府信息公开工作年度报告", "舟山市退役军人事务局", 2020),
    # site name, "首页 | 政务公开 | 渝快办", "部门街镇" (a menu item), "您当前的位置: 首页 > …"
    ("web/035.txt", "重庆市武隆区统计局2020年政府信息公开工作年度报告", "重庆市武隆区统计局", 2020),
    # "[字体: ] 打印", "来源:原创 发布时间:… 浏览次数:次"; the year first: 2022年度螅镇…
    ("web/037.txt", "2022年度螅镇政府信息公开工作年度报告", "螅镇", 2022),
    # "关怀版 无障碍 无障碍", "您当前所在位置: 首页 > …", "访问量:"
    ("web/039.txt", "中村乡2020年政府信息公开工作年度报告", "中村乡", 2020),
    # title over two lines: "市政府研究室2019年政府信息公开 / 工作年度报告"
    ("web/003.txt", "市政府研究室2019年政府信息公开工作年度报告", "市政府研究室", 2019),
    # a page heading without agency, then "桃江县松木塘镇人民政府 / 2022年政府信息公开工作年度报告"
    ("web/009.txt", "桃江县松木塘镇人民政府2022年政府信息公开工作年度报告", "桃江县松木塘镇人民政府", 2022),
    # broken mid-word: "西咸新区底张街道办事处2023年度政府 / 信息公开工作年度报告"
    ("web/011.txt", "西咸新区底张街道办事处2023年度政府信息公开工作年度报告", "西咸新区底张街道办事处", 2023),
    ("web/019.txt", "胡市镇人民政府2019年政府信息公开工作年度报告", "胡市镇人民政府", 2019),
    # "政府政务公开年报": no agency named ("政府" is no name), no year, no statistics period
    ("web/017.txt", "政府政务公开年报", "", None),
    # "2024 年上海市科委政府信息公开工作 / 年度报告", after a "正文" line
    ("corpus/kewei-2024.md", "2024年上海市科委政府信息公开工作年度报告", "上海市科委", 2024),
    (
        "corpus/shanghai-office-2025.md",
        "2025年上海市人民政府办公厅政府信息公开工作年度报告",
        "上海市人民政府办公厅",
        2025,
    ),
    # "洪泽区人民政府 / 2023 年政府信息公开工作年度报告"
    ("external/hzq2023.txt", "洪泽区人民政府2023年政府信息公开工作年度报告", "洪泽区人民政府", 2023),
    # "中牟县科技工信局 2023 年政府信息公开工作年度 报告": spaces inside the title
    ("seeds/002_feb0df35534c8ae6.txt", "中牟县科技工信局2023年政府信息公开工作年度报告", "中牟县科技工信局", 2023),
    # "# 温县科学技术局 2024 年政府信息公开工作年度报告": a Markdown heading
    ("seeds/003_76030b88ce706a45.txt", "温县科学技术局2024年政府信息公开工作年度报告", "温县科学技术局", 2024),
]


@pytest.mark.parametrize(("name", "title", "agency", "year"), REAL_TITLES)
def test_real_title_agency_and_year(name: str, title: str, agency: str, year: int | None) -> None:
    report = govreport.parse(read_text(name))
    assert (report.meta.title, report.meta.agency, report.meta.year) == (title, agency, year)
    assert (report.meta.signed_on, report.meta.signed_by) == (None, "")  # the excerpts end before any signature
    assert meta_notes(report) == []


# Excerpts that start after the title: nothing is taken from the prose (005 names its agency
# only in a contact sentence); the year is the statistics period's where one is printed.
REAL_UNTITLED = [
    ("web/001.txt", None),
    ("web/005.txt", 2021),  # 统计期限从2021年1月1日起至2021年12月31日止
    ("web/007.txt", None),
    ("web/013.txt", None),
    ("web/015.txt", None),
    ("web/023.txt", None),  # "Page 9 - 2020年报_审计局", "P. 9": a flip-book's page marks, not a title
    ("web/033.txt", None),
    ("web/041.txt", 2020),  # 统计时限为2020年1月1日起至2020年12月31日止
    ("web/043.txt", 2021),
    ("web/045.txt", 2021),
    ("web/047.txt", 2021),  # Traditional: 統計時限為2021年1月1日至2021年12月31日
    ("web/049.txt", None),
]


@pytest.mark.parametrize(("name", "year"), REAL_UNTITLED)
def test_real_excerpt_without_title(name: str, year: int | None) -> None:
    report = govreport.parse(read_text(name))
    assert meta(report) == ("", "", year, None, "")


def test_real_signature_on_the_date_line() -> None:
    # seeds/004 ends "威海市科学技术局 2023年1月30日"
    report = govreport.parse(read_text("seeds/004_2c53d4ed00bed9fe.txt"))
    assert meta(report) == (
        "威海市科学技术局2022年政府信息公开工作年度报告",
        "威海市科学技术局",
        2022,
        "2023-01-30",
        "威海市科学技术局",
    )


def test_real_signature_on_two_lines() -> None:
    # corpus/shuyang-2025 ends "沐阳县人民政府 / 2026年1月23日" (and prints "(2026年1月23日)" under the title)
    report = govreport.parse(read_text("corpus/shuyang-2025.txt"))
    title = "沐阳县人民政府2025年政府信息公开工作年度报告"
    assert meta(report) == (title, "沐阳县人民政府", 2025, "2026-01-23", "沐阳县人民政府")


# ----------------------------------------------------------------- page chrome

# Chrome lines copied from the real pages in data/web and the mirror sites of spec/layouts.md.
CHROME = [
    "当前位置:街镇 > 河包镇 > 政务公开 > 政府信息公开年报",
    "当前位置: 首页>政府信息公开>政府信息公开年报>2021",
    "您当前的位置: 首页 > 统计局 > 政务公开 > 政府信息公开年报",
    "您当前所在位置: 首页 > 乡镇信息公开 > 中村乡 > 政务信息公开年报",
    "首页 | 政务公开 | 渝快办",
    "关怀版 无障碍 无障碍",
    "无障碍 | 长者模式",
    "日期:2021-01-29",
    "日期:2022-01-27 14:59 来源:zwgk001",
    "字号:",
    "字体:【 默认 超大",
    "分享:",
    "  • 索引号:",
    "  • 发文机关:",
    "发布时间:2021-01-31   浏览次数:   【字体:",
    "作者: 来源: 发布时间:2025-02-06 10:37",
    "【字体:      】  打印",
    "来源:原创     发布时间:2023-01-31 13:24    浏览次数:次",
    "访问量:",
    "发布日期:2021-01-28 浏览次数:",
    "索 引 号 | 014416330/2018-04736 | 分 类 | 政府信息公开年报 综合政务,文秘工作 其他 |",
    "发布机构 | 市政府办 | 发文日期 | 2018-02-28 |",
    "2022-01-29 10:27:52 陆丰市人民政府办公室 字体:",
    "Page 9 - 2020年报_审计局",
    "P. 9",
    "标题:沭阳县发展和改革局2024年政府信息公开工作年度报告",
    "发布机构:沭阳县人民政府办公室",
    "来源:沭阳县发展和改革局",
    "【打印本页】 【关闭窗口】",
    "扫一扫在手机打开当前页",
    "分享到:",
]

NOT_CHROME = [
    "河包镇2020年政府信息公开工作年度报告",
    "洱源县人民政府",
    "沐阳县人民政府",
    "2026年1月23日",
    "(2026年1月23日)",
    "西咸新区底张街道办事处2023年度政府",
    "信息公开工作年度报告",
    "2024年,我局主动公开政府信息73条,其中通过首页发布21条。",
]


@pytest.mark.parametrize("line", CHROME)
def test_page_chrome_is_recognised(line: str) -> None:
    # extract_meta sees the normalised line (full-width forms folded, spaces between CJK dropped)
    assert is_page_chrome(line)
    assert is_page_chrome(normalize(line)[0])


@pytest.mark.parametrize("line", NOT_CHROME)
def test_report_lines_are_not_chrome(line: str) -> None:
    assert not is_page_chrome(line)
    assert not is_page_chrome(normalize(line)[0])


def test_chrome_fields_name_no_agency_and_no_signing_date() -> None:
    # Only chrome names the publisher and a date: neither is the report's agency or signature.
    report = parse(
        "来源:沭阳县发展和改革局\n发布机构:沭阳县人民政府办公室\n发布日期:2025-01-20\n索引号:K1234/2025-00012"
    )
    assert meta(report) == ("", "", None, None, "")
    flat = govreport.flatten(report)
    assert {k: flat[k] for k in ("meta.title", "meta.agency", "meta.year", "meta.signed_on", "meta.signed_by")} == {
        "meta.title": "",
        "meta.agency": "",
        "meta.year": None,
        "meta.signed_on": None,
        "meta.signed_by": "",
    }


def test_title_field_is_used_only_when_no_title_is_printed() -> None:
    head = (
        "标题:沭阳县发展和改革局2024年政府信息公开工作年度报告\n"
        "发布机构:沭阳县人民政府办公室\n"
        "来源:沭阳县人民政府办公室\n"
        "发布日期:2025-01-20\n"
        "浏览次数:"
    )
    report = parse(head)
    assert meta(report) == ("沭阳县发展和改革局2024年政府信息公开工作年度报告", "沭阳县发展和改革局", 2024, None, "")
    assert meta_notes(report) == [("meta-from-chrome", "info", 1)]
    # Full-width colon, and the next field glued on (as normalisation leaves "来源:原创发布时间:")
    glued = parse("标题：沭阳县发展和改革局2024年政府信息公开工作年度报告发布日期：2025-01-20")
    assert glued.meta.title == "沭阳县发展和改革局2024年政府信息公开工作年度报告"
    # The report's own title wins over the page field, with no diagnostic.
    own = parse("标题:2024年政府信息公开工作年度报告\n沭阳县发展和改革局2024年政府信息公开工作年度报告")
    assert own.meta.title == "沭阳县发展和改革局2024年政府信息公开工作年度报告"
    assert own.meta.agency == "沭阳县发展和改革局"
    assert meta_notes(own) == []


def test_chrome_around_a_split_title() -> None:
    head = (
        "当前位置:首页 > 政务公开 > 政府信息公开年报\n"
        "索 引 号 | 014416330/2025-04736 | 分 类 | 政府信息公开年报 |\n"
        "发布机构 | 市政府办 | 发文日期 | 2025-01-20 |\n"
        "某县财政局\n"
        "日期:2025-01-20 字体:【 默认 超大\n"
        "2024年政府信息公开工作年度报告"
    )
    # The chrome line between the two title lines does not break the title.
    assert meta(parse(head)) == ("某县财政局2024年政府信息公开工作年度报告", "某县财政局", 2024, None, "")


def test_menu_line_before_a_title_is_not_joined_to_it() -> None:
    # web/035: "部门街镇" is a menu item; the title already names its agency.
    report = parse("部门街镇\n重庆市武隆区统计局2020年政府信息公开工作年度报告")
    assert report.meta.title == "重庆市武隆区统计局2020年政府信息公开工作年度报告"
    assert report.meta.agency == "重庆市武隆区统计局"


def test_date_line_before_a_title_is_not_joined_to_it() -> None:
    report = parse("2021年1月29日\n河包镇政府信息公开工作年度报告")
    assert meta(report) == ("河包镇政府信息公开工作年度报告", "河包镇", None, None, "")


def test_sentence_naming_the_report_is_not_a_title() -> None:
    report = parse("现将2024年度政府信息公开工作年度报告公布如下:")
    assert (report.meta.title, report.meta.agency, report.meta.year) == ("", "", None)


# ----------------------------------------------------------------- signatures and dates

SIGNATURES = [
    ("某县财政局\n2025年1月20日", "2025-01-20", "某县财政局"),
    ("某县财政局 2025年1月20日", "2025-01-20", "某县财政局"),
    ("某县财政局\n二〇二五年一月二十日", "2025-01-20", "某县财政局"),
    ("某县财政局\n二○二五年元月二十日", "2025-01-20", "某县财政局"),  # ○ U+25CB, 元月
    ("某县财政局\n二O二五年十二月三十一日", "2025-12-31", "某县财政局"),  # a Latin O typed for 〇
    ("某县财政局\n二〇二五年二月十日", "2025-02-10", "某县财政局"),
    ("某县财政局\n２０２５年１月２０日", "2025-01-20", "某县财政局"),  # full-width digits
    ("某县财政局\n2025-01-20", "2025-01-20", "某县财政局"),
    ("某县财政局\n2025.1.20", "2025-01-20", "某县财政局"),
    ("某县财政局\n2025 年 1 月 20 日", "2025-01-20", "某县财政局"),
    ("**2025年1月20日**", "2025-01-20", ""),  # Markdown bold, no agency line
    ("无。\n2025年1月20日", "2025-01-20", ""),  # the line before is prose, not a signature
    # closing page chrome after the signature
    ("某县财政局\n2025年1月20日\n【打印本页】 【关闭窗口】\n扫一扫在手机打开当前页", "2025-01-20", "某县财政局"),
    ("某县财政局\n2025年1月20日\n- 5 -", "2025-01-20", "某县财政局"),
]


@pytest.mark.parametrize(("tail", "iso", "by"), SIGNATURES)
def test_signature_forms(tail: str, iso: str, by: str) -> None:
    report = parse("某县财政局2024年政府信息公开工作年度报告", tail)
    assert meta(report) == ("某县财政局2024年政府信息公开工作年度报告", "某县财政局", 2024, iso, by)
    assert meta_notes(report) == []


def test_date_in_a_sentence_is_no_signature() -> None:
    report = parse("某县财政局2024年政府信息公开工作年度报告", "本报告于2025年1月20日发布。")
    assert (report.meta.signed_on, report.meta.signed_by) == (None, "")
    report = parse("某县财政局2024年政府信息公开工作年度报告", "本报告发布于2025年1月20日")
    assert (report.meta.signed_on, report.meta.signed_by) == (None, "")


def test_date_printed_under_the_title() -> None:
    report = parse("某县人民政府2024年政府信息公开工作年度报告\n某县人民政府\n(2025年1月20日)")
    title = "某县人民政府2024年政府信息公开工作年度报告"
    assert meta(report) == (title, "某县人民政府", 2024, "2025-01-20", "某县人民政府")


def test_agency_from_the_signature_when_the_title_names_none() -> None:
    report = parse("2024年政府信息公开工作年度报告", "桃江县松木塘镇人民政府\n2025年1月10日")
    assert meta(report) == (
        "2024年政府信息公开工作年度报告",
        "桃江县松木塘镇人民政府",
        2024,
        "2025-01-10",
        "桃江县松木塘镇人民政府",
    )


def test_no_title_at_all() -> None:
    assert meta(parse("")) == ("", "", None, None, "")
    # the year from the statistics period, the agency from the signature
    report = parse(
        "本报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止。", "沭阳县发展和改革局\n二〇二五年一月二十日"
    )
    assert meta(report) == ("", "沭阳县发展和改革局", 2024, "2025-01-20", "沭阳县发展和改革局")
    assert meta_notes(report) == []


IMPOSSIBLE = [
    "2025年2月30日",
    "2025年2月29日",  # 2025 is no leap year
    "2025年13月1日",
    "2025年1月32日",
    "2025年0月10日",
    "二〇二五年二月三十日",
    "二〇二五年十三月一日",
    "二〇二五年一月二三日",  # no 十 between the digits
    "二〇二五年一月零日",
    "2025-02-30",
    "2025.13.1",
    "1899年1月20日",
]


@pytest.mark.parametrize("date", IMPOSSIBLE)
def test_impossible_date_is_none_with_a_diagnostic(date: str) -> None:
    report = parse("某县财政局2024年政府信息公开工作年度报告", f"某县财政局\n{date}")
    assert meta(report) == ("某县财政局2024年政府信息公开工作年度报告", "某县财政局", 2024, None, "某县财政局")
    (note,) = [d for d in report.diagnostics if d.code == "bad-date"]
    assert (note.severity, note.keys, note.raw) == ("warning", ("meta.signed_on",), date)
    assert (note.line, note.column) == (13, 1)  # title 1, body 2–11, agency 12, date 13
    with pytest.raises(govreport.ParseError):
        govreport.parse(f"某县财政局2024年政府信息公开工作年度报告\n{BODY}\n某县财政局\n{date}", strict=True)


def test_leap_day_is_a_date() -> None:
    report = parse("某县财政局2023年政府信息公开工作年度报告", "某县财政局\n二〇二四年二月二十九日")
    assert report.meta.signed_on == "2024-02-29"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("二〇二五年一月二十日", "2025-01-20"),
        ("二〇二五年元月廿日", "2025-01-20"),
        ("二〇二五年十月一日", "2025-10-01"),
        ("二〇二五年十一月十一日", "2025-11-11"),
        ("二〇二五年三月三十一日", "2025-03-31"),
        ("二零二五年一月五日", "2025-01-05"),
        ("2025/1/20", "2025-01-20"),
    ],
)
def test_read_date(text: str, iso: str) -> None:
    match = DATE.fullmatch(text)
    assert match is not None
    assert read_date(match).iso == iso


# ----------------------------------------------------------------- the year


def test_title_year_against_the_statistics_period() -> None:
    head = "某县财政局2024年政府信息公开工作年度报告\n本报告所列数据统计期限自2023年1月1日起至2023年12月31日止。"
    report = parse(head)
    assert report.meta.year == 2024  # the title's, as printed
    assert meta_notes(report) == [("year-mismatch", "warning", 2)]
    same = parse("某县财政局2024年政府信息公开工作年度报告\n统计期限为 2024 年 1 月 1 日至 12 月 31 日。")
    assert (same.meta.year, meta_notes(same)) == (2024, [])


def test_signed_before_the_year_ends() -> None:
    report = parse("某县财政局2024年政府信息公开工作年度报告", "某县财政局\n2024年1月20日")
    assert (report.meta.year, report.meta.signed_on) == (2024, "2024-01-20")
    assert [code for code, _, _ in meta_notes(report)] == ["year-mismatch"]


def test_a_date_in_the_text_is_no_statistics_period() -> None:
    # "2021年1月1日起施行" is a regulation's start, not the period: no year from it.
    report = parse("《某某办法》自2021年1月1日起施行。")
    assert report.meta.year is None
