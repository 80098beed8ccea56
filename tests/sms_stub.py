"""End User Messaging SMS for the API tests: the real `pinpoint-sms-voice-v2` client behind botocore's Stubber, so
every request is validated against the service's model (moto has no such service)."""

from __future__ import annotations

import uuid
from typing import Any

import boto3
from botocore.stub import Stubber

from chalicelib.integrations.sms import SmsTexter

# A pool of the deployment's numbers (docs/DEPLOY.md): the stack grants SendTextMessage on it alone
ORIGIN = "arn:aws:sms-voice:us-east-1:123456789012:pool/pool-0123456789abcdef0123456789abcdef"
CONFIGURATION_SET = "virtual-visits-texts"


class StubbedSms:
    """A stubbed client, the app's texter over it, and the requests it was sent."""

    def __init__(self) -> None:
        self.client = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1",
                                   aws_access_key_id="testing", aws_secret_access_key="testing")
        self.stubber = Stubber(self.client)
        self.requests: list[dict[str, Any]] = []
        self.message_ids: list[str] = []  # what the service answered, in order
        self.client.meta.events.register("provide-client-params.pinpoint-sms-voice-v2.SendTextMessage",
                                         lambda params, **_: self.requests.append(dict(params)))
        self.texter = SmsTexter(self.client, ORIGIN, CONFIGURATION_SET)
        self.stubber.activate()

    def accepts(self, count: int = 1) -> None:
        """The next `count` sends are accepted."""
        for _ in range(count):
            message_id = str(uuid.uuid4())
            self.message_ids.append(message_id)
            self.stubber.add_response("send_text_message", {"MessageId": message_id})

    def refuses(self, code: str, reason: str, status: int = 400) -> None:
        """The next send is refused, as the service refuses it."""
        fields: dict[str, Any] = {"Reason": reason} if reason else {}
        if code == "ConflictException":
            fields.update(ResourceType="opt-out-list", ResourceId="Default")
        self.stubber.add_client_error("send_text_message", service_error_code=code, http_status_code=status,
                                      service_message=f"{code}: {reason}", modeled_fields=fields)

    def done(self) -> None:
        self.stubber.assert_no_pending_responses()
        self.stubber.deactivate()
