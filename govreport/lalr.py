"""Lark's LALR tables and lexers, run by one loop.

Lark parses in layers: a generator of tokens per contextual lexer, a ``LineCounter``, a
parser state whose ``feed_token`` looks up the action table, and a tree builder that wraps
every rule's callback in a child filter, which builds a ``Tree`` for each inlined rule
(``_cells``, ``*`` repetitions) only for its parent to take its children apart again.  For
about 200 tokens and 300 reductions a report, those layers cost about as much as the
matching itself.

``Driver`` runs the same automaton in one function: the tables, lexers (with
``scanner.FirstCharScanner``) and transformer callbacks Lark built from the grammar, read
once; tokens made with all their positions in one call; an inlined rule's children kept
as a plain list.  Nothing of the grammar moves here, and the items are Lark's, item for
item (``tests/test_scanner.py`` compares them with Lark as it comes on the shipped grammars,
``tests/test_lalr.py`` on a grammar of another shape).  Any input the loop does not accept (no
terminal matches, a token the state does not expect) is handed to Lark's own parser, so
that errors are Lark's too.  ``Driver.for_parser`` returns None for a parser built in a way
this module does not know (another Lark version, rule options such as ``?rule`` or
aliases, a transformer's own ``__default__``, a tree class of one's own); the caller then
uses Lark's own loop.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import lark
from lark.lexer import BasicLexer, Token
from lark.parsers.lalr_analysis import Shift

from .scanner import FirstCharScanner, _Deferred

_new_token: Callable[..., Token] = Token._future_new


class _Lexer:
    """One contextual lexer, as the loop reads it."""

    __slots__ = ("callback", "ignore", "newline", "scanner")

    scanner: FirstCharScanner

    def __init__(self, lexer: BasicLexer) -> None:
        scanner = lexer._scanner  # Driver checked it is one of these two
        # Building a deferred scanner sets lexer.callback too (Lark's "unless" retyping).
        self.scanner: FirstCharScanner = scanner._build() if isinstance(scanner, _Deferred) else scanner  # type: ignore[assignment]
        self.ignore = frozenset(lexer.ignore_types)
        self.newline = frozenset(lexer.newline_types)
        self.callback = dict(lexer.callback)


class _Unknown(Exception):
    """The parser is not built the way this module knows."""


def _is_default(f: Any) -> bool:
    """Whether ``f`` is Lark's callback for a rule the transformer has no method for (it builds
    a Tree, or calls the transformer's ``__default__``)."""
    if not isinstance(f, functools.partial):
        return False
    func = f.func
    # Lark's default: the transformer has no __default__ of its own (Transformer's builds a plain
    # Tree), or there is no transformer and the tree class is lark.Tree itself.
    return getattr(func, "__name__", "") == "default_callback" or func is lark.Tree


def _reduction(rule: Any, callback: Any) -> tuple[int, tuple[tuple[int, bool], ...], Any]:
    """How to reduce ``rule``: its size, which children to keep and which to splice in (an
    inlined rule's list), and the callback to call with them, or None to keep them as a list
    for the parent to splice in (an inlined rule: its name starts with "_")."""
    options = rule.options
    if rule.alias or options.expand1 or options.keep_all_tokens or options.template_source:
        raise _Unknown(f"rule options of {rule}")
    size = len(rule.expansion)
    filter_type = type(callback).__name__
    if filter_type == "ChildFilterLALR_NoPlaceholders":
        include = tuple((int(i), bool(expand)) for i, expand in callback.to_include)
        builder = callback.node_builder
    elif callable(callback) and not hasattr(callback, "to_include"):  # no filter: all children, in order
        include = tuple((i, False) for i in range(size))
        builder = callback
    else:
        raise _Unknown(f"the callback of {rule}: {filter_type}")
    if str(rule.origin.name).startswith("_"):  # an inlined rule: Lark builds a Tree here only for
        if not _is_default(builder):  # the parent to take it apart; a list does the same
            raise _Unknown(f"the inlined rule {rule} has a callback of its own")
        return size, include, None
    return size, include, builder


