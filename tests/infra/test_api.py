"""The Chalice app in prod: environment from the stack, events, DLQs, concurrency, API Gateway settings."""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from typing import Any

from visits_infra.api import (
    API_HANDLER,
    AUTHORIZER,
    CHIME_EVENTS,
    EMAIL_EVENTS,
    FUNCTIONS,
    GATEWAY_RESPONSES,
    NEXT_RUNTIME,
    RESERVED_CONCURRENCY,
    RUNTIME_DEPRECATION,
    SWEEP,
    TEXT_EVENTS,
)

from tests.infra.conftest import Synth

CLIENT_ROUTES = {"/api/join", "/api/join/attendee", "/api/join/leave"}
# Chalice deploys the Python that packages the app: the one the project builds and tests with.
RUNTIME = f"python{sys.version_info.major}.{sys.version_info.minor}"
SUPPORT_MARGIN = timedelta(days=90)
PUBLIC_ROUTES = CLIENT_ROUTES | {"/api/openapi.json"}


def _fn(synth: Synth, name: str) -> dict[str, Any]:
    resource = synth.resource(name)
    assert resource["Type"] == "AWS::Serverless::Function"
    props: dict[str, Any] = resource["Properties"]
    return props


def _swagger(synth: Synth) -> dict[str, Any]:
    body: dict[str, Any] = synth.resource("RestAPI")["Properties"]["DefinitionBody"]
    return body


def test_environment_comes_from_the_stack(synth: Synth) -> None:
    env = _fn(synth, API_HANDLER)["Environment"]["Variables"]
    assert env["APP_STAGE"] == "prod"
    assert env["MEETING_PROVIDER"] == "chime"
    assert env["AUTH_MODE"] == "cognito"
    assert env["PUBLIC_BASE_URL"] == {"Fn::Join": ["", ["https://", {"Ref": "AppDomain"}]]}
    assert env["CHIME_MEDIA_REGION"] == {"Ref": "ChimeMediaRegion"}
    pool = synth.logical_id("AWS::Cognito::UserPool", "StaffAuthUserPool")
    assert env["COGNITO_ISSUER"] == {"Fn::GetAtt": [pool, "ProviderURL"]}
    assert env["COGNITO_AUDIENCE"] == {
        "Ref": synth.logical_id("AWS::Cognito::UserPoolClient", "StaffAuthUserPoolWebClient")
    }
    assert env["LINK_KEY_SECRET_ID"] == {"Ref": synth.logical_id("AWS::SecretsManager::Secret", "LinkKey")}
    assert env["EMAIL_CONFIGURATION_SET"] == {
        "Ref": synth.logical_id("AWS::SES::ConfigurationSet", "InviteEmailConfigurationSet")
    }
    assert env["SWEEP_SHARDS"] == "4"
    assert env["POWERTOOLS_SERVICE_NAME"] == "virtual-visits"
    assert env["POWERTOOLS_METRICS_NAMESPACE"] == "VirtualVisits"
    # No local-only settings reach AWS.
    assert not {"LOCAL_JWT_SECRET", "LINK_KEY", "AWS_ENDPOINT_URL"} & set(env)
    for fn in FUNCTIONS:
        assert _fn(synth, fn)["Environment"]["Variables"] == env, fn
        # Packaged as Chalice stage "prod", so .chalice/config.json's prod stage applies too.
        assert _fn(synth, fn)["Tags"]["aws-chalice"].endswith(":stage=prod:app=virtual-visits"), fn


def test_link_key_secret_is_64_hex_characters_encrypted_with_the_data_key(synth: Synth) -> None:
    secret = synth.resource(synth.logical_id("AWS::SecretsManager::Secret", "LinkKey"))["Properties"]
    generator = secret["GenerateSecretString"]
    assert generator["PasswordLength"] == 64
    assert generator["ExcludeUppercase"] is True
    assert generator["ExcludePunctuation"] is True
    assert set(generator["ExcludeCharacters"]) == set("ghijklmnopqrstuvwxyz")
    assert secret["KmsKeyId"] == {"Fn::GetAtt": [synth.logical_id("AWS::KMS::Key", "DataKey"), "Arn"]}


