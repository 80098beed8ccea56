"""The same stack through aws_cdk.assertions: resource counts and key properties, before and after SAM."""

from __future__ import annotations

from aws_cdk.assertions import Match, Template

from tests.infra.conftest import Synth


def test_resource_counts(synth: Synth) -> None:
    template = synth.template
    template.resource_count_is("AWS::DynamoDB::Table", 1)
    template.resource_count_is("AWS::Serverless::Function", 6)
    template.resource_count_is("AWS::SMSVOICE::ConfigurationSet", 1)
    template.resource_count_is("AWS::Serverless::Api", 1)
    template.resource_count_is("AWS::Cognito::UserPool", 1)
    template.resource_count_is("AWS::SES::EmailIdentity", 1)
    template.resource_count_is("AWS::CloudFront::Distribution", 1)
    template.resource_count_is("AWS::WAFv2::WebACL", 2)  # CloudFront's, and the API stage's (origin check)
    template.resource_count_is("AWS::SecretsManager::Secret", 2)  # link key, origin header
    template.resource_count_is("AWS::KMS::Key", 1)
    template.resource_count_is("AWS::IAM::Role", 3)


def test_table_properties(synth: Synth) -> None:
    synth.template.has_resource(
        "AWS::DynamoDB::Table",
        {
            "DeletionPolicy": "Retain",
            "Properties": Match.object_like(
                {
                    "BillingMode": "PAY_PER_REQUEST",
                    "DeletionProtectionEnabled": True,
                    "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
                    "SSESpecification": Match.object_like({"SSEEnabled": True, "SSEType": "KMS"}),
                    "TimeToLiveSpecification": {"AttributeName": "expires_ttl", "Enabled": True},
                }
            ),
        },
    )


def test_key_rotates(synth: Synth) -> None:
    synth.template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})


def test_hosting_properties(synth: Synth) -> None:
    synth.template.has_resource_properties("AWS::WAFv2::WebACL", {"Scope": "CLOUDFRONT"})
    synth.template.has_resource_properties(
        "AWS::CloudFront::Distribution",
        {
            "DistributionConfig": Match.object_like(
                {
                    "DefaultRootObject": "index.html",
                    "CacheBehaviors": [Match.object_like({"PathPattern": "/api/*"})],
                    "DefaultCacheBehavior": Match.object_like(
                        {"FunctionAssociations": [Match.object_like({"EventType": "viewer-request"})]}
                    ),
                }
            )
        },
    )
    synth.template.has_resource_properties(
        "AWS::CloudFront::ResponseHeadersPolicy",
        {
            "ResponseHeadersPolicyConfig": Match.object_like(
                {
                    "SecurityHeadersConfig": Match.object_like(
                        {
                            "ReferrerPolicy": {"Override": True, "ReferrerPolicy": "no-referrer"},
                            "FrameOptions": {"FrameOption": "DENY", "Override": True},
                            "ContentTypeOptions": {"Override": True},
                        }
                    )
                }
            )
        },
    )


def test_deployed_functions_stage_and_rules(synth: Synth) -> None:
    # After the SAM transform: what CloudFormation creates from Chalice's resources.
    deployed = Template.from_json(synth.transformed)
    deployed.resource_count_is("AWS::Lambda::Function", 6)
    deployed.all_resources_properties(
        "AWS::Lambda::Function",
        {"TracingConfig": {"Mode": "Active"}, "LoggingConfig": Match.object_like({"LogGroup": Match.any_value()})},
    )
    deployed.has_resource_properties(
        "AWS::ApiGateway::Stage",
        {
            "StageName": "v1",
            "TracingEnabled": True,
            "MethodSettings": [Match.object_like({"DataTraceEnabled": False, "MetricsEnabled": True})],
        },
    )
    deployed.has_resource_properties(
        "AWS::Events::Rule",
        {"EventPattern": {"source": ["aws.chime"], "detail-type": ["Chime Meeting State Change"]}},
    )
    deployed.has_resource_properties(
        "AWS::Events::Rule",
        {"EventPattern": Match.object_like({"source": ["aws.ses"]})},
    )
    deployed.has_resource_properties(
        "AWS::Events::Rule",
        {"EventPattern": {"source": ["aws.sms-voice"], "detail-type": ["Text Message Delivery Status Updated"]}},
    )
    deployed.has_resource_properties("AWS::Events::Rule", {"ScheduleExpression": "rate(1 minute)"})
    # The stage enables logging only after the account's API Gateway logs role is set.
    deployed.has_resource("AWS::ApiGateway::RestApi", {"DependsOn": [Match.string_like_regexp("ApiGatewayAccount")]})
