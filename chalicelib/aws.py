"""One botocore session per process, shared by the DynamoDB connection and every AWS client.

A session loads the endpoint and service data from disk once; two sessions load them twice. boto3 is not
needed for that (its import alone costs about a third of an empty cold start), so clients come straight
from botocore. Nothing here runs at import time.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

# botocore's client creation is not thread-safe (pynamodb keeps a session per thread for that reason);
# the local stack serves requests on threads, so clients are made one at a time.
CLIENT_CREATION = threading.RLock()


@cache
def botocore_session() -> Any:
    """The process's botocore session."""
    import botocore.session

    return botocore.session.get_session()


def make_client(service: str, region: str, endpoint_url: str | None = None, **config: Any) -> Any:
    """A client of `service` from the shared session (AWS_ENDPOINT_URL still applies, as in boto3)."""
    from botocore.config import Config

    with CLIENT_CREATION:
        return botocore_session().create_client(service, region_name=region, endpoint_url=endpoint_url,
                                                config=Config(**config))
