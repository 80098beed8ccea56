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
# Lambda's Python runtimes and the dates Lambda deprecates them (no more security patches; function creation
# is blocked a month later, updates two months later). Chalice deploys the Python that packages the app, which
# is the Python the project builds and tests with: they move together (docs/DEPLOY.md, "Lambda runtime").
RUNTIME_DEPRECATION = {
    "python3.11": "2027-06-30",
    "python3.12": "2028-10-31",
    "python3.13": "2029-06-30",
}
NEXT_RUNTIME = "python3.13"

# Chalice's logical ids for the functions app.py declares.
API_HANDLER = "APIHandler"
AUTHORIZER = "Authorize"
SWEEP = "Sweep"
CHIME_EVENTS = "OnChimeEvent"
EMAIL_EVENTS = "OnEmailEvent"
TEXT_EVENTS = "OnTextEvent"
EVENT_HANDLERS = (CHIME_EVENTS, EMAIL_EVENTS, TEXT_EVENTS)
FUNCTIONS = (API_HANDLER, AUTHORIZER, SWEEP, CHIME_EVENTS, EMAIL_EVENTS, TEXT_EVENTS)
APP_ROLE_FUNCTIONS = (API_HANDLER, SWEEP, CHIME_EVENTS, EMAIL_EVENTS, TEXT_EVENTS)

# At most this many concurrent executions; sweep runs alone so two sweeps never race each other. The API
# handler's share comes from the stack (context apiConcurrency); the authorizer's answers are cached 300 s.
RESERVED_CONCURRENCY = {SWEEP: 1, CHIME_EVENTS: 4, EMAIL_EVENTS: 2, TEXT_EVENTS: 2, AUTHORIZER: 20}
# Asynchronously invoked functions (EventBridge): failed events are kept in the dead-letter queue.
ASYNC_FUNCTIONS = (SWEEP, CHIME_EVENTS, EMAIL_EVENTS, TEXT_EVENTS)

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
    user_pool_arn: str
    throttle_rate: int
    throttle_burst: int
    api_memory_mb: int
    api_concurrency: int
    source_dir: str = str(REPO_ROOT)
    # SES sandbox: the verified recipient identities test invites go to, and whether there are any.
    sandbox_recipient_arns: list[str] | None = None
    sandbox_condition: cdk.CfnCondition | None = None
    # End User Messaging SMS: the pool texts go from, and whether the deployment names one (R28).
    text_pool_arn: str | None = None
    texts_condition: cdk.CfnCondition | None = None


def log_streams_arn(stack: cdk.Stack, log_group_name: str) -> str:
    """Every log stream of one log group (the `log-stream` resource type IAM evaluates writes against)."""
    return stack.format_arn(
        service="logs",
        resource="log-group",
        resource_name=f"{log_group_name}:log-stream:*",
        arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
    )


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

        # CloudFormation names the log groups: a retained group of a rolled-back first deploy never blocks
        # the next attempt with AlreadyExists (docs/DEPLOY.md lists what a failed deploy leaves behind).
        self.log_groups: dict[str, logs.LogGroup] = {
            fn: logs.LogGroup(
                self,
                f"{fn}Logs",
                retention=LOG_RETENTION,
                encryption_key=key,
                removal_policy=cdk.RemovalPolicy.RETAIN,
            )
            for fn in FUNCTIONS
        }

        def log_streams(functions: tuple[str, ...]) -> list[str]:
            """The log streams of these functions' groups (Lambda names a stream per execution environment)."""
            return [log_streams_arn(stack, self.log_groups[fn].log_group_name) for fn in functions]

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
                policies.new_meetings_statement(),
                policies.secret_statement(settings.secret_arn),
                policies.staff_accounts_statement(settings.user_pool_arn),
                policies.tracing_statement(),
                policies.logs_statement(log_streams(APP_ROLE_FUNCTIONS)),
                policies.dlq_statement(self.dead_letters.queue_arn),
            ],
        )
        self.authorizer_policy = iam.ManagedPolicy(
            self,
            "AuthorizerPolicy",
            roles=[self.authorizer_role],
            statements=[
                *policies.directory_read_statements(settings.table_arn, key.key_arn),
                policies.tracing_statement(),
                policies.logs_statement(log_streams((AUTHORIZER,))),
            ],
        )
        self._sandbox_recipients(stack, settings)
        self._texts(settings)

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

    def _sandbox_recipients(self, stack: cdk.Stack, settings: ApiSettings) -> None:
        """While the account is in the SES sandbox, sends to the listed test recipients are allowed too."""
        self.sandbox_recipient_arns = settings.sandbox_recipient_arns
        if settings.sandbox_recipient_arns is None or settings.sandbox_condition is None:
            return
        policy = iam.ManagedPolicy(
            self,
            "SandboxRecipientsPolicy",
            roles=[self.app_role],
            statements=[policies.sandbox_recipients_statement(settings.sandbox_recipient_arns)],
        )
        cfn_policy = policy.node.default_child
        assert isinstance(cfn_policy, cdk.CfnResource)
        cfn_policy.cfn_options.condition = settings.sandbox_condition

    def _texts(self, settings: ApiSettings) -> None:
        """With a pool named, the app may send texts from it (and from nothing else)."""
        if settings.text_pool_arn is None or settings.texts_condition is None:
            return
        policy = iam.ManagedPolicy(
            self, "TextsPolicy", roles=[self.app_role], statements=[policies.texts_statement(settings.text_pool_arn)]
        )
        cfn_policy = policy.node.default_child
        assert isinstance(cfn_policy, cdk.CfnResource)
        cfn_policy.cfn_options.condition = settings.texts_condition

    def _configure_stage(self, stack: cdk.Stack, key: kms.IKey, settings: ApiSettings) -> None:
        """Access and execution logs (no bodies), tracing, throttling and JSON gateway responses."""
        self.access_logs = logs.LogGroup(
            self,
            "ApiAccessLogs",
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

        # API Gateway needs an account-level role to write CloudWatch logs (one per account and Region). The
        # setting outlives this stack (deleting the stack does not reset it), so the role and its policy are
        # retained: other APIs of the account keep logging after a teardown (docs/DEPLOY.md, "Tearing down").
        push_role = iam.Role(
            self,
            "ApiGatewayLogsRole",
            assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"),
            description="Lets API Gateway write the virtual-visits API's access and execution logs",
        )
        push_role.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
        # The execution log group's name holds the API's id, and the stage waits for this policy (through the
        # account setting): naming the group here would be a dependency cycle. The account-level role serves
        # every API of the account and Region anyway, so it may write every API's execution logs.
        groups = [
            stack.format_arn(
                service="logs",
                resource="log-group",
                resource_name=name,
                arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
            )
            for name in ("API-Gateway-Execution-Logs_*", self.access_logs.log_group_name)
        ]
        push_policy = iam.ManagedPolicy(
            self,
            "ApiGatewayLogsPolicy",
            roles=[push_role],
            statements=[
                # logs:DescribeLogGroups has no resource type: IAM matches it only on "*" (metadata only).
                iam.PolicyStatement(sid="ListGroups", actions=["logs:DescribeLogGroups"], resources=["*"]),
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
        push_policy.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
        account = cdk.aws_apigateway.CfnAccount(self, "ApiGatewayAccount", cloud_watch_role_arn=push_role.role_arn)
        account.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
        # API Gateway checks that the role can write logs when the setting is made: attach the policy first.
        account.node.add_dependency(push_policy)
        # The stage enables logging, which API Gateway refuses until the account has a logs role.
        rest_api.node.add_dependency(account)
