"""Rotating the link key in Secrets Manager (moto) under the running app: no sent link dies, no resend is dead.

Each `Services` here stands for one warm Lambda function with its own copy of the key; the secret is rotated
the way docs/DEPLOY.md says (`put-secret-value`), which moves the old version to AWSPREVIOUS.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import boto3
import pytest

from chalicelib.config import settings
from chalicelib.integrations.local_meetings import LocalMeetings
from chalicelib.link_keys import LinkKeys
from chalicelib.services import Services, use_services
from tests.conftest import NOW, iso, link_token_in, sent_emails

KEY_1, KEY_2, KEY_3 = "a1" * 32, "b2" * 32, "c3" * 32


@dataclass
class Secret:
    client: Any
    arn: str
    clock: Any

    def rotate(self, value: str) -> None:
        self.client.put_secret_value(SecretId=self.arn, SecretString=value)

    def warm_function(self) -> Services:
        """A new execution environment: it reads the secret on first use and keeps its copy."""
        cfg = replace(settings(), link_key_secret_id=self.arn)
        return Services(cfg, clock=self.clock, meetings=LocalMeetings())


@pytest.fixture
def secret(services: Services, clock: Any) -> Iterator[Secret]:
    client = boto3.client("secretsmanager", region_name="us-east-1")
    arn = client.create_secret(Name="virtual-visits-link-key", SecretString=KEY_1)["ARN"]
    yield Secret(client, arn, clock)
    use_services(services)


def _emailed_token(flow: Any, vid: str) -> str:
    response = flow.invite(vid)
    assert response.status_code == 200, response.body
    text = sent_emails()[-1].get_body(preferencelist=("plain",)).get_content()
    return link_token_in(text)


def _opens(flow: Any, token: str) -> bool:
    return bool(flow.client("view", token).status_code == 200)


def test_the_app_reads_the_key_from_the_secret(secret: Secret, make_visit: Any, flow: Any) -> None:
    function = secret.warm_function()
    use_services(function)
    token = _emailed_token(flow, make_visit())
    assert isinstance(function.link_keys, LinkKeys) and function.link_keys.rotatable
    assert _opens(flow, token)


def test_r09_a_resend_after_a_key_rotation_sends_the_link_already_sent(
        secret: Secret, make_visit: Any, flow: Any) -> None:
    # Given an invite sent under the first key
    use_services(secret.warm_function())
    vid = make_visit()
    first = _emailed_token(flow, vid)
    # When the key rotates and a function that read the new key resends
    secret.rotate(KEY_2)
    use_services(secret.warm_function())
    resent = _emailed_token(flow, vid)
    # Then the client gets the same link, and it opens; a new visit's link (new key) opens too
    assert resent == first
    assert _opens(flow, first)
    assert _opens(flow, _emailed_token(flow, make_visit()))


def test_r09_a_function_that_missed_the_rotation_resends_the_link_the_client_has(
        secret: Secret, make_visit: Any, flow: Any) -> None:
    # Given a warm function holding the first key
    stale = secret.warm_function()
    use_services(stale)
    old_visit = make_visit()
    old_link = _emailed_token(flow, old_visit)
    # And, after a rotation, another function inviting to a new visit under the second key
    secret.rotate(KEY_2)
    use_services(secret.warm_function())
    new_visit = make_visit()
    new_link = _emailed_token(flow, new_visit)
    # When the stale function resends both invites
    use_services(stale)
    # Then it sends exactly the links the client has, and they open
    assert _emailed_token(flow, new_visit) == new_link
    assert _emailed_token(flow, old_visit) == old_link
    assert _opens(flow, new_link) and _opens(flow, old_link)


def test_r09_a_link_from_two_rotations_ago_is_issued_again_and_both_links_open(
        secret: Secret, make_visit: Any, flow: Any, api: Any, tokens: dict[str, str]) -> None:
    # Given a link sent before two rotations (neither current nor previous key derives it any more)
    use_services(secret.warm_function())
    vid = make_visit()
    first = _emailed_token(flow, vid)
    secret.rotate(KEY_2)
    secret.rotate(KEY_3)
    use_services(secret.warm_function())
    # When the caregiver resends
    second = _emailed_token(flow, vid)
    # Then the link is issued again under the current key: both the old and the new link open
    assert second != first
    assert _opens(flow, first) and _opens(flow, second)
    # And every later resend sends the new link again (R09), recorded on the timeline
    assert _emailed_token(flow, vid) == second
    assert flow.timeline(vid).count("invite_sent") == 3
    # And the copied link is the same link
    copied = flow.invite(vid, "link").json_body["join_url"].split("#", 1)[1]
    assert copied == second


def test_r10_a_new_time_still_retires_the_old_link_after_a_rotation(
        secret: Secret, make_visit: Any, flow: Any, api: Any, tokens: dict[str, str]) -> None:
    # Given a link sent under the first key, and a rotation
    use_services(secret.warm_function())
    vid = make_visit()
    first = _emailed_token(flow, vid)
    secret.rotate(KEY_2)
    use_services(secret.warm_function())
    # When the coordinator moves the visit's end and the caregiver sends the invite again
    moved = api.call("PATCH", f"/api/visits/{vid}", {"end": iso(NOW + timedelta(minutes=70))}, tokens["coord"])
    assert moved.status_code == 200, moved.body
    fresh = _emailed_token(flow, vid)
    # Then the old link no longer opens and the new one does
    assert fresh != first
    assert not _opens(flow, first)
    assert _opens(flow, fresh)
