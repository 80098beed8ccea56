"""Staff sign-in accounts: Cognito user pool users in AWS; on a laptop the directory is the only account store.

The authorizer reads the agency, employee and role from the ID token's custom claims, which `create` writes; it
then checks the directory on every run (R36), so what this module does to an account decides who can sign in and
refresh, and the directory decides what a token still in someone's hands may do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.errors import EmailInUse, SignInUnavailable
from chalicelib.observability import log
from chalicelib.records import Employee

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient

# Cognito's answers for an address that already signs in (the pool signs in by email).
TAKEN = frozenset({"UsernameExistsException", "AliasExistsException"})


class StaffAccounts(Protocol):
    """What the rules need from the sign-in service."""

    def create(self, agency_id: str, employee: Employee) -> None:
        """A sign-in with the claims the authorizer reads (EmailInUse, or SignInUnavailable)."""
        ...

    def remove(self, employee: Employee) -> None:
        """Undo `create` when the directory could not record the employee."""
        ...

    def set_active(self, employee: Employee, active: bool) -> None:
        """Let the person sign in again, or stop them: disabled, and every refresh token revoked."""
        ...

    def set_role(self, employee: Employee, role: str) -> None:
        """The role the next tokens carry."""
        ...


class DirectoryAccounts:
    """The local stack's accounts: its sign-in (`/api/dev/login`) reads the directory, so there is nothing to do."""

    def create(self, agency_id: str, employee: Employee) -> None:
        return None

    def remove(self, employee: Employee) -> None:
        return None

    def set_active(self, employee: Employee, active: bool) -> None:
        return None

    def set_role(self, employee: Employee, role: str) -> None:
        return None


class CognitoAccounts:
    """Cognito user pool admin calls. The pool signs in by email, so the address is the user's name in each call."""

    def __init__(self, client: CognitoIdentityProviderClient | Any, user_pool_id: str) -> None:
        self._client = client
        self._pool = user_pool_id

    def create(self, agency_id: str, employee: Employee) -> None:
        """Cognito emails the person a temporary password; MFA is set up at first sign-in."""
        try:
            self._client.admin_create_user(
                UserPoolId=self._pool,
                Username=employee.email,
                DesiredDeliveryMediums=["EMAIL"],
                UserAttributes=[
                    {"Name": "email", "Value": employee.email},
                    {"Name": "email_verified", "Value": "true"},
                    {"Name": "name", "Value": employee.name},
                    {"Name": "custom:agency_id", "Value": agency_id},
                    {"Name": "custom:employee_id", "Value": employee.employee_id},
                    {"Name": "custom:role", "Value": employee.role},
                ],
            )
        except ClientError as exc:
            if _code(exc) in TAKEN:
                raise EmailInUse() from None
            raise _unavailable(exc, "create") from None
        except BotoCoreError as exc:
            raise _unavailable(exc, "create") from None

    def remove(self, employee: Employee) -> None:
        self._each("remove", employee, ("admin_delete_user",))

    def set_active(self, employee: Employee, active: bool) -> None:
        # Disabled first: from then on nobody can sign in or refresh; the sign-out revokes the refresh tokens
        # already issued. An ID token already issued stays valid until it expires, which is why the authorizer
        # reads the directory too.
        self._each("enable" if active else "disable", employee,
                   ("admin_enable_user",) if active else ("admin_disable_user", "admin_user_global_sign_out"))

    def set_role(self, employee: Employee, role: str) -> None:
        try:
            self._client.admin_update_user_attributes(
                UserPoolId=self._pool, Username=employee.email,
                UserAttributes=[{"Name": "custom:role", "Value": role}])
        except ClientError as exc:
            if _code(exc) != "UserNotFoundException":
                raise _unavailable(exc, "set_role") from None
        except BotoCoreError as exc:
            raise _unavailable(exc, "set_role") from None

    def _each(self, action: str, employee: Employee, calls: tuple[str, ...]) -> None:
        """Admin calls by user name; an employee with no sign-in (never given one) has nothing to change."""
        for call in calls:
            try:
                getattr(self._client, call)(UserPoolId=self._pool, Username=employee.email)
            except ClientError as exc:
                if _code(exc) == "UserNotFoundException":
                    return
                raise _unavailable(exc, action) from None
            except BotoCoreError as exc:
                raise _unavailable(exc, action) from None


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _unavailable(exc: Exception, action: str) -> SignInUnavailable:
    # Only the error's kind is logged: Cognito's messages can hold the address.
    code = _code(exc) if isinstance(exc, ClientError) else type(exc).__name__
    log().warning("sign-in service refused", extra={"action": action, "error": code})
    return SignInUnavailable()
