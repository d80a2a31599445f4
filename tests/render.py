"""Print a ``Report`` as report text, in several of the layouts real reports come in.

Every renderer takes a ``Report`` of either template ("2021" or "2019") and returns
the text of a whole report: title, the six section headings, the prose of the
sections and the three national tables.  Header lines, block headers and row
labels are those of the report's template: the header lines are copied from the
seed of that format (tests/data/seeds/000_bfa6ed85e05c204a.txt for 2021,
tests/data/seeds/001_29ed77745b82a4d4.txt for 2019), the row labels are the
template's own.

* ``render_tab``: the tab-separated layout of the seeds, byte for byte (the same
  header lines, row labels, empty label cells, trailing tabs and blank lines);
* ``render_pipe``: P1, ``" | "`` between cells and rows ending ``" |"``;
* ``render_cell_per_line``: P2, one cell per line, every line ending ``" |"``;
* ``render_paragraphs``: P3, one cell per paragraph (a blank line after each cell);
* ``render_pdf``: P6 simplified, cells separated by one space, a table row per line,
  table 四's 15 values on one line under its header lines;
* ``render_markdown``: Markdown pipe tables (a ``|---|`` row after the first row of
  each table) and ``#``/``##`` headings.

A cell is printed as its ``raw`` text, or ``str(value)`` when ``raw`` is empty; a
blank cell is an empty string.

Blank cells.  Every layout but P6 can print a blank value cell, the way real reports
do (/work/shared/spec/layouts.md §1-2, the web excerpts 001, 019, 025, 047).  A
renderer's ``blank=`` names the form (``BLANK_STYLES``; the first is the default,
which is what the renderer printed before it had styles):

* tab, Markdown: an empty string between two separators;
* P1, P1a: ``"spaced"`` ``规章 |  | 0 |`` (stripped cells joined by `` | ``) or
  ``"packed"`` ``规章 | | 0 |``, ``行政许可 | |||`` (each cell ``text |`` or a bare ``|``,
  as sites print empty cells and padding: 001 ``行政事業性收費 | |||||``);
* P2: ``"bar"`` a line `` |`` (the cell's text, empty, then `` |``) or ``"lone"`` a
  lone ``|`` line (gdsx.gov.cn ``一、本年新收… |`` then ``|`` lines);
* P2a (``render_cell_per_line_marked``, hukou.gov.cn): a lone ``|`` line opens every
  row, a row's last cell ends `` | |``, and an empty cell is a lone ``|`` (``| |`` when
  it is the row's last);
* MIX: ``"spaced"`` as P1 / P2 or ``"broken"``: a blank cell of a pipe row starts a
  new line with its ``|`` and the row goes on after it (019 ``规章 |`` then three
  lone ``|`` lines: ``规章 | 0 |``, ``| 5 |``), a blank in the cell-per-line table is a
  lone ``|``.  Its table 四 is P6 text and cannot show a blank;
* P3: ``"empty"`` an empty paragraph, ``"space"`` a paragraph holding one space,
  ``"gap_space"`` an empty line then a line with one space (025: ``行政事业性收费``,
  ``\n\n\n \n\n``);
* P4, P5: ``"empty"`` an empty line or ``"space"`` a line holding one space.

P6 (``render_pdf``) has no blank form: its cells are separated by single spaces, so
an empty cell leaves no trace in PDF text (a row then just has fewer values; that is
a *lost* cell, the kind ``test_blanks`` cuts, not a printed blank).  ``BLANK_STYLES``
has no entry for it, and ``blank_cells_allowed`` refuses blanks there and in MIX's
table 四.

``render_cells`` renders a report and also returns where each cell is printed
(``Place``), so a test can tell which cells a cut keeps and show the text around a cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from typing import Any, NamedTuple

import attrs

from govreport import Cell, Report, Section, Table, get_template
from govreport.templates import RowSpec

# ----------------------------------------------------------------- table 二, as the seeds print it

# (block header line, column header line, row keys, cells per printed line or 0 for no padding)
DisclosureBlock = tuple[str, str, tuple[str, ...], int]

DISCLOSURE_BLOCKS_2021: tuple[DisclosureBlock, ...] = (  # seed 000
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
DISCLOSURE_BLOCKS_2019: tuple[DisclosureBlock, ...] = (  # seed 001
    (
        "第二十条第（一）项\t\t\t",
        "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量",
        ("regulations", "normative_documents"),
        4,
    ),
    (
        "第二十条第（五）项\t\t\t",
        "信息内容\t上一年项目数量\t本年增/减\t处理决定数量",
        ("licensing", "other_services"),
        4,
    ),
    ("第二十条第（六）项\t\t\t", "信息内容\t上一年项目数量\t本年增/减\t处理决定数量", ("penalty", "coercion"), 4),
    ("第二十条第（八）项\t\t\t", "信息内容\t上一年项目数量\t本年增/减\t", ("fees",), 4),
    (
        "第二十条第（九）项\t\t\t",
        "信息内容\t采购项目数量\t采购总金额（单位：万元，保留4位小数）\t",
        ("procurement",),
        4,
    ),
)
DISCLOSURE_BLOCKS = DISCLOSURE_BLOCKS_2021  # the name the 2021 renderer had first
DISCLOSURE_RULE = "---------\t---"  # seed 000 only

# ----------------------------------------------------------------- table 三, as the seeds print it

APPLICATIONS_HEADER_2021 = (  # seed 000
    "(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t\t申请人情况\t\t\t\t\t\t总计\t",
    "\t\t自然人\t法人或其他组织\t\t\t\t\t\t",
    "\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\t",
)
APPLICATIONS_HEADER_2019 = (  # seed 001
    "(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t申请人情况\t\t\t\t\t\t总计",
    "\t自然人\t法人或其他组织\t\t\t\t\t",
    "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t",
)
APPLICATIONS_HEADER = APPLICATIONS_HEADER_2021
# Where the seed's label text differs from RowSpec.label (half-width brackets and a space).
SEED_LABELS_2021 = {
    "granted": "(一) 予以公开",
    "partially_granted": "(二) 部分公开（区分处理的，只计这一情形，不计其他情形）",
    "results_total": "(七) 总计",
}
SEED_LABELS_2019 = {
    "granted": "(一) 予以公开",
    "partially_granted": "(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)",
    "other_handling": "(六) 其他处理",
    "results_total": "(七) 总计",
}
SEED_LABELS = SEED_LABELS_2021
# The cells printed before the values of the top-level rows; "{label}" is the row label.
APPLICATION_PREFIX_2021 = {
    "new": ("{label}", ""),
    "carried_over": ("{label}", ""),
    "granted": ("三、本年度办理结果", "{label}"),
    "partially_granted": ("", "{label}"),
    "results_total": ("", "{label}", ""),
    "carried_forward": ("", "{label}", ""),
}
APPLICATION_PREFIX_2019 = {
    "new": ("{label}",),
    "carried_over": ("{label}", ""),
    "granted": ("三、本年度办理结果", "{label}"),
    "partially_granted": ("", "{label}"),
    "other_handling": ("", "{label}"),
    "results_total": ("", "{label}"),
    "carried_forward": ("{label}", ""),
}
APPLICATION_PREFIX = APPLICATION_PREFIX_2021
# Sub-row groups: the group label is printed in the second cell of the group's first row.
APPLICATION_GROUPS = {
    "denied": "(三) 不予公开",
    "unavailable": "(四) 无法提供",
    "not_processed": "(五) 不予处理",
    "other_handling": "(六) 其他处理",
}
# Rows printed with a trailing tab, and rows followed by an empty line, in each seed.
TRAILING_TAB_2021 = frozenset({"new", "carried_over", "granted", "partially_granted"})
TRAILING_TAB_2019 = frozenset(
    {"carried_over", "granted", "partially_granted", "other_handling", "results_total", "carried_forward"}
)
TRAILING_TAB = TRAILING_TAB_2021
BLANK_LINE_AFTER_2021 = frozenset({"denied.administrative_query"})
BLANK_LINE_AFTER_2019 = frozenset({"new"})
BLANK_LINE_AFTER = BLANK_LINE_AFTER_2021

# ----------------------------------------------------------------- table 四, as the seeds print it

APPEALS_HEADER_2021 = (  # seed 000
    "行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t",
    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t",
    "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
)
APPEALS_HEADER_2019 = (  # seed 001
    "行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t\t",
    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t\t",
    "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t",
)
APPEALS_HEADER = APPEALS_HEADER_2021


class TabStyle:
    """What the tab layout of one template's seed prints."""

    def __init__(
        self,
        blocks: tuple[DisclosureBlock, ...],
        rule: str | None,
        applications_header: tuple[str, ...],
        labels: dict[str, str],
        prefix: dict[str, tuple[str, ...]],
        trailing_tab: frozenset[str],
        blank_line_after: frozenset[str],
        appeals_header: tuple[str, ...],
    ) -> None:
        self.blocks = blocks
        self.rule = rule
        self.applications_header = applications_header
        self.labels = labels
        self.prefix = prefix
        self.trailing_tab = trailing_tab
        self.blank_line_after = blank_line_after
        self.appeals_header = appeals_header


