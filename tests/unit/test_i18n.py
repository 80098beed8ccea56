"""R30: every language has every text. Each table has the keys of the English one, each text the same placeholders
and the same shape, and no Spanish text is an English one left untranslated."""

from __future__ import annotations

import pytest

from chalicelib import i18n

OTHERS = [language for language in i18n.LANGUAGES if language != i18n.DEFAULT]
# Texts that are the same in both languages: formats and the clock's pattern.
SAME_EVERYWHERE = {"clock"}


def flatten(table: dict) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update({f"{key}.{k}": v for k, v in value.items()})
        elif isinstance(value, tuple):
            out.update({f"{key}[{n}]": v for n, v in enumerate(value)})
        else:
            out[key] = value
    return out


@pytest.mark.parametrize("language", OTHERS)
def test_r30_every_key_of_the_english_table_is_in_every_table_with_the_same_placeholders(language):
    english, other = flatten(i18n.table("en")), flatten(i18n.table(language))
    assert set(other) == set(english), (set(english) - set(other), set(other) - set(english))
    for key, text in english.items():
        assert type(other[key]) is type(text), key
        if isinstance(text, str):
            assert i18n.placeholders(str(other[key])) == i18n.placeholders(text), key
            assert str(other[key]).strip(), key


@pytest.mark.parametrize("language", OTHERS)
def test_r30_no_text_is_left_in_english(language):
    english, other = flatten(i18n.table("en")), flatten(i18n.table(language))
    untranslated = [key for key, text in english.items()
                    if isinstance(text, str) and other[key] == text and key not in SAME_EVERYWHERE
                    and not key.startswith("zones.")]
    assert untranslated == []


def test_r30_every_language_names_itself_and_its_locale():
    for language in i18n.LANGUAGES:
        table = i18n.table(language)
        assert table["locale"].split("-")[0] == language
        assert len(table["weekdays"]) == 7 and len(table["months"]) == 12


def test_r30_the_join_page_and_the_api_say_the_clients_refusals_in_the_same_words():
    """The join page shows a refusal from its own table (by the API's Code); the API sends its Message from
    chalicelib/i18n. Both must say the same, in every language."""
    import re
    from pathlib import Path

    frontend = Path(__file__).resolve().parents[2] / "frontend" / "src" / "texts"
    pairs = {"linkInvalid": "refusal.InvalidLink", "linkExpired": "refusal.ClientLinkExpired",
             "caregiverEnded": "refusal.ClientSessionOver", "caregiverWillJoin": "refusal.WaitingForCaregiver",
             "visitCancelled": "refusal.VisitCancelled"}
    for language, source in (("en", "client.ts"), ("es", "client.es.ts")):
        text = (frontend / source).read_text()
        for key, python_key in pairs.items():
            match = re.search(rf"^\s*{key}: '((?:[^'\\]|\\.)*)',", text, re.M)
            assert match, (source, key)
            assert match.group(1) == i18n.table(language)[python_key], (language, key)
