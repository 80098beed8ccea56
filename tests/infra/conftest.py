"""Synthesize the prod stack once per session (cdk-nag attached) and share the template with every test."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("aws_cdk", reason="infra dependencies: pip install -r infra/requirements.txt")

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
INFRA = Path(__file__).resolve().parents[2] / "infra"
if str(INFRA) not in sys.path:
    sys.path.insert(0, str(INFRA))

from aws_cdk.assertions import Template  # noqa: E402
from visits_infra.app import VisitsStack, build_app  # noqa: E402
from visits_infra.deployed import sam_transform  # noqa: E402


@dataclass
class Synth:
    """One synthesis: the template as JSON and as an assertions Template, and cdk-nag's verdict."""

    stack: VisitsStack
    outdir: Path
    template_path: Path
    raw: dict[str, Any]
    template: Template
    nag_failure: str | None

    @cached_property
    def transformed(self) -> dict[str, Any]:
        """The template after the SAM transform, as CloudFormation deploys it."""
        return sam_transform(self.raw, self.stack.region)

    def resources(self, type_name: str) -> dict[str, dict[str, Any]]:
        """Logical id → resource, for one resource type."""
        return {k: v for k, v in self.raw["Resources"].items() if v["Type"] == type_name}

    def resource(self, logical_id: str) -> dict[str, Any]:
        resource: dict[str, Any] = self.raw["Resources"][logical_id]
        return resource

    def logical_id(self, type_name: str, prefix: str) -> str:
        """The one logical id of `type_name` that starts with `prefix`."""
        matches = [k for k in self.resources(type_name) if k.startswith(prefix)]
        assert len(matches) == 1, (type_name, prefix, matches)
        return matches[0]


def _build_with_retries(outdir: Path, attempts: int = 3) -> Any:
    """Chalice downloads the app's wheels from PyPI on a cold cache; a passing registry failure is retried."""
    import time

    from chalice.deploy.packager import NoSuchPackageError, PackageDownloadError

    for attempt in range(1, attempts + 1):
        try:
            return build_app(outdir=str(outdir))
        except (NoSuchPackageError, PackageDownloadError):
            if attempt == attempts:
                raise
            time.sleep(10 * attempt)
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synth]:
    work = tmp_path_factory.mktemp("infra")
    outdir = work / "cdk.out"
    cwd = Path.cwd()
    os.chdir(work)  # chalice.cdk writes chalice.out/ into the working directory
    try:
        built = _build_with_retries(outdir)
        nag_failure: str | None = None
        try:
            built.app.synth()
        except RuntimeError as error:  # cdk-nag findings make synth raise ValidationFailed
            nag_failure = str(error)
    finally:
        os.chdir(cwd)
    template_path = outdir / f"{built.stack.artifact_id}.template.json"
    raw = json.loads(template_path.read_text())
    yield Synth(built.stack, outdir, template_path, raw, Template.from_json(raw), nag_failure)
