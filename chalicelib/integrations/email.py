"""SES v2: send one raw MIME message (text and HTML, and the visit as a calendar entry when there is one)."""

from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING, Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.errors import EmailFailed, EmailSuppressed

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client

CALENDAR_FILE = "invite.ics"
# CRLF line ends and 7-bit bodies: any non-ASCII text goes out quoted-printable or base64, which every relay takes.
POLICY = SMTP.clone(cte_type="7bit")


@dataclass(frozen=True)
class Email:
    sender_name: str
    sender: str
    to: str
    subject: str
    text: str
    html: str
    calendar: str | None = None  # an iCalendar object (RFC 5545), METHOD:REQUEST (R31)


def build_mime(email: Email) -> bytes:
    """The message as the standard library's `email` package writes it (policy SMTP: CRLF line ends, non-ASCII
    headers RFC 2047-encoded, bodies in quoted-printable or base64 as their text needs).

    Without a calendar it is multipart/alternative (text, then HTML). With one, the calendar is a third alternative
    (`text/calendar; method=REQUEST`, the part mail apps read as an invitation) and the same object is attached as
    `invite.ics` for the apps that only offer attachments; the message is then multipart/mixed. A line break in a
    header value is refused (no header injection).
    """
    if any("\r" in value or "\n" in value for value in (email.sender_name, email.sender, email.to, email.subject)):
        raise ValueError("a header value holds a line break")
    message = EmailMessage(policy=POLICY)
    message["Subject"] = email.subject
    local, _, domain = email.sender.rpartition("@")
    message["From"] = Address(display_name=email.sender_name, username=local, domain=domain)
    message["To"] = email.to
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=domain or None)
    message.set_content(email.text, charset="utf-8")
    message.add_alternative(email.html, subtype="html", charset="utf-8")
    if email.calendar is not None:
        message.add_alternative(email.calendar, subtype="calendar", charset="utf-8", params={"method": "REQUEST"})
        message.add_attachment(email.calendar.encode(), maintype="application", subtype="ics",
                               filename=CALENDAR_FILE)
    return message.as_bytes()


class Mailer(Protocol):
    """What the rules need from a mail service."""

    def send(self, email: Email, tags: dict[str, str] | None = None) -> str:
        """Send one message (EmailFailed or EmailSuppressed when the service refuses); return its id."""
        ...


class SesMailer:
    """Sends through SES v2 with `Content.Raw`, tagged with the configuration set for delivery events."""

    def __init__(self, client: SESV2Client | Any, configuration_set: str = "") -> None:
        self._client = client
        self._configuration_set = configuration_set

    def send(self, email: Email, tags: dict[str, str] | None = None) -> str:
        """Send one message; return SES's message id."""
        request: dict[str, Any] = {
            "FromEmailAddress": email.sender,
            "Destination": {"ToAddresses": [email.to]},
            "Content": {"Raw": {"Data": build_mime(email)}},
        }
        if self._configuration_set:
            request["ConfigurationSetName"] = self._configuration_set
        if tags:
            request["EmailTags"] = [{"Name": k, "Value": v} for k, v in sorted(tags.items())]
        try:
            response = self._client.send_email(**request)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            if error.get("Code") == "MessageRejected" and "suppress" in error.get("Message", "").lower():
                raise EmailSuppressed() from exc
            raise EmailFailed() from exc
        except BotoCoreError as exc:
            raise EmailFailed() from exc
        return str(response["MessageId"])
