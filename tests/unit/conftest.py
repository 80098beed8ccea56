"""Rule tests without storage: the app's logic over in-memory stores, the local video provider, a recording
mailer and a clock that only moves when a test moves it. No moto, no network: `make unit` runs these alone."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest

from chalicelib.clock import ShiftedClock
from chalicelib.logic.access import Caller
from tests.conftest import NOW, World, seed_world
from tests.memory import RecordingMailer, RecordingTexter, Tables, memory_services

COORDINATOR = Caller("ag1", "coord1", "coordinator")
CAREGIVER = Caller("ag1", "emp1", "employee")
COLLEAGUE = Caller("ag1", "emp2", "employee")
STRANGER = Caller("ag2", "emp3", "employee")
OTHER_COORDINATOR = Caller("ag2", "coord2", "coordinator")


@dataclass
class Agency:
    """Two agencies in memory (the World of the API tests), and short calls into the rules."""

    services: Any
    tables: Tables
    mailer: RecordingMailer
    clock: ShiftedClock
    world: World

    def now(self) -> datetime:
        return self.clock()

    def advance(self, minutes: float) -> datetime:
        return self.clock.advance(timedelta(minutes=minutes))

    def visit(self, *, client: str = "cli1", employee: str = "emp1", virtual: bool = True, service: str = "TELE",
              start: datetime | None = None, minutes: int = 60) -> str:
        """A visit the coordinator schedules (by default: started 10 minutes ago, an hour long, virtual)."""
        from chalicelib.logic.agency_admin import create_visit

        begin = start or NOW - timedelta(minutes=10)
        body = {"client_id": client, "employee_id": employee, "service_code": service, "start": begin,
                "end": begin + timedelta(minutes=minutes), "virtual": virtual}
        return str(create_visit(self.services, COORDINATOR, body, self.now())["id"])

    def in_call(self) -> tuple[str, str]:
        """A visit whose caregiver and client are both in the call, and the client's link token."""
        vid = self.visit()
        token = self.link(vid)
        self.clock_in(vid)
        self.join(vid)
        self.client_join(token)
        return vid, token

    def invite(self, vid: str, delivery: str = "email", caller: Caller = CAREGIVER) -> dict[str, Any]:
        from chalicelib.logic.invitations import invite_client

        return invite_client(self.services, caller, vid, delivery, self.now())

    def link(self, vid: str) -> str:
        """The token of the link the caregiver copies (R07)."""
        return str(self.invite(vid, "link")["join_url"]).split("#", 1)[1]

    def emailed_token(self, index: int = -1) -> str:
        email = self.mailer.sent[index][0]
        return email.text.split("/join#", 1)[1].split()[0]

    def clock_in(self, vid: str, caller: Caller = CAREGIVER) -> dict[str, Any]:
        from chalicelib.logic.clocking import clock_in

        return clock_in(self.services, caller, vid, self.now())

    def clock_out(self, vid: str, caller: Caller = CAREGIVER) -> dict[str, Any]:
        from chalicelib.logic.clocking import clock_out

        return clock_out(self.services, caller, vid, self.now())

    def join(self, vid: str, caller: Caller = CAREGIVER) -> dict[str, Any]:
        from chalicelib.logic.joining import employee_join

        return employee_join(self.services, caller, vid, self.now())

    def leave(self, vid: str, caller: Caller = CAREGIVER) -> dict[str, Any]:
        from chalicelib.logic.joining import employee_leave

        return employee_leave(self.services, caller, vid, self.now())

    def hang_up(self, vid: str, caller: Caller = CAREGIVER) -> dict[str, Any]:
        from chalicelib.logic.ending import hang_up

        return hang_up(self.services, caller, vid, self.now())

    def client_page(self, token: str) -> dict[str, Any]:
        from chalicelib.logic.joining import client_view

        return client_view(self.services, token, self.now())

    def client_join(self, token: str) -> dict[str, Any]:
        from chalicelib.logic.joining import client_join

        return client_join(self.services, token, self.now())

    def client_leave(self, token: str) -> dict[str, Any]:
        from chalicelib.logic.joining import client_leave

        return client_leave(self.services, token, self.now())

    def session(self, vid: str, caller: Caller = CAREGIVER) -> dict[str, Any]:
        from chalicelib.logic.schedule import session_details

        return session_details(self.services, caller, vid, self.now())

    def details(self, vid: str, caller: Caller = CAREGIVER) -> dict[str, Any]:
        from chalicelib.logic.schedule import visit_details

        return visit_details(self.services, caller, vid, self.now())

    def timeline(self, vid: str) -> list[str]:
        from chalicelib.logic.schedule import timeline

        return [line["type"] for line in timeline(self.services, COORDINATOR, vid)]

    def reschedule(self, vid: str, **body: Any) -> dict[str, Any]:
        from chalicelib.logic.agency_admin import change_visit

        return change_visit(self.services, COORDINATOR, vid, body, self.now())

    def sweep(self) -> Any:
        from chalicelib.logic.expiry import sweep_expired_sessions

        return sweep_expired_sessions(self.services, self.now(), 200)

    @property
    def texter(self) -> RecordingTexter:
        texter: RecordingTexter = self.services.texter
        return texter

    def update_client(self, client_id: str, **body: Any) -> dict[str, Any]:
        """A coordinator's change to a client (R28, R30)."""
        from chalicelib.logic.agency_admin import update_client

        return update_client(self.services, COORDINATOR, client_id, body, self.now())

    def texting_client(self, client_id: str = "cli2", language: str = "en",
                       phone: str = "+15550100123") -> str:
        """A client with a mobile number and a recorded consent to texts (R28)."""
        self.update_client(client_id, mobile_phone=phone, sms_consent=True, preferred_language=language)
        return client_id

    def text_event(self, event_type: str, context: dict[str, str], **detail: Any) -> str:
        """A delivery event as End User Messaging puts it on EventBridge (R29)."""
        from chalicelib.logic.text_events import on_text_event

        body = {"eventType": event_type, "isFinal": True, "messageType": "TRANSACTIONAL",
                "messageStatus": event_type.removeprefix("TEXT_"), "context": context, **detail}
        return on_text_event(self.services, body, self.now())

    def reminder_minutes(self, minutes: int) -> None:
        """The agency's `reminder_minutes` (R32)."""
        from dataclasses import replace

        self.tables.agencies["ag1"] = replace(self.tables.agencies["ag1"], reminder_minutes=minutes)

    def live_meetings(self, vid: str) -> int:
        meetings = self.services.meetings._meetings.values()
        return sum(1 for m in meetings if m.external_meeting_id == f"visit-{vid}" and not m.ended)


@pytest.fixture
def agency() -> Iterator[Agency]:
    clock = ShiftedClock(base=lambda: NOW)
    services, tables, mailer = memory_services(clock)
    world = seed_world(services)
    yield Agency(services, tables, mailer, clock, world)
