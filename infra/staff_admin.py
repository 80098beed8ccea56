#!/usr/bin/env python3
"""Create an agency, and give staff members a sign-in, in a deployed stack.

    python infra/staff_admin.py create-agency --agency-id sunrise --name "Sunrise Home Care" \
        --time-zone America/New_York --sender invites@agency.example
    python infra/staff_admin.py add-staff --agency-id sunrise --employee-id c-001 --name "Dana Smith" \
        --email dana@agency.example --role coordinator

Items go through the app's own persistence functions; the Cognito user gets the custom claims the
authorizer reads, and Cognito emails a temporary password. Needs AWS credentials for the account.

Every client (CloudFormation, DynamoDB, Cognito) goes to the stack's Region, whatever the shell's
AWS_REGION or AWS_DEFAULT_REGION say: the items and the sign-in must land next to the deployed app.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import boto3

REPO_ROOT = Path(__file__).resolve().parents[1]
REGION = "us-east-1"  # the stack's Region (visits_infra.app.HOME_REGION; tests/infra check they agree)
ROLES = ("employee", "coordinator")


def use_region(region: str) -> None:
    """Point every client this process makes at `region`, the app's settings included (they read AWS_REGION)."""
    os.environ["AWS_REGION"] = region
    os.environ["AWS_DEFAULT_REGION"] = region


def stack_outputs(stack_name: str, cloudformation: Any = None, region: str = REGION) -> dict[str, str]:
    """The stack's outputs by key."""
    client = cloudformation or boto3.client("cloudformation", region_name=region)
    stack = client.describe_stacks(StackName=stack_name)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def _bind_table(table_name: str, region: str = REGION) -> Any:
    """Point the app's persistence layer at the stack's table (in the stack's Region); return its directory."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    os.environ["TABLE_NAME"] = table_name
    use_region(region)
    from chalicelib.config import settings
    from chalicelib.persistence import binding, directory

    settings.cache_clear()
    binding.bound.cache_clear()
    binding.bound()
    return directory


def create_agency(table_name: str, agency_id: str, name: str, time_zone: str, sender: str,
                  region: str = REGION) -> None:
    """Write the agency item (fails if the id exists)."""
    _bind_table(table_name, region).put_agency(agency_id, name, time_zone, sender)


def add_staff(
    table_name: str,
    user_pool_id: str,
    *,
    agency_id: str,
    employee_id: str,
    name: str,
    email: str,
    role: str,
    cognito: Any = None,
    region: str = REGION,
) -> None:
    """Create the employee item unless the app already has it, then the Cognito user with its claims."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    directory = _bind_table(table_name, region)
    from chalicelib.errors import NotFound

    directory.get_agency(agency_id)  # the agency must exist first
    try:
        existing = directory.get_employee(agency_id, employee_id)
    except NotFound:
        directory.put_employee(agency_id, employee_id, name, email, role)
    else:
        if (existing.email, existing.role) != (email, role):
            raise ValueError("That employee exists with another email or role; use the app's values.")
    client = cognito or boto3.client("cognito-idp", region_name=region)
    client.admin_create_user(
        UserPoolId=user_pool_id,
        Username=email,
        DesiredDeliveryMediums=["EMAIL"],
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "name", "Value": name},
            {"Name": "custom:agency_id", "Value": agency_id},
            {"Name": "custom:employee_id", "Value": employee_id},
            {"Name": "custom:role", "Value": role},
        ],
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", default="virtual-visits", help="CloudFormation stack name")
    parser.add_argument("--region", default=REGION, help="the stack's Region (every client uses it)")
    parser.add_argument("--table-name", help="instead of reading the stack's TableName output")
    parser.add_argument("--user-pool-id", help="instead of reading the stack's UserPoolId output")
    commands = parser.add_subparsers(dest="command", required=True)
    agency = commands.add_parser("create-agency", help="create a tenant")
    agency.add_argument("--agency-id", required=True)
    agency.add_argument("--name", required=True)
    agency.add_argument("--time-zone", required=True, help="IANA name, e.g. America/New_York")
    agency.add_argument("--sender", required=True, help="invite sender address, under the SES domain")
    staff = commands.add_parser("add-staff", help="create an employee or coordinator and their sign-in")
    staff.add_argument("--agency-id", required=True)
    staff.add_argument("--employee-id", required=True)
    staff.add_argument("--name", required=True)
    staff.add_argument("--email", required=True)
    staff.add_argument("--role", required=True, choices=ROLES)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    use_region(args.region)
    outputs: dict[str, str] = {}
    if not (args.table_name and (args.user_pool_id or args.command == "create-agency")):
        outputs = stack_outputs(args.stack, region=args.region)
    table_name = args.table_name or outputs["TableName"]
    if args.command == "create-agency":
        create_agency(table_name, args.agency_id, args.name, args.time_zone, args.sender, region=args.region)
    else:
        add_staff(
            table_name,
            args.user_pool_id or outputs["UserPoolId"],
            agency_id=args.agency_id,
            employee_id=args.employee_id,
            name=args.name,
            email=args.email,
            role=args.role,
            region=args.region,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
