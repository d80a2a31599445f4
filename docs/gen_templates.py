"""Write docs/templates.md: the shipped templates side by side, from their data files.

    python docs/gen_templates.py > docs/templates.md

tests/test_docs.py checks that the committed file matches this output.
"""

from __future__ import annotations

from govreport.registry import get_template
from govreport.templates import RowSpec, Template

TABLES = {
    "disclosure": "table 二 主动公开政府信息情况",
    "applications": "table 三 收到和处理政府信息公开申请情况",
    "appeals": "table 四 政府信息公开行政复议、行政诉讼情况",
}


def _cell(row: RowSpec | None) -> str:
    if row is None:
        return "—"
    columns = " / ".join(
        f"{c.label} `{c.key}`" + (" (may be negative)" if c.type == "signed_int" else "") for c in row.columns
    )
    variant = " *(single-row variant of the sub-rows)*" if row.variant_of else ""
    return f"{row.path.split(' / ')[-1]} `{row.key}`{variant}: {columns}"


def render(names: tuple[str, ...] = ("2019", "2021")) -> str:
    templates: list[Template] = [get_template(n) for n in names]
    out = [
        "# Templates: what each format prints, side by side",
        "",
        "Generated from the template data (`grammars/template_*.json`) by `python docs/gen_templates.py`;",
        "do not edit by hand.  How to add a year: [extending.md](extending.md).",
        "",
        "| | " + " | ".join(t.name for t in templates) + " |",
        "|---|" + "---|" * len(templates),
        "| format | " + " | ".join(t.title for t in templates) + " |",
        "| years of use | " + " | ".join(f"{t.years[0]}–{t.years[1] or ''}" for t in templates) + " |",
        "| flat keys | " + " | ".join(str(len(t.keys())) for t in templates) + " |",
        "| detected by | " + " | ".join(", ".join(p.pattern for p in t.detect) for t in templates) + " |",
        "",
        "The format is detected from these table words, never from the year or the cited 文号:",
        "2022–2023 reports printing the 2019 tables exist, and a 2020 report printing the 2021 tables.",
    ]
    for table, title in TABLES.items():
        out += [
            "",
            f"## {title}",
            "",
            "| " + " | ".join(t.name for t in templates) + " |",
            "|" + "---|" * len(templates),
        ]
        keys: list[str] = []
        for t in templates:
            for row in t.table_rows(table):
                if row.key not in keys:
                    keys.append(row.key)
        for key in keys:
            cells = []
            for t in templates:
                row = next((r for r in t.table_rows(table) if r.key == key), None)
                cells.append(_cell(row))
            out.append("| " + " | ".join(cells) + " |")
    out += [
        "",
        "Table 四 is printed as one line of 15 numbers (结果维持, 结果纠正, 其他结果, 尚未审结, 总计 for",
        "行政复议, 未经复议直接起诉 and 复议后起诉), identical in both formats.",
        "",
    ]
    return "\n".join(out)


if __name__ == "__main__":
    print(render(), end="")
