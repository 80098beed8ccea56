"""Domain errors: each carries its stable Code, its SPEC.md Message and its HTTP status."""

from __future__ import annotations


class DomainError(Exception):
    """An error a caller can act on."""

    status = 400
    code = "BAD_REQUEST"
    message = "The request is not valid."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        if message:
            self.message = message

    def body(self) -> dict[str, str]:
        return {"Code": self.code, "Message": self.message}


class BadRequest(DomainError):
    status, code = 400, "BAD_REQUEST"

    @classmethod
    def field(cls, name: str, problem: str) -> BadRequest:
        return cls(f"The field '{name}' {problem}.")


class Unauthorized(DomainError):
    status, code, message = 401, "UNAUTHORIZED", "Sign in to continue."


class Forbidden(DomainError):
    status, code, message = 403, "FORBIDDEN", "Your role does not allow this action."


class NotAssigned(DomainError):
    status, code = 403, "NOT_ASSIGNED"
    message = "You need to be assigned to the visit to be able to send an invitation to the client."


class NotAssignedToView(NotAssigned):
    message = "You need to be assigned to the visit to see it."


class NotAssignedToJoin(NotAssigned):
    message = "You need to be assigned to the visit to join its video session."


class NotFound(DomainError):
    status, code, message = 404, "NOT_FOUND", "Not found."


class InvalidLink(DomainError):
    status, code = 404, "INVALID_LINK"
    message = "This link is no longer valid. Please ask your care provider for a new invitation."


class NotClockedIn(DomainError):
    status, code = 409, "NOT_CLOCKED_IN"
    message = "You must clock in to the visit before you can join the video session."


class NoSession(DomainError):
    status, code = 409, "NO_SESSION"
    message = "Send the invite to the client before joining the video session."


class SessionOver(DomainError):
    status, code = 409, "SESSION_OVER"
    message = "The virtual session for this visit is over. Create a new visit to start another virtual session."


class ClientSessionOver(SessionOver):
    message = "Your caregiver has ended the session. You can now close this page."


class WaitingForCaregiver(DomainError):
    status, code, message = 409, "WAITING_FOR_CAREGIVER", "Your caregiver will join shortly."


class AlreadyClockedIn(DomainError):
    status, code, message = 409, "ALREADY_CLOCKED_IN", "You are already clocked in to this visit."


class NotClockedInForClockOut(DomainError):
    status, code, message = 409, "NOT_CLOCKED_IN", "You must clock in to the visit before you can clock out."


class AlreadyClockedOut(DomainError):
    status, code, message = 409, "ALREADY_CLOCKED_OUT", "You have already clocked out of this visit."


class VisitInProgress(DomainError):
    status, code = 409, "VISIT_IN_PROGRESS"
    message = "This visit is in progress. The caregiver must clock out before it can be assigned to someone else."


class Conflict(DomainError):
    status, code, message = 409, "CONFLICT", "The visit changed at the same time. Please try again."


class LinkExpired(DomainError):
    status, code = 410, "LINK_EXPIRED"
    message = (
        "The link to the virtual session has expired. Create a new visit and send a new invite to the client."
    )


class ClientLinkExpired(LinkExpired):
    message = "This link has expired. Please contact your care provider for a new invitation."


class PayloadTooLarge(DomainError):
    status, code, message = 413, "PAYLOAD_TOO_LARGE", "The request body is too large."


class ServiceNotVirtual(DomainError):
    status, code, message = 422, "SERVICE_NOT_VIRTUAL", "This service code does not allow virtual visits."


class ClientHasNoEmail(DomainError):
    status, code, message = 422, "CLIENT_HAS_NO_EMAIL", "The client does not have an email address."


class VisitNotVirtual(DomainError):
    status, code, message = 422, "VISIT_NOT_VIRTUAL", "This visit is not a virtual visit."


class InvalidSchedule(DomainError):
    status, code, message = 422, "INVALID_SCHEDULE", "The visit must end after it starts."


class EmailFailed(DomainError):
    status, code = 503, "EMAIL_FAILED"
    message = "The invite email could not be sent just now. Nothing was changed; please try again."


class ServiceBusy(DomainError):
    status, code = 503, "SERVICE_BUSY"
    message = "The service is very busy just now. Please try again in a moment."


class VideoUnavailable(DomainError):
    status, code = 503, "VIDEO_UNAVAILABLE"
    message = "The video service is busy just now. Please try again in a moment."