def test_every_function_traces_and_logs_to_its_own_encrypted_retained_group(synth: Synth) -> None:
    key = synth.logical_id("AWS::KMS::Key", "DataKey")
    for fn in FUNCTIONS:
        props = _fn(synth, fn)
        assert props["Tracing"] == "Active"
        assert props["Runtime"] == RUNTIME
        group_id = props["LoggingConfig"]["LogGroup"]["Ref"]
        group = synth.resource(group_id)["Properties"]
        assert group["RetentionInDays"] == 365
        assert group["KmsKeyId"] == {"Fn::GetAtt": [key, "Arn"]}


def test_every_log_group_has_retention_and_the_data_key(synth: Synth) -> None:
    groups = synth.resources("AWS::Logs::LogGroup")
    assert len(groups) == len(FUNCTIONS) + 3  # + API access, API execution, WAF
    for logical_id, group in groups.items():
        assert group["Properties"]["RetentionInDays"] == 365, logical_id
        assert "KmsKeyId" in group["Properties"], logical_id
        assert group["DeletionPolicy"] == "Retain", logical_id


def test_sweep_runs_every_minute_alone(synth: Synth) -> None:
    props = _fn(synth, SWEEP)
    (event,) = props["Events"].values()
    assert event == {"Type": "Schedule", "Properties": {"Schedule": "rate(1 minute)"}}
    assert props["ReservedConcurrentExecutions"] == 1


def test_chime_meeting_events_reach_the_handler(synth: Synth) -> None:
    (event,) = _fn(synth, CHIME_EVENTS)["Events"].values()
    assert event["Type"] == "CloudWatchEvent"
    assert event["Properties"]["Pattern"]["source"] == ["aws.chime"]
    assert event["Properties"]["Pattern"]["detail-type"] == ["Chime Meeting State Change"]


def test_ses_events_reach_the_handler(synth: Synth) -> None:
    (event,) = _fn(synth, EMAIL_EVENTS)["Events"].values()
    assert event["Type"] == "CloudWatchEvent"
    assert event["Properties"]["Pattern"]["source"] == ["aws.ses"]


def test_text_delivery_events_reach_the_handler(synth: Synth) -> None:
    # R29: End User Messaging puts delivery events on the default bus; the handler's rule matches them
    (event,) = _fn(synth, TEXT_EVENTS)["Events"].values()
    assert event["Type"] == "CloudWatchEvent"
    assert event["Properties"]["Pattern"] == {"source": ["aws.sms-voice"],
                                              "detail-type": ["Text Message Delivery Status Updated"]}


def test_every_function_has_reserved_concurrency(synth: Synth) -> None:
    reserved = {fn: _fn(synth, fn)["ReservedConcurrentExecutions"] for fn in FUNCTIONS}
    assert reserved == {**RESERVED_CONCURRENCY, API_HANDLER: 200}
    assert sum(reserved.values()) + 100 <= 1000  # Lambda keeps 100 unreserved; default account quota 1000


def test_async_functions_have_a_dead_letter_queue_and_reserved_concurrency(synth: Synth) -> None:
    queue = synth.logical_id("AWS::SQS::Queue", "ApiEventDeadLetters")
    for fn in (SWEEP, CHIME_EVENTS, EMAIL_EVENTS, TEXT_EVENTS):
        props = _fn(synth, fn)
        assert props["DeadLetterQueue"] == {"Type": "SQS", "TargetArn": {"Fn::GetAtt": [queue, "Arn"]}}
        assert props["ReservedConcurrentExecutions"] == RESERVED_CONCURRENCY[fn]
    queue_props = synth.resource(queue)["Properties"]
    assert queue_props["KmsMasterKeyId"] == {"Fn::GetAtt": [synth.logical_id("AWS::KMS::Key", "DataKey"), "Arn"]}
    assert queue_props["MessageRetentionPeriod"] == 14 * 24 * 3600


def test_rest_api_is_regional_traced_throttled_and_logs_no_bodies(synth: Synth) -> None:
    props = synth.resource("RestAPI")["Properties"]
    assert props["StageName"] == "v1"
    assert props["EndpointConfiguration"] == {"Type": "REGIONAL"}
    assert props["TracingEnabled"] is True
    (settings,) = props["MethodSettings"]
    assert settings["ResourcePath"] == "/*"
    assert settings["HttpMethod"] == "*"
    assert settings["LoggingLevel"] in {"ERROR", "INFO"}
    assert settings["DataTraceEnabled"] is False  # execution logs never contain request bodies
    assert settings["MetricsEnabled"] is True
    assert settings["ThrottlingRateLimit"] > 0
    assert settings["ThrottlingBurstLimit"] >= settings["ThrottlingRateLimit"]
    access = props["AccessLogSetting"]
    assert access["DestinationArn"] == {
        "Fn::GetAtt": [synth.logical_id("AWS::Logs::LogGroup", "ApiApiAccessLogs"), "Arn"]
    }
    fields = json.loads(access["Format"])
    assert "$context.requestId" in fields.values()
    assert not any("body" in value.lower() for value in fields.values())


