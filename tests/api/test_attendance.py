"""The attendance record: exact rows, JSON and CSV, coordinators of the agency only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from tests.conftest import NOW, iso

RANGE = "?from=2026-11-25T00:00:00Z&to=2026-11-26T00:00:00Z"


def at(minutes):
    return iso(NOW + timedelta(minutes=minutes))


def test_attendance_rows_for_clean_no_show_rejoin_and_expired_visits(api, tokens, make_visit, flow, clock):
    # Given four virtual visits and an in-person one, started 10 minutes ago, played out minute by minute
    start = NOW - timedelta(minutes=10)
    clean, no_show, rejoin, expired = (make_visit(start=start + timedelta(seconds=n)) for n in range(4))
    make_visit(service="PC", virtual=False, start=start)
    links = {vid: flow.link(vid) for vid in (clean, no_show, rejoin)}
    flow.invite(expired)
    script = {
        1: [(flow.invite, clean), (flow.invite, rejoin)],
        2: [(flow.post, clean, "clock-in"), (flow.post, no_show, "clock-in"), (flow.post, rejoin, "clock-in")],
        3: [(flow.post, clean, "session/join"), (flow.post, no_show, "session/join"),
            (flow.post, rejoin, "session/join")],
        4: [(flow.client, "attendee", links[clean]), (flow.client, "attendee", links[rejoin])],
        10: [(flow.client, "leave", links[rejoin])],
        12: [(flow.client, "attendee", links[rejoin])],
        34: [(flow.post, clean, "session/end"), (flow.post, no_show, "session/end")],
        35: [(flow.post, clean, "clock-out")],
        44: [(flow.post, rejoin, "clock-out")],
    }
    for minute in range(1, 45):
        clock.advance(timedelta(minutes=1))
        for step in script.get(minute, []):
            step[0](*step[1:])
    clock.advance(timedelta(minutes=60))
    api.client.lambda_.invoke("sweep", api.client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]))
    # When the coordinator asks for the day's record
    rows = api.call("GET", f"/api/reports/virtual-visits{RANGE}", token=tokens["coord"]).json_body
    # Then there is one row per virtual visit, with exact evidence
    assert [r["visit_id"] for r in rows] == [clean, no_show, rejoin, expired]
    by_id = {r["visit_id"]: r for r in rows}
    assert by_id[clean] == {
        "visit_id": clean, "client_id": "cli1", "employee_id": "emp1", "service_code": "TELE",
        "scheduled_start": iso(start), "scheduled_end": iso(start + timedelta(minutes=60)),
        "clock_in_at": at(2), "clock_out_at": at(35), "invite_count": 1, "link_copies": 1, "last_invite_at": at(1),
        "caregiver_first_joined_at": at(3), "caregiver_last_joined_at": at(3), "caregiver_first_left_at": None,
        "caregiver_last_left_at": None, "client_first_joined_at": at(4), "client_last_joined_at": at(4),
        "client_first_left_at": None, "client_last_left_at": None, "minutes_together": 30.0,
        "session_state": "over", "end_reason": "hang_up", "no_show": False,
    }
    assert by_id[no_show]["no_show"] is True and by_id[no_show]["minutes_together"] == 0.0
    assert by_id[no_show]["invite_count"] == 0 and by_id[no_show]["link_copies"] == 1
    assert by_id[rejoin]["minutes_together"] == 6.0 + 32.0
    assert by_id[rejoin]["client_first_left_at"] == at(10) and by_id[rejoin]["client_last_joined_at"] == at(12)
    assert by_id[rejoin]["end_reason"] == "clock_out"
    assert by_id[expired]["session_state"] == "expired" and by_id[expired]["end_reason"] == "expired"
    assert by_id[expired]["no_show"] is True
    # And the CSV carries the same rows
    response = api.call("GET", f"/api/reports/virtual-visits{RANGE}", token=tokens["coord"],
                        headers={"Accept": "text/csv"})
    assert response.headers["Content-Type"].startswith("text/csv")
    parsed = list(csv.DictReader(io.StringIO(response.body.decode())))
    as_text = [{k: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v) for k, v in r.items()}
               for r in rows]
    assert parsed == as_text
    assert parsed[0]["minutes_together"] == "30.0" and parsed[0]["no_show"] == "false"
    assert parsed[0]["caregiver_first_left_at"] == "" and parsed[1]["no_show"] == "true"
    # The other rows, field by field
    assert by_id[no_show] == {**by_id[no_show], "invite_count": 0, "link_copies": 1, "last_invite_at": None,
                              "caregiver_first_joined_at": at(3), "client_first_joined_at": None,
                              "session_state": "over", "end_reason": "hang_up", "clock_out_at": None}
    assert by_id[rejoin] == {**by_id[rejoin], "invite_count": 1, "client_first_joined_at": at(4),
                             "client_last_left_at": at(10), "clock_out_at": at(44), "session_state": "over",
                             "no_show": False}
    assert by_id[expired] == {**by_id[expired], "invite_count": 1, "link_copies": 0, "clock_in_at": None,
                              "caregiver_first_joined_at": None, "minutes_together": 0.0}


def test_attendance_is_for_the_callers_agency_coordinators_only(api, tokens, make_visit):
    make_visit()
    assert api.call("GET", f"/api/reports/virtual-visits{RANGE}", token=tokens["other_coord"]).json_body == []
    assert api.call("GET", f"/api/reports/virtual-visits{RANGE}", token=tokens["emp1"]).status_code == 403
    assert api.call("GET", "/api/reports/virtual-visits", token=tokens["coord"]).status_code == 400


def test_r37_a_visit_starting_exactly_at_to_is_in_exactly_one_of_two_consecutive_monthly_reports(api, tokens,
                                                                                                make_visit):
    from datetime import UTC, datetime

    # Given a virtual visit at the first instant of December in the agency's zone (New York: 05:00 UTC)
    december_first = make_visit(start=datetime(2026, 12, 1, 5, tzinfo=UTC))
    # When the coordinator downloads November and December, asked for as dates
    def report(query: str) -> list[str]:
        response = api.call("GET", f"/api/reports/virtual-visits?{query}", token=tokens["coord"],
                            headers={"Accept": "text/csv"})
        assert response.status_code == 200, response.body
        return [r["visit_id"] for r in csv.DictReader(io.StringIO(response.body.decode()))]

    november, december = report("from=2026-11-01&to=2026-12-01"), report("from=2026-12-01&to=2027-01-01")
    # Then it is billed once, in December; the schedules agree, also when asked for as instants
    assert december_first not in november and december_first in december
    week = api.call("GET", "/api/schedule?from=2026-11-30&to=2026-12-01T05:00:00Z", token=tokens["emp1"]).json_body
    assert december_first not in [v["id"] for v in week]
    day = api.call("GET", "/api/schedule?from=2026-12-01&to=2026-12-02", token=tokens["emp1"]).json_body
    assert [v["id"] for v in day] == [december_first]


def test_r37_a_range_in_neither_form_is_400_naming_the_field(api, tokens):
    for query, field in (("from=2026-11-01&to=November", "to"), ("from=2026-13-01&to=2026-12-01", "from"),
                         ("from=2026-12-01&to=2026-11-01", "to")):
        response = api.call("GET", f"/api/reports/virtual-visits?{query}", token=tokens["coord"])
        assert response.status_code == 400 and f"'{field}'" in response.json_body["Message"], response.body
