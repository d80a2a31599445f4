"""The model to and from JSON-ready dicts, fast: one function per class, generated once.

``serialize`` writes and reads reports through a cattrs converter (``strict_json``), which
dispatches on the type of every value and keeps the path of every problem for its error
messages; for a report of 200 cells that costs more than the JSON text itself.  Here each
attrs class gets a Python function, generated from its fields the way cattrs generates
its own, with the type checks written inline and the functions calling each other by name:

* ``unstructure``: the dict cattrs' converter builds, key for key (attrs field order,
  tuples as lists; a union field, such as a cell's ``int | Decimal`` value, goes through
  the converter by the value's class, as cattrs does).
* ``structure``: the object cattrs' strict converter builds from *well-formed* input, and
  nothing from any other input: every object must be a ``dict`` with exactly the class's
  fields, every ``str``/``int``/``bool``/``float`` exactly that type, every tuple a ``list``.  Input
  it does not take raises (``Refused``, or the error of a ``special`` hook), and
  ``serialize`` then reads it through the converter, which takes what cattrs takes (a
  field left at its default, say) and names the path of every problem.  So it is never
  more lenient than the converter.

A field type the generator does not know is an error when the functions are built, not a
silent difference: a new model field needs its type here or in ``special``.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from typing import Any, get_args, get_origin

import attrs
from attrs import frozen


class Refused(Exception):
    """The fast path does not take this input (the converter then reads it)."""


Hook = Callable[[Any], Any]
_PLAIN = (str, int, bool, float)  # float: exactly a float (an int in the JSON goes to the converter)


@frozen
class Special:
    """How a field type that is neither plain nor an attrs class is converted: ``structure``
    raises ``ValueError``/``TypeError`` for a value it does not take; a value whose type is
    one of ``as_is`` is taken and written as it is, without a call."""

    structure: Hook
    unstructure: Hook
    as_is: tuple[type, ...] = ()


class Codec:
    """The generated ``structure``/``unstructure`` functions of a family of attrs classes
    (a class and every attrs class its fields hold), built on first use."""

    def __init__(self, special: dict[Any, Special]) -> None:
        self._special = special
        self._names: dict[type, str] = {}  # class -> the suffix of its two functions
        self._namespace: dict[str, Any] = {"Refused": Refused}

    def structure(self, cls: type) -> Hook:
        """The function that builds a ``cls`` from a JSON object (raises on other input)."""
        return self._namespace[f"structure_{self._generate(cls)}"]  # type: ignore[no-any-return]

    def unstructure(self, cls: type) -> Hook:
        """The function that writes a ``cls`` as a JSON-ready dict."""
        return self._namespace[f"unstructure_{self._generate(cls)}"]  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ generation

    def _generate(self, cls: type) -> str:
        if cls in self._names:
            return self._names[cls]
        pending = [cls]
        found: list[type] = []
        while pending:  # every attrs class reachable from cls, each once
            c = pending.pop()
            if c in self._names or c in found:
                continue
            found.append(c)
            pending += [t for t in _types_in(typing.get_type_hints(c).values()) if isinstance(t, type) and attrs.has(t)]
        for c in found:
            self._names[c] = f"{c.__name__}_{len(self._names)}"
        try:
            source = "\n".join(self._functions(c) for c in found)
            exec(compile(source, "<govreport.jsoncodec>", "exec"), self._namespace)
        except BaseException:
            for c in found:
                del self._names[c]
            raise
        return self._names[cls]

    def _constant(self, value: Any) -> str:
        name = f"k{len(self._namespace)}"
        self._namespace[name] = value
        return name

    def _functions(self, cls: type) -> str:
        hints = typing.get_type_hints(cls)
        fields = attrs.fields(cls)
        for field in fields:
            if not field.init or field.kw_only or field.alias != field.name:
                raise TypeError(f"jsoncodec: {cls.__name__}.{field.name} is not a plain positional field")
        name = self._names[cls]
        lines = [
            f"def structure_{name}(d):",
            f"    if type(d) is not dict or len(d) != {len(fields)}:",
            "        raise Refused",
        ]
        items = []
        for i, field in enumerate(fields):
            lines.append(f"    v{i} = d[{field.name!r}]")
            lines += self._structure_lines(f"v{i}", hints[field.name], "    ")
            items.append(f"{field.name!r}: {self._unstructure_expr(f'o.{field.name}', hints[field.name])}")
        lines.append(f"    return {self._constant(cls)}({', '.join(f'v{i}' for i in range(len(fields)))})")
        lines += [f"def unstructure_{name}(o):", "    return {" + ", ".join(items) + "}", ""]
        return "\n".join(lines)

    def _structure_lines(self, var: str, tp: Any, indent: str) -> list[str]:
        """Lines that turn ``var`` (a JSON value) into a value of ``tp``, or raise."""
        if tp in self._special:
            special = self._special[tp]
            hook = self._constant(special.structure)
            if not special.as_is:
                return [f"{indent}{var} = {hook}({var})"]
            kinds = self._constant(frozenset(special.as_is))
            return [f"{indent}if type({var}) not in {kinds}:", f"{indent}    {var} = {hook}({var})"]
        if tp in _PLAIN:
            return [f"{indent}if type({var}) is not {tp.__name__}:", f"{indent}    raise Refused"]
        if attrs.has(tp):
            return [f"{indent}{var} = structure_{self._names[tp]}({var})"]
        args = get_args(tp)
        if _is_optional(tp):
            (inner,) = [a for a in args if a is not type(None)]
            return [f"{indent}if {var} is not None:", *self._structure_lines(var, inner, indent + "    ")]
        if _is_homogeneous_tuple(tp):
            item = args[0]
            head = [f"{indent}if type({var}) is not list:", f"{indent}    raise Refused"]
            if item in _PLAIN:
                return [
                    *head,
                    f"{indent}for x in {var}:",
                    f"{indent}    if type(x) is not {item.__name__}:",
                    f"{indent}        raise Refused",
                    f"{indent}{var} = tuple({var})",
                ]
            if attrs.has(item):
                return [*head, f"{indent}{var} = tuple([structure_{self._names[item]}(x) for x in {var}])"]
        raise TypeError(f"jsoncodec: no structure for the field type {tp!r}")

    def _unstructure_expr(self, expr: str, tp: Any) -> str:
        """An expression for the JSON-ready form of ``expr`` (of type ``tp``)."""
        if tp in self._special:
            special = self._special[tp]
            hook = self._constant(special.unstructure)
            if not special.as_is:
                return f"{hook}({expr})"
            kinds = self._constant(frozenset(special.as_is))
            return f"({expr} if type({expr}) in {kinds} else {hook}({expr}))"
        if tp in (*_PLAIN, float):
            return expr
        if attrs.has(tp):
            return f"unstructure_{self._names[tp]}({expr})"
        args = get_args(tp)
        if _is_optional(tp):
            (inner,) = [a for a in args if a is not type(None)]
            if inner in (*_PLAIN, float):
                return expr  # None or the value, both as they are
            return f"(None if {expr} is None else {self._unstructure_expr(expr, inner)})"
        if _is_homogeneous_tuple(tp):
            item = args[0]
            if item in _PLAIN:
                return f"list({expr})"
            return f"[{self._unstructure_expr('x', item)} for x in {expr}]"
        raise TypeError(f"jsoncodec: no unstructure for the field type {tp!r}")


def _types_in(hints: typing.Iterable[Any]) -> list[Any]:
    """The types a field's type is made of (``tuple[Cell, ...] | None`` -> Cell, ...)."""
    out: list[Any] = []
    for tp in hints:
        out.append(tp)
        out += _types_in(get_args(tp))
    return out


def _is_optional(tp: Any) -> bool:
    args = get_args(tp)
    return get_origin(tp) in (types.UnionType, typing.Union) and len(args) == 2 and type(None) in args


def _is_homogeneous_tuple(tp: Any) -> bool:
    args = get_args(tp)
    return get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis
