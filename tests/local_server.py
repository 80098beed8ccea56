"""`make dev`'s HTTP server in front of Chalice's local gateway, in this process (its moto), on a free port."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def local_server(dist: Path) -> Iterator[tuple[str, int]]:
    """The server, serving the front end built in `dist`; yields its host and port."""
    from chalice.config import Config
    from chalice.local import LocalGateway

    from app import app
    from devstack.server import serve

    gateway = LocalGateway(app, Config.create(chalice_stage="test", app_name="virtual-visits", lambda_timeout=60,
                                              lambda_memory_size=512))
    httpd = serve("127.0.0.1", 0, gateway, dist, lambda: [])
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield "127.0.0.1", httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()


def exchange(server: tuple[str, int], data: bytes) -> bytes:
    """Send bytes as they are, close the sending side, and read everything the server answers."""
    import socket

    with socket.create_connection(server, timeout=20) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received
