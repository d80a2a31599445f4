"""Print a ``Report`` as the files people download: an HTML page and a Word document.

The three tables are built as the official grids, with the merged cells of
``shared/spec/formats.md`` §1.3–1.5 and §2.3–2.4 (G1, G2):

* table 二: a block header merged across the four columns, then ``信息内容`` and the
  column headers; in a block with fewer than three value columns the last header and
  value cell spans the rest of the row (2021: one cell, colspan 3);
* table 三: the top-left note (rowspan 3, colspan 3), 申请人情况 (colspan 7), 自然人 and
  总计 (rowspan 2), 法人或其他组织 (colspan 5); 一/二/四 labels colspan 3,
  三、本年度办理结果 rowspan 22 (2021) or 20 (2019), (一)(二)(七) and 2019's (六) colspan 2,
  each group label (三)(四)(五) and 2021's (六) rowspan over its sub-rows;
* table 四: 行政复议 colspan 5 | 行政诉讼 colspan 10; five rowspan-2 headers,
  未经复议直接起诉 and 复议后起诉 colspan 5; ten sub-headers; the 15 values.

The HTML page wraps the report in what a downloaded government page carries:
navigation, a breadcrumb, publication data, scripts and a footer with numbers of its own.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Callable
from typing import Any, NamedTuple

from render import HEADINGS, _prose, _row_cells, _signature, _specs, _title

from govreport import Report

NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANT_HEADERS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
APPEAL_HEADERS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
DISCLOSURE_COLUMNS = {
    "2021": {
        "第二十条第（一）项": ("本年制发件数", "本年废止件数", "现行有效件数"),
        "第二十条第（五）项": ("本年处理决定数量",),
        "第二十条第（六）项": ("本年处理决定数量",),
        "第二十条第（八）项": ("本年收费金额（单位：万元）",),
    },
    "2019": {
        "第二十条第（一）项": ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
        "第二十条第（五）项": ("上一年项目数量", "本年增/减", "处理决定数量"),
        "第二十条第（六）项": ("上一年项目数量", "本年增/减", "处理决定数量"),
        "第二十条第（八）项": ("上一年项目数量", "本年增/减"),
        "第二十条第（九）项": ("采购项目数量", "采购总金额"),
    },
}


class Span(NamedTuple):
    text: str
    rowspan: int = 1
    colspan: int = 1


Grid = list[list[Span]]


def _fill(cells: list[str], width: int) -> list[Span]:
    """Value or header cells in ``width`` grid columns: the last cell spans what is left."""
    spans = [Span(c) for c in cells]
    spans[-1] = Span(cells[-1], colspan=width - len(cells) + 1)
    return spans


def disclosure_grid(report: Report) -> Grid:
    rows: Grid = []
    specs = _specs(report, "disclosure")
    for block, headers in DISCLOSURE_COLUMNS[report.template].items():
        rows.append([Span(block, colspan=4)])
        rows.append([Span("信息内容"), *_fill(list(headers), 3)])
        for spec in specs:
            if spec.path.split(" / ")[1] == block:
                rows.append([Span(spec.label), *_fill(_row_cells(report.disclosure, spec), 3)])
    return rows


def applications_grid(report: Report) -> Grid:
    rows: Grid = [
        [Span(NOTE, 3, 3), Span("申请人情况", colspan=7)],
        [Span("自然人", rowspan=2), Span("法人或其他组织", colspan=5), Span("总计", rowspan=2)],
        [Span(h) for h in APPLICANT_HEADERS],
    ]
    specs = _specs(report, "applications")
    results = [s for s in specs if s.path.startswith("三")]
    groups: dict[str, int] = {}
    for spec in results:
        parts = spec.path.split(" / ")
        if len(parts) == 3:
            groups[parts[1]] = groups.get(parts[1], 0) + 1
    for spec in specs:
        parts = spec.path.split(" / ")
        values = [Span(v) for v in _row_cells(report.applications, spec)]
        if not spec.path.startswith("三"):
            rows.append([Span(spec.label, colspan=3), *values])
            continue
        labels = [Span("三、本年度办理结果", rowspan=len(results))] if spec is results[0] else []
        if len(parts) == 2:
            labels.append(Span(spec.label, colspan=2))
        else:
            if groups.get(parts[1]):
                labels.append(Span(parts[1], rowspan=groups.pop(parts[1])))
            labels.append(Span(spec.label))
        rows.append([*labels, *values])
    return rows


def appeals_grid(report: Report) -> Grid:
    values = [v for spec in _specs(report, "appeals") for v in _row_cells(report.appeals, spec)]
    return [
        [Span("行政复议", colspan=5), Span("行政诉讼", colspan=10)],
        [
            *(Span(h, rowspan=2) for h in APPEAL_HEADERS),
            Span("未经复议直接起诉", colspan=5),
            Span("复议后起诉", colspan=5),
        ],
        [Span(h) for h in APPEAL_HEADERS * 2],
        [Span(v) for v in values],
    ]


GRIDS = {"disclosure": disclosure_grid, "applications": applications_grid, "appeals": appeals_grid}


def blocks(report: Report) -> list[str | Grid]:
    """The report in reading order: paragraphs (str) and tables (Grid)."""
    out: list[str | Grid] = [_title(report)]
    for kind, heading in HEADINGS:
        out.append(heading)
        if kind in GRIDS:
            out.append(GRIDS[kind](report))
        else:
            out.extend(_prose(report, kind))
    out.extend(_signature(report))
    return out


# ----------------------------------------------------------------- HTML


def _html_cell(span: Span) -> str:
    attrs = (f' rowspan="{span.rowspan}"' if span.rowspan > 1 else "") + (
        f' colspan="{span.colspan}"' if span.colspan > 1 else ""
    )
    # Blank cells as government CMSs write them; long labels (never numbers) wrapped with <br>.
    text = html.escape(span.text) if span.text else "&nbsp;"
    if len(span.text) > 12 and not any(ch.isdigit() for ch in span.text):
        text = html.escape(span.text[:8]) + "<br/>" + html.escape(span.text[8:])
    return f'<td{attrs} style="border:1px solid #000"><p align="center"><span>{text}</span></p></td>'


def html_table(grid: Grid) -> str:
    rows = "".join("<tr>" + "".join(_html_cell(s) for s in row) + "</tr>\n" for row in grid)
    return f'<table class="MsoNormalTable" border="1" cellspacing="0"><tbody>\n{rows}</tbody></table>'


PAGE_HEAD = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{charset}"><title>{title}_政府信息公开年报</title>
<script type="text/javascript">var _hmt = _hmt || []; var pageId = 20240115; if (a < b && c > 1) {{}}</script>
<style>td {{ font-size: 12pt; }} .nav li {{ float: left; }}</style></head>
<body><div class="header"><div class="logo"><img src="logo.png" alt="某某市人民政府"></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/hdjl/">互动交流</a></li><li><a href="/bsfw/">办事服务</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a>政府信息公开年报</a></div>
<table width="100%"><tr><td class="side"><ul><li>政府信息公开指南</li><li>政府信息公开制度</li></ul></td>
<td class="main"><div class="info">索引号：11320800014178573A/2024-00012 发布日期：2024-01-15 浏览次数：1234</div>
<div class="content" id="zoom">
"""
PAGE_FOOT = """</div><div class="share">分享到： <a>微信</a> <a>微博</a> 【打印本页】【关闭窗口】</div>
</td></tr></table>
<div class="footer"><p>主办单位：某某市人民政府办公室 地址：某某路1号 邮编：223001</p>
<p>网站标识码：3208000001 苏ICP备05009171号-1 电话：0517-83605210</p></div>
<script src="/js/stat.js"></script><noscript><img src="/stat.gif?id=12345"></noscript></body></html>
"""