TAB_STYLES = {
    "2021": TabStyle(
        DISCLOSURE_BLOCKS_2021,
        DISCLOSURE_RULE,
        APPLICATIONS_HEADER_2021,
        SEED_LABELS_2021,
        APPLICATION_PREFIX_2021,
        TRAILING_TAB_2021,
        BLANK_LINE_AFTER_2021,
        APPEALS_HEADER_2021,
    ),
    "2019": TabStyle(
        DISCLOSURE_BLOCKS_2019,
        None,
        APPLICATIONS_HEADER_2019,
        SEED_LABELS_2019,
        APPLICATION_PREFIX_2019,
        TRAILING_TAB_2019,
        BLANK_LINE_AFTER_2019,
        APPEALS_HEADER_2019,
    ),
}

# ----------------------------------------------------------------- sections

HEADINGS = (
    ("overview", "一、总体情况"),
    ("disclosure", "二、主动公开政府信息情况"),
    ("applications", "三、收到和处理政府信息公开申请情况"),
    ("appeals", "四、政府信息公开行政复议、行政诉讼情况"),
    ("problems", "五、存在的主要问题及改进情况"),
    ("other", "六、其他需要报告的事项"),
)
TABLE_KINDS = ("disclosure", "applications", "appeals")


def cell_text(cell: Cell | None) -> str:
    """The printed text of a cell: its raw text, else its value, else nothing."""
    if cell is None:
        return ""
    if cell.raw:
        return cell.raw
    return "" if cell.value is None else str(cell.value)


