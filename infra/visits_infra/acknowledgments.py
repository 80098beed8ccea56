"""cdk-nag findings acknowledged on purpose, each with its reason. docs/INFRA.md lists the same set."""

from __future__ import annotations

from dataclasses import dataclass

import aws_cdk as cdk
from constructs import IConstruct

_LOGS = "arn:<AWS::Partition>:logs:us-east-1:<AWS::AccountId>:log-group:"


@dataclass(frozen=True)
class Ack:
    """One acknowledged finding on one construct (path relative to the stack)."""

    path: str
    rule: str
    reason: str


def acks(stack_name: str) -> tuple[Ack, ...]:
    """The acknowledgments of a stack named `stack_name` (log group names contain it)."""
    return (
        Ack(
            "Api/AppPolicy",
            f"AwsSolutions::AwsSolutions-IAM5[Resource::{_LOGS}/virtual-visits/{stack_name}/app/*:log-stream:*]",
            "Lambda creates one log stream per execution environment with a generated name; the wildcard is "
            "limited to the log groups of the four functions that share this role.",
        ),
        Ack(
            "Api/AppPolicy",
            "AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:chime:us-east-1:<AWS::AccountId>:meeting/*]",
            "Chime SDK meeting ids are minted by CreateMeeting, so no narrower ARN exists when the policy is "
            "written; the ARN is limited to this account's meetings in this Region.",
        ),
        Ack(
            "Api/AppPolicy",
            "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
            "xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions; the "
            "statement holds those two actions only.",
        ),
        Ack(
            "Api/AuthorizerPolicy",
            f"AwsSolutions::AwsSolutions-IAM5[Resource::{_LOGS}/virtual-visits/{stack_name}/authorizer/*:log-stream:*]",
            "Lambda creates one log stream per execution environment with a generated name; the wildcard is "
            "limited to the authorizer's log group.",
        ),
        Ack(
            "Api/AuthorizerPolicy",
            "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
            "xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions; the "
            "statement holds those two actions only.",
        ),
        Ack(
            "Api/ApiGatewayLogsPolicy",
            f"AwsSolutions::AwsSolutions-IAM5[Resource::{_LOGS}*]",
            "API Gateway lists log groups (logs:DescribeLogGroups, metadata only) before it writes; that action "
            "has no narrower resource. Writing is limited to the API's two log groups.",
        ),
        Ack(
            "Api/ApiGatewayLogsPolicy",
            f"AwsSolutions::AwsSolutions-IAM5[Resource::{_LOGS}<ApiApiAccessLogs4EAA4C13>:log-stream:*]",
            "API Gateway names access-log streams itself; the wildcard is limited to the API's access log group.",
        ),
        Ack(
            "Api/ApiGatewayLogsPolicy",
            f"AwsSolutions::AwsSolutions-IAM5[Resource::{_LOGS}<ApiApiExecutionLogs3D0B115A>:log-stream:*]",
            "API Gateway names execution-log streams itself; the wildcard is limited to the API's execution log group.",
        ),
        Ack(
            "Api/EventDeadLetters",
            "AwsSolutions::AwsSolutions-SQS3",
            "This queue is the dead-letter queue of the Chime and SES event handlers (Lambda DeadLetterConfig, "
            "which cdk-nag does not see); a dead-letter queue of its own would have nothing to catch.",
        ),
        Ack(
            "LinkKey",
            "AwsSolutions::AwsSolutions-SMG4",
            "The link key derives every outstanding client link; rotating it would silently invalidate invites "
            "already sent. Rotation is a manual, announced operation (docs/DEPLOY.md).",
        ),
        Ack(
            "LinkKey",
            "HIPAA.Security::HIPAA.Security-SecretsManagerRotationEnabled",
            "Same secret as AwsSolutions-SMG4: automatic rotation would invalidate client links already sent; "
            "the key is never shown to people and is read only by the app role.",
        ),
        Ack(
            "Data/Table",
            "HIPAA.Security::HIPAA.Security-DynamoDBInBackupPlan",
            "Point-in-time recovery is on (continuous backups, restore to any second in 35 days), deletion "
            "protection is on and the table is retained on stack deletion. An AWS Backup plan for longer "
            "retention is an account-level choice documented in docs/DEPLOY.md.",
        ),
        Ack(
            "Hosting",
            "HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled",
            "The site bucket holds only the public front-end build, reproducible from git; the log bucket holds "
            "access logs only. Neither holds PHI, and both are versioned.",
        ),
        Ack(
            "Hosting",
            "HIPAA.Security::HIPAA.Security-S3DefaultEncryptionKMS",
            "Both buckets are encrypted with SSE-S3. The site bucket is the public front end served through "
            "CloudFront OAC; the log bucket receives CloudFront standard logs, which are delivered with an ACL "
            "and SSE-S3. Neither holds PHI.",
        ),
        Ack(
            "Hosting/Distribution",
            "AwsSolutions::AwsSolutions-CFR1",
            "Clients join from wherever they are (home, hospital, travel); the staff app is behind Cognito with "
            "MFA. WAF rate limits and managed rules apply instead of a country allow-list.",
        ),
    )


def apply(stack: cdk.Stack) -> None:
    """Attach every acknowledgment to its construct."""
    for ack in acks(stack.stack_name):
        target: IConstruct = stack
        for part in ack.path.split("/"):
            target = target.node.find_child(part)
        cdk.Validations.of(target).acknowledge(cdk.Acknowledgment(id=ack.rule, reason=ack.reason))


@dataclass(frozen=True)
class DeployedAck:
    """A finding on resources the SAM transform creates (checked by `visits_infra.deployed`)."""

    rule: str
    logical_ids: tuple[str, ...]
    reason: str


_FUNCTIONS = ("APIHandler", "Authorize", "OnChimeEvent", "OnEmailEvent", "Sweep")

DEPLOYED_ACKS: tuple[DeployedAck, ...] = (
    DeployedAck(
        "AwsSolutions-L1",
        _FUNCTIONS,
        "The runtime is the Python the project builds, tests and packages its dependencies with (3.11, "
        "supported by Lambda); Chalice picks it from that interpreter. Moving runtimes moves the toolchain.",
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
        "AwsSolutions-APIG3",
        ("RestAPIv1Stage",),
        "The web ACL is on the CloudFront distribution in front of the API (CLOUDFRONT scope), where the "
        "join rate limits apply; the stage is also throttled.",
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
