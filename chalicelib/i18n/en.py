"""English: every text a client reads from the server (the email, the text message, the calendar entry and the join
page's refusals). The texts quoted in SPEC.md are the English ones; the refusals are taken from chalicelib.errors,
where each is written once."""

from __future__ import annotations

from typing import Any

from chalicelib import errors

TEXTS: dict[str, Any] = {
    "language_name": "English",
    "locale": "en-US",
    # Dates and times (R44): "Wednesday, November 25, 2026 at 10:00 AM Eastern Time"
    "weekdays": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "months": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December"),
    "am_pm": ("AM", "PM"),
    "clock": "{hour}:{minute} {am_pm}",
    "date": "{weekday}, {month} {day}",
    "date_year": "{weekday}, {month} {day}, {year}",
    "at_time": "at {time}",
    "at_one": "at {time}",  # Spanish says "a la 1:00", "a las 2:00"
    "with_zone": "{time} {zone}",
    "zones": {
        "America/New_York": "Eastern Time", "America/Detroit": "Eastern Time",
        "America/Indiana/Indianapolis": "Eastern Time", "America/Kentucky/Louisville": "Eastern Time",
        "America/Chicago": "Central Time", "America/Denver": "Mountain Time", "America/Boise": "Mountain Time",
        "America/Phoenix": "Arizona Time", "America/Los_Angeles": "Pacific Time", "America/Anchorage": "Alaska Time",
        "Pacific/Honolulu": "Hawaii Time", "America/Puerto_Rico": "Atlantic Time", "Europe/London": "UK time",
    },
    # The invite email (R04, R31) and the reminder email (R32)
    "email.subject": "Your video visit link",
    "email.reminder_subject": "Your video visit starts soon",
    "email.greeting": "Hello,",
    "email.intro": "{agency} has set up a video visit for you with your caregiver {caregiver}.",
    "email.reminder_intro": "A reminder from {agency}: your video visit with your caregiver {caregiver} starts soon.",
    "email.when": "When:",
    "email.join_here": "Join the visit here:",
    "email.button": "Join the video visit",
    "email.copy": "Or copy this link: {url}",
    "email.until": "This link works until {until}.",
    "email.calendar": "The visit is attached as a calendar entry: open it to add the visit to your calendar.",
    "email.tips_title": "Tips for joining from a phone:",
    "email.tips": (
        "Open the link on the phone or tablet you will use, a few minutes before the visit.",
        "When your browser asks, allow the camera and the microphone.",
        "Find a quiet, well-lit spot, and keep the phone charged or plugged in.",
    ),
    "email.no_account": "You do not need an account or an app. If the link does not work, please call {agency}.",
    # The text messages (R28, R32): the agency, the words "video visit", the start time and the link, nothing else
    "sms.invite": "{agency}: your video visit is on {date} {at_time} ({zone}). Join here: {url}",
    "sms.reminder": "{agency}: your video visit starts {at_time} ({zone}). Join here: {url}",
    # The calendar entry (R31)
    "calendar.summary": "Video visit with {agency}",
    "calendar.description": "Join the video visit here: {url}",
    # The client's refusals (R10, R13, R16, R20, R23, R34) and what else the join page can meet
    "refusal.InvalidLink": errors.InvalidLink.message,
    "refusal.ClientLinkExpired": errors.ClientLinkExpired.message,
    "refusal.ClientSessionOver": errors.ClientSessionOver.message,
    "refusal.WaitingForCaregiver": errors.WaitingForCaregiver.message,
    "refusal.VisitCancelled": "This visit was cancelled. Please contact your care provider.",  # R34 (issue 13's)
    "refusal.ServiceBusy": errors.ServiceBusy.message,
    "refusal.VideoUnavailable": errors.VideoUnavailable.message,
    "refusal.VideoBusy": errors.VideoBusy.message,  # issue 16: what a page shows once it stopped asking by itself
    "refusal.Conflict": errors.Conflict.message,
    "refusal.InternalError": errors.InternalError.message,
    "refusal.BadRequest": errors.BadRequest.message,
    "refusal.DomainError": errors.DomainError.message,
}
