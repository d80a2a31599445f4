"""Import an optional dependency, or find an optional program, or say how to install it."""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Sequence
from types import ModuleType

from ..errors import MissingExtraError


class MissingToolError(MissingExtraError):
    """A reader's program (not a Python package: LibreOffice for .doc) is not installed.

    The message names the command that installs it, e.g. ``apt-get install
    libreoffice-writer-nogui``; ``.program`` is the program looked for.  It is a
    ``MissingExtraError``, so code that handles a missing extra handles this too.
    """

    def __init__(self, what: str, extra: str, program: str, install: str) -> None:
        super().__init__(what, extra, program)
        self.program = program
        self.install = install
        self.msg = f"{what} needs the program {program!r}, which is not on the PATH: {install}"
        self.args = (self.msg,)

    def __str__(self) -> str:
        return self.msg


def require(module: str, what: str, extra: str) -> ModuleType:
    """Import ``module``; if it is not installed raise ``MissingExtraError`` naming the extra."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(what, extra, module.split(".")[0]) from exc


def require_program(names: Sequence[str], what: str, extra: str, install: str) -> str:
    """The path of the first of ``names`` on the PATH; if none is, raise ``MissingToolError``."""
    for name in names:
        found = shutil.which(name)
        if found is not None:
            return found
    raise MissingToolError(what, extra, names[0], install)
