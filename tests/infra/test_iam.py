"""Least privilege: exact actions and resources, no wildcard action anywhere, every `*` resource known."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from visits_infra.api import (
    API_HANDLER,
    APP_ROLE_FUNCTIONS,
    AUTHORIZER,
    CHIME_EVENTS,
    EMAIL_EVENTS,
    SWEEP,
    TEXT_EVENTS,
)
from visits_infra.paths import load_table_description

from tests.infra.conftest import Synth


def _statements(synth: Synth, prefix: str) -> dict[str, dict[str, Any]]:
    policy = synth.resource(synth.logical_id("AWS::IAM::ManagedPolicy", prefix))
    return {s["Sid"]: s for s in policy["Properties"]["PolicyDocument"]["Statement"]}


def _listify(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _same(actual: Any, expected: list[Any]) -> bool:
    """Equal as sets of JSON values (CDK sorts and merges resources)."""
    return sorted(json.dumps(v, sort_keys=True) for v in _listify(actual)) == sorted(
        json.dumps(v, sort_keys=True) for v in expected
    )


def _arn(*parts: Any) -> dict[str, Any]:
    return {"Fn::Join": ["", list(parts)]}


def _streams(synth: Synth, fn: str) -> dict[str, Any]:
    """The log streams of one function's log group (named by CloudFormation)."""
    group = synth.resource(fn)["Properties"]["LoggingConfig"]["LogGroup"]
    return _arn("arn:", PARTITION, ":logs:us-east-1:", ACCOUNT, ":log-group:", group, ":log-stream:*")


def _model_index_names() -> list[str]:
    return [gsi["index_name"] for gsi in load_table_description()["global_secondary_indexes"]]


PARTITION = {"Ref": "AWS::Partition"}
ACCOUNT = {"Ref": "AWS::AccountId"}


