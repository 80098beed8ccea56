"""Reminders at scale (R32): a sweep's cost follows the reminders due, never the upcoming visits; overlapping sweeps
send each once. The 100,000-visit figure is `python -m benchmarks.reminders` (docs/PERFORMANCE.md)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.integrations.local_texts import LocalTexter
from chalicelib.logic import expiry
from chalicelib.logic.reminders import send_due_reminder
from chalicelib.persistence import keys
from chalicelib.persistence.models import EventItem, Item, ReminderItem, SessionItem, VisitItem
from chalicelib.records import Agency, Client, Employee, SmsConsent
from tests.aws_calls import counting_dynamodb_calls
from tests.conftest import NOW

SHARDS = 4


def seed_reminders(directory: Any, total: int, due: int) -> list[str]:
    """`total` invited visits ahead, each with its reminder waiting in the sweep index; the first `due` reminders are
    due now (their visits start in 14 minutes), the others over the next week. Returns the due visits' ids."""
    directory.add_agency(Agency("ag1", "Sunrise Home Care", "America/New_York", "visits@sunrise.example.test"))
    directory.add_employee("ag1", Employee("emp1", "Maria Lopez", "maria@sunrise.example.test", "employee"))
    directory.add_client("ag1", Client("cli1", "Lucía Fernández", None, "es", mobile_phone="+15550100123",
                                       sms_consent=SmsConsent(NOW, "coord1")))
    due_ids = []
    with Item.batch_write() as batch:
        for n in range(total):
            visit_id = f"v{n:06d}"
            start = NOW + timedelta(minutes=14) if n < due else NOW + timedelta(minutes=20 + (n * 7) % (7 * 24 * 60))
            end, remind_at = start + timedelta(minutes=45), start - timedelta(minutes=15)
            expires = end + timedelta(minutes=15)
            pk = keys.visit_pk("ag1", visit_id)
            if n < due:
                due_ids.append(visit_id)
            batch.save(VisitItem(pk, keys.VISIT_SK, agency_id="ag1", visit_id=visit_id, client_id="cli1",
                                 employee_id="emp1", service_code="TELE", start=start, end=end, virtual=True,
                                 employee_key=keys.employee_key("ag1", "emp1"),
                                 client_key=keys.client_key("ag1", "cli1"), agency_key=keys.agency_pk("ag1")))
            batch.save(SessionItem(pk, keys.SESSION_SK, agency_id="ag1", visit_id=visit_id, state="invited",
                                   link_generation=1, link_nonce="n", sent_generation=1, expires_at=expires,
                                   invite_count=1, last_invite_sent_at=NOW - timedelta(hours=1),
                                   last_invite_channel="sms", last_sent_channel="sms",
                                   sweep_shard=keys.sweep_shard(visit_id, SHARDS), sweep_at=expires))
            batch.save(ReminderItem(pk, keys.REMINDER_SK, agency_id="ag1", visit_id=visit_id,
                                    sweep_shard=keys.sweep_shard(visit_id, SHARDS), sweep_at=remind_at))
    return due_ids


def reminders_sent(visit_id: str) -> int:
    pk = keys.visit_pk("ag1", visit_id)
    return sum(1 for e in EventItem.query(pk, EventItem.sk.startswith("EVENT#")) if e.type == "reminder_sent")


def test_r32_a_sweep_reads_only_the_reminders_due(services):
    # Given 500 visits ahead with a text invite each, of which 20 reminders are due (moto answers every Query by
    # walking the whole table, so the size here is small; the benchmark's 100,000 gives the same per-reminder cost)
    services._texter = texter = LocalTexter()
    due = seed_reminders(services.directory, 500, 20)
    # When one sweep runs
    with counting_dynamodb_calls() as calls:
        result = expiry.sweep_expired_sessions(services, NOW, batch=200)
    # Then exactly those 20 are reminded, reading six items each and never scanning: its index entry, its visit and
    # session, and the agency, client and caregiver (read before anything else: the counting client stays hooked)
    assert (calls.items_read, calls.operations["dynamodb.Scan"]) == (20 * 6, 0)
    assert calls.operations["dynamodb.Query"] == SHARDS + 20  # the index, then each visit's partition
    assert (result.reminded, result.examined) == (20, 20)
    assert len(texter.sent()) == 20 and all(reminders_sent(vid) == 1 for vid in due)
    # And the next sweep finds nothing left to do
    with counting_dynamodb_calls() as again:
        assert expiry.sweep_expired_sessions(services, NOW + timedelta(seconds=30), batch=200).examined == 0
    assert again.items_read == 0


def test_r32_overlapping_sweeps_send_each_reminder_once(services):
    # Given 15 reminders due, and a sweep that has read them from the index when a second sweep starts
    services._texter = texter = LocalTexter()
    due = seed_reminders(services.directory, 60, 15)
    first = list(services.sessions.due_for_sweep(NOW, 200))
    # When the second sweep runs whole, and then the first carries on with what it read
    second = expiry.sweep_expired_sessions(services, NOW, batch=200)
    late = sum(send_due_reminder(services, reminder, NOW) for reminder in first)
    # Then each visit got one reminder: the first sweep's conditional take found every one taken
    assert (second.reminded, late) == (15, 0)
    assert sorted(text["context"]["visit"] for text in texter.sent()) == due
    assert all(reminders_sent(vid) == 1 for vid in due)
