"""Label words printed in Taiwan/HK wording (mirror sites) are read as the national labels.

A mirror site that converts a report to Taiwan usage prints 行政規範性檔案 for 行政规范性文件
and 政府資訊 for 政府信息; a crawler dump converted back to Simplified characters prints
规范性档案, 政府资讯.  grammars/label_variants.json maps these label phrases (and only
them) to the national ones; the report reads the same values as the original.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import govreport.normalize as normalize_module
from govreport import parse
from govreport.errors import TemplateError
from govreport.flatten import flatten
from govreport.normalize import OffsetMap, national_labels, normalize, variant_phrases

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent
SEED = (DATA / "seeds" / "000_bfa6ed85e05c204a.txt").read_text(encoding="utf-8")

# The seed's labels as a Taiwan-usage mirror prints them, in Simplified characters (what a
# dump converted back character by character holds).  Written by hand, not by a converter.
TAIWAN_WORDS_SIMPLIFIED = {
    "行政规范性文件": "行政规范性档案",
    "信息内容": "资讯内容",
    "政府信息": "政府资讯",
    "没有现成信息": "没有现成资讯",
    "三类内部事务信息": "三类内部事务资讯",
    "四类过程性信息": "四类过程性资讯",
    "已获取信息": "已获取讯息",
    "本列数据": "本列资料",
}


def _rewrite(text: str, words: dict[str, str]) -> str:
    for national, variant in words.items():
        assert national in text, national
        text = text.replace(national, variant)
    return text


def _values(text: str) -> dict[str, object]:
    return flatten(parse(text, infer=False))


def _codes(text: str) -> list[str]:
    return [d.code for d in parse(text, infer=False).diagnostics]


def test_the_original_reads_every_row_without_variants() -> None:
    report = parse(SEED, infer=False)
    assert "label-variant" not in [d.code for d in report.diagnostics]
    assert report.cell("disclosure.normative_documents.issued").value == 8  # printed: 8 9 24
    assert report.cell("disclosure.normative_documents.in_force").value == 24


def test_simplified_taiwan_wording_reads_as_the_original() -> None:
    variant = _rewrite(SEED, TAIWAN_WORDS_SIMPLIFIED)
    assert "行政规范性档案\t8\t9\t24" in variant and "没有现成资讯" in variant
    assert _values(variant) == _values(SEED)
    report = parse(variant, infer=False)
    assert report.cell("disclosure.normative_documents.repealed").value == 9
    codes = [d.code for d in report.diagnostics]
    assert "row-missing" not in codes and "unplaced-value" not in codes


def test_simplified_taiwan_wording_needs_no_opencc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(normalize_module, "_converter", lambda config: None)
    variant = _rewrite(SEED, TAIWAN_WORDS_SIMPLIFIED)
    assert _values(variant) == _values(SEED)
    assert "traditional-text" not in _codes(variant)


def test_traditional_taiwan_wording_reads_as_the_original() -> None:
    opencc = pytest.importorskip("opencc")
    taiwan = opencc.OpenCC("s2twp").convert(SEED)  # what a Taiwan-usage mirror prints
    assert "行政規範性檔案" in taiwan and "沒有現成資訊需要另行製作" in taiwan and "資訊內容" in taiwan
    assert _values(taiwan) == _values(SEED)
    codes = _codes(taiwan)
    assert "traditional-text" in codes and "label-variant" in codes
    assert "row-missing" not in codes and "unplaced-value" not in codes


def test_the_diagnostic_points_at_the_printed_variant() -> None:
    text = "\n".join(
        [
            "二、主动公开政府信息情况",
            "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
            "规章\t1\t2\t3",
            "行政规范性档案\t4\t5\t6",
            "第二十条第（五）项",
            "信息内容\t本年处理决定数量",
            "行政许可\t7",
            "",
            "三、收到和处理政府信息公开申请情况",
        ]
    )
    report = parse(text, infer=False)
    assert report.cell("disclosure.normative_documents.issued").value == 4
    assert report.cell("disclosure.normative_documents.in_force").value == 6
    found = [d for d in report.diagnostics if d.code == "label-variant"]
    assert len(found) == 1 and found[0].severity == "info"
    assert (found[0].line, found[0].column, found[0].raw) == (4, 3, "规范性档案")
    assert "规范性文件" in found[0].message
    span = report.cell("disclosure.normative_documents.in_force").span
    assert span is not None and (span.line, span.column) == (4, 13)


def test_variants_outside_label_phrases_are_left_alone() -> None:
    prose = "本机关整理人事档案120卷,成立专案组,发布新闻资讯30条,专案数量3个。"
    text, offsets = normalize(prose)
    assert text == prose and offsets.label_variants == ()


def test_a_replacement_of_another_length_keeps_offsets() -> None:
    original = "甲\n乙网际网路丙\t7"
    text, mapping, found = national_labels(original, None, {"网际网路": "互联网"})
    assert text == "甲\n乙互联网丙\t7"
    assert [(f.start, f.end, f.variant, f.national) for f in found] == [(3, 7, "网际网路", "互联网")]
    offsets = OffsetMap(original, mapping)
    seven = text.index("7")
    span = offsets.span(seven, seven + 1)
    assert original[span.start : span.end] == "7" and (span.line, span.column) == (2, 8)
    bing = text.index("丙")
    assert original[offsets.span(bing, bing + 1).start] == "丙"
    replaced = offsets.span(text.index("互"), text.index("丙"))
    assert original[replaced.start : replaced.end] == "网际网路"


def _label_words() -> set[str]:
    """Every label the shipped templates and grammars print: row paths, columns, detection
    words, titles and the CJK words of the grammars' terminals."""
    words: set[str] = set()
    for path in sorted((ROOT / "grammars").glob("template_*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        words.add(data["title"])
        words.update(data["detect"])
        words.update(c["label"] for columns in data["columns"].values() for c in columns)
        words.update(part for t in data["tables"].values() for r in t["rows"] for part in r["path"].split(" / "))
    for path in sorted((DATA).glob("keys-*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                words.update(line.split("\t")[2].split(" / "))
    for path in sorted((ROOT / "grammars").glob("*.lark")):
        words.update(re.findall(r"[\u4e00-\u9fff]{2,}", path.read_text(encoding="utf-8")))
    return words


def test_every_label_that_taiwan_usage_rewrites_is_mapped_back() -> None:
    """The whole class: OpenCC's Taiwan phrase conversion (s2twp) changes 信息, 文件, 项目 and
    数据 in the labels; each label comes back from its Simplified-character form."""
    opencc = pytest.importorskip("opencc")
    to_taiwan, to_simplified = opencc.OpenCC("s2twp"), opencc.OpenCC("t2s")
    rewritten = 0
    for word in sorted(_label_words()):
        variant = to_simplified.convert(to_taiwan.convert(word))
        if variant == word or word in ("文件", "数据", "数据的"):  # grammar fragments, not whole labels
            continue
        rewritten += 1
        assert national_labels(variant, None)[0] == word, variant
    assert rewritten >= 15


def test_a_bad_variants_table_is_a_template_error() -> None:
    with pytest.raises(TemplateError, match="needs one"):
        variant_phrases({"words": [{"national": "信息", "variants": ["资讯"], "phrases": ["政府"]}]})
    with pytest.raises(TemplateError, match="label variants"):
        variant_phrases({"words": [{"national": "信息", "variants": "资讯", "phrases": ["政府{}"]}]})


def test_the_shipped_table_maps_only_to_label_words() -> None:
    phrases = normalize_module.shipped_variant_phrases()
    labels = "\n".join(sorted(_label_words())) + "\n本列数据的勾稽关系"  # APP_NOTE as printed
    for variant, national in phrases.items():
        assert variant != national
        assert len(variant) == len(national)  # these keep every column as printed
        assert national in labels, national
