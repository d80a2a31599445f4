"""Hypothesis strategies for ``govreport.Report`` values.

* ``reports()`` builds a *consistent* report of a template (default 2021): every
  printed cell holds a number and the table arithmetic holds (row totals, the
  勾稽关系 of table 三, the totals of table 四).  It uses only the public model
  classes and the template data, so a renderer can print it and the parser must
  read the same values back.
* ``any_report()`` is loose: random sections, diagnostics, metadata, spans,
  decimals and unicode text.  It is for the JSON loader (which refuses what is not a whole
  report of its template), not for parsing.
* ``blank_keys()`` and ``with_blanks()`` print some cells of a report blank;
  ``cuts()`` picks where to cut a rendered text (tests/test_blanks.py).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

import govreport
from govreport import Cell, Diagnostic, Meta, Report, Row, Section, Source, Span, Table, get_template
from govreport.templates import Column, RowSpec

Draw = Any  # the ``draw`` callable of @st.composite

APPLICANT_COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org")
# The result rows of table 三 that add up to （七）总计.
RESULT_GROUPS = ("denied.", "unavailable.", "not_processed.", "other_handling.")
RESULT_SINGLES = ("granted", "partially_granted")
APPEAL_PARTS = ("upheld", "corrected", "other", "pending")

# ----------------------------------------------------------------- small pieces

# Number of digits of a count: mostly 0 (the value 0), often one or two digits,
# now and then up to six.  sampled_from shrinks towards the first element.
_DIGITS = st.sampled_from((0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 4, 5, 6))


def _count(draw: Draw, max_digits: int = 6) -> int:
    digits = min(draw(_DIGITS), max_digits)
    if digits == 0:
        return 0
    value: int = draw(st.integers(0, 10**digits - 1))
    return value


def _amount(draw: Draw) -> Decimal:
    whole = _count(draw)
    places = draw(st.integers(0, 4))
    if places == 0:
        return Decimal(whole)
    fraction = draw(st.integers(0, 10**places - 1))
    return Decimal(f"{whole}.{fraction:0{places}d}")


def _span(draw: Draw) -> Span:
    line = draw(st.integers(1, 5000))
    column = draw(st.integers(1, 300))
    end_line = line + draw(st.integers(0, 3))
    end_column = draw(st.integers(column if end_line == line else 1, 400))
    start = draw(st.integers(0, 1_000_000))
    end = start + draw(st.integers(0, 2000))
    return Span(line, column, end_line, end_column, start, end)


def _optional_span(draw: Draw) -> Span | None:
    return _span(draw) if draw(st.booleans()) else None


@st.composite
def counts(draw: Draw, max_digits: int = 6) -> int:
    """A realistic count: mostly zero or small, sometimes up to ``max_digits`` digits."""
    return _count(draw, max_digits)


@st.composite
def amounts(draw: Draw) -> Decimal:
    """A fee amount (万元) with 0-4 decimal places, e.g. Decimal("7730.28")."""
    return _amount(draw)


@st.composite
def spans(draw: Draw) -> Span:
    """A valid span: 1-based line/column, end not before start."""
    return _span(draw)


def optional_spans() -> st.SearchStrategy[Span | None]:
    return st.none() | spans()


def printed(value: int | Decimal, commas: bool) -> str:
    """How a value is printed in a report: ``7730.28`` or, with commas, ``7,730.28``."""
    return format(value, ",") if commas else str(value)


_COMMAS = st.sampled_from((False, False, False, True))


def _number_cell(
    draw: Draw, column: Column, value: int | Decimal, *, allow_blank: bool = False, spans: bool = True
) -> Cell:
    span = _optional_span(draw) if spans else None
    if allow_blank and draw(st.integers(0, 7)) == 0:
        return Cell(column.key, None, "", span, None, "blank")
    raw = printed(value, draw(_COMMAS))
    unit = column.unit
    # An amount whose column names no unit (2019 采购总金额) is sometimes printed with
    # one, as in "251000元"; the cell then carries that unit.
    if column.type == "decimal" and column.unit is None and draw(st.booleans()):
        raw, unit = raw + "元", "元"
    return Cell(column.key, value, raw, span, unit, "number")


# ----------------------------------------------------------------- metadata and prose

_PLACES = (
    "",
    "市",
    "县",
    "区",
    "北京市",
    "上海市",
    "洛阳市",
    "杭州市",
    "深圳市",
    "六安市",
    "三明市",
    "十堰市",
    "海淀区",
    "浦东新区",
    "滨江区",
    "长沙县",
    "南山区",
    "黄浦区",
    "洛阳市西工区",
    "杭州市滨江区",
)
_DEPARTMENTS = (
    "人民政府",
    "人民政府办公室",
    "科学技术局",
    "财政局",
    "教育局",
    "生态环境局",
    "市场监督管理局",
    "住房和城乡建设局",
    "卫生健康委员会",
    "发展和改革委员会",
    "自然资源和规划局",
    "应急管理局",
    "退役军人事务局",
    "交通运输局",
    "审计局",
    "统计局",
    "人力资源和社会保障局",
    "城关镇人民政府",
    "东城街道办事处",
)


@st.composite
def agencies(draw: Draw) -> str:
    """A realistic agency name such as 洛阳市科学技术局 or 市财政局."""
    place: str = draw(st.sampled_from(_PLACES))
    department: str = draw(st.sampled_from(_DEPARTMENTS))
    return place + department


# (number, heading, kind) of the six sections of the 2021 format.
SECTIONS = (
    ("一", "一、总体情况", "overview"),
    ("二", "二、主动公开政府信息情况", "disclosure"),
    ("三", "三、收到和处理政府信息公开申请情况", "applications"),
    ("四", "四、政府信息公开行政复议、行政诉讼情况", "appeals"),
    ("五", "五、存在的主要问题及改进情况", "problems"),
    ("六", "六、其他需要报告的事项", "other"),
)
PROSE_KINDS = ("overview", "problems", "other")
_PROSE = {
    "overview": (
        "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政务公开工作。",
        "全年累计发布各类信息1700余条，发布政策解读32条，未出现信息泄密情况。",
        "严格落实“先审查、后发布”的原则，确保信息公开及时、全面、准确、安全。",
    ),
    "problems": (
        "政府信息公开工作仍存在公开内容不够全面、解读形式较为单一等问题。",
        "下一步，将进一步加强队伍建设，提升政府信息公开工作质量。",
    ),
    "other": (
        "依据《政府信息公开信息处理费管理办法》，本机关未收取信息处理费。",
        "本年度无其他需要报告的事项。",
    ),
}


@st.composite
def standard_sections(draw: Draw) -> tuple[Section, ...]:
    out = []
    for number, heading, kind in SECTIONS:
        text = (
            "\n".join(draw(st.lists(st.sampled_from(_PROSE[kind]), min_size=1, max_size=2))) if kind in _PROSE else ""
        )
        out.append(Section(number, heading, kind, 1, text))
    return tuple(out)


# ----------------------------------------------------------------- consistent reports


def _table_specs(template: str, table: str) -> list[RowSpec]:
    return [spec for spec in get_template(template).table_rows(table) if not spec.variant_of]


def _is_result_leaf(key: str) -> bool:
    """A result row of table 三: (一), (二), a sub-row of (三)-(六), or (六) printed as one row (2019)."""
    return key in RESULT_SINGLES or key.startswith(RESULT_GROUPS) or f"{key}." in RESULT_GROUPS


def _signed_count(draw: Draw) -> int:
    """本年增/减 (2019): usually a count, now and then a change of either sign (-999..999)."""
    if draw(st.integers(0, 3)) == 0:
        value: int = draw(st.integers(-999, 999))
        return value
    return _count(draw)


def _disclosure_value(draw: Draw, column: Column) -> int | Decimal:
    if column.type == "decimal":
        return _amount(draw)
    if column.type == "signed_int":
        return _signed_count(draw)
    return _count(draw)


def _disclosure_values(draw: Draw, specs: list[RowSpec]) -> dict[str, dict[str, int | Decimal]]:
    values: dict[str, dict[str, int | Decimal]] = {}
    for spec in specs:
        values[spec.key] = {c.key: _disclosure_value(draw, c) for c in spec.columns}
    return values


def _application_values(draw: Draw, specs: list[RowSpec]) -> dict[str, dict[str, int | Decimal]]:
    keys = [s.key for s in specs]
    leaves = [k for k in keys if _is_result_leaf(k)]
    unknown = set(keys) - set(leaves) - {"new", "carried_over", "results_total", "carried_forward"}
    if unknown:
        raise ValueError(f"reports(): no arithmetic known for application rows {sorted(unknown)}")
    values: dict[str, dict[str, int | Decimal]] = {k: {} for k in keys}
    for column in APPLICANT_COLUMNS:
        results = 0
        for key in leaves:
            value = _count(draw)
            values[key][column] = value
            results += value
        carried_forward = _count(draw)
        # new + carried_over = results_total + carried_forward, with new >= 0.
        carried_over = min(_count(draw), results + carried_forward)
        values["results_total"][column] = results
        values["carried_forward"][column] = carried_forward
        values["carried_over"][column] = carried_over
        values["new"][column] = results + carried_forward - carried_over
    for row in values.values():
        row["total"] = sum(row[c] for c in APPLICANT_COLUMNS)
    return values


def _appeal_values(draw: Draw, specs: list[RowSpec]) -> dict[str, dict[str, int | Decimal]]:
    values: dict[str, dict[str, int | Decimal]] = {}
    for spec in specs:
        row: dict[str, int | Decimal] = {part: _count(draw, max_digits=3) for part in APPEAL_PARTS}
        row["total"] = sum(row[p] for p in APPEAL_PARTS)
        values[spec.key] = row
    return values


@st.composite
def reports(draw: Draw, template: str = "2021", *, allow_blank: bool = False, spans: bool = True) -> Report:
    """A consistent report of ``template`` ("2021" or "2019"): numbers in every cell,
    the arithmetic of each table holds.

    The rows and columns come from ``get_template(template)``.  In the 2019 format
    本年增/减 may be negative and 采购总金额 is a Decimal, sometimes printed with the
    unit 元 (raw "251000元", unit "元").  （六）其他处理 is one row in 2019 and three
    sub-rows in 2021; either way it is part of results_total.

    With ``allow_blank=True`` some cells are blank (value None, raw "", status
    "blank"); the arithmetic then holds only over the underlying drawn values.
    With ``spans=False`` no spans are drawn (faster; a renderer never prints them).
    """
    builders = {"disclosure": _disclosure_values, "applications": _application_values, "appeals": _appeal_values}
    tables: dict[str, Table] = {}
    for name, build in builders.items():
        specs = _table_specs(template, name)
        values = build(draw, specs)
        rows = []
        for spec in specs:
            cells = tuple(
                _number_cell(draw, column, values[spec.key][column.key], allow_blank=allow_blank, spans=spans)
                for column in spec.columns
            )
            rows.append(Row(spec.key, spec.label, cells, _optional_span(draw) if spans else None))
        tables[name] = Table(name, tuple(rows), _optional_span(draw) if spans else None, True)

    agency = draw(agencies())
    # The 2019 format was used for the 2019 and 2020 reports, and by some later ones.
    year = draw(st.integers(2019, 2023) if template == "2019" else st.integers(2021, 2030))
    title = f"{agency}{year}年政府信息公开工作年度报告"
    signed = draw(st.none() | st.dates(date(year + 1, 1, 1), date(year + 1, 12, 31)))
    meta = Meta(
        title=title,
        agency=agency,
        year=year,
        signed_on=signed.isoformat() if signed else None,
        signed_by=agency if signed else "",
    )
    return Report(
        template=template,
        meta=meta,
        preamble=title,
        sections=draw(standard_sections()),
        disclosure=tables["disclosure"],
        applications=tables["applications"],
        appeals=tables["appeals"],
    )


@st.composite
def with_blanks(draw: Draw, report: Report, keys: Collection[str] | None = None) -> Report:
    """``report`` with some of its cells printed blank (value None, raw "", status "blank").

    Unlike ``reports(allow_blank=True)`` the caller keeps the unblanked report, so
    it knows the value behind each blank (e.g. to check a value the parser infers).
    Without ``keys`` each cell is blank with probability 1/8; with ``keys`` (e.g. from
    ``blank_keys()``) exactly those cells are.
    """

    changes = {
        f"{table.name}.{row.key}.{cell.column}": Cell(cell.column, None, "", cell.span, None, "blank")
        for table in report.tables
        for row in table.rows
        for cell in row.cells
        if (draw(st.integers(0, 7)) == 0 if keys is None else f"{table.name}.{row.key}.{cell.column}" in keys)
    }
    return report.with_cells(changes)


# One cell in `rate` blank; 0: none at random (the first, so that failures shrink to it).
_BLANK_RATES = st.sampled_from((0, 16, 8, 4, 2))


@st.composite
def blank_keys(draw: Draw, report: Report) -> frozenset[str]:
    """Which cells of ``report`` to print blank, at the places real reports leave empty.

    A mix, each part drawn separately so that a failure shrinks to the part that
    matters: cells at random (none, or one in 16 .. one in 2), whole rows (001
    ``行政事業性收費 | |||||``, 019 ``规章`` with three empty cells), the first and the
    last value cell of some rows (where a blank is most easily mistaken for padding),
    the fee cell (025) and cells of table 四's one-line row.  The layout may refuse some
    (``render.blank_cells_allowed``).
    """
    rows = [[f"{t.name}.{row.key}.{c.column}" for c in row.cells] for t in report.tables for row in t.rows]
    keys: set[str] = set()
    rate = draw(_BLANK_RATES, label="blank rate")
    if rate:
        keys |= {key for row in rows for key in row if draw(st.integers(0, rate - 1)) == 0}
    whole = st.lists(st.sampled_from(range(len(rows))), max_size=3)
    for n in draw(whole, label="blank rows"):
        keys |= set(rows[n])
    for n in draw(whole, label="blank first cells"):
        keys.add(rows[n][0])
    for n in draw(whole, label="blank last cells"):
        keys.add(rows[n][-1])
    if draw(st.integers(0, 3), label="blank fee") == 0:
        keys |= {key for row in rows for key in row if key.startswith("disclosure.fees.")}
    appeals = [key for row in rows for key in row if key.startswith("appeals.")]
    keys |= draw(st.sets(st.sampled_from(appeals), max_size=4), label="blank appeals cells")
    return frozenset(keys)


# ----------------------------------------------------------------- cut text

_CJK_RUN = re.compile("[\u3400-\u9fff]{2,}")
CUT_KINDS = ("anywhere", "mid-cell", "mid-row-end", "cell-edge", "mid-label", "line-end")


@st.composite
def cuts(draw: Draw, text: str, places: Mapping[str, Any]) -> int:
    """Where to cut ``text`` (its length: not cut), given where its cells are printed
    (``render.Place`` by flat key): inside the tables, from the first value of the
    second row of table 二 (so that the text holds three table labels, 第二十条第（一）项,
    规章 and 规范性文件, and is a report: docs/layouts.md) to just after the last cell.

    The kind of cut is drawn first (``CUT_KINDS``): anywhere in that region, inside a
    value of two or more characters, inside the last value printed in a row (the whole row
    printed but its last value cut: ``1`` of table 四's last ``14``), at the start or end of
    a cell or just after it,
    inside a row label or header (a run of CJK characters), or at the end of a line.
    The web excerpts stop in all these ways (README of corpus/web: 007 after a bare
    ``0``, 013 mid-row, 019 and 029 mid-label, 009 mid-header).
    """
    first = min(p.start for key, p in places.items() if key.startswith("disclosure.normative_documents."))
    last = max(p.end for p in places.values()) + 1
    kind = draw(st.sampled_from(CUT_KINDS), label="cut kind")
    if kind == "mid-cell":
        long = sorted((p.start, p.end) for p in places.values() if p.end - p.start >= 2 and p.start >= first)
        if long:
            start, end = draw(st.sampled_from(long))
            return int(draw(st.integers(start + 1, end - 1)))
    elif kind == "mid-row-end":  # every cell of the row printed, the text stops inside its last value
        row_ends: dict[str, tuple[int, int]] = {}
        for key, p in places.items():
            row = key.rsplit(".", 1)[0]
            if p.start >= first and p.end > p.start and p.end > row_ends.get(row, (0, 0))[1]:
                row_ends[row] = (p.start, p.end)
        long = sorted((start, end) for start, end in row_ends.values() if end - start >= 2)
        if long:
            start, end = draw(st.sampled_from(long))
            return int(draw(st.integers(start + 1, end - 1)))
    elif kind == "cell-edge":
        start, end = draw(st.sampled_from(sorted((p.start, p.end) for p in places.values() if p.start >= first)))
        return int(draw(st.sampled_from((start, end, min(end + 1, len(text))))))
    elif kind == "mid-label":
        runs = [m.span() for m in _CJK_RUN.finditer(text, first, last)]
        if runs:
            start, end = draw(st.sampled_from(runs))
            return int(draw(st.integers(start + 1, end - 1)))
    elif kind == "line-end":
        ends = [n + 1 for n in range(first, min(last, len(text))) if text[n] == "\n"]
        if ends:
            return int(draw(st.sampled_from(ends)))
    return int(draw(st.integers(first, min(last, len(text)))))


# ----------------------------------------------------------------- loose reports (JSON only)

_CHINESE = "政府信息公开工作年度报告一二三四五六七八九十（）、。，：；“”《》申请人自然人法人其他总计万元予以不掌握"
texts = st.one_of(
    st.text(max_size=20),
    st.text(alphabet=_CHINESE, max_size=30),
    st.sampled_from(("", "市科学技术局", "（一）予以公开", "3.危及“三安全一稳定”", "\u3000\t\n", "\\u4e00", '"\\')),
)
# Finite decimals of any exponent, including -0 and 1E+999; integers beyond 64 bits.
cell_values = st.one_of(
    st.none(),
    st.integers(),
    st.integers(0, 999_999),
    st.decimals(allow_nan=False, allow_infinity=False),
    amounts(),
)
_STATUSES = st.sampled_from(("number", "blank", "placeholder", "missing", "inferred")) | texts


def any_cells() -> st.SearchStrategy[Cell]:
    return st.builds(
        Cell,
        column=texts,
        value=cell_values,
        raw=texts,
        span=optional_spans(),
        unit=st.none() | st.sampled_from(("万元", "件")) | texts,
        status=_STATUSES,
        inferred=st.booleans(),
    )


def any_rows() -> st.SearchStrategy[Row]:
    return st.builds(
        Row,
        key=texts,
        label=texts,
        cells=st.lists(any_cells(), max_size=4).map(tuple),
        span=optional_spans(),
        standard=st.booleans(),
    )


def any_tables(name: str) -> st.SearchStrategy[Table]:
    return st.builds(
        Table,
        name=st.just(name) | texts,
        rows=st.lists(any_rows(), max_size=4).map(tuple),
        span=optional_spans(),
        printed=st.booleans(),
    )


def any_sections(depth: int = 3) -> st.SearchStrategy[Section]:
    """A section with subsections nested at most ``depth`` levels (this one included)."""
    children: st.SearchStrategy[tuple[Section, ...]] = (
        st.just(()) if depth <= 1 else st.lists(any_sections(depth - 1), max_size=3).map(tuple)
    )
    return st.builds(
        Section,
        number=st.sampled_from(("", "一", "六", "(一)", "1.")) | texts,
        heading=texts,
        kind=st.sampled_from(("overview", "disclosure", "applications", "appeals", "problems", "other")) | texts,
        level=st.integers(1, 5) | st.integers(),
        text=texts,
        subsections=children,
        span=optional_spans(),
    )


def any_diagnostics() -> st.SearchStrategy[Diagnostic]:
    return st.builds(
        Diagnostic,
        code=st.sampled_from(("row-missing", "unplaced-value", "row-shape")) | texts,
        message=texts,
        line=st.none() | st.integers(),
        column=st.none() | st.integers(),
        raw=texts,
        severity=st.sampled_from(("warning", "error")) | texts,
        keys=st.lists(texts, max_size=3).map(tuple),
    )


def any_meta() -> st.SearchStrategy[Meta]:
    return st.builds(
        Meta,
        title=texts,
        agency=texts,
        year=st.none() | st.integers(1990, 2100) | st.integers(),
        signed_on=st.none() | st.dates().map(date.isoformat),
        signed_by=texts,
    )


def any_report() -> st.SearchStrategy[Report]:
    """A structurally valid but otherwise arbitrary report (for serialisation tests)."""
    return st.builds(
        Report,
        template=st.sampled_from(("2021", "2019")) | texts,
        meta=any_meta(),
        preamble=texts,
        sections=st.lists(any_sections(), max_size=3).map(tuple),
        disclosure=any_tables("disclosure"),
        applications=any_tables("applications"),
        appeals=any_tables("appeals"),
        diagnostics=st.lists(any_diagnostics(), max_size=3).map(tuple),
        template_evidence=st.lists(texts, max_size=3).map(tuple),
        source=st.none() | any_sources(),
    )


def any_sources() -> st.SearchStrategy[Source]:
    return st.builds(
        Source,
        kind=st.sampled_from(("text", "html", "pdf", "docx")),
        name=texts,
        encoding=st.none() | st.sampled_from(("utf-8", "gb18030", "utf-16")),
        pages=st.none() | st.integers(0, 10_000),
    )


def flat_values(report: Report) -> dict[str, Any]:
    """``{flat key: value}`` of every cell (what ``flatten(report, meta=False)`` should give)."""
    return {key: cell.value for key, cell in report.keyed_cells()}


def typed(value: Any) -> tuple[type, Any]:
    """``==`` cannot tell Decimal("3") from 3; compare the types too."""
    return (type(value), value)


def assert_never_wrong(parsed: Report, report: Report) -> None:
    """Every value is the report's, or None with a diagnostic naming its key."""
    expected = flat_values(report)
    got = govreport.flatten(parsed, meta=False)
    assert set(got) == set(expected)
    diagnosed = {key for d in parsed.diagnostics for key in d.keys}
    for key, value in got.items():
        if value is not None:
            assert typed(value) == typed(expected[key]), f"{key}: parsed {value!r}, printed {expected[key]!r}"
        elif expected[key] is not None:
            assert key in diagnosed, f"{key} is None but no diagnostic names it"