def _style(report: Report) -> TabStyle:
    try:
        return TAB_STYLES[report.template]
    except KeyError:
        raise ValueError(f"no layout known for template {report.template!r}") from None


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


# ----------------------------------------------------------------- the tab layout (the seeds)


def _seed_label(report: Report, spec: RowSpec) -> str:
    return _style(report).labels.get(spec.key, spec.label)


def render_disclosure(report: Report) -> list[str]:
    style = _style(report)
    specs = {s.key: s for s in _specs(report, "disclosure")}
    lines: list[str] = []
    for block, header, keys, width in style.blocks:
        lines.append(block)
        lines.append(header)
        for key in keys:
            cells = [_seed_label(report, specs[key]), *_row_cells(report.disclosure, specs[key])]
            cells += [""] * (width - len(cells))
            lines.append("\t".join(cells))
    if style.rule is not None:
        lines.append(style.rule)
    return lines


def render_applications(report: Report) -> list[str]:
    style = _style(report)
    lines = list(style.applications_header)
    seen_groups: set[str] = set()
    for spec in _specs(report, "applications"):
        values = _row_cells(report.applications, spec)
        if spec.key in style.prefix:
            prefix = [p.format(label=_seed_label(report, spec)) for p in style.prefix[spec.key]]
            lines.append("\t".join([*prefix, *values]) + ("\t" if spec.key in style.trailing_tab else ""))
        else:
            group = spec.key.split(".", 1)[0]
            group_label = "" if group in seen_groups else APPLICATION_GROUPS[group]
            seen_groups.add(group)
            lines.append("\t".join(["", group_label, _seed_label(report, spec), *values]))
        if spec.key in style.blank_line_after:
            lines.append("")
    return lines


