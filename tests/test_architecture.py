"""The structure the docs promise: a checkout that works in place, a one-way flow, templates as data."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import govreport
from govreport.checks import relations

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "govreport"
EXAMPLE = ROOT / "examples" / "custom_template"


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


# ----------------------------------------------------------------- the checkout works in place


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository's package, grammars and example, never installed: run from its
    root, ``import govreport`` finds this copy before any installed one (as in a fresh clone)."""
    root = tmp_path_factory.mktemp("checkout")
    for name in ("govreport", "grammars", "examples"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def test_python_from_the_root_of_a_checkout_parses(checkout: Path) -> None:
    code = (
        "import govreport\n"
        "report = govreport.parse(open('examples/huaian-2024.txt', encoding='utf-8').read())\n"
        "print(govreport.__file__)\n"
        "print(report.template, report.applications.new.natural_person, report.applications.new.total)\n"
        "print(govreport.__version__)\n"
    )
    result = _run(["-c", code], checkout)
    assert result.returncode == 0, result.stderr
    where, values, version = result.stdout.splitlines()
    assert Path(where).resolve().is_relative_to(checkout.resolve())  # the copy, not an installed govreport
    # examples/huaian-2024.txt: 一、本年新收政府信息公开申请数量 3001 53 0 0 61 4 3119
    assert values == "2021 3001 3119"
    assert version == govreport.__version__


def test_python_m_govreport_from_the_root_of_a_checkout(checkout: Path) -> None:
    result = _run(["-m", "govreport", "show", "examples/huaian-2024.txt"], checkout)
    assert result.returncode == 0, result.stderr
    assert "淮安市人民政府" in result.stdout
    listing = _run(["-m", "govreport", "templates"], checkout)
    assert listing.returncode == 0, listing.stderr
    assert [line.split("\t")[0] for line in listing.stdout.splitlines()] == ["2019", "2021"]


def test_python_m_pytest_collects_from_the_repository_root() -> None:
    result = _run(["-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "tests/test_parse.py"], ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "test_parse.py::" in result.stdout


# ----------------------------------------------------------------- one-way flow

# Every module in the order of the data flow (docs/architecture.md): a module imports only
# modules before it.  The model and the errors import nothing of the pipeline.
FLOW = (
    "model",
    "errors",
    "messages",
    "strict_json",
    "items",
    "unglue",
    "templates",
    "scanner",
    "lalr",
    "grammar",
    "normalize",
    "registry",
    "relations",
    "equation",
    "split",
    "cells",
    "document",
    "sections",
    "layout",
    "realign",
    "infer",
    "prose",
    "checks",
    "series",
    "flatten",
    "validate",
    "jsoncodec",
    "serialize",
    "pipeline",
    "readers.extras",
    "readers.encoding",
    "readers.grid",
    "readers.lattice",
    "readers.pdfbytes",
    "readers.zipped",
    "readers.content",
    "readers.registry",
    "readers.builtin",
    "readers.html",
    "readers.text",
    "readers.pdf",
    "readers.ocr",
    "readers.docx",
    "readers.doc",
    "readers.ofd",
    "readers",
    "provenance",
    "files",
    "dispatch",
    "executors",
    "batch",
    "table",
    "csvfiles",
    "printout",
    "frame",
    "workbook",
    "view",
    "cli",
    "__main__",
    "__init__",
)


def _internal_imports(path: Path) -> set[str]:
    """The govreport modules a module imports (relative imports, at any depth in the file)."""
    package = path.relative_to(PACKAGE).parent.parts
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            base = list(package[: len(package) - (node.level - 1)])
            target = ".".join([*base, node.module] if node.module else base)
            if target:
                found.add(target)
            elif node.module is None:
                found.update(alias.name for alias in node.names)
    return found


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1]) if parts[-1] == "__init__" and len(parts) > 1 else ".".join(parts)


def test_every_module_is_in_the_flow() -> None:
    modules = {_module_name(p) for p in PACKAGE.rglob("*.py")}
    assert modules - set(FLOW) == set(), "add new modules to FLOW (and to docs/architecture.md)"


# The one import against the flow: the reader registry loads the shipped readers on first
# use, as it loads plugins (readers.builtin registers them with readers.registry.Reader).
PLUGIN_LOADS = {("readers.registry", "readers.builtin")}


def test_imports_follow_the_one_way_flow() -> None:
    order = {name: i for i, name in enumerate(FLOW)}
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        module = _module_name(path)
        if module not in order:
            continue
        for target in _internal_imports(path):
            if (module, target) in PLUGIN_LOADS:
                continue
            if target in order and order[target] >= order[module]:
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_the_model_imports_nothing_of_the_pipeline() -> None:
    assert _internal_imports(PACKAGE / "model.py") == set()
    assert "checks" not in _internal_imports(PACKAGE / "serialize.py")  # serialising never runs checks


# ----------------------------------------------------------------- template behaviour is data


def test_no_python_branch_names_a_year_or_a_table() -> None:
    """Years, table names and table layouts are template data, read by templates.py only."""
    words = ('"2019"', '"2021"', '"appeals"', '"one_line"')
    allowed = {"templates.py", "model.py"}  # loading the data; the model's three table slots
    hits = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in PACKAGE.rglob("*.py")
        if path.name not in allowed
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if any(word in line for word in words)
    ]
    assert hits == []


@pytest.fixture(autouse=True)
def _registry_as_it_was() -> Any:
    """Templates a test registers are removed after it, so other tests see the shipped ones."""
    before = {t["name"] for t in govreport.templates()}
    yield
    for name in {t["name"] for t in govreport.templates()} - before:
        govreport.unregister_template(name)


