"""moto's server as the local DynamoDB and SES, answering one request at a time.

DynamoDB applies each conditional write and each transaction atomically. moto's threaded server does not:
two requests interleave inside moto, and a cancelled transaction restores a copy of the whole table taken
when it began, undoing the writes other requests made meanwhile. The app's races (tested against this
stack with real threads) must be the app's own, so moto here serves one request at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass
class MotoServer:
    url: str
    stop: Callable[[], None]


def serialized(app: Callable[..., Iterable[bytes]]) -> Callable[..., list[bytes]]:
    """A WSGI app that runs one request at a time, body included."""
    lock = threading.Lock()

    def one_at_a_time(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with lock:
            return list(app(environ, start_response))

    return one_at_a_time


class _Forgetful(list[Any]):
    """A list that keeps nothing."""

    def append(self, _: Any) -> None:
        return None


def forget_dynamodb_objects() -> None:
    """Stop moto from keeping every DynamoDB object it ever made.

    moto lists each model object it creates, for its dashboard (/moto-api/data.json), and never lets go. Every
    transaction deep-copies the whole table for its rollback, so the local stack kept one more copy of the
    table per write: memory grew without bound, and the outbox (which reads data.json) took seconds, then
    failed. The stored data is untouched; only the dashboard no longer lists DynamoDB objects.
    """
    import moto.dynamodb.models  # noqa: F401 - registers the DynamoDB model classes
    from moto.core.model_instances import model_data

    for model in model_data["dynamodb"].values():
        if not isinstance(getattr(model, "instances_tracked", None), _Forgetful):
            model.instances_tracked = _Forgetful()  # type: ignore[attr-defined]


def start_moto(host: str = "127.0.0.1") -> MotoServer:
    """Start moto on a free port, in a thread of this process."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    forget_dynamodb_objects()

    server = make_server(host, 0, serialized(DomainDispatcherApplication(create_backend_app)), threaded=True,
                         request_handler=MotoRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="moto")
    thread.start()

    def stop() -> None:
        server.shutdown()
        thread.join()

    return MotoServer(f"http://{host}:{server.server_address[1]}", stop)
