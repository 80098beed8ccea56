"""Observability: business metrics by name, no tracer (and no X-Ray SDK) outside Lambda."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_invites_joins_and_ends_are_counted(agency):
    from chalicelib.observability import metrics

    captured: list[str] = []
    real = metrics().add_metric

    def spy(name: str, unit: object, value: float, **kwargs: object) -> None:
        captured.append(name)
        real(name=name, unit=unit, value=value, **kwargs)

    metrics().add_metric = spy  # type: ignore[method-assign]
    try:
        vid = agency.visit()
        agency.invite(vid)
        agency.clock_in(vid)
        agency.join(vid)
        agency.hang_up(vid)
    finally:
        metrics().add_metric = real  # type: ignore[method-assign]
    assert captured == ["InvitesSent.delivery_email", "Joins.side_employee", "SessionsEnded.reason_hang_up"]


def test_tracer_and_xray_sdk_are_not_loaded_outside_lambda():
    script = ("import sys, app; from chalicelib.observability import tracer; "
              "assert tracer() is None; print('aws_xray_sdk' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_each_log_line_is_written_once_as_json():
    # Given the app imported as Lambda does, and the service logger in use
    script = ("import app; from chalicelib.observability import log; "
              "log().warning('sweep fell behind', extra={'shard': 1})")
    # When one line is logged
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    # Then stdout holds exactly that line, once, as Powertools' JSON (Chalice's own plain handler is not added)
    lines = [line for line in (out.stdout + out.stderr).splitlines() if "sweep fell behind" in line]
    assert len(lines) == 1, lines
    assert lines[0].startswith("{") and '"shard":1' in lines[0]
