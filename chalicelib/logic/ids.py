"""Ids the app makes."""

from __future__ import annotations

import uuid


def new_id() -> str:
    """Opaque ids: they appear in URLs and Chime ids, so they say nothing about anyone."""
    return uuid.uuid4().hex
