"""A file format whose reader takes as long as the file says: a file that holds its worker.

A ``.slow`` file is ``%SLOW <seconds>`` on its first line, then a report's text: reading it
sleeps that long, then gives the text back.  It stands for any reader stuck on a hostile
file (a quadratic pattern, a decompression bomb) in the tests of the time limit per file.
``register_reader(SLOW)`` registers it in this process, and in the worker processes forked
after it.  Run as a script, this is the ``govreport`` command with the format registered:
``python tests/slow_reader.py export DIR -o table.csv --timeout 1``.
"""

from __future__ import annotations

import time

from govreport import Extracted, Reader, Source
from govreport.readers import Content

MAGIC = b"%SLOW "


def slow_file(seconds: float, text: bytes) -> bytes:
    return MAGIC + f"{seconds:g}\n".encode() + text


def read_slowly(content: Content) -> Extracted:
    first, _, text = content.data.removeprefix(MAGIC).partition(b"\n")
    time.sleep(float(first))
    return Extracted(text.decode("utf-8"), Source("slow", content.name))


SLOW = Reader("slow", read_slowly, extensions=(".slow",), magic=MAGIC)

if __name__ == "__main__":
    from govreport import register_reader
    from govreport.cli import run

    register_reader(SLOW)
    run()
