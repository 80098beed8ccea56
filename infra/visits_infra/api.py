"""The Chalice app (stage prod) with its roles, log groups, dead-letter queue and API Gateway settings."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from chalice.cdk import Chalice
from constructs import Construct

from visits_infra import policies
from visits_infra.paths import REPO_ROOT

API_STAGE = "v1"
LOG_RETENTION = logs.RetentionDays.ONE_YEAR

# Chalice's logical ids for the functions app.py declares.
API_HANDLER = "APIHandler"
AUTHORIZER = "Authorize"
SWEEP = "Sweep"
CHIME_EVENTS = "OnChimeEvent"
EMAIL_EVENTS = "OnEmailEvent"
EVENT_HANDLERS = (CHIME_EVENTS, EMAIL_EVENTS)
FUNCTIONS = (API_HANDLER, AUTHORIZER, SWEEP, CHIME_EVENTS, EMAIL_EVENTS)
APP_ROLE_FUNCTIONS = (API_HANDLER, SWEEP, CHIME_EVENTS, EMAIL_EVENTS)

# At most this many concurrent executions; sweep runs alone so two sweeps never race each other. The API
# handler's share comes from the stack (context apiConcurrency); the authorizer's answers are cached 300 s.
RESERVED_CONCURRENCY = {SWEEP: 1, CHIME_EVENTS: 4, EMAIL_EVENTS: 2, AUTHORIZER: 20}
# Asynchronously invoked functions (EventBridge): failed events are kept in the dead-letter queue.
ASYNC_FUNCTIONS = (SWEEP, CHIME_EVENTS, EMAIL_EVENTS)

# Error bodies API Gateway itself produces, in the app's {"Code", "Message"} shape.
GATEWAY_RESPONSES: dict[str, tuple[int | None, str, str]] = {
    "UNAUTHORIZED": (401, "UNAUTHORIZED", '"Sign in to continue."'),
    "ACCESS_DENIED": (403, "FORBIDDEN", '"Your role does not allow this action."'),
    # API Gateway answers unknown routes with 403 "Missing Authentication Token".
    "MISSING_AUTHENTICATION_TOKEN": (404, "NOT_FOUND", '"Not found."'),
    "THROTTLED": (429, "TOO_MANY_REQUESTS", '"Too many requests. Please try again in a moment."'),
    "DEFAULT_4XX": (None, "BAD_REQUEST", "$context.error.messageString"),
    "DEFAULT_5XX": (None, "INTERNAL_ERROR", '"Something went wrong. Please try again."'),
}

ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "requestTime": "$context.requestTimeEpoch",
        "httpMethod": "$context.httpMethod",
        "resourcePath": "$context.resourcePath",
        "status": "$context.status",
        "responseLength": "$context.responseLength",
        "integrationLatency": "$context.integrationLatency",
        "errorType": "$context.error.responseType",
        "principalId": "$context.authorizer.principalId",
    },
    separators=(",", ":"),
)


@dataclass(frozen=True)
class ApiSettings:
    """What the app's environment and IAM are built from."""

    environment: dict[str, str]
    table_arn: str
    index_names: tuple[str, ...]
    key: kms.IKey
    secret_arn: str
    identity_arn: str
    configuration_set_arn: str
    throttle_rate: int
    throttle_burst: int
    api_memory_mb: int
    api_concurrency: int
    source_dir: str = str(REPO_ROOT)


def gateway_responses() -> dict[str, Any]:
    """`x-amazon-apigateway-gateway-responses` for the API's OpenAPI body."""
    out: dict[str, Any] = {}
    for response_type, (status, code, message) in GATEWAY_RESPONSES.items():
        body = '{"Code":"%s","Message":%s}' % (code, message)  # noqa: UP031 (VTL, not Python)
        entry: dict[str, Any] = {
            "responseParameters": {"gatewayresponse.header.Cache-Control": "'no-store'"},
            "responseTemplates": {"application/json": body},
        }
        if status is not None:
            entry["statusCode"] = status
        out[response_type] = entry
    return out


