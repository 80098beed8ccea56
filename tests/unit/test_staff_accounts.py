"""The Cognito staff accounts against botocore's Stubber: the requests the real service model accepts, and what
each refusal becomes."""

from __future__ import annotations

import logging
from typing import Any

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError
from botocore.stub import Stubber

from chalicelib.errors import EmailInUse, SignInUnavailable
from chalicelib.integrations.staff_accounts import CognitoAccounts
from chalicelib.records import Employee

POOL = "us-east-1_TestPool1"
ANA = Employee("e-ana", "Ana Ruiz", "ana.ruiz@agency.example.test", "employee")


@pytest.fixture
def cognito() -> Any:
    client = boto3.client("cognito-idp", region_name="us-east-1")
    with Stubber(client) as stubber:
        yield stubber, CognitoAccounts(client, POOL)
        stubber.assert_no_pending_responses()


def test_r36_deactivation_disables_first_then_signs_out_everywhere(cognito):
    stubber, accounts = cognito
    user = {"UserPoolId": POOL, "Username": ANA.email}
    stubber.add_response("admin_disable_user", {}, user)
    stubber.add_response("admin_user_global_sign_out", {}, user)
    accounts.set_active(ANA, False)


def test_r36_someone_who_never_had_a_sign_in_has_nothing_to_disable(cognito):
    stubber, accounts = cognito
    stubber.add_client_error("admin_disable_user", "UserNotFoundException", http_status_code=400)
    accounts.set_active(ANA, False)  # no sign-out call follows
    stubber.add_client_error("admin_update_user_attributes", "UserNotFoundException", http_status_code=400)
    accounts.set_role(ANA, "coordinator")


@pytest.mark.parametrize("code", ["UsernameExistsException", "AliasExistsException"])
def test_r33_an_address_that_signs_in_already_is_refused_beside_the_email(cognito, code):
    stubber, accounts = cognito
    stubber.add_client_error("admin_create_user", code, http_status_code=400)
    with pytest.raises(EmailInUse) as refused:
        accounts.create("ag1", ANA)
    assert (refused.value.status, refused.value.code) == (409, "EMAIL_IN_USE")


def test_any_other_refusal_is_503_and_the_log_holds_no_address(cognito, caplog):
    stubber, accounts = cognito
    stubber.add_client_error("admin_create_user", "TooManyRequestsException", f"no room for {ANA.email}", 429)
    with caplog.at_level(logging.DEBUG), pytest.raises(SignInUnavailable) as refused:
        accounts.create("ag1", ANA)
    assert refused.value.status == 503
    assert ANA.email not in caplog.text and "ana" not in caplog.text.lower()


def test_a_sign_in_service_out_of_reach_is_503():
    class Unreachable:
        def admin_enable_user(self, **_: Any) -> None:
            raise EndpointConnectionError(endpoint_url="https://cognito-idp.us-east-1.amazonaws.com")

    with pytest.raises(SignInUnavailable):
        CognitoAccounts(Unreachable(), POOL).set_active(ANA, True)