def test_execution_log_group_is_precreated_for_the_stage(synth: Synth) -> None:
    group = synth.resource(synth.logical_id("AWS::Logs::LogGroup", "ApiApiExecutionLogs"))["Properties"]
    assert group["LogGroupName"] == {"Fn::Join": ["", ["API-Gateway-Execution-Logs_", {"Ref": "RestAPI"}, "/v1"]]}


def test_gateway_errors_use_the_code_message_body(synth: Synth) -> None:
    responses = _swagger(synth)["x-amazon-apigateway-gateway-responses"]
    assert set(responses) == set(GATEWAY_RESPONSES)
    assert responses["UNAUTHORIZED"]["statusCode"] == 401
    assert responses["ACCESS_DENIED"]["statusCode"] == 403
    assert responses["MISSING_AUTHENTICATION_TOKEN"]["statusCode"] == 404  # unknown route
    assert responses["THROTTLED"]["statusCode"] == 429
    assert "statusCode" not in responses["DEFAULT_4XX"]
    assert "statusCode" not in responses["DEFAULT_5XX"]
    fixed = {k: v for k, v in responses.items() if k != "DEFAULT_4XX"}
    for name, response in fixed.items():
        body = json.loads(response["responseTemplates"]["application/json"])
        assert set(body) == {"Code", "Message"}, name
        assert response["responseParameters"]["gatewayresponse.header.Cache-Control"] == "'no-store'"
    assert json.loads(responses["MISSING_AUTHENTICATION_TOKEN"]["responseTemplates"]["application/json"]) == {
        "Code": "NOT_FOUND",
        "Message": "Not found.",
    }
    default_4xx = responses["DEFAULT_4XX"]["responseTemplates"]["application/json"]
    assert default_4xx == '{"Code":"BAD_REQUEST","Message":$context.error.messageString}'


def test_prod_api_has_only_prod_routes_and_staff_routes_need_the_authorizer(synth: Synth) -> None:
    paths: dict[str, dict[str, Any]] = _swagger(synth)["paths"]
    assert paths, "no routes"
    assert all(path.startswith("/api/") for path in paths)
    assert not [p for p in paths if p.startswith(("/api/dev", "/api/media/local"))]
    assert set(paths) >= CLIENT_ROUTES
    for path, methods in paths.items():
        for method, operation in methods.items():
            if method.startswith("x-"):
                continue
            if path in PUBLIC_ROUTES:
                assert "security" not in operation, (path, method)
            else:
                assert operation.get("security") == [{"authorize": []}], (path, method)
    authorizer = _swagger(synth)["securityDefinitions"]["authorize"]
    assert authorizer["x-amazon-apigateway-authorizer"]["type"] == "token"
    assert "Authorize.Arn" in authorizer["x-amazon-apigateway-authorizer"]["authorizerUri"]["Fn::Sub"]


def test_authorizer_fails_fast(synth: Synth) -> None:
    assert _fn(synth, AUTHORIZER)["Timeout"] <= 10


def test_the_lambda_runtime_has_three_months_of_support_left() -> None:
    # A calendar reminder on purpose: it reads today's date, and starts failing 90 days before Lambda
    # deprecates the runtime, while functions can still be updated (docs/DEPLOY.md, "Lambda runtime").
    assert RUNTIME in RUNTIME_DEPRECATION, f"{RUNTIME} is not a Lambda runtime this stack knows"
    deprecated = date.fromisoformat(RUNTIME_DEPRECATION[RUNTIME])
    assert date.today() <= deprecated - SUPPORT_MARGIN, (
        f"Lambda deprecates {RUNTIME} on {deprecated}: move the project (and so the functions) to {NEXT_RUNTIME}"
    )
    assert RUNTIME_DEPRECATION[NEXT_RUNTIME] > RUNTIME_DEPRECATION[RUNTIME]
