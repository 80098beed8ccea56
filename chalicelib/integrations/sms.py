"""AWS End User Messaging SMS (`pinpoint-sms-voice-v2`): send one transactional text message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.errors import ClientOptedOut, TextFailed, TextRefused, TextsNotSetUp

MIN_TTL, MAX_TTL = 5, 259_200  # what SendTextMessage's TimeToLive takes, in seconds
# Refusals about the destination number itself, which another try will not change.
NUMBER_REFUSALS = frozenset({"CANNOT_PARSE", "COUNTRY_CODE_MISMATCH", "DESTINATION_COUNTRY_BLOCKED",
                             "INVALID_IDENTITY_FOR_DESTINATION_COUNTRY", "INTERNATIONAL_SENDING_NOT_SUPPORTED"})


@dataclass(frozen=True)
class TextMessage:
    """One text to one number; it is worth delivering for `ttl_seconds` (the link's life), no longer."""

    to: str
    body: str
    ttl_seconds: int | None = None


class Texter(Protocol):
    """What the rules need from a text message service."""

    provider: str

    def send(self, message: TextMessage, context: dict[str, str]) -> str:
        """Send one text, with ids to find it again in delivery events; return its message id. ClientOptedOut when
        the number opted out, TextRefused when the number cannot be texted, TextFailed otherwise."""
        ...


class SmsTexter:
    """Sends through End User Messaging SMS: TRANSACTIONAL, from the deployment's origination identity (a toll-free
    number, a 10DLC number or a pool), under the configuration set whose events go to EventBridge."""

    provider = "aws"

    def __init__(self, client: Any, origination_identity: str, configuration_set: str = "") -> None:
        self._client = client
        self._origination_identity = origination_identity
        self._configuration_set = configuration_set

    def send(self, message: TextMessage, context: dict[str, str]) -> str:
        if not self._origination_identity:
            raise TextsNotSetUp()  # no number to send from: nothing to ask the service
        request: dict[str, Any] = {
            "DestinationPhoneNumber": message.to,
            "OriginationIdentity": self._origination_identity,
            "MessageBody": message.body,
            "MessageType": "TRANSACTIONAL",
            "Context": context,
        }
        if self._configuration_set:
            request["ConfigurationSetName"] = self._configuration_set
        if message.ttl_seconds is not None:
            request["TimeToLive"] = min(max(message.ttl_seconds, MIN_TTL), MAX_TTL)
        try:
            response = self._client.send_text_message(**request)
        except ClientError as exc:
            raise _refusal(exc) from exc
        except BotoCoreError as exc:
            raise TextFailed() from exc
        return str(response["MessageId"])


def _refusal(exc: ClientError) -> Exception:
    """The domain error a refused send means."""
    error = exc.response.get("Error", {})
    code, reason = error.get("Code"), exc.response.get("Reason") or error.get("Reason")
    if code == "ConflictException" and reason == "DESTINATION_PHONE_NUMBER_OPTED_OUT":
        return ClientOptedOut()
    if code == "ValidationException" and reason in NUMBER_REFUSALS:
        return TextRefused()
    from chalicelib.observability import log

    # Throttling, a spending limit reached, the sandbox, a missing origination identity: the operators' to fix.
    log().error("text message refused", extra={"code": code, "reason": reason})
    return TextFailed()
