"""The template as CloudFormation will run it: the SAM transform applied, then cdk-nag on the result.

cdk-nag's packs inspect CDK constructs, and Chalice's functions and API are SAM resources
(`AWS::Serverless::*`) that the packs skip. Transforming them locally (aws-sam-translator, the library
behind CloudFormation's SAM transform) turns them into the Lambda functions, API Gateway stage and
EventBridge rules that get deployed, so the same packs can check those too.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"


def sam_transform(template: dict[str, Any], region: str) -> dict[str, Any]:
    """Apply the SAM transform offline (no AWS call: managed policy names are not used here)."""
    from samtranslator.translator.transform import transform  # type: ignore[import-untyped]

    class _NoManagedPolicies:
        def load(self) -> dict[str, str]:
            return {}

    saved = os.environ.get("AWS_DEFAULT_REGION")
    os.environ["AWS_DEFAULT_REGION"] = region  # the translator reads the Region from boto3's session
    try:
        transformed: dict[str, Any] = transform(json.loads(json.dumps(template)), {}, _NoManagedPolicies())
    finally:
        if saved is None:
            os.environ.pop("AWS_DEFAULT_REGION", None)
        else:
            os.environ["AWS_DEFAULT_REGION"] = saved
    return transformed


def sam_generated(template: dict[str, Any], transformed: dict[str, Any]) -> set[str]:
    """Logical ids of the SAM resources and of everything the transform added."""
    before = template["Resources"]
    return {
        logical_id
        for logical_id in transformed["Resources"]
        if logical_id not in before or before[logical_id]["Type"].startswith("AWS::Serverless::")
    }


def nag_findings(transformed: dict[str, Any], workdir: Path, region: str) -> set[tuple[str, str]]:
    """(rule, logical id) for every AwsSolutions and HIPAA Security finding in a transformed template."""
    import aws_cdk as cdk
    from aws_cdk import cloudformation_include
    from cdk_nag import AwsSolutionsChecks, HIPAASecurityChecks

    plain = json.loads(json.dumps(transformed))
    plain.pop("Transform", None)
    plain.pop("Rules", None)  # CDK adds its own bootstrap check again
    plain.get("Parameters", {}).pop("BootstrapVersion", None)
    template_file = workdir / "transformed.template.json"
    template_file.write_text(json.dumps(plain))
    outdir = workdir / "deployed.out"
    app = cdk.App(outdir=str(outdir), context={"@aws-cdk/core:validationReportJson": True})
    stack = cdk.Stack(app, "deployed", env=cdk.Environment(region=region))
    cloudformation_include.CfnInclude(stack, "T", template_file=str(template_file))
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), HIPAASecurityChecks(app))
    with contextlib.suppress(RuntimeError):  # findings make synth fail; they are read from the report
        app.synth()
    report_file = outdir / "validation-report.json"
    if not report_file.exists():
        return set()
    report = json.loads(report_file.read_text())
    findings: set[tuple[str, str]] = set()
    for plugin in report.get("pluginReports", []):
        for violation in plugin.get("violations", []):
            for construct in violation.get("violatingConstructs", []):
                findings.add((violation["ruleName"], construct["constructPath"].split("/")[-1]))
    return findings
