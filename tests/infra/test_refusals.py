"""R45 at the edge: every refusal CloudFront or its web ACL makes is {"Code","Message"} JSON with the API's headers."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from visits_infra.refusals import (
    COUNT_ONLY,
    MANAGED_BLOCK_RULES,
    NOTES_BODY_RULE,
    NOTES_EXEMPT_BODY_RULES,
    NOTES_PATH_REGEX,
    REFUSAL_HEADERS,
)

from tests.infra.conftest import Synth

ROOT = Path(__file__).resolve().parents[2]
# Labels the managed rules add, from the AWS WAF Developer Guide (only the ones these tests send).
LABELS = {
    "SizeRestrictions_BODY": "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body",
    "CrossSiteScripting_QUERYARGUMENTS": "awswaf:managed:aws:core-rule-set:CrossSiteScripting_QueryArguments",
    "AWSManagedIPDDoSList": "awswaf:managed:aws:amazon-ip-list:AWSManagedIPDDoSList",
    "Log4JRCE_BODY": "awswaf:managed:aws:known-bad-inputs:Log4JRCE_Body",
    **NOTES_EXEMPT_BODY_RULES,
}


def _acl(synth: Synth) -> dict[str, Any]:
    props: dict[str, Any] = synth.resource(synth.logical_id("AWS::WAFv2::WebACL", "HostingWebAcl"))["Properties"]
    return props


def _blocks(acl: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every Block the web ACL can take: its default, each rule's action, each managed rule's override."""
    found = []
    if "Block" in acl["DefaultAction"]:
        found.append(("default", acl["DefaultAction"]["Block"]))
    for rule in acl["Rules"]:
        if "Block" in rule.get("Action", {}):
            found.append((rule["Name"], rule["Action"]["Block"]))
        group = rule["Statement"].get("ManagedRuleGroupStatement")
        for override in (group or {}).get("RuleActionOverrides", []):
            if "Block" in override["ActionToUse"]:
                found.append((f'{rule["Name"]}/{override["Name"]}', override["ActionToUse"]["Block"]))
    return found


def test_r45_every_block_in_the_web_acl_answers_json_with_code_message_and_the_api_headers(synth: Synth) -> None:
    acl = _acl(synth)
    blocks = _blocks(acl)
    assert len(blocks) > 30  # the two rate limits, the notes body rule and every managed rule that blocks
    for name, block in blocks:
        response = block.get("CustomResponse")
        assert response is not None, f"{name} would answer WAF's HTML 403"
        assert response["ResponseCode"] in {403, 429}, name
        body = acl["CustomResponseBodies"][response["CustomResponseBodyKey"]]
        assert body["ContentType"] == "APPLICATION_JSON", name
        content = json.loads(body["Content"])
        assert set(content) == {"Code", "Message"} and all(content.values()), name
        headers = {h["Name"]: h["Value"] for h in response["ResponseHeaders"]}
        assert headers == REFUSAL_HEADERS, name
    assert {b["CustomResponse"]["CustomResponseBodyKey"] for _, b in blocks} == {"forbidden", "too_many_requests"}


def test_r45_refusal_headers_are_the_apps_own(synth: Synth) -> None:
    from chalicelib.http import SECURITY_HEADERS

    assert {k: SECURITY_HEADERS[k] for k in REFUSAL_HEADERS} == REFUSAL_HEADERS


def test_r45_every_default_block_of_the_managed_groups_is_overridden_and_groups_keep_their_own_actions(
    synth: Synth,
) -> None:
    rules = {r["Name"]: r for r in _acl(synth)["Rules"]}
    groups = {n: r for n, r in rules.items() if "ManagedRuleGroupStatement" in r["Statement"]}
    assert set(groups) == set(MANAGED_BLOCK_RULES)
    for name, rule in groups.items():
        # A whole-group Count would turn the count-only rules' labels into nothing and every block into a pass.
        assert rule["OverrideAction"] == {"None": {}}, name
        overrides = {o["Name"]: o["ActionToUse"] for o in rule["Statement"]["ManagedRuleGroupStatement"][
            "RuleActionOverrides"]}
        assert set(overrides) == set(MANAGED_BLOCK_RULES[name]), name
    # Spot checks against the AWS WAF Developer Guide's rule tables.
    assert "CrossSiteScripting_URIPATH" in MANAGED_BLOCK_RULES["AWSManagedRulesCommonRuleSet"]
    assert "Log4JRCE_BODY" in MANAGED_BLOCK_RULES["AWSManagedRulesKnownBadInputsRuleSet"]
    assert len(MANAGED_BLOCK_RULES["AWSManagedRulesCommonRuleSet"]) == 22


