"""SES v2: send one raw multipart (text + HTML) message."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.errors import EmailFailed

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client


class EmailSuppressed(EmailFailed):
    """SES refused the address because it is on the account's suppression list."""

    status, code = 422, "EMAIL_SUPPRESSED"
    message = (
        "The client's email address is on the suppression list because earlier mail to it bounced or was "
        "reported as spam. Check the client's email address, or copy the invite link instead."
    )


@dataclass(frozen=True)
class Email:
    sender_name: str
    sender: str
    to: str
    subject: str
    text: str
    html: str


def build_mime(email: Email) -> bytes:
    """A multipart/alternative message: text first, HTML preferred by clients that can show it."""
    msg = EmailMessage()
    msg["Subject"] = email.subject
    msg["From"] = formataddr((email.sender_name, email.sender))
    msg["To"] = email.to
    msg["Message-ID"] = make_msgid(domain=email.sender.rpartition("@")[2] or None)
    msg.set_content(email.text)
    msg.add_alternative(email.html, subtype="html")
    return msg.as_bytes()


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
