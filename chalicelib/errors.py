"""Domain errors, each with its stable Code, its HTTP status and its Message: every user text of SPEC.md that the
API sends is written here once (the local server's and the infra's refusals take theirs from here too)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self

if TYPE_CHECKING:
    from chalicelib.records import Visit


def field_problem(name: str, problem: str) -> str:
    """R25: a message naming the field."""
    return f"The field '{name}' {problem}."


class DomainError(Exception):
    """An error a caller can act on: `status` and `code` are class keywords, `message` the text (SPEC.md's).

    A client's refusal carries the client's `language` (R30); the route edge then sends it in that language.
    """

    status: ClassVar[int] = 400
    code: ClassVar[str] = "BAD_REQUEST"
    message = "The request is not valid."
    headers: ClassVar[dict[str, str]] = {}
    language: str | None = None

    def __init_subclass__(cls, *, status: int, code: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.status, cls.code = status, code

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        if message:
            self.message = message

    @classmethod
    def field(cls, name: str, problem: str) -> Self:
        """This error, with a message naming the field (R25)."""
        return cls(field_problem(name, problem))

    def body(self) -> dict[str, str]:
        return {"Code": self.code, "Message": self.message}


class BadRequest(DomainError, status=400, code="BAD_REQUEST"):
    """Malformed input (R25)."""

    message = "The request is not valid."


class Refused(DomainError, status=400, code="REFUSED"):
    """A refusal the server makes before the app sees the request, with the status it has (the local server)."""

    message = "The request was refused."


class BadContentLength(BadRequest, status=400, code="BAD_REQUEST"):
    """A Content-Length that is not one whole number (the local server)."""

    message = "The request's Content-Length is not valid."


class BodyNotJson(BadRequest, status=400, code="BAD_REQUEST"):
    """Not JSON, JSON with NaN or Infinity, or a number too long to read."""

    message = "The request body is not valid JSON."


class BodyNotObject(BadRequest, status=400, code="BAD_REQUEST"):
    """Empty, or JSON that is not an object."""

    message = "The request body must be a JSON object."


class BodyTooDeep(BadRequest, status=400, code="BAD_REQUEST"):
    """Arrays or objects nested deeper than any route accepts (R45)."""

    message = "The request body is nested too deeply."


class Unauthorized(DomainError, status=401, code="UNAUTHORIZED"):
    """Missing or invalid staff credentials (R25)."""

    message = "Sign in to continue."


class Forbidden(DomainError, status=403, code="FORBIDDEN"):
    """A caregiver asking for a coordinator's action."""

    message = "Your role does not allow this action."


class NotAssigned(DomainError, status=403, code="NOT_ASSIGNED"):
    """R05."""

    message = "You need to be assigned to the visit to be able to send an invitation to the client."


class NotAssignedToView(NotAssigned, status=403, code="NOT_ASSIGNED"):
    """A caregiver reads only their own visits (minimum necessary)."""

    message = "You need to be assigned to the visit to see it."


class NotAssignedToJoin(NotAssigned, status=403, code="NOT_ASSIGNED"):
    """R05 for joining."""

    message = "You need to be assigned to the visit to join its video session."


class NotAssignedToClock(NotAssigned, status=403, code="NOT_ASSIGNED"):
    """R05 for clocking."""

    message = "You need to be assigned to the visit to clock in or out."


class NotAssignedToDocument(NotAssigned, status=403, code="NOT_ASSIGNED"):
    """R05 for notes."""

    message = "You need to be assigned to the visit to document it."


class NotFound(DomainError, status=404, code="NOT_FOUND"):
    """Unknown, or another agency's: never 403, so ids cannot be probed (R25)."""

    message = "Not found."


class InvalidLink(DomainError, status=404, code="INVALID_LINK"):
    """R10."""

    message = "This link is no longer valid. Please ask your care provider for a new invitation."


class MethodNotAllowed(DomainError, status=405, code="METHOD_NOT_ALLOWED"):
    """A route called with a method it does not have."""

    message = "This method is not allowed here."


class NotClockedIn(DomainError, status=409, code="NOT_CLOCKED_IN"):
    """R11."""

    message = "You must clock in to the visit before you can join the video session."


class NotClockedInForClockOut(NotClockedIn, status=409, code="NOT_CLOCKED_IN"):
    """Clocking out before clocking in."""

    message = "You must clock in to the visit before you can clock out."


class NoSession(DomainError, status=409, code="NO_SESSION"):
    """R12."""

    message = "Send the invite to the client before joining the video session."


class SessionOver(DomainError, status=409, code="SESSION_OVER"):
    """R23, for the caregiver."""

    message = "The virtual session for this visit is over. Create a new visit to start another virtual session."


class ClientSessionOver(SessionOver, status=409, code="SESSION_OVER"):
    """R20 and R23, for the client."""

    message = "Your caregiver has ended the session. You can now close this page."


class WaitingForCaregiver(DomainError, status=409, code="WAITING_FOR_CAREGIVER"):
    """R16: the client is early."""

    message = "Your caregiver will join shortly."


class AlreadyClockedIn(DomainError, status=409, code="ALREADY_CLOCKED_IN"):
    """A second clock-in."""

    message = "You are already clocked in to this visit."


class AlreadyClockedOut(DomainError, status=409, code="ALREADY_CLOCKED_OUT"):
    """A second clock-out, or clocking in after it."""

    message = "You have already clocked out of this visit."


class VisitInProgress(DomainError, status=409, code="VISIT_IN_PROGRESS"):
    """Reassigning between clock-in and clock-out (R11)."""

    message = "This visit is in progress. The caregiver must clock out before it can be assigned to someone else."


class VisitCancelled(DomainError, status=409, code="VISIT_CANCELLED"):
    """R34, for the client's link."""

    message = "This visit was cancelled. Please contact your care provider."


class StaffVisitCancelled(VisitCancelled, status=409, code="VISIT_CANCELLED"):
    """R34, for staff: a cancelled visit takes no invite, clock-in, join or change."""

    message = "This visit was cancelled."


class VisitCompleted(DomainError, status=409, code="VISIT_COMPLETED"):
    """Cancelling a visit that took place: its clock-out is evidence the agency bills from (R26)."""

    message = "This visit has taken place (the caregiver clocked out), so it cannot be cancelled."


class AlreadyExists(DomainError, status=409, code="ALREADY_EXISTS"):
    """A record with that key exists; the message names the field (R33)."""

    message = field_problem("code", "names a service code that already exists")


class EmailInUse(AlreadyExists, status=409, code="EMAIL_IN_USE"):
    """The sign-in service already has someone with this address (R33)."""

    message = field_problem("email", "is already someone's sign-in")


class Conflict(DomainError, status=409, code="CONFLICT"):
    """A write lost its race more often than the retries allow."""

    message = "The visit changed at the same time. Please try again."


class LinkExpired(DomainError, status=410, code="LINK_EXPIRED"):
    """R13, for the caregiver."""

    message = "The link to the virtual session has expired. Create a new visit and send a new invite to the client."


class ClientLinkExpired(LinkExpired, status=410, code="LINK_EXPIRED"):
    """R13, for the client. The join page's look (POST /api/join) adds the visit as the page shows it (`Visit`:
    agency, caregiver's first name, time and time zone; R44), so a reloaded expired link still shows them. Only a
    link that was good carries it: an unknown or replaced link is `InvalidLink`, which carries nothing."""

    message = "This link has expired. Please contact your care provider for a new invitation."

    def __init__(self, message: str | None = None, *, visit: Visit | None = None) -> None:
        super().__init__(message)
        self.visit = visit  # the expired link's Visit record: for the page's details, never sent as it is
        self.page: dict[str, Any] | None = None  # views.client_visit, once the join page's look added it

    def body(self) -> dict[str, Any]:
        return {**super().body(), **({"Visit": self.page} if self.page is not None else {})}


class LengthRequired(DomainError, status=411, code="LENGTH_REQUIRED"):
    """A body sent without a length the server can trust (the local server)."""

    message = "The request body needs a valid Content-Length."


class PayloadTooLarge(DomainError, status=413, code="PAYLOAD_TOO_LARGE"):
    """Larger than the body limit."""

    message = "The request body is too large."


class UnsupportedMediaType(DomainError, status=415, code="UNSUPPORTED_MEDIA_TYPE"):
    """A body of another content type."""

    message = "The request body must be JSON, sent as Content-Type: application/json."


class ServiceNotVirtual(DomainError, status=422, code="SERVICE_NOT_VIRTUAL"):
    """R01."""

    message = "This service code does not allow virtual visits."


class ClientHasNoEmail(DomainError, status=422, code="CLIENT_HAS_NO_EMAIL"):
    """R06."""

    message = "The client does not have an email address."


class ClientHasNoMobile(DomainError, status=422, code="CLIENT_HAS_NO_MOBILE"):
    """R28."""

    message = "The client does not have a mobile phone number."


class ClientNoSmsConsent(DomainError, status=422, code="CLIENT_NO_SMS_CONSENT"):
    """R28: no recorded consent to texts."""

    message = "The client has not agreed to receive text messages."


class ClientOptedOut(DomainError, status=422, code="CLIENT_OPTED_OUT"):
    """R29: the client replied STOP, or the carrier reports the number opted out."""

    message = "The client has opted out of text messages. Send the invite by email or copy the link."


class TextRefused(DomainError, status=422, code="TEXT_REFUSED"):
    """The text message service refuses the client's number (it cannot parse it, or cannot text its country)."""

    message = ("The text message service cannot send to the client's mobile phone number. Check the client's "
               "contact details, or send the invite by email or copy the link.")


class TextsNotSetUp(DomainError, status=422, code="TEXTS_NOT_SET_UP"):
    """The deployment has no origination identity for texts (docs/DEPLOY.md, "Text messages")."""

    message = "Text messages are not set up for this agency yet. Send the invite by email or copy the link."


class VisitNotVirtual(DomainError, status=422, code="VISIT_NOT_VIRTUAL"):
    """Inviting to an in-person visit."""

    message = "This visit is not a virtual visit."


class EmployeeDeactivated(DomainError, status=422, code="EMPLOYEE_DEACTIVATED"):
    """Assigning a visit to someone who was deactivated (R36)."""

    message = field_problem("employee_id", "names a deactivated employee")


class OwnAccount(DomainError, status=422, code="OWN_ACCOUNT"):
    """A coordinator deactivating themselves or changing their own role would lock the agency out (R36)."""

    message = field_problem("active", "cannot change for your own account")


class InvalidSchedule(DomainError, status=422, code="INVALID_SCHEDULE"):
    """A visit's times that no visit can have; the message names the field."""

    message = field_problem("end", "must be after 'start'")


class InternalError(DomainError, status=500, code="INTERNAL_ERROR"):
    """A bug: logged, and never anything a user sent (R45)."""

    message = "Something went wrong on our side. Please try again."


class EmailFailed(DomainError, status=503, code="EMAIL_FAILED"):
    """SES failed; nothing was recorded (R04)."""

    message = "The invite email could not be sent just now. Nothing was changed; please try again."


class EmailSuppressed(EmailFailed, status=422, code="EMAIL_SUPPRESSED"):
    """SES refuses the address, or a bounce or complaint marked it."""

    message = ("The client's email address is on the suppression list because earlier mail to it bounced or was "
               "reported as spam. Check the client's email address, or copy the invite link instead.")


class TextFailed(DomainError, status=503, code="TEXT_FAILED"):
    """The text message service failed; nothing was recorded (R28)."""

    message = "The text message could not be sent just now. Nothing was changed; please try again."


class SignInUnavailable(DomainError, status=503, code="SIGN_IN_UNAVAILABLE"):
    """The sign-in service (Cognito) failed after its retries; nothing was changed (R36)."""

    message = "The sign-in service did not answer just now. Nothing was changed; please try again."


class ServiceBusy(DomainError, status=503, code="SERVICE_BUSY"):
    """DynamoDB over capacity after its retries: the caller can simply try again."""

    message = "The service is very busy just now. Please try again in a moment."
    headers = {"Retry-After": "1"}


class VideoUnavailable(DomainError, status=503, code="VIDEO_UNAVAILABLE"):
    """The video provider failed after its retries."""

    message = "The video service is busy just now. Please try again in a moment."


class VideoBusy(VideoUnavailable, status=503, code="VIDEO_BUSY"):
    """The video provider kept throttling (or failing) through the join's patience: the page asks again soon.

    The join pages show "connecting" and try again after Retry-After; other callers of the provider catch it as
    VideoUnavailable (a hang-up's delete is left to the sweep, the sweep's check waits a minute).
    """

    # What a page shows once it stopped asking by itself (after five minutes of "connecting"), and what any other
    # caller reads: the pages say "connecting" while they ask again.
    message = "Many video visits are starting at this moment. Please try again in a minute."
    headers = {"Retry-After": "2"}


# Not errors, but texts the API sends beside a success.
SESSION_STILL_ACTIVE = {  # R22
    "Code": "SESSION_STILL_ACTIVE",
    "Message": "The virtual session is still active. Remember to hang up the video call.",
}
INVITE_UNDELIVERABLE = "The last invite could not be delivered. Check the client's contact details."  # R29
DEACTIVATED = "This account was deactivated. Ask your coordinator."  # R36: the local sign-in's refusal
