"""Print docs/data-model.md from the template data and the model classes.

    python docs/gen_data_model.py > docs/data-model.md

``render()`` returns the document, so a test can compare it with the committed file.

The key tables come from the registered templates (grammars/template_*.json) and
the field lists from the attrs classes in govreport.model, so the document cannot
drift from the code.  Hand-written text (meanings, the meta keys) lives in this
file; a field without a description is flagged on stderr and in the output.
"""

# ruff: noqa: E501  (the descriptions below are Markdown prose)

from __future__ import annotations

import json
import sys

import attrs

import govreport
from govreport import model
from govreport.registry import get_template, shipped_grammar_dir
from govreport.templates import Column, RowSpec, Template

REGENERATE = "python docs/gen_data_model.py > docs/data-model.md"

TABLES = {
    "disclosure": "table 二 主动公开政府信息情况",
    "applications": "table 三 收到和处理政府信息公开申请情况",
    "appeals": "table 四 政府信息公开行政复议、行政诉讼情况",
}

# ---------------------------------------------------------------- hand-written parts

META = {
    "meta.template": (
        "str",
        "The template the report was read with: `2021`, `2019`, or the name of a template you registered. See `Report.template_evidence` for why.",
    ),
    "meta.title": (
        "str",
        "The report's title line, e.g. `淮安市人民政府2024年政府信息公开工作年度报告`, joined when printed over two lines, without Markdown marks and stray spaces. Page chrome (breadcrumbs, `来源:`/`发布日期:` fields) is never a title; the page's `标题:` field is used only when the report prints no title line (diagnostic `meta-from-chrome`). `\"\"` if none.",
    ),
    "meta.agency": (
        "str",
        'The agency the title names (the part before the year, e.g. `淮安市人民政府`), else the agency line of the signature. Never from page fields (`来源:`, `发布机构:`) or prose. `""` if the report names none.',
    ),
    "meta.year": (
        "int or None",
        "The report year, from the title (`2024年`, `2024年度`). If the title has no year, from the statistics period (`自2024年1月1日起至2024年12月31日止`). `None` if neither is printed. A title year that differs from the period's gives `year-mismatch`.",
    ),
    "meta.signed_on": (
        "str or None",
        "The signature date printed at the end of the report (or in brackets under the title), as ISO `YYYY-MM-DD`; Arabic, full-width or Chinese numerals (`二〇二五年一月二十日`). `None` if the report ends without a date, or if the date is not a calendar date (`bad-date`). A page's `发布日期:` is not a signature.",
    ),
    "meta.signed_by": (
        "str",
        'Who signed: the agency printed with (or on the line before) that date, e.g. `威海市科学技术局`. `""` if none.',
    ),
}