def test_count_only_rules_stay_count_and_never_feed_a_block(synth: Synth) -> None:
    acl = _acl(synth)
    rules = {r["Name"]: r for r in acl["Rules"]}
    ip_overrides = rules["AWSManagedRulesAmazonIpReputationList"]["Statement"]["ManagedRuleGroupStatement"][
        "RuleActionOverrides"]
    assert "AWSManagedIPDDoSList" not in {o["Name"] for o in ip_overrides}  # Count by AWS's default, left so
    common = rules["AWSManagedRulesCommonRuleSet"]["Statement"]["ManagedRuleGroupStatement"]["RuleActionOverrides"]
    counted = {o["Name"] for o in common if o["ActionToUse"] == {"Count": {}}}
    assert counted == set(COUNT_ONLY["AWSManagedRulesCommonRuleSet"]) | set(NOTES_EXEMPT_BODY_RULES)
    # No label rule matches a whole namespace or a count-only rule's label.
    text = json.dumps(acl)
    assert '"Scope": "NAMESPACE"' not in text
    assert LABELS["SizeRestrictions_BODY"] not in text and LABELS["AWSManagedIPDDoSList"] not in text


def test_r45_the_api_behaviour_has_its_own_headers_policy_keeping_the_apis_csp_and_adding_no_store(
    synth: Synth,
) -> None:
    (distribution,) = synth.resources("AWS::CloudFront::Distribution").values()
    config = distribution["Properties"]["DistributionConfig"]
    (api,) = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    api_policy = synth.logical_id("AWS::CloudFront::ResponseHeadersPolicy", "HostingApiHeaders")
    pages_policy = synth.logical_id("AWS::CloudFront::ResponseHeadersPolicy", "HostingSecurityHeaders")
    assert api["ResponseHeadersPolicyId"] == {"Ref": api_policy}
    assert config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"] == {"Ref": pages_policy}

    def policy(logical_id: str) -> dict[str, Any]:
        result: dict[str, Any] = synth.resource(logical_id)["Properties"]["ResponseHeadersPolicyConfig"]
        return result

    api_config, pages_config = policy(api_policy), policy(pages_policy)
    security = api_config["SecurityHeadersConfig"]
    # The app's own CSP passes through; an answer without one (WAF, CloudFront) gets the same strict one.
    assert security["ContentSecurityPolicy"] == {
        "ContentSecurityPolicy": "default-src 'none'; frame-ancestors 'none'",
        "Override": False,
    }
    # Transport headers: the pages' exactly.
    for header in ("StrictTransportSecurity", "ReferrerPolicy", "ContentTypeOptions", "FrameOptions"):
        assert security[header] == pages_config["SecurityHeadersConfig"][header], header
        assert security[header]["Override"] is True
    custom = {h["Header"]: h for h in api_config["CustomHeadersConfig"]["Items"]}
    assert custom["Cache-Control"] == {"Header": "Cache-Control", "Value": "no-store", "Override": False}
    pages_custom = {h["Header"]: h for h in pages_config["CustomHeadersConfig"]["Items"]}
    assert custom["Permissions-Policy"] == pages_custom["Permissions-Policy"]
    assert "Cache-Control" not in pages_custom  # pages keep CloudFront's caching


def _statement_matches(statement: dict[str, Any], method: str, path: str, labels: set[str]) -> bool:
    """The few WAF statement types the label rule uses, evaluated as WAF documents them."""
    if "AndStatement" in statement:
        return all(_statement_matches(s, method, path, labels) for s in statement["AndStatement"]["Statements"])
    if "OrStatement" in statement:
        return any(_statement_matches(s, method, path, labels) for s in statement["OrStatement"]["Statements"])
    if "NotStatement" in statement:
        return not _statement_matches(statement["NotStatement"]["Statement"], method, path, labels)
    if "LabelMatchStatement" in statement:
        match = statement["LabelMatchStatement"]
        assert match["Scope"] == "LABEL"
        return bool(match["Key"] in labels)
    if "ByteMatchStatement" in statement:
        match = statement["ByteMatchStatement"]
        assert match["FieldToMatch"] == {"Method": {}} and match["PositionalConstraint"] == "EXACTLY"
        return bool(method == match["SearchString"])
    if "RegexMatchStatement" in statement:
        match = statement["RegexMatchStatement"]
        assert match["FieldToMatch"] == {"UriPath": {}}
        return re.search(match["RegexString"], path) is not None
    raise AssertionError(f"unexpected statement {statement}")


