"""The rule tests need no storage: the logic imports neither the storage library nor the local AWS."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_the_rules_import_no_storage_library_and_no_aws_fake():
    # Given a fresh interpreter
    # When every module of the logic, and the in-memory twins, are imported
    script = ("import sys, pkgutil, importlib, chalicelib.logic as logic; "
              "[importlib.import_module('chalicelib.logic.' + m.name) for m in pkgutil.iter_modules(logic.__path__)]; "
              "import tests.memory; "
              "print(sorted(n for n in ('pynamodb', 'moto', 'boto3') if n in sys.modules))")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    # Then none of them was loaded
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
