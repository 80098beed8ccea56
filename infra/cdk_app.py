#!/usr/bin/env python3
"""CDK entry point: `cdk synth` and `cdk deploy` run this file from infra/."""

from __future__ import annotations

from visits_infra.app import build_app

if __name__ == "__main__":
    build_app().app.synth()
