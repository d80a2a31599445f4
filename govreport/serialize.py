"""JSON and dict (de)serialisation of reports, through one cattrs converter.

Lossless: ``from_json(to_json(r)) == r`` for every report, including decimal
amounts (written as strings, so no float rounding) and source spans.  Input of
the wrong shape raises ``DeserializationError`` naming the path of each problem;
a half-built report is never returned.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any, get_args, get_origin

import cattrs
from cattrs.preconf.json import make_converter

from .checks import check
from .errors import DeserializationError
from .model import Number, Report

SCHEMA = "govreport.report/1"
# What str(Decimal) writes for a finite number: ASCII digits, optional sign, point and exponent.
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_MAX_EXPONENT = 1000  # far beyond any amount in a report; keeps arithmetic on loaded data finite

_converter = make_converter(forbid_extra_keys=True)


def _structure_number(value: Any, _type: Any) -> Number | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        if not _DECIMAL.fullmatch(value):
            raise ValueError(f'expected a decimal string such as "7730.28", got {value!r}')
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"expected a decimal string, got {value!r}") from None
        if abs(number.adjusted()) > _MAX_EXPONENT:
            raise ValueError(f"decimal out of range: {value!r}")
        return number
    raise ValueError(f"expected an int, a decimal string or null, got {type(value).__name__}")


_converter.register_unstructure_hook(Decimal, str)


def _is_number_type(annotation: Any) -> bool:
    """``int | Decimal`` or ``int | Decimal | None``, however the annotation was spelled."""
    args = set(get_args(annotation))
    return args in ({int, Decimal}, {int, Decimal, type(None)})


_converter.register_structure_hook_func(_is_number_type, _structure_number)


def _strict(kind: type) -> Any:
    """cattrs converts by calling ``int(x)``/``str(x)``; a report file must hold the right type."""

    def structure(value: Any, _type: Any) -> Any:
        if type(value) is not kind:
            raise ValueError(f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    return structure


def _is_homogeneous_tuple(annotation: Any) -> bool:
    args = get_args(annotation)
    return get_origin(annotation) is tuple and len(args) == 2 and args[1] is Ellipsis


def _structure_tuple(value: Any, annotation: Any) -> tuple[Any, ...]:
    """A JSON list into a tuple; cattrs alone would also take a string or an object."""
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"expected a list, got {type(value).__name__}")
    item_type = get_args(annotation)[0]
    items: list[Any] = []
    errors: list[Exception] = []
    for index, item in enumerate(value):
        try:
            items.append(_converter.structure(item, item_type))
        except Exception as exc:  # collected and re-raised with its index, as cattrs does
            note = cattrs.errors.IterableValidationNote(f"Structuring {annotation} @ index {index}", index, item_type)
            exc.__notes__ = [*getattr(exc, "__notes__", []), note]
            errors.append(exc)
    if errors:
        raise cattrs.IterableValidationError(f"While structuring {annotation!r}", errors, annotation)
    return tuple(items)


_converter.register_structure_hook_func(_is_homogeneous_tuple, _structure_tuple)
_converter.register_structure_hook(str, _strict(str))
_converter.register_structure_hook(int, _strict(int))
_converter.register_structure_hook(bool, _strict(bool))


def to_dict(report: Report, *, checks: bool = False) -> dict[str, Any]:
    """A JSON-ready dict (only str, int, list, dict and None inside).

    ``checks=True`` adds the report's findings under ``"checks"`` (see
    ``govreport.check``); ``from_dict`` ignores them, as they follow from the cells.
    """
    data: dict[str, Any] = {"schema": SCHEMA}
    data.update(_converter.unstructure(report))
    if checks:
        data["checks"] = [_converter.unstructure(f) for f in check(report, prose=True)]
    return data


def from_dict(data: Any) -> Report:
    """The inverse of ``to_dict``.  Raises ``DeserializationError`` on bad input."""
    if not isinstance(data, dict):
        raise DeserializationError(f"expected a JSON object at $, got {type(data).__name__}")
    data = dict(data)
    data.pop("checks", None)  # derived from the cells; recomputed by report.check()
    schema = data.pop("schema", SCHEMA)
    if schema != SCHEMA:
        raise DeserializationError(f"unsupported schema {schema!r} at $.schema (expected {SCHEMA!r})")
    try:
        return _converter.structure(data, Report)
    except cattrs.BaseValidationError as exc:
        errors = cattrs.transform_error(exc, path="$")
        raise DeserializationError("the data is not a govreport report", errors) from None
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as exc:
        raise DeserializationError(f"the data is not a govreport report: {exc}") from None


def to_json(report: Report, *, indent: int | None = None, checks: bool = False) -> str:
    """JSON text; Chinese stays readable (``ensure_ascii=False``).  See ``to_dict`` for ``checks``."""
    return json.dumps(to_dict(report, checks=checks), ensure_ascii=False, indent=indent)


def from_json(text: str | bytes) -> Report:
    """Parse JSON written by ``to_json``.  Raises ``DeserializationError`` on bad input."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise DeserializationError("the JSON is nested too deeply to be a report") from None
    except (ValueError, TypeError) as exc:
        raise DeserializationError(f"malformed JSON: {exc}") from None
    return from_dict(data)