FIELDS: dict[str, dict[str, str]] = {
    "Report": {
        "template": "the template name used (`2021`, `2019`)",
        "meta": "`Meta`: title, agency, year, signature",
        "preamble": "the text before the first section heading, as printed: title lines, introduction",
        "sections": "the numbered sections 一、…六、 in order, each a `Section` with nested `subsections`",
        "disclosure": "`Table` 二 主动公开政府信息情况",
        "applications": "`Table` 三 收到和处理政府信息公开申请情况",
        "appeals": "`Table` 四 政府信息公开行政复议、行政诉讼情况",
        "diagnostics": "every `Diagnostic` of the parse, in the order found (see errors.md)",
        "template_evidence": "why the template was chosen: the table words that matched with their lines, e.g. `本年制发件数 (line 62)`, or `forced: parse(template='2021')`",
        "source": "`Source`: the file the report was read from (`parse_file`, `parse_html`); `None` for `parse(text)`",
    },
    "Source": {
        "kind": "the reader used: `text`, `html`, `pdf` or `docx` (see inputs.md)",
        "name": 'the path given to `parse_file`, `"<bytes>"` for bytes, `""` for `parse_html`',
        "encoding": "text and HTML files: the encoding detected (`utf-8`, `utf-8-sig`, `gb18030` for the whole GB family, `utf-16`, ...)",
        "pages": "PDF: the number of pages read",
    },
    "Meta": {
        "title": "see `meta.title` above",
        "agency": "see `meta.agency` above",
        "year": "see `meta.year` above",
        "signed_on": "see `meta.signed_on` above",
        "signed_by": "see `meta.signed_by` above",
    },
    "Section": {
        "number": 'the printed number: `一` … `六` for sections (as printed: a report that numbers its sections again from 一 after numbered parts keeps its numbers; `""` for a heading printed without a number or not printed), `(一)`, `1.`, `(1)`, `一是` for sub-headings (normalised: ASCII brackets)',
        "heading": 'the heading as printed, e.g. `一、总体情况`, `（一）主动公开情况`; `""` for a section whose heading the text lost (diagnostic `section-heading-missing`). Text printed on the heading line after it (`一、总体情况 2022年，某区……`, or after `。`/`:`) goes to `text`.',
        "kind": "`overview`, `disclosure`, `applications`, `appeals`, `problems` or `other`. The six national sections are found by their wording and the national order (`govreport.sections`); sub-sections inherit their section's kind.",
        "level": "1 for the six national sections; 2 for (一), and for a part numbered like a section inside one (`二、工作机制保障` in 一、总体情况), whose own sub-headings nest in it; 3 for 1.; 4 for (1); 5 for 一是",
        "text": "the prose of the section as printed, lines joined with `\\n`, without sub-sections. The sections of the tables (二, 三, 四) keep only their notes and sentences, never the table's words and values. `full_text` adds the sub-sections' headings and texts in reading order.",
        "subsections": "nested `Section`s",
        "span": "where the heading is in the input (`None` for a heading not printed)",
    },
    "Table": {
        "name": "`disclosure`, `applications` or `appeals`",
        "rows": "the template's rows in template order. Every row is present, printed or not: a row missing from the text has `missing` cells.",
        "span": "where the table starts (its first header or row label), or `None`",
        "printed": "`False` when the table does not appear in the text at all (then a `table-missing` diagnostic)",
    },
    "Row": {
        "key": "the row key, e.g. `new`, `denied.state_secret`; `extra.1`, `extra.2`, … for extra rows",
        "label": "the printed label, as printed (only the first line of a wrapped label). The template's label for a row not in the text and for the rows of table 四, whose labels are column headers.",
        "cells": "one `Cell` per column of the row, in template order",
        "span": "where the label is in the input; `None` for a row not in the text and for table 四",
        "standard": "`True` for the rows of the official table. `False` for an *extra row*: a printed row the template does not have (an agency's addition or a damaged label), placed after the standard rows with an `extra-row` diagnostic. Its columns are named after the standard row printed before it when the value counts match, else `c1`, `c2`, …. `flatten()`, `flat_keys()` and the checks skip extra rows.",
    },
    "Cell": {
        "column": "the column key, e.g. `natural_person`, `amount`",
        "value": "`int` for counts, `decimal.Decimal` for money, `None` when no number can be given (see `status`)",
        "raw": 'the text of the cell after normalisation (full-width `６` becomes `6`), e.g. `3119`, `/`, `6件`; `""` if nothing was printed. The text exactly as printed is `input[span.start:span.end]`.',
        "span": "where `raw` is in the input. A blank cell's span is its row label's. `None` if nothing was printed.",
        "unit": "a unit printed with the number (`件`, `万元`, …), else the column's unit (`万元` for the fee), else `None`",
        "status": "one of the values in the table below",
        "inferred": "True when the value is not printed but filled from the arithmetic (`govreport.infer`, run by `parse`)",
        "origin": "`Origin`: where the cell is in the source document (page and box of a PDF, table/row/column of an HTML or Word table); `None` for `parse(text)` and for cells with nothing printed",
    },
    "Origin": {
        "page": "PDF/OFD: the 1-based page number",
        "bbox": "PDF: the cell text's box `(x0, top, x1, bottom)` in PDF points, measured from the page's top left (across, the characters' advances; down, their ink)",
        "table": "HTML/DOCX: the 1-based index of the table in the document",
        "row": "the 1-based row within that table, merged cells expanded",
        "column": "the 1-based column within that row",
        "confidence": "scanned PDF: the OCR score of the text, 0 to 1 (the cell's status is then `ocr`; docs/ocr.md)",
    },
    "Span": {
        "line": "1-based line of the start, in the original input",
        "column": "1-based column of the start",
        "end_line": "line of the end",
        "end_column": "column just after the end",
        "start": "0-based character offset of the start: `text[span.start:span.end]` is the printed text",
        "end": "0-based character offset just after the end",
    },
    "Diagnostic": {
        "code": "a stable identifier, e.g. `row-shape` (all codes: errors.md)",
        "message": "an English explanation naming the table and the printed row label",
        "line": "1-based line in the original input, or `None` when there is no position (e.g. `row-missing`)",
        "column": "1-based column, or `None`",
        "raw": "the input text involved: the unplaced values joined by spaces, or the row label",
        "severity": "`info` (nothing lost: `label-note`), `warning` (cells left `None` or values unused) or `error` (reserved, not emitted). `parse(strict=True)` raises on anything but `info`.",
        "keys": "the flat keys affected, when known",
        "page": "PDF/OFD: the page of `line`, `None` otherwise",
    },
}

CLASSES = [
    model.Report,
    model.Source,
    model.Meta,
    model.Section,
    model.Table,
    model.Row,
    model.Cell,
    model.Span,
    model.Origin,
    model.Diagnostic,
]


# ---------------------------------------------------------------- generated parts


PRINTED_BLANK_LOST = [
    "### Printed, blank, lost, inferred",
    "",
    "What the text shows of a cell decides its `value` and `status`, and every output keeps these "
    "apart (examples from one row of table 三, `(一)予以公开 | 3 |  | 0 | 0 | 0 | 0 | 3 |`, and from "
    "texts that stop early):",
    "",
    "| the text shows | example | `value` | `status` |",
    "|---|---|---|---|",
    "| a number | 自然人 `3` | `3` | `number` |",
    "| an empty cell | 商业企业 (nothing between its two `|`) | `None` | `blank` |",
    "| a placeholder | `/`, `—`, `无` | `None` | `placeholder` |",
    "| nothing: the input lost the cell (OCR, a page cut off) or never printed its row | "
    "`6.属于四类过程性信息 | 0 | 0 | 0 | 0 |` at the very end of a web page: the last three cells | "
    "`None` | `missing`, with a `truncated` (or `row-missing`, `table-missing`) diagnostic naming it |",
    "| values that cannot be tied to their cells with certainty | 6 values printed for 7 cells, "
    "none of them blank for sure | `None` | `unresolved`, with `row-shape` or `row-unresolved` |",
    "| a lost cell the table's arithmetic fixes | 总计 cut off, the six columns printed `0` | `0` | "
    "`inferred` (`Cell.inferred` is `True`), with an `inferred` diagnostic naming the relations |",
    "",
    "Inference (`parse(infer=True)`, the default) fills only `missing` cells: a printed blank is never "
    "filled, and an `unresolved` row may print blanks, so it is not filled either. The checks read a "
    "printed blank as 0 when they evaluate a relation, so a report that leaves its zeros blank stays "
    'checkable; a relation that would need a blank to be non-zero is a finding ("blank where the '
    'arithmetic requires 3001"), not a fill. The wide table (CSV, Parquet, `to_frame`) has a '
    "`status.<status>` column per status other than `number`, listing the keys of the cells with "
    "that status (so `status.inferred` names every number that was not printed), and an inferred "
    "number is never in its value column (empty there) but in the column `inferred` (`key=value; …`), "
    "unless asked with `--with-inferred` / `report_row(..., inferred=True)`; JSON keeps "
    "`status` and `inferred` on every cell; `govreport.statuses(report)` gives `{key: status}`. "
    "How each layout prints a blank cell: [layouts.md](layouts.md#blank-and-cut-cells).",
]


def column_type(column: Column) -> str:
    if column.type == "decimal":
        return f"decimal {column.unit}" if column.unit else "decimal"
    if column.type == "signed_int":
        return "int (may be negative)"
    return column.type


def key_rows(template: Template, specs: list[RowSpec]) -> list[str]:
    lines = ["| key | type | label path in the printed report |", "|---|---|---|"]
    for spec in specs:
        for column in spec.columns:
            key = f"{spec.table}.{spec.key}.{column.key}"
            lines.append(f"| `{key}` | {column_type(column)} | {spec.path} / {column.label} |")
    return lines


