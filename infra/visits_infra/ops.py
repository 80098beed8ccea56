"""Alarms (docs/DEPLOY.md says what each means) and the topic they notify."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

# SES reviews an account at a 5% bounce rate and 0.1% complaint rate; alarm before that.
BOUNCE_RATE_THRESHOLD = 0.04
COMPLAINT_RATE_THRESHOLD = 0.0008


class Alarms(Construct):
    """Alarms on API 5xx, Lambda throttles, sweep errors or silence, dead letters and SES reputation."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        key: kms.IKey,
        alarm_email: cdk.CfnParameter,
        api_name: str,
        api_stage: str,
        function_names: dict[str, str],
        sweep_function: str,
        dead_letters: sqs.IQueue,
    ) -> None:
        super().__init__(scope, construct_id)
        self.topic = sns.Topic(self, "Topic", display_name="virtual-visits alarms", master_key=key, enforce_ssl=True)
        has_email = cdk.CfnCondition(
            self, "HasAlarmEmail", expression=cdk.Fn.condition_not(cdk.Fn.condition_equals(alarm_email, ""))
        )
        subscription = sns.CfnSubscription(
            self, "Email", topic_arn=self.topic.topic_arn, protocol="email", endpoint=alarm_email.value_as_string
        )
        subscription.cfn_options.condition = has_email
        action = cw_actions.SnsAction(self.topic)
        five_minutes = cdk.Duration.minutes(5)

        api_dims = {"ApiName": api_name, "Stage": api_stage}
        throttles = {
            f"t{i}": cloudwatch.Metric(
                namespace="AWS/Lambda",
                metric_name="Throttles",
                dimensions_map={"FunctionName": name},
                statistic="Sum",
                period=five_minutes,
            )
            for i, name in enumerate(function_names.values())
        }
        self.alarms: dict[str, cloudwatch.Alarm] = {
            "Api5xx": cloudwatch.Alarm(
                self,
                "Api5xx",
                alarm_description="The API answered 5xx (app errors, timeouts or authorizer failures).",
                metric=cloudwatch.Metric(
                    namespace="AWS/ApiGateway",
                    metric_name="5XXError",
                    dimensions_map=api_dims,
                    statistic="Sum",
                    period=five_minutes,
                ),
                threshold=5,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
            "FunctionThrottles": cloudwatch.Alarm(
                self,
                "FunctionThrottles",
                alarm_description="A function was throttled (reserved or account concurrency reached).",
                metric=cloudwatch.MathExpression(
                    expression=" + ".join(f"FILL({k}, 0)" for k in throttles),
                    using_metrics=dict(throttles),
                    label="Throttles",
                    period=five_minutes,
                ),
                threshold=1,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
            "SweepErrors": cloudwatch.Alarm(
                self,
                "SweepErrors",
                alarm_description="The expiry sweep failed three times in 5 minutes (R27 is not being enforced).",
                metric=cloudwatch.Metric(
                    namespace="AWS/Lambda",
                    metric_name="Errors",
                    dimensions_map={"FunctionName": sweep_function},
                    statistic="Sum",
                    period=five_minutes,
                ),
                threshold=3,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
            "SweepStalled": cloudwatch.Alarm(
                self,
                "SweepStalled",
                alarm_description="The expiry sweep has not run for 15 minutes (schedule disabled or broken).",
                metric=cloudwatch.Metric(
                    namespace="AWS/Lambda",
                    metric_name="Invocations",
                    dimensions_map={"FunctionName": sweep_function},
                    statistic="Sum",
                    period=cdk.Duration.minutes(15),
                ),
                threshold=1,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.BREACHING,
            ),
            "DeadLetters": cloudwatch.Alarm(
                self,
                "DeadLetters",
                alarm_description="A Chime or SES event, or a sweep run, failed all retries (dead-letter queue).",
                metric=dead_letters.metric_approximate_number_of_messages_visible(
                    period=five_minutes, statistic="Maximum"
                ),
                threshold=1,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
            "SesBounceRate": cloudwatch.Alarm(
                self,
                "SesBounceRate",
                alarm_description="The account's SES bounce rate is near the 5% review threshold.",
                metric=cloudwatch.Metric(
                    namespace="AWS/SES",
                    metric_name="Reputation.BounceRate",
                    statistic="Maximum",
                    period=cdk.Duration.hours(1),
                ),
                threshold=BOUNCE_RATE_THRESHOLD,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
            "SesComplaintRate": cloudwatch.Alarm(
                self,
                "SesComplaintRate",
                alarm_description="The account's SES complaint rate is near the 0.1% review threshold.",
                metric=cloudwatch.Metric(
                    namespace="AWS/SES",
                    metric_name="Reputation.ComplaintRate",
                    statistic="Maximum",
                    period=cdk.Duration.hours(1),
                ),
                threshold=COMPLAINT_RATE_THRESHOLD,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
        }
        for alarm in self.alarms.values():
            alarm.add_alarm_action(action)
            alarm.add_ok_action(action)
