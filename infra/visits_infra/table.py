"""The single DynamoDB table, derived from the PynamoDB models so the two cannot drift."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from constructs import Construct

from visits_infra.paths import load_table_description


@dataclass(frozen=True)
class IndexSpec:
    """One global secondary index as the models declare it."""

    name: str
    partition_key: str
    sort_key: str | None
    projection: str  # ALL, KEYS_ONLY or INCLUDE
    non_key_attributes: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    """The key schema, attribute types, indexes and TTL attribute of the table."""

    partition_key: str
    sort_key: str | None
    attribute_types: dict[str, str]
    indexes: tuple[IndexSpec, ...]
    ttl_attribute: str


def _keys(key_schema: list[dict[str, str]]) -> tuple[str, str | None]:
    by_type = {k["KeyType"]: k["AttributeName"] for k in key_schema}
    return by_type["HASH"], by_type.get("RANGE")


def table_spec(description: dict[str, Any] | None = None) -> TableSpec:
    """Turn `describe_table()` (pynamodb schema dicts) into a TableSpec."""
    desc = description if description is not None else load_table_description()
    pk, sk = _keys(desc["key_schema"])
    types = {a["AttributeName"]: a["AttributeType"] for a in desc["attribute_definitions"]}
    indexes = []
    for gsi in desc["global_secondary_indexes"]:
        ipk, isk = _keys(gsi["key_schema"])
        projection = gsi["projection"]
        indexes.append(
            IndexSpec(
                name=gsi["index_name"],
                partition_key=ipk,
                sort_key=isk,
                projection=projection["ProjectionType"],
                non_key_attributes=tuple(projection.get("NonKeyAttributes", ())),
            )
        )
    return TableSpec(pk, sk, types, tuple(sorted(indexes, key=lambda i: i.name)), desc["ttl_attribute"])


_TYPES = {
    "S": dynamodb.AttributeType.STRING,
    "N": dynamodb.AttributeType.NUMBER,
    "B": dynamodb.AttributeType.BINARY,
}
_PROJECTIONS = {
    "ALL": dynamodb.ProjectionType.ALL,
    "KEYS_ONLY": dynamodb.ProjectionType.KEYS_ONLY,
    "INCLUDE": dynamodb.ProjectionType.INCLUDE,
}


def _attribute(spec: TableSpec, name: str | None) -> dynamodb.Attribute | None:
    if name is None:
        return None
    return dynamodb.Attribute(name=name, type=_TYPES[spec.attribute_types[name]])


class VisitsTable(Construct):
    """On-demand, PITR, KMS-encrypted, TTL, deletion-protected, retained."""

    def __init__(self, scope: Construct, construct_id: str, *, key: kms.IKey) -> None:
        super().__init__(scope, construct_id)
        spec = table_spec()
        self.spec = spec
        partition = _attribute(spec, spec.partition_key)
        assert partition is not None
        self.table = dynamodb.Table(
            self,
            "Table",
            partition_key=partition,
            sort_key=_attribute(spec, spec.sort_key),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryption_key=key,
            time_to_live_attribute=spec.ttl_attribute,
            deletion_protection=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        for index in spec.indexes:
            index_partition = _attribute(spec, index.partition_key)
            assert index_partition is not None
            self.table.add_global_secondary_index(
                index_name=index.name,
                partition_key=index_partition,
                sort_key=_attribute(spec, index.sort_key),
                projection_type=_PROJECTIONS[index.projection],
                non_key_attributes=list(index.non_key_attributes) or None,
            )
