"""One customer-managed KMS key for the data at rest: table, logs, queue, topic and link-key secret."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

# Spelled out instead of "kms:*" so that no policy in the template has a wildcard action. This is the
# key administration and use an account administrator needs; IAM policies in the account still decide who.
ACCOUNT_KEY_ACTIONS = [
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:CreateGrant",
    "kms:Decrypt",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListAliases",
    "kms:ListGrants",
    "kms:ListKeyPolicies",
    "kms:ListKeyRotations",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:RetireGrant",
    "kms:RevokeGrant",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
]

LOGS_KEY_ACTIONS = [
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
]

# CloudWatch alarms publish to the encrypted SNS topic.
ALARMS_KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"]


def data_key(scope: Construct, construct_id: str) -> kms.Key:
    """The key, with rotation on and a policy that names every action."""
    stack = cdk.Stack.of(scope)
    policy = iam.PolicyDocument(
        statements=[
            iam.PolicyStatement(
                sid="AccountAdministration",
                principals=[iam.AccountRootPrincipal()],
                actions=ACCOUNT_KEY_ACTIONS,
                resources=["*"],  # in a key policy "*" means this key
            ),
            iam.PolicyStatement(
                sid="CloudWatchLogs",
                principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
                actions=LOGS_KEY_ACTIONS,
                resources=["*"],
                conditions={
                    "ArnLike": {
                        "kms:EncryptionContext:aws:logs:arn": stack.format_arn(
                            service="logs",
                            resource="log-group",
                            resource_name="*",
                            arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
                        )
                    }
                },
            ),
            iam.PolicyStatement(
                sid="CloudWatchAlarms",
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=ALARMS_KEY_ACTIONS,
                resources=["*"],
                conditions={"StringEquals": {"aws:SourceAccount": stack.account}},
            ),
        ]
    )
    return kms.Key(
        scope,
        construct_id,
        description="virtual-visits data at rest (table, logs, queue, topic, link key)",
        enable_key_rotation=True,
        policy=policy,
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )
