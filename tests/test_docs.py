"""The documentation stays in step with the code: generated pages, examples, every error."""

from __future__ import annotations

import ast
import doctest
import importlib.util
from pathlib import Path

import pytest

import govreport
import govreport.errors

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


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


def test_inputs_table_of_readers_is_current() -> None:
    page = (DOCS / "inputs.md").read_text(encoding="utf-8")
    assert page == _load("gen_inputs").render(page), "run: python docs/gen_inputs.py"


@pytest.mark.parametrize("page", ["user-guide.md", "errors.md", "checks.md", "layouts.md", "inputs.md", "cli.md"])
def test_examples_in_the_docs_run(page: str) -> None:
    # The pages are doctests: every example shows real output of the library.
    result = doctest.testfile(
        str(DOCS / page), module_relative=False, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    assert result.failed == 0, f"{result.failed} example(s) in docs/{page} no longer match"


def _emitted_codes() -> set[str]:
    """The diagnostic codes the library can emit: the first argument of every
    ``Diagnostic(...)`` and ``ctx.report(...)`` call in its source."""
    codes: set[str] = set()
    for path in (ROOT / "govreport").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            first = node.args[0]
            if name in ("Diagnostic", "report") and isinstance(first, ast.Constant) and isinstance(first.value, str):
                codes.add(first.value)
    return codes


def test_every_diagnostic_code_is_documented() -> None:
    page = (DOCS / "errors.md").read_text(encoding="utf-8")
    codes = _emitted_codes()
    assert len(codes) >= 15  # the scan finds the calls
    for code in codes:
        assert f"### `{code}`" in page, f"docs/errors.md has no section for diagnostic {code!r}"
        assert f"| [`{code}`](#{code}) |" in page, f"docs/errors.md's table of codes lacks {code!r}"


def test_every_exception_is_documented() -> None:
    page = (DOCS / "errors.md").read_text(encoding="utf-8")
    exceptions = [
        name
        for name, obj in vars(govreport.errors).items()
        if isinstance(obj, type) and issubclass(obj, govreport.GovreportError)
    ]
    assert len(exceptions) >= 9
    for name in exceptions:
        assert f"### `{name}`" in page, f"docs/errors.md has no section for {name}"
        assert name in dir(govreport), f"{name} is not exported by govreport"
