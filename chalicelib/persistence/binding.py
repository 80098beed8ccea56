"""Binds the models to the configured table when first used, never at import."""

from __future__ import annotations

from functools import cache
from typing import Any

from pynamodb.connection import Connection

from chalicelib.aws import CLIENT_CREATION, botocore_session
from chalicelib.config import settings
from chalicelib.persistence.models import Item

# The local stack serves up to this many requests at once; Lambda serves one, and opens connections lazily.
POOL_CONNECTIONS = 50


class _SharedSessionConnection(Connection):
    """pynamodb's connection, with its DynamoDB client made from the process's one botocore session."""

    @property
    def session(self) -> Any:
        return botocore_session()


def _models(model: type[Item] = Item) -> list[type[Item]]:
    return [model, *(m for sub in model.__subclasses__() for m in _models(sub))]


@cache
def bound() -> None:
    """Point every model, and transactions, at this process's table through one connection and one client."""
    cfg = settings()
    meta = Item.Meta
    meta.table_name = cfg.table_name
    for name, value in (("region", cfg.region), ("host", cfg.dynamodb_endpoint), ("max_retry_attempts", 3)):
        setattr(meta, name, value)
    models = _models()
    for model in models:
        model._connection = None
    table = Item._get_connection()  # the table's key schema and indexes, from the models
    shared = _SharedSessionConnection(region=cfg.region, host=cfg.dynamodb_endpoint, max_retry_attempts=3,
                                      max_pool_connections=POOL_CONNECTIONS)
    shared.add_meta_table(table.connection.get_meta_table(cfg.table_name))
    table.connection = shared
    for model in models:
        model._connection = table
    with CLIENT_CREATION:
        shared.client  # noqa: B018 - made here, once, rather than by whichever thread asks first


def connection() -> Connection:
    """The connection every model and transaction goes through."""
    bound()
    return Item._get_connection().connection


def create_table() -> None:
    """Create the table with its indexes and TTL (tests and the local stack)."""
    bound()
    if not Item.exists():
        Item.create_table(wait=True)
    Item.update_ttl(ignore_update_ttl_errors=True)
