"""The table is exactly what the PynamoDB models declare, with HIPAA-grade settings."""

from __future__ import annotations

from typing import Any

from visits_infra.paths import load_table_description

from tests.infra.conftest import Synth


def _table(synth: Synth) -> dict[str, Any]:
    (table,) = synth.resources("AWS::DynamoDB::Table").values()
    return table


def _keys(schema: list[dict[str, str]]) -> dict[str, str]:
    return {k["KeyType"]: k["AttributeName"] for k in schema}


def test_key_schema_and_attributes_match_the_models(synth: Synth) -> None:
    # Given the models' own description of the table
    models = load_table_description()
    # When the stack is synthesized
    props = _table(synth)["Properties"]
    # Then keys and attribute types are the same
    assert _keys(props["KeySchema"]) == _keys(models["key_schema"])
    assert {(a["AttributeName"], a["AttributeType"]) for a in props["AttributeDefinitions"]} == {
        (a["AttributeName"], a["AttributeType"]) for a in models["attribute_definitions"]
    }


def test_every_gsi_matches_the_models(synth: Synth) -> None:
    models = load_table_description()
    expected = {
        gsi["index_name"]: (
            _keys(gsi["key_schema"]),
            gsi["projection"]["ProjectionType"],
            sorted(gsi["projection"].get("NonKeyAttributes", [])),
        )
        for gsi in models["global_secondary_indexes"]
    }
    actual = {
        gsi["IndexName"]: (
            _keys(gsi["KeySchema"]),
            gsi["Projection"]["ProjectionType"],
            sorted(gsi["Projection"].get("NonKeyAttributes", [])),
        )
        for gsi in _table(synth)["Properties"]["GlobalSecondaryIndexes"]
    }
    assert actual == expected
    assert {"by_employee", "by_client", "open_sessions"} <= set(actual)


def test_on_demand_pitr_kms_ttl_deletion_protection_and_retain(synth: Synth) -> None:
    table = _table(synth)
    props = table["Properties"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert props["SSESpecification"]["SSEType"] == "KMS"
    assert props["SSESpecification"]["KMSMasterKeyId"] == {
        "Fn::GetAtt": [synth.logical_id("AWS::KMS::Key", "DataKey"), "Arn"]
    }
    assert props["TimeToLiveSpecification"] == {
        "AttributeName": load_table_description()["ttl_attribute"],
        "Enabled": True,
    }
    assert props["DeletionProtectionEnabled"] is True
    assert table["DeletionPolicy"] == "Retain"
    assert table["UpdateReplacePolicy"] == "Retain"


def test_app_gets_the_generated_table_name(synth: Synth) -> None:
    table_id = synth.logical_id("AWS::DynamoDB::Table", "DataTable")
    env = synth.resource("APIHandler")["Properties"]["Environment"]["Variables"]
    assert env["TABLE_NAME"] == {"Ref": table_id}
