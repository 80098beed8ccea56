"""R36 (and R33's staff list): a coordinator deactivates an employee or changes their role; the authorizer's check
refuses a deactivated employee and acts with the new role; their upcoming visits wait on the board for reassignment."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber

from chalicelib.clock import ShiftedClock
from chalicelib.errors import (
    EmailInUse,
    EmployeeDeactivated,
    Forbidden,
    NotFound,
    OwnAccount,
    ServiceBusy,
    SignInUnavailable,
    Unauthorized,
)
from chalicelib.integrations.staff_accounts import CognitoAccounts
from chalicelib.logic import listings, staff
from chalicelib.logic.agency_admin import change_visit
from chalicelib.logic.board import board
from chalicelib.logic.cancel import cancel_visit
from tests.conftest import NOW, seed_world
from tests.memory import memory_services
from tests.unit.conftest import CAREGIVER, COLLEAGUE, COORDINATOR, OTHER_COORDINATOR

POOL = "us-east-1_TestPool1"


def token_of(employee_id: str, role: str = "employee") -> dict[str, str]:
    return {"agency_id": "ag1", "employee_id": employee_id, "role": role}


def change(agency: Any, employee_id: str, caller=COORDINATOR, **body: Any) -> dict[str, Any]:
    return staff.change_employee(agency.services, caller, employee_id, body, agency.now())


def test_r36_a_deactivated_employee_is_refused_and_a_reactivated_one_let_back_in(agency):
    # Given Maria signed in
    assert staff.signed_in(agency.services, token_of("emp1"))["role"] == "employee"
    # When the coordinator deactivates her
    off = change(agency, "emp1", active=False)
    assert (off["active"], off["deactivated_at"]) == (False, "2026-11-25T15:00:00Z")
    # Then the token she holds is refused (401)
    with pytest.raises(Unauthorized):
        staff.signed_in(agency.services, token_of("emp1"))
    # And when she is reactivated, it works again
    assert change(agency, "emp1", active=True)["active"] is True
    assert staff.signed_in(agency.services, token_of("emp1"))["employee_id"] == "emp1"


def test_r36_after_a_role_change_the_same_token_acts_with_the_new_role(agency):
    # Given a caregiver's token that says "employee"
    claims = token_of("emp2")
    # When the coordinator makes James a coordinator
    assert change(agency, "emp2", role="coordinator")["role"] == "coordinator"
    # Then the authorizer gives the directory's role, and coordinators' actions work for him
    assert staff.signed_in(agency.services, claims)["role"] == "coordinator"
    # And a coordinator's token of someone made an employee acts as an employee
    change(agency, "emp2", role="employee")
    assert staff.signed_in(agency.services, token_of("emp2", "coordinator"))["role"] == "employee"


def test_r36_a_token_of_someone_not_in_the_directory_is_refused(agency):
    with pytest.raises(Unauthorized):
        staff.signed_in(agency.services, token_of("nobody"))
    with pytest.raises(Unauthorized):  # another agency's employee id under this agency
        staff.signed_in(agency.services, token_of("emp3"))


def test_r36_nobody_deactivates_themselves_or_changes_their_own_role(agency):
    with pytest.raises(OwnAccount) as refused:
        change(agency, "coord1", active=False)
    assert refused.value.message == "The field 'active' cannot change for your own account."
    with pytest.raises(OwnAccount) as refused:
        change(agency, "coord1", role="employee")
    assert refused.value.message == "The field 'role' cannot change for your own account."
    assert change(agency, "coord1", role="coordinator")["role"] == "coordinator"  # no change is no change


def test_r36_only_a_coordinator_of_the_agency_changes_staff(agency):
    with pytest.raises(Forbidden):
        change(agency, "emp2", CAREGIVER, active=False)
    with pytest.raises(NotFound):
        change(agency, "emp1", OTHER_COORDINATOR, active=False)
    assert staff.signed_in(agency.services, token_of("emp1"))


def test_r36_a_deactivated_employees_upcoming_visits_are_listed_for_reassignment(agency):
    # Given Maria has a visit under way (not clocked in), one tomorrow, one done and one cancelled
    now_visit = agency.visit()
    tomorrow = agency.visit(start=NOW + timedelta(days=1), virtual=False, service="PC")
    done = agency.visit(start=NOW - timedelta(hours=3))
    cancelled = agency.visit(start=NOW + timedelta(days=2))
    cancel_visit(agency.services, COORDINATOR, cancelled, agency.now())
    assert done not in [v["id"] for v in board(agency.services, COORDINATOR, None, agency.now())["reassign"]]
    # When she is deactivated
    change(agency, "emp1", active=False)
    # Then the board lists her visits still ahead, soonest first, whatever their day
    listed = board(agency.services, COORDINATOR, None, agency.now())["reassign"]
    assert [v["id"] for v in listed] == [now_visit, tomorrow]
    assert listed[0]["employee"] == {"id": "emp1", "name": "Maria Lopez", "active": False}
    # And today's row shows its caregiver as deactivated
    rows = board(agency.services, COORDINATOR, None, agency.now())["visits"]
    assert next(r for r in rows if r["id"] == now_visit)["employee"]["active"] is False
    # When one is reassigned and the other cancelled, the list is empty and she needs no more looking up
    change_visit(agency.services, COORDINATOR, now_visit, {"employee_id": "emp2"}, agency.now())
    assert [v["id"] for v in board(agency.services, COORDINATOR, None, agency.now())["reassign"]] == [tomorrow]
    cancel_visit(agency.services, COORDINATOR, tomorrow, agency.now())
    assert board(agency.services, COORDINATOR, None, agency.now())["reassign"] == []
    assert agency.services.directory.employee("ag1", "emp1").to_reassign is False


def test_r36_a_deactivated_employees_visits_that_passed_leave_the_list_and_the_board_stops_looking(agency):
    # Given a deactivated caregiver whose one visit was left to end
    vid = agency.visit(employee="emp2", minutes=30)
    change(agency, "emp2", active=False)
    assert [v["id"] for v in board(agency.services, COORDINATOR, None, agency.now())["reassign"]] == [vid]
    # When it is over
    agency.advance(30)
    # Then the board lists nothing, and no longer looks them up
    assert board(agency.services, COORDINATOR, None, agency.now())["reassign"] == []
    assert agency.services.directory.employee("ag1", "emp2").to_reassign is False


def test_r36_no_visit_goes_to_a_deactivated_employee(agency):
    change(agency, "emp2", active=False)
    with pytest.raises(EmployeeDeactivated) as refused:
        agency.visit(employee="emp2")
    assert refused.value.message == "The field 'employee_id' names a deactivated employee."
    vid = agency.visit()
    with pytest.raises(EmployeeDeactivated):
        change_visit(agency.services, COORDINATOR, vid, {"employee_id": "emp2"}, agency.now())


def test_r33_the_staff_list_searches_names_emails_and_roles(agency):
    names = [e["name"] for e in listings.employees(agency.services, COORDINATOR, "")]
    assert names == ["Dana Whitfield", "James Okafor", "Maria Lopez"]
    assert [e["name"] for e in listings.employees(agency.services, COORDINATOR, "lop")] == ["Maria Lopez"]
    assert [e["name"] for e in listings.employees(agency.services, COORDINATOR, "coordinator")] == ["Dana Whitfield"]
    assert [e["name"] for e in listings.employees(agency.services, COORDINATOR, "JAMES sunrise")] == ["James Okafor"]
    with pytest.raises(Forbidden):
        listings.employees(agency.services, COLLEAGUE, "")


# The sign-in service (Cognito) through botocore's Stubber: the same requests the real service model validates.

@pytest.fixture
def cognito() -> Any:
    client = boto3.client("cognito-idp", region_name="us-east-1")
    with Stubber(client) as stubber:
        yield stubber, client
        stubber.assert_no_pending_responses()


@pytest.fixture
def in_aws(cognito: Any) -> Any:
    """The rules with the Cognito accounts, over in-memory stores."""
    clock = ShiftedClock(base=lambda: NOW)
    services, tables, _ = memory_services(clock, staff_accounts=CognitoAccounts(cognito[1], POOL))
    seed_world(services)
    return services, cognito[0], tables


def by_email(email: str) -> dict[str, str]:
    return {"UserPoolId": POOL, "Username": email}


def test_r36_deactivating_in_aws_disables_the_user_and_signs_them_out_everywhere(in_aws):
    services, stubber, _ = in_aws
    maria = by_email("maria@sunrise.example.test")
    stubber.add_response("admin_disable_user", {}, maria)
    stubber.add_response("admin_user_global_sign_out", {}, maria)
    staff.change_employee(services, COORDINATOR, "emp1", {"active": False}, NOW)
    assert services.directory.employee("ag1", "emp1").active is False
    stubber.add_response("admin_enable_user", {}, maria)
    staff.change_employee(services, COORDINATOR, "emp1", {"active": True}, NOW)


def test_r36_a_role_change_in_aws_changes_the_claim_the_next_tokens_carry(in_aws):
    services, stubber, _ = in_aws
    stubber.add_response("admin_update_user_attributes", {}, {
        **by_email("james@sunrise.example.test"), "UserAttributes": [{"Name": "custom:role", "Value": "coordinator"}]})
    assert staff.change_employee(services, COORDINATOR, "emp2", {"role": "coordinator"}, NOW)["role"] == "coordinator"


def test_r36_when_the_sign_in_service_fails_nothing_changes(in_aws):
    services, stubber, tables = in_aws
    stubber.add_client_error("admin_disable_user", "TooManyRequestsException", http_status_code=429)
    writes = tables.writes
    with pytest.raises(SignInUnavailable) as refused:
        staff.change_employee(services, COORDINATOR, "emp1", {"active": False}, NOW)
    assert refused.value.status == 503 and tables.writes == writes
    assert services.directory.employee("ag1", "emp1").active is True


def test_r36_when_the_directory_fails_after_the_sign_in_changed_the_sign_in_is_put_back(in_aws, monkeypatch):
    services, stubber, _ = in_aws
    maria = by_email("maria@sunrise.example.test")
    stubber.add_response("admin_disable_user", {}, maria)
    stubber.add_response("admin_user_global_sign_out", {}, maria)
    stubber.add_response("admin_enable_user", {}, maria)  # the undo

    def busy(*_: Any, **__: Any) -> Any:
        raise ServiceBusy()

    monkeypatch.setattr(services.directory, "update_employee", busy)
    with pytest.raises(ServiceBusy):
        staff.change_employee(services, COORDINATOR, "emp1", {"active": False}, NOW)


def test_r33_adding_an_employee_in_aws_gives_them_a_sign_in_with_the_claims(in_aws):
    services, stubber, _ = in_aws
    stubber.add_response("admin_create_user", {"User": {"Username": "x"}}, {
        "UserPoolId": POOL, "Username": "ana@sunrise.example.test", "DesiredDeliveryMediums": ["EMAIL"],
        "UserAttributes": [
            {"Name": "email", "Value": "ana@sunrise.example.test"}, {"Name": "email_verified", "Value": "true"},
            {"Name": "name", "Value": "Ana Ruiz"}, {"Name": "custom:agency_id", "Value": "ag1"},
            {"Name": "custom:employee_id", "Value": ANY}, {"Name": "custom:role", "Value": "employee"}]})
    added = staff.create_employee(services, COORDINATOR, {"name": "Ana Ruiz", "email": "ana@sunrise.example.test",
                                                          "role": "employee"})
    assert services.directory.employee("ag1", added["id"]).email == "ana@sunrise.example.test"
    assert staff.signed_in(services, token_of(added["id"]))["role"] == "employee"


def test_r33_when_the_directory_fails_after_the_sign_in_was_made_the_sign_in_is_removed(in_aws, monkeypatch):
    services, stubber, _ = in_aws
    stubber.add_response("admin_create_user", {"User": {"Username": "x"}})
    stubber.add_response("admin_delete_user", {}, by_email("ana@sunrise.example.test"))

    def busy(*_: Any, **__: Any) -> Any:
        raise ServiceBusy()

    monkeypatch.setattr(services.directory, "add_employee", busy)
    with pytest.raises(ServiceBusy):
        staff.create_employee(services, COORDINATOR, {"name": "Ana Ruiz", "email": "ana@sunrise.example.test",
                                                      "role": "employee"})
    assert [e.name for e in services.directory.list_employees("ag1")] == ["Dana Whitfield", "Maria Lopez",
                                                                            "James Okafor"]


def test_r33_an_address_that_already_signs_in_is_refused_beside_the_email_and_nothing_is_written(in_aws):
    services, stubber, tables = in_aws
    stubber.add_client_error("admin_create_user", "UsernameExistsException", http_status_code=400)
    writes = tables.writes
    with pytest.raises(EmailInUse) as refused:
        staff.create_employee(services, COORDINATOR, {"name": "Ana Ruiz", "email": "maria@sunrise.example.test",
                                                      "role": "employee"})
    assert refused.value.message == "The field 'email' is already someone's sign-in." and tables.writes == writes
