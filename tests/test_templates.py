"""Template years: the 2019 variants, extra rows, and templates registered by users."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import read_text

import govreport

ROOT = Path(__file__).resolve().parent.parent
SEED_001 = "seeds/001_29ed77745b82a4d4.txt"


def test_extension_example_runs_through_the_public_api() -> None:
    script = ROOT / "examples" / "custom_template" / "run.py"
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # Values read from examples/custom_template/sample_report_2027.txt.
    assert "template: 2027" in out
    assert "本年办结决定数量: 12" in out
    assert "6.无法联系到申请人 总计: 2" in out
    assert "diagnostics: 0 | failed checks: 0" in out
    assert "registered: 2019, 2021, 2027" in out


def test_agency_added_row_is_kept_as_an_extra_row() -> None:
    text = read_text(SEED_001).replace("规范性文件\t0\t0\t0\n", "规范性文件\t0\t0\t0\n其他主动公开文件\t56\t45\t12\n")
    report = govreport.parse(text)
    extra = report.disclosure.row("extra.1")
    assert extra.standard is False
    assert extra.label == "其他主动公开文件"
    assert extra.values() == {"made": 56, "published": 45, "total_published": 12}
    assert report.disclosure.normative_documents.values() == {"made": 0, "published": 0, "total_published": 0}
    assert any(d.code == "extra-row" and "其他主动公开文件" in d.raw for d in report.diagnostics)
    assert not any(k.startswith("disclosure.extra") for k in govreport.flatten(report))


def test_fill_note_in_a_label_keeps_the_standard_row() -> None:
    text = read_text(SEED_001).replace("规章\t0\t0\t0", "规章(县级无此项)\t1\t2\t3")
    report = govreport.parse(text)
    assert report.disclosure.regulations.values() == {"made": 1, "published": 2, "total_published": 3}
    assert report.disclosure.regulations.label == "规章(县级无此项)"
    assert any(d.code == "label-note" and d.raw == "规章(县级无此项)" for d in report.diagnostics)


def test_2019_signed_change_and_procurement_unit() -> None:
    text = read_text(SEED_001)
    text = text.replace("行政许可\t0\t0\t0", "行政许可\t120\t-417\t36")
    text = text.replace("其他对外管理服务事项\t0\t0\t0", "其他对外管理服务事项\t5\t未增未减\t1")
    text = text.replace("政府集中采购\t0\t0", "政府集中采购\t3\t251000元")
    report = govreport.parse(text)
    assert report.disclosure.licensing.values() == {"previous": 120, "change": -417, "decisions": 36}
    assert report.disclosure.other_services.change == 0
    assert report.disclosure.other_services.cell("change").raw == "未增未减"
    amount = report.disclosure.procurement.cell("amount")
    assert (str(amount.value), amount.unit, amount.raw) == ("251000", "元", "251000元")


def test_forcing_a_template() -> None:
    report = govreport.parse(read_text(SEED_001), template="2021")
    assert report.template == "2021"
    assert report.template_evidence == ("forced: parse(template='2021')",)


def test_register_template_errors(tmp_path: Path) -> None:
    with pytest.raises(govreport.TemplateDefinitionError, match="not found"):
        govreport.register_template(tmp_path / "nope.lark")
    bad = tmp_path / "template_bad.lark"
    bad.write_text("start: FOO\n", encoding="utf-8")
    (tmp_path / "template_bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(govreport.TemplateDefinitionError, match="cannot read"):
        govreport.register_template(bad)
    (tmp_path / "template_bad.json").write_text('{"name": "bad"}', encoding="utf-8")
    with pytest.raises(govreport.TemplateDefinitionError, match="invalid template data"):
        govreport.register_template(bad)