def _verdict(acl: dict[str, Any], method: str, path: str, matched: set[str]) -> str:
    """What the web ACL does with a request that the named managed rules match (rate limits not reached)."""
    labels: set[str] = set()
    for rule in sorted(acl["Rules"], key=lambda r: r["Priority"]):
        group = rule["Statement"].get("ManagedRuleGroupStatement")
        if group is not None:
            overrides = {o["Name"]: o["ActionToUse"] for o in group.get("RuleActionOverrides", [])}
            for name in sorted(matched & set(MANAGED_BLOCK_RULES[group["Name"]]) | matched & set(overrides)):
                labels.add(LABELS.get(name, name))
                action = overrides.get(name, {"Block": {}})
                if "Block" in action:
                    return f'{action["Block"]["CustomResponse"]["ResponseCode"]} {rule["Name"]}/{name}'
            if group["Name"] == "AWSManagedRulesAmazonIpReputationList" and "AWSManagedIPDDoSList" in matched:
                labels.add(LABELS["AWSManagedIPDDoSList"])  # the group's one rule that counts by default
        elif "RateBasedStatement" in rule["Statement"]:
            continue  # the rate limits are not reached here
        elif "Block" in rule["Action"] and _statement_matches(rule["Statement"], method, path, labels):
            return f'{rule["Action"]["Block"]["CustomResponse"]["ResponseCode"]} {rule["Name"]}'
    return "allow"


NOTES = "/api/visits/7f1c2a/notes"


def test_r45_visit_notes_are_not_refused_by_the_body_rules_a_caregivers_text_can_trip(synth: Synth) -> None:
    acl = _acl(synth)
    # A long note with "<" and "../" in it, saved on the notes route: every body rule may fire, none refuses.
    assert _verdict(acl, "PUT", NOTES, set(NOTES_EXEMPT_BODY_RULES) | {"SizeRestrictions_BODY"}) == "allow"
    for rule in NOTES_EXEMPT_BODY_RULES:
        assert _verdict(acl, "PUT", NOTES, {rule}) == "allow", rule
        # The same body anywhere else is refused, in JSON, by the label rule.
        for method, path in [("POST", "/api/visits"), ("GET", NOTES), ("PUT", NOTES + "/x"),
                             ("PUT", "/api/visits/a/b/notes"), ("PUT", "/api/visits/7f1c2a"), ("PUT", "/notes")]:
            assert _verdict(acl, method, path, {rule}) == f"403 {NOTES_BODY_RULE}", (rule, method, path)


def test_r45_the_notes_exemption_is_only_for_body_rules(synth: Synth) -> None:
    acl = _acl(synth)
    assert _verdict(acl, "PUT", NOTES, {"CrossSiteScripting_QUERYARGUMENTS"}) == (
        "403 AWSManagedRulesCommonRuleSet/CrossSiteScripting_QUERYARGUMENTS")
    assert _verdict(acl, "PUT", NOTES, {"Log4JRCE_BODY"}) == "403 AWSManagedRulesKnownBadInputsRuleSet/Log4JRCE_BODY"
    assert _verdict(acl, "GET", "/api/visits", {"AWSManagedIPDDoSList"}) == "allow"
    assert _verdict(acl, "GET", "/api/visits", {"AWSManagedIPReputationList"}) == (
        "403 AWSManagedRulesAmazonIpReputationList/AWSManagedIPReputationList")
    # The label rule runs after the group whose labels it reads, and before the next group.
    priorities = {r["Name"]: r["Priority"] for r in acl["Rules"]}
    assert priorities["AWSManagedRulesCommonRuleSet"] < priorities[NOTES_BODY_RULE]


def test_r45_the_notes_exemption_path_is_the_apps_notes_route() -> None:
    # The route as app.py declares it, with a visit id in its place, is exactly what the regex admits.
    source = (ROOT / "app.py").read_text()
    (route,) = re.findall(r'@app\.route\("(/api/visits/\{visit_id\}/notes)", methods=\["PUT"\]', source)
    assert re.search(NOTES_PATH_REGEX, route.replace("{visit_id}", "7f1c2a"))
    assert re.search(NOTES_PATH_REGEX, route.replace("{visit_id}", "7f1c2a") + "/") is None
