"""The grammars themselves: conflict-free, fully handled, consistent with the template data."""

from __future__ import annotations

import re

import pytest

from govreport.items import ItemBuilder
from govreport.registry import get_template, parser_for, templates

NAMES = [t["name"] for t in templates()]


@pytest.mark.parametrize("name", NAMES)
def test_grammar_builds_strict(name: str) -> None:
    # strict=True: Lark raises on any shift/reduce conflict or regex collision.
    parser_for(name, strict=True)


@pytest.mark.parametrize("name", NAMES)
def test_every_rule_has_a_transformer_handler(name: str) -> None:
    parser = parser_for(name, strict=True)
    rules = {str(rule.origin.name) for rule in parser.rules}
    visible = {r for r in rules if not r.startswith("_")}
    missing = {r for r in visible if not callable(getattr(ItemBuilder, r, None))}
    assert not missing, f"grammar rules without an ItemBuilder method: {sorted(missing)}"


@pytest.mark.parametrize("name", NAMES)
def test_every_row_terminal_exists_in_the_grammar(name: str) -> None:
    parser = parser_for(name, strict=True)
    terminals = {re.sub(r"^.*__", "", t.name) for t in parser.terminals}
    for row in get_template(name).rows:
        if row.terminal:
            assert row.terminal in terminals, f"{row.table}.{row.key}: no terminal {row.terminal}"


def test_table_three_row_labels_are_not_section_headings() -> None:
    parser = parser_for("2021", strict=True)
    text = "四、结转下年度继续办理\t0\n四、政府信息公开行政复议、行政诉讼情况\n一、本年新收政府信息公开申请数量\t0\n"
    tokens = [(t.type.rsplit("__", 1)[-1], str(t)) for t in parser.lex(text)]
    kinds = [k for k, _ in tokens if k not in ("NUMBER", "SEP", "CELL_RUN")]
    assert kinds == ["APP_CARRIED_FORWARD", "SECTION_HEADING", "APP_NEW"]
