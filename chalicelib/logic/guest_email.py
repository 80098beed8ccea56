"""The guest's invite email and text message (R38), in the guest's language or, when the caregiver gave none, the
client's (R30): who invites them, when, and their own link; nothing about the client's care, and no name in the
subject or the text message."""

from __future__ import annotations

from datetime import datetime
from html import escape

from chalicelib import i18n
from chalicelib.integrations.email import Email
from chalicelib.records import Agency, Visit


def compose_guest_invite(agency: Agency, to: str, guest_first_name: str, caregiver_first_name: str, visit: Visit,
                         url: str, expires_at: datetime, language: str) -> Email:
    """The text and HTML invite for the guest's link; the subject is the client invite's fixed one."""
    lang, zone, say = language, agency.time_zone, i18n.say
    when, until = i18n.when(visit.start, zone, lang), i18n.when(expires_at, zone, lang)
    tips: tuple[str, ...] = i18n.table(lang)["email.tips"]
    greeting = say(lang, "guest_email.greeting", name=guest_first_name)
    intro = say(lang, "guest_email.intro", caregiver=caregiver_first_name, agency=agency.name)
    starts = say(lang, "guest_email.starts", caregiver=caregiver_first_name)
    closing = say(lang, "email.no_account", agency=agency.name)
    tips_text = "\n".join(f"  {n}. {tip}" for n, tip in enumerate(tips, 1))
    text = (
        f"{greeting}\n\n{intro}\n\n{say(lang, 'email.when')} {when}\n\n{say(lang, 'guest_email.join_here')}\n{url}\n\n"
        f"{say(lang, 'email.until', until=until)} {starts}\n\n{say(lang, 'email.tips_title')}\n{tips_text}\n\n"
        f"{closing}\n"
    )
    html_intro = escape(i18n.table(lang)["guest_email.intro"]).format(
        caregiver=f"<strong>{escape(caregiver_first_name)}</strong>", agency=escape(agency.name))
    html = (
        f"<!doctype html><html lang=\"{lang}\"><body style=\"font-family: sans-serif; font-size: 18px; "
        "line-height: 1.5\">"
        f"<p>{escape(greeting)}</p><p>{html_intro}</p>"
        f"<p><strong>{escape(say(lang, 'email.when'))}</strong> {escape(when)}</p>"
        f"<p><a href=\"{escape(url)}\" style=\"display: inline-block; padding: 16px 24px; background: #0b5cad; "
        "color: #ffffff; text-decoration: none; border-radius: 8px; font-size: 20px\">"
        f"{escape(say(lang, 'email.button'))}</a></p><p>{escape(say(lang, 'email.copy', url=url))}</p>"
        f"<p>{escape(say(lang, 'email.until', until=until))} {escape(starts)}</p>"
        f"<p><strong>{escape(say(lang, 'email.tips_title'))}</strong></p>"
        f"<ol>{''.join(f'<li>{escape(tip)}</li>' for tip in tips)}</ol>"
        f"<p>{escape(closing)}</p></body></html>"
    )
    return Email(sender_name=agency.name, sender=agency.sender_email, to=to, subject=say(lang, "email.subject"),
                 text=text, html=html)


def guest_invite_text(agency: Agency, visit: Visit, url: str, language: str) -> str:
    """"Sunrise Home Care: you are invited to a video visit on Wednesday, November 25 at 10:00 AM (Eastern Time).
    Join here: …": the agency, the words "video visit", the time and the link, nothing else."""
    zone = agency.time_zone
    return i18n.say(language, "sms.guest_invite", agency=agency.name, date=i18n.day(visit.start, zone, language),
                    at_time=i18n.at_time(visit.start, zone, language),
                    zone=i18n.zone_name(zone, language, visit.start), url=url)
