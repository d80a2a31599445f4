"""The six national sections, found by their wording and order (issue 18).

Real shapes first (the texts in tests/data and short texts shaped like the web pages and
converter output they come from), then a property: reports rendered with random heading
variants, text on the heading line, sub-parts numbered like sections and a dropped 五 heading
come back with the six sections in order and their text exactly (whitespace aside).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from render import render_appeals, render_applications, render_disclosure

import govreport
from govreport import Report

DATA = Path(__file__).parent / "data"
KINDS = ["overview", "disclosure", "applications", "appeals", "problems", "other"]


def _kinds(report: Report) -> list[str]:
    return [s.kind for s in report.sections]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@cache
def _seed(name: str) -> Report:
    return govreport.parse_file(DATA / "seeds" / name)


def _tables(template: str) -> dict[str, list[str]]:
    """Table lines of a real seed in its own layout (2021: seed 000, 2019: seed 001)."""
    seed = _seed("000_bfa6ed85e05c204a.txt" if template == "2021" else "001_29ed77745b82a4d4.txt")
    return {
        "disclosure": render_disclosure(seed),
        "applications": render_applications(seed),
        "appeals": render_appeals(seed),
    }


def _sections_3_and_4(t: dict[str, list[str]]) -> list[str]:
    """Sections 三 and 四 as the seed prints them: heading, table."""
    return [
        "三、收到和处理政府信息公开申请情况",
        *t["applications"],
        "四、政府信息公开行政复议、行政诉讼情况",
        *t["appeals"],
    ]


# ----------------------------------------------------------------- real documents


def test_sub_parts_numbered_like_sections_and_a_lost_heading_in_converter_markdown() -> None:
    # kewei-2024.md numbers the parts of 总体情况 一、…六、, then the national sections 一、二、三、五、,
    # and its 五、存在的主要问题及改进情况 heading is lost between table 四 and 五、其他需要报告的事项.
    report = govreport.parse_file(DATA / "corpus" / "kewei-2024.md")
    assert _kinds(report) == KINDS
    overview = report.section("overview")
    assert overview is not None
    assert [p.heading for p in overview.subsections] == [
        "二、工作机制保障",
        "三、主动公开工作情况",
        "四、政府信息公开申请情况",
        "五、政府信息管理",
        "六、政府信息公开平台建设",
    ]
    assert report.section("disclosure").heading == "一、主动公开政府信息情况"  # type: ignore[union-attr]
    problems = report.section("problems")
    assert problems is not None and problems.heading == ""
    assert [s.heading for s in problems.subsections] == ["（一）主要问题", "（二）改进情况"]
    assert "开设“张江高新区”专栏" in _squeeze(problems.full_text)
    assert "主要问题" not in report.section("appeals").full_text  # type: ignore[union-attr]
    assert [d.code for d in report.diagnostics if d.code == "section-heading-missing"] == ["section-heading-missing"]
    assert report.section("other").text.startswith("本年度信息公开处理费收费情况")  # type: ignore[union-attr]


def test_a_lost_problems_heading_in_the_shanghai_office_markdown() -> None:
    report = govreport.parse_file(DATA / "corpus" / "shanghai-office-2025.md")
    assert _kinds(report) == KINDS
    problems = report.section("problems")
    assert problems is not None
    assert [s.heading for s in problems.subsections][:1] == ["（一）2024 年工作中存在问题的改进情况"]
    assert "一是进一步提升政策公开质效" in _squeeze(problems.full_text)
    appeals = report.section("appeals")
    assert appeals is not None and "改进" not in appeals.full_text
    assert appeals.text == "注：行政复议、行政诉讼数量含上年度结转数量。"


def test_a_heading_on_a_table_grid_row_of_a_pdf_page() -> None:
    # hzq2023_working.pdf page 2: "二、主动公开政府信息情况" is the first cell of a grid row.
    report = govreport.parse_file(DATA / "external" / "hzq2023_working.pdf")
    assert [(s.number, s.kind) for s in report.sections] == list(zip("一二三四五六", KINDS, strict=True))
    assert report.section("disclosure").heading == "二、主动公开政府信息情况"  # type: ignore[union-attr]


def test_table_sections_keep_notes_not_table_words() -> None:
    report = govreport.parse_file(DATA / "external" / "hzq2023.txt")
    for kind in ("disclosure", "applications", "appeals"):
        assert report.section(kind).text == "", kind  # type: ignore[union-attr]


def test_every_seed_and_external_report_has_the_six_sections_in_order() -> None:
    paths = [*sorted((DATA / "seeds").glob("*.txt")), *sorted((DATA / "external").glob("*.txt"))]
    paths += [DATA / "corpus" / "shuyang-2025.txt", *sorted((DATA / "external").glob("*.pdf"))]
    for path in paths:
        assert _kinds(govreport.parse_file(path)) == KINDS, path.name


# ----------------------------------------------------------------- shapes from web pages and crawler text


def _body(*sections: str) -> str:
    return "\n".join(["某区人民政府2022年政府信息公开工作年度报告", *sections]) + "\n"


def test_a_heading_and_its_text_on_one_line() -> None:
    t = _tables("2021")
    text = _body(
        "一、总体情况 2022年，某区坚持以人民为中心，全面推进政务公开。",
        "二、主动公开政府信息情况",
        *t["disclosure"],
        *_sections_3_and_4(t),
        "五、存在的主要问题及改进情况 2022年，我区政务公开工作还存在一些问题：一是公开深度不够。",
        "六、其他需要报告的事项 2022年，无收取信息处理费情况。",
    )
    report = govreport.parse(text)
    assert _kinds(report) == KINDS
    assert [s.heading for s in report.sections][4:] == ["五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert report.section("overview").text == "2022年，某区坚持以人民为中心，全面推进政务公开。"  # type: ignore[union-attr]
    assert report.section("problems").text.startswith("2022年，我区政务公开工作还存在一些问题")  # type: ignore[union-attr]
    assert report.section("other").text == "2022年，无收取信息处理费情况。"  # type: ignore[union-attr]
    span = report.section("other").span  # type: ignore[union-attr]
    assert span is not None and text[span.start : span.end] == "六、其他需要报告的事项"


def test_heading_variants() -> None:
    t = _tables("2021")
    text = _body(
        "## 工作概况",
        "本年度，我局认真贯彻落实条例。",
        "**二、主动公开政府信息情况**",
        *t["disclosure"],
        *_sections_3_and_4(t),
        "五、政府信息公开工作存在的主要问题及改进情况",
        "（一）主动公开方面",
        "公开内容不够全面。",
        "六、其他需要报告的事项",
        "无。",
    )
    report = govreport.parse(text)
    assert _kinds(report) == KINDS
    assert report.section("overview").heading == "工作概况"  # type: ignore[union-attr]
    assert report.section("disclosure").heading == "二、主动公开政府信息情况"  # type: ignore[union-attr]
    problems = report.section("problems")
    assert problems is not None and [s.heading for s in problems.subsections] == ["（一）主动公开方面"]
    assert report.section("disclosure").text == ""  # type: ignore[union-attr]


def test_a_sentence_that_starts_like_a_heading_is_text() -> None:
    t = _tables("2021")
    text = _body(
        "一、总体情况",
        "总体情况良好，全年未发生泄密事件。",
        "二、主动公开政府信息情况",
        *t["disclosure"],
        *_sections_3_and_4(t),
        "五、存在的主要问题及改进情况",
        "一是主动公开政府信息情况还不够及时。",
        "六、其他需要报告的事项",
        "无。",
    )
    report = govreport.parse(text)
    assert _kinds(report) == KINDS
    assert report.section("overview").text == "总体情况良好，全年未发生泄密事件。"  # type: ignore[union-attr]


def test_section_returns_none_for_a_kind_the_text_lacks() -> None:
    report = govreport.parse_file(DATA / "corpus" / "huaian-2024-section3.txt")
    assert report.section("problems") is None
    assert report.section("applications") is not None


# ----------------------------------------------------------------- the property

_SENTENCES = (
    "本年度我局认真贯彻落实政府信息公开条例",
    "进一步完善政务公开工作机制",
    "全年通过门户网站发布信息一千余条",
    "加强政策解读和回应关切",
    "强化工作人员业务培训",
    "推进基层政务公开标准化规范化建设",
)
_PROBLEM_SENTENCES = ("工作中还存在一些问题", "下一步将持续改进工作方法", "公开内容的深度和广度还有待提升")
_HEADINGS = {
    "overview": ("总体情况", "工作概况", "政府信息公开工作总体情况"),
    "disclosure": ("主动公开政府信息情况",),
    "applications": ("收到和处理政府信息公开申请情况",),
    "appeals": ("政府信息公开行政复议、行政诉讼情况",),
    "problems": ("存在的主要问题及改进情况", "政府信息公开工作存在的主要问题及改进情况"),
    "other": ("其他需要报告的事项",),
}
_PARTS = ("工作机制保障", "政府信息管理", "平台建设", "监督保障")
_NUMERALS = "一二三四五六七八九十"


@st.composite
def _paragraph(draw: st.DrawFn, problems: bool = False) -> str:
    pool = _PROBLEM_SENTENCES if problems else _SENTENCES
    return "，".join(draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3))) + "。"


@st.composite
def _document(draw: st.DrawFn) -> tuple[str, dict[str, str]]:
    """A report text, and the text (whitespace aside) each prose section must come back with."""
    template = draw(st.sampled_from(["2021", "2019"]))
    tables = _tables(template)
    parts = draw(st.lists(st.sampled_from(_PARTS), unique=True, max_size=3))
    renumber = bool(parts) and draw(st.booleans())  # the national sections numbered again from 一
    drop_problems_heading = draw(st.booleans())
    lines = ["某县科学技术局2022年政府信息公开工作年度报告", ""]
    expected: dict[str, str] = {}
    number = 0
    for rank, kind in enumerate(KINDS, start=1):
        words = draw(st.sampled_from(_HEADINGS[kind]))
        number = (number + 1) if renumber and rank > 1 else rank
        if renumber and rank == 2:
            number = 1
        numeral = _NUMERALS[number - 1]
        form = draw(st.sampled_from(["plain", "markdown", "bold", "unnumbered"]))
        heading = {"plain": f"{numeral}、{words}", "markdown": f"## {numeral}、{words}"}.get(form, "")
        heading = heading or (f"**{numeral}、{words}**" if form == "bold" else words)
        if kind in tables:
            lines += [heading, *tables[kind]]
            if kind == "appeals" and draw(st.booleans()):
                lines.append("注：行政复议、行政诉讼数量含上年度结转数量。")
                expected["appeals"] = "注：行政复议、行政诉讼数量含上年度结转数量。"
            continue
        body = draw(_paragraph(problems=kind == "problems"))
        inline = form in ("plain", "markdown") and draw(st.booleans())
        if kind == "problems" and drop_problems_heading:
            lines.append(body)
        elif inline:
            lines.append(f"{heading} {body}")
        else:
            lines += [heading, body]
        full = [body]
        if kind == "overview":
            for n, part in enumerate(parts, start=2):
                part_body = draw(_paragraph())
                lines += [f"{_NUMERALS[n - 1]}、{part}", part_body]
                full += [f"{_NUMERALS[n - 1]}、{part}", part_body]
        expected[kind] = "".join(full)
    return "\n".join(lines) + "\n", expected


@settings(max_examples=60, deadline=None)
@given(_document())
def test_six_sections_recovered_in_order_with_their_text(document: tuple[str, dict[str, str]]) -> None:
    text, expected = document
    report = govreport.parse(text)
    assert _kinds(report) == KINDS, text
    for kind in KINDS:
        section = report.section(kind)
        assert section is not None
        assert _squeeze(section.full_text) == _squeeze(expected.get(kind, "")), (kind, text)


def test_a_national_heading_printed_again_is_a_part_with_a_diagnostic() -> None:
    t = _tables("2021")
    text = _body(
        "一、总体情况",
        "本年度，我局认真贯彻落实条例。",
        "二、主动公开政府信息情况",
        *t["disclosure"],
        *_sections_3_and_4(t),
        "五、存在的主要问题及改进情况",
        "公开内容不够全面。",
        "二、主动公开政府信息情况",
        "下一步将加强主动公开。",
        "六、其他需要报告的事项",
        "无。",
    )
    report = govreport.parse(text)
    assert _kinds(report) == KINDS
    problems = report.section("problems")
    assert problems is not None and [p.heading for p in problems.subsections] == ["二、主动公开政府信息情况"]
    assert [d.line for d in report.diagnostics if d.code == "section-out-of-order"] == [
        text[: text.rindex("二、主动公开")].count("\n") + 1
    ]


def test_an_agency_taken_from_the_signature_says_so() -> None:
    t = _tables("2021")
    lines = [
        "2023年政府信息公开工作年度报告",
        "一、总体情况",
        "本年度，我局认真贯彻落实条例。",
        "二、主动公开政府信息情况",
        *t["disclosure"],
        *_sections_3_and_4(t),
        "五、存在的主要问题及改进情况",
        "公开内容不够全面。",
        "六、其他需要报告的事项",
        "无。",
        "某县科学技术局",
        "二〇二四年一月十七日",
    ]
    report = govreport.parse("\n".join(lines) + "\n")
    assert (report.meta.agency, report.meta.signed_by, report.meta.signed_on) == (
        "某县科学技术局",
        "某县科学技术局",
        "2024-01-17",
    )
    assert [d.code for d in report.diagnostics if d.code.startswith("meta-")] == ["meta-from-signature"]


def test_export_sections_adds_the_overview_and_problems_text(tmp_path: Path) -> None:
    import csv

    from govreport.cli import main

    out = tmp_path / "table.csv"
    paths = [str(DATA / "corpus" / "kewei-2024.md"), str(DATA / "corpus" / "huaian-2024-section3.txt")]
    assert main(["export", *paths, "-o", str(out), "--sections", "-q", "-j", "1"]) == 0
    rows = {Path(r["file"]).name: r for r in csv.DictReader(out.open(encoding="utf-8-sig"))}
    kewei = rows["kewei-2024.md"]
    # kewei-2024.md line 14 is the first line under 一、总体情况; lines 192–203 are the 五 text whose heading was lost.
    assert _squeeze(kewei["section.overview"]).startswith("上海市科委2024年深入贯彻《政府信息公开条例》")
    assert _squeeze(kewei["section.problems"]).startswith("（一）主要问题市科委2024年根据本市机构改革工作安排")
    assert _squeeze(kewei["section.problems"]).endswith("政务公开专栏改版工作正在有序进行中。")
    assert rows["huaian-2024-section3.txt"]["section.problems"] == ""  # a fragment: no 五 printed
    plain = tmp_path / "plain.csv"
    assert main(["export", *paths, "-o", str(plain), "-q", "-j", "1"]) == 0
    assert "section.overview" not in plain.read_text(encoding="utf-8-sig").splitlines()[0]
