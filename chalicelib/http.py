"""The route edge: one mapping from errors to HTTP, the caller from the authorizer, and what every answer carries.

Every answer leaves with the security headers, and every refusal as `{"Code", "Message"}` (R45): the routes' own,
and the ones Chalice makes before a route runs (415 for a body that is not JSON, 405) or after one fails.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from chalicelib.errors import DomainError, InternalError, MethodNotAllowed, Unauthorized, UnsupportedMediaType
from chalicelib.logic.access import Caller
from chalicelib.observability import log

SECURITY_HEADERS = {
    "Content-Type": "application/json",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}
# Chalice's own refusals, by the code it gives them.
CHALICE_ERRORS: dict[str, type[DomainError]] = {
    "UnsupportedMediaType": UnsupportedMediaType,
    "MethodNotAllowedError": MethodNotAllowed,
    "InternalServerError": InternalError,
}


def respond(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Any:
    from chalice.app import Response

    return Response(body=json.dumps(body, separators=(",", ":")), status_code=status,
                    headers={**SECURITY_HEADERS, **(headers or {})})


def respond_text(text: str, content_type: str) -> Any:
    from chalice.app import Response

    return Response(body=text, status_code=200, headers={**SECURITY_HEADERS, "Content-Type": content_type})


def refusal(error: DomainError) -> Any:
    """The answer to a domain error; a client's refusal in the client's language (R30)."""
    body, headers = error.body(), dict(error.headers)
    if error.language:
        from chalicelib.i18n import refusal as in_language

        body["Message"] = in_language(error.language, error) or body["Message"]
        headers["Content-Language"] = error.language
    return respond(body, error.status, headers)


def handles_errors(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turn domain errors into `{"Code", "Message"}` responses (Chalice would make them 500s)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            result = view(*args, **kwargs)
        except DomainError as exc:
            return refusal(exc)
        except Exception:
            log().exception("unhandled error")
            return refusal(InternalError())
        if hasattr(result, "status_code"):
            return result
        return respond(result)

    return wrapper


def finished(response: Any) -> Any:
    """Every answer as it leaves: the security headers, and Chalice's own refusals in the API's error shape."""
    if response.status_code >= 400 and isinstance(response.body, dict):
        error = CHALICE_ERRORS.get(str(response.body.get("Code")))
        if error is None:
            error = DomainError if response.status_code < 500 else InternalError
        response.body = json.dumps(error().body(), separators=(",", ":"))
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def caller_of(request: Any) -> Caller:
    """The verified staff member, from the authorizer's context."""
    context = (request.context or {}).get("authorizer") or {}
    try:
        return Caller(context["agency_id"], context["employee_id"], context["role"])
    except KeyError:
        raise Unauthorized() from None


def body_of(request: Any) -> dict[str, Any]:
    from chalicelib.config import settings
    from chalicelib.validation import parse_json

    return parse_json(request.raw_body, settings().max_body_bytes)
