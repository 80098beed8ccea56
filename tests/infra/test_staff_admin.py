"""infra/staff_admin.py creates an agency and a staff sign-in with the claims the authorizer reads (moto)."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "infra" / "staff_admin.py"
TABLE = "virtual-visits-admin-test"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("staff_admin", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _clear_caches() -> None:
    from chalicelib.config import settings
    from chalicelib.persistence import binding

    settings.cache_clear()
    binding.bound.cache_clear()


@pytest.fixture
def deployed(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    from moto import mock_aws

    monkeypatch.setenv("TABLE_NAME", TABLE)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        import boto3

        _clear_caches()
        from chalicelib.persistence.binding import create_table

        create_table()
        cognito = boto3.client("cognito-idp", region_name="us-east-1")
        pool = cognito.create_user_pool(
            PoolName="staff",
            Schema=[
                {"Name": name, "AttributeDataType": "String", "Mutable": name != "agency_id"}
                for name in ("agency_id", "employee_id", "role")
            ],
        )["UserPool"]["Id"]
        yield {"pool": pool, "cognito": cognito}
    _clear_caches()


def test_first_agency_and_coordinator(deployed: dict[str, Any]) -> None:
    # Given a deployed table and user pool
    admin = _load()
    common = ["--table-name", TABLE, "--user-pool-id", deployed["pool"]]
    # When the operator creates the agency and its first coordinator
    admin.main(
        [
            *common,
            "create-agency",
            "--agency-id",
            "sunrise",
            "--name",
            "Sunrise Home Care",
            "--time-zone",
            "America/New_York",
            "--sender",
            "invites@agency.example.test",
        ]
    )
    admin.main(
        [
            *common,
            "add-staff",
            "--agency-id",
            "sunrise",
            "--employee-id",
            "c-001",
            "--name",
            "Dana Smith",
            "--email",
            "dana@agency.example.test",
            "--role",
            "coordinator",
        ]
    )
    # Then the items exist and the sign-in carries the claims the authorizer reads
    from chalicelib.persistence import directory

    assert directory.get_agency("sunrise").name == "Sunrise Home Care"
    assert directory.get_employee("sunrise", "c-001").role == "coordinator"
    user = deployed["cognito"].admin_get_user(UserPoolId=deployed["pool"], Username="dana@agency.example.test")
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["custom:agency_id"] == "sunrise"
    assert attributes["custom:employee_id"] == "c-001"
    assert attributes["custom:role"] == "coordinator"


def test_staff_needs_an_existing_agency(deployed: dict[str, Any]) -> None:
    admin = _load()
    with pytest.raises(Exception):  # noqa: B017 (the app's own NotFound)
        admin.add_staff(
            TABLE,
            deployed["pool"],
            agency_id="nope",
            employee_id="e",
            name="N",
            email="n@x.test",
            role="employee",
            cognito=deployed["cognito"],
        )


def test_sign_in_for_an_employee_the_app_already_has(deployed: dict[str, Any]) -> None:
    # Given an agency and an employee created in the app
    admin = _load()
    admin.create_agency(TABLE, "sunrise", "Sunrise", "America/New_York", "invites@agency.example.test")
    from chalicelib.persistence import directory

    directory.put_employee("sunrise", "e-7", "Sam Lee", "sam@agency.example.test", "employee")
    # When the operator adds the sign-in
    admin.add_staff(
        TABLE,
        deployed["pool"],
        agency_id="sunrise",
        employee_id="e-7",
        name="Sam Lee",
        email="sam@agency.example.test",
        role="employee",
        cognito=deployed["cognito"],
    )
    # Then the Cognito user exists; a mismatching role is refused
    deployed["cognito"].admin_get_user(UserPoolId=deployed["pool"], Username="sam@agency.example.test")
    with pytest.raises(ValueError, match="another email or role"):
        admin.add_staff(
            TABLE,
            deployed["pool"],
            agency_id="sunrise",
            employee_id="e-7",
            name="Sam Lee",
            email="sam@agency.example.test",
            role="coordinator",
            cognito=deployed["cognito"],
        )


def test_the_script_uses_the_stacks_region(deployed: dict[str, Any]) -> None:
    from visits_infra.app import HOME_REGION

    assert _load().REGION == HOME_REGION


def test_every_client_goes_to_the_stacks_region_whatever_the_shell_says(
        deployed: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the stack (table, user pool, outputs) in us-east-1, and a shell set up for another Region;
    # the app's settings read AWS_REGION before AWS_DEFAULT_REGION
    import boto3

    cloudformation = boto3.client("cloudformation", region_name="us-east-1")
    cloudformation.create_stack(StackName="virtual-visits", TemplateBody=json.dumps({
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {"TableName": {"Value": TABLE}, "UserPoolId": {"Value": deployed["pool"]}},
    }))
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    _clear_caches()
    admin = _load()
    # When the operator runs both commands with the stack's outputs, every client made by the script
    admin.main(["create-agency", "--agency-id", "sunrise", "--name", "Sunrise", "--time-zone", "America/New_York",
                "--sender", "invites@agency.example.test"])
    admin.main(["add-staff", "--agency-id", "sunrise", "--employee-id", "c-001", "--name", "Dana Smith",
                "--email", "dana@agency.example.test", "--role", "coordinator"])
    # Then the items and the sign-in are in the stack's Region, and nothing went to the shell's
    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    items = dynamodb.scan(TableName=TABLE)["Items"]
    assert {item["sk"]["S"] for item in items} >= {"AGENCY", "EMPLOYEE#c-001"}
    deployed["cognito"].admin_get_user(UserPoolId=deployed["pool"], Username="dana@agency.example.test")
    assert boto3.client("dynamodb", region_name="eu-west-1").list_tables()["TableNames"] == []
