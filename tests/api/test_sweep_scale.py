"""The expiry sweep at scale: cost follows the expired sessions, never the table; safe to overlap and repeat."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.logic import expiry
from chalicelib.persistence import keys
from chalicelib.persistence.models import EventItem, SessionItem
from tests.aws_calls import counting_dynamodb_calls
from tests.conftest import NOW

SHARDS = 4


def seed_sessions(total: int, due: int) -> list[str]:
    """`total` open sessions; the first `due` expired a minute ago, the rest expire in the next hours."""
    due_pks = []
    with SessionItem.batch_write() as batch:
        for n in range(total):
            visit_id = f"v{n:06d}"
            expires = NOW - timedelta(minutes=1) if n < due else NOW + timedelta(minutes=5 + n % 600)
            pk = keys.visit_pk("ag1", visit_id)
            if n < due:
                due_pks.append(pk)
            batch.save(SessionItem(
                pk, keys.SESSION_SK, agency_id="ag1", visit_id=visit_id, state="invited", link_generation=1,
                link_nonce="n", expires_at=expires, invite_count=1, sweep_shard=keys.sweep_shard(visit_id, SHARDS),
                sweep_at=expires,
            ))
    return due_pks


def states(services, pks: list[str]) -> dict[str, str]:
    return {pk: s.state for pk in pks if (s := services.sessions.get("ag1", pk.rsplit("#", 1)[1])) is not None}


def expired_events(pk: str) -> int:
    return sum(1 for e in EventItem.query(pk, EventItem.sk.startswith("EVENT#")) if e.type == "link_expired")


def sweep_once_counting(services):
    with counting_dynamodb_calls() as calls:
        result = expiry.sweep_expired_sessions(services, NOW, batch=200)
    return result, calls


@pytest.mark.parametrize("table_size", [200, 2_000])
def test_r27_sweep_at_scale_reads_only_what_expired(services, table_size):
    # Given open sessions of which 100 are past expiry (a table ten times larger changes no figure below;
    # moto copies the whole table for every transaction, so larger tables only cost CI time and memory)
    due = seed_sessions(table_size, 100)
    # When one sweep runs
    result, calls = sweep_once_counting(services)
    # Then exactly those 100 expire, reading no more than 110 items and never scanning
    assert result.expired == 100 and result.examined == 100
    assert calls.items_read <= 110, calls.items_read
    assert calls.operations["dynamodb.Scan"] == 0
    assert calls.operations["dynamodb.Query"] == SHARDS
    assert calls.operations["dynamodb.TransactWriteItems"] == 100
    assert set(states(services, due).values()) == {"expired"}
    # And a second sweep finds nothing and changes nothing
    second, again = sweep_once_counting(services)
    assert (second.expired, second.examined) == (0, 0)
    assert again.items_read == 0 and again.operations["dynamodb.TransactWriteItems"] == 0


def test_sweep_works_in_bounded_batches(services):
    due = seed_sessions(300, 250)
    first = expiry.sweep_expired_sessions(services, NOW, batch=100)
    second = expiry.sweep_expired_sessions(services, NOW, batch=100)
    third = expiry.sweep_expired_sessions(services, NOW, batch=100)
    assert (first.expired, second.expired, third.expired) == (100, 100, 50)
    assert set(states(services, due).values()) == {"expired"}


def test_overlapping_sweeps_expire_each_session_once(services, monkeypatch):
    # Given two sweeps that read the same due sessions before either writes
    due = seed_sessions(500, 60)
    stale = list(services.sessions.due_for_sweep(NOW, 200))
    assert len(stale) == 60
    # When the second runs to the end, then the first acts on what it read
    other = expiry.sweep_expired_sessions(services, NOW, batch=200)
    result = expiry.SweepResult()
    for session in stale:
        expiry.sweep_one(services, session, NOW, result)
    # Then every session expired exactly once, with one timeline line each
    assert other.expired == 60 and result.expired == 0
    assert all(expired_events(pk) == 1 for pk in due)


def test_the_same_run_delivered_twice_changes_nothing_more(services):
    due = seed_sessions(200, 30)
    first = expiry.sweep_expired_sessions(services, NOW, batch=200)
    repeat = expiry.sweep_expired_sessions(services, NOW, batch=200)
    assert (first.expired, repeat.expired) == (30, 0)
    assert all(expired_events(pk) == 1 for pk in due)


def test_join_racing_the_sweep_at_the_boundary_leaves_nothing_live(api, make_visit, flow, services, clock):
    # Given a live invitation whose expiry is exactly now
    vid = make_visit()
    flow.link(vid)
    flow.post(vid, "clock-in")
    clock.advance(timedelta(minutes=50 + 15))
    now = clock()
    # When the sweep has read it as due and, before it writes, a join at the boundary attaches a meeting
    [due] = list(services.sessions.due_for_sweep(now, 10))
    assert flow.post(vid, "session/join").status_code == 410  # the join itself sees the expiry
    session = services.sessions.get("ag1", vid)
    assert session is not None
    from chalicelib.logic.meeting_access import join_meeting

    _, meeting, _ = join_meeting(services, session, "employee-emp1", True)  # the racing join's write
    result = expiry.SweepResult()
    expiry.sweep_one(services, due, now, result)
    # Then the sweep still expires it and deletes the meeting the join made
    assert result.expired == 1 and result.meetings_deleted == 1
    from chalicelib.integrations.meetings import MeetingGone

    with pytest.raises(MeetingGone):
        services.meetings.create_attendee(meeting["MeetingId"], "client-x")
    assert flow.session(vid)["state"] == "expired"
