"""Word 97 (.doc), WPS (.wps) and OFD files: real-shaped samples parse to the values of their text."""

from __future__ import annotations

import io
import os
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import DATA, gold_cells, read_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from render_files import render_ofd
from strategies import flat_values, reports

import govreport
from govreport import Report
from govreport.readers import MissingToolError, ole_has_stream, sniff

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The samples were made by tests/data/make_samples.py from the texts their gold files describe.
WORD97 = [
    ("samples/szfgs2024.doc", "external/szfgs2024.json"),
    ("samples/luoyang2022.wps", "gold/000_bfa6ed85e05c204a.json"),
]


# The .doc/.wps reader converts with LibreOffice, a Debian package, not a pip one.  The README's
# test command skips these tests on a machine without it (saying so); CI installs it and sets
# GOVREPORT_REQUIRE_TOOLS=1, so there they cannot be skipped.
needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("GOVREPORT_REQUIRE_TOOLS"),
    reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)",
)


@needs_soffice
@pytest.mark.parametrize(("sample", "gold"), WORD97)
def test_word97_sample_parses_to_the_gold_values(sample: str, gold: str) -> None:
    report = govreport.parse_file(DATA / sample)
    assert govreport.flatten(report, meta=False) == gold_cells(gold)
    assert [str(d) for d in report.diagnostics] == []
    assert report.source == govreport.Source("doc", str(DATA / sample))


@needs_soffice
def test_word97_tables_are_grid_rows() -> None:
    """LibreOffice keeps the merged cells: the lower rows of 三、本年度办理结果 start with its empty cell."""
    lines = govreport.read_file(DATA / "samples/szfgs2024.doc").text.splitlines()
    assert "一、本年新收政府信息公开申请数量\t\t\t3001\t53\t0\t0\t61\t4\t3119" in lines
    assert "\t\t8.属于行政查询事项\t105\t0\t0\t0\t0\t0\t105" in lines


@needs_soffice
def test_kind_is_told_from_the_content_not_the_name(tmp_path: Path) -> None:
    ofd = render_ofd(govreport.parse(read_text("external/szfgs2024.txt")))
    for data, kind in [((DATA / "samples/luoyang2022.wps").read_bytes(), "doc"), (ofd, "ofd")]:
        path = tmp_path / f"report-{kind}"  # no extension
        path.write_bytes(data)
        assert sniff(data) == kind
        assert govreport.parse_file(path).source == govreport.Source(
            kind, str(path), pages=4 if kind == "ofd" else None
        )


def test_doc_without_libreoffice_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on it
    with pytest.raises(MissingToolError, match=r"apt-get install libreoffice-writer-nogui") as info:
        govreport.parse_file(DATA / "samples/szfgs2024.doc")
    assert isinstance(info.value, govreport.MissingExtraError) and isinstance(info.value, ImportError)
    assert info.value.program == "soffice"


@pytest.mark.parametrize(
    ("module", "sample", "extra"),
    [pytest.param("docx", "doc", "doc", marks=needs_soffice), ("defusedxml", "ofd", "ofd")],
)
def test_missing_extra_names_the_pip_command(
    monkeypatch: pytest.MonkeyPatch, module: str, sample: str, extra: str
) -> None:
    data = (
        (DATA / "samples/szfgs2024.doc").read_bytes()
        if sample == "doc"
        else render_ofd(govreport.parse(read_text("external/hzq2024.txt")))
    )
    monkeypatch.setitem(sys.modules, module, None)
    monkeypatch.setitem(sys.modules, module + ".ElementTree", None)
    with pytest.raises(govreport.MissingExtraError, match=rf"pip install 'govreport\[{extra}\]'"):
        govreport.parse_file(data)


@pytest.mark.skipif(not os.environ.get("GOVREPORT_REQUIRE_TOOLS"), reason="only where the tools are required (CI)")
def test_soffice_is_found_for_the_doc_tests() -> None:
    """CI installs LibreOffice (apt-get install libreoffice-writer-nogui): the .doc tests need it."""
    assert shutil.which("soffice") is not None


# ----------------------------------------------------------------- OLE directory


def ole_with_stream(name: str, offset: int = 1024) -> bytes:
    entry = name.encode("utf-16-le").ljust(64, b"\0") + ((len(name) + 1) * 2).to_bytes(2, "little") + b"\x02"
    data = bytearray(OLE + bytes(offset - len(OLE) + 128))
    data[offset : offset + len(entry)] = entry
    return bytes(data)