def template_section(template: Template) -> list[str]:
    first, last = template.years
    years = f"{first}–{last}" if last else f"{first} onwards"
    out = [
        f"## Template `{template.name}`",
        "",
        f"{template.title}. Reports for {years}.",
        f"{len(template.keys())} cell keys, in `flatten()` order.",
        "",
    ]
    for table, title in TABLES.items():
        specs = [s for s in template.table_rows(table) if not s.variant_of]
        count = sum(len(s.columns) for s in specs)
        out += [f"### `{table}`: {title} ({count} keys)", ""]
        out += key_rows(template, specs)
        out.append("")
    variants = [s for s in template.rows if s.variant_of]
    if variants:
        out += [f"### Single-row variants (template `{template.name}`)", ""]
        for spec in variants:
            replaced = ", ".join(f"`{spec.table}.{k}.*`" for k in spec.variant_of)
            before = [r for r in template.table_rows(spec.table) if not r.variant_of][-1]
            out += [
                f"Some reports print {spec.label} as **one row** instead of its sub-rows. Then the "
                f"keys `{spec.table}.{spec.key}.<column>` *replace* {replaced}: the report has one "
                f"shape or the other, never both. `flat_keys(report)` tells which. In `flatten()` "
                f"order these keys come after `{spec.table}.{before.key}.*`.",
                "",
            ]
            out += key_rows(template, [spec])
            out.append("")
    return out


def class_section(cls: type) -> list[str]:
    described = FIELDS.get(cls.__name__, {})
    doc = (cls.__doc__ or "").strip().split("\n")[0].replace("``", "`")
    out = [f"### `{cls.__name__}`", "", doc, "", "| field | type | default | meaning |", "|---|---|---|---|"]
    for f in attrs.fields(cls):
        meaning = described.get(f.name)
        if meaning is None:
            print(f"gen_data_model: {cls.__name__}.{f.name} has no description", file=sys.stderr)
            meaning = "**(not documented yet)**"
        if f.default is attrs.NOTHING:
            default = "required"
        elif isinstance(f.default, attrs.Factory):  # type: ignore[arg-type]
            default = "`Meta()`" if f.name == "meta" else f'empty `Table("{f.name}")`'
        else:
            default = f"`{f.default!r}`"
        type_name = _type_text(f.type).replace("Number", "int | Decimal").replace("|", "\\|")
        out.append(f"| `{f.name}` | `{type_name}` | {default} | {meaning} |")
    out.append("")
    return out


def _type_text(annotation: object) -> str:
    """The annotation as written in model.py, whether or not attrs has resolved it yet.

    cattrs resolves the string annotations to classes when it first (de)serialises a
    report, so the same field can show up as 'str' or as <class 'str'>.
    """
    if isinstance(annotation, str):
        return annotation
    if isinstance(annotation, type) and not getattr(annotation, "__args__", None):
        return annotation.__name__
    text = str(annotation).replace("typing.", "").replace("decimal.", "").replace("govreport.model.", "")
    return text.replace("NoneType", "None").replace("int | Decimal", "Number")


