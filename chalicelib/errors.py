"""Domain errors, each with its stable Code, its HTTP status and its Message: every user text of SPEC.md that the
API sends is written here once (the local server's and the infra's refusals take theirs from here too)."""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """An error a caller can act on. Subclasses set `status`, `code` and `message` as class keywords."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "BAD_REQUEST"
    message = "The request is not valid."
    headers: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, *, status: int | None = None, code: str | None = None, message: str | None = None,
                          **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if status is not None:
            cls.status = status
        if code is not None:
            cls.code = code
        if message is not None:
            cls.message = message

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        if message:
            self.message = message

    def body(self) -> dict[str, str]:
        return {"Code": self.code, "Message": self.message}


def field_problem(name: str, problem: str) -> str:
    """R25: a message naming the field."""
    return f"The field '{name}' {problem}."


class BadRequest(DomainError, status=400, code="BAD_REQUEST"):
    """Malformed input (R25)."""

    @classmethod
    def field(cls, name: str, problem: str) -> BadRequest:
        return cls(field_problem(name, problem))


class Refused(DomainError, code="REFUSED", message="The request was refused."):
    """A refusal the server makes before the app sees the request, with the status it has (the local server)."""


class BadContentLength(BadRequest, message="The request's Content-Length is not valid."):
    """A Content-Length that is not one whole number (the local server)."""


class BodyNotJson(BadRequest, message="The request body is not valid JSON."):
    """Not JSON, JSON with NaN or Infinity, or a number too long to read."""


class BodyNotObject(BadRequest, message="The request body must be a JSON object."):
    """Empty, or JSON that is not an object."""


class BodyTooDeep(BadRequest, message="The request body is nested too deeply."):
    """Arrays or objects nested deeper than any route accepts (R45)."""


class Unauthorized(DomainError, status=401, code="UNAUTHORIZED", message="Sign in to continue."):
    """Missing or invalid staff credentials (R25)."""


class Forbidden(DomainError, status=403, code="FORBIDDEN", message="Your role does not allow this action."):
    """A caregiver asking for a coordinator's action."""


class NotAssigned(DomainError, status=403, code="NOT_ASSIGNED",
                  message="You need to be assigned to the visit to be able to send an invitation to the client."):
    """R05."""


class NotAssignedToView(NotAssigned, message="You need to be assigned to the visit to see it."):
    """A caregiver reads only their own visits (minimum necessary)."""


class NotAssignedToJoin(NotAssigned, message="You need to be assigned to the visit to join its video session."):
    """R05 for joining."""


class NotAssignedToClock(NotAssigned, message="You need to be assigned to the visit to clock in or out."):
    """R05 for clocking."""


class NotAssignedToDocument(NotAssigned, message="You need to be assigned to the visit to document it."):
    """R05 for notes."""


class NotFound(DomainError, status=404, code="NOT_FOUND", message="Not found."):
    """Unknown, or another agency's: never 403, so ids cannot be probed (R25)."""


class InvalidLink(DomainError, status=404, code="INVALID_LINK",
                  message="This link is no longer valid. Please ask your care provider for a new invitation."):
    """R10."""


class MethodNotAllowed(DomainError, status=405, code="METHOD_NOT_ALLOWED", message="This method is not allowed here."):
    """A route called with a method it does not have."""


class NotClockedIn(DomainError, status=409, code="NOT_CLOCKED_IN",
                   message="You must clock in to the visit before you can join the video session."):
    """R11."""


class NotClockedInForClockOut(NotClockedIn, message="You must clock in to the visit before you can clock out."):
    """Clocking out before clocking in."""


class NoSession(DomainError, status=409, code="NO_SESSION",
                message="Send the invite to the client before joining the video session."):
    """R12."""


class SessionOver(DomainError, status=409, code="SESSION_OVER", message=(
        "The virtual session for this visit is over. Create a new visit to start another virtual session.")):
    """R23, for the caregiver."""


class ClientSessionOver(SessionOver, message="Your caregiver has ended the session. You can now close this page."):
    """R20 and R23, for the client."""


