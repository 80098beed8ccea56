"""AWS calls per action (section 2): the counts test's own flow, with each action's minimum and why.

It runs tests/api/test_aws_call_counts.py (moto in-process for DynamoDB and SES, Chime through botocore's
Stubber, every call counted by an `after-call` hook on the process's botocore session), which also asserts
the exact counts, and prints what it measured beside the minimum, with the DynamoDB capacity units.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.report import Section

ROOT = Path(__file__).resolve().parent.parent
TEST = "tests/api/test_aws_call_counts.py"

# The fewest calls each action can make, and why. Where the code makes more, `MINIMUM` says so.
MINIMUM: dict[str, tuple[int, str]] = {
    "POST /api/visits (coordinator schedules)": (
        2, "client, employee and service code checked in one BatchGetItem; the visit is one conditional put"),
    "PATCH /api/visits/{id} (coordinator reschedules, R10)": (
        3, "one Query (visit, session); one transaction (change, timeline line, session's new expiry); the "
           "client summary for the answer lives with the agency's clients: one read"),
    "GET /api/me": (1, "agency and employee: one BatchGetItem"),
    "GET /api/schedule": (3, "one Query on the employee index; the clients' names in one read (a GetItem for "
                             "one client, a BatchGetItem for several); while a visit is under way or about to be, "
                             "its session in one BatchGetItem (is its client waiting? R35), none otherwise"),
    "GET /api/service-codes": (1, "one Query on the agency partition"),
    "GET /api/visits/{id} (dialog opens)": (
        2, "one Query on the visit partition (visit, session); the client summary is the agency's client item, "
           "shared by all its visits (copying it into each visit would make every client edit and bounce N writes)"),
    "GET /api/visits/{id}/session (dialog, call window poll)": (1, "one Query on the visit partition"),
    "POST invite email (first)": (
        5, "read the visit partition, then client, agency and caregiver in one BatchGetItem (the client id is on "
           "the visit); the session and its link are written before the email leaves, so racing first invites "
           "send one link; the invite is recorded only after SES took the email; one SendEmail"),
    "POST invite email (resend)": (
        4, "two reads as above, one SendEmail, one transaction (invite count, time, timeline line)"),
    "POST invite link (copy)": (2, "one Query, one transaction (no one's details are needed for a copied link)"),
    "POST clock-in": (3, "one Query, one transaction (clock time, timeline line), the client summary for the "
                         "visit the dialog shows"),
    "POST /api/join (client page opens the link: marks it opened and waiting, R35)": (
        4, "the link (token -> visit), the visit partition, agency and caregiver names in one BatchGetItem; one "
           "transaction: the first open of this link with its timeline line, and the waiting mark"),
    "POST /api/join (its poll 10 s later: nothing to write)": (
        3, "the same three reads; the waiting mark has 20 s left, so nothing is written"),
    "POST /api/join (its poll 20 s later: renews the waiting mark)": (
        4, "the three reads and one conditional UpdateItem renewing the mark (once in about 20 s of an open page, "
           "none while the caregiver is in the call)"),
    "POST session/join (caregiver, first)": (
        4, "Query, CreateMeeting, CreateAttendee and one transaction recording meeting and presence; the code "
           "records the meeting before making the attendee and the presence after (two transactions), once per "
           "meeting"),
    "POST /api/join/attendee (client, first)": (4, "link, visit partition, CreateAttendee, presence transaction"),
    "POST /api/join/leave (client)": (3, "link, visit partition, presence transaction"),
    "POST /api/join/attendee (client, rejoin)": (4, "as the first join: the same attendee comes back (R24)"),
    "POST session/leave (caregiver closes the window)": (2, "one Query, one presence transaction"),
    "POST session/join (caregiver, rejoin)": (3, "one Query, CreateAttendee, one presence transaction"),
    "PUT notes": (1, "one conditional UpdateItem carries the assignment check; only a refusal reads"),
    "GET timeline": (1, "one Query on the visit partition returns visit, session and timeline"),
    "POST session/end (hang up)": (
        3, "Query, the end transaction, DeleteMeeting; the code adds one UpdateItem: it records the end before "
           "deleting the meeting, so a failed delete is left to the sweep, then takes the session out of the "
           "sweep index"),
    "POST clock-out (after the hang-up)": (3, "one Query, one transaction, the client summary for the answer"),
    "POST clock-out (during the call: ends it, R22)": (
        4, "as above plus DeleteMeeting; the code adds the UpdateItem that takes the session out of the index"),
    "Chime event: AttendeeJoined": (3, "meeting pointer, session, presence transaction"),
    "SES event: permanent bounce": (
        2, "the client's mark, then the session's mark with its timeline line (R29) in one transaction; no reads"),
    "GET /api/board (R35: the day's 3 virtual visits)": (
        5, "the agency (its time zone decides the day), the day's visits on the agency index, their sessions in one "
           "BatchGetItem (100 keys a call), their clients' names in one read, the staff (names, who is active) in "
           "one Query; benchmarks/board.py prices it at 10-150 visits"),
    "POST cancel (R34: ends the session with the visit, deletes its meeting)": (
        4, "Query, one transaction (the cancel, the session's end, both timeline lines), DeleteMeeting, the client "
           "summary; the code adds the UpdateItem that takes the session out of the sweep index (as every end) and "
           "a GetItem of the caregiver (a deactivated one leaves the board once nothing is left to reassign)"),
    "PATCH /api/employees/{id} (R36: deactivate; the upcoming visits looked up)": (
        3, "the employee, their upcoming visits (one Query on the employee index), one UpdateItem; in AWS two "
           "Cognito calls before it (AdminDisableUser, AdminUserGlobalSignOut)"),
    "sweep: one expired session with a live meeting (4 shards)": (
        6, "one Query per shard (4, whatever the table size), the end transaction, DeleteMeeting; the code adds "
           "the UpdateItem that takes the session out of the index"),
    "POST invite sms (first)": (
        5, "as the first email invite, with SendTextMessage instead of SendEmail; the code adds one PutItem after "
           "it is recorded: the text by its message id, for delivery events that come without their context"),
    "SMS event: text could not be delivered": (
        2, "the client's number marked (conditional), the session's mark with its timeline line (one transaction)"),
    "sweep: one due reminder, sent by text (4 shards)": (
        9, "one Query per shard (shared with the expiry sweep), the visit partition, agency, client and caregiver "
           "in one BatchGetItem, the conditional take (at most once per link generation), SendTextMessage, the "
           "timeline line, the reminder out of the index; the code adds the text's PutItem by message id"),
}


def measure() -> list[dict[str, Any]]:
    """Run the counts test once, with its report; its rows in flow order."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "calls.json"
        env = {**os.environ, "AWS_CALLS_REPORT": str(report)}
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", TEST],  # noqa: S603
                              cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{TEST} failed:\n{done.stdout[-4000:]}")
        rows: list[dict[str, Any]] = json.loads(report.read_text())
    seen: set[str] = set()
    unique = []
    for row in rows:
        if row["action"] not in seen:
            seen.add(row["action"])
            unique.append(row)
    return unique


