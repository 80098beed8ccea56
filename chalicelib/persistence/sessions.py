"""Virtual sessions and join links: every state transition is a conditional write."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from pynamodb.exceptions import UpdateError

from chalicelib.errors import Conflict
from chalicelib.persistence import keys
from chalicelib.persistence.binding import bound
from chalicelib.persistence.models import JoinLink, MeetingPointer, OpenSessions, Session, Visit
from chalicelib.persistence.visits import OPEN_STATES, commit, new_event

Op = tuple[str, Any, list[Any], Any]


def create_session(visit: Visit, nonce: str, expires_at: datetime, shard: str, link_hash_pk: str) -> Session | None:
    """Create the visit's session and its first link; None when another call created it first."""
    session = Session(
        visit.pk, keys.SESSION_SK,
        agency_id=visit.agency_id, visit_id=visit.visit_id, state="invited",
        link_generation=visit.schedule_version, link_nonce=nonce, expires_at=expires_at,
        sweep_shard=shard, sweep_at=expires_at,
    )
    link = _link(link_hash_pk, visit, int(visit.schedule_version), expires_at)
    try:
        commit([
            ("put", session, [], Session.pk.does_not_exist()),
            ("put", link, [], None),
        ])
    except Conflict:
        return None
    return session


def _link(link_hash_pk: str, visit: Visit, generation: int, expires_at: datetime) -> JoinLink:
    return JoinLink(
        link_hash_pk, "LINK", agency_id=visit.agency_id, visit_id=visit.visit_id,
        generation=generation, expires_at=expires_at, expires_ttl=expires_at,
    )


def rotate_link(session: Session, visit: Visit, nonce: str, expires_at: datetime, link_hash_pk: str) -> bool:
    """Issue the link of the visit's current schedule version; False when another call rotated it first."""
    try:
        commit([
            ("update", session, [
                Session.link_generation.set(visit.schedule_version), Session.link_nonce.set(nonce),
                Session.expires_at.set(expires_at), Session.sweep_at.set(expires_at),
            ], (Session.link_generation == session.link_generation) & Session.state.is_in(*OPEN_STATES)),
            ("put", _link(link_hash_pk, visit, int(visit.schedule_version), expires_at), [], None),
        ])
    except Conflict:
        return False
    return True


def issue_link_again(session: Session, link_hash_pk: str) -> None:
    """The session's current link under another token hash (the link key rotated): same generation, same expiry."""
    link = JoinLink(
        link_hash_pk, "LINK", agency_id=session.agency_id, visit_id=session.visit_id,
        generation=int(session.link_generation), expires_at=session.expires_at, expires_ttl=session.expires_at,
    )
    commit([("put", link, [], None)])


def record_invite(session: Session, at: datetime, actor: str, emailed: bool) -> None:
    """Record an emailed invite (R09's last-sent time) or a copied link on the session and timeline.

    It also records which link generation went out: only a delivered link makes the invite current (R10).
    """
    actions: list[Any] = [Session.invite_count.add(1), Session.sent_generation.set(session.link_generation)]
    if emailed:
        actions += [Session.last_invite_sent_at.set(at), Session.invite_bounced.set(False)]
    commit([
        ("update", session, actions, Session.state.is_in(*OPEN_STATES)),
        ("put", new_event(session, at, "invite_sent" if emailed else "link_copied", actor), [], None),
    ])


def record_email_after_end(session: Session, at: datetime, actor: str) -> None:
    """An invite email went out while the session ended: the timeline shows it all the same (R26)."""
    commit([("put", new_event(session, at, "invite_sent", actor), [], None)])


def get_link(token_pk: str) -> JoinLink | None:
    bound()
    try:
        return JoinLink.get(token_pk, "LINK", consistent_read=True)
    except JoinLink.DoesNotExist:
        return None


def attach_meeting(session: Session, meeting: dict[str, Any], previous_meeting_id: str | None) -> Session:
    """Store the meeting made for this session, unless the session ended or another join stored a newer one.

    The meeting's pointer item is written in the same transaction, so its events always find the session.
    """
    meeting_id = meeting["MeetingId"]
    same = Session.meeting_id == meeting_id
    expected: Any
    if previous_meeting_id is None:
        expected = Session.meeting_id.does_not_exist() | same
    else:
        expected = (Session.meeting_id == previous_meeting_id) | same
    seq = session.meeting_seq + (0 if meeting_id == session.meeting_id else 1)
    pointer = MeetingPointer(keys.meeting_pk(meeting_id), "MEETING", agency_id=session.agency_id,
                             visit_id=session.visit_id)
    commit([
        ("update", session, [
            Session.meeting_id.set(meeting_id), Session.meeting.set(meeting), Session.meeting_seq.set(seq),
            Session.state.set("active"),
        ], Session.state.is_in(*OPEN_STATES) & expected),
        ("put", pointer, [], None),
    ])
    session.meeting_id, session.meeting, session.meeting_seq, session.state = meeting_id, meeting, seq, "active"
    return session


def session_of_meeting(meeting_id: str) -> Session | None:
    """The session a provider's meeting belongs to: one GetItem for the pointer, one for the session."""
    bound()
    try:
        pointer = MeetingPointer.get(keys.meeting_pk(meeting_id), "MEETING")
    except MeetingPointer.DoesNotExist:
        return None
    return get_session(keys.visit_pk(pointer.agency_id, pointer.visit_id))


