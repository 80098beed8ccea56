"""Cognito: staff sign in through the hosted UI (code + PKCE); tokens carry agency, employee and role."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cognito as cognito
from constructs import Construct

# Read by the app's authorizer from the ID token as custom:<name>.
CUSTOM_ATTRIBUTES = ("agency_id", "employee_id", "role")


class StaffAuth(Construct):
    """User pool (admin-created users only, MFA required) and the public web client."""

    def __init__(self, scope: Construct, construct_id: str, *, app_url: str, domain_prefix: str) -> None:
        super().__init__(scope, construct_id)
        self.user_pool = cognito.UserPool(
            self,
            "UserPool",
            self_sign_up_enabled=False,
            sign_in_aliases=cognito.SignInAliases(email=True),
            sign_in_case_sensitive=False,
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            mfa=cognito.Mfa.REQUIRED,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            password_policy=cognito.PasswordPolicy(
                min_length=12,
                require_lowercase=True,
                require_uppercase=True,
                require_digits=True,
                require_symbols=True,
                temp_password_validity=cdk.Duration.days(3),
            ),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            feature_plan=cognito.FeaturePlan.PLUS,
            standard_threat_protection_mode=cognito.StandardThreatProtectionMode.FULL_FUNCTION,
            custom_attributes={
                # agency_id never changes for a user: a move between agencies is a new user.
                "agency_id": cognito.StringAttribute(min_len=1, max_len=64, mutable=False),
                "employee_id": cognito.StringAttribute(min_len=1, max_len=64, mutable=True),
                "role": cognito.StringAttribute(min_len=1, max_len=16, mutable=True),
            },
            deletion_protection=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        self.domain = self.user_pool.add_domain(
            "HostedUi",
            cognito_domain=cognito.CognitoDomainOptions(domain_prefix=domain_prefix),
        )
        self.client = self.user_pool.add_client(
            "WebClient",
            generate_secret=False,
            auth_flows=cognito.AuthFlow(user_srp=False, user_password=False, custom=False),
            o_auth=cognito.OAuthSettings(
                flows=cognito.OAuthFlows(authorization_code_grant=True, implicit_code_grant=False),
                scopes=[cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
                callback_urls=[f"{app_url}/"],
                logout_urls=[f"{app_url}/"],
            ),
            supported_identity_providers=[cognito.UserPoolClientIdentityProvider.COGNITO],
            prevent_user_existence_errors=True,
            enable_token_revocation=True,
            id_token_validity=cdk.Duration.hours(1),
            access_token_validity=cdk.Duration.hours(1),
            refresh_token_validity=cdk.Duration.hours(12),
            read_attributes=cognito.ClientAttributes()
            .with_standard_attributes(email=True, email_verified=True, fullname=True)
            .with_custom_attributes(*CUSTOM_ATTRIBUTES),
            # Users can never write their own agency, employee id or role.
            write_attributes=cognito.ClientAttributes().with_standard_attributes(fullname=True),
        )

    @property
    def issuer(self) -> str:
        """The `iss` claim of the pool's tokens."""
        return self.user_pool.user_pool_provider_url

    @property
    def audience(self) -> str:
        """The `aud` claim of ID tokens: the web client's id."""
        return self.client.user_pool_client_id
