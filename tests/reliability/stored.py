"""The whole table as text, read raw (a Scan, not through the models): what a refused call must leave as it was,
and where personal data must not appear."""

from __future__ import annotations

import json


def all_stored_items() -> list[str]:
    """Every item in the table, every attribute, as sorted JSON lines."""
    from chalicelib.config import settings
    from chalicelib.services import aws_client

    client = aws_client("dynamodb")
    items, start = [], None
    while True:
        page = client.scan(TableName=settings().table_name, **({"ExclusiveStartKey": start} if start else {}))
        items += [json.dumps(item, sort_keys=True) for item in page["Items"]]
        start = page.get("LastEvaluatedKey")
        if not start:
            return sorted(items)
