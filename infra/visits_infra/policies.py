"""The app's IAM statements: every action named, every resource as narrow as the service allows."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import aws_iam as iam

# What the persistence layer calls (a transaction is authorized item by item: PutItem, UpdateItem). The list is
# checked against the calls the tests record (tests/infra/test_iam_grants.py): none missing, none unused.
DYNAMODB_ACTIONS = [
    "dynamodb:BatchGetItem",
    "dynamodb:DeleteItem",  # a reminder leaves the sweep index once sent or dropped (R32)
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:UpdateItem",
]
# The table is encrypted with the stack's key; DynamoDB uses it on the caller's behalf.
KMS_DATA_ACTIONS = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]
SES_ACTIONS = ["ses:SendRawEmail"]
# Chime SDK actions on an existing meeting: IAM evaluates them on the meeting's ARN.
CHIME_MEETING_ACTIONS = [
    "chime:CreateAttendee",
    "chime:DeleteMeeting",
    "chime:GetMeeting",
    "chime:ListAttendees",
]
# Chime SDK actions without resource types: IAM matches them only on Resource "*" (the meeting does not exist
# yet). The app makes a meeting and its first attendee in one CreateMeetingWithAttendees (issue 16: one call of
# the account's rate instead of two), so CreateMeeting is not granted. StartMeetingTranscription and
# StopMeetingTranscription belong here too, when the app starts calling them (docs/INFRA.md).
CHIME_UNSCOPED_ACTIONS = ["chime:CreateMeetingWithAttendees"]
# End User Messaging SMS: IAM evaluates SendTextMessage on the origination identity it names (here the pool).
SMS_ACTIONS = ["sms-voice:SendTextMessage"]
# Staff sign-ins (R33, R36): create one with the custom claims, undo it, disable and sign out everywhere, enable,
# change the role claim. Each is on the user pool's ARN.
COGNITO_ADMIN_ACTIONS = [
    "cognito-idp:AdminCreateUser",
    "cognito-idp:AdminDeleteUser",
    "cognito-idp:AdminDisableUser",
    "cognito-idp:AdminEnableUser",
    "cognito-idp:AdminUpdateUserAttributes",
    "cognito-idp:AdminUserGlobalSignOut",
]
# The authorizer reads the caller's employee item (R36: deactivated or not, the role now), nothing else.
DIRECTORY_READ_ACTIONS = ["dynamodb:GetItem"]
KMS_READ_ACTIONS = ["kms:Decrypt", "kms:DescribeKey"]
XRAY_ACTIONS = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]
SECRET_ACTIONS = ["secretsmanager:GetSecretValue"]
LOG_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"]
DLQ_ACTIONS = ["sqs:SendMessage"]


def table_statements(table_arn: str, index_names: Sequence[str], key_arn: str) -> list[iam.PolicyStatement]:
    """Item access on the table and each of its indexes by name (no `index/*`)."""
    return [
        iam.PolicyStatement(
            sid="TableItems",
            actions=DYNAMODB_ACTIONS,
            resources=[table_arn, *(f"{table_arn}/index/{name}" for name in index_names)],
        ),
        iam.PolicyStatement(sid="DataKey", actions=KMS_DATA_ACTIONS, resources=[key_arn]),
    ]


def directory_read_statements(table_arn: str, key_arn: str) -> list[iam.PolicyStatement]:
    """The authorizer's one read: an employee's item by key, on the table only (no index), and the key to read it."""
    return [
        iam.PolicyStatement(sid="EmployeeItems", actions=DIRECTORY_READ_ACTIONS, resources=[table_arn]),
        iam.PolicyStatement(sid="DataKeyRead", actions=KMS_READ_ACTIONS, resources=[key_arn]),
    ]


def staff_accounts_statement(user_pool_arn: str) -> iam.PolicyStatement:
    """Staff sign-ins in the stack's user pool only (R33, R36)."""
    return iam.PolicyStatement(sid="StaffSignIns", actions=COGNITO_ADMIN_ACTIONS, resources=[user_pool_arn])


def email_statement(identity_arn: str, configuration_set_arn: str) -> iam.PolicyStatement:
    """SES v2 SendEmail with raw content is authorized as ses:SendRawEmail on identity and set."""
    return iam.PolicyStatement(sid="SendInvites", actions=SES_ACTIONS, resources=[identity_arn, configuration_set_arn])


def meetings_statement(meetings_arn: str) -> iam.PolicyStatement:
    """Chime SDK meetings of this account and Region (meeting ids are minted by CreateMeetingWithAttendees)."""
    return iam.PolicyStatement(sid="ChimeMeetings", actions=CHIME_MEETING_ACTIONS, resources=[meetings_arn])


def new_meetings_statement() -> iam.PolicyStatement:
    """Creating a meeting (with its first attendee): the action has no resource type, so IAM matches it only on
    "*"."""
    return iam.PolicyStatement(sid="ChimeNewMeetings", actions=CHIME_UNSCOPED_ACTIONS, resources=["*"])


def sandbox_recipients_statement(recipient_arns: list[str]) -> iam.PolicyStatement:
    """In the SES sandbox IAM also checks ses:SendRawEmail against each verified recipient identity."""
    return iam.PolicyStatement(sid="SandboxRecipients", actions=SES_ACTIONS, resources=recipient_arns)


def texts_statement(pool_arn: str) -> iam.PolicyStatement:
    """Text invites and reminders (R28, R32) from the deployment's pool, and from nothing else."""
    return iam.PolicyStatement(sid="SendTexts", actions=SMS_ACTIONS, resources=[pool_arn])


def tracing_statement() -> iam.PolicyStatement:
    """X-Ray has no resource-level permissions for these two actions."""
    return iam.PolicyStatement(sid="Tracing", actions=XRAY_ACTIONS, resources=["*"])


def secret_statement(secret_arn: str) -> iam.PolicyStatement:
    """Read the link-token key, that secret only."""
    return iam.PolicyStatement(sid="LinkKey", actions=SECRET_ACTIONS, resources=[secret_arn])


def logs_statement(log_stream_arns: list[str]) -> iam.PolicyStatement:
    """Write to the role's functions' log groups (streams are created per execution environment)."""
    return iam.PolicyStatement(sid="FunctionLogs", actions=LOG_ACTIONS, resources=log_stream_arns)


def dlq_statement(queue_arn: str) -> iam.PolicyStatement:
    """Failed asynchronous invocations of the event handlers land in the dead-letter queue."""
    return iam.PolicyStatement(sid="DeadLetters", actions=DLQ_ACTIONS, resources=[queue_arn])