@contextmanager
def _isolated_app_import(region: str) -> Iterator[None]:
    """Chalice imports app.py in-process and writes the stage's variables into os.environ; undo both."""
    saved_env = dict(os.environ)
    saved_app = sys.modules.pop("app", None)
    # `chalice package` needs only a Region (no credentials); the stage variables decide app.py's routes.
    os.environ["AWS_DEFAULT_REGION"] = region
    for name in ("APP_STAGE", "MEETING_PROVIDER", "AUTH_MODE"):
        os.environ.pop(name, None)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        sys.modules.pop("app", None)
        if saved_app is not None:
            sys.modules["app"] = saved_app


class VisitsApi(Construct):
    """Chalice's SAM template, included, plus what the app needs around it."""

    def __init__(self, scope: Construct, construct_id: str, *, settings: ApiSettings) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        key = settings.key

        self.log_groups: dict[str, logs.LogGroup] = {}
        self.log_group_names: dict[str, str] = {}
        for fn in FUNCTIONS:
            role = "authorizer" if fn == AUTHORIZER else "app"
            name = f"/virtual-visits/{stack.stack_name}/{role}/{fn}"
            self.log_group_names[fn] = name
            self.log_groups[fn] = logs.LogGroup(
                self,
                f"{fn}Logs",
                log_group_name=name,
                retention=LOG_RETENTION,
                encryption_key=key,
                removal_policy=cdk.RemovalPolicy.RETAIN,
            )

        def log_groups_arn(role: str) -> str:
            """The log groups of the functions that share one role (their streams are per instance)."""
            return stack.format_arn(
                service="logs",
                resource="log-group",
                resource_name=f"/virtual-visits/{stack.stack_name}/{role}/*",
                arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
            )

        self.dead_letters = sqs.Queue(
            self,
            "EventDeadLetters",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=key,
            enforce_ssl=True,
            retention_period=cdk.Duration.days(14),
        )

        lambda_principal = iam.ServicePrincipal("lambda.amazonaws.com")
        self.app_role = iam.Role(self, "AppRole", assumed_by=lambda_principal, description="virtual-visits app")
        self.authorizer_role = iam.Role(
            self, "AuthorizerRole", assumed_by=lambda_principal, description="virtual-visits authorizer"
        )
        meetings_arn = stack.format_arn(service="chime", resource="meeting", resource_name="*")
        self.app_policy = iam.ManagedPolicy(
            self,
            "AppPolicy",
            roles=[self.app_role],
            statements=[
                *policies.table_statements(settings.table_arn, settings.index_names, key.key_arn),
                policies.email_statement(settings.identity_arn, settings.configuration_set_arn),
                policies.meetings_statement(meetings_arn),
                policies.secret_statement(settings.secret_arn),
                policies.tracing_statement(),
                policies.logs_statement(log_groups_arn("app")),
                policies.dlq_statement(self.dead_letters.queue_arn),
            ],
        )
        self.authorizer_policy = iam.ManagedPolicy(
            self,
            "AuthorizerPolicy",
            roles=[self.authorizer_role],
            statements=[policies.tracing_statement(), policies.logs_statement(log_groups_arn("authorizer"))],
        )

        stage_config: dict[str, Any] = {
            "api_gateway_stage": API_STAGE,
            "api_gateway_endpoint_type": "REGIONAL",
            "manage_iam_role": False,
            "iam_role_arn": self.app_role.role_arn,
            "autogen_policy": False,
            "xray": True,
            "lambda_memory_size": settings.api_memory_mb,
            "lambda_timeout": 25,
            "automatic_layer": False,
            "environment_variables": settings.environment,
        }
        with _isolated_app_import(stack.region):
            # chalice.cdk names the Chalice stage after its scope, so the scope is the stack "prod".
            self.chalice = Chalice(stack, "Chalice", source_dir=settings.source_dir, stage_config=stage_config)

        for fn in FUNCTIONS:
            function = self.chalice.get_resource(fn)
            function.add_property_override(
                "LoggingConfig", {"LogGroup": self.log_groups[fn].log_group_name, "LogFormat": "Text"}
            )
            function.add_resource_dependency(self.app_policy.node.default_child)
        authorizer = self.chalice.get_resource(AUTHORIZER)
        authorizer.add_property_override("Role", self.authorizer_role.role_arn)
        authorizer.add_property_override("Timeout", 10)
        authorizer.add_resource_dependency(self.authorizer_policy.node.default_child)
        for fn in (SWEEP, *EVENT_HANDLERS):
            self.chalice.get_resource(fn).add_property_override("Timeout", 60)
        reserved_concurrency = {**RESERVED_CONCURRENCY, API_HANDLER: settings.api_concurrency}
        for fn, reserved in reserved_concurrency.items():
            self.chalice.get_resource(fn).add_property_override("ReservedConcurrentExecutions", reserved)
        for fn in ASYNC_FUNCTIONS:
            self.chalice.get_resource(fn).add_property_override(
                "DeadLetterQueue", {"Type": "SQS", "TargetArn": self.dead_letters.queue_arn}
            )

        self.rest_api = self.chalice.get_resource("RestAPI")
        self.rest_api_id = self.rest_api.ref
        self._configure_stage(stack, key, settings)

    def _configure_stage(self, stack: cdk.Stack, key: kms.IKey, settings: ApiSettings) -> None:
        """Access and execution logs (no bodies), tracing, throttling and JSON gateway responses."""
        self.access_logs = logs.LogGroup(
            self,
            "ApiAccessLogs",
            log_group_name=f"/virtual-visits/{stack.stack_name}/api-access",
            retention=LOG_RETENTION,
            encryption_key=key,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        # API Gateway writes execution logs to this fixed name; creating it here sets retention and key.
        self.execution_logs = logs.LogGroup(
            self,
            "ApiExecutionLogs",
            log_group_name=f"API-Gateway-Execution-Logs_{self.rest_api_id}/{API_STAGE}",
            retention=LOG_RETENTION,
            encryption_key=key,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        self.api_name = f"{stack.stack_name}-api"
        rest_api = self.rest_api
        rest_api.add_property_override("Name", self.api_name)
        rest_api.add_property_override("EndpointConfiguration", {"Type": "REGIONAL"})
        rest_api.add_property_override("TracingEnabled", True)
        rest_api.add_property_override(
            "AccessLogSetting",
            {"DestinationArn": self.access_logs.log_group_arn, "Format": ACCESS_LOG_FORMAT},
        )
        rest_api.add_property_override(
            "MethodSettings",
            [
                {
                    "ResourcePath": "/*",
                    "HttpMethod": "*",
                    "LoggingLevel": "ERROR",
                    "DataTraceEnabled": False,
                    "MetricsEnabled": True,
                    "ThrottlingRateLimit": settings.throttle_rate,
                    "ThrottlingBurstLimit": settings.throttle_burst,
                }
            ],
        )
        rest_api.add_property_override("DefinitionBody.x-amazon-apigateway-gateway-responses", gateway_responses())

        # API Gateway needs an account-level role to write CloudWatch logs (one per account and Region).
        push_role = iam.Role(
            self,
            "ApiGatewayLogsRole",
            assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"),
            description="Lets API Gateway write the virtual-visits API's access and execution logs",
        )
        groups = [
            stack.format_arn(
                service="logs",
                resource="log-group",
                resource_name=name,
                arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
            )
            for name in (self.execution_logs.log_group_name, self.access_logs.log_group_name)
        ]
        iam.ManagedPolicy(
            self,
            "ApiGatewayLogsPolicy",
            roles=[push_role],
            statements=[
                iam.PolicyStatement(
                    sid="ListGroups",
                    actions=["logs:DescribeLogGroups"],
                    resources=[
                        stack.format_arn(
                            service="logs",
                            resource="log-group",
                            resource_name="*",
                            arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
                        )
                    ],
                ),
                iam.PolicyStatement(
                    sid="OwnGroups",
                    actions=["logs:CreateLogGroup", "logs:DescribeLogStreams"],
                    resources=groups,
                ),
                iam.PolicyStatement(
                    sid="OwnStreams",
                    actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                    resources=[f"{arn}:log-stream:*" for arn in groups],
                ),
            ],
        )
        account = cdk.aws_apigateway.CfnAccount(self, "ApiGatewayAccount", cloud_watch_role_arn=push_role.role_arn)
        # The stage enables logging, which API Gateway refuses until the account has a logs role.
        rest_api.node.add_dependency(account)
