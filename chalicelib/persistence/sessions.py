"""Virtual sessions, join links and meeting pointers in DynamoDB: every state transition is a conditional write."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

from pynamodb.exceptions import DeleteError

from chalicelib.config import settings
from chalicelib.errors import Conflict
from chalicelib.persistence import keys
from chalicelib.persistence.binding import bound
from chalicelib.persistence.convert import event_item, link_of, reminder_of, session_of, session_ref
from chalicelib.persistence.models import (
    Item,
    LinkItem,
    MeetingPointer,
    OpenSessions,
    ReminderItem,
    SessionItem,
    TextItem,
)
from chalicelib.persistence.transactions import Op, commit, conditional_update, refused, translated
from chalicelib.records import (
    OPEN_STATES,
    SENT_CHANNELS,
    Ending,
    JoinLink,
    Reminder,
    SentText,
    Session,
    SessionState,
    TimelineEntry,
    Visit,
)

_OPEN = [str(state) for state in OPEN_STATES]
BATCH_KEYS = 100  # BatchGetItem's most keys a call


def _is_open() -> Any:
    return SessionItem.state.is_in(*_OPEN)


def _ref(session: Session) -> SessionItem:
    return session_ref(session.agency_id, session.visit_id)


def _event(session: Session, event: TimelineEntry) -> Op:
    return ("put", event_item(session.agency_id, session.visit_id, event), [], None)


def _link(link_digest: str, visit: Visit, expires_at: datetime) -> Op:
    item = LinkItem(keys.link_pk(link_digest), keys.LINK_SK, agency_id=visit.agency_id, visit_id=visit.visit_id,
                    generation=visit.schedule_version, expires_at=expires_at, expires_ttl=expires_at)
    return ("put", item, [], None)


def end_ops(session: Session, ending: Ending, at: datetime, event: TimelineEntry) -> tuple[list[Op], Session]:
    """The writes that end an open session, and the session they leave.

    The condition pins what the ending was decided on: still open, the meeting id read (a join that attached a
    meeting meanwhile makes it fail, rather than leave a live meeting nobody deletes), and the side of the expiry
    `at` is on (a reschedule that moved the expiry meanwhile makes it fail). A live meeting stays queued for the
    sweep until it is deleted.
    """
    actions = [
        SessionItem.state.set(str(ending.state)), SessionItem.ended_reason.set(str(ending.reason)),
        SessionItem.ended_at.set(at), SessionItem.employee_present.set(False), SessionItem.client_present.set(False),
    ]
    same_meeting: Any
    if session.meeting_id:
        actions += [SessionItem.meeting_to_delete.set(session.meeting_id), SessionItem.sweep_at.set(at)]
        same_meeting = SessionItem.meeting_id == session.meeting_id
    else:
        actions += [SessionItem.sweep_shard.remove(), SessionItem.sweep_at.remove()]
        same_meeting = SessionItem.meeting_id.does_not_exist()
    expiry = (SessionItem.expires_at <= at) if ending.state == SessionState.EXPIRED else (SessionItem.expires_at > at)
    ended = replace(session, state=ending.state, ended_reason=str(ending.reason), ended_at=at,
                    employee_present=False, client_present=False, meeting_to_delete=session.meeting_id,
                    sweep_at=at if session.meeting_id else None)
    return [("update", _ref(session), actions, _is_open() & same_meeting & expiry), _event(session, event)], ended


def moved_expiry(session: Session | None, new_expiry: datetime | None, at: datetime) -> tuple[Op, Session] | None:
    """The write that moves a live session's expiry with its visit's new time (R10), if there is one to move."""
    if session is None or new_expiry is None:
        return None
    op: Op = ("update", _ref(session), [SessionItem.expires_at.set(new_expiry), SessionItem.sweep_at.set(new_expiry)],
              _is_open() & (SessionItem.expires_at > at))
    return op, replace(session, expires_at=new_expiry, sweep_at=new_expiry)


@translated
class DynamoSessions:
    """The `stores.Sessions` on the table: the session beside its visit, links and meeting pointers apart."""

    def __init__(self, shards: int | None = None) -> None:
        self._shards = shards

    @property
    def shards(self) -> int:
        return self._shards if self._shards is not None else settings().sweep_shards

    def get(self, agency_id: str, visit_id: str) -> Session | None:
        bound()
        try:
            return session_of(SessionItem.get(keys.visit_pk(agency_id, visit_id), keys.SESSION_SK,
                                              consistent_read=True))
        except SessionItem.DoesNotExist:
            return None

    def create(self, visit: Visit, nonce: str, expires_at: datetime, link_digest: str) -> Session:
        session = Session(visit.agency_id, visit.visit_id, SessionState.INVITED, expires_at,
                          link_generation=visit.schedule_version, link_nonce=nonce, sweep_at=expires_at)
        item = SessionItem(keys.visit_pk(visit.agency_id, visit.visit_id), keys.SESSION_SK,
                           agency_id=visit.agency_id, visit_id=visit.visit_id, state=str(session.state),
                           link_generation=session.link_generation, link_nonce=nonce, expires_at=expires_at,
                           sweep_shard=keys.sweep_shard(visit.visit_id, self.shards), sweep_at=expires_at)
        commit([("put", item, [], SessionItem.pk.does_not_exist()), _link(link_digest, visit, expires_at)])
        return session

    def rotate_link(self, session: Session, visit: Visit, nonce: str, expires_at: datetime,
                    link_digest: str) -> Session:
        commit([
            ("update", _ref(session), [
                SessionItem.link_generation.set(visit.schedule_version), SessionItem.link_nonce.set(nonce),
                SessionItem.expires_at.set(expires_at), SessionItem.sweep_at.set(expires_at),
            ], (SessionItem.link_generation == session.link_generation) & _is_open()),
            _link(link_digest, visit, expires_at),
        ])
        return replace(session, link_generation=visit.schedule_version, link_nonce=nonce, expires_at=expires_at,
                       sweep_at=expires_at)

    def issue_link_again(self, session: Session, link_digest: str) -> None:
        item = LinkItem(keys.link_pk(link_digest), keys.LINK_SK, agency_id=session.agency_id,
                        visit_id=session.visit_id, generation=session.link_generation,
                        expires_at=session.expires_at, expires_ttl=session.expires_at)
        commit([("put", item, [], None)])

    def link(self, link_digest: str) -> JoinLink | None:
        bound()
        try:
            return link_of(LinkItem.get(keys.link_pk(link_digest), keys.LINK_SK, consistent_read=True))
        except LinkItem.DoesNotExist:
            return None

    def of_visits(self, agency_id: str, visit_ids: Iterable[str]) -> dict[str, Session]:
        """BatchGetItem, 100 keys a call; eventually consistent (a board a second behind is still a live board)."""
        bound()
        wanted = sorted(set(visit_ids))
        found: dict[str, Session] = {}
        for first in range(0, len(wanted), BATCH_KEYS):
            refs = [(keys.visit_pk(agency_id, vid), keys.SESSION_SK) for vid in wanted[first:first + BATCH_KEYS]]
            for item in SessionItem.batch_get(refs):
                found[item.visit_id] = session_of(item)
        return found

    def client_page(self, session: Session, waiting_until: datetime | None,
                    opened: tuple[int, TimelineEntry] | None = None) -> Session | None:
        actions: list[Any] = [SessionItem.client_page_until.remove() if waiting_until is None
                              else SessionItem.client_page_until.set(waiting_until)]
        condition = _is_open()
        changed = replace(session, client_page_until=waiting_until)
        try:
            if opened is None:
                bound()
                if not conditional_update(_ref(session), actions, condition):
                    return None
                return changed
            generation, event = opened
            actions.append(SessionItem.opened_generation.set(generation))
            condition = condition & (SessionItem.opened_generation.does_not_exist()
                                     | (SessionItem.opened_generation < generation))
            commit([("update", _ref(session), actions, condition), _event(session, event)])
        except Conflict:
            return None
        return replace(changed, opened_generation=generation)

    def record_invite(self, session: Session, at: datetime, channel: str, event: TimelineEntry,
                      reminder: Reminder | None = None) -> Session:
        actions: list[Any] = [SessionItem.invite_count.add(1), SessionItem.sent_generation.set(session.link_generation),
                              SessionItem.last_invite_channel.set(channel)]
        sent = channel in SENT_CHANNELS
        if sent:
            actions += [SessionItem.last_invite_sent_at.set(at), SessionItem.invite_undeliverable.set(False),
                        SessionItem.last_sent_channel.set(channel)]
        ops = [("update", _ref(session), actions, _is_open()), _event(session, event)]
        if reminder is not None:
            ops.append(("put", self._reminder_item(reminder), [], None))
        commit(ops)
        recorded = replace(session, invite_count=session.invite_count + 1, sent_generation=session.link_generation,
                           last_invite_channel=channel)
        if sent:
            recorded = replace(recorded, last_invite_sent_at=at, invite_undeliverable=False, last_sent_channel=channel)
        return recorded

    def _reminder_item(self, reminder: Reminder) -> ReminderItem:
        return ReminderItem(keys.visit_pk(reminder.agency_id, reminder.visit_id), keys.REMINDER_SK,
                            agency_id=reminder.agency_id, visit_id=reminder.visit_id,
                            sweep_shard=keys.sweep_shard(reminder.visit_id, self.shards), sweep_at=reminder.at)

    def add_event(self, agency_id: str, visit_id: str, event: TimelineEntry) -> None:
        bound()
        event_item(agency_id, visit_id, event).save()  # one PutItem: a line alone needs no transaction

    def attach_meeting(self, session: Session, meeting: dict[str, Any], previous_meeting_id: str | None) -> Session:
        """The meeting's pointer item is written in the same transaction, so its events always find the session."""
        meeting_id = meeting["MeetingId"]
        same = SessionItem.meeting_id == meeting_id
        expected: Any
        if previous_meeting_id is None:
            expected = SessionItem.meeting_id.does_not_exist() | same
        else:
            expected = (SessionItem.meeting_id == previous_meeting_id) | same
        seq = session.meeting_seq + (0 if meeting_id == session.meeting_id else 1)
        pointer = MeetingPointer(keys.meeting_pk(meeting_id), keys.MEETING_SK, agency_id=session.agency_id,
                                 visit_id=session.visit_id)
        commit([
            ("update", _ref(session), [
                SessionItem.meeting_id.set(meeting_id), SessionItem.meeting.set(meeting),
                SessionItem.meeting_seq.set(seq), SessionItem.state.set(str(SessionState.ACTIVE)),
            ], _is_open() & expected),
            ("put", pointer, [], None),
        ])
        return replace(session, meeting_id=meeting_id, meeting=meeting, meeting_seq=seq, state=SessionState.ACTIVE)

    def of_meeting(self, meeting_id: str) -> Session | None:
        """One GetItem for the pointer, one for the session."""
        bound()
        try:
            pointer = MeetingPointer.get(keys.meeting_pk(meeting_id), keys.MEETING_SK)
        except MeetingPointer.DoesNotExist:
            return None
        return self.get(pointer.agency_id, pointer.visit_id)

    def set_presence(self, session: Session, who: str, present: bool, at: datetime, event: TimelineEntry,
                     next_sweep: datetime | None = None) -> Session | None:
        attr = SessionItem.employee_present if who == "employee" else SessionItem.client_present
        seen = SessionItem.employee_seen_at if who == "employee" else SessionItem.client_seen_at
        actions: list[Any] = [attr.set(present), seen.set(at)]
        if who == "client":  # "client left" lasts until they are back; a client who left is not waiting (R35)
            actions += ([SessionItem.client_left_at.remove()] if present
                        else [SessionItem.client_left_at.set(at), SessionItem.client_page_until.remove()])
        if next_sweep is not None:
            actions.append(SessionItem.sweep_at.set(next_sweep))
        condition = _is_open() & (attr != present) & (seen.does_not_exist() | (seen <= at))
        try:
            commit([("update", _ref(session), actions, condition), _event(session, event)])
        except Conflict:
            return None
        if who == "employee":
            changed = replace(session, employee_present=present, employee_seen_at=at)
        else:
            changed = replace(session, client_present=present, client_seen_at=at,
                              client_left_at=None if present else at,
                              client_page_until=session.client_page_until if present else None)
        return changed if next_sweep is None else replace(changed, sweep_at=next_sweep)

    def meeting_gone(self, session: Session, meeting_id: str, at: datetime, next_sweep: datetime) -> bool:
        bound()
        return conditional_update(_ref(session), [
            SessionItem.meeting_id.remove(), SessionItem.meeting.remove(), SessionItem.employee_present.set(False),
            SessionItem.client_present.set(False), SessionItem.employee_seen_at.set(at),
            SessionItem.client_seen_at.set(at), SessionItem.sweep_at.set(next_sweep),
        ], _is_open() & (SessionItem.meeting_id == meeting_id))

    def mark_invite_undeliverable(self, agency_id: str, visit_id: str, event: TimelineEntry,
                                  sends: int | None = None) -> bool:
        condition: Any = SessionItem.pk.exists()
        if sends is not None:
            condition &= SessionItem.invite_count == sends
        try:
            commit([("update", session_ref(agency_id, visit_id), [SessionItem.invite_undeliverable.set(True)],
                     condition), ("put", event_item(agency_id, visit_id, event), [], None)])
        except Conflict:
            return False
        return True

    def remember_text(self, text: SentText) -> None:
        bound()
        TextItem(keys.text_pk(text.message_id), keys.TEXT_SK, agency_id=text.agency_id, visit_id=text.visit_id,
                 client_id=text.client_id, sends=text.sends, text_kind=text.kind, expires_ttl=text.until).save()

    def text(self, message_id: str, now: datetime) -> SentText | None:
        bound()
        try:
            item = TextItem.get(keys.text_pk(message_id), keys.TEXT_SK)
        except TextItem.DoesNotExist:
            return None
        until = item.expires_ttl
        if until <= now:  # TTL deletes within days, not at once: the clock decides
            return None
        return SentText(message_id, item.agency_id, item.client_id, item.visit_id, int(item.sends), item.text_kind,
                        until)

    def claim_reminder(self, session: Session, generation: int) -> Session:
        not_yet = SessionItem.reminded_generation.does_not_exist() | (SessionItem.reminded_generation != generation)
        condition = (_is_open() & (SessionItem.link_generation == generation)
                     & (SessionItem.sent_generation == generation) & not_yet)
        bound()
        if not conditional_update(_ref(session), [SessionItem.reminded_generation.set(generation)], condition):
            raise Conflict()
        return replace(session, reminded_generation=generation)

    def release_reminder(self, session: Session, generation: int, retry: Reminder) -> None:
        bound()
        if conditional_update(_ref(session), [SessionItem.reminded_generation.remove()],
                              SessionItem.reminded_generation == generation):
            self._reminder_item(retry).save()

    def drop_reminder(self, reminder: Reminder) -> None:
        bound()
        item = ReminderItem(keys.visit_pk(reminder.agency_id, reminder.visit_id), keys.REMINDER_SK)
        try:
            item.delete(condition=ReminderItem.sweep_at == reminder.at)
        except DeleteError as exc:
            if not refused(exc):
                raise

    def schedule_sweep(self, session: Session, at: datetime) -> None:
        bound()
        conditional_update(_ref(session), [SessionItem.sweep_at.set(at)], _is_open())

    def end(self, session: Session, ending: Ending, at: datetime, event: TimelineEntry) -> Session:
        ops, ended = end_ops(session, ending, at, event)
        commit(ops)
        return ended

    def meeting_deleted(self, session: Session, meeting_id: str) -> None:
        bound()
        pending: Any = SessionItem.meeting_to_delete.does_not_exist()
        if meeting_id:
            pending = SessionItem.meeting_to_delete == meeting_id
        # False when someone else finished it first.
        conditional_update(_ref(session), [SessionItem.meeting_to_delete.remove(), SessionItem.sweep_shard.remove(),
                                           SessionItem.sweep_at.remove()], pending & ~_is_open())

    def due_for_sweep(self, now: datetime, limit: int) -> Iterator[Session | Reminder]:
        """Shard by shard, oldest first: one Query a shard, stopping once `limit` items were handed out."""
        bound()
        given = 0
        for shard in range(self.shards):
            remaining = limit - given
            if remaining <= 0:
                return
            # Through the base model: a subclass's query would keep only its own kind, and reminders share the index.
            for item in Item.open_sessions.query(keys.shard_key(shard), OpenSessions.sweep_at <= now,
                                                        limit=remaining, page_size=remaining):
                if isinstance(item, SessionItem):
                    given += 1
                    yield session_of(item)
                elif isinstance(item, ReminderItem):
                    given += 1
                    yield reminder_of(item)
