"""The words govreport shows to people, in Chinese (the default) and English.

Programs read stable codes (diagnostic codes, rule names, flat keys); people read these
texts.  They live in a small table beside the code, ``govreport/locale/*.json``: one file
per area (``core.json`` for diagnostics, findings and the command line, others for the
workbook and the HTML view), each ``{"key": {"zh": "…", "en": "…"}}``.  A text may name
parameters in braces (``第{line}行``), filled by ``text(key, lang, line=12)``.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"


@cache
def messages() -> dict[str, dict[str, str]]:
    """Every message key with its texts, from all the files in ``govreport/locale``."""
    table: dict[str, dict[str, str]] = {}
    folder = resources.files("govreport") / "locale"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        data = json.loads(entry.read_text(encoding="utf-8"))
        for key, texts in data.items():
            if key in table:
                raise ValueError(f"message {key!r} is defined twice (again in locale/{entry.name})")
            table[key] = texts
    return table


def check_lang(lang: str) -> str:
    """``lang`` if it is one govreport speaks, else ``ValueError`` naming the choices."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: choose one of {', '.join(LANGS)}")
    return lang


def text(key: str, lang: str = DEFAULT_LANG, /, **params: object) -> str:
    """The text of ``key`` in ``lang``, its ``{parameters}`` filled in.  An unknown key is a
    ``KeyError``: every text a person sees is in the table, in both languages."""
    template = messages()[key][check_lang(lang)]
    return template.format_map(params) if params else template