def short(calls: dict[str, int]) -> str:
    return ", ".join(f"{op.split('.', 1)[1]}{'' if n == 1 else f' x{n}'}" for op, n in sorted(calls.items()))


def run() -> Section:
    section = Section(2, "AWS calls per action (counted with a botocore hook; `make test` asserts them exactly)")
    rows = measure()
    above = []
    for row in rows:
        total = sum(row["calls"].values())
        minimum, _ = MINIMUM.get(row["action"], (total, ""))
        row["minimum"] = minimum
        if total > minimum:
            above.append(row["action"])
        extra = f" (+{total - minimum} above it)" if total > minimum else ""
        section.add(row["action"], f"{total}: {short(row['calls'])}; {row['rru']:g} RRU, {row['wru']:g} WRU",
                    f"minimum {minimum}{extra}")
    section.notes.append(f"{len(rows) - len(above)} of {len(rows)} actions make exactly their minimum; above it: "
                         + "; ".join(f"{a} (+{sum(r['calls'].values()) - r['minimum']})"
                                     for a in above for r in rows if r["action"] == a))
    section.notes.append("RRU/WRU: DynamoDB on-demand request units from the items read and written "
                         "(4 KB / 1 KB steps, eventually consistent reads at half, transactions double)")
    section.data = {"rows": rows, "minimum": {k: v[0] for k, v in MINIMUM.items()}}
    return section


def main() -> None:
    print(run().render())


if __name__ == "__main__":
    main()
