"""Where the app lives relative to infra/, and how infra reads the models' table description."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
FRONTEND_DIST = REPO_ROOT / "frontend" / "dist"

# The persistence layer owns the table's shape; infra only reads it.
MODELS_MODULE = "chalicelib.persistence.models"


def load_table_description() -> dict[str, Any]:
    """`describe_table()` from the PynamoDB models (imports chalicelib from the repo root)."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    module = importlib.import_module(MODELS_MODULE)
    description: dict[str, Any] = module.describe_table()
    return description
