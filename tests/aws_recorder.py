"""A session-wide record of the AWS operations the app's Lambda functions make while the tests run.

One botocore event hook sees every client of every botocore session made after `install()` (the hook is
added to botocore's built-in handlers, which each new session registers), whether the answer comes from
moto, a botocore `Stubber` or nowhere. For each call it walks the Python stack to the app's entry point in
`app.py` (a route, the authorizer, the schedule or an event handler) and so learns which Lambda function
made the call. Calls with no entry point on the stack (fixtures, direct calls to the logic, the operator
script) are not the app's and are left out.

Each call becomes the IAM requests it needs (`tests.infra.iam_authorization.Operation`): usually one
`<signing name>:<operation>`, with the exceptions IAM documents (a DynamoDB transaction is authorized item
by item; an SES v2 `SendEmail` with raw content is `ses:SendRawEmail` on the sender identity and on the
configuration set). `tests/infra/test_iam_grants.py` checks them against the synthesized template.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

from tests.infra.iam_authorization import NO_RESOURCE_TYPE, UNRESOLVED, Operation

ROOT = Path(__file__).resolve().parent.parent
APP_FILE = str(ROOT / "app.py")
API_HANDLER = "APIHandler"
_EVENT = "before-parameter-build"


def _function_names(app_module: ModuleType) -> dict[str, str]:
    """app.py function name → Lambda logical id, as chalice.cdk names them (routes share the API handler)."""
    from chalice.utils import to_cfn_resource_name

    app = app_module.app
    out: dict[str, str] = {}
    for name in app.handler_map:
        out[name] = API_HANDLER
    for source in app.event_sources:
        out[source.name] = to_cfn_resource_name(source.name)
    for auth in app.builtin_auth_handlers:
        out[auth.name] = to_cfn_resource_name(auth.name)
    for handler, kind in getattr(app, "middleware_handlers", []):
        if kind == "http":
            out[handler.__name__] = API_HANDLER
    return out


def dynamodb_requests(operation: str, params: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(action, resource type, qualifier) of one DynamoDB call."""
    if operation == "TransactWriteItems":
        kinds = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
                 "ConditionCheck": "ConditionCheckItem"}
        return sorted({(f"dynamodb:{kinds[kind]}", "table", "") for item in params.get("TransactItems", [])
                       for kind in item})
    if operation == "TransactGetItems":
        return [("dynamodb:GetItem", "table", "")]
    if operation in ("Query", "Scan") and params.get("IndexName"):
        return [(f"dynamodb:{operation}", "index", str(params["IndexName"]))]
    return [(f"dynamodb:{operation}", "table", "")]


def ses_requests(operation: str, params: dict[str, Any]) -> list[tuple[str, str, str]]:
    """SES v2: SendEmail with raw content is authorized as ses:SendRawEmail (identity, configuration set)."""
    if operation != "SendEmail":
        return [(f"ses:{operation}", UNRESOLVED, "")]
    action = "ses:SendRawEmail" if "Raw" in params.get("Content", {}) else "ses:SendEmail"
    out = [(action, "identity", "")]
    if params.get("ConfigurationSetName"):
        out.append((action, "configuration-set", ""))
    return out


def chime_requests(operation: str, params: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Chime SDK meetings: actions on an existing meeting are on its ARN; the others have no resource type."""
    return [(f"chime:{operation}", "meeting" if params.get("MeetingId") else NO_RESOURCE_TYPE, "")]


def sms_requests(operation: str, params: dict[str, Any]) -> list[tuple[str, str, str]]:
    """End User Messaging SMS: SendTextMessage is on the origination identity it names (pool, number, sender id)."""
    if operation != "SendTextMessage":
        return [(f"sms-voice:{operation}", UNRESOLVED, "")]
    identity = str(params.get("OriginationIdentity", ""))
    kinds = {"pool": "Pool", "phone-number": "PhoneNumber", "sender-id": "SenderId"}
    if not identity:
        resource_type = NO_RESOURCE_TYPE
    elif identity.startswith("arn:"):
        resource_type = kinds.get(identity.split(":", 5)[-1].split("/", 1)[0], UNRESOLVED)
    elif identity.startswith("pool-"):
        resource_type = "Pool"
    elif identity.startswith(("phone-", "+")):
        resource_type = "PhoneNumber"
    else:
        resource_type = "SenderId"
    return [("sms-voice:SendTextMessage", resource_type, "")]


def iam_requests(signing_name: str, operation: str, params: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The IAM requests of one API call: the service's rules above, else `<prefix>:<operation>` on its type."""
    special = {"dynamodb": dynamodb_requests, "ses": ses_requests, "chime": chime_requests, "sms-voice": sms_requests}
    if signing_name in special:
        return special[signing_name](operation, params)
    if signing_name == "secretsmanager" and params.get("SecretId"):
        return [(f"secretsmanager:{operation}", "Secret", "")]
    if signing_name == "cognito-idp" and params.get("UserPoolId"):  # the admin calls name their user pool
        return [(f"cognito-idp:{operation}", "userpool", "")]
    return [(f"{signing_name}:{operation}", UNRESOLVED, "")]


class Recorder:
    """Every IAM request an app function made, by function."""

    def __init__(self) -> None:
        self.operations: set[Operation] = set()
        self.calls = 0  # AWS calls seen (the app's and everyone else's)
        self.seconds = 0.0  # time spent in the hook: what recording costs the test run
        self._lock = threading.Lock()
        self._names: tuple[int, dict[str, str]] | None = None

    def _entry_function(self, frame: FrameType | None) -> str | None:
        app_module = sys.modules.get("app")
        if app_module is None or getattr(app_module, "__file__", None) != APP_FILE:
            return None
        if self._names is None or self._names[0] != id(app_module):
            self._names = (id(app_module), _function_names(app_module))
        names = self._names[1]
        found = None
        while frame is not None:  # the outermost entry point wins (a route inside the middleware)
            code = frame.f_code
            if code.co_filename == APP_FILE and code.co_name in names:
                found = names[code.co_name]
            frame = frame.f_back
        return found

    def before_parameter_build(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        started = time.perf_counter()
        function = self._entry_function(sys._getframe(1))
        requests = []
        if function is not None:
            signing_name = model.service_model.signing_name or model.service_model.endpoint_prefix
            requests = iam_requests(signing_name, model.name, params)
        with self._lock:
            for action, resource_type, qualifier in requests:
                self.operations.add(Operation(str(function), action, resource_type, qualifier))
            self.calls += 1
            self.seconds += time.perf_counter() - started


RECORDER = Recorder()
_installed = False


def install() -> Recorder:
    """Add the hook to botocore's built-in handlers: every session made from now on carries it."""
    global _installed
    import botocore.handlers

    if not _installed:
        botocore.handlers.BUILTIN_HANDLERS.append((_EVENT, RECORDER.before_parameter_build))
        _installed = True
    return RECORDER
