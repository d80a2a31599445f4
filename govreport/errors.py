"""The exceptions govreport raises.  Every one derives from ``GovreportError``."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Diagnostic


class GovreportError(Exception):
    """Base class: catch this to catch everything govreport raises on bad input."""


class NotAReportError(GovreportError, ValueError):
    """The text is not a 政府信息公开工作年度报告 (empty, random prose, binary, ...)."""


class PreStandardReportError(NotAReportError):
    """A report from before the national format of 2019 (free-form, no national tables).

    ``meta`` holds what could be read of it (title, agency, year).
    """

    def __init__(self, message: str, meta: object = None) -> None:
        self.meta = meta
        super().__init__(message)


class ParseError(GovreportError, ValueError):
    """Raised by ``parse(..., strict=True)`` when the report has diagnostics."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        lines = [str(d) for d in self.diagnostics[:20]]
        more = len(self.diagnostics) - len(lines)
        if more > 0:
            lines.append(f"... and {more} more")
        super().__init__(f"{len(self.diagnostics)} diagnostic(s):\n  " + "\n  ".join(lines))


class DeserializationError(GovreportError, ValueError):
    """JSON or dict input that is malformed or of the wrong shape.

    ``errors`` lists each problem with the path where it was found, e.g.
    ``"invalid value for type, expected int @ $.applications.rows[0].cells[2].value"``.
    """

    def __init__(self, message: str, errors: Sequence[str] = ()) -> None:
        self.errors = tuple(errors)
        detail = "".join(f"\n  {e}" for e in self.errors[:20])
        super().__init__(message + detail)


class UnknownTemplateError(GovreportError, KeyError):
    """A template name that is not registered."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name = name
        self.known = tuple(sorted(known))
        close = difflib.get_close_matches(name, self.known, n=1, cutoff=0.3)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        super().__init__(f"unknown template {name!r} (known: {', '.join(self.known)}){hint}")

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class TemplateError(GovreportError):
    """A template's grammar or data file is missing or invalid.

    The message names the file, the field (as a ``$.path`` into the JSON) and the
    problem.  Raised when a template is registered, or when the shipped ones are loaded.
    """


#: The earlier name of ``TemplateError``, kept so that existing code keeps working.
TemplateDefinitionError = TemplateError


class MissingExtraError(GovreportError, ImportError):
    """An input format needs an optional dependency that is not installed.

    The message names the command that installs it, e.g. ``pip install 'govreport[pdf]'``.
    """

    def __init__(self, what: str, extra: str, module: str) -> None:
        self.extra = extra
        self.module = module
        super().__init__(f"{what} needs the optional dependency {module!r}: pip install 'govreport[{extra}]'")


class UnreadableFileError(GovreportError, ValueError):
    """A file that cannot be read: corrupt, truncated, encrypted, binary, or in an unknown encoding.

    ``name`` is the file (its path, or ``"<bytes>"``), ``reason`` says what is wrong.
    """

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"{name}: {reason}")


class ScannedPdfError(UnreadableFileError):
    """A PDF whose pages are images without a text layer: it needs OCR before govreport can read it."""


class UsageError(Exception):
    """A command line that cannot be carried out (nothing to read, an output it cannot write,
    a table ``--resume`` cannot append to): the command line says so and exits with status 2."""