def render_appeals(report: Report) -> list[str]:
    """The header, then the line of values in as many cells as the header has: the 2019
    seed's header has a 16th cell, where the seed prints a spare value (left empty here)."""
    header = _style(report).appeals_header
    values = _appeal_values(report)
    cells = max((line.count("\t") + 1 for line in header), default=len(values))
    return [*header, "\t".join([*values, *([""] * (cells - len(values)))])]


def _appeal_values(report: Report) -> list[str]:
    values: list[str] = []
    for spec in _specs(report, "appeals"):
        values.extend(_row_cells(report.appeals, spec))
    return values


def _section_text(section: Section) -> Iterable[str]:
    if section.text:
        yield section.text
    for sub in section.subsections:
        yield sub.heading
        yield from _section_text(sub)


def _title(report: Report) -> str:
    meta = report.meta
    year = f"{meta.year}年" if meta.year is not None else ""
    return f"{meta.agency}{year}政府信息公开工作年度报告"


def _signature(report: Report) -> list[str]:
    meta = report.meta
    if not meta.signed_on:
        return []
    y, m, d = (int(p) for p in meta.signed_on.split("-"))
    return [*([meta.signed_by] if meta.signed_by else []), f"{y}年{m}月{d}日"]


def _prose(report: Report, kind: str) -> list[str]:
    for section in report.sections:
        if section.kind == kind:
            return list(_section_text(section))
    return []


def render_tab(report: Report) -> str:
    """The report as text in the tab-separated layout of its template's seed (000 or 001)."""
    tables = {
        "disclosure": render_disclosure,
        "applications": render_applications,
        "appeals": render_appeals,
    }
    parts: list[str] = ["", "", _title(report), ""]
    for kind, heading in HEADINGS:
        parts += [heading, ""]
        if kind in tables:
            parts += [*tables[kind](report), ""]
            continue
        for paragraph in _prose(report, kind):
            parts += [paragraph, ""]
    parts += _signature(report)
    return "\n".join(parts).rstrip("\n") + "\n"


# ----------------------------------------------------------------- the logical tables (other layouts)


class Line(NamedTuple):
    """A printed table row: its label cells (as placed in the official grid, "" for a
    merged or empty label cell) and its value cells ("" for a blank value)."""

    kind: str  # "block", "header", "row" or "data"
    labels: tuple[str, ...]
    values: tuple[str, ...] = ()

    @property
    def cells(self) -> list[str]:
        """The cells a layout without a grid prints: the non-empty labels, then every value."""
        return [*(label for label in self.labels if label), *self.values]

    @property
    def grid(self) -> list[str]:
        return [*self.labels, *self.values]


def _header_cells(line: str) -> tuple[str, ...]:
    """The printed cells of a seed header line, without the empty padding cells."""
    return tuple(cell for cell in line.strip("\n").split("\t") if cell)


# Table 三 has three label columns: 三、本年度办理结果 | group label | row label.
APPLICATION_LABEL_COLUMNS = 3


def _row_labels(spec: RowSpec, printed: set[str]) -> tuple[str, ...]:
    """The label cells of a table 三 row in the official grid of three label columns.

    The path ``三 / （三）不予公开 / 1.属于国家秘密`` gives ``("", "（三）不予公开",
    "1.属于国家秘密")`` for the first row of the group and ``("", "", "2.…")`` after it:
    a group label is printed once (it spans its rows), and a one-character part
    such as ``三`` only refers to the row group already printed.
    """
    parts = spec.path.split(" / ")
    cells = []
    for part in parts[:-1]:
        if len(part) > 1 and part not in printed:
            printed.add(part)
            cells.append(part)
        else:
            cells.append("")
    cells.append(parts[-1])
    return (*cells, *[""] * (APPLICATION_LABEL_COLUMNS - len(cells)))


