"""Print a ``Report`` as report text, in the tab-separated layout of seed 000.

``render_tab(report)`` writes the title line, the six section headings and the
three national tables exactly as tests/data/seeds/000_bfa6ed85e05c204a.txt prints
them (the same header lines, row labels, empty label cells, trailing tabs, the
blank line inside table 三 and the ``---------`` rule after table 二).  A cell is
printed as its ``raw`` text, or ``str(value)`` when ``raw`` is empty; a blank cell
is an empty string between two tabs.
"""

from __future__ import annotations

from collections.abc import Iterable

from govreport import Cell, Report, Section, Table, get_template
from govreport.templates import RowSpec

# ----------------------------------------------------------------- table 二 (seed 000)

# (block header line, column header line, row keys, cells per printed line or 0 for no padding)
DISCLOSURE_BLOCKS: tuple[tuple[str, str, tuple[str, ...], int], ...] = (
    (
        "第二十条第（一）项\t\t\t",
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
        ("regulations", "normative_documents"),
        4,
    ),
    ("第二十条第（五）项\t\t\t", "信息内容\t本年处理决定数量\t\t", ("licensing",), 4),
    ("第二十条第（六）项\t\t\t", "信息内容\t本年处理决定数量\t\t", ("penalty", "coercion"), 4),
    ("第二十条第（八）项\t\t\t", "信息内容\t本年收费金额（单位：万元，保留4位小数）\t\t\n", ("fees",), 0),
)
DISCLOSURE_RULE = "---------\t---"

# ----------------------------------------------------------------- table 三 (seed 000)

APPLICATIONS_HEADER = (
    "(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t\t申请人情况\t\t\t\t\t\t总计\t",
    "\t\t自然人\t法人或其他组织\t\t\t\t\t\t",
    "\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\t",
)
# Where the seed's label text differs from RowSpec.label (half-width brackets and a space).
SEED_LABELS = {
    "granted": "(一) 予以公开",
    "partially_granted": "(二) 部分公开（区分处理的，只计这一情形，不计其他情形）",
    "results_total": "(七) 总计",
}
# The cells printed before the values of the top-level rows; "{label}" is the row label.
APPLICATION_PREFIX = {
    "new": ("{label}", ""),
    "carried_over": ("{label}", ""),
    "granted": ("三、本年度办理结果", "{label}"),
    "partially_granted": ("", "{label}"),
    "results_total": ("", "{label}", ""),
    "carried_forward": ("", "{label}", ""),
}
# Sub-row groups: the group label is printed in the second cell of the group's first row.
APPLICATION_GROUPS = {
    "denied": "(三) 不予公开",
    "unavailable": "(四) 无法提供",
    "not_processed": "(五) 不予处理",
    "other_handling": "(六) 其他处理",
}
TRAILING_TAB = frozenset({"new", "carried_over", "granted", "partially_granted"})  # as printed in seed 000
BLANK_LINE_AFTER = frozenset({"denied.administrative_query"})  # seed 000 has an empty line there

# ----------------------------------------------------------------- table 四 (seed 000)

APPEALS_HEADER = (
    "行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t",
    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t",
    "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
)

# ----------------------------------------------------------------- sections

HEADINGS = (
    ("overview", "一、总体情况"),
    ("disclosure", "二、主动公开政府信息情况"),
    ("applications", "三、收到和处理政府信息公开申请情况"),
    ("appeals", "四、政府信息公开行政复议、行政诉讼情况"),
    ("problems", "五、存在的主要问题及改进情况"),
    ("other", "六、其他需要报告的事项"),
)


def cell_text(cell: Cell | None) -> str:
    """The printed text of a cell: its raw text, else its value, else nothing."""
    if cell is None:
        return ""
    if cell.raw:
        return cell.raw
    return "" if cell.value is None else str(cell.value)


def _specs(report: Report, table: str) -> list[RowSpec]:
    return [s for s in get_template(report.template).table_rows(table) if not s.variant_of]


def _row_cells(table: Table, spec: RowSpec) -> list[str]:
    """The printed values of a row, in template column order (blank if the row or cell is absent)."""
    try:
        row = table.row(spec.key)
    except KeyError:
        return ["" for _ in spec.columns]
    out = []
    for column in spec.columns:
        try:
            out.append(cell_text(row.cell(column.key)))
        except KeyError:
            out.append("")
    return out


def _label(spec: RowSpec) -> str:
    return SEED_LABELS.get(spec.key, spec.label)


def render_disclosure(report: Report) -> list[str]:
    specs = {s.key: s for s in _specs(report, "disclosure")}
    lines: list[str] = []
    for block, header, keys, width in DISCLOSURE_BLOCKS:
        lines.append(block)
        lines.append(header)
        for key in keys:
            cells = [_label(specs[key]), *_row_cells(report.disclosure, specs[key])]
            cells += [""] * (width - len(cells))
            lines.append("\t".join(cells))
    lines.append(DISCLOSURE_RULE)
    return lines


def render_applications(report: Report) -> list[str]:
    lines = list(APPLICATIONS_HEADER)
    seen_groups: set[str] = set()
    for spec in _specs(report, "applications"):
        values = _row_cells(report.applications, spec)
        if spec.key in APPLICATION_PREFIX:
            prefix = [p.format(label=_label(spec)) for p in APPLICATION_PREFIX[spec.key]]
            lines.append("\t".join([*prefix, *values]) + ("\t" if spec.key in TRAILING_TAB else ""))
        else:
            group = spec.key.split(".", 1)[0]
            group_label = "" if group in seen_groups else APPLICATION_GROUPS[group]
            seen_groups.add(group)
            lines.append("\t".join(["", group_label, _label(spec), *values]))
        if spec.key in BLANK_LINE_AFTER:
            lines.append("")
    return lines


def render_appeals(report: Report) -> list[str]:
    values: list[str] = []
    for spec in _specs(report, "appeals"):
        values.extend(_row_cells(report.appeals, spec))
    return [*APPEALS_HEADER, "\t".join(values)]


def _section_text(section: Section) -> Iterable[str]:
    if section.text:
        yield section.text
    for sub in section.subsections:
        yield sub.heading
        yield from _section_text(sub)


def render_tab(report: Report) -> str:
    """The report as text in the layout of seed 000 (2021 template)."""
    meta = report.meta
    year = f"{meta.year}年" if meta.year is not None else ""
    title = f"{meta.agency}{year}政府信息公开工作年度报告"
    tables = {
        "disclosure": render_disclosure,
        "applications": render_applications,
        "appeals": render_appeals,
    }
    parts: list[str] = ["", "", title, ""]
    for kind, heading in HEADINGS:
        parts += [heading, ""]
        if kind in tables:
            parts += [*tables[kind](report), ""]
            continue
        for section in report.sections:
            if section.kind == kind:
                for paragraph in _section_text(section):
                    parts += [paragraph, ""]
                break
    if meta.signed_on:
        y, m, d = (int(p) for p in meta.signed_on.split("-"))
        if meta.signed_by:
            parts.append(meta.signed_by)
        parts.append(f"{y}年{m}月{d}日")
    return "\n".join(parts).rstrip("\n") + "\n"
