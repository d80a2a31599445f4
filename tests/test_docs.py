"""Generated documentation stays in step with the template data."""

from __future__ import annotations

import doctest
import importlib.util
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, DOCS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_templates_reference_is_current() -> None:
    assert (DOCS / "templates.md").read_text(encoding="utf-8") == _load("gen_templates").render()


def test_data_model_reference_is_current() -> None:
    assert (DOCS / "data-model.md").read_text(encoding="utf-8") == _load("gen_data_model").render()


@pytest.mark.parametrize("page", ["user-guide.md", "errors.md", "checks.md", "layouts.md", "inputs.md", "cli.md"])
def test_examples_in_the_docs_run(page: str) -> None:
    # The pages are doctests: every example shows real output of the library.
    result = doctest.testfile(
        str(DOCS / page), module_relative=False, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    assert result.failed == 0, f"{result.failed} example(s) in docs/{page} no longer match"
