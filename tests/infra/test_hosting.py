"""One origin: private bucket through OAC, /api/* to API Gateway, security headers, page rewrites, WAF."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
from visits_infra.hosting import PAGE_REWRITES, REWRITE_FUNCTION_CODE

from tests.infra.conftest import Synth

CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


def _distribution(synth: Synth) -> dict[str, Any]:
    (distribution,) = synth.resources("AWS::CloudFront::Distribution").values()
    config: dict[str, Any] = distribution["Properties"]["DistributionConfig"]
    return config


def test_buckets_are_private_tls_only_and_versioned(synth: Synth) -> None:
    buckets = synth.resources("AWS::S3::Bucket")
    assert len(buckets) == 2
    for logical_id, bucket in buckets.items():
        props = bucket["Properties"]
        assert props["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }, logical_id
        assert props["VersioningConfiguration"] == {"Status": "Enabled"}
        assert "BucketEncryption" in props
    for policy in synth.resources("AWS::S3::BucketPolicy").values():
        denies = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
        assert any(s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in denies)


def test_site_is_served_through_origin_access_control(synth: Synth) -> None:
    (oac,) = synth.resources("AWS::CloudFront::OriginAccessControl").values()
    assert oac["Properties"]["OriginAccessControlConfig"]["SigningBehavior"] == "always"
    origins = {o["Id"]: o for o in _distribution(synth)["Origins"]}
    s3_origins = [o for o in origins.values() if "S3OriginConfig" in o]
    assert len(s3_origins) == 1
    assert "OriginAccessControlId" in s3_origins[0]


def test_distribution_uses_the_app_domain_tls12_logging_and_waf(synth: Synth) -> None:
    config = _distribution(synth)
    assert config["Aliases"] == [{"Ref": "AppDomain"}]
    assert config["ViewerCertificate"] == {
        "AcmCertificateArn": {"Ref": "AppCertificateArn"},
        "MinimumProtocolVersion": "TLSv1.2_2021",
        "SslSupportMethod": "sni-only",
    }
    assert config["DefaultRootObject"] == "index.html"
    assert "Logging" in config
    assert config["WebACLId"] == {"Fn::GetAtt": [synth.logical_id("AWS::WAFv2::WebACL", "HostingWebAcl"), "Arn"]}


def test_api_behavior_goes_to_api_gateway_uncached_with_all_methods(synth: Synth) -> None:
    config = _distribution(synth)
    (api,) = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    assert api["CachePolicyId"] == CACHING_DISABLED
    assert api["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST  # forwards Authorization when uncached
    assert set(api["AllowedMethods"]) == {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
    assert api["ViewerProtocolPolicy"] == "https-only"
    origin = next(o for o in config["Origins"] if o["Id"] == api["TargetOriginId"])
    assert origin["OriginPath"] == "/v1"
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert origin["CustomOriginConfig"]["OriginSSLProtocols"] == ["TLSv1.2"]
    domain = origin["DomainName"]["Fn::Join"][1]
    assert {"Ref": "RestAPI"} in domain


def test_pages_are_cached_and_rewritten_by_a_viewer_request_function(synth: Synth) -> None:
    default = _distribution(synth)["DefaultCacheBehavior"]
    assert default["CachePolicyId"] == CACHING_OPTIMIZED
    assert default["ViewerProtocolPolicy"] == "redirect-to-https"
    (association,) = default["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"
    (function,) = synth.resources("AWS::CloudFront::Function").values()
    assert function["Properties"]["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    assert function["Properties"]["FunctionCode"] == REWRITE_FUNCTION_CODE


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("/call", "/call.html"),
        ("/join", "/join.html"),
        ("/join/", "/join.html"),
        ("/", "/"),
        ("/assets/a.js", "/assets/a.js"),
    ],
)
def test_rewrite_function_maps_pretty_paths(uri: str, expected: str) -> None:
    script = REWRITE_FUNCTION_CODE + f"\nprocess.stdout.write(handler({{request: {{uri: {uri!r}}}}}).uri);"
    node = shutil.which("node")
    assert node is not None
    out = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True, timeout=20)
    assert out.stdout == expected
    assert PAGE_REWRITES.get(uri, uri) == expected


def test_security_headers_on_every_response(synth: Synth) -> None:
    (policy,) = synth.resources("AWS::CloudFront::ResponseHeadersPolicy").values()
    config = policy["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    csp_parts = config["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Join"][1]
    csp = "".join(p if isinstance(p, str) else "<token>" for p in csp_parts)
    assert "default-src 'none'" in csp
    assert "script-src 'self' https://*.sdkassets.chime.aws 'wasm-unsafe-eval';" in csp
    assert (
        "connect-src 'self' wss://*.chime.aws https://*.chime.aws https://<token>.auth.us-east-1.amazoncognito.com"
        in csp
    )
    assert "media-src 'self' blob: mediastream:" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert config["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
    assert config["ReferrerPolicy"]["ReferrerPolicy"] == "no-referrer"
    assert config["ContentTypeOptions"]["Override"] is True
    assert config["FrameOptions"]["FrameOption"] == "DENY"
    behaviors = [_distribution(synth)["DefaultCacheBehavior"], *_distribution(synth)["CacheBehaviors"]]
    policy_id = synth.logical_id("AWS::CloudFront::ResponseHeadersPolicy", "HostingSecurityHeaders")
    assert all(b["ResponseHeadersPolicyId"] == {"Ref": policy_id} for b in behaviors)


def test_waf_rate_limits_the_join_routes(synth: Synth) -> None:
    (acl,) = synth.resources("AWS::WAFv2::WebACL").values()
    props = acl["Properties"]
    assert props["Scope"] == "CLOUDFRONT"
    rules = {r["Name"]: r for r in props["Rules"]}
    join = rules["JoinRateLimit"]
    statement = join["Statement"]["RateBasedStatement"]
    assert statement["AggregateKeyType"] == "IP"
    match = statement["ScopeDownStatement"]["ByteMatchStatement"]
    assert match["SearchString"] == "/api/join"
    assert match["PositionalConstraint"] == "STARTS_WITH"
    assert join["Action"]["Block"]["CustomResponse"]["ResponseCode"] == 429
    # The join page polls every 3 s (100 requests per 5 minutes); the limit must leave it room.
    assert statement["Limit"] >= 200
    assert rules["ApiRateLimit"]["Statement"]["RateBasedStatement"]["Limit"] >= 2000
    assert {"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"} <= set(rules)
    # Long visit notes must not be blocked by the managed 8 KB body rule (the app caps bodies itself).
    common = rules["AWSManagedRulesCommonRuleSet"]["Statement"]["ManagedRuleGroupStatement"]
    assert common["RuleActionOverrides"] == [{"Name": "SizeRestrictions_BODY", "ActionToUse": {"Count": {}}}]
    assert synth.stack.region == "us-east-1"  # CLOUDFRONT-scope web ACLs exist only in us-east-1


def test_waf_logs_never_contain_the_authorization_header(synth: Synth) -> None:
    (logging,) = synth.resources("AWS::WAFv2::LoggingConfiguration").values()
    assert logging["Properties"]["RedactedFields"] == [{"SingleHeader": {"Name": "authorization"}}]