def render_html(report: Report, charset: str = "utf-8") -> str:
    """The report as a whole downloaded government page."""
    parts = [PAGE_HEAD.format(charset=charset, title=html.escape(_title(report)))]
    for block in blocks(report):
        if isinstance(block, str):
            parts.append(f'<p style="text-indent:2em"><span>{html.escape(block)}</span></p>\n')
        else:
            parts.append(html_table(block) + "\n")
    parts.append(PAGE_FOOT)
    return "".join(parts)


# ----------------------------------------------------------------- Word


def render_docx(report: Report) -> bytes:
    """The report as a .docx file built with python-docx, merged cells merged."""
    import docx

    document = docx.Document()
    for block in blocks(report):
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        width = sum(s.colspan for s in block[0])
        table = document.add_table(rows=len(block), cols=width)
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(block):
            c = 0
            for span in row:
                while (r, c) in taken:
                    c += 1
                cell = table.cell(r, c)
                cell.text = span.text
                if span.rowspan > 1 or span.colspan > 1:
                    cell.merge(table.cell(r + span.rowspan - 1, c + span.colspan - 1))
                taken.update((r + dr, c + dc) for dr in range(span.rowspan) for dc in range(span.colspan))
                c += span.colspan
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ----------------------------------------------------------------- OFD

