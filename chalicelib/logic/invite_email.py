"""The invite email: what a client reads on a phone, with no personal data in the subject."""

from __future__ import annotations

from datetime import datetime
from html import escape

from chalicelib.clock import local_time
from chalicelib.integrations.email import Email

SUBJECT = "Your video visit link"
TIPS = (
    "Open the link on the phone or tablet you will use, a few minutes before the visit.",
    "When your browser asks, allow the camera and the microphone.",
    "Find a quiet, well-lit spot, and keep the phone charged or plugged in.",
)


def _when(value: datetime, zone: str) -> str:
    local = local_time(value, zone)
    return local.strftime("%A %d %B %Y at %H:%M ") + (local.tzname() or zone)


def compose_invite(agency_name: str, sender: str, to: str, caregiver_first_name: str, start: datetime,
                   zone: str, url: str, expires_at: datetime) -> Email:
    """The text and HTML invite for one link."""
    when = _when(start, zone)
    until = _when(expires_at, zone)
    tips_text = "\n".join(f"  {n}. {tip}" for n, tip in enumerate(TIPS, 1))
    text = (
        f"Hello,\n\n{agency_name} has set up a video visit for you with your caregiver "
        f"{caregiver_first_name}.\n\nWhen: {when}\n\nJoin the visit here:\n{url}\n\n"
        f"This link works until {until}.\n\nTips for joining from a phone:\n{tips_text}\n\n"
        f"You do not need an account or an app. If the link does not work, please call {agency_name}.\n"
    )
    tips_html = "".join(f"<li>{escape(tip)}</li>" for tip in TIPS)
    html = (
        "<!doctype html><html><body style=\"font-family: sans-serif; font-size: 18px; line-height: 1.5\">"
        f"<p>Hello,</p><p>{escape(agency_name)} has set up a video visit for you with your caregiver "
        f"<strong>{escape(caregiver_first_name)}</strong>.</p>"
        f"<p><strong>When:</strong> {escape(when)}</p>"
        f"<p><a href=\"{escape(url)}\" style=\"display: inline-block; padding: 16px 24px; "
        "background: #0b5cad; color: #ffffff; text-decoration: none; border-radius: 8px; font-size: 20px\">"
        f"Join the video visit</a></p><p>Or copy this link: {escape(url)}</p>"
        f"<p>This link works until {escape(until)}.</p>"
        f"<p><strong>Tips for joining from a phone:</strong></p><ol>{tips_html}</ol>"
        f"<p>You do not need an account or an app. If the link does not work, please call "
        f"{escape(agency_name)}.</p></body></html>"
    )
    return Email(sender_name=agency_name, sender=sender, to=to, subject=SUBJECT, text=text, html=html)