def set_presence(session: Session, who: str, present: bool, at: datetime, actor: str,
                 detail: str | None = None, next_sweep: datetime | None = None) -> bool:
    """Flip one side's presence with its timeline line.

    False when it already was so, the session ended, or a newer change was applied (events arrive
    late, twice, or out of order; `*_seen_at` keeps the latest applied time).
    """
    attr = Session.employee_present if who == "employee" else Session.client_present
    seen = Session.employee_seen_at if who == "employee" else Session.client_seen_at
    event_type = f"{who}_{'joined' if present else 'left'}"
    actions: list[Any] = [attr.set(present), seen.set(at)]
    if next_sweep is not None:
        actions.append(Session.sweep_at.set(next_sweep))
    try:
        commit([
            ("update", session, actions,
             Session.state.is_in(*OPEN_STATES) & (attr != present) & (seen.does_not_exist() | (seen <= at))),
            ("put", new_event(session, at, event_type, actor, detail), [], None),
        ])
    except Conflict:
        return False
    return True


def meeting_gone(session: Session, meeting_id: str, at: datetime, next_sweep: datetime) -> bool:
    """The provider ended the meeting under an open session: forget it, so the next join makes a new one."""
    bound()
    try:
        session.update(
            actions=[Session.meeting_id.remove(), Session.meeting.remove(), Session.employee_present.set(False),
                     Session.client_present.set(False), Session.employee_seen_at.set(at),
                     Session.client_seen_at.set(at), Session.sweep_at.set(next_sweep)],
            condition=Session.state.is_in(*OPEN_STATES) & (Session.meeting_id == meeting_id),
        )
    except UpdateError:
        return False
    return True


def mark_invite_bounced(visit_pk: str) -> None:
    """Flag the visit's session, if it has one, in one conditional write."""
    bound()
    with contextlib.suppress(UpdateError):
        Session(visit_pk, keys.SESSION_SK).update(actions=[Session.invite_bounced.set(True)],
                                                  condition=Session.pk.exists())


def schedule_sweep(session: Session, at: datetime) -> None:
    """Ask the sweep to look at an open session again at `at`."""
    bound()
    with contextlib.suppress(UpdateError):
        session.update(actions=[Session.sweep_at.set(at)], condition=Session.state.is_in(*OPEN_STATES))


def end_ops(session: Session, terminal: str, reason: str, at: datetime, actor: str,
            extra: Any = None) -> list[Op]:
    """Operations that end an open session; a live meeting stays queued for the sweep until deleted.

    The condition pins the meeting id that was read, so a join that attaches a meeting meanwhile makes
    this fail and the caller re-reads, rather than ending the session with a live meeting nobody deletes.
    """
    actions = [
        Session.state.set(terminal), Session.ended_reason.set(reason), Session.ended_at.set(at),
        Session.employee_present.set(False), Session.client_present.set(False),
    ]
    same_meeting: Any
    if session.meeting_id:
        actions += [Session.meeting_to_delete.set(session.meeting_id), Session.sweep_at.set(at)]
        same_meeting = Session.meeting_id == session.meeting_id
    else:
        actions += [Session.sweep_shard.remove(), Session.sweep_at.remove()]
        same_meeting = Session.meeting_id.does_not_exist()
    condition = Session.state.is_in(*OPEN_STATES) & same_meeting
    if extra is not None:
        condition = condition & extra
    event = "link_expired" if terminal == "expired" else "session_ended"
    return [
        ("update", session, actions, condition),
        ("put", new_event(session, at, event, actor, reason), [], None),
    ]


def end_session(session: Session, terminal: str, reason: str, at: datetime, actor: str,
                extra: Any = None) -> Session | None:
    """End an open session, re-reading on a lost race; the ended session, or None if it had already ended."""
    current: Session | None = session
    for _ in range(5):
        if current is None or current.state not in OPEN_STATES:
            return None
        try:
            commit(end_ops(current, terminal, reason, at, actor, extra))
        except Conflict:
            current = get_session(current.pk)
            continue
        return current
    raise Conflict()


def meeting_deleted(session: Session, meeting_id: str) -> None:
    """The ended session's meeting is gone: it leaves the sweep index."""
    bound()
    pending: Any = Session.meeting_to_delete.does_not_exist()
    if meeting_id:
        pending = Session.meeting_to_delete == meeting_id
    with contextlib.suppress(UpdateError):  # someone else finished it first
        session.update(
            actions=[Session.meeting_to_delete.remove(), Session.sweep_shard.remove(), Session.sweep_at.remove()],
            condition=pending & ~Session.state.is_in(*OPEN_STATES),
        )


def due_for_sweep(shard: str, now: datetime, limit: int) -> Iterator[Session]:
    """Sessions in one shard whose sweep time has come, oldest first, as the index projects them."""
    bound()
    for item in Session.open_sessions.query(shard, OpenSessions.sweep_at <= now, limit=limit, page_size=limit):
        if isinstance(item, Session):
            yield item


def get_session(pk: str) -> Session | None:
    bound()
    try:
        return Session.get(pk, keys.SESSION_SK, consistent_read=True)
    except Session.DoesNotExist:
        return None

