"""Schemathesis hooks for the API fuzzing run (loaded through SCHEMATHESIS_HOOKS).

Random ids and tokens only ever reach "not found". These hooks mix real values from the running stack into what
Schemathesis generates, so that fuzzed requests also reach the rules behind the lookups: the signed-in agency's
visits, clients and employees, live client link tokens, and times around now. (The other agency's objects are
tried by object_level_authorization, which replays the caller's reads as a peer of the other agency.)
The values come from the JSON file named by FUZZ_SEEDS, which the test writes before each round.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import schemathesis
from hypothesis import strategies as st

ID_PARAMETERS = {"visit_id": "visit_ids", "client_id": "client_ids", "employee_id": "employee_ids"}


@cache
def seeds() -> dict[str, list[str]]:
    with open(os.environ["FUZZ_SEEDS"], encoding="utf-8") as file:
        data: dict[str, list[str]] = json.load(file)
    return data


def _times() -> st.SearchStrategy[str]:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    return st.integers(-8 * 4, 12 * 4).map(lambda q: (now + timedelta(minutes=15 * q)).strftime("%Y-%m-%dT%H:%M:%SZ"))


def _known(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from(seeds()[name])


def _label(context: Any) -> tuple[str, str]:
    operation = context.operation
    return (operation.method.lower(), operation.path) if operation is not None else ("", "")


@schemathesis.hook
def before_generate_path_parameters(context: Any, strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    _, path = _label(context)
    names = [name for name in ID_PARAMETERS if "{" + name + "}" in path]
    if not names:
        return strategy
    return st.one_of(strategy, st.fixed_dictionaries({name: _known(ID_PARAMETERS[name]) for name in names}))


@schemathesis.hook
def before_generate_query(context: Any, strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    _, path = _label(context)
    if not (path.endswith("/schedule") or path.startswith("/api/reports/")):
        return strategy
    return st.one_of(strategy, st.fixed_dictionaries({"from": _times(), "to": _times()}))


def _realistic_body(method: str, path: str) -> st.SearchStrategy[Any] | None:
    if path.startswith("/api/join"):
        return st.fixed_dictionaries({"token": _known("tokens")})
    if (method, path) == ("post", "/api/visits"):
        return st.fixed_dictionaries({
            "client_id": _known("client_ids"), "employee_id": _known("employee_ids"),
            "service_code": st.sampled_from(["TELE", "PC", "NOPE"]), "start": _times(), "end": _times(),
        }, optional={"virtual": st.booleans()})
    if (method, path) == ("patch", "/api/visits/{visit_id}"):
        return st.fixed_dictionaries({}, optional={"start": _times(), "end": _times(),
                                                   "employee_id": _known("employee_ids")})
    if (method, path) == ("post", "/api/dev/login"):
        return st.fixed_dictionaries({"employee_id": _known("employee_ids")})
    return None


@schemathesis.hook
def before_generate_body(context: Any, strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    realistic = _realistic_body(*_label(context))
    return strategy if realistic is None else st.one_of(strategy, realistic)
