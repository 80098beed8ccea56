"""cdk-nag (AwsSolutions, HIPAA Security) and cfn-lint pass on the synthesized template."""

from __future__ import annotations

import json
import re
from pathlib import Path

from cfnlint.api import lint_file  # type: ignore[import-untyped]
from visits_infra.acknowledgments import DEPLOYED_ACKS, acks, deployed_findings_acknowledged
from visits_infra.deployed import nag_findings, sam_generated

from tests.infra.conftest import Synth

INFRA_DOC = Path(__file__).resolve().parents[2] / "docs" / "INFRA.md"
MAX_ACKNOWLEDGMENTS = 15


def test_cdk_nag_has_no_unacknowledged_finding(synth: Synth) -> None:
    assert synth.nag_failure is None, synth.nag_failure


def test_acknowledgments_are_few_specific_and_documented(synth: Synth) -> None:
    listed = acks(synth.stack)
    assert len(listed) <= MAX_ACKNOWLEDGMENTS
    doc = INFRA_DOC.read_text()
    for ack in listed:
        assert len(ack.reason) >= 80, ack
        for rule in ack.rules:
            name = re.sub(r"^[A-Za-z.-]+::", "", rule).split("[")[0]
            assert name in doc, name
        assert ack.path in doc, ack.path
    assert f"{len(listed)} acknowledgments" in doc


def test_cfn_lint_finds_nothing(synth: Synth) -> None:
    matches = lint_file(synth.template_path)
    assert [str(m) for m in matches] == []


def test_deployed_template_has_only_acknowledged_findings_on_sam_resources(synth: Synth) -> None:
    # Given the template after CloudFormation's SAM transform (Lambda, API Gateway stage, rules)
    transformed = synth.transformed
    generated = sam_generated(synth.raw, transformed)
    assert {"APIHandler", "RestAPIv1Stage", "SweepSweepEvent"} <= generated
    # When cdk-nag's two packs check it
    findings = nag_findings(transformed, synth.outdir.parent, synth.stack.region)
    # Then every finding on those resources is one of the documented acknowledgments, and every
    # acknowledgment is still needed
    on_sam = {(rule, logical_id) for rule, logical_id in findings if logical_id in generated}
    assert on_sam == deployed_findings_acknowledged()
    doc = INFRA_DOC.read_text()
    for ack in DEPLOYED_ACKS:
        assert ack.rule in doc and len(ack.reason) >= 80, ack


def test_cfn_lint_finds_nothing_after_the_sam_transform(synth: Synth, tmp_path: Path) -> None:
    path = tmp_path / "transformed.json"
    path.write_text(json.dumps(synth.transformed))
    assert [str(m) for m in lint_file(path)] == []
