"""Hostile files and paths for ``parse_file``, built at test time (nothing big is committed).

PDFs are written as raw PDF syntax (objects, a cross-reference table with their offsets),
so a 2,000-page document costs a few hundred kilobytes and no PDF library.  The encrypted
ones use the standard security handler of PDF 1.4 (revision 2: RC4 with a 40-bit key,
ISO 32000-1 §7.6.3), written out here: anything that reads PDFs must open them.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Sequence
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
REAL_PDF = DATA / "external" / "szfgs2024.pdf"  # 6 pages: text on 1-3, the tables on 3-5
DEV_ZERO = "/dev/zero"

_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
# The padding string of the standard security handler (Algorithm 2).
_PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")


def pdf(pages: Sequence[bytes], *, extra: Sequence[bytes] = (), trailer: bytes = b"") -> bytes:
    """A PDF whose pages draw the given content streams in Helvetica (font ``/F1``): objects 1-3
    are the catalog, the page tree and the font, each page and its stream follow, then ``extra``
    (numbered on from there); ``trailer`` goes into the trailer dictionary."""
    count = len(pages)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        _FONT,
    ]
    for i, stream in enumerate(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i)
        )
        objects.append(_stream(stream))
    return _assemble([*objects, *extra], trailer)


def text_page(*lines: str) -> bytes:
    """A content stream printing ASCII lines top to bottom."""
    shown = b"".join(b"(%s) Tj 0 -16 Td " % line.encode("ascii") for line in lines)
    return b"BT /F1 12 Tf 72 770 Td " + shown + b"ET"


def many_pages_pdf(count: int) -> bytes:
    """A PDF of ``count`` pages, each printing one short line: a few hundred bytes a page."""
    return pdf([text_page(f"Page {n} 12345") for n in range(1, count + 1)])


def encrypted_pdf(user_password: str, lines: Sequence[str] = ("Encrypted 2024", "Total 42")) -> bytes:
    """A one-page PDF encrypted with RC4-40 (revision 2).  With the empty user password any
    reader opens it without asking; with another, it needs that password."""
    ident = hashlib.md5(b"govreport hostile").digest()
    permissions = -44  # print, copy and the rest: bits 1-2 and 7-8 clear, as the standard wants
    owner_key = hashlib.md5(_padded("owner")).digest()[:5]
    owner = _rc4(owner_key, _padded(user_password))
    key = hashlib.md5(_padded(user_password) + owner + permissions.to_bytes(4, "little", signed=True) + ident).digest()[
        :5
    ]
    user = _rc4(key, _PAD)
    content = text_page(*lines)
    page_stream = 5  # the object number of the page's content stream in ``pdf``
    object_key = hashlib.md5(key + page_stream.to_bytes(3, "little") + b"\0\0").digest()[:10]
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (
        owner.hex().encode(),
        user.hex().encode(),
        permissions,
    )
    ids = b"/Encrypt 6 0 R /ID [<%s> <%s>]" % ((ident.hex().encode(),) * 2)
    return pdf([_rc4(object_key, content)], extra=[encrypt], trailer=ids)


def damaged_stream_pdf() -> bytes:
    """A PDF whose page content is deflated with a wrong checksum: pdfminer reads the text but
    logs ``Data-loss while decompressing corrupted data``."""
    content = text_page("Damaged 2024", "Total 7")
    packed = bytearray(zlib.compress(content))
    packed[-1] ^= 0xFF  # the Adler-32 checksum's last byte
    return pdf([bytes(packed)]).replace(
        b"/Length %d >>" % len(packed), b"/Length %d /Filter /FlateDecode >>" % len(packed), 1
    )


def truncated_pdf(fraction: float = 0.8, source: Path = REAL_PDF) -> bytes:
    """A real report's PDF cut after ``fraction`` of its bytes, as a download cut short."""
    data = source.read_bytes()
    return data[: int(len(data) * fraction)]


def fifo(folder: Path, name: str = "report.pdf") -> Path:
    """A named pipe nobody writes to: opening it for reading blocks until a writer comes."""
    path = folder / name
    os.mkfifo(path)
    return path


def nul_path(folder: Path) -> str:
    """A path with a NUL byte, which no file name can hold (``open`` raises ``ValueError``)."""
    return str(folder / "report\0.pdf")


def bytes_path(path: Path = REAL_PDF) -> bytes:
    """A path as bytes, as ``os.fsencode`` or ``os.listdir(b".")`` gives it."""
    return os.fsencode(path)


# ----------------------------------------------------------------- writing PDF syntax


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _assemble(objects: Sequence[bytes], trailer: bytes) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, trailer, start)
    return bytes(out)


def _padded(password: str) -> bytes:
    return (password.encode("latin-1") + _PAD)[:32]


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)
