"""JSON / dict (de)serialisation: lossless round trips and clean errors on bad input."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import any_report, reports

import govreport
from govreport import Cell, DeserializationError, GovreportError, Report, Row, Table

SEED = Path(__file__).parent / "data" / "seeds" / "000_bfa6ed85e05c204a.txt"

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def seed_report() -> Report:
    return govreport.parse(SEED.read_text(encoding="utf-8"))


def typed_cells(report: Report) -> list[tuple[str, str, str, str]]:
    """Every cell value's repr: ``==`` alone cannot tell Decimal("3") from 3 or Decimal("0.50") from Decimal("0.5")."""
    return [
        (table.name, row.key, cell.column, repr(cell.value))
        for table in report.tables
        for row in table.rows
        for cell in row.cells
    ]


def assert_round_trips(report: Report) -> None:
    text = govreport.to_json(report)
    back = govreport.from_json(text)
    assert back == report
    assert typed_cells(back) == typed_cells(report)
    again = govreport.from_dict(govreport.to_dict(report))
    assert again == report
    assert typed_cells(again) == typed_cells(report)


# ----------------------------------------------------------------- (a) properties


@PROPERTY
@given(any_report())
def test_any_report_round_trips(report: Report) -> None:
    assert_round_trips(report)


@PROPERTY
@given(reports())
def test_consistent_report_round_trips(report: Report) -> None:
    assert_round_trips(report)


@PROPERTY
@given(reports(allow_blank=True))
def test_report_with_blank_cells_round_trips(report: Report) -> None:
    assert_round_trips(report)


@PROPERTY
@given(any_report())
def test_to_dict_is_the_json_tree(report: Report) -> None:
    """``to_dict`` holds only JSON types (no tuples, no Decimal) and is what ``to_json`` writes."""
    data = govreport.to_dict(report)
    assert json.loads(govreport.to_json(report)) == data

    def check(node: Any) -> None:
        assert node is None or type(node) in (str, int, bool, list, dict), type(node)
        if isinstance(node, list):
            for item in node:
                check(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                assert type(key) is str
                check(value)

    check(data)


# ----------------------------------------------------------------- (b) the JSON text


def fee_report(amount: Decimal) -> Report:
    cell = Cell("amount", amount, str(amount), None, "万元", "number")
    return Report("2021", disclosure=Table("disclosure", (Row("fees", "行政事业性收费", (cell,)),), printed=True))


def test_to_json_keeps_chinese_readable() -> None:
    text = govreport.to_json(seed_report())
    assert "市科学技术局2022年政府信息公开工作年度报告" in text
    assert "一、本年新收政府信息公开申请数量" in text
    assert "\\u" not in text
    indented = govreport.to_json(seed_report(), indent=2)
    assert "\\u" not in indented
    assert "\n  " in indented


@pytest.mark.parametrize("amount", ["7730.28", "0", "0.50", "0.0001", "1234567.8900"])
def test_to_json_writes_decimal_as_string(amount: str) -> None:
    text = govreport.to_json(fee_report(Decimal(amount)))
    assert f'"value": "{amount}"' in text
    value = json.loads(text)["disclosure"]["rows"][0]["cells"][0]["value"]
    assert value == amount


def test_to_json_writes_counts_as_numbers() -> None:
    data = json.loads(govreport.to_json(seed_report()))
    cell = data["disclosure"]["rows"][1]["cells"][2]
    assert cell["value"] == 24
    assert cell["raw"] == "24"
    assert data["schema"] == "govreport.report/1"


def test_decimal_amount_round_trips() -> None:
    report = fee_report(Decimal("7730.28"))
    back = govreport.from_json(govreport.to_json(report))
    assert back == report
    assert back.disclosure.fees.amount == Decimal("7730.28")
    assert isinstance(back.disclosure.fees.amount, Decimal)


def test_parsed_seed_round_trips() -> None:
    assert_round_trips(seed_report())


# ----------------------------------------------------------------- (c) malformed input


def valid_dict() -> dict[str, Any]:
    """``to_dict`` of the parsed seed: input that loads, so each test below fails for the reason it names."""
    return govreport.to_dict(seed_report())


def test_valid_dict_loads() -> None:
    report = govreport.from_dict(valid_dict())
    assert report == seed_report()
    assert report.applications.new.total == 0
    assert report.disclosure.normative_documents.in_force == 24


def expect_error(call: Any, *args: Any) -> DeserializationError:
    with pytest.raises(DeserializationError) as info:
        call(*args)
    err = info.value
    assert isinstance(err, GovreportError)
    assert isinstance(err, ValueError)
    return err


def assert_names_path(err: Exception, path: str | None = None) -> None:
    message = str(err)
    assert "$." in message or "@ $" in message, message
    if path is not None:
        assert path in message, message


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "{",
        "}",
        "not json",
        "{'template': '2021'}",
        '{"template": "2021",}',
        '{"template": "2021"} trailing',
        "NaN",
        b"\xff\xfe\x00",
        b'{"template": "\xe6\x94"}',
        "[" * 100_000,
        '{"a":' * 100_000,
    ],
    ids=lambda t: repr(t)[:30],
)
def test_invalid_json_text(text: str | bytes) -> None:
    err = expect_error(govreport.from_json, text)
    assert "JSON" in str(err)