def render() -> str:
    """The whole of docs/data-model.md."""
    assert tuple(META) == govreport.META_KEYS, "update META in docs/gen_data_model.py"
    # The shipped templates only: a template registered at run time is not part of the contract.
    shipped = shipped_grammar_dir().glob("template_*.json")
    names = sorted((json.loads(p.read_text(encoding="utf-8"))["name"] for p in shipped), reverse=True)
    templates = [get_template(n) for n in names]
    out: list[str] = [
        "# Data model: flat keys and classes",
        "",
        f"<!-- Generated by docs/gen_data_model.py -- do not edit. Regenerate: {REGENERATE} -->",
        f"*Generated by `docs/gen_data_model.py` from the template data and `govreport.model`. "
        f"To regenerate, run `{REGENERATE}` from the repository root.*",
        "",
        "`govreport.flatten(report)` turns a report into one dict with a stable key per value.",
        "These keys are govreport's public data contract. A key is "
        "`<table>.<row>.<column>`. The row part may itself contain a dot, as in "
        "`applications.denied.state_secret.total`, which is row `denied.state_secret`, column `total`.",
        "",
        "| table | what it is |",
        "|---|---|",
        *(f"| `{t}` | {d} |" for t, d in TABLES.items()),
        "",
        "Value types in `flatten()` and on `Cell.value`:",
        "",
        "| type | Python | JSON (`to_json`) |",
        "|---|---|---|",
        "| int | `int` | number |",
        "| int (may be negative) | `int`; the 2019 column 本年增/减, where 未增未减 reads as 0 | number |",
        '| decimal 万元 | `decimal.Decimal`, in 万元 as printed (no conversion) | string, e.g. `"96171.6"` |',
        "| decimal | `decimal.Decimal` | string |",
        "",
        "Any cell may be `None` (JSON `null`): printed blank, a placeholder (`/`, `—`, `无`, …), "
        "not in the text, or not placeable with certainty. `Cell.status` says which. "
        "`None` never means 0.",
        "",
        *PRINTED_BLANK_LOST,
        "",
        "Rows a report prints that the official table does not have (*extra rows*, `Row.standard` "
        "is `False`, keys `extra.1`, `extra.2`, …) are not part of this contract. They stay in "
        "`report.<table>.rows` but are not in `flatten()`.",
        "",
        "Templates: " + ", ".join(f"[`{t.name}`](#template-{t.name})" for t in templates) + ". "
        "`meta.template` says which one a report used. Table 二 differs between the formats. "
        "Tables 三 and 四 have the same keys, except （六）其他处理: the 2019 format prints it as "
        "one row (`applications.other_handling.<column>`), and the 2021 format as three sub-rows "
        "(`applications.other_handling.no_correction.<column>`, …). A 2021 report that prints the "
        "single row gets the 2019-style keys; see the 2021 single-row variants below.",
        "",
        "## Meta keys",
        "",
        "`flatten()` puts these first (`govreport.META_KEYS`); `flatten(report, meta=False)` leaves them out.",
        "",
        "| key | type | meaning |",
        "|---|---|---|",
        *(f"| `{k}` | {t} | {m} |" for k, (t, m) in META.items()),
        "",
    ]
    for template in templates:
        out += template_section(template)
    out += [
        "## Model classes",
        "",
        "All classes are frozen attrs classes in `govreport.model`, exported from `govreport`. "
        "Text fields (`preamble`, `Section.heading`, `Section.text`, `Row.label`) hold the text as printed; "
        "`Meta.title`/`Meta.agency` and `Section.number` are read from the normalised text (NFKC: ASCII "
        "brackets; spaces between CJK characters removed). Every `Span` points into the *original* input.",
        "",
        "Attribute access on tables and rows is shorthand over `Table.row(key)` and `Row.cell(column)`: "
        "`report.applications.denied.state_secret.total` is "
        '`report.applications.row("denied.state_secret").cell("total").value`. '
        '`report.cell("applications.new.total")` takes a flat key and returns the `Cell`. '
        "`report.value(key)` returns its value. `report.tables` is the tuple of the three tables, "
        "and `row.values()` is a `{column: value}` dict. `report.keyed_cells()` yields every "
        "`(flat key, Cell)` pair in table and row order (`standard=True`: without the `extra.N` rows), "
        "and `report.with_cells({key: cell})` returns a copy with those cells replaced.",
        "",
        "### Sections",
        "",
        "`report.sections` are the six national sections in order, each a `Section` with its sub-sections. "
        '`report.section("problems")` returns the section of a kind (or `None`), and `Section.full_text` its text '
        "with every sub-section's heading and text. The sections are found by their wording and the national "
        "order, not by their printed numbers, so these all come back as the six sections:",
        "",
        "| the text prints | `Section` |",
        "|---|---|",
        "| `一、总体情况 2022年，某区坚持……` (heading and text on one line) "
        "| `heading` `一、总体情况`, `text` `2022年，某区坚持……` |",
        "| `## 工作概况`, `**二、主动公开政府信息情况**`, `总体情况` alone on a line | `heading` without the marks; "
        '`number` `""` when none is printed |',
        "| `二、工作机制保障` … `六、政府信息公开平台建设` inside 总体情况, then `一、主动公开政府信息情况` … "
        "| the parts are level-2 sub-sections of 总体情况; the national sections keep their printed numbers |",
        "| table 四, then `（一）主要问题` … `（二）改进情况`, then `六、其他需要报告的事项` (the 五 heading lost) "
        '| a `problems` section with `heading` `""`, and a `section-heading-missing` diagnostic |',
        "| `二、主动公开政府信息情况` as the first cell of a PDF table grid row | the heading of section 二 |",
        "",
        "The text of the tables' sections (二, 三, 四) is their notes at most (`注：…`); prose after table 四 is "
        "五's. A heading of a national section printed out of the national order is read as a part of the "
        "section it sits in, with `section-out-of-order`.",
        "",
    ]
    for cls in CLASSES:
        out += class_section(cls)
        if cls is model.Cell:
            out += ["`Cell.status` values (`govreport.model.CELL_STATUSES`):", "", "| status | meaning |", "|---|---|"]
            out += [f"| `{k}` | {v} |" for k, v in model.CELL_STATUSES.items()]
            out += [
                "",
                "`value` is a number only for `number`, `split` and `inferred`. For the other statuses it is `None`.",
                "",
            ]
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
