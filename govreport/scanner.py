"""Lark's scanner, tried only with the terminals that can start at the next character.

Lark's lexer matches one regex per parser state: the alternation of every terminal the
state accepts, in priority order, each in a named group.  Python's ``re`` tries the
alternatives one by one, and a named group defeats its quick skip of an alternative whose
first character cannot match, so every token (and every ignored newline) pays for about
seventy failed alternatives: the label terminals come first, the cells last.

``FirstCharScanner`` gives the same answer with fewer tries.  From each terminal's regex
(parsed by ``re``'s own parser) it works out which characters the terminal can start with,
and at a position it tries, in Lark's priority order, only the terminals that can start with
the character there, each compiled on its own; the first that matches wins.  Skipping a
terminal that cannot match there does not change which one matches first, so the token
stream is Lark's, token for token (``tests/test_scanner.py`` compares them).  The analysis
errs towards keeping a terminal: anything it does not understand (a case-insensitive flag,
``\\S`` or ``.``, a pattern that may match the empty string) counts as "may start with
anything".

Nothing of the grammar moves here: the terminals, their patterns and priorities stay in the
``.lark`` files; this module only runs them faster.  ``install`` swaps the scanner of each
of a parser's lexers and leaves a parser alone if Lark's internals are not as expected.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from re import _constants as _sre  # CPython's regex parser (Python 3.11+)
from re import _parser as _sre_parse
from typing import Any

import lark
from lark.lexer import Scanner


class _Chars:
    """A set of characters: listed ones and whole ``re`` categories (\\d, \\s, \\w), or every
    character but the listed ones (``negated``)."""

    __slots__ = ("categories", "chars", "negated")

    def __init__(self, chars: Iterable[str] = (), categories: Iterable[str] = (), *, negated: bool = False) -> None:
        self.chars = frozenset(chars)
        self.categories = frozenset(categories)
        self.negated = negated

    def __contains__(self, ch: str) -> bool:
        if self.negated:
            return ch not in self.chars
        return ch in self.chars or any(_IN_CATEGORY[category](ch) for category in self.categories)

    def __or__(self, other: _Chars) -> _Chars:
        if not self.negated and not other.negated:
            return _Chars(self.chars | other.chars, self.categories | other.categories)
        if self.negated and other.negated:
            return _Chars(self.chars & other.chars, negated=True)
        positive, negative = (self, other) if other.negated else (other, self)
        return _Chars((ch for ch in negative.chars if ch not in positive), negated=True)


# What re's categories match in a str pattern (CPython's _sre: Py_UNICODE_ISDECIMAL, ...).
def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


_IN_CATEGORY: dict[str, Callable[[str], bool]] = {"digit": str.isdecimal, "space": str.isspace, "word": _is_word}
_CATEGORY_NAMES = {
    _sre.CATEGORY_DIGIT: "digit",
    _sre.CATEGORY_SPACE: "space",
    _sre.CATEGORY_WORD: "word",
}
_ANY = _Chars(negated=True)
_NONE = _Chars()
_ZERO_WIDTH = {_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT}
_REPEATS = {_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT}
_CHARS_CACHED = 8192  # characters whose terminals a scanner remembers
_LARGE_RANGE = 0x10000  # a range wider than this counts as "anything" (keeps the sets small)


def _class_chars(items: Sequence[tuple[Any, Any]]) -> _Chars:
    """The characters a ``[...]`` class matches (a superset when it cannot say exactly)."""
    negated = bool(items) and items[0][0] is _sre.NEGATE
    chars: set[str] = set()
    categories: set[str] = set()
    exact = True
    for op, av in items[1:] if negated else items:
        if op is _sre.LITERAL:
            chars.add(chr(av))
        elif op is _sre.RANGE and av[1] - av[0] < _LARGE_RANGE:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        elif op is _sre.CATEGORY and av in _CATEGORY_NAMES:
            categories.add(_CATEGORY_NAMES[av])
        else:  # another category (\D, \S), a huge range: not listed exactly
            exact = False
    if negated:  # everything but the listed characters (not the categories): a superset
        return _Chars(chars, negated=True)
    return _Chars(chars, categories) if exact else _ANY


def _first(items: Iterable[tuple[Any, Any]]) -> tuple[_Chars, bool]:
    """The characters a sequence of parsed regex items can start with, and whether it can
    match the empty string (then what follows it can start the match too)."""
    found = _NONE
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        if op is _sre.LITERAL:
            return found | _Chars(chr(av)), False
        if op is _sre.IN:
            return found | _class_chars(av), False
        if op is _sre.SUBPATTERN:
            add_flags, del_flags, sub = av[1], av[2], av[3]
            if (add_flags | del_flags) & (re.IGNORECASE | re.DOTALL):
                return _ANY, False
            chars, nullable = _first(sub)
        elif op is _sre.ATOMIC_GROUP:
            chars, nullable = _first(av)
        elif op in _REPEATS:
            chars, nullable = _first(av[2])
            nullable = nullable or av[0] == 0
        elif op is _sre.BRANCH:
            chars, nullable = _NONE, False
            for branch in av[1]:
                branch_chars, branch_nullable = _first(branch)
                chars, nullable = chars | branch_chars, nullable or branch_nullable
        else:  # ANY, NOT_LITERAL, a back reference, ...: may start with anything
            return _ANY, False
        found = found | chars
        if not nullable:
            return found, False
    return found, True


@lru_cache(maxsize=1024)
def first_chars(pattern: str, flags: int = 0) -> _Chars:
    """The characters a match of ``pattern`` can start with (a superset; every character
    when the pattern can match the empty string or cannot be analysed)."""
    if flags & (re.IGNORECASE | re.DOTALL):
        return _ANY
    try:
        parsed = _sre_parse.parse(pattern, flags)
    except Exception:  # an analysis failure only costs speed
        return _ANY
    if parsed.state.flags & (re.IGNORECASE | re.DOTALL):
        return _ANY
    chars, nullable = _first(parsed)
    return _ANY if nullable else chars


class FirstCharScanner(Scanner):
    """A drop-in for Lark's ``Scanner``: at a position it tries, in priority order, only
    the terminals that can start with the character there; the first that matches wins,
    as in Lark's alternation."""

    def __init__(self, terminals: Sequence[Any], g_regex_flags: int, re_: Any, use_bytes: bool) -> None:
        # Lark's Scanner compiles the alternation of all terminals here; this one compiles
        # each terminal on its own (re caches them across lexers and grammars).
        self.terminals = terminals
        self.g_regex_flags = g_regex_flags
        self.re_ = re_
        self.use_bytes = use_bytes
        self.allowed_types = {t.name for t in terminals}
        regexps = [t.pattern.to_regexp() for t in terminals]
        self._compiled: list[tuple[str, re.Pattern[str]]] = [
            (t.name, re_.compile(regexp, g_regex_flags)) for t, regexp in zip(terminals, regexps, strict=True)
        ]
        self._starts = [first_chars(regexp, g_regex_flags) for regexp in regexps]
        self._by_char: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {}
        self._shared: dict[tuple[str, ...], tuple[tuple[str, re.Pattern[str]], ...]] = {}

    def fullmatch(self, text: str) -> str | None:
        for name, pattern in self._compiled:
            if pattern.fullmatch(text):
                return name
        return None

    def _for(self, ch: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
        found = tuple(c for c, starts in zip(self._compiled, self._starts, strict=True) if ch in starts)
        found = self._shared.setdefault(tuple(name for name, _ in found), found)
        if len(self._by_char) < _CHARS_CACHED:  # bounded: hostile text may use every character
            self._by_char[ch] = found
        return found

    def match(self, text: Any, pos: int) -> tuple[str, str] | None:
        """Lark's ``Scanner.match``: (text, terminal) of the token at ``pos`` of a TextSlice."""
        if pos >= text.end:
            return None
        found = self.match_at(text.text, pos, text.end)
        return (found[1].group(0), found[0]) if found is not None else None

    def match_at(self, source: str, pos: int, end: int) -> tuple[str, re.Match[str]] | None:
        """The terminal and the match of the token at ``pos < end`` of ``source``, or None."""
        ch = source[pos]
        try:
            candidates = self._by_char[ch]
        except KeyError:
            candidates = self._for(ch)
        for name, pattern in candidates:
            m = pattern.match(source, pos, end)
            if m:
                return name, m
        return None


class _Deferred:
    """Stands in a ``BasicLexer``'s scanner slot until first used, then builds the
    ``FirstCharScanner`` (a lexer that never runs, such as the error-reporting root lexer,
    costs nothing)."""

    def __init__(self, lexer: Any) -> None:
        self._lexer = lexer

    def _build(self) -> FirstCharScanner:
        lexer = self._lexer
        terminals, lexer.callback = lark.lexer._create_unless(  # type: ignore[no-untyped-call]
            lexer.terminals, lexer.g_regex_flags, lexer.re, lexer.use_bytes
        )
        built = FirstCharScanner(terminals, lexer.g_regex_flags, lexer.re, lexer.use_bytes)
        lexer._scanner = built
        return built

    def match(self, text: Any, pos: int) -> tuple[str, str] | None:
        return self._build().match(text, pos)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._build(), name)


def install(parser: lark.Lark) -> bool:
    """Give every lexer of ``parser`` a ``FirstCharScanner``; False (and nothing changed)
    when the parser is not built the way this module knows (another Lark version, say)."""
    lexer = getattr(getattr(parser, "parser", None), "lexer", None)
    lexers = [*getattr(lexer, "lexers", {}).values(), getattr(lexer, "root_lexer", lexer)]
    known = ("terminals", "g_regex_flags", "re", "use_bytes", "user_callbacks", "_scanner")
    if not all(isinstance(each, lark.lexer.BasicLexer) and all(hasattr(each, a) for a in known) for each in lexers):
        return False
    if not hasattr(lark.lexer, "_create_unless") or any(e.use_bytes or e.user_callbacks for e in lexers):
        return False
    if any(e.re is not re for e in lexers):  # the regex module (regex=True): its rules are not re's
        return False
    for each in lexers:
        if each._scanner is None:  # not built yet (Lark builds scanners on first use)
            each._scanner = _Deferred(each)
        elif not isinstance(each._scanner, FirstCharScanner | _Deferred):
            each._scanner = FirstCharScanner(each._scanner.terminals, each.g_regex_flags, each.re, each.use_bytes)
    return True
