"""``govreport.lalr.Driver`` runs a Lark LALR parser's own tables, lexers and callbacks in one
loop: it must return what Lark's ``parse`` returns, for any grammar it accepts to run.

The shipped grammars are compared with Lark as it comes in ``tests/test_scanner.py`` (test
data, generated reports, random text).  Here a small grammar of another shape exercises what
the shipped ones do not: tokens filtered out of a rule (anonymous punctuation), inlined rules
spliced in the middle of a rule, ``+`` and ``?`` repetitions, an empty rule, several lines
with newlines inside tokens, a terminal callback of the transformer, Lark's "unless"
retyping of a keyword matched by a name pattern, and inputs Lark rejects.
"""

from __future__ import annotations

from typing import Any

import lark
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark.utils import TextSlice

from govreport import grammar, lalr, scanner
from govreport.registry import parser_for

GRAMMAR = r"""
start: _item*
_item: pair | call | list | NEWLINES
pair: NAME "=" _value ";"?
call: NAME "(" [_args] ")" ";"?
_args: _value ("," _value)*
list: "[" _value* "]"
_value: NUMBER | STRING | NAME | list | call | NIL | "null"
NIL: "nil"
NAME: /[a-z_][a-z_0-9]*/
NUMBER: /[0-9]+/
STRING: /"[^"]*"/
NEWLINES: /\n+/
%ignore /[ \t]+/
%ignore /#[^\n]*/
"""


class Build(lark.Transformer[lark.Token, Any]):
    """Tuples that keep every token's type, text and position, so positions are compared too."""

    def _node(self, kind: str, children: list[Any]) -> tuple[Any, ...]:
        return (kind, *[_token(c) if isinstance(c, lark.Token) else c for c in children])

    def start(self, children: list[Any]) -> tuple[Any, ...]:
        return self._node("start", children)

    def pair(self, children: list[Any]) -> tuple[Any, ...]:
        return self._node("pair", children)

    def call(self, children: list[Any]) -> tuple[Any, ...]:
        return self._node("call", children)

    def list(self, children: list[Any]) -> tuple[Any, ...]:
        return self._node("list", children)

    def NUMBER(self, token: lark.Token) -> lark.Token:  # a terminal callback: runs as the token is shifted
        return token.update(value=str(int(token) * 2))


def _token(t: lark.Token) -> tuple[Any, ...]:
    return (t.type, str(t), t.start_pos, t.end_pos, t.line, t.column, t.end_line, t.end_column)


def _parser(text: str = GRAMMAR, **options: Any) -> lark.Lark:
    built = lark.Lark(text, parser="lalr", lexer="contextual", transformer=Build(), **options)
    scanner.install(built)
    return built


@pytest.fixture(scope="module")
def parser() -> lark.Lark:
    return _parser()


def _result(parse: Any, text: str) -> object:
    try:
        return parse(text)
    except lark.exceptions.UnexpectedInput as exc:
        return (type(exc).__name__, exc.line, exc.column)


PIECES = [*'abz_09=;,()[]"# \t\n', "nil", "null", "x1", "12", '"s t"', "# note\n", "f(", "g()", "[1 2]", "\n\n"]


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_random_text_gives_what_lark_gives(parser: lark.Lark, text: str) -> None:
    driver = lalr.Driver(parser)
    assert _result(driver.parse, text) == _result(parser.parse, text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a = 1;",
        'f(1, "two", [3 4 nil], g())\nb = [ ]  # c\n\n\nh()',
        "x = [[1] [2 [3]]]",
        "a = ",  # rejected at the end
        "a = 1 = 2",  # rejected in the middle
        "a = 1 $",  # no terminal matches
    ],
)
def test_examples_give_what_lark_gives(parser: lark.Lark, text: str) -> None:
    assert _result(lalr.Driver(parser).parse, text) == _result(parser.parse, text)


def test_it_reads_the_example_by_the_grammar(parser: lark.Lark) -> None:
    """Read by hand: filtered punctuation and keyword ("null"), spliced arguments, the terminal
    callback doubling each number, a named keyword (NIL) retyped from NAME and kept."""
    result = lalr.Driver(parser).parse('f(4, [5 null nil])\nx = "s"')
    name, call, newlines, pair = result
    assert name == "start"
    assert call[0] == "call" and call[1][:2] == ("NAME", "f") and call[2][:2] == ("NUMBER", "8")
    assert call[3][0] == "list" and call[3][1][:2] == ("NUMBER", "10") and call[3][2][:2] == ("NIL", "nil")
    assert len(call[3]) == 3  # "null" is not kept
    assert newlines == ("NEWLINES", "\n", 18, 19, 1, 19, 2, 1)
    assert pair[1] == ("NAME", "x", 19, 20, 2, 1, 2, 2) and pair[2] == ("STRING", '"s"', 23, 26, 2, 5, 2, 8)