class Driver:
    """Parses text with a built Lark LALR parser's own tables, lexers and callbacks."""

    def __init__(self, parser: lark.Lark) -> None:
        frontend = parser.parser
        lalr = frontend.parser.parser
        table = lalr.parse_table
        if len(table.start_states) != 1 or frontend.lexer.__class__.__name__ != "ContextualLexer":
            raise _Unknown("not one start symbol with a contextual lexer")
        options = parser.options
        if options.postlex is not None or options.lexer_callbacks or options.propagate_positions or options.regex:
            raise _Unknown("a post-lexer, lexer callbacks, positions propagated to the tree, or the regex module")
        transformer = options.transformer
        if (
            transformer is not None
            and getattr(type(transformer), "__default__", None) is not lark.Transformer.__default__
        ):
            raise _Unknown("a transformer with a __default__ of its own (Lark calls it for inlined rules too)")
        if options.tree_class not in (None, lark.Tree):
            raise _Unknown("a tree class of its own")
        (start,) = table.start_states
        if str(start).startswith("_"):
            raise _Unknown("an inlined start rule")
        self._lark = parser
        self._start_state = table.start_states[start]
        self._end_state = table.end_states[start]
        callbacks = lalr.callbacks
        if any(not isinstance(key, str) for key in callbacks if not hasattr(key, "expansion")):
            raise _Unknown("callbacks keyed by something other than rules and terminals")
        self._token_callbacks = {key: f for key, f in callbacks.items() if isinstance(key, str)}
        # The action table with each reduction spelt out: (False, (size, which children to keep
        # or splice in, the state to go to after it by the state below, the callback or None)).
        gotos: dict[str, dict[int, int]] = {}
        for state, row in table.states.items():
            for symbol, (action, arg) in row.items():
                if action is Shift and not symbol.isupper():
                    gotos.setdefault(str(symbol), {})[state] = arg
        reductions = {}
        for rule, f in callbacks.items():
            if not isinstance(rule, str):
                size, include, builder = _reduction(rule, f)
                reductions[rule] = (size, include, gotos.get(str(rule.origin.name), {}), builder)
        self._actions: dict[int, dict[str, tuple[bool, Any]]] = {
            state: {
                str(symbol): (True, arg) if action is Shift else (False, reductions[arg])
                for symbol, (action, arg) in row.items()
            }
            for state, row in table.states.items()
        }
        self._basic_lexers: dict[int, BasicLexer] = frontend.lexer.lexers
        if not all(
            isinstance(lexer, BasicLexer) and isinstance(lexer._scanner, FirstCharScanner | _Deferred)
            for lexer in self._basic_lexers.values()
        ):
            raise _Unknown("lexers without scanner.FirstCharScanner (scanner.install)")
        self._lexers: dict[int, _Lexer] = {}  # filled as states are met: a lexer never used costs nothing
        self._by_lexer: dict[int, _Lexer] = {}

    @classmethod
    def for_parser(cls, parser: lark.Lark) -> Driver | None:
        """The driver of ``parser``, or None when it is not built the way this module knows."""
        try:
            return cls(parser)
        except (_Unknown, AttributeError, TypeError, ValueError, KeyError):
            return None

    def _lexer(self, state: int) -> _Lexer:
        basic = self._basic_lexers[state]
        lexer = self._by_lexer.get(id(basic))
        if lexer is None:
            lexer = self._by_lexer[id(basic)] = _Lexer(basic)
        self._lexers[state] = lexer
        return lexer

    def parse(self, text: str) -> Any:
        """What ``parser.parse(text)`` returns (Lark raises the errors).

        Text the loop does not accept is parsed again by Lark, so the transformer's callbacks
        for the part before the error run twice (ItemBuilder's have no side effects)."""
        if type(text) is not str:  # a TextSlice, bytes: Lark's own
            return self._lark.parse(text)
        result = self._run(text)
        return self._lark.parse(text) if result is _FAILED else result

    def _run(self, text: str) -> Any:  # one loop on purpose: this is the hot path
        actions = self._actions
        lexers = self._lexers
        token_callbacks = self._token_callbacks
        state_stack: list[int] = [self._start_state]
        value_stack: list[Any] = []
        pos, end, line, line_start = 0, len(text), 1, 0
        at_end = False
        while True:
            if pos < end:
                try:
                    lexer = lexers[state_stack[-1]]
                except KeyError:
                    lexer = self._lexer(state_stack[-1])
                found = lexer.scanner.match_at(text, pos, end)
                if found is None:
                    return _FAILED
                type_, m = found
                value = m.group(0)
                start_pos, start_line, start_column = pos, line, pos - line_start + 1
                if type_ in lexer.newline:
                    newlines = value.count("\n")
                    if newlines:
                        line += newlines
                        line_start = pos + value.rindex("\n") + 1
                pos += len(value)
                if type_ in lexer.ignore and type_ not in lexer.callback:
                    continue
                token = _new_token(type_, value, start_pos, start_line, start_column, line, pos - line_start + 1, pos)
                if type_ in lexer.callback:
                    token = lexer.callback[type_](token)
                    if type_ in lexer.ignore:
                        continue
                type_ = token.type
            else:
                type_, at_end = "$END", True
            while True:  # reduce as long as the table says so, then shift the token
                try:
                    shift, arg = actions[state_stack[-1]][type_]
                except KeyError:
                    return _FAILED
                if shift:
                    if at_end:  # pragma: no cover - Lark's tables never shift $END
                        return _FAILED
                    state_stack.append(arg)
                    value_stack.append(token_callbacks[type_](token) if type_ in token_callbacks else token)
                    break
                size, include, goto, builder = arg
                if size:
                    children = value_stack[-size:]
                    del state_stack[-size:]
                    del value_stack[-size:]
                else:
                    children = []
                kept: list[Any] = []
                for i, splice in include:
                    if not splice:
                        kept.append(children[i])
                    elif kept:
                        kept += children[i]
                    else:  # left recursion: take the child's list over (it is used once)
                        kept = children[i]
                state = goto[state_stack[-1]]
                state_stack.append(state)
                value_stack.append(kept if builder is None else builder(kept))
                if at_end and state == self._end_state:
                    return value_stack[-1]


_FAILED: Any = object()