def test_app_policy_statements_are_exact(synth: Synth) -> None:
    table = synth.logical_id("AWS::DynamoDB::Table", "DataTable")
    key = synth.logical_id("AWS::KMS::Key", "DataKey")
    table_arn = {"Fn::GetAtt": [table, "Arn"]}
    statements = _statements(synth, "ApiAppPolicy")
    assert set(statements) == {
        "TableItems",
        "DataKey",
        "SendInvites",
        "ChimeMeetings",
        "ChimeNewMeetings",
        "LinkKey",
        "StaffSignIns",
        "Tracing",
        "FunctionLogs",
        "DeadLetters",
    }
    assert all(s["Effect"] == "Allow" for s in statements.values())
    assert statements["TableItems"]["Action"] == [
        "dynamodb:BatchGetItem",
        "dynamodb:DeleteItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
    ]
    assert _same(
        statements["TableItems"]["Resource"],
        [
            table_arn,
            *({"Fn::Join": ["", [table_arn, f"/index/{name}"]]} for name in _model_index_names()),
        ],
    )
    assert statements["DataKey"]["Action"] == ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]
    assert statements["DataKey"]["Resource"] == {"Fn::GetAtt": [key, "Arn"]}
    assert statements["SendInvites"]["Action"] == "ses:SendRawEmail"
    assert _same(
        statements["SendInvites"]["Resource"],
        [
            _arn("arn:", PARTITION, ":ses:us-east-1:", ACCOUNT, ":identity/", {"Ref": "SenderDomain"}),
            _arn(
                "arn:",
                PARTITION,
                ":ses:us-east-1:",
                ACCOUNT,
                ":configuration-set/",
                {"Ref": synth.logical_id("AWS::SES::ConfigurationSet", "InviteEmailConfigurationSet")},
            ),
        ],
    )
    assert statements["ChimeMeetings"]["Action"] == [
        "chime:CreateAttendee",
        "chime:DeleteMeeting",
        "chime:GetMeeting",
        "chime:ListAttendees",
    ]
    assert statements["ChimeMeetings"]["Resource"] == _arn(
        "arn:", PARTITION, ":chime:us-east-1:", ACCOUNT, ":meeting/*"
    )
    # CreateMeetingWithAttendees (the meeting with its first attendee, issue 16) has no resource type: IAM matches
    # it only on "*" (tests/infra/test_iam_grants.py); CreateMeeting is no longer called, so not granted.
    assert statements["ChimeNewMeetings"]["Action"] == "chime:CreateMeetingWithAttendees"
    assert statements["ChimeNewMeetings"]["Resource"] == "*"
    assert statements["LinkKey"]["Action"] == "secretsmanager:GetSecretValue"
    assert statements["LinkKey"]["Resource"] == {"Ref": synth.logical_id("AWS::SecretsManager::Secret", "LinkKey")}
    assert statements["Tracing"]["Action"] == ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]
    assert statements["Tracing"]["Resource"] == "*"
    assert statements["FunctionLogs"]["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert _same(statements["FunctionLogs"]["Resource"], [_streams(synth, fn) for fn in APP_ROLE_FUNCTIONS])
    assert statements["DeadLetters"]["Action"] == "sqs:SendMessage"
    assert statements["DeadLetters"]["Resource"] == {
        "Fn::GetAtt": [synth.logical_id("AWS::SQS::Queue", "ApiEventDeadLetters"), "Arn"]
    }


def test_r36_staff_sign_ins_are_changed_in_the_stacks_user_pool_only(synth: Synth) -> None:
    statement = _statements(synth, "ApiAppPolicy")["StaffSignIns"]
    assert statement["Action"] == [
        "cognito-idp:AdminCreateUser",
        "cognito-idp:AdminDeleteUser",
        "cognito-idp:AdminDisableUser",
        "cognito-idp:AdminEnableUser",
        "cognito-idp:AdminUpdateUserAttributes",
        "cognito-idp:AdminUserGlobalSignOut",
    ]
    pool = synth.logical_id("AWS::Cognito::UserPool", "StaffAuthUserPool")
    assert statement["Resource"] == {"Fn::GetAtt": [pool, "Arn"]}
    environment = synth.resource(synth.logical_id("AWS::Serverless::Function", "APIHandler"))
    assert environment["Properties"]["Environment"]["Variables"]["COGNITO_USER_POOL_ID"] == {"Ref": pool}


def test_r36_the_authorizer_reads_employee_items_and_nothing_else(synth: Synth) -> None:
    statements = _statements(synth, "ApiAuthorizerPolicy")
    assert set(statements) == {"EmployeeItems", "DataKeyRead", "Tracing", "FunctionLogs"}
    table = synth.logical_id("AWS::DynamoDB::Table", "DataTable")
    key = synth.logical_id("AWS::KMS::Key", "DataKey")
    # One item by key: no index, no query, no write (R36's check costs one GetItem a run)
    assert statements["EmployeeItems"]["Action"] == "dynamodb:GetItem"
    assert statements["EmployeeItems"]["Resource"] == {"Fn::GetAtt": [table, "Arn"]}
    assert statements["DataKeyRead"]["Action"] == ["kms:Decrypt", "kms:DescribeKey"]
    assert statements["DataKeyRead"]["Resource"] == {"Fn::GetAtt": [key, "Arn"]}
    assert statements["FunctionLogs"]["Resource"] == _streams(synth, AUTHORIZER)


def test_sandbox_recipients_policy_exists_only_when_recipients_are_listed(synth: Synth) -> None:
    policy = synth.resource(synth.logical_id("AWS::IAM::ManagedPolicy", "ApiSandboxRecipientsPolicy"))
    assert policy["Condition"] == "HasSandboxRecipients"
    assert synth.raw["Conditions"]["HasSandboxRecipients"] == {
        "Fn::Not": [{"Fn::Equals": [{"Fn::Join": ["", {"Ref": "SesSandboxRecipients"}]}, ""]}]
    }
    assert policy["Properties"]["Roles"] == [{"Ref": synth.logical_id("AWS::IAM::Role", "ApiAppRole")}]
    (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Action"] == "ses:SendRawEmail"
    prefix = "arn:aws:ses:us-east-1:*:identity/"
    assert statement["Resource"] == {"Fn::Split": [",", {"Fn::Join": ["", [
        prefix, {"Fn::Join": [f",{prefix}", {"Ref": "SesSandboxRecipients"}]}]]}]}
    assert synth.raw["Parameters"]["SesSandboxRecipients"]["Type"] == "CommaDelimitedList"
    assert synth.raw["Parameters"]["SesSandboxRecipients"]["Default"] == ""


def test_functions_run_with_the_stack_roles_and_chalice_makes_no_role(synth: Synth) -> None:
    app_role = synth.logical_id("AWS::IAM::Role", "ApiAppRole")
    authorizer_role = synth.logical_id("AWS::IAM::Role", "ApiAuthorizerRole")
    for fn in (API_HANDLER, SWEEP, CHIME_EVENTS, EMAIL_EVENTS, TEXT_EVENTS):
        assert synth.resource(fn)["Properties"]["Role"] == {"Fn::GetAtt": [app_role, "Arn"]}, fn
    assert synth.resource(AUTHORIZER)["Properties"]["Role"] == {"Fn::GetAtt": [authorizer_role, "Arn"]}
    assert "DefaultRole" not in synth.raw["Resources"]
    for role in synth.resources("AWS::IAM::Role").values():
        assert "Policies" not in role["Properties"]  # no inline policies
        assert "ManagedPolicyArns" not in role["Properties"]  # no AWS-managed policies


def _policy_documents(synth: Synth) -> Iterator[tuple[str, dict[str, Any]]]:
    fields = {
        "AWS::IAM::ManagedPolicy": "PolicyDocument",
        "AWS::IAM::Policy": "PolicyDocument",
        "AWS::S3::BucketPolicy": "PolicyDocument",
        "AWS::SQS::QueuePolicy": "PolicyDocument",
        "AWS::SNS::TopicPolicy": "PolicyDocument",
        "AWS::KMS::Key": "KeyPolicy",
        "AWS::IAM::Role": "AssumeRolePolicyDocument",
    }
    for logical_id, resource in synth.raw["Resources"].items():
        field = fields.get(resource["Type"])
        if field:
            yield logical_id, resource["Properties"][field]


def test_no_wildcard_action_is_allowed_in_any_policy(synth: Synth) -> None:
    # Deny statements may say "s3:*"/"sqs:*" (refuse every non-TLS request); no Allow may.
    documents = list(_policy_documents(synth))
    assert len(documents) >= 10
    for logical_id, document in documents:
        for statement in document["Statement"]:
            if statement["Effect"] == "Deny":
                continue
            for action in _listify(statement.get("Action", [])):
                assert "*" not in action, (logical_id, action)
            assert "NotAction" not in statement, logical_id


def test_every_star_resource_is_a_known_exception(synth: Synth) -> None:
    # In a key policy "*" means the key itself. X-Ray's two write actions, chime:CreateMeetingWithAttendees and
    # logs:DescribeLogGroups have no resource types: IAM matches them only on "*".
    allowed = {
        ("AWS::KMS::Key", None),
        ("AWS::IAM::ManagedPolicy", "Tracing"),
        ("AWS::IAM::ManagedPolicy", "ChimeNewMeetings"),
        ("AWS::IAM::ManagedPolicy", "ListGroups"),
    }
    for logical_id, document in _policy_documents(synth):
        kind = synth.resource(logical_id)["Type"]
        for statement in document["Statement"]:
            if statement["Effect"] == "Allow" and "*" in _listify(statement.get("Resource", [])):
                sid = None if kind == "AWS::KMS::Key" else statement.get("Sid")
                assert (kind, sid) in allowed, (logical_id, statement)


def test_api_gateway_logs_role_writes_only_the_api_log_groups(synth: Synth) -> None:
    statements = _statements(synth, "ApiApiGatewayLogsPolicy")
    assert statements["ListGroups"]["Action"] == "logs:DescribeLogGroups"
    assert statements["ListGroups"]["Resource"] == "*"
    assert statements["OwnGroups"]["Action"] == ["logs:CreateLogGroup", "logs:DescribeLogStreams"]
    assert statements["OwnStreams"]["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert len(statements["OwnStreams"]["Resource"]) == 2
    (account,) = synth.resources("AWS::ApiGateway::Account").values()
    role = synth.logical_id("AWS::IAM::Role", "ApiApiGatewayLogsRole")
    policy = synth.logical_id("AWS::IAM::ManagedPolicy", "ApiApiGatewayLogsPolicy")
    assert account["Properties"]["CloudWatchRoleArn"] == {"Fn::GetAtt": [role, "Arn"]}
    # API Gateway checks the role can write logs when the setting is made: the policy is attached first.
    assert policy in account["DependsOn"]
    # The setting outlives the stack, so its role and policy are kept for the account's other APIs.
    for logical_id in (role, policy, synth.logical_id("AWS::ApiGateway::Account", "ApiApiGatewayAccount")):
        assert synth.resource(logical_id)["DeletionPolicy"] == "Retain", logical_id


def test_texts_are_sent_only_from_the_named_pool_and_only_when_one_is_named(synth: Synth) -> None:
    # R28: SendTextMessage on the pool the SmsPoolId parameter names, and on nothing else
    logical_id = synth.logical_id("AWS::IAM::ManagedPolicy", "ApiTextsPolicy")
    policy = synth.resource(logical_id)
    (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert (statement["Sid"], statement["Action"]) == ("SendTexts", "sms-voice:SendTextMessage")
    pool = {"Fn::Sub": ["arn:${AWS::Partition}:sms-voice:${AWS::Region}:${AWS::AccountId}:pool/${Pool}",
                        {"Pool": {"Ref": "SmsPoolId"}}]}
    assert statement["Resource"] == pool
    # And without a pool there is no grant at all
    assert policy["Condition"].startswith("TextMessagesHasSmsPool")
    assert synth.raw["Conditions"][policy["Condition"]] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "SmsPoolId"}, ""]}]}
