"""The report as one HTML page a person can check against the source: ``govreport view``.

The page holds the three tables laid out like the official forms (row and column labels
from the template data), and below them the text the report was read from.  Every value
links to its highlight in that text (the cell's ``Span``), with its line and, for a PDF, its
page; the cells of a relation that fails are red with the relation as their tooltip; and a
cell that was not printed as a number never looks like one: blank, placeholder, missing,
unresolved, inferred and split cells each have their own mark, explained in a legend.

The page is one self-contained file (inline style and script, nothing fetched).  Report
text is hostile input: everything from it is escaped, and the page's Content-Security-
Policy lets only the page's own script run (by its hash), so a ``<script>`` printed in a
report is inert text twice over.

``render_tables`` is the tables alone (no source text): ``Report._repr_html_`` in a
notebook shows them (registered with ``model.set_html_renderer`` below).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from html import escape

from attrs import frozen

from . import model
from .checks import check
from .errors import GovreportError
from .messages import DEFAULT_LANG, check_lang, messages, text
from .model import Cell, Finding, Report, Row, Table
from .registry import get_template
from .templates import Template

# The line breaks the parser counts lines by (normalize.py): a Span's line is one of these.
LINE_BREAK = re.compile("\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")

# What each cell status looks like.  A printed number is plain; everything else is marked.
STATUS_CLASSES = ("number", "blank", "placeholder", "missing", "unresolved", "inferred", "split", "ocr")

STYLE = """
.govreport{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;color:#222}
.govreport table.t{border-collapse:collapse;margin:.5em 0 1.5em;font-size:14px}
.govreport .t th,.govreport .t td{border:1px solid #888;padding:3px 6px;vertical-align:middle}
.govreport .t th{background:#f2f2f2;font-weight:normal}
.govreport .t th.lab{text-align:left}
.govreport .t td{text-align:right;min-width:3em}
.govreport .v{display:inline-block;min-width:2em;text-decoration:none;color:inherit}
.govreport a.v:hover{text-decoration:underline}
.govreport .blank{color:#777;font-style:italic;
  background:repeating-linear-gradient(45deg,#fff,#fff 4px,#eee 4px,#eee 8px)}
.govreport .placeholder{color:#555;border:1px dotted #555}
.govreport .missing{color:#a15c00;background:#fff1d6;border:1px dashed #a15c00}
.govreport .unresolved{color:#6a1b9a;background:#f3e5f5;border:1px dashed #6a1b9a}
.govreport .inferred{color:#0d47a1;font-style:italic;background:#e3f2fd;border:1px dashed #0d47a1}
.govreport .inferred::after{content:"*"}
.govreport .split{background:#e8f5e9;border-bottom:2px dotted #2e7d32}
.govreport .ocr{border-bottom:2px dashed #607d8b}
.govreport td.failed{background:#ffcdd2;outline:2px solid #c62828;outline-offset:-2px}
.govreport td.failed.warning{background:#ffe0b2;outline-color:#ef6c00}
.govreport td.suspect{background:#fff9c4}
.govreport td.current{outline:3px solid #ff6f00;outline-offset:-3px}
.govreport .legend span.v{margin:0 .3em}
"""

PAGE_STYLE = """
body{margin:1.5em;max-width:80em}
h1{font-size:22px} h2{font-size:18px;margin-top:1.5em}
.meta{color:#444}
pre.src{white-space:pre-wrap;font-size:14px;line-height:1.6;border:1px solid #ccc;padding:.5em 1em;background:#fafafa}
pre.src .ln::before{content:attr(data-line);display:inline-block;width:3.5em;color:#999;text-align:right;
  margin-right:1em;user-select:none}
pre.src .ln.page::after{content:attr(data-page);color:#999;margin-left:-.5em}
pre.src mark{background:#fff59d}
pre.src mark.current,pre.src mark:target{background:#ff9800;color:#000;outline:2px solid #e65100}
pre.src .ln.current{background:#ffe0b2}
ul.diag li,ul.find li{margin:.2em 0}
.sev-error{color:#c62828} .sev-warning{color:#a15c00} .sev-info{color:#555}
"""

# Marks the target of the address (#m-3, #L12) and the table cells that link to it, so that
# following a link shows both ends; clicking a highlight goes back to its cells.
SCRIPT = """
(function(){
  function show(){
    document.querySelectorAll('.current').forEach(function(e){e.classList.remove('current');});
    var id=decodeURIComponent(location.hash.slice(1)); if(!id) return;
    var t=document.getElementById(id); if(!t) return;
    t.classList.add('current');
    document.querySelectorAll('a[href="#'+id+'"]').forEach(function(a){
      var td=a.closest('td'); if(td) td.classList.add('current');});
  }
  window.addEventListener('hashchange',show); show();
})();
"""


def _script_hash(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


# ----------------------------------------------------------------- the page


def render_html(
    report: Report,
    source_text: str | None = None,
    findings: Sequence[Finding] | None = None,
    lang: str = DEFAULT_LANG,
) -> str:
    """The whole page: title, tables, checks, diagnostics and the source text.

    ``source_text`` is the text the report was parsed from (``govreport.read_file(path).text``
    for a file, the string itself for ``parse``): the cells' spans are offsets into it.  Without
    it the values are not linked.  ``findings`` default to ``govreport.check(report, prose=True)``.
    """
    check_lang(lang)
    if findings is None:
        findings = check(report, prose=True)
    if source_text is not None and not _spans_fit(report, source_text):
        raise GovreportError("the text given is not the one the report was parsed from (the cells' spans do not fit)")
    marks = _Marks.of(report, source_text) if source_text is not None else _Marks({}, ())
    meta = report.meta
    title = meta.title or text("view.untitled", lang)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        f"style-src 'unsafe-inline'; script-src '{_script_hash(SCRIPT)}'\">",
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}{PAGE_STYLE}</style></head>",
        '<body class="govreport">',
        f"<h1>{escape(title)}</h1>",
        _meta_html(report, lang),
        _legend_html(lang),
        _tables_html(report, findings, marks, lang),
        _findings_html(findings, marks, lang),
        _diagnostics_html(report, source_text is not None, lang),
    ]
    if source_text is not None:
        parts.append(f"<h2>{escape(text('view.source', lang))}</h2>")
        parts.append(_source_html(source_text, marks, report))
    parts.append(f"<script>{SCRIPT}</script></body></html>")
    return "\n".join(parts) + "\n"


def render_tables(report: Report, findings: Sequence[Finding] | None = None, lang: str = DEFAULT_LANG) -> str:
    """The three tables as an HTML fragment (with its style, no script, no source text)."""
    check_lang(lang)
    if findings is None:
        findings = check(report, prose=True)
    return (
        f'<div class="govreport"><style>{STYLE}</style>'
        + _tables_html(report, findings, _Marks({}, ()), lang)
        + _legend_html(lang)
        + "</div>"
    )


def _spans_fit(report: Report, source_text: str) -> bool:
    for _, cell in report.keyed_cells():
        span = cell.span
        if span is not None and (span.end > len(source_text) or cell.raw not in source_text[span.start : span.end]):
            return False
    return True


def _meta_html(report: Report, lang: str) -> str:
    meta = report.meta
    items = [
        (text("view.agency", lang), meta.agency or "—"),
        (text("view.year", lang), "" if meta.year is None else str(meta.year)),
        (text("view.template", lang), report.template),
    ]
    if report.source is not None:
        items.append((text("view.file", lang), f"{report.source.name} ({report.source.kind})"))
    body = "　".join(f"{escape(k)}：{escape(v or '—')}" for k, v in items)
    return f'<p class="meta">{body}</p>'


def _legend_html(lang: str) -> str:
    samples = {
        "number": "12",
        "blank": text("view.blank", lang),
        "placeholder": "/",
        "missing": "?",
        "unresolved": "?",
        "inferred": "12",
        "split": "12",
        "ocr": "12",
    }
    items = "".join(
        f'<span class="v {status}" title="{escape(text("view.status." + status, lang))}">'
        f"{escape(samples[status])}</span>"
        f"{escape(text('view.status_name.' + status, lang))}"
        for status in STATUS_CLASSES
    )
    failed = '<table class="t" style="display:inline-table;margin:0 .3em"><tr><td class="failed">12</td></tr></table>'
    return (
        f'<p class="legend">{escape(text("view.legend", lang))}：{items}{failed}{escape(text("view.failed", lang))}</p>'
    )


# ----------------------------------------------------------------- the source text and its highlights


@frozen
class _Marks:
    """The highlights in the source text: one per distinct span, and the cells that link to each."""

    by_key: Mapping[str, int]  # flat key -> mark number
    spans: tuple[tuple[int, int], ...]  # mark number -> (start, end), in text order, not overlapping

    @classmethod
    def of(cls, report: Report, source_text: str) -> _Marks:
        located = sorted(
            ((cell.span.start, cell.span.end, key) for key, cell in report.keyed_cells() if cell.span is not None),
        )
        spans: list[tuple[int, int]] = []
        by_key: dict[str, int] = {}
        for start, end, key in located:
            end = max(start, min(end, len(source_text)))
            if spans and start < spans[-1][1]:  # the same span (a glued run split into cells), or inside it
                by_key[key] = len(spans) - 1
                continue
            if start == end:
                continue
            spans.append((start, end))
            by_key[key] = len(spans) - 1
        return cls(by_key, tuple(spans))


def _source_html(source_text: str, marks: _Marks, report: Report) -> str:
    """The text, line by line (numbered, with anchors L1, L2 …), the cells' spans marked."""
    pages = _line_pages(report)
    out: list[str] = ['<pre class="src">']
    line = 1

    def line_start() -> str:
        page = pages.get(line)
        extra = f' page" data-page="p.{page}' if page is not None else ""
        return f'<span class="ln{extra}" id="L{line}" data-line="{line}"></span>'

    def plain(chunk: str) -> None:
        nonlocal line
        pos = 0
        for found in LINE_BREAK.finditer(chunk):
            out.append(escape(chunk[pos : found.start()]))
            out.append("\n")
            line += 1
            out.append(line_start())
            pos = found.end()
        out.append(escape(chunk[pos:]))

    out.append(line_start())
    position = 0
    for number, (start, end) in enumerate(marks.spans):
        plain(source_text[position:start])
        out.append(f'<mark id="m-{number}">')
        plain(source_text[start:end])
        out.append("</mark>")
        position = end
    plain(source_text[position:])
    out.append("</pre>")
    return "".join(out)


def _line_pages(report: Report) -> dict[int, int]:
    """The page of each line that holds a cell or a diagnostic with a known page (PDF)."""
    pages: dict[int, int] = {}
    for _, cell in report.keyed_cells():
        if cell.span is not None and cell.origin is not None and cell.origin.page is not None:
            pages.setdefault(cell.span.line, cell.origin.page)
    for diagnostic in report.diagnostics:
        if diagnostic.line is not None and diagnostic.page is not None:
            pages.setdefault(diagnostic.line, diagnostic.page)
    return pages


# ----------------------------------------------------------------- the tables


def _tables_html(report: Report, findings: Sequence[Finding], marks: _Marks, lang: str) -> str:
    try:
        template: Template | None = get_template(report.template)
    except GovreportError:  # a template no longer registered: the printed labels and the column keys
        template = None
    failed: dict[str, list[Finding]] = {}
    suspect: dict[str, list[Finding]] = {}
    for finding in findings:
        into = failed if finding.status == "failed" else suspect if finding.status == "suspected_misread" else None
        if into is not None:
            for key in finding.keys:
                into.setdefault(key, []).append(finding)
    cells = _CellView(failed, suspect, marks, lang)
    out = []
    for table in report.tables:
        heading = text(f"view.table.{table.name}", lang) if _has_text(f"view.table.{table.name}") else table.name
        out.append(f"<h2>{escape(heading)}</h2>")
        if not table.printed:
            out.append(f"<p>{escape(text('view.not_printed', lang))}</p>")
        if not table.rows:
            continue
        out.append(_table_html(table, template, cells))
    return "\n".join(out)


def _has_text(key: str) -> bool:
    return key in messages()


@frozen
class _CellView:
    failed: Mapping[str, list[Finding]]
    suspect: Mapping[str, list[Finding]]
    marks: _Marks
    lang: str

    def td(self, key: str, cell: Cell) -> str:
        lang = self.lang
        status = cell.status if cell.status in STATUS_CLASSES else "missing"
        classes = ["v", status] + (["inferred"] if cell.inferred and status != "inferred" else [])
        td_classes = []
        notes = [text("view.status." + status, lang)]
        if cell.raw:
            notes.append(text("view.printed_as", lang, raw=cell.raw))
        if cell.span is not None:
            where = text("view.line", lang, line=cell.span.line)
            if cell.origin is not None and cell.origin.page is not None:
                where += " " + text("view.page", lang, page=cell.origin.page)
            notes.append(where)
        failing = self.failed.get(key, ())
        if failing:  # red for an error; orange when only warnings fail (the text against the table)
            td_classes += ["failed"] if any(f.severity == "error" for f in failing) else ["failed", "warning"]
        notes.extend(_finding_text(finding, lang) for finding in failing)
        for finding in self.suspect.get(key, ()):
            td_classes.append("suspect")
            notes.append(_finding_text(finding, lang))
        notes.append(key)
        shown = _shown(cell, lang)
        title = escape("\n".join(notes))
        attrs = f'class="{" ".join(classes)}" title="{title}" data-key="{escape(key)}" data-status="{status}"'
        if key in self.marks.by_key:
            inner = f'<a {attrs} href="#m-{self.marks.by_key[key]}">{escape(shown)}</a>'
        else:
            inner = f"<span {attrs}>{escape(shown)}</span>"
        td_class = f' class="{" ".join(sorted(set(td_classes)))}"' if td_classes else ""
        return f"<td{td_class}>{inner}</td>"


def _shown(cell: Cell, lang: str) -> str:
    if cell.value is not None:
        return _number(cell.value)
    if cell.status == "blank":
        return text("view.blank", lang)
    if cell.status == "placeholder":
        return cell.raw or "/"
    return "?"


def _number(value: int | Decimal) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _finding_text(finding: Finding, lang: str) -> str:
    if lang == "zh":
        return finding.equation_zh or finding.message_zh
    return finding.equation_en or finding.message_en


def _paths(table: Table, template: Template | None) -> list[list[str]]:
    """Each row's label path (template data), the abbreviations (``三 / …``) written out
    and the levels every standard row shares (the section number) left out."""
    specs = {spec.key: spec for spec in template.table_rows(table.name)} if template is not None else {}
    raw: list[list[str] | None] = []
    for row in table.rows:
        spec = specs.get(row.key)
        raw.append(spec.path.split(" / ") if spec is not None and row.standard else None)
    full: dict[int, list[str]] = {}
    for parts in raw:
        if parts is None:
            continue
        for level, part in enumerate(parts):
            seen = full.setdefault(level, [])
            longer = next((s for s in seen if s != part and s.startswith(part) and not s[len(part)].isalnum()), None)
            if longer is not None:
                parts[level] = longer
            elif part not in seen:
                seen.append(part)
    standard = [p for p in raw if p is not None]
    common = 0
    while standard and all(len(p) > common + 1 and p[common] == standard[0][common] for p in standard):
        common += 1
    return [p[common:] if p is not None else [row.label or row.key] for p, row in zip(raw, table.rows, strict=True)]


@frozen
class _Label:
    first: int  # the index of the first item it covers
    text: str
    along: int  # items covered
    across: int  # levels covered (a short path's last label fills the levels below it)


def _label_grid(paths: Sequence[Sequence[str]], depth: int) -> list[list[_Label]]:
    """The merged label cells of a stack of paths, level by level (like the printed tables)."""
    grid: list[list[_Label]] = []
    for level in range(depth):
        labels: list[_Label] = []
        i = 0
        while i < len(paths):
            path = paths[i]
            if len(path) <= level:
                i += 1
                continue
            j = i + 1
            last = level == len(path) - 1
            if not last:
                while j < len(paths) and len(paths[j]) > level + 1 and paths[j][: level + 1] == path[: level + 1]:
                    j += 1
            labels.append(_Label(i, path[level], j - i, depth - level if last else 1))
            i = j
        grid.append(labels)
    return grid


def _table_html(table: Table, template: Template | None, cells: _CellView) -> str:
    paths = _paths(table, template)
    labels: dict[str, str] = {}
    one_line = False
    if template is not None:
        for spec in template.table_rows(table.name):
            labels.update((c.key, c.label) for c in spec.columns)
        one_line = table.name in template.table_names and template.table(table.name).one_line
    if one_line:
        return _one_line_html(table, paths, labels, cells)
    depth = max(len(p) for p in paths)
    out = [f'<table data-table="{escape(table.name)}" class="t">']
    # Blocks of rows with the same columns, each under its own header row (table 二).
    start = 0
    while start < len(table.rows):
        columns = table.rows[start].columns
        end = start + 1
        while end < len(table.rows) and table.rows[end].columns == columns:
            end += 1
        out.append(
            f'<tr><th class="lab" colspan="{depth}"></th>'
            + "".join(f"<th>{escape(labels.get(c, c))}</th>" for c in columns)
            + "</tr>"
        )
        block = paths[start:end]
        grid = _label_grid(block, depth)
        for i, row in enumerate(table.rows[start:end]):
            heads = [label for level in grid for label in level if label.first == i]
            out.append(
                "<tr>"
                + "".join(
                    f'<th class="lab" rowspan="{h.along}" colspan="{h.across}">{escape(h.text)}</th>' for h in heads
                )
                + "".join(cells.td(_key(table, row, c), c) for c in row.cells)
                + "</tr>"
            )
        start = end
    out.append("</table>")
    return "".join(out)


def _one_line_html(table: Table, paths: list[list[str]], labels: Mapping[str, str], cells: _CellView) -> str:
    """A table printed as one line of values under a header of several rows (table 四)."""
    depth = max(len(p) for p in paths)
    # Spread each row's path over its columns, so the header merges across them.
    widths = [max(len(row.cells), 1) for row in table.rows]
    out = [f'<table data-table="{escape(table.name)}" class="t">']
    grid = _label_grid(paths, depth)
    offsets = [sum(widths[:i]) for i in range(len(widths))]
    for level in grid:
        out.append(
            "<tr>"
            + "".join(
                f'<th colspan="{sum(widths[h.first : h.first + h.along])}" rowspan="{h.across}">{escape(h.text)}</th>'
                for h in sorted(level, key=lambda h: offsets[h.first])
            )
            + "</tr>"
        )
    out.append(
        "<tr>" + "".join(f"<th>{escape(labels.get(c.column, c.column))}</th>" for r in table.rows for c in r.cells)
    )
    out.append("</tr><tr>" + "".join(cells.td(_key(table, r, c), c) for r in table.rows for c in r.cells) + "</tr>")
    out.append("</table>")
    return "".join(out)


def _key(table: Table, row: Row, cell: Cell) -> str:
    return f"{table.name}.{row.key}.{cell.column}"


# ----------------------------------------------------------------- checks and diagnostics


def _findings_html(findings: Sequence[Finding], marks: _Marks, lang: str) -> str:
    out = [f"<h2>{escape(text('view.checks', lang))}</h2>"]
    if not findings:
        out.append(f"<p>{escape(text('view.all_hold', lang))}</p>")
        return "\n".join(out)
    out.append('<ul class="find">')
    for finding in findings:
        status = text("view.finding." + finding.status, lang) if _has_text("view.finding." + finding.status) else ""
        links = ", ".join(
            f'<a href="#m-{marks.by_key[key]}">{escape(key)}</a>' if key in marks.by_key else escape(key)
            for key in finding.keys[:12]
        )
        more = " …" if len(finding.keys) > 12 else ""
        out.append(
            f'<li class="sev-{escape(finding.severity)}">{escape(finding.rule)} {escape(status)}：'
            f"{escape(_finding_text(finding, lang))}<br><small>{links}{more}</small></li>"
        )
    out.append("</ul>")
    return "\n".join(out)


def _diagnostics_html(report: Report, linked: bool, lang: str) -> str:
    out = [f"<h2>{escape(text('view.diagnostics', lang, count=len(report.diagnostics)))}</h2>"]
    if not report.diagnostics:
        return out[0]
    out.append('<ul class="diag">')
    for diagnostic in report.diagnostics:
        where = []
        if diagnostic.line is not None:
            line = text("view.line", lang, line=diagnostic.line)
            where.append(f'<a href="#L{diagnostic.line}">{escape(line)}</a>' if linked else escape(line))
        if diagnostic.page is not None:
            where.append(escape(text("view.page", lang, page=diagnostic.page)))
        raw = f"<br><small>“{escape(diagnostic.raw[:200])}”</small>" if diagnostic.raw else ""
        out.append(
            f'<li class="sev-{escape(diagnostic.severity)}">{" ".join(where)} <code>{escape(diagnostic.code)}</code> '
            f"{escape(diagnostic.message)}{raw}</li>"
        )
    out.append("</ul>")
    return "\n".join(out)


def _notebook_html(report: Report) -> str:
    return render_tables(report)


model.set_html_renderer(_notebook_html)
