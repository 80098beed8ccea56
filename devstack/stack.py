"""Starts and stops the local stack, in this process (`make dev`) or as a child process (tests)."""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
import threading
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devstack.demo_data import AGENCIES

ROOT = Path(__file__).resolve().parent.parent
READY = "DEVSTACK_READY"


class _LateGateway:
    """The HTTP server binds its port before the app exists (the app needs the port for its links)."""

    inner: Any = None

    def handle_request(self, *args: Any) -> Any:
        return self.inner.handle_request(*args)


@dataclass
class LocalStack:
    url: str
    agency_ids: list[str]
    _stoppers: list[Any] = field(default_factory=list)

    def stop(self) -> None:
        for stop in reversed(self._stoppers):
            stop()


def _environment(public_url: str, moto_url: str) -> None:
    stage = json.loads((ROOT / ".chalice" / "config.json").read_text())
    env = {**stage["environment_variables"], **stage["stages"]["local"]["environment_variables"]}
    env.update({
        "PUBLIC_BASE_URL": public_url,
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_DEFAULT_REGION": "us-east-1",
        # Fresh for every run: tokens and links of an earlier run never work again.
        "LOCAL_JWT_SECRET": secrets.token_urlsafe(32),
        "LINK_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("="),
        "DEV_AGENCY_IDS": ",".join(agency.agency_id for agency in AGENCIES),
    })
    os.environ.update(env)


def start(port: int, host: str = "127.0.0.1", sweep_seconds: float = 60.0) -> LocalStack:
    """Run moto, the app and the front end on one port; return once they answer."""
    import logging

    from devstack.moto_server import start_moto
    from devstack.server import serve

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    profile = os.environ.get("DEVSTACK_PROFILE")  # the load benchmark's per-request CPU profile
    if profile:
        from devstack.profiling import start_moto_process

        moto = start_moto_process()  # its own process: this one's heap and GIL hold the app alone, as a Lambda's do
    else:
        moto = start_moto()
    late = _LateGateway()
    from chalicelib.dev.outbox import read_everything

    moto_url = moto.url

    def outbox() -> list[dict[str, Any]]:
        from chalicelib.services import services

        return read_everything(moto_url, services().texter)

    httpd = serve(host, port, late, ROOT / "frontend" / "dist", outbox)
    url = f"http://{host}:{httpd.server_address[1]}"
    _environment(url, moto_url)

    import boto3
    from chalice.config import Config
    from chalice.local import LocalGateway

    from app import app
    from chalicelib.clock import system_clock
    from chalicelib.persistence.binding import create_table
    from chalicelib.services import services
    from devstack.demo_data import seed

    if profile:
        from devstack.profiling import install_botocore_hooks

        install_botocore_hooks()  # before the app makes its first client
    create_table()
    ses = boto3.client("sesv2", region_name="us-east-1")
    agency_ids = seed(services(), system_clock())
    for agency in AGENCIES:
        ses.create_email_identity(EmailIdentity=agency.domain)
    _one_request_per_thread(app)
    config = Config.create(chalice_stage="local", app_name="virtual-visits", lambda_timeout=60,
                           lambda_memory_size=512)
    late.inner = LocalGateway(app, config)
    stoppers: list[Any] = []
    if profile:
        from devstack.profiling import ProfiledApp, ProfiledGateway, ProfileSink

        sink = ProfileSink(profile)
        profiled: Any = ProfiledApp(app, sink)  # the app, as far as the gateway can tell
        late.inner = ProfiledGateway(LocalGateway(profiled, config), sink)
        stoppers.append(sink.close)
    threading.Thread(target=httpd.serve_forever, daemon=True, name="http").start()
    stop_sweep = threading.Event()
    threading.Thread(target=_sweeper, args=(stop_sweep, sweep_seconds, services), daemon=True,
                     name="sweep").start()
    return LocalStack(url, agency_ids, [*stoppers, moto.stop, httpd.shutdown, stop_sweep.set])


def _one_request_per_thread(app: Any) -> None:
    """Give each server thread its own `app.current_request`, as `chalice local` does.

    A Lambda runs one request at a time, so Chalice keeps the current request on the app object. This
    server runs requests on threads: without this, a request could read another's caller and body.
    """
    from chalice.local import LocalChalice

    if not isinstance(app, LocalChalice):
        app.__class__ = type("ThreadLocalChalice", (LocalChalice, type(app)), {})


def _sweeper(stop: threading.Event, every: float, services: Any) -> None:
    """Chalice schedules never fire locally, so the stack runs the sweep itself."""
    from chalicelib.config import settings
    from chalicelib.logic.expiry import sweep_expired_sessions

    while not stop.wait(every):
        try:
            sweep_expired_sessions(services(), services().clock(), settings().sweep_batch)
        except Exception as exc:  # keep sweeping; one failed pass must not stop the loop
            print(f"sweep failed: {exc!r}", file=sys.stderr)


@dataclass
class ChildStack:
    """The stack in a child process, for tests and benchmarks."""

    url: str
    process: subprocess.Popen[str]
    output: deque[str] = field(default_factory=lambda: deque(maxlen=200))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_stack(port: int = 0, sweep_seconds: float = 60.0, timeout: float = 60.0) -> ChildStack:
    """Start `python -m devstack` as a child and wait until it answers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "APP_STAGE", "TABLE_NAME"))}
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "devstack", "--port", str(port), "--sweep-seconds", str(sweep_seconds), "--quiet"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    try:
        for line in process.stdout:
            if line.startswith(READY):
                stack = ChildStack(line.split()[1], process)
                # Keep reading what the child prints (its logs): a full pipe would block its next log line.
                threading.Thread(target=drain, args=(process.stdout, stack.output), daemon=True,
                                 name="devstack-output").start()
                return stack
    finally:
        timer.cancel()
    raise RuntimeError(f"the local stack did not start (exit code {process.poll()})")


def drain(stream: Any, keep: deque[str]) -> None:
    """Read a stream to its end, keeping its last lines."""
    for line in stream:
        keep.append(line)
