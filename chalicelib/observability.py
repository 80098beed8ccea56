"""One Logger and one Metrics for the process, made on first use; the tracer only inside Lambda.

Logs carry ids only, never names, emails, notes or tokens.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

from chalicelib.config import settings

# These libraries log whole requests and responses at DEBUG, which would put client data in the logs.
CHATTY_LIBRARIES = ("botocore", "boto3", "pynamodb", "urllib3", "s3transfer")


# The local stack serves requests on threads: two Loggers made at once would share one stdlib logger, and
# the second would take Chalice's plain handler as its own (append_keys then fails on every request).
_FIRST_USE = threading.Lock()


def log() -> Any:
    """The service's logger, made once even when several threads ask for it first."""
    with _FIRST_USE:
        return _logger()


@cache
def _logger() -> Any:
    """The service's logger; also keeps the AWS libraries from logging item contents, whatever the level."""
    from aws_lambda_powertools import Logger

    _quiet_libraries()
    logger = Logger(service=settings().service_name)
    logger.append_keys(**_pending_keys)
    return logger


_pending_keys: dict[str, Any] = {}


def request_keys(**keys: Any) -> None:
    """Keys for every log line of this request.

    Most requests write no log line, so the Logger (and Powertools' import, a tenth of a cold start) waits
    for the first line; until then the keys wait here.
    """
    _quiet_libraries()
    with _FIRST_USE:
        if _logger.cache_info().currsize:
            _logger().append_keys(**keys)
        else:
            _pending_keys.update(keys)


@cache
def _quiet_libraries() -> None:
    import logging

    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)


@cache
def metrics() -> Any:
    from aws_lambda_powertools import Metrics

    cfg = settings()
    return Metrics(namespace=cfg.metrics_namespace, service=cfg.service_name)


@cache
def tracer() -> Any:
    """The X-Ray tracer in Lambda; elsewhere None, so nothing imports aws_xray_sdk."""
    if not settings().in_lambda:
        return None
    from aws_lambda_powertools import Tracer

    # Only botocore: every AWS call (DynamoDB through pynamodb, SES, Chime) goes through it. Patching all that
    # the X-Ray SDK supports would also import requests and its friends on every cold start.
    return Tracer(service=settings().service_name, patch_modules=["botocore"])


def count(name: str, value: int = 1, **dimensions: str) -> None:
    """Add to a business metric; dimensions are low-cardinality labels, never ids or personal data."""
    from aws_lambda_powertools.metrics import MetricUnit

    metric_name = name + "".join(f".{k}={v}" for k, v in sorted(dimensions.items())) if dimensions else name
    metrics().add_metric(name=metric_name.replace("=", "_"), unit=MetricUnit.Count, value=value)


def flush() -> None:
    """Write the request's metrics (EMF to stdout in Lambda; dropped when metrics are disabled)."""
    m = metrics.cache_info().currsize and metrics()
    if m and m.metric_set:  # nothing counted: nothing to write (Powertools would warn on every quiet request)
        m.flush_metrics(raise_on_empty_metrics=False)
