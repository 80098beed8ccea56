"""One origin: private bucket through OAC, /api/* to API Gateway, security headers, page rewrites, WAF."""

from __future__ import annotations

import json
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
    policy = synth.resource(synth.logical_id("AWS::CloudFront::ResponseHeadersPolicy", "HostingSecurityHeaders"))
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
    # The pages' policy is the default behaviour's; /api/* has its own (tests/infra/test_refusals.py).
    policy_id = synth.logical_id("AWS::CloudFront::ResponseHeadersPolicy", "HostingSecurityHeaders")
    assert _distribution(synth)["DefaultCacheBehavior"]["ResponseHeadersPolicyId"] == {"Ref": policy_id}


def test_waf_rate_limits_the_join_routes(synth: Synth) -> None:
    acl = synth.resource(synth.logical_id("AWS::WAFv2::WebACL", "HostingWebAcl"))
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
    overrides = {o["Name"]: o["ActionToUse"] for o in common["RuleActionOverrides"]}
    assert overrides["SizeRestrictions_BODY"] == {"Count": {}}
    assert synth.stack.region == "us-east-1"  # CLOUDFRONT-scope web ACLs exist only in us-east-1


def test_waf_logs_never_contain_the_authorization_header(synth: Synth) -> None:
    logging = synth.resource(synth.logical_id("AWS::WAFv2::LoggingConfiguration", "HostingWafLogging"))
    assert logging["Properties"]["RedactedFields"] == [{"SingleHeader": {"Name": "authorization"}}]
    origin = synth.resource(synth.logical_id("AWS::WAFv2::LoggingConfiguration", "OriginVerifyLogging"))
    assert {"SingleHeader": {"Name": "authorization"}} in origin["Properties"]["RedactedFields"]
    assert {"SingleHeader": {"Name": "x-origin-verify"}} in origin["Properties"]["RedactedFields"]


def test_waf_log_group_is_new_for_every_stack_created(synth: Synth) -> None:
    # A first deploy that rolls back retains its log group; the retry's group must not have the same name.
    group = synth.resource(synth.logical_id("AWS::Logs::LogGroup", "HostingWafLogs"))["Properties"]
    name = json.dumps(group["LogGroupName"])
    assert name.startswith('{"Fn::Join": ["", ["aws-waf-logs-virtual-visits-"')
    assert '{"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}' in name


def _secret_reference(synth: Synth) -> dict[str, Any]:
    secret = synth.logical_id("AWS::SecretsManager::Secret", "OriginVerifySecret")
    return {"Fn::Join": ["", ["{{resolve:secretsmanager:", {"Ref": secret}, ":SecretString:::}}"]]}


def test_cloudfront_sends_the_origin_secret_to_the_api_only(synth: Synth) -> None:
    # Given the distribution's origins
    config = _distribution(synth)
    (api,) = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    origins = {o["Id"]: o for o in config["Origins"]}
    # Then the API origin carries the secret header (a dynamic reference: the value is not in the template)
    api_origin = origins[api["TargetOriginId"]]
    header = {"HeaderName": "X-Origin-Verify", "HeaderValue": _secret_reference(synth)}
    assert api_origin["OriginCustomHeaders"] == [header]
    # And the bucket origin does not
    assert all("OriginCustomHeaders" not in o for i, o in origins.items() if i != api["TargetOriginId"])


def test_the_api_stage_admits_only_requests_through_cloudfront(synth: Synth) -> None:
    # Given the regional web ACL
    acl = synth.resource(synth.logical_id("AWS::WAFv2::WebACL", "OriginVerifyWebAcl"))["Properties"]
    # Then it blocks by default with the product's {Code, Message} body and 403
    assert acl["Scope"] == "REGIONAL"
    block = acl["DefaultAction"]["Block"]["CustomResponse"]
    assert block["ResponseCode"] == 403
    body = acl["CustomResponseBodies"][block["CustomResponseBodyKey"]]
    assert body["ContentType"] == "APPLICATION_JSON"
    assert set(json.loads(body["Content"])) == {"Code", "Message"}
    # And its one rule allows exactly the header value CloudFront sends, untransformed
    (rule,) = acl["Rules"]
    assert rule["Action"] == {"Allow": {}}
    match = rule["Statement"]["ByteMatchStatement"]
    assert match["FieldToMatch"] == {"SingleHeader": {"Name": "x-origin-verify"}}
    assert match["PositionalConstraint"] == "EXACTLY"
    assert match["SearchString"] == _secret_reference(synth)
    assert match["TextTransformations"] == [{"Priority": 0, "Type": "NONE"}]
    # And it is attached to the API's stage, after the SAM transform has made the stage
    (association,) = synth.resources("AWS::WAFv2::WebACLAssociation").values()
    assert association["Properties"]["ResourceArn"] == {"Fn::Join": ["", [
        "arn:", {"Ref": "AWS::Partition"}, ":apigateway:us-east-1::/restapis/", {"Ref": "RestAPI"}, "/stages/v1"]]}
    assert association["DependsOn"] == ["RestAPIv1Stage"]
    assert "RestAPIv1Stage" in synth.transformed["Resources"]


def test_the_origin_secret_is_generated_and_encrypted_with_the_data_key(synth: Synth) -> None:
    secret = synth.resource(synth.logical_id("AWS::SecretsManager::Secret", "OriginVerifySecret"))["Properties"]
    assert secret["GenerateSecretString"]["PasswordLength"] >= 32
    assert secret["KmsKeyId"] == {"Fn::GetAtt": [synth.logical_id("AWS::KMS::Key", "DataKey"), "Arn"]}


def test_a_new_origin_secret_generation_is_a_new_secret_cloudfront_and_the_acl_both_use() -> None:
    # Rotating the header (docs/DEPLOY.md): a new generation makes a new secret resource; both readers follow.
    import aws_cdk as cdk
    from aws_cdk import aws_kms as kms
    from aws_cdk.assertions import Template
    from visits_infra.origin import OriginVerify

    stack = cdk.Stack(cdk.App(), "origin", env=cdk.Environment(region="us-east-1"))
    origin = OriginVerify(stack, "OriginVerify", key=kms.Key(stack, "Key"), generation=2)
    template = Template.from_stack(stack).to_json()
    (secret,) = [k for k, v in template["Resources"].items() if v["Type"] == "AWS::SecretsManager::Secret"]
    assert secret.startswith("OriginVerifySecret2")
    assert stack.resolve(origin.header_value) == {
        "Fn::Join": ["", ["{{resolve:secretsmanager:", {"Ref": secret}, ":SecretString:::}}"]]}
    (acl,) = [v for v in template["Resources"].values() if v["Type"] == "AWS::WAFv2::WebACL"]
    match = acl["Properties"]["Rules"][0]["Statement"]["ByteMatchStatement"]
    assert match["SearchString"] == stack.resolve(origin.header_value)
