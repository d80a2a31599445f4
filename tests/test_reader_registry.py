"""Input formats come from one registry: a reader registered from outside is detected by
content, parsed by ``parse_file``, picked up by the command's folder scan, and removed again.

The made-up format is ``FAKE1\\n`` followed by a report's text in UTF-8.  The values checked
are those printed in tests/data/external/hzq2024.txt (淮安市洪泽区人民政府 2024).
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DATA

import govreport
import govreport.cli
import govreport.files
from govreport import Extracted, Reader, Source, register_reader, unregister_reader
from govreport.readers import Content, get_reader, kinds, sniff, zip_members

MAGIC = b"FAKE1\n"
REPORT = DATA / "external/hzq2024.txt"
SCRIPT = Path(sys.executable).with_name("govreport")

# Read by hand from the text of REPORT.
PRINTED = {
    "meta.agency": "淮安市洪泽区人民政府",
    "meta.year": 2024,
    "disclosure.normative_documents.issued": 3,
    "disclosure.normative_documents.repealed": 0,
    "disclosure.normative_documents.in_force": 8,
    "disclosure.licensing.decisions": 9487,
    "disclosure.penalty.decisions": 2776,
    "disclosure.coercion.decisions": 84,
    "disclosure.fees.amount": Decimal("7545"),
    "applications.new.natural_person": 95,
    "applications.new.total": 95,
    "applications.granted.natural_person": 50,
    "applications.granted.total": 50,
}


def read_fake(content: Content) -> Extracted:
    return Extracted(content.data.removeprefix(MAGIC).decode("utf-8"), Source("fake", content.name))


FAKE = Reader("fake", read_fake, title="fake format", extensions=(".FAKE",), magic=MAGIC, grid=False)


def fake_file() -> bytes:
    return MAGIC + REPORT.read_bytes()


@pytest.fixture
def fake() -> Iterator[Reader]:
    register_reader(FAKE)
    try:
        yield FAKE
    finally:
        unregister_reader("fake")


def assert_printed_values(report: govreport.Report) -> None:
    flat = govreport.flatten(report)
    assert {key: flat[key] for key in PRINTED} == PRINTED


# ----------------------------------------------------------------- detection and reading


def test_a_registered_reader_is_sniffed_by_content(fake: Reader, tmp_path: Path) -> None:
    assert sniff(fake_file()) == "fake"
    assert govreport.read_file(fake_file()).source == Source("fake", "<bytes>")
    misnamed = tmp_path / "report.txt"  # the content decides, not the name
    misnamed.write_bytes(fake_file())
    assert govreport.read_file(misnamed).source == Source("fake", str(misnamed))
    plain = tmp_path / "plain.fake"
    plain.write_bytes(REPORT.read_bytes())
    assert govreport.read_file(plain).source == Source("text", str(plain), encoding="utf-8")


def test_parse_file_reads_the_registered_format(fake: Reader, tmp_path: Path) -> None:
    path = tmp_path / "hzq2024.fake"
    path.write_bytes(fake_file())
    report = govreport.parse_file(path)
    assert report.source == Source("fake", str(path))
    assert_printed_values(report)
    assert_printed_values(govreport.parse_file(fake_file(), kind="fake"))


def test_kinds_follow_the_registry(fake: Reader) -> None:
    assert kinds() == ("text", "html", "pdf", "docx", "doc", "ofd", "fake")
    assert govreport.readers.KINDS == kinds()
    from govreport.readers import KINDS

    assert KINDS == kinds()
    with pytest.raises(ValueError, match="unknown kind 'bogus'; expected one of text, html, pdf, docx, doc, ofd, fake"):
        govreport.read_file(fake_file(), kind="bogus")


def test_unregistering_removes_the_format() -> None:
    reader = register_reader(FAKE)
    assert unregister_reader("fake") is reader
    assert "fake" not in kinds()
    assert govreport.read_file(fake_file()).source == Source("text", "<bytes>", encoding="utf-8")
    with pytest.raises(ValueError, match=r"expected one of text, html, pdf, docx, doc, ofd$"):
        govreport.read_file(fake_file(), kind="fake")
    with pytest.raises(ValueError, match="unknown kind 'fake'"):
        unregister_reader("fake")


def test_the_reader_says_whether_its_tables_are_grids(fake: Reader, monkeypatch: pytest.MonkeyPatch) -> None:
    grids: list[bool] = []

    def spy(text: str, **options: object) -> govreport.Report:
        grids.append(bool(options["grid"]))
        return govreport.parse(text, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(govreport.files, "parse", spy)
    govreport.parse_file(fake_file())
    register_reader(Reader("fake", read_fake, magic=MAGIC))  # replaces FAKE, with grid=True
    govreport.parse_file(fake_file())
    assert grids == [False, True]


# ----------------------------------------------------------------- order and ZIP-based formats


def test_registration_order_is_sniffing_order() -> None:
    early_pdf = Reader("early", read_fake, magic=b"%PDF-FAKE")
    data = b"%PDF-FAKE\n" + REPORT.read_bytes()
    register_reader(early_pdf)
    try:
        assert sniff(data) == "pdf"  # the shipped PDF test comes first
        register_reader(early_pdf, before="pdf")
        assert kinds() == ("text", "html", "early", "pdf", "docx", "doc", "ofd")
        assert sniff(data) == "early"
    finally:
        unregister_reader("early")
    assert kinds() == ("text", "html", "pdf", "docx", "doc", "ofd")


def test_a_kind_registered_again_is_replaced_in_place() -> None:
    shipped = get_reader("pdf")
    register_reader(Reader("pdf", read_fake, sniff=lambda data: data.startswith(b"%PDF-")))
    try:
        assert kinds() == ("text", "html", "pdf", "docx", "doc", "ofd")
        extracted = govreport.read_file(b"%PDF-" + REPORT.read_bytes())
        assert extracted.source.kind == "fake" and extracted.text.startswith("%PDF-淮安市洪泽区人民政府")
    finally:
        register_reader(shipped)
    assert get_reader("pdf") is shipped


def xps_like(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def read_xps_like(content: Content) -> Extracted:
    with zipfile.ZipFile(io.BytesIO(content.data)) as archive:
        text = archive.read("Doc_0/report.txt").decode("utf-8")
    return Extracted(text, Source("xps", content.name))


def test_a_zip_based_format_is_claimed_before_zips_are_refused() -> None:
    """XPS is a ZIP archive too: a ZIP that a registered reader claims is not 'not a Word document'."""
    xps = Reader("xps", read_xps_like, sniff=lambda data: "FixedDocumentSequence.fdseq" in zip_members(data))
    data = xps_like({"FixedDocumentSequence.fdseq": b"<Seq/>", "Doc_0/report.txt": REPORT.read_bytes()})
    with pytest.raises(govreport.UnreadableFileError, match="not a Word"):
        govreport.parse_file(data)
    register_reader(xps)
    try:
        assert sniff(data) == "xps"
        assert sniff(xps_like({"word/document.xml": b"<w:document/>"})) == "docx"
        with pytest.raises(govreport.UnreadableFileError, match="not a Word"):
            govreport.parse_file(xps_like({"data.csv": b"1,2,3"}))
        report = govreport.parse_file(data)
        assert report.source == Source("xps", "<bytes>")
        assert_printed_values(report)
    finally:
        unregister_reader("xps")


def test_zip_members() -> None:
    assert zip_members(xps_like({"OFD.xml": b"", "Doc_0/a": b""})) == {"OFD.xml", "Doc_0/a"}
    assert zip_members(b"PK\x03\x04 damaged") == frozenset()
    assert zip_members(b"not a zip") == frozenset()


# ----------------------------------------------------------------- extras, calling errors


@pytest.mark.parametrize("module", ["needs_a_library", "not_installed_plugin_module"])
def test_a_reader_whose_extra_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str) -> None:
    (tmp_path / "needs_a_library.py").write_text("import govreport_test_no_such_library\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    register_reader(Reader("needy", f"{module}:read", title="needy files", magic=b"NEEDY1\n", extra="ofd"))
    try:
        with pytest.raises(govreport.MissingExtraError, match=r"pip install 'govreport\[ofd\]'") as info:
            govreport.parse_file(b"NEEDY1\n" + REPORT.read_bytes())
        assert info.value.extra == "ofd" and isinstance(info.value, ImportError)
        assert str(info.value).startswith("reading needy files needs the optional dependency")
        register_reader(Reader("needy", f"{module}:read", magic=b"NEEDY1\n"))  # no extra: a plain ImportError
        with pytest.raises(ImportError) as plain:
            govreport.parse_file(b"NEEDY1\n")
        assert not isinstance(plain.value, govreport.MissingExtraError)
    finally:
        unregister_reader("needy")


def test_reader_records_are_checked() -> None:
    assert Reader("x", read_fake, extensions=("PDF", ".Fake")).extensions == (".pdf", ".fake")
    assert Reader("x", read_fake, extensions=".x").extensions == (".x",)
    assert Reader("x", read_fake, magic=b"X").magic == (b"X",)
    assert Reader("x", read_fake).title == "x"
    with pytest.raises(ValueError, match=r"package\.module:function"):
        Reader("x", "no_function_named")
    with pytest.raises(ValueError, match="kind"):
        Reader("", read_fake)
    with pytest.raises(TypeError):
        register_reader("pdf")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown kind 'nope'"):
        register_reader(Reader("x", read_fake), before="nope")
    assert "x" not in kinds()


# ----------------------------------------------------------------- the command line


def test_folder_scan_takes_the_registered_extensions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.fake").write_bytes(fake_file())
    (tmp_path / "b.txt").write_bytes(REPORT.read_bytes())
    assert govreport.cli.expand_inputs([str(tmp_path)]) == [str(tmp_path / "b.txt")]
    register_reader(FAKE)
    try:
        assert govreport.cli.expand_inputs([str(tmp_path)]) == [str(tmp_path / "a.fake"), str(tmp_path / "b.txt")]
        with pytest.raises(SystemExit):
            govreport.cli.main(["export", "--help"])
        help_text = " ".join(capsys.readouterr().out.split())
        formats = "(text or Markdown, HTML, PDF, Word .docx, Word 97 .doc or WPS .wps, OFD, fake format)"
        assert formats in help_text and ".fake" in help_text
    finally:
        unregister_reader("fake")


PLUGIN = """
from govreport import Extracted, Reader, Source

