"""The generated (un)structure functions behind to_json/from_json (issue 19).

The cattrs converter of ``serialize`` is the reference: the generated functions must write
exactly its dicts, read exactly its reports from well-formed input, and refuse (so that
the converter reads it and names each problem) everything else.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

import govreport
from govreport import serialize
from govreport.jsoncodec import Codec, Refused
from govreport.model import Origin, Report, Span

DATA = Path(__file__).parent / "data"
TEXTS = sorted((DATA / "seeds").glob("*.txt")) + sorted((DATA / "external").glob("*.txt"))


@pytest.fixture(scope="module")
def reports() -> list[Report]:
    return [govreport.parse(path.read_text(encoding="utf-8")) for path in TEXTS]


def _body(report: Report) -> dict[str, Any]:
    data = json.loads(govreport.to_json(report))
    del data["schema"]
    return data


def test_written_as_the_converter_writes(reports: list[Report]) -> None:
    for report in reports:
        assert serialize._report_out(report) == serialize._converter.unstructure(report)
        findings = govreport.check(report)
        assert [serialize._finding_out(f) for f in findings] == [serialize._converter.unstructure(f) for f in findings]


def test_decimals_origins_and_source_written_as_the_converter_writes(reports: list[Report]) -> None:
    report = reports[0]
    cell = report.applications.rows[0].cells[0]
    odd = attrs.evolve(
        cell, value=Decimal("7730.28"), origin=Origin(page=3, bbox=(1.0, 2.5, 3.0, 4.0), table=1, row=2, column=3)
    )
    report = report.with_cells({f"applications.{report.applications.rows[0].key}.{cell.column}": odd})
    report = attrs.evolve(report, source=govreport.Source("pdf", "x.pdf", None, 16))
    written = serialize._report_out(report)
    assert written == serialize._converter.unstructure(report)
    first = written["applications"]["rows"][0]["cells"][0]
    assert first["value"] == "7730.28"  # a decimal as a string, never a float
    assert first["origin"]["bbox"] == [1.0, 2.5, 3.0, 4.0]
    assert written["source"] == {"kind": "pdf", "name": "x.pdf", "encoding": None, "pages": 16}
    assert serialize._report_in(json.loads(json.dumps(written))) == report


def test_well_formed_input_read_as_the_converter_reads_it(reports: list[Report]) -> None:
    for report in reports:
        data = _body(report)
        assert serialize._report_in(copy.deepcopy(data)) == serialize._converter.structure(data, Report) == report


def _cell(data: dict[str, Any]) -> dict[str, Any]:
    cell: dict[str, Any] = data["applications"]["rows"][0]["cells"][0]
    return cell


BREAKS = {
    "an extra key": lambda d: _cell(d).update(colour="red"),
    "a key left at its default": lambda d: _cell(d).pop("origin"),
    "a string for an int": lambda d: _cell(d)["span"].update(line="3"),
    "a bool for an int": lambda d: _cell(d)["span"].update(line=True),
    "an int for a bool": lambda d: _cell(d).update(inferred=0),
    "an int for a string": lambda d: _cell(d).update(raw=7),
    "a number that is no decimal": lambda d: _cell(d).update(value="7,730"),
    "a float value": lambda d: _cell(d).update(value=1.5),
    "an object for a list": lambda d: d["applications"].update(rows={"0": 1}),
    "a list for an object": lambda d: d["applications"]["rows"][0]["cells"].__setitem__(0, [1]),
    "a string for a list": lambda d: d.update(template_evidence="2021"),
    "an int in a list of strings": lambda d: d.update(template_evidence=[2021]),
    "a box of three": lambda d: _cell(d).update(origin=dict(page=1, bbox=[1, 2, 3], table=None, row=None, column=None)),
}


@pytest.mark.parametrize("name", BREAKS)
def test_anything_else_is_refused_and_left_to_the_converter(reports: list[Report], name: str) -> None:
    data = _body(reports[0])
    BREAKS[name](data)
    with pytest.raises((Refused, ValueError, KeyError, TypeError)):
        serialize._report_in(copy.deepcopy(data))


def test_a_field_left_at_its_default_is_still_read(reports: list[Report]) -> None:
    # the generated function refuses it (not as to_json writes it); the converter takes it
    data = _body(reports[0])
    for table in ("disclosure", "applications", "appeals"):
        for row in data[table]["rows"]:
            for cell in row["cells"]:
                del cell["origin"]
    assert govreport.from_dict(data) == reports[0]


def test_a_refused_input_gets_the_converters_message(reports: list[Report]) -> None:
    data = _body(reports[0])
    _cell(data)["span"]["line"] = "3"
    with pytest.raises(govreport.DeserializationError) as caught:
        govreport.from_dict(data)
    assert caught.value.errors == ("invalid value for type, expected int @ $.applications.rows[0].cells[0].span.line",)


@attrs.frozen
class _WithDict:
    counts: dict[str, int]


@attrs.frozen
class _KeywordOnly:
    name: str = attrs.field(kw_only=True)


@pytest.mark.parametrize("cls", [_WithDict, _KeywordOnly])
def test_an_unknown_field_is_an_error_when_built(cls: type) -> None:
    with pytest.raises(TypeError, match="jsoncodec"):
        Codec({}).structure(cls)


def test_a_class_that_holds_itself() -> None:
    codec = Codec({})
    section = govreport.Section("一、", "总体情况", subsections=(govreport.Section("(一)", "x", level=2),))
    written = codec.unstructure(govreport.Section)(section)
    assert written["subsections"][0]["heading"] == "x"
    assert codec.structure(govreport.Section)(written) == section
    span = {"line": 1, "column": 2, "end_line": 1, "end_column": 3, "start": 1, "end": 2}
    assert codec.structure(Span)(span) == Span(1, 2, 1, 3, 1, 2)
