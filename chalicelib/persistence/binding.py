"""Binds the models to the configured table when first used, never at import."""

from __future__ import annotations

from functools import cache

from chalicelib.config import settings
from chalicelib.persistence.models import Item


@cache
def bound() -> None:
    """Point every model at this process's table and region."""
    cfg = settings()
    meta = Item.Meta
    meta.table_name = cfg.table_name
    for name, value in (("region", cfg.region), ("host", cfg.dynamodb_endpoint), ("max_retry_attempts", 3)):
        setattr(meta, name, value)
    Item._connection = None
    from chalicelib.persistence.visits import connection

    connection.cache_clear()


def create_table() -> None:
    """Create the table with its indexes and TTL (tests and the local stack)."""
    bound()
    if not Item.exists():
        Item.create_table(wait=True)
    Item.update_ttl(ignore_update_ttl_errors=True)
