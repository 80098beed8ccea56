"""The link key in a warm function: read again after a while, the previous version kept for resends.

Secrets Manager is a botocore `Stubber` here (every request checked against the service model); the
whole flow against moto's Secrets Manager and the real routes is in tests/api/test_link_key_rotation.py.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import botocore.session
import pytest
from botocore.stub import Stubber

from chalicelib.link_keys import REFRESH_SECONDS, RETRY_SECONDS, LinkKeys, decode, resend_token

SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:LinkKey-AbCdEf"
HEX_1, HEX_2, HEX_3 = "a1" * 32, "b2" * 32, "c3" * 32


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def secrets() -> Iterator[tuple[Any, Stubber]]:
    client = botocore.session.get_session().create_client(
        "secretsmanager", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def _expect(stubber: Stubber, stage: str, version: str, value: str) -> None:
    stubber.add_response(
        "get_secret_value",
        {"ARN": SECRET, "Name": "LinkKey", "VersionId": version * 32, "SecretString": value, "VersionStages": [stage]},
        {"SecretId": SECRET, "VersionStage": stage},
    )


def _no_previous(stubber: Stubber) -> None:
    stubber.add_client_error("get_secret_value", "ResourceNotFoundException", http_status_code=400,
                             expected_params={"SecretId": SECRET, "VersionStage": "AWSPREVIOUS"})


def test_the_stacks_generated_secret_decodes_to_at_least_256_bits() -> None:
    assert len(decode(HEX_1)) == 48
    with pytest.raises(RuntimeError):
        decode(base64.urlsafe_b64encode(b"x" * 31).decode())


def test_a_warm_function_reads_the_key_again_after_the_refresh_interval(secrets: tuple[Any, Stubber]) -> None:
    client, stubber = secrets
    clock = Clock()
    keys = LinkKeys(client=client, secret_id=SECRET, monotonic=clock)
    _expect(stubber, "AWSCURRENT", "1", HEX_1)
    assert keys.current == decode(HEX_1)
    clock.now += REFRESH_SECONDS - 1
    assert keys.current == decode(HEX_1)  # no second read inside the interval
    _expect(stubber, "AWSCURRENT", "2", HEX_2)
    clock.now += 1
    assert keys.current == decode(HEX_2)  # the rotation is taken up


def test_a_failed_read_keeps_the_key_and_retries_soon(secrets: tuple[Any, Stubber]) -> None:
    client, stubber = secrets
    clock = Clock()
    keys = LinkKeys(client=client, secret_id=SECRET, monotonic=clock)
    _expect(stubber, "AWSCURRENT", "1", HEX_1)
    assert keys.current == decode(HEX_1)
    clock.now += REFRESH_SECONDS
    stubber.add_client_error("get_secret_value", "ThrottlingException", http_status_code=400)
    assert keys.current == decode(HEX_1)
    clock.now += RETRY_SECONDS - 1
    assert keys.current == decode(HEX_1)  # no read before the retry time
    _expect(stubber, "AWSCURRENT", "2", HEX_2)
    clock.now += 1
    assert keys.current == decode(HEX_2)


def test_a_cold_function_without_the_secret_fails_loudly(secrets: tuple[Any, Stubber]) -> None:
    client, stubber = secrets
    stubber.add_client_error("get_secret_value", "AccessDeniedException", http_status_code=400)
    with pytest.raises(client.exceptions.ClientError):
        _ = LinkKeys(client=client, secret_id=SECRET).current


def test_the_previous_key_is_read_once_per_current_version(secrets: tuple[Any, Stubber]) -> None:
    client, stubber = secrets
    clock = Clock()
    keys = LinkKeys(client=client, secret_id=SECRET, monotonic=clock)
    _expect(stubber, "AWSCURRENT", "2", HEX_2)
    _expect(stubber, "AWSPREVIOUS", "1", HEX_1)
    assert keys.known() == (decode(HEX_2), decode(HEX_1))
    assert keys.known() == (decode(HEX_2), decode(HEX_1))  # nothing read again
    clock.now += REFRESH_SECONDS
    _expect(stubber, "AWSCURRENT", "3", HEX_3)
    _expect(stubber, "AWSPREVIOUS", "2", HEX_2)
    assert keys.known() == (decode(HEX_3), decode(HEX_2))


def test_a_secret_never_rotated_has_one_key(secrets: tuple[Any, Stubber]) -> None:
    client, stubber = secrets
    keys = LinkKeys(client=client, secret_id=SECRET)
    _expect(stubber, "AWSCURRENT", "1", HEX_1)
    _no_previous(stubber)
    assert keys.known() == (decode(HEX_1),)
    assert keys.rotatable


def test_a_key_from_the_environment_never_calls_aws() -> None:
    keys = LinkKeys(static=decode(HEX_1))
    assert keys.current == decode(HEX_1)
    assert keys.known() == (decode(HEX_1),)
    assert not keys.rotatable
    issued: list[str] = []
    token = resend_token(keys, lambda key: key.hex()[:8], lambda _: pytest.fail("no lookup"), issued.append)
    assert token == decode(HEX_1).hex()[:8]
    assert issued == []


def _derive(key: bytes) -> str:
    return key.hex()[:8]


def test_r09_a_resend_finds_the_link_made_with_the_previous_key(secrets: tuple[Any, Stubber]) -> None:
    client, stubber = secrets
    keys = LinkKeys(client=client, secret_id=SECRET)
    _expect(stubber, "AWSCURRENT", "2", HEX_2)
    _expect(stubber, "AWSPREVIOUS", "1", HEX_1)
    stored = {_derive(decode(HEX_1))}
    issued: list[str] = []
    assert resend_token(keys, _derive, stored.__contains__, issued.append) == _derive(decode(HEX_1))
    assert issued == []


def test_r09_a_function_that_missed_the_rotation_reads_the_secret_again(secrets: tuple[Any, Stubber]) -> None:
    # Given a warm function still holding key 1, and a link another function made with key 2
    client, stubber = secrets
    keys = LinkKeys(client=client, secret_id=SECRET)
    _expect(stubber, "AWSCURRENT", "1", HEX_1)
    _no_previous(stubber)
    assert keys.current == decode(HEX_1)
    stored = {_derive(decode(HEX_2))}
    # When it resends: key 1 finds nothing, so it reads the secret again
    _expect(stubber, "AWSCURRENT", "2", HEX_2)
    _expect(stubber, "AWSPREVIOUS", "1", HEX_1)
    issued: list[str] = []
    # Then it sends the link the client has
    assert resend_token(keys, _derive, stored.__contains__, issued.append) == _derive(decode(HEX_2))
    assert issued == []


def test_r09_a_link_older_than_two_rotations_is_issued_again_under_the_current_key(
        secrets: tuple[Any, Stubber]) -> None:
    client, stubber = secrets
    keys = LinkKeys(client=client, secret_id=SECRET)
    _expect(stubber, "AWSCURRENT", "3", HEX_3)
    _expect(stubber, "AWSPREVIOUS", "2", HEX_2)
    _expect(stubber, "AWSCURRENT", "3", HEX_3)  # the one read again after the miss; same version
    stored = {_derive(decode(HEX_1))}
    issued: list[str] = []
    token = resend_token(keys, _derive, stored.__contains__, issued.append)
    assert token == _derive(decode(HEX_3))
    assert issued == [token]