class WaitingForCaregiver(DomainError, status=409, code="WAITING_FOR_CAREGIVER",
                          message="Your caregiver will join shortly."):
    """R16: the client is early."""


class AlreadyClockedIn(DomainError, status=409, code="ALREADY_CLOCKED_IN",
                       message="You are already clocked in to this visit."):
    """A second clock-in."""


class AlreadyClockedOut(DomainError, status=409, code="ALREADY_CLOCKED_OUT",
                        message="You have already clocked out of this visit."):
    """A second clock-out, or clocking in after it."""


class VisitInProgress(DomainError, status=409, code="VISIT_IN_PROGRESS", message=(
        "This visit is in progress. The caregiver must clock out before it can be assigned to someone else.")):
    """Reassigning between clock-in and clock-out (R11)."""


class Conflict(DomainError, status=409, code="CONFLICT",
               message="The visit changed at the same time. Please try again."):
    """A write lost its race more often than the retries allow."""


class LinkExpired(DomainError, status=410, code="LINK_EXPIRED", message=(
        "The link to the virtual session has expired. Create a new visit and send a new invite to the client.")):
    """R13, for the caregiver."""


class ClientLinkExpired(LinkExpired, message=(
        "This link has expired. Please contact your care provider for a new invitation.")):
    """R13, for the client."""


class LengthRequired(DomainError, status=411, code="LENGTH_REQUIRED",
                     message="The request body needs a valid Content-Length."):
    """A body sent without a length the server can trust (the local server)."""


class PayloadTooLarge(DomainError, status=413, code="PAYLOAD_TOO_LARGE", message="The request body is too large."):
    """Larger than the body limit."""


class UnsupportedMediaType(DomainError, status=415, code="UNSUPPORTED_MEDIA_TYPE",
                           message="The request body must be JSON, sent as Content-Type: application/json."):
    """A body of another content type."""


class ServiceNotVirtual(DomainError, status=422, code="SERVICE_NOT_VIRTUAL",
                        message="This service code does not allow virtual visits."):
    """R01."""


class ClientHasNoEmail(DomainError, status=422, code="CLIENT_HAS_NO_EMAIL",
                       message="The client does not have an email address."):
    """R06."""


class VisitNotVirtual(DomainError, status=422, code="VISIT_NOT_VIRTUAL", message="This visit is not a virtual visit."):
    """Inviting to an in-person visit."""


class InvalidSchedule(DomainError, status=422, code="INVALID_SCHEDULE",
                      message=field_problem("end", "must be after 'start'")):
    """A visit's times that no visit can have; the message names the field."""

    @classmethod
    def field(cls, name: str, problem: str) -> InvalidSchedule:
        return cls(field_problem(name, problem))


class InternalError(DomainError, status=500, code="INTERNAL_ERROR",
                    message="Something went wrong on our side. Please try again."):
    """A bug: logged, and never anything a user sent (R45)."""


class EmailFailed(DomainError, status=503, code="EMAIL_FAILED",
                  message="The invite email could not be sent just now. Nothing was changed; please try again."):
    """SES failed; nothing was recorded (R04)."""


class EmailSuppressed(EmailFailed, status=422, code="EMAIL_SUPPRESSED", message=(
        "The client's email address is on the suppression list because earlier mail to it bounced or was "
        "reported as spam. Check the client's email address, or copy the invite link instead.")):
    """SES refuses the address, or a bounce or complaint marked it."""


class ServiceBusy(DomainError, status=503, code="SERVICE_BUSY",
                  message="The service is very busy just now. Please try again in a moment."):
    """DynamoDB over capacity after its retries: the caller can simply try again."""

    headers = {"Retry-After": "1"}


class VideoUnavailable(DomainError, status=503, code="VIDEO_UNAVAILABLE",
                       message="The video service is busy just now. Please try again in a moment."):
    """The video provider failed after its retries."""


# Not errors, but texts the API sends beside a success.
SESSION_STILL_ACTIVE = {  # R22
    "Code": "SESSION_STILL_ACTIVE",
    "Message": "The virtual session is still active. Remember to hang up the video call.",
}
INVITE_BOUNCED = "The last invite email to the client bounced. Check the client's email address."