READER = Reader(
    "fake", "fake_govreport_plugin:read_fake", title="fake format", extensions=(".fake",), magic=b"FAKE1\\n"
)


def read_fake(content):
    return Extracted(content.data[len(b"FAKE1\\n"):].decode("utf-8"), Source("fake", content.name))
"""


def install_plugin(site: Path) -> None:
    """A package on ``site`` that declares the fake reader as an entry point, and a broken one."""
    site.mkdir()
    (site / "fake_govreport_plugin.py").write_text(PLUGIN, encoding="utf-8")
    info = site / "fake_govreport_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-govreport-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[govreport.readers]\nfake = fake_govreport_plugin:READER\nbroken = fake_govreport_plugin:NOTHING\n"
    )


def export(folder: Path, table: Path, site: Path | None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if site is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
    return subprocess.run(
        [str(SCRIPT), "export", str(folder), "-o", str(table), "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=env,
    )


def test_an_installed_plugin_is_read_by_the_command(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "hzq2024.fake").write_bytes(fake_file())
    (folder / "seed.txt").write_bytes((DATA / "seeds/000_bfa6ed85e05c204a.txt").read_bytes())
    (folder / "hzq2024.xyz").write_bytes(fake_file())  # no reader names .xyz: not scanned
    site = tmp_path / "site"
    install_plugin(site)

    result = export(folder, tmp_path / "with.csv", site)
    assert result.returncode == 0, result.stderr
    assert "reader plugin 'broken'" in result.stderr  # left out with a warning; the rest works
    with open(tmp_path / "with.csv", encoding="utf-8-sig", newline="") as handle:
        rows = {Path(row["file"]).name: row for row in csv.DictReader(handle)}
    assert sorted(rows) == ["hzq2024.fake", "seed.txt"]
    fake_row = rows["hzq2024.fake"]
    assert fake_row["error"] == ""
    assert {key: fake_row[key] for key in PRINTED} == {key: str(value) for key, value in PRINTED.items()}
    assert rows["seed.txt"]["disclosure.normative_documents.in_force"] == "24"  # printed: 行政规范性文件 8 9 24

    result = export(folder, tmp_path / "without.csv", None)
    assert result.returncode == 0, result.stderr
    with open(tmp_path / "without.csv", encoding="utf-8-sig", newline="") as handle:
        assert [Path(row["file"]).name for row in csv.DictReader(handle)] == ["seed.txt"]
