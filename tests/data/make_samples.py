"""Make the Word 97 (.doc) and WPS (.wps) samples in tests/data/samples/ from real report texts.

    python tests/data/make_samples.py      # needs python-docx and LibreOffice (soffice)

Each report text is parsed, printed as a .docx by ``tests/render_files.render_docx`` (the
official grids, merged cells merged), and converted by LibreOffice: to Word 97 with
``--convert-to doc``, and to .wps with ``--convert-to wps``, which LibreOffice writes with
its "MS Word 97" filter, as WPS Office writes its own .wps files (an OLE2 compound file
holding a ``WordDocument`` stream).  The binaries are committed, so the tests need only
the reader's own dependencies, not this script.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DATA = Path(__file__).resolve().parent
sys.path.insert(0, str(DATA.parent))

from render_files import render_docx  # noqa: E402

import govreport  # noqa: E402

SAMPLES = {  # sample -> the report text it prints
    "samples/szfgs2024.doc": "external/szfgs2024.txt",
    "samples/luoyang2022.wps": "seeds/000_bfa6ed85e05c204a.txt",
}


def main() -> None:
    soffice = shutil.which("soffice") or sys.exit("make_samples: LibreOffice (soffice) is not installed")
    for sample, source in SAMPLES.items():
        report = govreport.parse((DATA / source).read_text(encoding="utf-8"))
        target = DATA / sample
        with tempfile.TemporaryDirectory() as work:
            docx = Path(work) / "report.docx"
            docx.write_bytes(render_docx(report))
            profile = (Path(work) / "profile").as_uri()
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--convert-to",
                    target.suffix[1:],
                    "--outdir",
                    work,
                    str(docx),
                ],
                check=True,
                capture_output=True,
            )
            target.write_bytes((Path(work) / ("report" + target.suffix)).read_bytes())
        print(f"make_samples: {sample} ({target.stat().st_size:,} bytes) from {source}", file=sys.stderr)


if __name__ == "__main__":
    main()
