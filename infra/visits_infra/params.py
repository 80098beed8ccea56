"""Deploy-time inputs. CloudFormation parameters keep one template for every agency's account."""

from __future__ import annotations

from dataclasses import dataclass

import aws_cdk as cdk
from constructs import Construct

# Regions where Chime SDK meetings can host media (CreateMeeting's MediaRegion values, commercial partition).
CHIME_MEDIA_REGIONS = (
    "af-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-north-1",
    "eu-south-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
)

_DOMAIN = r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"


@dataclass(frozen=True)
class Params:
    """The stack's CloudFormation parameters."""

    app_domain: cdk.CfnParameter
    app_certificate_arn: cdk.CfnParameter
    sender_domain: cdk.CfnParameter
    auth_domain_prefix: cdk.CfnParameter
    chime_media_region: cdk.CfnParameter
    alarm_email: cdk.CfnParameter
    mail_from_domain: cdk.CfnParameter
    sandbox_recipients: cdk.CfnParameter
    sms_pool_id: cdk.CfnParameter


def declare_params(scope: Construct) -> Params:
    """Declare the parameters an agency fills in at deploy time (see docs/DEPLOY.md)."""
    return Params(
        app_domain=cdk.CfnParameter(
            scope,
            "AppDomain",
            type="String",
            allowed_pattern=_DOMAIN,
            description="Host name of the app and of the client links, e.g. visits.agency.example.",
        ),
        app_certificate_arn=cdk.CfnParameter(
            scope,
            "AppCertificateArn",
            type="String",
            allowed_pattern=r"^arn:aws:acm:us-east-1:\d{12}:certificate/[0-9a-f-]{36}$",
            description="ACM certificate (us-east-1) covering AppDomain, for CloudFront.",
        ),
        sender_domain=cdk.CfnParameter(
            scope,
            "SenderDomain",
            type="String",
            allowed_pattern=_DOMAIN,
            description="Domain SES sends invites from (every agency's sender address is under it).",
        ),
        auth_domain_prefix=cdk.CfnParameter(
            scope,
            "AuthDomainPrefix",
            type="String",
            allowed_pattern=r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$",
            description="Prefix of the Cognito hosted sign-in domain (<prefix>.auth.us-east-1.amazoncognito.com).",
        ),
        chime_media_region=cdk.CfnParameter(
            scope,
            "ChimeMediaRegion",
            type="String",
            default="us-east-1",
            allowed_values=list(CHIME_MEDIA_REGIONS),
            description="Region where Chime hosts call media; pick the one closest to the agency's clients.",
        ),
        alarm_email=cdk.CfnParameter(
            scope,
            "AlarmEmail",
            type="String",
            default="",
            allowed_pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$",
            description="Optional address subscribed to the alarm topic (confirm the subscription email).",
        ),
        mail_from_domain=cdk.CfnParameter(
            scope,
            "MailFromDomain",
            type="String",
            default="",
            allowed_pattern=f"^$|{_DOMAIN[1:]}",
            description="Optional custom MAIL FROM domain under SenderDomain, e.g. mail.agency.example: SPF then "
            "aligns with the sender (publish the MX and SPF records the stack outputs).",
        ),
        sandbox_recipients=cdk.CfnParameter(
            scope,
            "SesSandboxRecipients",
            type="CommaDelimitedList",
            default="",
            description="While SES is in the sandbox: verified test addresses (comma-separated) invites may go "
            "to. IAM checks ses:SendRawEmail on each recipient's identity there. Empty in production.",
        ),
        sms_pool_id=cdk.CfnParameter(
            scope,
            "SmsPoolId",
            type="String",
            default="",
            allowed_pattern=r"^$|^pool-[A-Za-z0-9]{1,64}$",
            description="Optional End User Messaging SMS pool (pool-...) holding the agency's registered toll-free or "
            "10DLC number: texts go from it and IAM allows sending from it alone. Empty: no text messages "
            "(docs/DEPLOY.md, section on text messages).",
        ),
    )
