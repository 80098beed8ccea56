"""The invite and reminder emails, in the client's language (R04, R30, R32), with the visit as a calendar entry in
the invite (R31): what a client reads on a phone, with no personal data in the subject."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

from chalicelib import i18n
from chalicelib.integrations.email import Email
from chalicelib.logic.calendar import visit_entry
from chalicelib.records import Agency, Visit


@dataclass(frozen=True)
class Letter:
    """What one email says: who it is from and to, the visit, the link, and the client's language."""

    agency: Agency
    to: str
    caregiver_first_name: str
    visit: Visit
    url: str
    link_expires_at: datetime
    language: str


def _body(letter: Letter, intro_key: str) -> tuple[str, str]:
    """The text and HTML bodies."""
    lang, agency, zone = letter.language, letter.agency.name, letter.agency.time_zone
    say = i18n.say
    when = i18n.when(letter.visit.start, zone, lang)
    until = i18n.when(letter.link_expires_at, zone, lang)
    tips: tuple[str, ...] = i18n.table(lang)["email.tips"]
    intro = say(lang, intro_key, agency=agency, caregiver=letter.caregiver_first_name)
    closing = say(lang, "email.no_account", agency=agency)
    calendar = say(lang, "email.calendar") if intro_key == "email.intro" else ""
    tips_text = "\n".join(f"  {n}. {tip}" for n, tip in enumerate(tips, 1))
    text = (
        f"{say(lang, 'email.greeting')}\n\n{intro}\n\n{say(lang, 'email.when')} {when}\n\n"
        f"{say(lang, 'email.join_here')}\n{letter.url}\n\n{say(lang, 'email.until', until=until)}\n\n"
        + (f"{calendar}\n\n" if calendar else "")
        + f"{say(lang, 'email.tips_title')}\n{tips_text}\n\n{closing}\n"
    )
    url = escape(letter.url)
    html_intro = escape(i18n.table(lang)[intro_key]).format(
        agency=escape(agency), caregiver=f"<strong>{escape(letter.caregiver_first_name)}</strong>")
    html = (
        f"<!doctype html><html lang=\"{lang}\"><body style=\"font-family: sans-serif; font-size: 18px; "
        "line-height: 1.5\">"
        f"<p>{escape(say(lang, 'email.greeting'))}</p><p>{html_intro}</p>"
        f"<p><strong>{escape(say(lang, 'email.when'))}</strong> {escape(when)}</p>"
        f"<p><a href=\"{url}\" style=\"display: inline-block; padding: 16px 24px; background: #0b5cad; "
        "color: #ffffff; text-decoration: none; border-radius: 8px; font-size: 20px\">"
        f"{escape(say(lang, 'email.button'))}</a></p><p>{escape(say(lang, 'email.copy', url=letter.url))}</p>"
        f"<p>{escape(say(lang, 'email.until', until=until))}</p>"
        + (f"<p>{escape(calendar)}</p>" if calendar else "")
        + f"<p><strong>{escape(say(lang, 'email.tips_title'))}</strong></p>"
        f"<ol>{''.join(f'<li>{escape(tip)}</li>' for tip in tips)}</ol>"
        f"<p>{escape(closing)}</p></body></html>"
    )
    return text, html


def calendar_uid(visit: Visit, sender: str) -> str:
    """The visit's calendar entry's UID: the same for every invite of the visit, and nothing personal in it."""
    return f"visit-{visit.visit_id}@{sender.rpartition('@')[2] or 'virtual-visits'}"


def compose_invite(letter: Letter, now: datetime) -> Email:
    """The invite: text and HTML, and the visit as a calendar entry (its SEQUENCE moves with the time, R31)."""
    text, html = _body(letter, "email.intro")
    agency, lang = letter.agency, letter.language
    entry = visit_entry(
        uid=calendar_uid(letter.visit, agency.sender_email), sequence=letter.visit.schedule_version, stamp=now,
        start=letter.visit.start, end=letter.visit.end, summary=i18n.say(lang, "calendar.summary", agency=agency.name),
        description=i18n.say(lang, "calendar.description", url=letter.url), url=letter.url,
        organizer_name=agency.name, organizer_email=agency.sender_email, attendee_email=letter.to,
    )
    return Email(sender_name=agency.name, sender=agency.sender_email, to=letter.to,
                 subject=i18n.say(lang, "email.subject"), text=text, html=html, calendar=entry)


def compose_reminder(letter: Letter) -> Email:
    """The reminder (R32): the invite's text and link, with no calendar entry (the invite's still holds)."""
    text, html = _body(letter, "email.reminder_intro")
    return Email(sender_name=letter.agency.name, sender=letter.agency.sender_email, to=letter.to,
                 subject=i18n.say(letter.language, "email.reminder_subject"), text=text, html=html)
