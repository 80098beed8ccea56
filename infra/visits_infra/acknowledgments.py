"""cdk-nag findings acknowledged on purpose, each with its reason. docs/INFRA.md lists the same set."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

import aws_cdk as cdk
from constructs import IConstruct

if TYPE_CHECKING:
    from visits_infra.app import VisitsStack

_LOGS = "arn:<AWS::Partition>:logs:us-east-1:<AWS::AccountId>:log-group:"
_STAR = "AwsSolutions::AwsSolutions-IAM5[Resource::*]"


@dataclass(frozen=True)
class Ack:
    """Acknowledged findings of one kind on one construct (path relative to the stack), with their reason."""

    path: str
    rules: tuple[str, ...]
    reason: str


def _iam5(resource: str) -> str:
    return f"AwsSolutions::AwsSolutions-IAM5[Resource::{resource}]"


def _streams(stack: VisitsStack, *functions: str) -> tuple[str, ...]:
    """The IAM5 finding ids of the log-stream wildcards of these functions' (generated) log groups."""
    ids = []
    for fn in functions:
        group = stack.api.log_groups[fn].node.default_child
        assert isinstance(group, cdk.CfnElement)
        ids.append(_iam5(f"{_LOGS}<{stack.resolve(stack.get_logical_id(group))}>:log-stream:*"))
    return tuple(ids)


def acks(stack: VisitsStack) -> tuple[Ack, ...]:
    """The acknowledgments of the stack (some finding ids contain generated logical ids)."""
    from visits_infra.api import APP_ROLE_FUNCTIONS, AUTHORIZER

    sandbox = json.dumps(stack.resolve(stack.api.sandbox_recipient_arns), separators=(",", ":"))
    api = stack.api
    access = stack.resolve(stack.get_logical_id(api.access_logs.node.default_child))  # type: ignore[arg-type]
    execution = f"{_LOGS}API-Gateway-Execution-Logs_*"
    return (
        Ack(
            "Api/AppPolicy",
            _streams(stack, *APP_ROLE_FUNCTIONS),
            "Lambda creates one log stream per execution environment with a generated name; each wildcard is "
            "limited to the log group of one of the four functions that share this role.",
        ),
        Ack(
            "Api/AppPolicy",
            (_iam5("arn:<AWS::Partition>:chime:us-east-1:<AWS::AccountId>:meeting/*"),),
            "Chime SDK meeting ids are minted by CreateMeetingWithAttendees, so no narrower ARN exists when the "
            "policy is written; the ARN is limited to this account's meetings in this Region.",
        ),
        Ack(
            "Api/AppPolicy",
            (_STAR,),
            "IAM matches these actions only on \"*\": X-Ray's PutTraceSegments and PutTelemetryRecords and Chime's "
            "CreateMeetingWithAttendees have no resource types (checked against IAM's data in "
            "tests/infra/test_iam_grants.py).",
        ),
        Ack(
            "Api/AuthorizerPolicy",
            (*_streams(stack, AUTHORIZER), _STAR),
            "The log-stream wildcard is limited to the authorizer's own log group (Lambda names a stream per "
            "execution environment); \"*\" holds only X-Ray's two write actions, which have no resource types.",
        ),
        Ack(
            "Api/ApiGatewayLogsPolicy",
            (_STAR,),
            "logs:DescribeLogGroups (metadata only), which API Gateway calls before it writes, has no resource "
            "type, so IAM matches it only on \"*\". Writing is limited to the API's two log groups.",
        ),
        Ack(
            "Api/ApiGatewayLogsPolicy",
            (_iam5(f"{_LOGS}<{access}>:log-stream:*"), _iam5(execution), _iam5(f"{execution}:log-stream:*")),
            "API Gateway names its log streams itself: the access-log wildcard is limited to the API's access log "
            "group. The account-wide logging role writes every API's execution logs, whose group names hold the "
            "API id (naming this API's group would be a dependency cycle: stage, account setting, policy).",
        ),
        Ack(
            "Api/SandboxRecipientsPolicy",
            (_iam5(sandbox),),
            "Only while SES is in the sandbox, and only if SesSandboxRecipients lists test addresses: each ARN "
            "names one recipient identity; the account is a wildcard because Fn::Join takes no intrinsic "
            "separator.",
        ),
        Ack(
            "Api/EventDeadLetters",
            ("AwsSolutions::AwsSolutions-SQS3",),
            "This queue is the dead-letter queue of the Chime and SES event handlers (Lambda DeadLetterConfig, "
            "which cdk-nag does not see); a dead-letter queue of its own would have nothing to catch.",
        ),
        Ack(
            "LinkKey",
            ("AwsSolutions::AwsSolutions-SMG4", "HIPAA.Security::HIPAA.Security-SecretsManagerRotationEnabled"),
            "Rotation is safe (links are stored by hash; resends find the key that made them) but manual: "
            "automatic rotation needs a rotation function for a generic secret. docs/DEPLOY.md says how.",
        ),
        Ack(
            f"OriginVerify/{stack.origin.secret.node.id}",
            ("AwsSolutions::AwsSolutions-SMG4", "HIPAA.Security::HIPAA.Security-SecretsManagerRotationEnabled"),
            "The value only proves a request came through CloudFront (it grants no data access); both CloudFront "
            "and the API's web ACL read it at deploy time, so it changes with a deploy (docs/DEPLOY.md).",
        ),
        Ack(
            "OriginVerify/StageAssociation",
            ("CloudFormation-Validate::E3005",),
            "RestAPIv1Stage is the stage the SAM transform generates for the Chalice API; the association must "
            "wait for it, and the transformed template is checked by cfn-lint in tests/infra/test_checks.py.",
        ),
        Ack(
            "Data/Table",
            ("HIPAA.Security::HIPAA.Security-DynamoDBInBackupPlan",),
            "Point-in-time recovery is on (continuous backups, restore to any second in 35 days), deletion "
            "protection is on and the table is retained on stack deletion. An AWS Backup plan for longer "
            "retention is an account-level choice documented in docs/DEPLOY.md.",
        ),
        Ack(
            "Hosting",
            ("HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled",),
            "The site bucket holds only the public front-end build, reproducible from git; the log bucket holds "
            "access logs only. Neither holds PHI, and both are versioned.",
        ),
        Ack(
            "Hosting",
            ("HIPAA.Security::HIPAA.Security-S3DefaultEncryptionKMS",),
            "Both buckets are encrypted with SSE-S3. The site bucket is the public front end served through "
            "CloudFront OAC; the log bucket receives CloudFront standard logs, which are delivered with an ACL "
            "and SSE-S3. Neither holds PHI.",
        ),
        Ack(
            "Hosting/Distribution",
            ("AwsSolutions::AwsSolutions-CFR1",),
            "Clients join from wherever they are (home, hospital, travel); the staff app is behind Cognito with "
            "MFA. WAF rate limits and managed rules apply instead of a country allow-list.",
        ),
    )


