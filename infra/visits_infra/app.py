"""The stack and the CDK app around it, with cdk-nag's AwsSolutions and HIPAA Security packs attached."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from cdk_nag import AwsSolutionsChecks, HIPAASecurityChecks
from constructs import Construct

from visits_infra import acknowledgments
from visits_infra.api import API_STAGE, FUNCTIONS, SWEEP, ApiSettings, VisitsApi
from visits_infra.auth import StaffAuth
from visits_infra.email import InviteEmail
from visits_infra.hosting import Hosting
from visits_infra.keys import data_key
from visits_infra.ops import Alarms
from visits_infra.origin import HEADER, OriginVerify
from visits_infra.params import Params, declare_params
from visits_infra.paths import REPO_ROOT
from visits_infra.table import VisitsTable
from visits_infra.texts import TextMessages

# CloudFront's WAF web ACLs and certificates live in us-east-1, so the whole stack does (docs/DEPLOY.md).
HOME_REGION = "us-east-1"
STAGE = "prod"  # the construct id, which chalice.cdk uses as the Chalice stage name

# Context values (cdk.json or `-c key=value`) and their defaults.
DEFAULTS: dict[str, Any] = {
    "stackName": "virtual-visits",
    "sweepShards": 4,
    # The call window, the visit dialog and the join page each poll every 3 s: about 1 request/s per
    # visit in progress. 500/s (burst 1000) serves some 400 simultaneous visits with headroom.
    "apiRateLimit": 500,
    "apiBurstLimit": 1000,
    # Per client IP and 5 minutes. A join page polls 100 times in 5 minutes; 300 leaves room for rejoins.
    "joinRateLimitPer5Min": 300,
    # Per IP: an office of coordinators behind one NAT address stays well below this.
    "apiRateLimitPer5Min": 10000,
    # 1,024 MB: half the CPU time of 512 MB in every request and in a cold start's first request (the top of the
    # hour starts ~170 functions at once), for 2 % more per visit (docs/PERFORMANCE.md §8, issue 16).
    "apiMemoryMb": 1024,
    # Reserved concurrency of the API handler: about 3,000 requests/s at 60 ms each.
    "apiConcurrency": 200,
    # Raise by one to replace the secret header CloudFront sends the API (docs/DEPLOY.md).
    "originSecretGeneration": 1,
}

# Flags a new `cdk init` project would set.
FEATURE_FLAGS = {
    "@aws-cdk/aws-iam:minimizePolicies": True,
    "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy": True,
    "@aws-cdk/core:validationReportJson": True,
}


def _context(scope: Construct, name: str) -> Any:
    value = scope.node.try_get_context(name)
    return DEFAULTS[name] if value is None else value


class VisitsStack(cdk.Stack):
    """Everything the product needs in one account: data, auth, email, API, hosting, alarms."""

    def __init__(self, scope: Construct, construct_id: str, *, source_dir: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        params = declare_params(self)
        app_domain = params.app_domain.value_as_string
        app_url = f"https://{app_domain}"

        key = data_key(self, "DataKey")
        self.table = VisitsTable(self, "Data", key=key)
        self.auth = StaffAuth(
            self, "StaffAuth", app_url=app_url, domain_prefix=params.auth_domain_prefix.value_as_string
        )
        self.email = InviteEmail(
            self,
            "InviteEmail",
            sender_domain=params.sender_domain.value_as_string,
            mail_from_domain=params.mail_from_domain,
        )
        self.texts = TextMessages(self, "TextMessages", pool_id=params.sms_pool_id)
        self.link_key = secretsmanager.Secret(
            self,
            "LinkKey",
            description="Key that client link tokens derive from: 64 random hex characters (256 bits)",
            # Referenced by ARN so CDK adds no wildcard-action grant to the key policy; the account
            # statement of the key and the app role's kms:Decrypt already allow reading it.
            encryption_key=kms.Key.from_key_arn(self, "LinkKeyEncryption", key.key_arn),
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=64,
                exclude_punctuation=True,
                exclude_uppercase=True,
                exclude_characters="ghijklmnopqrstuvwxyz",
                include_space=False,
                require_each_included_type=False,
            ),
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        environment = {
            "APP_STAGE": STAGE,
            "TABLE_NAME": self.table.table.table_name,
            "PUBLIC_BASE_URL": app_url,
            "MEETING_PROVIDER": "chime",
            "CHIME_MEDIA_REGION": params.chime_media_region.value_as_string,
            "AUTH_MODE": "cognito",
            "COGNITO_ISSUER": self.auth.issuer,
            "COGNITO_AUDIENCE": self.auth.audience,
            "COGNITO_USER_POOL_ID": self.auth.user_pool.user_pool_id,
            "LINK_KEY_SECRET_ID": self.link_key.secret_arn,
            "EMAIL_CONFIGURATION_SET": self.email.configuration_set.configuration_set_name,
            "SMS_PROVIDER": "aws",
            "SMS_ORIGINATION_IDENTITY": self.texts.origination_identity,
            "SMS_CONFIGURATION_SET": self.texts.configuration_set_name,
            "SWEEP_SHARDS": str(_context(self, "sweepShards")),
            "POWERTOOLS_SERVICE_NAME": "virtual-visits",
            "POWERTOOLS_METRICS_NAMESPACE": "VirtualVisits",
            # Traces must not carry PHI: never record handler return values or exception text.
            "POWERTOOLS_TRACER_CAPTURE_RESPONSE": "false",
            "POWERTOOLS_TRACER_CAPTURE_ERROR": "false",
        }
        self.api = VisitsApi(
            self,
            "Api",
            settings=ApiSettings(
                environment=environment,
                table_arn=self.table.table.table_arn,
                index_names=tuple(index.name for index in self.table.spec.indexes),
                key=key,
                secret_arn=self.link_key.secret_arn,
                identity_arn=self.email.identity_arn,
                configuration_set_arn=self.email.configuration_set_arn,
                user_pool_arn=self.auth.user_pool.user_pool_arn,
                throttle_rate=int(_context(self, "apiRateLimit")),
                throttle_burst=int(_context(self, "apiBurstLimit")),
                api_memory_mb=int(_context(self, "apiMemoryMb")),
                api_concurrency=int(_context(self, "apiConcurrency")),
                source_dir=source_dir,
                **self._sandbox_recipients(params),
                text_pool_arn=self.texts.pool_arn,
                texts_condition=self.texts.has_pool,
            ),
        )
        self.origin = OriginVerify(
            self, "OriginVerify", key=key, generation=int(_context(self, "originSecretGeneration"))
        )
        api_domain = f"{self.api.rest_api_id}.execute-api.{self.region}.{self.url_suffix}"
        cognito_origin = f"https://{self.auth.domain.domain_name}.auth.{self.region}.amazoncognito.com"
        self.hosting = Hosting(
            self,
            "Hosting",
            app_domain=app_domain,
            certificate_arn=params.app_certificate_arn.value_as_string,
            api_domain=api_domain,
            api_stage=API_STAGE,
            cognito_origin=cognito_origin,
            key=key,
            join_rate_limit=int(_context(self, "joinRateLimitPer5Min")),
            api_rate_limit=int(_context(self, "apiRateLimitPer5Min")),
            origin_headers={HEADER: self.origin.header_value},
        )
        self.origin.protect(
            rest_api_id=self.api.rest_api_id, stage=API_STAGE, log_destination_arn=self.hosting.waf_logs_arn
        )
        function_names = {fn: self.api.chalice.get_resource(fn).ref for fn in FUNCTIONS}
        self.alarms = Alarms(
            self,
            "Alarms",
            key=key,
            alarm_email=params.alarm_email,
            api_name=self.api.api_name,
            api_stage=API_STAGE,
            function_names=function_names,
            sweep_function=function_names[SWEEP],
            dead_letters=self.api.dead_letters,
        )
        outputs = {
            "AppUrl": app_url,
            "DistributionDomainName": self.hosting.distribution.distribution_domain_name,
            "DistributionId": self.hosting.distribution.distribution_id,
            "SiteBucketName": self.hosting.site_bucket.bucket_name,
            "UserPoolId": self.auth.user_pool.user_pool_id,
            "WebClientId": self.auth.audience,
            "CognitoIssuer": self.auth.issuer,
            "HostedUiDomain": f"{self.auth.domain.domain_name}.auth.{self.region}.amazoncognito.com",
            "TableName": self.table.table.table_name,
            "AlarmTopicArn": self.alarms.topic.topic_arn,
            "LinkKeySecretArn": self.link_key.secret_arn,
            "OriginVerifySecretArn": self.origin.secret.secret_arn,
            **{f"LogGroup{fn}": group.log_group_name for fn, group in self.api.log_groups.items()},
            "ApiAccessLogGroup": self.api.access_logs.log_group_name,
            "WafLogGroup": self.hosting.waf_logs.log_group_name,
        }
        for name, value in outputs.items():
            cdk.CfnOutput(self, name, value=value)
        acknowledgments.apply(self)


    def _sandbox_recipients(self, params: Params) -> dict[str, Any]:
        """The identity ARNs of the SES sandbox's test recipients, and whether any are listed."""
        listed = cdk.Fn.join("", params.sandbox_recipients.value_as_list)
        condition = cdk.CfnCondition(
            self, "HasSandboxRecipients", expression=cdk.Fn.condition_not(cdk.Fn.condition_equals(listed, ""))
        )
        # Fn::Join takes only a literal separator, so the account is a wildcard here; the Region is the stack's.
        prefix = f"arn:aws:ses:{HOME_REGION}:*:identity/"
        joined = cdk.Fn.join(f",{prefix}", params.sandbox_recipients.value_as_list)
        arns = cdk.Fn.split(",", cdk.Fn.join("", [prefix, joined]))
        return {"sandbox_recipient_arns": arns, "sandbox_condition": condition}


@dataclass(frozen=True)
class Built:
    """The app and its one stack."""

    app: cdk.App
    stack: VisitsStack


def build_app(
    *,
    outdir: str | None = None,
    context: dict[str, Any] | None = None,
    nag: bool = True,
    source_dir: Path = REPO_ROOT,
) -> Built:
    """Create the app and the prod stack; with `nag`, synth fails on any unacknowledged finding."""
    app = cdk.App(outdir=outdir, context={**FEATURE_FLAGS, **(context or {})})
    stack = VisitsStack(
        app,
        STAGE,
        source_dir=str(source_dir),
        stack_name=str(_context(app, "stackName")),
        env=cdk.Environment(region=HOME_REGION),
        description="virtual-visits: video visits for home-care agencies",
    )
    if nag:
        cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), HIPAASecurityChecks(app))
    return Built(app, stack)
