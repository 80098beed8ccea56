"""API-test fixtures beyond tests/conftest.py: End User Messaging SMS behind botocore's Stubber."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.sms_stub import StubbedSms


@pytest.fixture
def sms(services: Any) -> Iterator[StubbedSms]:
    """The app texts through End User Messaging SMS, stubbed against the real service model."""
    stub = StubbedSms()
    previous = services._texter
    services._texter = stub.texter
    yield stub
    services._texter = previous
    stub.done()
