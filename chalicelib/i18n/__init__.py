"""The client's language (R30): one table per language, and times written as its readers read them (R44).

A language is one module here with the keys of `en.py`, added to `LANGUAGES`; tests/unit/test_i18n.py checks that
every table has every key, with the same placeholders. A client whose language has no table reads English.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from string import Formatter
from typing import Any

DEFAULT = "en"
LANGUAGES = ("en", "es")


@cache
def table(language: str) -> dict[str, Any]:
    """The texts of `language` (English for a language without a table)."""
    from importlib import import_module

    code = language if language in LANGUAGES else DEFAULT
    texts: dict[str, Any] = import_module(f"chalicelib.i18n.{code}").TEXTS
    return texts


def supported(language: str | None) -> str:
    """`language` if it has a table, else the default."""
    return language if language in LANGUAGES else DEFAULT


def say(language: str, key: str, **values: Any) -> str:
    """One text of `language`, its placeholders filled in."""
    text: str = table(language)[key]
    return text.format(**values) if values else text


def placeholders(text: str) -> set[str]:
    """The names a text's placeholders take (the key check compares them across tables)."""
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def zone_name(zone: str, language: str, at: datetime) -> str:
    """The time zone as its readers name it ("Eastern Time", "hora del Este"), or its abbreviation at `at`."""
    named = table(language)["zones"].get(zone)
    if named:
        return str(named)
    from chalicelib.clock import local_time

    short = local_time(at, zone).tzname() or zone
    return f"UTC{short}" if short[:1] in "+-" else short


def clock(value: datetime, zone: str, language: str) -> str:
    """The time of day in `zone`, as the language writes it ("2:30 PM", "2:30 p.m.")."""
    from chalicelib.clock import local_time

    local = local_time(value, zone)
    texts = table(language)
    hour = local.hour % 12 or 12
    return str(texts["clock"].format(hour=hour, minute=f"{local.minute:02d}", am_pm=texts["am_pm"][local.hour >= 12]))


def day(value: datetime, zone: str, language: str, with_year: bool = False) -> str:
    """The date in `zone` ("Wednesday, November 25", "miércoles 25 de noviembre")."""
    from chalicelib.clock import local_time

    local = local_time(value, zone)
    texts = table(language)
    pattern = texts["date_year" if with_year else "date"]
    return str(pattern.format(weekday=texts["weekdays"][local.weekday()], month=texts["months"][local.month - 1],
                              day=local.day, year=local.year))


def at_time(value: datetime, zone: str, language: str) -> str:
    """"at 10:00 AM", "a las 10:00 a.m." ("a la 1:00 p.m." for one o'clock)."""
    from chalicelib.clock import local_time

    one = local_time(value, zone).hour % 12 == 1
    return say(language, "at_one" if one else "at_time", time=clock(value, zone, language))


def when(value: datetime, zone: str, language: str) -> str:
    """Date, time and zone in one phrase: "Wednesday, November 25, 2026 at 10:00 AM Eastern Time"."""
    time = say(language, "with_zone", time=at_time(value, zone, language), zone=zone_name(zone, language, value))
    return f"{day(value, zone, language, with_year=True)} {time}"


def refusal(language: str, error: Any) -> str | None:
    """A client's refusal in `language`: the text of the error's class or its nearest base (None for English,
    whose texts, naming fields where they do, are the errors' own)."""
    if supported(language) == DEFAULT:
        return None
    texts = table(language)
    for cls in type(error).__mro__:
        text = texts.get(f"refusal.{cls.__name__}")
        if text:
            return str(text)
    return None