def logical_tables(report: Report) -> dict[str, list[Line]]:
    """The rows of the three tables as printed.

    Header and block lines come from the template's seed; row labels are the
    template's labels (full-width brackets, as in the official form).
    """
    style = _style(report)
    out: dict[str, list[Line]] = {name: [] for name in TABLE_KINDS}
    specs = {s.key: s for s in _specs(report, "disclosure")}
    for block, header, keys, _ in style.blocks:
        out["disclosure"].append(Line("block", _header_cells(block)))
        out["disclosure"].append(Line("header", _header_cells(header)))
        for key in keys:
            out["disclosure"].append(Line("row", (specs[key].label,), tuple(_row_cells(report.disclosure, specs[key]))))
    out["applications"] = [Line("header", _header_cells(line)) for line in style.applications_header]
    printed: set[str] = set()
    for spec in _specs(report, "applications"):
        values = tuple(_row_cells(report.applications, spec))
        out["applications"].append(Line("row", _row_labels(spec, printed), values))
    out["appeals"] = [Line("header", _header_cells(line)) for line in style.appeals_header]
    out["appeals"].append(Line("data", (), tuple(_appeal_values(report))))
    return out


def _render_document(
    report: Report,
    table: Callable[[str, list[Line]], list[str]],
    *,
    heading: Callable[[str], str] = lambda h: h,
    title: Callable[[str], str] = lambda t: t,
    gap: bool = True,
) -> str:
    """Title, sections and prose, with each table printed by ``table(kind, lines)``.

    ``gap`` puts a blank line after the title, each heading and each paragraph.
    """
    tables = logical_tables(report)
    blank = [""] if gap else []
    parts: list[str] = [title(_title(report)), *blank]
    for kind, text in HEADINGS:
        parts += [heading(text), *blank]
        if kind in tables:
            parts += table(kind, tables[kind])
            parts += blank
            continue
        for paragraph in _prose(report, kind):
            parts += [paragraph, *blank]
    parts += _signature(report)
    return "\n".join(parts).rstrip("\n") + "\n"


# ----------------------------------------------------------------- blank value cells


# render_cells prints each cell as one private-use character first, then puts the cell's
# text in its place: numbers U+E000.., blanks U+F000.. (a blank's stand-in is a blank to
# the layouts below, so they print their blank form around it).
_NUMBER_MARK = 0xE000
_BLANK_MARK = 0xF000
_MARKS = 0x800
_MARK = re.compile(f"[{chr(_NUMBER_MARK)}-{chr(_BLANK_MARK + _MARKS - 1)}]")


def is_blank(text: str) -> bool:
    """A blank value cell: empty, or the stand-in ``render_cells`` prints for a blank."""
    return text == "" or (len(text) == 1 and _BLANK_MARK <= ord(text) < _BLANK_MARK + _MARKS)


def _blank_or(cell: str, blank: str, other: str) -> str:
    """``cell + blank`` for a blank cell, else ``other``."""
    return cell + blank if is_blank(cell) else other


def _pipe_cells(cells: list[str], blank: str) -> str:
    """P1 cells: ``"spaced"`` joins them with `` | ``; ``"packed"`` prints ``text |`` or
    a bare ``|`` for a blank, with no space between two blanks (``行政许可 | |||``)."""
    if blank == "spaced":
        return " | ".join(cells) + " |"
    out = ""
    previous_blank = False
    for n, cell in enumerate(cells):
        blank_cell = is_blank(cell)
        token = cell + "|" if blank_cell else f"{cell} |"
        out += ("" if n == 0 or (blank_cell and previous_blank) else " ") + token
        previous_blank = blank_cell
    return out


def _broken_cells(cells: list[str]) -> list[str]:
    """MIX pipe row whose blank cells fall onto lines of their own (019: ``规章 |``,
    ``|``, ``|``, ``|``): a blank starts a new line with its ``|``, later cells follow it."""
    lines = [""]
    for cell in cells:
        if is_blank(cell):
            lines.append(cell + "|")
        else:
            lines[-1] += ("" if lines[-1] == "" else " ") + f"{cell} |"
    return [line for line in lines if line]


