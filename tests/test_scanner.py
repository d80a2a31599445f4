"""The first-character scanner and the one-loop driver are only speed-ups: Lark as it comes
gives the same items.

The reference is Lark as it comes, built from the shipped grammars with its own scanner and
its own parser loop; the shipped parser has ``govreport.scanner.FirstCharScanner`` installed,
and ``grammar.parse_items`` runs it with ``govreport.lalr.Driver``.  All read the test data,
generated reports in every layout with noise, and random text made of the pieces the
terminals start with; every item, head and cell must agree in type, text and position, and
an input Lark rejects must fail the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import lark
import pytest
from conftest import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from noise import cjk_spaces, fullwidth, odd_spaces, page_footers, quotes_dashes
from render import RENDERERS
from strategies import reports
from test_cell_runs import signature

from govreport import scanner
from govreport.grammar import parse_items
from govreport.items import Item, ItemBuilder
from govreport.normalize import normalize
from govreport.registry import get_template, parser_for

TEXTS = sorted(p for p in DATA.rglob("*") if p.suffix in (".txt", ".md"))
TEMPLATES = ("2021", "2019")


@pytest.fixture(scope="module")
def reference() -> dict[str, lark.Lark]:
    parsers = {}
    for name in TEMPLATES:
        path = get_template(name).grammar_path
        parsers[name] = lark.Lark(
            path.read_text(encoding="utf-8"),
            parser="lalr",
            lexer="contextual",
            import_paths=[str(path.parent)],
            source_path=str(path),
            maybe_placeholders=False,
            transformer=ItemBuilder(),
        )
        assert not isinstance(parsers[name].parser.lexer.root_lexer.scanner, scanner.FirstCharScanner)
    return parsers


def assert_same_items(reference: dict[str, lark.Lark], normalized: str) -> None:
    for name in TEMPLATES:
        expected = _items_or_error(reference[name].parse, normalized)
        assert _items_or_error(parser_for(name).parse, normalized) == expected, name  # Lark's loop
        assert _items_or_error(partial(parse_items, parser_for(name)), normalized) == expected, name


def _items_or_error(parse: Callable[[str], list[Item]], text: str) -> object:
    try:
        return signature(parse(text))
    except lark.exceptions.UnexpectedInput as exc:  # the same error at the same place
        return (type(exc).__name__, exc.line, exc.column)


def test_the_shipped_parsers_use_it() -> None:
    """If a Lark release changes the lexer's insides, ``install`` leaves the parser alone
    (correct, only slower): this test says so instead of letting the speed-up vanish."""
    for name in TEMPLATES:
        lexer = parser_for(name).parser.lexer
        for each in [*lexer.lexers.values(), lexer.root_lexer]:  # built on first use, or waiting to be
            assert type(each.scanner).__module__ == scanner.__name__


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_test_data_gives_the_same_items(reference: dict[str, lark.Lark], path: Path) -> None:
    assert_same_items(reference, normalize(path.read_text(encoding="utf-8"))[0])


NOISE = [fullwidth, odd_spaces, cjk_spaces, quotes_dashes, page_footers]


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
@given(data=st.data())
def test_generated_layouts_give_the_same_items(reference: dict[str, lark.Lark], data: st.DataObject) -> None:
    template = data.draw(st.sampled_from(TEMPLATES))
    text = RENDERERS[data.draw(st.sampled_from(sorted(RENDERERS)))](data.draw(reports(template, allow_blank=True)))
    for noise in data.draw(st.lists(st.sampled_from(NOISE), max_size=2)):
        text = data.draw(noise(text))
    assert_same_items(reference, normalize(text)[0])


# Pieces of report text: what the terminals start with, and what comes between them.
PIECES = [
    *"\n \t|()[]#*>-+,./:、.一二三四五六七八九十0123456789本年新收其他总计无—–",
    *["一、", "(一)", "1.", "2、", "3 .", "行政许可", "规章", "行政规范性文件", "第二十条第(一)项", "信息内容"],
    *["本年新收政府信息公开申请数量", "上年结转", "予以公开", "部分公开", "属于国家秘密", "本机关不掌握"],
    *["自然人", "法人或其他组织", "商业企业", "行政复议", "结果维持", "尚未审结", "申请人情况", "万元", "件"],
    *["总体情况", "主动公开政府信息情况", "|---|---|", "12,345", "0.5", "未增未减", "数据1", "(本列数据的勾稽关系"],
]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_random_text_gives_the_same_items(reference: dict[str, lark.Lark], text: str) -> None:
    assert_same_items(reference, text)


@pytest.mark.parametrize(
    ("pattern", "starts", "does_not_start"),
    [
        (r"abc", "a", "bx"),
        (r"[ #*>]*(?:一|二)、", " #*>一二", "三a"),
        (r"(?<![^\n])\(?本列", "(本", "列\n"),
        (r"\d+", "07٣", "a "),  # \d is every Unicode decimal digit, as re matches it
        (r"[^\s|\d]+", "a本", "|"),  # negated class: everything but the listed characters
        (r"(?:x|y?)z", "xyz", "a"),  # a branch that may be empty lets what follows start
        (r"(?>[+-]?\d)++", "+-5", "a"),
    ],
)
def test_first_chars(pattern: str, starts: str, does_not_start: str) -> None:
    found = scanner.first_chars(pattern)
    assert all(ch in found for ch in starts)
    assert not any(ch in found for ch in does_not_start)


@pytest.mark.parametrize("pattern", [r"a?", r"(?i:abc)", r".x", r"[^a]", r"\Sx", r"a*b?"])
def test_what_it_cannot_analyse_may_start_with_anything(pattern: str) -> None:
    found = scanner.first_chars(pattern)
    assert all(ch in found for ch in "aAb本\n|")


def test_install_leaves_an_unknown_parser_alone() -> None:
    earley = lark.Lark("start: /a+/", parser="earley")
    assert scanner.install(earley) is False
