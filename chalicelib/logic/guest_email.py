"""The guest's invite email (R38): who invites them, when, and their own link; nothing about the client's care."""

from __future__ import annotations

from datetime import datetime
from html import escape

from chalicelib.integrations.email import Email
from chalicelib.logic.invite_email import SUBJECT, TIPS
from chalicelib.logic.invite_email import _when as when_text


def compose_guest_invite(agency_name: str, sender: str, to: str, guest_first_name: str, caregiver_first_name: str,
                         start: datetime, zone: str, url: str, expires_at: datetime) -> Email:
    """The text and HTML invite for the guest's link; the subject names nobody."""
    when, until = when_text(start, zone), when_text(expires_at, zone)
    tips_text = "\n".join(f"  {n}. {tip}" for n, tip in enumerate(TIPS, 1))
    text = (
        f"Hello {guest_first_name},\n\n{caregiver_first_name} from {agency_name} invites you to join a video "
        f"visit as a guest.\n\nWhen: {when}\n\nJoin the visit here (this link is yours alone):\n{url}\n\n"
        f"This link works until {until}. The visit starts once {caregiver_first_name} is in the call.\n\n"
        f"Tips for joining from a phone:\n{tips_text}\n\nYou do not need an account or an app.\n"
    )
    tips_html = "".join(f"<li>{escape(tip)}</li>" for tip in TIPS)
    html = (
        "<!doctype html><html><body style=\"font-family: sans-serif; font-size: 18px; line-height: 1.5\">"
        f"<p>Hello {escape(guest_first_name)},</p><p><strong>{escape(caregiver_first_name)}</strong> from "
        f"{escape(agency_name)} invites you to join a video visit as a guest.</p>"
        f"<p><strong>When:</strong> {escape(when)}</p>"
        f"<p><a href=\"{escape(url)}\" style=\"display: inline-block; padding: 16px 24px; "
        "background: #0b5cad; color: #ffffff; text-decoration: none; border-radius: 8px; font-size: 20px\">"
        f"Join the video visit</a></p><p>Or copy this link (it is yours alone): {escape(url)}</p>"
        f"<p>This link works until {escape(until)}. The visit starts once {escape(caregiver_first_name)} is in the "
        f"call.</p><p><strong>Tips for joining from a phone:</strong></p><ol>{tips_html}</ol>"
        "<p>You do not need an account or an app.</p></body></html>"
    )
    return Email(sender_name=agency_name, sender=sender, to=to, subject=SUBJECT, text=text, html=html)
