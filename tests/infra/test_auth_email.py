"""Cognito (custom claims, hosted UI with code + PKCE) and SES (domain identity, feedback to EventBridge)."""

from __future__ import annotations

from typing import Any

from tests.infra.conftest import Synth


def _pool(synth: Synth) -> dict[str, Any]:
    (pool,) = synth.resources("AWS::Cognito::UserPool").values()
    return pool


def _client(synth: Synth) -> dict[str, Any]:
    (client,) = synth.resources("AWS::Cognito::UserPoolClient").values()
    props: dict[str, Any] = client["Properties"]
    return props


def test_user_pool_has_the_custom_claims_and_admin_only_sign_up(synth: Synth) -> None:
    pool = _pool(synth)
    props = pool["Properties"]
    schema = {a["Name"]: a for a in props["Schema"]}
    assert {"agency_id", "employee_id", "role"} <= set(schema)
    assert schema["agency_id"]["Mutable"] is False
    assert props["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert props["MfaConfiguration"] == "ON"
    assert props["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
    assert props["Policies"]["PasswordPolicy"]["MinimumLength"] >= 12
    assert props["DeletionProtection"] == "ACTIVE"
    assert pool["DeletionPolicy"] == "Retain"


def test_web_client_is_public_code_flow_on_the_app_url(synth: Synth) -> None:
    client = _client(synth)
    assert client.get("GenerateSecret", False) is False
    assert client["AllowedOAuthFlows"] == ["code"]
    assert client["AllowedOAuthFlowsUserPoolClient"] is True
    assert set(client["AllowedOAuthScopes"]) == {"openid", "email", "profile"}
    app_root = {"Fn::Join": ["", ["https://", {"Ref": "AppDomain"}, "/"]]}
    assert client["CallbackURLs"] == [app_root]
    assert client["LogoutURLs"] == [app_root]
    assert client["SupportedIdentityProviders"] == ["COGNITO"]
    assert client["PreventUserExistenceErrors"] == "ENABLED"


def test_users_can_read_but_never_write_their_claims(synth: Synth) -> None:
    client = _client(synth)
    claims = {"custom:agency_id", "custom:employee_id", "custom:role"}
    assert claims <= set(client["ReadAttributes"])
    assert not claims & set(client["WriteAttributes"])


def test_hosted_ui_domain_uses_the_prefix_parameter(synth: Synth) -> None:
    (domain,) = synth.resources("AWS::Cognito::UserPoolDomain").values()
    assert domain["Properties"]["Domain"] == {"Ref": "AuthDomainPrefix"}


def test_sender_domain_identity_uses_the_configuration_set(synth: Synth) -> None:
    (identity,) = synth.resources("AWS::SES::EmailIdentity").values()
    config_set = synth.logical_id("AWS::SES::ConfigurationSet", "InviteEmailConfigurationSet")
    assert identity["Properties"]["EmailIdentity"] == {"Ref": "SenderDomain"}
    assert identity["Properties"]["ConfigurationSetAttributes"] == {"ConfigurationSetName": {"Ref": config_set}}
    props = synth.resource(config_set)["Properties"]
    assert props["DeliveryOptions"]["TlsPolicy"] == "REQUIRE"
    assert props["ReputationOptions"]["ReputationMetricsEnabled"] is True
    assert set(props["SuppressionOptions"]["SuppressedReasons"]) == {"BOUNCE", "COMPLAINT"}


def test_bounces_and_complaints_go_to_the_default_event_bus(synth: Synth) -> None:
    (destination,) = synth.resources("AWS::SES::ConfigurationSetEventDestination").values()
    spec = destination["Properties"]["EventDestination"]
    assert spec["Enabled"] is True
    assert set(spec["MatchingEventTypes"]) == {"bounce", "complaint"}
    bus_arn = spec["EventBridgeDestination"]["EventBusArn"]
    assert "event-bus/default" in str(bus_arn)