# The blank forms of each layout; the first is the renderer's default.
BLANK_STYLES: dict[str, tuple[str, ...]] = {
    "tab": ("empty",),
    "pipe": ("spaced", "packed"),
    "pipe_leading": ("spaced", "packed"),
    "cell_per_line": ("bar", "lone"),
    "cell_per_line_marked": ("lone",),
    "mixed": ("spaced", "broken"),
    "paragraphs": ("empty", "space", "gap_space"),
    "lines": ("empty", "space"),
    "lone_pipes": ("empty", "space"),
    "markdown": ("empty",),
}
_LINE_BLANKS = {"empty": "", "space": " ", "gap_space": "\n "}


def _check_style(layout: str, blank: str) -> None:
    if blank not in BLANK_STYLES[layout]:
        raise ValueError(f"layout {layout!r} has no blank style {blank!r} (it has {BLANK_STYLES[layout]})")


# ----------------------------------------------------------------- the layouts


def render_pipe(report: Report, *, blank: str = "spaced") -> str:
    """P1: one table row per line, `` | `` between cells, each row ending `` |``."""
    _check_style("pipe", blank)

    def table(kind: str, lines: list[Line]) -> list[str]:
        return [_pipe_cells(line.cells, blank) for line in lines]

    return _render_document(report, table)


def render_pipe_leading(report: Report, *, blank: str = "spaced") -> str:
    """P1a: pipe rows with a leading ``| `` and a trailing space."""
    _check_style("pipe_leading", blank)

    def table(kind: str, lines: list[Line]) -> list[str]:
        return ["| " + _pipe_cells(line.cells, blank) + " " for line in lines]

    return _render_document(report, table)


def render_lines(report: Report, *, blank: str = "empty") -> str:
    """P4: one cell per line, no separators at all; a blank is an empty or a space line."""
    _check_style("lines", blank)
    form = _LINE_BLANKS[blank]

    def table(kind: str, lines: list[Line]) -> list[str]:
        return [_blank_or(cell, form, cell) for line in lines for cell in line.cells]

    return _render_document(report, table)


def render_lone_pipes(report: Report, *, blank: str = "empty") -> str:
    """P5: cell lines alternating with lone ``|`` lines; a blank is an empty or a space line."""
    _check_style("lone_pipes", blank)
    form = _LINE_BLANKS[blank]

    def table(kind: str, lines: list[Line]) -> list[str]:
        out: list[str] = []
        for line in lines:
            for cell in line.cells:
                out += [_blank_or(cell, form, cell), "|"]
        return out

    return _render_document(report, table)


def render_mixed(report: Report, *, blank: str = "spaced") -> str:
    """Layouts mixed within one report: table 二 as pipe rows (P1), table 三 one cell per
    line ending `` |`` (P2), table 四 as PDF text (P6)."""
    _check_style("mixed", blank)

    def table(kind: str, lines: list[Line]) -> list[str]:
        if kind == "disclosure":
            if blank == "broken":
                return [text for line in lines for text in _broken_cells(line.cells)]
            return [" | ".join(line.cells) + " |" for line in lines]
        if kind == "applications":
            bar = "|" if blank == "broken" else " |"
            return [_blank_or(cell, bar, f"{cell} |") for line in lines for cell in line.cells]
        return [" ".join(c for c in line.cells if c) for line in lines]

    return _render_document(report, table)


def render_cell_per_line(report: Report, *, blank: str = "bar") -> str:
    """P2: one cell per line, each line ending `` |``; a row's values follow its label lines."""
    _check_style("cell_per_line", blank)
    bar = " |" if blank == "bar" else "|"

    def table(kind: str, lines: list[Line]) -> list[str]:
        return [_blank_or(cell, bar, f"{cell} |") for line in lines for cell in line.cells]

    return _render_document(report, table)


def render_cell_per_line_marked(report: Report, *, blank: str = "lone") -> str:
    """P2a (hukou.gov.cn): P2 with a lone ``|`` line before every table row and the
    row's last cell ending `` | |``; an empty cell is a lone ``|`` (``| |`` when last)."""
    _check_style("cell_per_line_marked", blank)

    def table(kind: str, lines: list[Line]) -> list[str]:
        out: list[str] = []
        for line in lines:
            out.append("|")
            cells = line.cells
            for n, cell in enumerate(cells):
                end = " |" if n == len(cells) - 1 else ""
                out.append(_blank_or(cell, "|" + end, f"{cell} |{end}"))
        return out

    return _render_document(report, table)