def test_non_text_input() -> None:
    expect_error(govreport.from_json, None)
    expect_error(govreport.from_json, 12)


def truncation_points(length: int) -> list[int]:
    return sorted({0, 1, 2, 10, 37, length // 7, length // 3, length // 2, 2 * length // 3, length - 2, length - 1})


def test_truncated_json_text() -> None:
    text = govreport.to_json(seed_report())
    for cut in truncation_points(len(text)):
        expect_error(govreport.from_json, text[:cut])


def test_truncated_json_bytes() -> None:
    data = govreport.to_json(seed_report()).encode("utf-8")
    # include cuts inside a multi-byte character
    inside = [i for i in range(1, len(data)) if data[i] & 0xC0 == 0x80][:: max(1, len(data) // 50)]
    for cut in truncation_points(len(data)) + inside:
        expect_error(govreport.from_json, data[:cut])


@pytest.mark.parametrize("text", ["[]", "[1, 2]", '["template"]', "1", "null", '"report"', "true", "3.5"])
def test_json_that_is_not_an_object(text: str) -> None:
    err = expect_error(govreport.from_json, text)
    assert "$" in str(err)
    assert "object" in str(err)


@pytest.mark.parametrize("data", [[], (), "report", None, 1, [valid_dict()]], ids=repr)
def test_from_dict_needs_a_dict(data: Any) -> None:
    expect_error(govreport.from_dict, data)


def json_path(path: tuple[Any, ...]) -> str:
    """("disclosure", "rows", 0) -> "$.disclosure.rows[0]", as in the error messages."""
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def set_at(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    node: Any = data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return data


VALUE = ("applications", "rows", 0, "cells", 2, "value")  # applications.new.research
VALUE_PATH = "$.applications.rows[0].cells[2].value"
FEE = ("disclosure", "rows", 5, "cells", 0, "value")
SPAN_LINE = ("applications", "rows", 0, "cells", 2, "span", "line")

WRONG_TYPES = [
    (VALUE, 1.5, VALUE_PATH),
    (VALUE, 3.0, VALUE_PATH),
    (VALUE, "abc", VALUE_PATH),
    (VALUE, "", VALUE_PATH),
    (VALUE, "NaN", VALUE_PATH),
    (VALUE, "Infinity", VALUE_PATH),
    (VALUE, "-inf", VALUE_PATH),
    (VALUE, [1], VALUE_PATH),
    (VALUE, {"value": 1}, VALUE_PATH),
    (("meta", "year"), "2022", "$.meta.year"),
    (("meta", "year"), 2022.0, "$.meta.year"),
    (("meta", "year"), True, "$.meta.year"),
    (("meta", "title"), 5, "$.meta.title"),
    (("meta", "title"), None, "$.meta.title"),
    (("meta",), None, "$.meta"),
    (("meta",), "meta", "$.meta"),
    (("template",), 2021, "$.template"),
    (("template",), None, "$.template"),
    (("preamble",), ["a"], "$.preamble"),
    (SPAN_LINE, "1", "$.applications.rows[0].cells[2].span.line"),
    (SPAN_LINE, 1.0, "$.applications.rows[0].cells[2].span.line"),
    (SPAN_LINE, False, "$.applications.rows[0].cells[2].span.line"),
    (("applications", "rows", 0, "cells", 2, "inferred"), 0, "$.applications.rows[0].cells[2].inferred"),
    (("applications", "rows", 0, "cells", 2, "inferred"), "false", "$.applications.rows[0].cells[2].inferred"),
    (("disclosure", "printed"), 1, "$.disclosure.printed"),
    (("disclosure", "rows", 0, "cells"), "abc", "$.disclosure.rows[0].cells"),
    (("disclosure", "rows", 0, "cells"), [1, 2], "$.disclosure.rows[0].cells[0]"),
    (("sections", 0, "subsections"), [None], "$.sections[0].subsections[0]"),
    (("sections", 0, "level"), "1", "$.sections[0].level"),
    (("template_evidence",), [1], "$.template_evidence[0]"),
]


@pytest.mark.parametrize(("path", "value", "where"), WRONG_TYPES, ids=lambda v: repr(v)[:40])
def test_wrong_type_is_rejected(path: tuple[Any, ...], value: Any, where: str) -> None:
    err = expect_error(govreport.from_dict, set_at(valid_dict(), path, value))
    assert_names_path(err, where)
    # the same through JSON text
    err = expect_error(govreport.from_json, json.dumps(set_at(valid_dict(), path, value), ensure_ascii=False))
    assert_names_path(err, where)


@pytest.mark.parametrize("value", [True, False])
def test_bool_cell_value_is_rejected(value: bool) -> None:
    err = expect_error(govreport.from_dict, set_at(valid_dict(), VALUE, value))
    assert_names_path(err, VALUE_PATH)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("template_evidence",), "ab"),
        (("template_evidence",), {"a": 1}),
        (("sections",), {}),
        (("sections",), ""),
        (("diagnostics",), {}),
        (("disclosure", "rows"), ""),
        (("disclosure", "rows", 0, "cells"), {}),
    ],
    ids=repr,
)
def test_string_or_object_for_an_array_is_rejected(path: tuple[Any, ...], value: Any) -> None:
    """cattrs alone iterates whatever it is given: "ab" would become ('a', 'b') and {} would become ()."""
    err = expect_error(govreport.from_dict, set_at(valid_dict(), path, value))
    assert_names_path(err, json_path(path))


@pytest.mark.parametrize(("value", "expected"), [("3", Decimal("3")), ("7730.28", Decimal("7730.28")), (5, 5)])
def test_cell_value_accepts_int_or_decimal_string(value: Any, expected: Any) -> None:
    report = govreport.from_dict(set_at(valid_dict(), FEE, value))
    assert report.disclosure.fees.amount == expected
    assert type(report.disclosure.fees.amount) is type(expected)


@pytest.mark.parametrize("value", ["1e3", "-0", "0.50", "+3", ".5"])
def test_cell_value_accepts_decimal_notation(value: str) -> None:
    report = govreport.from_dict(set_at(valid_dict(), FEE, value))
    assert report.disclosure.fees.amount == Decimal(value)


@pytest.mark.parametrize("value", [" 3", "3\n", "1_000", "٣", "１２"], ids=repr)
def test_cell_value_string_must_be_a_plain_decimal(value: str) -> None:
    err = expect_error(govreport.from_dict, set_at(valid_dict(), VALUE, value))
    assert_names_path(err, VALUE_PATH)


def test_loaded_report_with_a_huge_exponent_is_rejected_or_checkable() -> None:
    data = set_at(valid_dict(), ("applications", "rows", 0, "cells", 0, "value"), "1E+9999999999")
    try:
        report = govreport.from_dict(data)
    except DeserializationError:
        return
    try:
        govreport.check(report)
    except GovreportError:
        pass


def test_cell_value_accepts_int_and_null() -> None:
    for value in (0, 7, 10**30, -1, None):
        report = govreport.from_dict(set_at(valid_dict(), VALUE, value))
        assert report.applications.new.research == value


def test_extra_key_at_top_level() -> None:
    data = valid_dict()
    data["foo"] = 1
    err = expect_error(govreport.from_dict, data)
    assert_names_path(err, "@ $")
    assert "foo" in str(err)


@pytest.mark.parametrize(
    ("path", "where"),
    [
        (("meta",), "$.meta"),
        (("applications",), "$.applications"),
        (("applications", "rows", 3), "$.applications.rows[3]"),
        (("applications", "rows", 3, "cells", 1), "$.applications.rows[3].cells[1]"),
        (("applications", "rows", 3, "cells", 1, "span"), "$.applications.rows[3].cells[1].span"),
        (("sections", 0), "$.sections[0]"),
        (("sections", 0, "subsections", 0), "$.sections[0].subsections[0]"),
    ],
)
def test_extra_key_nested(path: tuple[Any, ...], where: str) -> None:
    data = copy.deepcopy(valid_dict())
    node: Any = data
    for step in path:
        node = node[step]
    assert isinstance(node, dict), path
    node["unexpected_key"] = "x"
    err = expect_error(govreport.from_dict, data)
    assert_names_path(err, where)
    assert "unexpected_key" in str(err)


def test_missing_template() -> None:
    data = valid_dict()
    del data["template"]
    err = expect_error(govreport.from_dict, data)
    assert_names_path(err, "$.template")


@pytest.mark.parametrize(
    ("path", "where"),
    [
        (("applications", "rows", 0, "cells", 2, "column"), "$.applications.rows[0].cells[2].column"),
        (("applications", "rows", 0, "key"), "$.applications.rows[0].key"),
        (("applications", "name"), "$.applications.name"),
        (("sections", 0, "heading"), "$.sections[0].heading"),
        (("applications", "rows", 0, "cells", 2, "span", "end"), "$.applications.rows[0].cells[2].span.end"),
    ],
)
def test_missing_required_key_nested(path: tuple[Any, ...], where: str) -> None:
    data = copy.deepcopy(valid_dict())
    node: Any = data
    for step in path[:-1]:
        node = node[step]
    del node[path[-1]]
    err = expect_error(govreport.from_dict, data)
    assert_names_path(err, where)


def test_wrong_schema() -> None:
    err = expect_error(govreport.from_dict, set_at(valid_dict(), ("schema",), "govreport.report/99"))
    assert_names_path(err, "$.schema")


def test_every_problem_is_listed() -> None:
    data = set_at(valid_dict(), ("meta", "year"), "2022")
    data = set_at(data, ("template",), 5)
    err = expect_error(govreport.from_dict, data)
    assert any("$.meta.year" in e for e in err.errors)
    assert any("$.template" in e for e in err.errors)


# ----------------------------------------------------------------- fuzz: only DeserializationError

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=10,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out.extend(_paths(value, (*prefix, i)))
    return out


_VALID = valid_dict()
_VALID_PATHS = _paths(_VALID)


@FUZZ
@given(st.sampled_from(_VALID_PATHS), json_values)
def test_mutated_report_loads_or_raises_deserialization_error(path: tuple[Any, ...], value: Any) -> None:
    data = set_at(_VALID, path, value)
    try:
        report = govreport.from_dict(data)
    except DeserializationError:
        return
    assert isinstance(report, Report)


@FUZZ
@given(st.sampled_from(_VALID_PATHS))
def test_report_with_a_key_removed_loads_or_raises(path: tuple[Any, ...]) -> None:
    data = copy.deepcopy(_VALID)
    node: Any = data
    for step in path[:-1]:
        node = node[step]
    del node[path[-1]]
    try:
        govreport.from_dict(data)
    except DeserializationError:
        pass


@FUZZ
@given(json_values)
def test_random_json_raises_deserialization_error(value: Any) -> None:
    try:
        text = json.dumps(value)
    except ValueError:
        return
    with pytest.raises(DeserializationError):
        govreport.from_json(text)


def test_from_dict_does_not_change_its_input() -> None:
    data = valid_dict()
    before = copy.deepcopy(data)
    govreport.from_dict(data)
    assert data == before
