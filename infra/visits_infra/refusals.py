"""What the CloudFront web ACL answers when it refuses: the product's {"Code","Message"} JSON (SPEC R45).

A managed rule group blocks with WAF's default HTML 403 unless each of its blocking rules is overridden to a Block
with a custom response, so the rules each group blocks with are listed here, by name. AWS WAF ignores an override
that names a rule the group does not ship; a rule AWS adds later blocks with the HTML page until it is listed
(docs/INFRA.md, "WAF refusals").
"""

from __future__ import annotations

import json

from aws_cdk import aws_wafv2 as wafv2

FORBIDDEN = "forbidden"
TOO_MANY_REQUESTS = "too_many_requests"

REFUSAL_BODIES: dict[str, dict[str, str]] = {
    FORBIDDEN: {"Code": "FORBIDDEN", "Message": "This request was refused."},
    TOO_MANY_REQUESTS: {"Code": "TOO_MANY_REQUESTS", "Message": "Too many requests. Please try again in a moment."},
}

# WAF sends these with every refusal itself (a Block's custom response may carry any header but Content-Type), so a
# refusal has the API's headers whether or not a CloudFront response-headers policy is applied to it. The values
# are chalicelib/http.py's SECURITY_HEADERS.
REFUSAL_HEADERS: dict[str, str] = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}

# The rules each group blocks with by default (AWS WAF Developer Guide, baseline and IP reputation groups,
# read 2026-11-27). AWSManagedIPDDoSList is Count by default and is left alone.
MANAGED_BLOCK_RULES: dict[str, tuple[str, ...]] = {
    "AWSManagedRulesAmazonIpReputationList": ("AWSManagedIPReputationList", "AWSManagedReconnaissanceList"),
    "AWSManagedRulesCommonRuleSet": (
        "NoUserAgent_HEADER",
        "UserAgent_BadBots_HEADER",
        "SizeRestrictions_QUERYSTRING",
        "SizeRestrictions_Cookie_HEADER",
        "SizeRestrictions_BODY",
        "SizeRestrictions_URIPATH",
        "EC2MetaDataSSRF_BODY",
        "EC2MetaDataSSRF_COOKIE",
        "EC2MetaDataSSRF_URIPATH",
        "EC2MetaDataSSRF_QUERYARGUMENTS",
        "GenericLFI_QUERYARGUMENTS",
        "GenericLFI_URIPATH",
        "GenericLFI_BODY",
        "RestrictedExtensions_URIPATH",
        "RestrictedExtensions_QUERYARGUMENTS",
        "GenericRFI_QUERYARGUMENTS",
        "GenericRFI_BODY",
        "GenericRFI_URIPATH",
        "CrossSiteScripting_COOKIE",
        "CrossSiteScripting_QUERYARGUMENTS",
        "CrossSiteScripting_BODY",
        "CrossSiteScripting_URIPATH",
    ),
    "AWSManagedRulesKnownBadInputsRuleSet": (
        "JavaDeserializationRCE_HEADER",
        "JavaDeserializationRCE_BODY",
        "JavaDeserializationRCE_URIPATH",
        "JavaDeserializationRCE_QUERYSTRING",
        "Host_localhost_HEADER",
        "PROPFIND_METHOD",
        "ExploitablePaths_URIPATH",
        "Log4JRCE_HEADER",
        "Log4JRCE_QUERYSTRING",
        "Log4JRCE_BODY",
        "Log4JRCE_URIPATH",
        "ReactJSRCE_BODY",
    ),
}

# Count only, everywhere: visit notes (up to 20,000 characters) exceed the rule's 8 KB, and the app enforces its own
# body limit (MAX_BODY_BYTES, 256 KiB).
COUNT_ONLY: dict[str, tuple[str, ...]] = {"AWSManagedRulesCommonRuleSet": ("SizeRestrictions_BODY",)}