def render_paragraphs(report: Report, *, blank: str = "empty") -> str:
    """P3: one cell per paragraph: every cell on its own line, then a blank line."""
    _check_style("paragraphs", blank)
    form = _LINE_BLANKS[blank]

    def table(kind: str, lines: list[Line]) -> list[str]:
        out: list[str] = []
        for line in lines:
            for cell in line.cells:
                out += [_blank_or(cell, form, cell), ""]
        return out

    return _render_document(report, table)


def render_pdf(report: Report) -> str:
    """P6, simplified: PDF text with cells separated by one space, a table row per line.

    Table 四 prints its header lines, then its 15 values on one line.  No blank lines,
    as in text taken out of a PDF.  There is no blank form: an empty cell leaves no
    trace in PDF text (see the module docstring).
    """

    def table(kind: str, lines: list[Line]) -> list[str]:
        return [" ".join(line.cells) for line in lines]

    return _render_document(report, table, gap=False)


MARKDOWN_WIDTH = {"disclosure": 4, "applications": APPLICATION_LABEL_COLUMNS + 7, "appeals": 15}


def render_markdown(report: Report, *, blank: str = "empty") -> str:
    """Markdown: ``#`` title, ``##`` section headings, one pipe table per national table.

    Each table has a ``|---|`` row after its first row.  The rows of table 三 keep the
    official grid: three label columns (三、本年度办理结果, the group label, the row
    label), empty where the official table merges cells.
    """
    _check_style("markdown", blank)

    def table(kind: str, lines: list[Line]) -> list[str]:
        width = MARKDOWN_WIDTH[kind]
        out: list[str] = []
        for n, line in enumerate(lines):
            cells = line.grid if line.kind == "row" else line.cells
            out.append("| " + " | ".join([*cells, *[""] * (width - len(cells))]) + " |")
            if n == 0:
                out.append("|" + "---|" * width)
        return out

    return _render_document(report, table, heading=lambda h: f"## {h}", title=lambda t: f"# {t}")


GLUED_STYLES = ("rows", "tables", "page")


def render_glued(report: Report, *, style: str = "rows") -> str:
    """A crawler dump: the page's text taken without separators, so a row's label and its
    values run together (``行政规范性文件77132470``).

    ``style``: ``"rows"`` a line per table line (label and cells glued); ``"tables"`` each
    table on one line; ``"page"`` the whole page on one line (title, headings, prose and
    tables).  A blank leaves no trace (as in PDF text), so there is no blank form.
    """
    if style not in GLUED_STYLES:
        raise ValueError(f"unknown glued style {style!r}")

    def table(kind: str, lines: list[Line]) -> list[str]:
        glued = ["".join(line.cells) for line in lines]
        return glued if style == "rows" else ["".join(glued)]

    text = _render_document(report, table, gap=False)
    return text.replace("\n", "") + "\n" if style == "page" else text


def _render_tab(report: Report, *, blank: str = "empty") -> str:
    _check_style("tab", blank)
    return render_tab(report)


RENDERERS: dict[str, Callable[[Report], str]] = {
    "tab": render_tab,
    "pipe": render_pipe,
    "pipe_leading": render_pipe_leading,
    "cell_per_line": render_cell_per_line,
    "lines": render_lines,
    "lone_pipes": render_lone_pipes,
    "mixed": render_mixed,
    "paragraphs": render_paragraphs,
    "pdf": render_pdf,
    "markdown": render_markdown,
}
# Every layout class, with a blank= keyword where the layout can print a blank cell:
# RENDERERS (which the older tests sample from) and P2a.
LAYOUT_CLASSES: dict[str, Callable[..., str]] = {
    **RENDERERS,
    "tab": _render_tab,
    "cell_per_line_marked": render_cell_per_line_marked,
}
# Layouts whose blank is an empty string between two separators (tests/test_layouts.py);
# BLANK_STYLES lists every layout that can print a blank.
BLANK_LAYOUTS = frozenset({"tab", "pipe"})


# ----------------------------------------------------------------- which cells may be blank


