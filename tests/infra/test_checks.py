"""cdk-nag (AwsSolutions, HIPAA Security) and cfn-lint pass on the synthesized template."""

from __future__ import annotations

import re
from pathlib import Path

from cfnlint.api import lint_file  # type: ignore[import-untyped]
from visits_infra.acknowledgments import acks

from tests.infra.conftest import Synth

INFRA_DOC = Path(__file__).resolve().parents[2] / "docs" / "INFRA.md"
MAX_ACKNOWLEDGMENTS = 15


def test_cdk_nag_has_no_unacknowledged_finding(synth: Synth) -> None:
    assert synth.nag_failure is None, synth.nag_failure


def test_acknowledgments_are_few_specific_and_documented(synth: Synth) -> None:
    listed = acks(synth.stack.stack_name)
    assert len(listed) <= MAX_ACKNOWLEDGMENTS
    doc = INFRA_DOC.read_text()
    for ack in listed:
        assert len(ack.reason) >= 80, ack
        rule = re.sub(r"^[A-Za-z.]+::", "", ack.rule).split("[")[0]
        assert rule in doc, rule
        assert ack.path in doc, ack.path
    assert f"{len(listed)} acknowledgments" in doc


def test_cfn_lint_finds_nothing(synth: Synth) -> None:
    matches = lint_file(synth.template_path)
    assert [str(m) for m in matches] == []