# Body rules a caregiver's ordinary notes can trip ("<", "../", a pasted address). They count inside the group, and
# the rule NOTES_BODY_RULE blocks on their labels for every request except PUT /api/visits/{visit_id}/notes, whose
# text the app validates, stores as text and never renders as HTML.
NOTES_EXEMPT_BODY_RULES: dict[str, str] = {
    "CrossSiteScripting_BODY": "awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body",
    "GenericLFI_BODY": "awswaf:managed:aws:core-rule-set:GenericLFI_Body",
    "GenericRFI_BODY": "awswaf:managed:aws:core-rule-set:GenericRFI_Body",
    "EC2MetaDataSSRF_BODY": "awswaf:managed:aws:core-rule-set:EC2MetaDataSSRF_Body",
}
NOTES_BODY_RULE = "CommonBodyRulesExceptNotes"
# The viewer's path (CloudFront's web ACL sees it before the origin path /v1 is added); app.py's PUT notes route.
NOTES_PATH_REGEX = r"^/api/visits/[^/]+/notes$"


def response_bodies() -> dict[str, wafv2.CfnWebACL.CustomResponseBodyProperty]:
    """The web ACL's custom response bodies, by key."""
    return {
        key: wafv2.CfnWebACL.CustomResponseBodyProperty(
            content_type="APPLICATION_JSON", content=json.dumps(body, separators=(",", ":"))
        )
        for key, body in REFUSAL_BODIES.items()
    }


def block(body_key: str, status: int) -> wafv2.CfnWebACL.RuleActionProperty:
    """Block with one of REFUSAL_BODIES and REFUSAL_HEADERS."""
    return wafv2.CfnWebACL.RuleActionProperty(
        block=wafv2.CfnWebACL.BlockActionProperty(
            custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                response_code=status,
                custom_response_body_key=body_key,
                response_headers=[
                    wafv2.CfnWebACL.CustomHTTPHeaderProperty(name=name, value=value)
                    for name, value in REFUSAL_HEADERS.items()
                ],
            )
        )
    )


def count() -> wafv2.CfnWebACL.RuleActionProperty:
    return wafv2.CfnWebACL.RuleActionProperty(count={})


def managed_overrides(group: str) -> list[wafv2.CfnWebACL.RuleActionOverrideProperty]:
    """Every blocking rule of `group` blocks with the JSON 403, except the ones that only count."""
    counted = set(COUNT_ONLY.get(group, ()))
    if group == "AWSManagedRulesCommonRuleSet":
        counted |= set(NOTES_EXEMPT_BODY_RULES)
    return [
        wafv2.CfnWebACL.RuleActionOverrideProperty(
            name=rule, action_to_use=count() if rule in counted else block(FORBIDDEN, 403)
        )
        for rule in MANAGED_BLOCK_RULES[group]
    ]


def notes_body_statement() -> wafv2.CfnWebACL.StatementProperty:
    """Any of the exempt body rules' labels, on any request but a PUT to a visit's notes."""
    labels = [
        wafv2.CfnWebACL.StatementProperty(
            label_match_statement=wafv2.CfnWebACL.LabelMatchStatementProperty(scope="LABEL", key=label)
        )
        for label in NOTES_EXEMPT_BODY_RULES.values()
    ]
    notes = wafv2.CfnWebACL.StatementProperty(
        and_statement=wafv2.CfnWebACL.AndStatementProperty(
            statements=[
                wafv2.CfnWebACL.StatementProperty(
                    byte_match_statement=wafv2.CfnWebACL.ByteMatchStatementProperty(
                        field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(method={}),
                        positional_constraint="EXACTLY",
                        search_string="PUT",
                        text_transformations=[wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")],
                    )
                ),
                wafv2.CfnWebACL.StatementProperty(
                    regex_match_statement=wafv2.CfnWebACL.RegexMatchStatementProperty(
                        field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(uri_path={}),
                        regex_string=NOTES_PATH_REGEX,
                        text_transformations=[wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")],
                    )
                ),
            ]
        )
    )
    return wafv2.CfnWebACL.StatementProperty(
        and_statement=wafv2.CfnWebACL.AndStatementProperty(
            statements=[
                wafv2.CfnWebACL.StatementProperty(or_statement=wafv2.CfnWebACL.OrStatementProperty(statements=labels)),
                wafv2.CfnWebACL.StatementProperty(not_statement=wafv2.CfnWebACL.NotStatementProperty(statement=notes)),
            ]
        )
    )
