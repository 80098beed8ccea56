"""Shared fixtures: the test stage's environment, moto, a movable clock, seeded agencies and tokens."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEST_ENV = json.loads((ROOT / ".chalice" / "config.json").read_text())["stages"]["test"]["environment_variables"]
for _name, _value in TEST_ENV.items():
    os.environ[_name] = _value
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
for _name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"):
    os.environ.pop(_name, None)

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


@dataclass
class World:
    """Two agencies with people, service codes and visits, as the tests need them."""

    agency: str
    other_agency: str
    coordinator: str
    caregiver: str
    second_caregiver: str
    client_with_email: str
    client_without_email: str
    other_coordinator: str
    other_caregiver: str
    other_client: str


@pytest.fixture
def aws() -> Iterator[None]:
    from moto import mock_aws

    with mock_aws():
        from chalicelib.persistence.binding import bound, create_table

        bound.cache_clear()
        create_table()
        import boto3

        boto3.client("sesv2", region_name="us-east-1").create_email_identity(EmailIdentity="sunrise.example.test")
        boto3.client("sesv2", region_name="us-east-1").create_email_identity(EmailIdentity="harbor.example.test")
        yield


@pytest.fixture
def clock() -> Any:
    from chalicelib.clock import ShiftedClock

    return ShiftedClock(base=lambda: NOW)


@pytest.fixture
def services(aws: None, clock: Any) -> Iterator[Any]:
    from chalicelib.integrations.local_meetings import LocalMeetings
    from chalicelib.services import Services, use_services

    svc = Services(clock=clock, meetings=LocalMeetings())
    use_services(svc)
    yield svc
    use_services(None)


def seed_world(services: Any) -> World:
    """Two agencies with people and service codes, through the app's own stores."""
    from chalicelib.records import Agency, Client, Employee, ServiceCode

    directory = services.directory
    directory.add_agency(Agency("ag1", "Sunrise Home Care", "America/New_York", "visits@sunrise.example.test"))
    directory.add_agency(Agency("ag2", "Harbor Care", "Europe/London", "visits@harbor.example.test"))
    for agency, employee_id, name, email, role in (
        ("ag1", "coord1", "Dana Whitfield", "dana@sunrise.example.test", "coordinator"),
        ("ag1", "emp1", "Maria Lopez", "maria@sunrise.example.test", "employee"),
        ("ag1", "emp2", "James Okafor", "james@sunrise.example.test", "employee"),
        ("ag2", "coord2", "Priya Shah", "priya@harbor.example.test", "coordinator"),
        ("ag2", "emp3", "Tom Hughes", "tom@harbor.example.test", "employee"),
    ):
        directory.add_employee(agency, Employee(employee_id, name, email, role))
    directory.add_client("ag1", Client("cli1", "Eleanor Rigby", "eleanor.rigby@mail.example.test"))
    directory.add_client("ag1", Client("cli2", "Walter Nobody", None))
    directory.add_client("ag2", Client("cli3", "Agnes Moore", "agnes.moore@mail.example.test"))
    directory.add_service_code("ag1", ServiceCode("TELE", "Telehealth check-in", True))
    directory.add_service_code("ag1", ServiceCode("PC", "Personal care", False))
    directory.add_service_code("ag2", ServiceCode("TELE", "Telehealth", True))
    return World("ag1", "ag2", "coord1", "emp1", "emp2", "cli1", "cli2", "coord2", "emp3", "cli3")


@pytest.fixture
def world(services: Any) -> World:
    return seed_world(services)


def token_for(agency: str, employee: str, role: str, **overrides: Any) -> str:
    from chalicelib.auth import issue_local_token
    from chalicelib.config import from_environ

    return issue_local_token(from_environ(), agency, employee, role, **overrides)