def _sample_2027(carried_forward: str = "0\t0\t0\t0\t0\t0\t0") -> str:
    text = (EXAMPLE / "sample_report_2027.txt").read_text(encoding="utf-8")
    return text.replace("四、结转下年度继续办理\t\t0\t0\t0\t0\t0\t0\t0", f"四、结转下年度继续办理\t\t{carried_forward}")


def test_a_user_template_gets_exactly_the_relations_it_declares() -> None:
    template = govreport.register_template(EXAMPLE / "template_2027.lark")
    declared = json.loads((EXAMPLE / "template_2027.json").read_text(encoding="utf-8"))
    # 结转下年度继续办理 printed as 1 (自然人) and 1 (总计): the row adds up (S1), but 新收 2 + 结转 0 is
    # no longer 总计 2 + 结转下年度 1.  The 2027 template declares no P1, so nothing fails.
    report = govreport.parse(_sample_2027("1\t0\t0\t0\t0\t0\t1"))
    assert report.template == "2027"
    assert report.applications.carried_forward.total == 1
    assert {r.rule for r in relations(report)} == {r["rule"] for r in declared["relations"]} == {"S1", "S2", "S5"}
    assert [f for f in govreport.check(report) if f.status == "failed"] == []
    assert {"S1", "S2", "S5"} == set(template.describe()["relations"])
    # The same text read with the 2021 template's relations fails P1 in the 自然人 and 总计 columns.
    forced = govreport.parse(_sample_2027("1\t0\t0\t0\t0\t0\t1"), template="2021")
    failed = {(f.rule, f.keys[0]) for f in govreport.check(forced) if f.status == "failed"}
    assert ("P1", "applications.results_total.natural_person") in failed
    assert ("P1", "applications.results_total.total") in failed


def test_a_template_without_relations_checks_nothing_and_says_so(tmp_path: Path) -> None:
    data = json.loads((EXAMPLE / "template_2027.json").read_text(encoding="utf-8"))
    data.update(name="2028", relations=[], series=[])
    shutil.copy(EXAMPLE / "template_2027.lark", tmp_path / "template_2028.lark")
    (tmp_path / "template_2028.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    template = govreport.register_template(tmp_path / "template_2028.lark")
    assert template.describe()["relations"] == []
    report = govreport.parse(_sample_2027("5\t0\t0\t0\t0\t0\t9"), template="2028")
    assert list(relations(report)) == []
    assert [f.rule for f in govreport.check(report)] == []  # no relation, so none fails; D1 holds


# ----------------------------------------------------------------- bad template files


def _bad_template(tmp_path: Path, change: Any) -> Path:
    data = json.loads((EXAMPLE / "template_2027.json").read_text(encoding="utf-8"))
    data["name"] = "bad"
    change(data)
    shutil.copy(EXAMPLE / "template_2027.lark", tmp_path / "template_bad.lark")
    (tmp_path / "template_bad.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return tmp_path / "template_bad.lark"


def _drop_years(data: dict[str, Any]) -> None:
    del data["years"]


def _years_as_text(data: dict[str, Any]) -> None:
    data["years"] = ["2027", None]


def _unknown_column_in_relation(data: dict[str, Any]) -> None:
    data["relations"][0]["equation"] = "total = natural_person + citizens"


def _unknown_row_group(data: dict[str, Any]) -> None:
    data["relations"][1]["equation"] = "results_total = sum(outcomes)"


def _bad_equation(data: dict[str, Any]) -> None:
    data["relations"][0]["equation"] = "total + natural_person"


def _unknown_column_set(data: dict[str, Any]) -> None:
    data["tables"]["disclosure"]["rows"][0]["columns"] = "docs"


def _unknown_terminal(data: dict[str, Any]) -> None:
    data["tables"]["disclosure"]["rows"][0]["terminal"] = "DISC_NO_SUCH_ROW"


def _unknown_field(data: dict[str, Any]) -> None:
    data["tables"]["appeals"]["layuot"] = "one_line"


def _missing_table(data: dict[str, Any]) -> None:
    del data["tables"]["appeals"]


@pytest.mark.parametrize(
    ("change", "where", "problem"),
    [
        (_drop_years, "$.years", "required field missing"),
        (_years_as_text, "$.years", "expected int"),
        (_unknown_column_in_relation, "$.relations[0].equation", "no column 'citizens' in table applications"),
        (_unknown_row_group, "$.relations[1].equation", "no row group 'outcomes'"),
        (_bad_equation, "$.relations[0].equation", "not an equation"),
        (_unknown_column_set, "$.tables.disclosure.rows[0].columns", "no column set 'docs'"),
        (_unknown_terminal, "row disclosure.regulations", "no terminal 'DISC_NO_SUCH_ROW'"),
        (_unknown_field, "$.tables['appeals']", "extra fields found (layuot)"),
        (_missing_table, "$.tables", "must be exactly the tables"),
    ],
)
def test_a_bad_template_file_names_the_file_the_field_and_the_problem(
    tmp_path: Path, change: Any, where: str, problem: str
) -> None:
    grammar = _bad_template(tmp_path, change)
    with pytest.raises(govreport.TemplateError) as raised:
        govreport.register_template(grammar)
    message = str(raised.value)
    assert "template_bad.json" in message
    assert where in message
    assert problem in message
    with pytest.raises(govreport.UnknownTemplateError):
        govreport.get_template("bad")  # nothing was registered
