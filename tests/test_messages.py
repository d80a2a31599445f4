"""Every text a person sees exists in Chinese and in English (govreport/locale/*.json)."""

from __future__ import annotations

import re

import pytest

from govreport.messages import LANGS, messages, text


def test_every_message_has_both_languages_and_the_same_parameters() -> None:
    for key, texts in messages().items():
        assert set(texts) == set(LANGS), f"{key}: languages {sorted(texts)}"
        assert all(texts[lang].strip() for lang in LANGS), f"{key}: an empty text"
        params = {lang: set(re.findall(r"\{(\w+)\}", texts[lang])) for lang in LANGS}
        assert params["zh"] == params["en"], f"{key}: parameters differ {params}"


def test_text_fills_parameters_and_refuses_unknown_languages_and_keys() -> None:
    assert text("lang.name") == "中文"
    assert text("lang.name", "en") == "English"
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        text("lang.name", "fr")
    with pytest.raises(KeyError):
        text("no.such.message")