class Api:
    """chalice.test.Client with JSON helpers and a caller."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def call(self, method: str, path: str, body: Any = None, token: str | None = None,
             raw: bytes | None = None, headers: dict[str, str] | None = None) -> Any:
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
        return self.client.http.request(method, path, headers=hdrs, body=data)


@pytest.fixture
def api(world: World) -> Iterator[Api]:
    from chalice.test import Client

    from app import app

    with Client(app, stage_name="test", project_dir=str(ROOT)) as client:
        yield Api(client)


@pytest.fixture
def tokens(world: World) -> dict[str, str]:
    return {
        "coord": token_for("ag1", "coord1", "coordinator"),
        "emp1": token_for("ag1", "emp1", "employee"),
        "emp2": token_for("ag1", "emp2", "employee"),
        "other": token_for("ag2", "emp3", "employee"),
        "other_coord": token_for("ag2", "coord2", "coordinator"),
    }


def iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def make_visit(api: Api, tokens: dict[str, str]) -> Any:
    def make(client: str = "cli1", employee: str = "emp1", virtual: bool = True, service: str = "TELE",
             start: datetime = NOW - timedelta(minutes=10), minutes: int = 60, token: str | None = None) -> str:
        response = api.call("POST", "/api/visits", {
            "client_id": client, "employee_id": employee, "service_code": service,
            "start": iso(start), "end": iso(start + timedelta(minutes=minutes)), "virtual": virtual,
        }, token or tokens["coord"])
        assert response.status_code == 201, response.body
        return str(response.json_body["id"])

    return make


def sent_emails() -> list[Any]:
    """Every message moto's SES accepted, parsed (text and HTML parts)."""
    from email import message_from_string, policy

    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    return [message_from_string(m.raw_data, policy=policy.default) for m in backend.sent_messages
            if hasattr(m, "raw_data")]


def email_parts(message: Any) -> tuple[str, str]:
    text = html = ""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            text = part.get_content()
        elif part.get_content_type() == "text/html":
            html = part.get_content()
    return text, html


def link_token_in(text: str) -> str:
    import re

    match = re.search(r"https://visits\.example\.test/join#([A-Za-z0-9_-]{43})", text)
    assert match, text
    return match.group(1)


@pytest.fixture
def flow(api: Api, tokens: dict[str, str]) -> Any:
    """Short calls for the lifecycle, as the assigned caregiver unless told otherwise."""

    class Flow:
        def invite(self, vid: str, delivery: str = "email", token: str | None = None) -> Any:
            return api.call("POST", f"/api/visits/{vid}/invite", {"delivery": delivery}, token or tokens["emp1"])

        def link(self, vid: str) -> str:
            response = self.invite(vid, "link")
            assert response.status_code == 200, response.body
            return str(response.json_body["join_url"]).split("#", 1)[1]

        def post(self, vid: str, action: str, token: str | None = None) -> Any:
            return api.call("POST", f"/api/visits/{vid}/{action}", token=token or tokens["emp1"])

        def client(self, action: str, link_token: str) -> Any:
            path = "/api/join" if action == "view" else f"/api/join/{action}"
            return api.call("POST", path, {"token": link_token})

        def session(self, vid: str) -> Any:
            return api.call("GET", f"/api/visits/{vid}/session", token=tokens["emp1"]).json_body

        def timeline(self, vid: str) -> list[str]:
            body = api.call("GET", f"/api/visits/{vid}/timeline", token=tokens["emp1"]).json_body
            return [e["type"] for e in body]

    return Flow()


# AWS call recording (issue 17): every AWS operation an app function makes is recorded, session-wide, and
# tests/infra/test_iam_grants.py checks the record against the stack's IAM policies once every other test ran.
RUN_LAST = "run_last"


def pytest_configure(config: pytest.Config) -> None:
    from tests.aws_recorder import install

    config.addinivalue_line("markers", f"{RUN_LAST}: runs after every other test (it reads what they recorded)")
    install()


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    last = [item for item in items if item.get_closest_marker(RUN_LAST)]
    items[:] = [item for item in items if not item.get_closest_marker(RUN_LAST)] + last
