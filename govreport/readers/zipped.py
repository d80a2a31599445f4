"""ZIP archives from the web (Word .docx, OFD), read within limits: a small file may inflate to gigabytes.

A part is inflated with a bounded read, never more than its limit plus one byte whatever
size the archive declares, and the bytes read from one archive are counted against a
total.  Before anything is inflated, a part whose declared size is over its limit, or
that declares more than ``MAX_RATIO`` times its compressed size (a ZIP bomb: documents
compress about ten times), is refused.  Each problem is an ``UnreadableFileError``.
"""

from __future__ import annotations

import io
import zipfile

from ..errors import UnreadableFileError

MAX_RATIO = 100  # inflated bytes per compressed byte; Apache POI's zip-bomb test uses the same
RATIO_GRACE = 1_000_000  # parts smaller than this are not held to MAX_RATIO (small XML compresses well)


class Archive:
    """The parts of one ZIP archive, read within ``max_part`` bytes each and ``max_total`` in all.

    ``what`` names the format in error messages ("Word document", "OFD").  Use it as a
    context manager, or call ``close``.
    """

    def __init__(self, data: bytes, name: str, what: str, *, max_part: int, max_total: int) -> None:
        self.name, self.what, self.max_part, self.max_total = name, what, max_part, max_total
        self.total = 0
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
            raise UnreadableFileError(name, f"a damaged {what} archive: {exc}") from exc

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.archive.close()

    def has(self, path: str) -> bool:
        try:
            self.archive.getinfo(path)
        except KeyError:
            return False
        return True

    def read(self, path: str) -> bytes:
        """The inflated bytes of one part (``UnreadableFileError`` if missing, damaged or over a limit)."""
        try:
            info = self.archive.getinfo(path)
        except KeyError:
            raise UnreadableFileError(self.name, f"the {self.what} archive has no part {path!r}") from None
        if info.file_size > self.max_part:
            raise self._too_big(path, self.max_part)
        if info.file_size > RATIO_GRACE and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise UnreadableFileError(
                self.name,
                f"the {self.what}'s part {path} declares {info.file_size:,} bytes compressed into "
                f"{info.compress_size:,}, more than {MAX_RATIO} times (a ZIP bomb?)",
            )
        try:
            with self.archive.open(info) as member:
                raw = member.read(self.max_part + 1)  # declared sizes may lie: never inflate more
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
            raise UnreadableFileError(self.name, f"a damaged {self.what} archive ({path}): {exc}") from exc
        self.total += len(raw)
        if len(raw) > self.max_part:
            raise self._too_big(path, self.max_part)
        if self.total > self.max_total:
            raise self._too_big(path, self.max_total)
        return raw

    def _too_big(self, path: str, limit: int) -> UnreadableFileError:
        return UnreadableFileError(self.name, f"the {self.what}'s XML expands to more than {limit:,} bytes ({path})")
