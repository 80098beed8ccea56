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


def start_moto(host: str = "127.0.0.1") -> MotoServer:
    """Start moto on a free port, in a thread of this process."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    server = make_server(host, 0, serialized(DomainDispatcherApplication(create_backend_app)), threaded=True,
                         request_handler=MotoRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="moto")
    thread.start()

    def stop() -> None:
        server.shutdown()
        thread.join()

    return MotoServer(f"http://{host}:{server.server_address[1]}", stop)
