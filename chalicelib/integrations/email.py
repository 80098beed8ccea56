"""SES v2: send one raw multipart (text + HTML) message."""

from __future__ import annotations

from dataclasses import dataclass
from email.charset import QP, Charset
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
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
    """A multipart/alternative message: text first, HTML preferred by clients that can show it.

    Built with the email package's MIME classes rather than `EmailMessage`, whose header and content
    machinery made this the largest part of an invite's CPU time (about 3 ms of 6; docs/PERFORMANCE.md).
    """
    msg = MIMEMultipart("alternative")
    msg["Subject"] = email.subject
    msg["From"] = formataddr((email.sender_name, email.sender))
    msg["To"] = email.to
    msg["Message-ID"] = make_msgid(domain=email.sender.rpartition("@")[2] or None)
    msg.attach(_text_part(email.text, "plain"))
    msg.attach(_text_part(email.html, "html"))
    return msg.as_bytes()


def _text_part(body: str, subtype: str) -> MIMENonMultipart:
    """7bit when the body allows it (ASCII, lines of at most 78), else UTF-8 quoted-printable."""
    if body.isascii() and all(len(line) <= 78 for line in body.splitlines()):
        charset = Charset("us-ascii")
    else:
        charset = Charset("utf-8")
        charset.body_encoding = QP
    part = MIMENonMultipart("text", subtype)
    del part["MIME-Version"]  # the message has it; a part needs no copy
    part.set_payload(body, charset)
    return part


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
