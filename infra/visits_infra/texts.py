"""End User Messaging SMS (R28, R29): the configuration set invites and reminders are sent under, and the
origination identity (a pool of the agency's registered numbers) they are sent from.

Delivery events need no event destination here: End User Messaging SMS puts "Text Message Delivery Status Updated"
on the account's default EventBridge bus itself (source `aws.sms-voice`), and a configuration set's destinations
are only CloudWatch Logs, Firehose and SNS. The app's `on_text_event` handler is the destination: Chalice makes its
EventBridge rule, matched to that source and detail type (docs/INFRA.md, "Text messages").
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_smsvoice as smsvoice
from constructs import Construct


class TextMessages(Construct):
    """The configuration set, and the pool texts go from when the deployment names one."""

    def __init__(self, scope: Construct, construct_id: str, *, pool_id: cdk.CfnParameter) -> None:
        super().__init__(scope, construct_id)
        self.configuration_set = smsvoice.CfnConfigurationSet(self, "ConfigurationSet")
        self.configuration_set_name = self.configuration_set.ref
        self.has_pool = cdk.CfnCondition(
            self, "HasSmsPool", expression=cdk.Fn.condition_not(cdk.Fn.condition_equals(pool_id.value_as_string, ""))
        )
        # The pool's ARN: what SendTextMessage names (OriginationIdentity) and what IAM authorizes it on.
        self.pool_arn = cdk.Fn.sub(
            "arn:${AWS::Partition}:sms-voice:${AWS::Region}:${AWS::AccountId}:pool/${Pool}",
            {"Pool": pool_id.value_as_string},
        )
        # Empty without a pool: the app then answers text invites with TEXTS_NOT_SET_UP.
        self.origination_identity = cdk.Fn.condition_if(self.has_pool.logical_id, self.pool_arn, "").to_string()
        cdk.CfnOutput(self, "SmsConfigurationSetName", value=self.configuration_set_name)
