"""Reliability and security proof (issue 6): the local stack in a child process, shared by the fuzzing
and race tests, and the switch between the small run in `make test` and the full run in `make reliability`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

# `make reliability` sets RELIABILITY_FULL=1: the full example counts from issue 6. `make test` runs smaller, real runs.
FULL = os.environ.get("RELIABILITY_FULL") == "1"


@pytest.fixture(scope="package")
def live_stack() -> Iterator[Any]:
    """`python -m devstack` on a free port: moto's server as DynamoDB and SES, the app, demo data."""
    from devstack.stack import start_stack

    running = start_stack(port=0)
    try:
        yield running
    finally:
        running.stop()
