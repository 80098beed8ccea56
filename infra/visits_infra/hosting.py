"""S3 + CloudFront for the front end, `/api/*` to API Gateway on the same origin, security headers and WAF."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from visits_infra import refusals

# Pretty paths of the pages in frontend/dist (docs/API-CONTRACT-LOCAL.md).
PAGE_REWRITES = {
    "/call": "/call.html",
    "/call/": "/call.html",
    "/join": "/join.html",
    "/join/": "/join.html",
}

REWRITE_FUNCTION_CODE = """function handler(event) {
  var request = event.request;
  var pages = %s;
  var target = pages[request.uri];
  if (target) {
    request.uri = target;
  }
  return request;
}
""" % ("{" + ", ".join(f'"{k}": "{v}"' for k, v in PAGE_REWRITES.items()) + "}")

# Signaling, TURN control, event ingestion and SDK assets are all under chime.aws.
CHIME_CONNECT = "wss://*.chime.aws https://*.chime.aws"
CHIME_ASSETS = "https://*.sdkassets.chime.aws"
PERMISSIONS_POLICY = "camera=(self), microphone=(self), geolocation=(), payment=(), usb=()"


def content_security_policy(cognito_origin: str) -> str:
    """The CSP of every response: same-origin code, Chime media and signaling, Cognito's token endpoint.

    The Chime SDK parts follow the SDK's CSP guide as docs/FRONTEND.md lists them: Voice Focus loads its
    WebAssembly from *.sdkassets.chime.aws ('wasm-unsafe-eval' allows compiling WebAssembly, not JS eval).
    """
    directives = [
        "default-src 'none'",
        f"script-src 'self' {CHIME_ASSETS} 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "media-src 'self' blob: mediastream:",
        f"connect-src 'self' {CHIME_CONNECT} {cognito_origin}",
        "worker-src 'self' blob:",
        "child-src blob:",
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "upgrade-insecure-requests",
    ]
    return "; ".join(directives)


class Hosting(Construct):
    """The one public origin: pages from a private bucket, the API under /api/*."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        app_domain: str,
        certificate_arn: str,
        api_domain: str,
        api_stage: str,
        cognito_origin: str,
        key: kms.IKey,
        join_rate_limit: int,
        api_rate_limit: int,
        origin_headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.logs_bucket = s3.Bucket(
            self,
            "AccessLogs",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            versioned=True,
            # CloudFront standard logging writes with an ACL.
            object_ownership=s3.ObjectOwnership.OBJECT_WRITER,
            lifecycle_rules=[s3.LifecycleRule(expiration=cdk.Duration.days(365))],
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        self.site_bucket = s3.Bucket(
            self,
            "Site",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=self.logs_bucket,
            server_access_logs_prefix="s3/site/",
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        self.headers = self._headers_policy(
            "SecurityHeaders", "virtual-visits security headers", content_security_policy(cognito_origin),
            from_origin=False,
        )
        self.api_headers = self._api_headers()
        rewrite = cloudfront.Function(
            self,
            "PageRewrite",
            code=cloudfront.FunctionCode.from_inline(REWRITE_FUNCTION_CODE),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
            comment="/call and /join serve call.html and join.html",
        )
        self.web_acl = self._web_acl(key, join_rate_limit, api_rate_limit)
        api_origin = origins.HttpOrigin(
            api_domain,
            origin_path=f"/{api_stage}",
            protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
            # The API's regional web ACL admits only requests with this header (visits_infra/origin.py).
            custom_headers=origin_headers,
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment="virtual-visits",
            domain_names=[app_domain],
            certificate=acm.Certificate.from_certificate_arn(self, "Certificate", certificate_arn),
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            default_root_object="index.html",
            enable_logging=True,
            log_bucket=self.logs_bucket,
            log_file_prefix="cloudfront/",
            web_acl_id=self.web_acl.attr_arn,
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.site_bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=self.headers,
                function_associations=[
                    cloudfront.FunctionAssociation(
                        function=rewrite, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST
                    )
                ],
            ),
            additional_behaviors={
                "/api/*": cloudfront.BehaviorOptions(
                    origin=api_origin,
                    viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                    allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                    # With caching disabled, this policy forwards Authorization too (but never Host).
                    cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
                    origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
                    response_headers_policy=self.api_headers,
                )
            },
        )

    def _api_headers(self) -> cloudfront.ResponseHeadersPolicy:
        """The API's own headers pass through; answers made before the app (WAF, CloudFront) get the same ones.

        The app sends its strict CSP and `Cache-Control: no-store` on every answer (chalicelib/http.py), so neither is
        overridden: CloudFront adds them only to an answer that lacks them. The transport headers are the pages'.
        """
        return self._headers_policy(
            "ApiHeaders", "virtual-visits API headers", refusals.REFUSAL_HEADERS["Content-Security-Policy"],
            from_origin=True,
        )

    def _headers_policy(self, construct_id: str, comment: str, csp: str,
                        from_origin: bool) -> cloudfront.ResponseHeadersPolicy:
        """The security headers every answer carries. `from_origin`: the origin's CSP and Cache-Control win."""
        custom_headers = [
            cloudfront.ResponseCustomHeader(header="Permissions-Policy", value=PERMISSIONS_POLICY, override=True)
        ]
        if from_origin:
            custom_headers.append(cloudfront.ResponseCustomHeader(
                header="Cache-Control", value=refusals.REFUSAL_HEADERS["Cache-Control"], override=False
            ))
        return cloudfront.ResponseHeadersPolicy(
            self,
            construct_id,
            comment=comment,
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=csp, override=not from_origin
                ),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=cdk.Duration.days(730), include_subdomains=True, override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.NO_REFERRER, override=True
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True
                ),
            ),
            custom_headers_behavior=cloudfront.ResponseCustomHeadersBehavior(custom_headers=custom_headers),
        )

    def _web_acl(self, key: kms.IKey, join_rate_limit: int, api_rate_limit: int) -> wafv2.CfnWebACL:
        """Managed protections, and per-IP rate limits on the client join routes and on the API."""

        def visibility(name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
            return wafv2.CfnWebACL.VisibilityConfigProperty(
                cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
            )

        def managed(name: str, priority: int) -> wafv2.CfnWebACL.RuleProperty:
            """The group's own rules, each default Block answering refusals' JSON 403 (refusals.managed_overrides)."""
            return wafv2.CfnWebACL.RuleProperty(
                name=name,
                priority=priority,
                override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
                statement=wafv2.CfnWebACL.StatementProperty(
                    managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                        vendor_name="AWS",
                        name=name,
                        rule_action_overrides=refusals.managed_overrides(name),
                    )
                ),
                visibility_config=visibility(name),
            )

        def rate_limit(name: str, priority: int, prefix: str, limit: int) -> wafv2.CfnWebACL.RuleProperty:
            return wafv2.CfnWebACL.RuleProperty(
                name=name,
                priority=priority,
                action=refusals.block(refusals.TOO_MANY_REQUESTS, 429),
                statement=wafv2.CfnWebACL.StatementProperty(
                    rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                        limit=limit,
                        evaluation_window_sec=300,
                        aggregate_key_type="IP",
                        scope_down_statement=wafv2.CfnWebACL.StatementProperty(
                            byte_match_statement=wafv2.CfnWebACL.ByteMatchStatementProperty(
                                field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(uri_path={}),
                                positional_constraint="STARTS_WITH",
                                search_string=prefix,
                                text_transformations=[
                                    wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="LOWERCASE")
                                ],
                            )
                        ),
                    )
                ),
                visibility_config=visibility(name),
            )

        acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            scope="CLOUDFRONT",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=visibility("virtual-visits"),
            custom_response_bodies=refusals.response_bodies(),
            rules=[
                rate_limit("JoinRateLimit", 0, "/api/join", join_rate_limit),
                rate_limit("ApiRateLimit", 1, "/api/", api_rate_limit),
                managed("AWSManagedRulesAmazonIpReputationList", 2),
                # SizeRestrictions_BODY only counts (visit notes exceed its 8 KB; the app caps bodies at 256 KiB), and
                # the body rules notes can trip count here and block in the next rule, except on the notes route.
                managed("AWSManagedRulesCommonRuleSet", 3),
                wafv2.CfnWebACL.RuleProperty(
                    name=refusals.NOTES_BODY_RULE,
                    priority=4,
                    action=refusals.block(refusals.FORBIDDEN, 403),
                    statement=refusals.notes_body_statement(),
                    visibility_config=visibility(refusals.NOTES_BODY_RULE),
                ),
                managed("AWSManagedRulesKnownBadInputsRuleSet", 5),
            ],
        )
        # WAF log group names must start with aws-waf-logs-. The stack's id makes the name new for every stack
        # created, so a group retained by a rolled-back first deploy never blocks the next attempt.
        # The Authorization header is never logged.
        stack = cdk.Stack.of(self)
        stack_guid = cdk.Fn.select(2, cdk.Fn.split("/", stack.stack_id))
        self.waf_logs = logs.LogGroup(
            self,
            "WafLogs",
            log_group_name=f"aws-waf-logs-{stack.stack_name}-{stack_guid}",
            retention=logs.RetentionDays.ONE_YEAR,
            encryption_key=key,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        self.waf_logs_arn = stack.format_arn(
            service="logs",
            resource="log-group",
            resource_name=self.waf_logs.log_group_name,
            arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
        )
        wafv2.CfnLoggingConfiguration(
            self,
            "WafLogging",
            resource_arn=acl.attr_arn,
            log_destination_configs=[self.waf_logs_arn],
            redacted_fields=[
                wafv2.CfnLoggingConfiguration.FieldToMatchProperty(single_header={"Name": "authorization"})
            ],
        )
        return acl