def test_keywords_are_retyped_as_lark_does() -> None:
    """A name pattern that also matches a keyword: Lark's lexer retypes the token ("unless")."""
    built = _parser('start: (NAME | IF)*\nIF: "if"\nNAME: /[a-z]+/\n%ignore " "\n')
    text = "if iffy if"
    assert lalr.Driver(built).parse(text) == built.parse(text)
    assert [token[0] for token in built.parse(text)[1:]] == ["IF", "NAME", "IF"]


@pytest.mark.parametrize(
    "text",
    [
        'start: a\n?a: "x" | "y" b\nb: "z"',  # ?rule: a one-child rule is replaced by its child
        'start: "x" -> named',  # an alias
        'start: sep{"x"}\nsep{v}: v',  # a template
    ],
)
def test_it_leaves_rule_options_it_does_not_handle_to_lark(text: str) -> None:
    built = lark.Lark(text, parser="lalr")
    assert scanner.install(built)
    assert lalr.Driver.for_parser(built) is None
    grammar._DRIVERS[built] = None
    assert grammar.parse_items(built, "x") == built.parse("x")


class Reversing(lark.Transformer[lark.Token, Any]):
    """A ``__default__`` of its own: Lark calls it for inlined rules too, before the parent
    takes their children (here: reversed), so a plain list would give another order."""

    def __default__(self, data: Any, children: list[Any], meta: Any) -> lark.Tree[Any]:
        return lark.Tree(data, children[::-1], meta)


class ReversedTree(lark.Tree[Any]):
    def __init__(self, data: str, children: list[Any], meta: Any = None) -> None:
        super().__init__(data, children[::-1], meta)


LIST = (
    'start: _items\n_items: _items item | item\nitem: NAME "=" NUMBER ";"\n'
    + GRAMMAR.split("_value:")[1].split("\n", 1)[1]
)


@pytest.mark.parametrize(
    "options",
    [
        {"transformer": Reversing()},
        {"tree_class": ReversedTree},
        {"start": "_items"},  # an inlined start rule: Lark returns its Tree
    ],
    ids=["own __default__", "own tree class", "inlined start"],
)
def test_it_leaves_what_would_change_the_result_to_lark(options: dict[str, Any]) -> None:
    built = lark.Lark(LIST, parser="lalr", **options)
    assert scanner.install(built)
    assert lalr.Driver.for_parser(built) is None
    text = "a=1;b=2;c=3;"
    if "start" not in options:
        # What a plain list would have changed, worked out by hand: each level reverses its
        # children, so [a] -> [b, a] -> [c, a, b] -> start [b, a, c]; an item is [NUMBER, NAME].
        assert [str(item.children[1]) for item in built.parse(text).children] == ["b", "a", "c"]


def test_text_that_is_not_a_str_goes_to_lark(parser: lark.Lark) -> None:
    text = TextSlice("zzz\na = 1; b = 2", 4, 16)
    assert lalr.Driver(parser).parse(text) == parser.parse(text)


def test_it_builds_trees_as_lark_does() -> None:
    """Without a transformer a rule's value is Lark's Tree; inlined rules are still spliced in."""
    built = lark.Lark(GRAMMAR, parser="lalr")
    assert scanner.install(built)
    text = 'f(1, [2 "x"])\ny = g()'
    assert lalr.Driver(built).parse(text) == built.parse(text)


def test_it_leaves_other_parsers_to_lark() -> None:
    earley = lark.Lark("start: /a+/", parser="earley")
    assert lalr.Driver.for_parser(earley) is None
    basic = lark.Lark("start: /a+/", parser="lalr", lexer="basic")
    assert lalr.Driver.for_parser(basic) is None
    assert grammar.parse_items(basic, "aa") == basic.parse("aa")


def test_the_shipped_parsers_are_run_by_it() -> None:
    """If a Lark release changes the parser's insides, ``for_parser`` gives None and parsing
    falls back to Lark's loop (correct, only slower): this test says so."""
    for name in ("2021", "2019"):
        assert isinstance(grammar._DRIVERS.get(parser_for(name)), lalr.Driver)
