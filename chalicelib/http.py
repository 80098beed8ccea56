"""The route edge: one mapping from domain errors to HTTP, the caller from the authorizer, headers."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from chalicelib.config import settings
from chalicelib.errors import DomainError, ServiceBusy, Unauthorized
from chalicelib.logic.access import Caller
from chalicelib.observability import log

SECURITY_HEADERS = {
    "Content-Type": "application/json",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}


def respond(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Any:
    from chalice.app import Response

    return Response(body=json.dumps(body, separators=(",", ":")), status_code=status,
                    headers={**SECURITY_HEADERS, **(headers or {})})


def respond_text(text: str, content_type: str) -> Any:
    from chalice.app import Response

    return Response(body=text, status_code=200, headers={**SECURITY_HEADERS, "Content-Type": content_type})


def handles_errors(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turn domain errors into `{"Code", "Message"}` responses (Chalice would make them 500s)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            result = view(*args, **kwargs)
        except DomainError as exc:
            return respond(exc.body(), exc.status)
        except Exception as exc:
            from chalicelib.persistence.visits import overloaded

            if overloaded(exc):  # DynamoDB over capacity after its retries: the caller can simply try again
                log().warning("database over capacity", extra={"error": type(exc).__name__})
                return respond(ServiceBusy().body(), ServiceBusy.status, {"Retry-After": "1"})
            log().exception("unhandled error")
            return respond({"Code": "INTERNAL_ERROR", "Message": "Something went wrong on our side. Please try again."},
                           500)
        if hasattr(result, "status_code"):
            return result
        return respond(result)

    return wrapper


def caller_of(request: Any) -> Caller:
    """The verified staff member, from the authorizer's context."""
    context = (request.context or {}).get("authorizer") or {}
    try:
        return Caller(context["agency_id"], context["employee_id"], context["role"])
    except KeyError:
        raise Unauthorized() from None


def body_of(request: Any) -> dict[str, Any]:
    from chalicelib.validation import parse_json

    return parse_json(request.raw_body, settings().max_body_bytes)
