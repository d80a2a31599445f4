"""The Lark glue: where the grammars are, and building one LALR parser per template.

The parser returns items directly: ``items.ItemBuilder`` is embedded as Lark's
transformer, so no parse tree is built; ``parse_items`` runs Lark's tables in one loop
(``lalr.py``).  A built parser is cached twice: in memory
per process, and on disk (Lark's ``cache=``) so that a new process, a worker of
``parse_many`` or a one-file CLI call, loads it in milliseconds instead of building
it.  The disk cache lives in ``$GOVREPORT_CACHE_DIR``, else ``$XDG_CACHE_HOME/govreport``
or ``~/.cache/govreport``; ``GOVREPORT_CACHE_DIR=off`` turns it off.  Lark checks the
grammar text, the imported files and its own version before it uses a cached file.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import weakref
from importlib import resources
from pathlib import Path
from typing import Any

import lark

from . import lalr, scanner
from .errors import TemplateError
from .items import ItemBuilder

_CORE = "core.lark"


def grammar_dir() -> Path:
    """The directory of the shipped grammars and template data.

    Installed, they are the package data ``govreport.grammars``; in a checkout that is
    not installed (Python run from the repository root), the ``grammars/`` directory
    beside the package.
    """
    try:
        installed = Path(str(resources.files("govreport.grammars")))
        if (installed / _CORE).is_file():
            return installed
    except ModuleNotFoundError:
        pass
    checkout = Path(__file__).resolve().parent.parent / "grammars"
    if (checkout / _CORE).is_file():
        return checkout
    raise TemplateError(
        "govreport's grammars are missing: neither the package data govreport.grammars "
        f"nor {checkout} holds {_CORE}; reinstall govreport"
    )


def cache_dir() -> Path | None:
    """Where built parsers are cached on disk, or None when caching is off or impossible."""
    setting = os.environ.get("GOVREPORT_CACHE_DIR", "")
    if setting.lower() in ("off", "0", "none", "false"):
        return None
    if setting:
        path = Path(setting)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        path = Path(base) / "govreport"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path if os.access(path, os.W_OK) else None


_PARSERS: dict[tuple[str, str, bool], lark.Lark] = {}
_LOCK = threading.RLock()


def build_parser(name: str, grammar_path: Path, *, strict: bool = False) -> lark.Lark:
    """The LALR parser of a grammar file, built once per process (thread-safe).

    ``strict=True`` makes Lark reject shift/reduce conflicts and regex collisions (with
    the optional ``interegular`` package); the test suite builds every grammar that way.
    A strict build is never read from the disk cache, which would skip those checks.
    """
    key = (name, _digest(grammar_path), strict)
    parser = _PARSERS.get(key)
    if parser is not None:
        return parser
    with _LOCK:
        parser = _PARSERS.get(key)
        if parser is None:
            parser = _build(grammar_path.read_text(encoding="utf-8"), grammar_path, strict)
            _PARSERS[key] = parser
    return parser


def _digest(path: Path) -> str:
    """The digest of a grammar file's text, read again only when the file changed (a parse
    asks for its parser every time; reading and hashing the file each time cost more than
    a tenth of a short report's parse)."""
    try:
        stat = path.stat()
        stamp = (str(path), stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = None
    digest = _DIGESTS.get(stamp) if stamp is not None else None
    if digest is None:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        if stamp is not None:
            _DIGESTS[stamp] = digest
    return digest


_DIGESTS: dict[tuple[str, int, int] | None, str] = {}


def forget(name: str) -> None:
    """Drop the built parsers of a template (it is being registered again)."""
    with _LOCK:
        for key in [k for k in _PARSERS if k[0] == name]:
            del _PARSERS[key]


def _build(text: str, grammar_path: Path, strict: bool) -> lark.Lark:
    cache: str | bool = False
    directory = None if strict else cache_dir()
    if directory is not None:
        # Named by every grammar it may import and by where they are (Lark's own check of a cached
        # file includes the grammar's path): two checkouts (worktrees, versions) then keep a cached
        # file each, instead of replacing each other's on every start (a rebuild takes seconds).
        sources = sorted({*grammar_path.parent.glob("*.lark"), *grammar_dir().glob("*.lark")})
        names = "".join(f"{p}:{_digest(p)}" for p in sources)
        digest = hashlib.sha256(names.encode()).hexdigest()[:16]
        version = f"lark{lark.__version__}-py{sys.version_info[0]}{sys.version_info[1]}"
        cache = str(directory / f"{grammar_path.stem}-{digest}-{version}.lark")
    parser = lark.Lark(
        text,
        parser="lalr",
        lexer="contextual",
        strict=strict,
        cache=cache,
        source_path=str(grammar_path),
        import_paths=[str(grammar_path.parent), str(grammar_dir())],
        maybe_placeholders=False,
        transformer=ItemBuilder(),  # tree-less: the parser returns items directly
    )
    scanner.install(parser)  # the same tokens, matched with fewer alternatives
    _DRIVERS[parser] = lalr.Driver.for_parser(parser)  # the same items, in one loop
    return parser


_DRIVERS: weakref.WeakKeyDictionary[lark.Lark, lalr.Driver | None] = weakref.WeakKeyDictionary()


def parse_items(parser: lark.Lark, text: str) -> Any:
    """``parser.parse(text)``: the items of a text, run by ``lalr.Driver`` where it knows the
    parser (the same result, faster), else by Lark itself."""
    driver = _DRIVERS.get(parser)
    return driver.parse(text) if driver is not None else parser.parse(text)
