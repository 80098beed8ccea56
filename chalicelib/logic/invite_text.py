"""The invite and reminder text messages (R28, R32), in the client's language (R30).

A text carries the agency's name, the words "video visit", the visit's start time with its time zone (R44) and the
link, and nothing else: no client name, no caregiver, no service, nothing about the client's health.
"""

from __future__ import annotations

from chalicelib import i18n
from chalicelib.records import Agency, Visit


def invite_text(agency: Agency, visit: Visit, url: str, language: str) -> str:
    """"Sunrise Home Care: your video visit is on Wednesday, November 25 at 10:00 AM (Eastern Time). Join here: …"."""
    zone = agency.time_zone
    return i18n.say(language, "sms.invite", agency=agency.name, date=i18n.day(visit.start, zone, language),
                    at_time=i18n.at_time(visit.start, zone, language),
                    zone=i18n.zone_name(zone, language, visit.start), url=url)


def reminder_text(agency: Agency, visit: Visit, url: str, language: str) -> str:
    """"Sunrise Home Care: your video visit starts at 10:00 AM (Eastern Time). Join here: …"."""
    zone = agency.time_zone
    return i18n.say(language, "sms.reminder", agency=agency.name, at_time=i18n.at_time(visit.start, zone, language),
                    zone=i18n.zone_name(zone, language, visit.start), url=url)


GSM_7 = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
            "¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM_7_EXTENDED = set("^{}\\[~]|€")  # two septets each


def segments(text: str) -> int:
    """How many SMS parts a text takes (what it costs): GSM-7 holds 160 septets in one part and 153 a part after;
    a text with any other character goes as UCS-2, 70 characters in one part and 67 a part after."""
    if all(c in GSM_7 or c in GSM_7_EXTENDED for c in text):
        septets = sum(2 if c in GSM_7_EXTENDED else 1 for c in text)
        return 1 if septets <= 160 else -(-septets // 153)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= 70 else -(-units // 67)
