"""The transcripts in docs/cli.md are real: each command is run again and every line the page
shows (``...`` stands for lines left out) must come out, in that order.

The folder ``reports/`` of the page holds hzq2023.txt, kewei-2024.md and a menu.txt that is no
report; the commands run in a folder that has it and ``tests/data``.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs/cli.md"
RUN = {
    "govreport show tests/data/external/hzq2023.txt",
    "govreport show tests/data/external/hzq2023.txt --lang en",
    "govreport check reports/",
    "govreport check reports/hzq2023.txt --lang en -q",
    "govreport export reports/ -o table.csv",
    "govreport export reports/ -o table.csv --lang en",
}


def _transcripts() -> dict[str, list[str]]:
    """``{command: the lines shown after it}`` for the commands in ``RUN``."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        if line.startswith("$ "):
            command = line[2:].strip()
            current = found.setdefault(command, []) if command in RUN else None
        elif line.startswith("```"):
            current = None
        elif current is not None:
            current.append(line)
    return found


def test_every_transcript_run_here_is_on_the_page() -> None:
    assert set(_transcripts()) == RUN


@pytest.mark.parametrize("command", sorted(RUN))
def test_the_transcript_matches_a_real_run(command: str, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    for source in ("external/hzq2023.txt", "corpus/kewei-2024.md"):
        (reports / Path(source).name).write_bytes((ROOT / "tests/data" / source).read_bytes())
    (reports / "menu.txt").write_text("首页 新闻 联系我们\n", encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/data").symlink_to(ROOT / "tests/data")
    args = [sys.executable, "-m", "govreport", *shlex.split(command)[1:], "-j", "1"]
    env = {k: v for k, v in os.environ.items() if k != "GOVREPORT_LANG"}
    result = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)
    produced = [" ".join(line.split()) for line in (result.stdout + result.stderr).splitlines()]
    position = 0
    for shown in _transcripts()[command]:
        if shown.strip() in ("...", "") or shown.startswith("$ "):
            continue
        wanted = " ".join(shown.split())
        assert wanted in produced[position:], f"docs/cli.md, after $ {command}: {shown!r} not in the output"
        position = produced.index(wanted, position) + 1