def apply(stack: VisitsStack) -> None:
    """Attach every acknowledgment to its construct."""
    for ack in acks(stack):
        target: IConstruct = stack
        for part in ack.path.split("/"):
            target = target.node.find_child(part)
        for rule in ack.rules:
            cdk.Validations.of(target).acknowledge(cdk.Acknowledgment(id=rule, reason=ack.reason))


@dataclass(frozen=True)
class DeployedAck:
    """A finding on resources the SAM transform creates (checked by `visits_infra.deployed`)."""

    rule: str
    logical_ids: tuple[str, ...]
    reason: str


_FUNCTIONS = ("APIHandler", "Authorize", "OnChimeEvent", "OnEmailEvent", "OnTextEvent", "Sweep")

DEPLOYED_ACKS: tuple[DeployedAck, ...] = (
    DeployedAck(
        "AwsSolutions-L1",
        _FUNCTIONS,
        "The runtime is the Python the project builds, tests and packages its dependencies with (Chalice takes "
        "it from that interpreter). 3.11 is supported by Lambda until 2027-06-30; the move to 3.13 is planned "
        "and checked (docs/DEPLOY.md), and a test fails 90 days before the deprecation.",
    ),
    DeployedAck(
        "HIPAA.Security-LambdaInsideVPC",
        _FUNCTIONS,
        "The functions reach only AWS APIs (DynamoDB, SES, Chime SDK, Secrets Manager, X-Ray) and Cognito's "
        "public JWKS over TLS with IAM auth; they hold no network-reachable data. A VPC would add NAT or six "
        "interface endpoints without reducing exposure.",
    ),
    DeployedAck(
        "HIPAA.Security-LambdaDLQ",
        ("APIHandler", "Authorize"),
        "API Gateway invokes these two synchronously; a failure is returned to the caller as a 5xx (and "
        "alarmed), and Lambda sends only asynchronous invocations to a dead-letter queue.",
    ),
    DeployedAck(
        "AwsSolutions-APIG2",
        ("RestAPI",),
        "Requests are validated by the app, which answers 400 with the product's {Code, Message} body naming "
        "the field; API Gateway's validators would answer in another format.",
    ),
    DeployedAck(
        "HIPAA.Security-APIGWCacheEnabledAndEncrypted",
        ("RestAPIv1Stage",),
        "Caching is off on purpose: every response is per-user and may contain PHI, so nothing is cached "
        "and nothing needs cache encryption.",
    ),
    DeployedAck(
        "HIPAA.Security-APIGWSSLEnabled",
        ("RestAPIv1Stage",),
        "A client certificate authenticates API Gateway to HTTP backends; every integration here is a Lambda "
        "proxy integration invoked through IAM, so there is no HTTP backend to present it to.",
    ),
)


def deployed_findings_acknowledged() -> set[tuple[str, str]]:
    """(rule, logical id) pairs that DEPLOYED_ACKS covers."""
    return {(ack.rule, logical_id) for ack in DEPLOYED_ACKS for logical_id in ack.logical_ids}
