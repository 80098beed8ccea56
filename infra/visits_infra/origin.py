"""Only CloudFront reaches the API: a secret header CloudFront adds, checked by a regional web ACL on the stage.

API Gateway's regional endpoint (`<id>.execute-api.<region>.amazonaws.com`) is public. Without this, a
caller could go around the distribution and so around its WAF rules (rate limits, managed rules) and its
security headers. CloudFront sends `X-Origin-Verify: <secret>` on every request to the API origin, replacing
any header of that name a viewer sends; a web ACL on the stage allows only requests that carry it and
answers everything else 403 before API Gateway's throttle, the authorizer or a function sees it. Why a web
ACL rather than a check in the app: docs/INFRA.md ("Only CloudFront reaches the API").
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

HEADER = "X-Origin-Verify"
FORBIDDEN_BODY = '{"Code":"FORBIDDEN","Message":"Use the app\'s own address."}'


class OriginVerify(Construct):
    """The shared secret, and the regional web ACL that admits only requests carrying it."""

    def __init__(self, scope: Construct, construct_id: str, *, key: kms.IKey, generation: int = 1) -> None:
        super().__init__(scope, construct_id)
        # A new generation is a new secret with a new value, which CloudFront and the web ACL take up in the
        # same deploy (docs/DEPLOY.md, "Rotating the origin header"); a dynamic reference alone is not
        # resolved again while the template stays the same.
        self.secret = secretsmanager.Secret(
            self,
            "Secret" if generation == 1 else f"Secret{generation}",
            description="Header value CloudFront adds to API requests; the API's web ACL admits only it",
            encryption_key=kms.Key.from_key_arn(self, "SecretEncryption", key.key_arn),
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=48, exclude_punctuation=True, include_space=False
            ),
        )
        # A CloudFormation dynamic reference: resolved at deploy time, never written into the template.
        self.header_value = self.secret.secret_value.unsafe_unwrap()
        self.acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            scope="REGIONAL",
            description="virtual-visits API: only requests that came through the CloudFront distribution",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(
                block=wafv2.CfnWebACL.BlockActionProperty(
                    custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                        response_code=403, custom_response_body_key="forbidden"
                    )
                )
            ),
            custom_response_bodies={
                "forbidden": wafv2.CfnWebACL.CustomResponseBodyProperty(
                    content_type="APPLICATION_JSON", content=FORBIDDEN_BODY
                )
            },
            visibility_config=_visibility("virtual-visits-api-origin"),
            rules=[
                wafv2.CfnWebACL.RuleProperty(
                    name="FromCloudFront",
                    priority=0,
                    action=wafv2.CfnWebACL.RuleActionProperty(allow={}),
                    statement=wafv2.CfnWebACL.StatementProperty(
                        byte_match_statement=wafv2.CfnWebACL.ByteMatchStatementProperty(
                            field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(
                                single_header={"Name": HEADER.lower()}
                            ),
                            positional_constraint="EXACTLY",
                            search_string=self.header_value,
                            text_transformations=[wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")],
                        )
                    ),
                    visibility_config=_visibility("FromCloudFront"),
                )
            ],
        )

    def protect(self, *, rest_api_id: str, stage: str, log_destination_arn: str) -> None:
        """Attach the web ACL to the API's stage and log what it blocks (header value redacted)."""
        stack = cdk.Stack.of(self)
        stage_arn = f"arn:{stack.partition}:apigateway:{stack.region}::/restapis/{rest_api_id}/stages/{stage}"
        self.association = wafv2.CfnWebACLAssociation(
            self, "StageAssociation", resource_arn=stage_arn, web_acl_arn=self.acl.attr_arn
        )
        # The stage is made by the SAM transform (`<Api><stage>Stage`); the association must wait for it.
        self.association.add_override("DependsOn", [f"RestAPI{stage}Stage"])
        wafv2.CfnLoggingConfiguration(
            self,
            "Logging",
            resource_arn=self.acl.attr_arn,
            log_destination_configs=[log_destination_arn],
            redacted_fields=[
                wafv2.CfnLoggingConfiguration.FieldToMatchProperty(single_header={"Name": HEADER.lower()}),
                wafv2.CfnLoggingConfiguration.FieldToMatchProperty(single_header={"Name": "authorization"}),
            ],
        )


def _visibility(name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
    )