OFD_NS = "http://www.ofdspec.org/2016"
PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 20.0
PROSE_SIZE, CELL_SIZE = 3.5, 3.0
_CJK_CHAR = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters, broken only between two Chinese characters;
    a text with no such place (a number) overflows its cell, as layout programs print it."""
    lines = []
    while len(text) > width:
        cut = width
        while cut > 1 and not (_CJK_CHAR.match(text[cut - 1]) and _CJK_CHAR.match(text[cut])):
            cut -= 1
        if cut == 1:
            break
        lines.append(text[:cut])
        text = text[cut:]
    return [*lines, text] if text else lines


class _OfdPage:
    def __init__(self) -> None:
        self.objects: list[str] = []
        self.next_id = 0

    def text(self, x: float, baseline: float, text: str, size: float) -> None:
        width = size * len(text)
        delta = f' DeltaX="g {len(text) - 1} {size:g}"' if len(text) > 1 else ""
        self.objects.append(
            f'<ofd:TextObject ID="{len(self.objects) + 10}" Boundary="{x:.2f} {baseline - size:.2f} {width:.2f} '
            f'{size * 1.4:.2f}" Font="3" Size="{size:g}"><ofd:TextCode X="0" Y="{size:g}"{delta}>'
            f"{html.escape(text, quote=False)}</ofd:TextCode></ofd:TextObject>"
        )

    def box(self, x0: float, top: float, x1: float, bottom: float) -> None:
        w, h = x1 - x0, bottom - top
        self.objects.append(
            f'<ofd:PathObject ID="{len(self.objects) + 10}" Boundary="{x0:.2f} {top:.2f} {w:.2f} {h:.2f}" '
            f'LineWidth="0.25"><ofd:AbbreviatedData>M 0 0 L {w:.2f} 0 L {w:.2f} {h:.2f} L 0 {h:.2f} C'
            "</ofd:AbbreviatedData></ofd:PathObject>"
        )

    def xml(self) -> str:
        return (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content>'
            f'<ofd:Layer ID="2">{"".join(self.objects)}</ofd:Layer></ofd:Content></ofd:Page>'
        )


def render_ofd(report: Report) -> bytes:
    """The report as an OFD file (GB/T 33190-2016) built from its XML spec.

    A4 pages of positioned text: paragraphs wrapped in lines, each table a grid of cells
    with ruled borders (one ``PathObject`` box per cell), the text of a merged cell centred
    in its area and wrapped to its width.  A table flows over pages row by row; a merged
    cell cut by a page break prints its text in the part on the first page.
    """
    pages = lay_out(report, _OfdPage, text_drop=True, table_baseline=CELL_SIZE * 1.3 - 0.3, table_gap=2)
    return _ofd_package([p.xml() for p in pages])


def lay_out(
    report: Report, new_page: Callable[[], Any], *, text_drop: bool, table_baseline: float, table_gap: float
) -> list[Any]:
    """The report's blocks on A4 pages from ``new_page()``: prose wrapped in lines drawn with
    ``page.text`` (at the line's top, or ``text_drop``: at its foot, a baseline), tables by
    ``ruled_table``, ``table_gap`` below each."""
    pages = [new_page()]
    y = MARGIN
    line_height = PROSE_SIZE * 1.6
    per_line = int((PAGE_W - 2 * MARGIN) / PROSE_SIZE)
    for block in blocks(report):
        if isinstance(block, str):
            for line in _wrap(block, per_line):
                if y + line_height > PAGE_H - MARGIN:
                    pages.append(new_page())
                    y = MARGIN
                pages[-1].text(MARGIN, y + line_height if text_drop else y, line, PROSE_SIZE)
                y += line_height
            continue
        y = ruled_table(block, pages, y + 2, new_page, baseline=table_baseline) + table_gap
    return pages


def ruled_table(grid: Grid, pages: list[Any], y: float, new_page: Callable[[], Any], baseline: float) -> float:
    """Lay a table out on pages from ``y`` down (a new page from ``new_page()`` where one is
    full): every cell ruled with ``page.box``, its text centred in height with ``page.text``,
    each line ``baseline`` below its top.  Returns where the table ends on the last page."""
    width = sum(s.colspan for s in grid[0])
    column = (PAGE_W - 2 * MARGIN) / width
    placed: list[tuple[int, int, Span]] = []  # (row, column, span)
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(grid):
        c = 0
        for span in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, span))
            taken.update((r + dr, c + dc) for dr in range(span.rowspan) for dc in range(span.colspan))
            c += span.colspan

    def lines_of(span: Span) -> list[str]:
        return _wrap(span.text, max(1, int((column * span.colspan - 2) / CELL_SIZE))) if span.text else []

    heights = [7.0] * len(grid)
    for r, _, span in placed:
        if span.rowspan == 1:
            heights[r] = max(heights[r], len(lines_of(span)) * CELL_SIZE * 1.3 + 3)
    # rows to pages: (page index, top of the row)
    where: list[tuple[int, float]] = []
    for h in heights:
        if y + h > PAGE_H - MARGIN:
            pages.append(new_page())
            y = MARGIN
        where.append((len(pages) - 1, y))
        y += h
    for r, c, span in placed:
        x0, x1 = MARGIN + c * column, MARGIN + (c + span.colspan) * column
        rows = range(r, r + span.rowspan)
        parts: dict[int, list[float]] = {}
        for k in rows:
            page, top = where[k]
            part = parts.setdefault(page, [top, top])
            part[1] = top + heights[k]
        for n, (page, (top, bottom)) in enumerate(parts.items()):
            pages[page].box(x0, top, x1, bottom)
            if n == 0:
                text = lines_of(span)
                start = (top + bottom) / 2 - len(text) * CELL_SIZE * 1.3 / 2
                for i, line in enumerate(text):
                    pages[page].text(x0 + 1, start + i * CELL_SIZE * 1.3 + baseline, line, CELL_SIZE)
    return y


def _ofd_package(pages: list[str]) -> bytes:
    ns = f'xmlns:ofd="{OFD_NS}"'
    entries = "".join(f'<ofd:Page ID="{i + 1}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}><ofd:CommonData><ofd:MaxUnitID>100000'
        f"</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {PAGE_W:g} {PAGE_H:g}</ofd:PhysicalBox>"
        "</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
        f"<ofd:Pages>{entries}</ofd:Pages></ofd:Document>"
    )
    public = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res {ns} BaseLoc="Res"><ofd:Fonts>'
        '<ofd:Font ID="3" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>'
    )
    root = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} DocType="OFD" Version="1.0"><ofd:DocBody>'
        "<ofd:DocInfo><ofd:DocID>0C2D4F6A8B0E4C6D8F1A3B5C7D9E1F20</ofd:DocID><ofd:Creator>govreport tests"
        "</ofd:Creator></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", root)
        archive.writestr("Doc_0/Document.xml", document)
        archive.writestr("Doc_0/PublicRes.xml", public)
        for i, page in enumerate(pages):
            archive.writestr(f"Doc_0/Pages/Page_{i}/Content.xml", page)
    return out.getvalue()
