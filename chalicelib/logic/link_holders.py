"""Who holds a join link, and what it opens: the client's link (R10, R13, R16) or the guest's (R38), one generation of
one visit. The guest's link follows every rule of the client's: it needs the session, dies with a time change (R10),
expires with the session (R13) and with its end (R23). A link holder's refusals are in the client's language (R30):
the page's own choice, else the client's preferred language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from chalicelib.errors import ClientLinkExpired, ClientSessionOver, DomainError, InvalidLink, NotFound, VisitCancelled
from chalicelib.i18n import DEFAULT, supported
from chalicelib.logic import links
from chalicelib.records import CLIENT, GUEST, Session, SessionState, VisitBundle

if TYPE_CHECKING:
    from chalicelib.services import Services

T = TypeVar("T")


class Holder:
    """What a link holder's request learned of its link so far: the client it belongs to, once known."""

    def __init__(self) -> None:
        self.client: tuple[str, str] | None = None  # (agency id, client id)


def _language(services: Services, holder: Holder, chosen: str | None) -> str:
    """The language of a link holder's refusal (R30): the page's own choice, else the client's, else the default."""
    if chosen:
        return supported(chosen)
    if holder.client is None:
        return DEFAULT
    try:
        return supported(services.directory.client(*holder.client).preferred_language)
    except DomainError:
        return DEFAULT


def speaking(services: Services, chosen: str | None, work: Callable[[Holder], T]) -> T:
    """Run a link holder's request; a refusal leaves in the client's language."""
    holder = Holder()
    try:
        return work(holder)
    except DomainError as exc:
        if exc.language is None:
            exc.language = _language(services, holder, chosen)
        raise


def by_token(services: Services, token: str, now: datetime,
             known: Holder | None = None) -> tuple[VisitBundle, Session, str]:
    """The visit behind a link, its session and who holds it, if the link is of the visit's current time and not
    expired (R10, R13); a cancelled visit's link says so (R34)."""
    link = services.sessions.link(links.digest(token)) if links.looks_like_token(token) else None
    if link is None:
        raise InvalidLink()
    try:
        bundle = services.visits.bundle(link.agency_id, link.visit_id)
    except NotFound:
        raise InvalidLink() from None
    if known is not None:
        known.client = (link.agency_id, bundle.visit.client_id)
    session = bundle.session
    current = bundle.visit.schedule_version == link.generation
    generation = None if session is None else session.guest_generation if link.who == GUEST else session.link_generation
    if session is None or not current or generation != link.generation:
        raise InvalidLink()
    if bundle.visit.cancelled:
        raise VisitCancelled()  # R34
    if session.state == SessionState.EXPIRED or now >= session.expires_at or now >= link.expires_at:
        raise ClientLinkExpired(visit=bundle.visit)
    return bundle, session, GUEST if link.who == GUEST else CLIENT


def require_open(session: Session | None, now: datetime) -> Session:
    """The link holder's session, if it is still open: the client's texts for an end (R20, R23) or expiry (R13)."""
    if session is None or session.state == SessionState.OVER:
        raise ClientSessionOver()
    if session.state == SessionState.EXPIRED or now >= session.expires_at:
        raise ClientLinkExpired()
    return session