def test_ole_streams_are_read_from_the_directory_entries() -> None:
    assert ole_has_stream(ole_with_stream("WordDocument"), "WordDocument")
    assert not ole_has_stream(ole_with_stream("Workbook"), "WordDocument")
    assert not ole_has_stream(ole_with_stream("WordDocument", offset=1030), "WordDocument")  # not an entry
    assert not ole_has_stream(b"PK\x03\x04" + ole_with_stream("WordDocument")[8:], "WordDocument")


def test_an_excel_workbook_is_refused_with_what_it_is() -> None:
    with pytest.raises(govreport.UnreadableFileError, match="holds no Word document"):
        govreport.parse_file(ole_with_stream("Workbook"))


def test_a_damaged_word97_file_is_a_govreport_error() -> None:
    data = (DATA / "samples/szfgs2024.doc").read_bytes()
    with pytest.raises(govreport.UnreadableFileError, match="LibreOffice could not convert"):
        govreport.parse_file(damaged(data))


def damaged(data: bytes) -> bytes:
    """The header and the directory sector kept, everything else zeroed: still an OLE Word file by its directory."""
    entry = data.index("WordDocument".encode("utf-16-le"))
    sector = entry - entry % 512
    return data[:512] + bytes(sector - 512) + data[sector : sector + 512] + bytes(len(data) - sector - 512)


# ----------------------------------------------------------------- OFD

FILES = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_ofd_of_a_real_report_parses_to_the_gold_values() -> None:
    report = govreport.parse_file(render_ofd(govreport.parse(read_text("external/szfgs2024.txt"))))
    assert govreport.flatten(report, meta=False) == gold_cells("external/szfgs2024.json")
    # The prose is wrapped into page lines, as in a PDF: a line such as "结果纠正 64 件，其他结果 178 件，尚"
    # begins like a column header of table 四 and is reported, never read as values.
    assert {d.code for d in report.diagnostics} <= {"unplaced-value"}
    assert report.source == govreport.Source("ofd", "<bytes>", pages=4)


@FILES
@given(st.sampled_from(("2021", "2019")).flatmap(lambda template: reports(template, allow_blank=True)))
def test_ofd_gives_every_value_back(report: Report) -> None:
    parsed = govreport.parse_file(render_ofd(report))
    assert govreport.flatten(parsed, meta=False) == flat_values(report)
    assert parsed.template == report.template


def ofd_with_page(content: str) -> bytes:
    """A one-page OFD whose page is ``content``."""
    good = render_ofd(govreport.parse(read_text("external/hzq2024.txt")))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = content.encode() if item.filename.endswith("Page_0/Content.xml") else source.read(item)
            archive.writestr(item.filename, data)
    return out.getvalue()


def test_ofd_xml_bomb_is_refused() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><p>&c;</p>'
    )
    with pytest.raises(govreport.UnreadableFileError, match=r"bad XML in Doc_0/Pages/Page_0/Content\.xml"):
        govreport.parse_file(ofd_with_page(bomb))


def test_ofd_zip_bomb_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from govreport.readers import ofd

    monkeypatch.setattr(ofd, "MAX_XML_BYTES", 10_000)
    with pytest.raises(govreport.UnreadableFileError, match="more than 10,000 bytes"):
        govreport.parse_file(ofd_with_page("<p>" + " " * 1_000_000 + "</p>"))


def test_ofd_with_too_many_pages_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from govreport.readers import ofd

    monkeypatch.setattr(ofd, "MAX_PAGES", 2)
    with pytest.raises(govreport.UnreadableFileError, match="of 3 pages, more than 2"):
        govreport.parse_file(render_ofd(govreport.parse(read_text("external/hzq2024.txt"))))


def test_deeply_nested_ofd_page_is_read() -> None:
    depth = 50_000
    page = "<Page>" + "<PageBlock>" * depth + "</PageBlock>" * depth + "</Page>"
    with pytest.raises(govreport.NotAReportError):  # read (nothing from that page), not a crash
        govreport.parse_file(ofd_only(page))


def ofd_only(page: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("OFD.xml", "<OFD><DocBody><DocRoot>Doc_0/Document.xml</DocRoot></DocBody></OFD>")
        archive.writestr(
            "Doc_0/Document.xml", '<Document><Pages><Page BaseLoc="Pages/P/Content.xml"/></Pages></Document>'
        )
        archive.writestr("Doc_0/Pages/P/Content.xml", page)
    return out.getvalue()


def test_ofd_without_its_document_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("OFD.xml", "<OFD><DocBody/></OFD>")
    with pytest.raises(govreport.UnreadableFileError, match="names no document"):
        govreport.parse_file(out.getvalue())
