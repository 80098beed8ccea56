"""The process-wide factories hold under concurrent first use (the local stack serves requests on threads).

Found by the race tests of issue 6: 50 requests reaching a fresh local stack together made several
Powertools Loggers, and the one that stuck wrote through Chalice's plain formatter, so every later
request failed with 500 ("'Formatter' object has no attribute 'append_keys'").
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

THREADS = 32


def together(fn: Callable[[], Any], threads: int = THREADS) -> list[Any]:
    """Call fn from many threads released at once."""
    barrier = threading.Barrier(threads, timeout=30)

    def run() -> Any:
        barrier.wait()
        return fn()

    with ThreadPoolExecutor(threads) as pool:
        return [f.result() for f in [pool.submit(run) for _ in range(threads)]]


@pytest.fixture
def fresh_logging() -> Iterator[logging.Logger]:
    """The service logger as a cold process has it: no handler (Chalice adds none), no Powertools Logger yet."""
    from chalicelib import observability

    service = logging.getLogger("virtual-visits")
    saved = (list(service.handlers), dict(vars(service)))
    for attr in ("init", "powertools_handler", "powertools_buffer_config", "powertools_buffer_cache"):
        service.__dict__.pop(attr, None)
    service.handlers = []
    observability._logger.cache_clear()  # as a cold process has it
    yield service
    observability._logger.cache_clear()  # as a cold process has it
    service.handlers = saved[0]
    service.__dict__.clear()
    service.__dict__.update(saved[1])


def test_concurrent_first_use_makes_one_structured_logger(fresh_logging: logging.Logger) -> None:
    from chalicelib.observability import log

    # Given a process whose logger was never used
    # When 32 requests log their keys at the same moment
    def first_request() -> Any:
        logger = log()
        logger.append_keys(request_id="r")  # what the http middleware does first
        return logger

    loggers = together(first_request)
    # Then they all share one Powertools Logger, whose formatter is the structured one
    assert len({id(logger) for logger in loggers}) == 1
    assert hasattr(loggers[0].registered_formatter, "append_keys")
    assert sum(1 for h in fresh_logging.handlers if getattr(h.formatter, "append_keys", None)) == 1


def test_concurrent_first_use_makes_one_services_and_one_meeting_provider() -> None:
    from chalicelib import services as module
    from chalicelib.services import Services, use_services

    # Given a process with no services yet
    use_services(None)
    try:
        # When many requests reach for them at once
        made = together(module.services)
        providers = together(lambda: made[0].meetings)
    finally:
        use_services(None)
    # Then there is one set of services and one video provider, so no request's meeting is lost
    assert len({id(s) for s in made}) == 1
    assert len({id(p) for p in providers}) == 1
    assert isinstance(made[0], Services)
