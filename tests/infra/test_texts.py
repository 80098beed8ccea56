"""End User Messaging SMS in the stack (R28, R29): the configuration set, the origination identity as a
parameter, and the app told both."""

from __future__ import annotations

from typing import Any

from visits_infra.api import API_HANDLER

from tests.infra.conftest import Synth


def _environment(synth: Synth) -> dict[str, Any]:
    env: dict[str, Any] = synth.resource(API_HANDLER)["Properties"]["Environment"]["Variables"]
    return env


def test_the_pool_is_an_optional_parameter_of_its_own_form(synth: Synth) -> None:
    parameter = synth.raw["Parameters"]["SmsPoolId"]
    assert (parameter["Type"], parameter["Default"]) == ("String", "")
    assert parameter["AllowedPattern"] == r"^$|^pool-[A-Za-z0-9]{1,64}$"


def test_the_app_sends_under_the_configuration_set_from_the_pool_or_not_at_all(synth: Synth) -> None:
    env = _environment(synth)
    config_set = synth.logical_id("AWS::SMSVOICE::ConfigurationSet", "TextMessagesConfigurationSet")
    assert env["SMS_PROVIDER"] == "aws"
    assert env["SMS_CONFIGURATION_SET"] == {"Ref": config_set}
    condition, pool_arn, nothing = env["SMS_ORIGINATION_IDENTITY"]["Fn::If"]
    assert condition.startswith("TextMessagesHasSmsPool") and nothing == ""
    assert pool_arn == {"Fn::Sub": ["arn:${AWS::Partition}:sms-voice:${AWS::Region}:${AWS::AccountId}:pool/${Pool}",
                                    {"Pool": {"Ref": "SmsPoolId"}}]}


def test_the_configuration_set_has_no_destination_events_reach_eventbridge_directly(synth: Synth) -> None:
    # End User Messaging puts "Text Message Delivery Status Updated" on the default bus itself; a configuration
    # set's destinations (CloudWatch Logs, Firehose, SNS) would only copy them elsewhere.
    (config_set,) = synth.resources("AWS::SMSVOICE::ConfigurationSet").values()
    assert "EventDestinations" not in config_set.get("Properties", {})
    (output,) = [v for k, v in synth.raw["Outputs"].items() if k.startswith("TextMessagesSmsConfigurationSetName")]
    assert output["Value"] == {"Ref": synth.logical_id("AWS::SMSVOICE::ConfigurationSet",
                                                       "TextMessagesConfigurationSet")}
