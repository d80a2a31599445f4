"""A cattrs converter that takes JSON as it is: no silent coercion between types.

cattrs structures by calling ``int(x)``, ``str(x)``, ``tuple(x)``: ``"2027"`` would become
2027 and a string a tuple of characters.  A report file or a template file must hold the
right types, so both are read through a converter made here.
"""

from __future__ import annotations

from typing import Any, get_args, get_origin

import attrs
import cattrs
from cattrs.preconf.json import JsonConverter, make_converter


def _exactly(kind: type) -> Any:
    def structure(value: Any, _type: Any) -> Any:
        if type(value) is not kind:
            raise ValueError(f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    return structure


def _is_homogeneous_tuple(annotation: Any) -> bool:
    args = get_args(annotation)
    return get_origin(annotation) is tuple and len(args) == 2 and args[1] is Ellipsis


def strict_converter() -> JsonConverter:
    """A JSON converter that refuses extra keys and values of the wrong type (ints, strings,
    booleans, lists and objects as JSON has them), with cattrs' paths in its validation errors."""
    converter = make_converter(forbid_extra_keys=True)

    def structure_tuple(value: Any, annotation: Any) -> tuple[Any, ...]:
        """A JSON list into a tuple; cattrs alone would also take a string or an object."""
        if not isinstance(value, (list, tuple)):
            raise ValueError(f"expected a list, got {type(value).__name__}")
        item_type = get_args(annotation)[0]
        items: list[Any] = []
        errors: list[Exception] = []
        for index, item in enumerate(value):
            try:
                items.append(converter.structure(item, item_type))
            except Exception as exc:  # collected and re-raised with its index, as cattrs does
                note = cattrs.errors.IterableValidationNote(
                    f"Structuring {annotation} @ index {index}", index, item_type
                )
                exc.__notes__ = [*getattr(exc, "__notes__", []), note]
                errors.append(exc)
        if errors:
            raise cattrs.IterableValidationError(f"While structuring {annotation!r}", errors, annotation)
        return tuple(items)

    def structure_object(cls: type) -> Any:
        """An attrs class from a JSON object only; cattrs alone fails on a list with an AttributeError."""
        inner: Any = converter.gen_structure_attrs_fromdict(cls)

        def structure(value: Any, annotation: Any) -> Any:
            if not isinstance(value, dict):
                raise ValueError(f"expected a JSON object, got {type(value).__name__}")
            return inner(value, annotation)

        return structure

    converter.register_structure_hook_func(_is_homogeneous_tuple, structure_tuple)
    converter.register_structure_hook_factory(attrs.has, structure_object)
    for kind in (str, int, bool):
        converter.register_structure_hook(kind, _exactly(kind))
    return converter
