"""Alarms on 5xx, throttles, the sweep, dead letters and SES reputation, all to one encrypted topic."""

from __future__ import annotations

from typing import Any

from visits_infra.api import FUNCTIONS, SWEEP

from tests.infra.conftest import Synth


def _alarms(synth: Synth) -> dict[str, dict[str, Any]]:
    return {k: v["Properties"] for k, v in synth.resources("AWS::CloudWatch::Alarm").items()}


def _alarm(synth: Synth, prefix: str) -> dict[str, Any]:
    return _alarms(synth)[synth.logical_id("AWS::CloudWatch::Alarm", prefix)]


def test_every_alarm_notifies_the_encrypted_topic(synth: Synth) -> None:
    topic = synth.logical_id("AWS::SNS::Topic", "AlarmsTopic")
    assert "KmsMasterKeyId" in synth.resource(topic)["Properties"]
    alarms = _alarms(synth)
    assert len(alarms) == 7
    for props in alarms.values():
        assert props["AlarmActions"] == [{"Ref": topic}]
        assert props["OKActions"] == [{"Ref": topic}]


def test_api_5xx_alarm_watches_the_stage(synth: Synth) -> None:
    props = _alarm(synth, "AlarmsApi5xx")
    assert props["Namespace"] == "AWS/ApiGateway"
    assert props["MetricName"] == "5XXError"
    dims = {d["Name"]: d["Value"] for d in props["Dimensions"]}
    assert dims["Stage"] == "v1"
    assert synth.resource("RestAPI")["Properties"]["Name"] == dims["ApiName"]


def test_throttle_alarm_sums_every_function(synth: Synth) -> None:
    props = _alarm(synth, "AlarmsFunctionThrottles")
    metrics = [m for m in props["Metrics"] if "MetricStat" in m]
    names = {m["MetricStat"]["Metric"]["Dimensions"][0]["Value"]["Ref"] for m in metrics}
    assert names == set(FUNCTIONS)
    assert all(m["MetricStat"]["Metric"]["MetricName"] == "Throttles" for m in metrics)


def test_sweep_errors_and_silence_alarm(synth: Synth) -> None:
    errors = _alarm(synth, "AlarmsSweepErrors")
    assert errors["MetricName"] == "Errors"
    assert errors["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": SWEEP}}]
    stalled = _alarm(synth, "AlarmsSweepStalled")
    assert stalled["MetricName"] == "Invocations"
    assert stalled["TreatMissingData"] == "breaching"


def test_ses_bounce_and_complaint_rate_alarms(synth: Synth) -> None:
    bounce = _alarm(synth, "AlarmsSesBounceRate")
    assert (bounce["Namespace"], bounce["MetricName"]) == ("AWS/SES", "Reputation.BounceRate")
    assert 0 < bounce["Threshold"] < 0.05
    complaint = _alarm(synth, "AlarmsSesComplaintRate")
    assert complaint["MetricName"] == "Reputation.ComplaintRate"
    assert 0 < complaint["Threshold"] < 0.001


def test_dead_letter_alarm(synth: Synth) -> None:
    props = _alarm(synth, "AlarmsDeadLetters")
    assert props["MetricName"] == "ApproximateNumberOfMessagesVisible"


def test_alarm_email_subscription_is_optional(synth: Synth) -> None:
    (subscription,) = synth.resources("AWS::SNS::Subscription").values()
    assert subscription["Condition"] in synth.raw["Conditions"]
    assert subscription["Properties"]["Endpoint"] == {"Ref": "AlarmEmail"}
