"""SES: the sending domain, and a configuration set that sends bounces and complaints to EventBridge."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_events as events
from aws_cdk import aws_ses as ses
from constructs import Construct

# The events the app's on_email_event handler acts on (it marks the client's email as bounced/complained).
FEEDBACK_EVENTS = (ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT)


class InviteEmail(Construct):
    """Domain identity with Easy DKIM, and the configuration set every invite is sent with."""

    def __init__(
        self, scope: Construct, construct_id: str, *, sender_domain: str, mail_from_domain: cdk.CfnParameter
    ) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        self.configuration_set = ses.ConfigurationSet(
            self,
            "ConfigurationSet",
            reputation_metrics=True,
            sending_enabled=True,
            tls_policy=ses.ConfigurationSetTlsPolicy.REQUIRE,
            suppression_reasons=ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
        )
        default_bus = events.EventBus.from_event_bus_name(self, "DefaultBus", "default")
        self.configuration_set.add_event_destination(
            "ToEventBridge",
            destination=ses.EventDestination.event_bus(default_bus),
            events=list(FEEDBACK_EVENTS),
        )
        self.identity = ses.EmailIdentity(
            self,
            "SenderDomain",
            identity=ses.Identity.domain(sender_domain),
            configuration_set=self.configuration_set,
        )
        self.identity_arn = stack.format_arn(service="ses", resource="identity", resource_name=sender_domain)
        self.configuration_set_arn = stack.format_arn(
            service="ses",
            resource="configuration-set",
            resource_name=self.configuration_set.configuration_set_name,
        )
        for i, record in enumerate(self.identity.dkim_records, start=1):
            cdk.CfnOutput(self, f"DkimRecord{i}", value=f"{record.name} CNAME {record.value}")
        self._mail_from(stack, mail_from_domain)

    def _mail_from(self, stack: cdk.Stack, mail_from_domain: cdk.CfnParameter) -> None:
        """An optional custom MAIL FROM domain: SPF then checks the agency's domain, not amazonses.com."""
        has_mail_from = cdk.CfnCondition(
            self, "HasMailFrom", expression=cdk.Fn.condition_not(cdk.Fn.condition_equals(mail_from_domain, ""))
        )
        identity = self.identity.node.default_child
        assert isinstance(identity, cdk.CfnResource)
        identity.add_property_override(
            "MailFromAttributes",
            cdk.Fn.condition_if(
                has_mail_from.logical_id,
                {"MailFromDomain": mail_from_domain.value_as_string, "BehaviorOnMxFailure": "USE_DEFAULT_VALUE"},
                cdk.Aws.NO_VALUE,
            ),
        )
        domain = mail_from_domain.value_as_string
        records = {
            "MailFromMxRecord": f"{domain} MX 10 feedback-smtp.{stack.region}.amazonses.com",
            "MailFromSpfRecord": f'{domain} TXT "v=spf1 include:amazonses.com ~all"',
        }
        for name, value in records.items():
            output = cdk.CfnOutput(self, name, value=value)
            output.condition = has_mail_from