def _tab_padding(report: Report, key: str) -> tuple[int, int]:
    """(empty cells between the label and the values, empty cells after the values) of a
    table 三 row in the tab layout (the seed's own padding)."""
    style = _style(report)
    row = key.split(".", 1)[1].rsplit(".", 1)[0]
    prefix = style.prefix.get(row)
    if prefix is None:  # a sub-row: "", group label, row label, values
        return 0, 0
    lead = len(prefix) - 1 - prefix.index("{label}")
    return lead, 1 if row in style.trailing_tab else 0


def blank_cells_allowed(report: Report, layout: str, keys: Collection[str]) -> set[str]:
    """The cells of ``keys`` that ``layout`` can print blank so that the text still says
    which cell is blank; the others are printed as numbers.

    * P6 prints no blank (``BLANK_STYLES``), nor does MIX in its P6 table 四;
    * in the tab layout, the seed pads some rows of table 三 with empty cells before or
      after the values, and rows of both kinds are in one table, so a row with empty
      cells on both sides of its values fits two windows of columns: a row whose first
      value is blank while empty cells follow the values, or whose last value is blank
      while empty cells precede them, could be either.  A row printed all blank is
      certain.  Such a row keeps its first and last value.
    """
    if layout not in BLANK_STYLES:
        return set()
    allowed = {k for k in keys if not (layout == "mixed" and k.startswith("appeals."))}
    if layout != "tab":
        return allowed
    for table in (report.applications,):
        for row in table.rows:
            row_keys = [f"{table.name}.{row.key}.{cell.column}" for cell in row.cells]
            blank = [k in allowed for k in row_keys]
            if all(blank) or not any(blank):
                continue
            lead, trail = _tab_padding(report, row_keys[0])
            if (trail and blank[0]) or (lead and blank[-1]):
                allowed -= {row_keys[0], row_keys[-1]}
    return allowed


# ----------------------------------------------------------------- where each cell is printed


class Place(NamedTuple):
    """Where a cell is printed: ``text[start:end]`` is its text ("" for a blank, then
    ``start`` is where the blank's form begins)."""

    start: int
    end: int
    blank: bool


class Rendered(NamedTuple):
    text: str
    places: dict[str, Place]  # flat key -> Place, every standard cell of the report


def render_cells(report: Report, layout: str, blank: str | None = None) -> Rendered:
    """``LAYOUT_CLASSES[layout](report, blank=blank)`` and where each cell is in it.

    A cell whose text is empty is a blank: it must be one ``blank_cells_allowed`` lets
    the layout print.
    """
    keyed = list(report.keyed_cells(standard=True))
    if len(keyed) > _MARKS:
        raise ValueError(f"too many cells to mark: {len(keyed)}")
    blanks = {key for key, cell in keyed if cell_text(cell) == ""}
    refused = blanks - blank_cells_allowed(report, layout, blanks)
    if refused:
        raise ValueError(f"layout {layout!r} cannot print these cells blank: {sorted(refused)}")
    marks: dict[str, tuple[str, str]] = {}  # mark -> (key, printed text)
    changes: dict[str, Cell] = {}
    for n, (key, cell) in enumerate(keyed):
        mark = chr((_BLANK_MARK if key in blanks else _NUMBER_MARK) + n)
        marks[mark] = (key, cell_text(cell))
        changes[key] = attrs.evolve(cell, raw=mark)
    kwargs: dict[str, Any] = {} if blank is None else {"blank": blank}
    marked = LAYOUT_CLASSES[layout](report.with_cells(changes), **kwargs)
    out: list[str] = []
    places: dict[str, Place] = {}
    last = size = 0
    for match in _MARK.finditer(marked):
        out.append(marked[last : match.start()])
        size += match.start() - last
        key, printed = marks[match.group()]
        if key in places:
            raise AssertionError(f"{layout}: cell {key} printed twice")
        places[key] = Place(size, size + len(printed), key in blanks)
        out.append(printed)
        size += len(printed)
        last = match.end()
    out.append(marked[last:])
    missing = [key for key, _ in keyed if key not in places]
    if missing:
        raise AssertionError(f"{layout}: cells not printed: {missing[:5]}")
    return Rendered("".join(out), places)
