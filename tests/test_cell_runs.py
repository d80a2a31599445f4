"""CELL_RUN is only a speed-up: the items are exactly those of the grammar without it.

The reference parser is built from a copy of the shipped grammars with the CELL_RUN
terminal removed, so every cell is lexed one token at a time as before.  Both parse
the same texts (the test data, and generated reports in every layout with noise), and
every item, head token and cell token must agree in type, text and position.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import lark
import pytest
from conftest import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from noise import cjk_spaces, fullwidth, odd_spaces, page_footers, quotes_dashes
from render import RENDERERS
from strategies import reports

from govreport.items import Item, ItemBuilder
from govreport.normalize import normalize
from govreport.registry import get_template, parser_for, shipped_grammar_dir

TEXTS = sorted(p for p in DATA.rglob("*") if p.suffix in (".txt", ".md"))


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, lark.Lark]:
    grammars = tmp_path_factory.mktemp("grammars")
    for source in shipped_grammar_dir().iterdir():
        if source.suffix in (".lark", ".json"):
            shutil.copy(source, grammars / source.name)
    core = grammars / "core.lark"
    text = core.read_text(encoding="utf-8").replace(" | CELL_RUN)", ")")
    assert "| CELL_RUN" not in text
    core.write_text(text, encoding="utf-8")
    parsers = {}
    for name in ("2021", "2019"):
        path = grammars / get_template(name).grammar_path.name
        parsers[name] = lark.Lark(
            path.read_text(encoding="utf-8"),
            parser="lalr",
            lexer="contextual",
            import_paths=[str(grammars)],
            source_path=str(path),
            maybe_placeholders=False,
            transformer=ItemBuilder(),
        )
    return parsers


def signature(items: list[Item]) -> list[tuple[object, ...]]:
    def token(t: lark.Token | None) -> tuple[object, ...]:
        if t is None:
            return ()
        return (t.type, str(t), t.start_pos, t.end_pos, t.line, t.column, t.end_line, t.end_column)

    return [(item.kind, token(item.head), tuple(token(c) for c in item.cells)) for item in items]


def assert_same_items(reference: dict[str, lark.Lark], text: str) -> None:
    normalized, _ = normalize(text)
    for name in ("2021", "2019"):
        assert signature(parser_for(name).parse(normalized)) == signature(reference[name].parse(normalized)), name


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_test_data_gives_the_same_items(reference: dict[str, lark.Lark], path: Path) -> None:
    assert_same_items(reference, path.read_text(encoding="utf-8"))


NOISE = [fullwidth, odd_spaces, cjk_spaces, quotes_dashes, page_footers]


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
@given(data=st.data())
def test_generated_layouts_give_the_same_items(reference: dict[str, lark.Lark], data: st.DataObject) -> None:
    template = data.draw(st.sampled_from(("2021", "2019")))
    report = data.draw(reports(template, allow_blank=True))
    text = RENDERERS[data.draw(st.sampled_from(sorted(RENDERERS)))](report)
    for noise in data.draw(st.lists(st.sampled_from(NOISE), max_size=2)):
        text = data.draw(noise(text))
    assert_same_items(reference, text)


@pytest.mark.parametrize(
    "text",
    [
        "\t1 . 属于国家秘密\t3\t4",
        "规章\t1\t2 件\t3件5\t-\t—\t无\t无法\t-417\t1,234,567.89元\t1,2345",
        "行政许可 12 件5 / -- 3 | 4 |",
        "| 1 | 2 | 3 |\n|---|---|---|\n| 4 | 5 | 6 |",
        "1 2 3\n4\t5\n6、总体情况\n 7 8 .",
        "\t\t2.其他法律行政法规禁止公开\t0\t0\n\t\t3 、危及“三安全一稳定”\t1\t1",
    ],
)
def test_edge_cases_give_the_same_items(reference: dict[str, lark.Lark], text: str) -> None:
    assert_same_items(reference, text)
