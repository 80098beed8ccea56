"""Cost per visit (section 5): a 60-minute two-party visit with one resend and one client rejoin; and the same
visit for a client reached by text (R28, R32): a text invite, a text reminder and one email.

What the front end really calls is read from its code (the poll intervals) and the flow; what each call
costs in AWS calls and DynamoDB request units comes from section 2's counted flow; the Lambda time per
request comes from section 3's CPU profile (scaled to the function's share of a vCPU at infra's memory) plus a
stated network time per AWS call. Prices: AWS list prices, us-east-1, on-demand, no free tier.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.report import Section

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "frontend" / "src"
TARGET = 0.001
PRICES_TAKEN = "2026-11-25"

# USD, us-east-1, as published on the AWS pricing pages (checked on PRICES_TAKEN; the DynamoDB on-demand
# rates are those after the November 2024 reduction).
PRICE = {
    "api_gateway_rest_request": 3.50 / 1e6,      # REST API, first 333 million requests a month
    "lambda_request": 0.20 / 1e6,
    "lambda_gb_second": 0.0000166667,            # x86_64
    "dynamodb_rru": 0.125 / 1e6,                 # on-demand read request unit
    "dynamodb_wru": 0.625 / 1e6,                 # on-demand write request unit (transactions: 2 per KB)
    "ses_email": 0.10 / 1000,
    "cloudwatch_logs_gb": 0.50,                  # Standard log class, ingestion
    "xray_trace": 5.00 / 1e6,                    # traces recorded
    "cloudfront_request": 0.0100 / 10000,        # HTTPS, United States
    "cloudfront_gb": 0.085,                      # data out to the internet, first 10 TB, United States
    "waf_request": 0.60 / 1e6,                   # per web ACL that inspects the request
    "waf_web_acl_month": 5.00,
    "waf_rule_month": 1.00,
    "chime_attendee_minute": 0.0017,
    # End User Messaging SMS to a US number, per message part: AWS's price plus the carrier's fee, as AWS's own
    # example delivery event for a US message reports them (totalMessagePrice 0.00581, totalCarrierFee 0.00302).
    # Toll-free and 10DLC differ slightly, and carriers change their fees: docs/DEPLOY.md.
    "sms_part_us": 0.00581 + 0.00302,
}
# Chime SDK echo reduction (the meetings offer it: MeetingFeatures.Audio.EchoReduction, and the pages turn it on) is
# billed on top of the attendee-minutes, but no published price was found in the sources checked (the Chime SDK
# pricing page's stored text names the feature without the figure; docs/PERFORMANCE.md §5): it is shown as a line
# without dollars and left out of every sum, rather than a guessed price.
ECHO_REDUCTION_PRICE: float | None = None

# Web ACLs infra creates, with their rules (docs/DEPLOY.md): CloudFront's (managed groups and the two rate limits)
# and, since issue 17, the API stage's regional one that admits only CloudFront's requests. Every API request passes
# both, so each is billed per request.
WEB_ACLS = {"CloudFront's web ACL": 5, "the API stage's regional web ACL": 1}

# Assumptions, stated in docs/PERFORMANCE.md.
LAMBDA_MB = 1024                 # infra's apiMemoryMb (issue 16: docs/PERFORMANCE.md §8)
VCPU_MB = 1769                   # Lambda gives a function one vCPU at 1,769 MB, a share below
NETWORK_MS = {"dynamodb": 5.0, "sesv2": 60.0, "chime-sdk-meetings": 70.0,
              "pinpoint-sms-voice-v2": 60.0}  # per call, in the Region
TEXT_EVENTS_PER_TEXT = 2         # End User Messaging reports a text sent to the carrier, then delivered
AUTHORIZER_CPU_MS = 2.0          # RS256 verification with a cached JWKS, on a full core
AUTHORIZER_RRU = 0.5             # the employee's item, read eventually consistent (R36)
LOG_BYTES_PER_INVOCATION = 400   # Lambda START, END and REPORT lines (with the X-Ray trace id)
ACCESS_LOG_BYTES = 330           # one API Gateway access log line (infra's JSON format)
LOG_EVENT_OVERHEAD = 26          # CloudWatch Logs bills 26 bytes per event on top
XRAY_SAMPLED = 0.05              # the default rule past its 1 request/s reservoir
RESPONSE_BYTES = 900             # a typical API answer through CloudFront
VISIT_MINUTES = 60
RECONCILE_EVERY_MIN = 10         # the sweep double-checks a live call with Chime this often (presence.py)
MINUTES_BEFORE_CALL = 2          # the client's page and the dialog are open a little before the call
MEDIA_CONNECT_SECONDS = 1.0      # Join to a connected media session (section 4 measured 0.96 s to the first frame)
CLIENT_AWAY_SECONDS = 60.0       # between the client's hang-up and their rejoin


def poll_ms(path: str, name: str) -> int:
    """A poll interval as the front end's code sets it."""
    match = re.search(rf"const {name} = (\d+);", (SRC / path).read_text())
    if not match:
        raise RuntimeError(f"{name} not found in frontend/src/{path}")
    return int(match.group(1))


@dataclass
class Use:
    action: str      # a row of section 2
    count: float
    who: str
    why: str


def scenario(pre_change: bool = False) -> list[Use]:
    """Every API request of the visit, from the front end's code (its poll intervals and when it polls).

    Each page asks the API only while its media session cannot tell it (tests/browser/test_main_flow.py
    asserts that a connected call makes no API request): the visit dialog while it is in view and its call
    window is closed, the call window until its media connects, the join page while the client is not in the
    call (fast once they pressed Join, slow while it only shows whether the caregiver is in).
    `pre_change` is the front end before it did so: every page polled every 3 s for the whole visit.
    """
    call_poll = poll_ms("call/state.ts", "SESSION_POLL_MS") / 1000
    join_idle = poll_ms("join/state.ts", "IDLE_POLL_MS") / 1000
    dialog_poll = poll_ms("staff/visit/state.ts", "REFRESH_MS") / 1000
    minute = 60.0
    call_seconds = VISIT_MINUTES * minute
    before = MINUTES_BEFORE_CALL * minute
    session = "GET /api/visits/{id}/session (dialog, call window poll)"
    if pre_change:
        dialog_polls = (before + call_seconds) / 3
        call_polls = call_seconds / 3
        join_polls = (before + call_seconds) / 3
        dialog_why = call_why = join_why = "every 3 s for the whole visit (before this change)"
    else:
        dialog_polls = before / dialog_poll
        dialog_why = (f"every {dialog_poll:g} s while in view before the call; paused while the call window is "
                      "open; none once the session is over")
        call_polls = math.ceil(MEDIA_CONNECT_SECONDS / call_poll)
        call_why = f"its first read, then every {call_poll:g} s until the media connects (~{MEDIA_CONNECT_SECONDS:g} s)"
        join_polls = before / join_idle + CLIENT_AWAY_SECONDS / join_idle + 1
        join_why = (f"its first read; every {join_idle:g} s before Join and while the client is away between "
                    f"leave and rejoin ({CLIENT_AWAY_SECONDS:g} s); none in the call; one when the media ends")
    return [
        Use("GET /api/me", 2, "caregiver", "the staff app and the call window each load the caller"),
        Use("GET /api/schedule", 1, "caregiver", "the day's schedule"),
        Use("GET /api/service-codes", 1, "caregiver", "service names, once per page"),
        Use("GET /api/visits/{id} (dialog opens)", 1, "caregiver", "the visit dialog"),
        Use("POST invite email (first)", 1, "caregiver", "the invite"),
        Use("POST clock-in", 1, "caregiver", "clock in"),
        Use(session, dialog_polls, "caregiver", f"the dialog's look at the session, {dialog_why}"),
        Use(session, 1 + call_polls, "caregiver", f"the call window: {call_why}"),
        Use("POST session/join (caregiver, first)", 1, "caregiver", "Join: the meeting and the attendee"),
        Use("POST invite email (resend)", 1, "caregiver", "one resend"),
        Use("POST session/end (hang up)", 1, "caregiver", "hang up"),
        Use("POST clock-out (after the hang-up)", 1, "caregiver", "clock out"),
        Use("POST /api/join (client page opens the link: marks it opened and waiting, R35)", 1, "client",
            "the join page's first read"),
        # The page renews its waiting mark once less than 15 s of its 30 are left: every other look at 10 s.
        Use("POST /api/join (its poll 10 s later: nothing to write)", join_polls / 2, "client",
            f"the join page: {join_why}"),
        Use("POST /api/join (its poll 20 s later: renews the waiting mark)", join_polls / 2, "client",
            "the other half of those looks renew the mark that the client is waiting (R35)"),
        Use("POST /api/join/attendee (client, first)", 1, "client", "Join"),
        Use("POST /api/join/leave (client)", 1, "client", "the client leaves"),
        Use("POST /api/join/attendee (client, rejoin)", 1, "client", "and rejoins (R24)"),
    ]


def scenario_texts() -> list[Use]:
    """The same visit for a client reached by text (R28, R32): the first invite by text message, the reminder the
    sweep sends by text 15 minutes before the start, and the resend by email."""
    uses = [u for u in scenario() if u.action != "POST invite email (first)"]
    return [
        Use("POST invite sms (first)", 1, "caregiver", "the invite, by text message (R28)"),
        *uses,
        Use("sweep: one due reminder, sent by text (4 shards)", 1, "sweep", "the reminder, by text (R32)"),
    ]


# A text as a deployment without its own domain sends it: the stack's CloudFront address (AWS's example domain,
# 30 characters like every default one), "/join#" and the 43-character token; and a long agency name.
TEXT_URL = "https://d111111abcdef8.cloudfront.net/join#" + "x" * 43
TEXT_AGENCY = "Sunrise Home Care of Southern California"
# The US zones with a name in the tables (R44), one agency in each.
TEXT_ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
              "America/Anchorage", "Pacific/Honolulu", "America/Puerto_Rico")


def text_parts(name: str = TEXT_AGENCY, url: str = TEXT_URL) -> dict[str, dict[str, list[int]]]:
    """Message parts of the invite and the reminder as the app writes them, in each language, for agencies in each
    US zone and visits on each weekday: {language: {"invite": [fewest, most], "reminder": [...], "by zone": ...}}.

    One character outside GSM-7 (á, í: "sábado", "Pacífico", "Hawái", "Atlántico") makes the whole text UCS-2,
    70 characters a part (67 when split) instead of 160 (153)."""
    from datetime import UTC, datetime, timedelta

    from chalicelib.i18n import LANGUAGES
    from chalicelib.logic.invite_text import invite_text, reminder_text, segments
    from chalicelib.records import Agency, Visit

    monday = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)  # 10:30 a.m. Eastern, 5:30 a.m. in Honolulu
    found: dict[str, dict[str, list[int]]] = {}
    for language in LANGUAGES:
        invites: dict[str, list[int]] = {}
        reminders: dict[str, int] = {}
        for zone in TEXT_ZONES:
            agency = Agency("a", name, zone, "visits@agency.example")
            visits = [Visit("a", "v", "c", "e", "TELE", monday + timedelta(days=d), monday + timedelta(days=d, hours=1))
                      for d in range(7)]
            invites[zone] = [segments(invite_text(agency, v, url, language)) for v in visits]
            reminders[zone] = max(segments(reminder_text(agency, v, url, language)) for v in visits)
        every = [n for counts in invites.values() for n in counts]
        found[language] = {"invite": [min(every), max(every)],
                           "reminder": [min(reminders.values()), max(reminders.values())],
                           "by zone": [[zone, min(invites[zone]), max(invites[zone]), reminders[zone]]
                                       for zone in TEXT_ZONES]}
    return found


CHIME_EVENTS = 7  # AttendeeJoined x3 (caregiver, client, rejoin), AttendeeLeft x3, MeetingEnded


def _lambda_ms(calls: dict[str, int], own_cpu_ms: float, aws_cpu_per_call_ms: float,
               memory_mb: int = LAMBDA_MB) -> float:
    n = sum(calls.values())
    cpu = (own_cpu_ms + n * aws_cpu_per_call_ms) * VCPU_MB / min(memory_mb, VCPU_MB)
    network = sum(NETWORK_MS.get(op.split(".")[0], 5.0) * k for op, k in calls.items())
    return math.ceil(cpu + network)


def cost(rows: dict[str, dict[str, Any]], uses: list[Use], own_cpu_ms: float, aws_cpu_per_call_ms: float,
         page_bytes: int, text_parts: int = 0, memory_mb: int = LAMBDA_MB) -> dict[str, Any]:
    """Quantities and dollars per service for one visit (the functions at `memory_mb`)."""
    mb = memory_mb
    q: dict[str, float] = {k: 0.0 for k in ("api", "lambda_req", "gb_s", "rru", "wru", "emails", "log_bytes",
                                            "cf_bytes", "cf_requests", "texts", "scheduled")}
    for use in uses:
        row = rows[use.action]
        if use.who == "sweep":
            q["scheduled"] += use.count  # a sweep run's work: a Lambda invocation, no API request
        else:
            q["api"] += use.count
        q["rru"] += row["rru"] * use.count
        q["wru"] += row["wru"] * use.count
        q["emails"] += row["calls"].get("sesv2.SendEmail", 0) * use.count
        q["texts"] += row["calls"].get("pinpoint-sms-voice-v2.SendTextMessage", 0) * use.count
        q["gb_s"] += _lambda_ms(row["calls"], own_cpu_ms, aws_cpu_per_call_ms, mb) / 1000 * mb / 1024 * use.count
    staff_requests = sum(u.count for u in uses if u.who == "caregiver")
    authorizer_runs = math.ceil((VISIT_MINUTES + MINUTES_BEFORE_CALL + 5) / 5)  # answers cached 300 s per token
    event = rows["Chime event: AttendeeJoined"]
    reconciliations = VISIT_MINUTES / RECONCILE_EVERY_MIN
    # Each text's delivery events reach on_text_event: a delivered one is one conditional UpdateItem (1 WRU even
    # when its condition, "the number was failing", does not hold).
    text_events = q["texts"] * TEXT_EVENTS_PER_TEXT
    q["wru"] += text_events
    event_ms = _lambda_ms({"dynamodb.UpdateItem": 1}, own_cpu_ms, aws_cpu_per_call_ms, mb)
    q["gb_s"] += text_events * event_ms / 1000 * mb / 1024
    q["lambda_req"] = q["api"] + authorizer_runs + CHIME_EVENTS + q["scheduled"] + text_events
    # Each run also reads the employee (R36: deactivated or not, and the role now): one eventually consistent GetItem.
    # Chalice's stage gives every function infra's memory (the authorizer and the event handlers too).
    authorizer_ms = math.ceil(_lambda_ms({"dynamodb.GetItem": 1}, AUTHORIZER_CPU_MS, aws_cpu_per_call_ms, mb))
    q["gb_s"] += authorizer_runs * authorizer_ms / 1000 * mb / 1024
    q["rru"] += authorizer_runs * AUTHORIZER_RRU
    q["gb_s"] += CHIME_EVENTS * _lambda_ms(event["calls"], own_cpu_ms, aws_cpu_per_call_ms, mb) / 1000 * mb / 1024
    q["rru"] += CHIME_EVENTS * event["rru"] + reconciliations * 0.5   # its item in the sweep's index Query
    q["wru"] += CHIME_EVENTS * event["wru"] + reconciliations * 2     # next look, on the ~2 KB session item
    reconcile_calls = {"chime-sdk-meetings.GetMeeting": 1, "chime-sdk-meetings.ListAttendees": 1,
                       "dynamodb.UpdateItem": 1}
    q["gb_s"] += reconciliations * _lambda_ms(reconcile_calls, 0, aws_cpu_per_call_ms, mb) / 1000 * mb / 1024
    invocations = q["lambda_req"]
    q["log_bytes"] = (invocations * (LOG_BYTES_PER_INVOCATION + 3 * LOG_EVENT_OVERHEAD)
                      + q["api"] * (ACCESS_LOG_BYTES + LOG_EVENT_OVERHEAD))
    q["cf_requests"] = q["api"] + 3 * 6  # three pages, about six files each
    q["cf_bytes"] = q["api"] * RESPONSE_BYTES + page_bytes
    lines = [
        ("API Gateway (REST)", q["api"], "requests", q["api"] * PRICE["api_gateway_rest_request"]),
        ("Lambda requests", invocations, f"invocations ({authorizer_runs} authorizer, {CHIME_EVENTS} Chime events)",
         invocations * PRICE["lambda_request"]),
        ("Lambda duration", q["gb_s"], f"GB-s at {mb} MB", q["gb_s"] * PRICE["lambda_gb_second"]),
        ("DynamoDB reads", q["rru"], "RRU", q["rru"] * PRICE["dynamodb_rru"]),
        ("DynamoDB writes", q["wru"], "WRU", q["wru"] * PRICE["dynamodb_wru"]),
        ("SES", q["emails"], "emails", q["emails"] * PRICE["ses_email"]),
        *([("End User Messaging SMS", text_parts, f"message parts ({q['texts']:g} texts, US)",
            text_parts * PRICE["sms_part_us"])] if q["texts"] else []),
        ("CloudWatch Logs", q["log_bytes"] / 1e6, "MB ingested", q["log_bytes"] / 1e9 * PRICE["cloudwatch_logs_gb"]),
        ("EventBridge", CHIME_EVENTS + text_events, "Chime and text events (AWS service events: no charge)", 0.0),
        ("X-Ray", q["api"] * XRAY_SAMPLED, "traces (5 % sampled)", q["api"] * XRAY_SAMPLED * PRICE["xray_trace"]),
        ("CloudFront requests", q["cf_requests"], "HTTPS requests", q["cf_requests"] * PRICE["cloudfront_request"]),
        ("CloudFront data out", q["cf_bytes"] / 1e6, "MB", q["cf_bytes"] / 1e9 * PRICE["cloudfront_gb"]),
        *((f"WAF, {acl}", q["api"], "requests", q["api"] * PRICE["waf_request"]) for acl in WEB_ACLS),
    ]
    total = sum(line[3] for line in lines)
    listed = sum(line[3] for line in lines if not line[0].startswith(("X-Ray", "CloudFront", "WAF")))
    chime = 2 * VISIT_MINUTES * PRICE["chime_attendee_minute"]
    echo = 2 * VISIT_MINUTES * ECHO_REDUCTION_PRICE if ECHO_REDUCTION_PRICE is not None else None
    return {"lines": lines, "total": total, "brief_services_total": listed, "chime": chime, "echo_reduction": echo,
            "requests": q["api"], "staff_requests": staff_requests,
            "per_poll": {a: _one(rows[a], own_cpu_ms, aws_cpu_per_call_ms, mb)
                         for a in ("GET /api/visits/{id}/session (dialog, call window poll)",
                                   "POST /api/join (its poll 10 s later: nothing to write)",
                                   "POST /api/join (its poll 20 s later: renews the waiting mark)")}}


def fixed_monthly() -> dict[str, float]:
    """What the web ACLs cost a month whatever the number of visits (the other fixed costs: docs/DEPLOY.md)."""
    return {acl: PRICE["waf_web_acl_month"] + rules * PRICE["waf_rule_month"] for acl, rules in WEB_ACLS.items()}


def _one(row: dict[str, Any], own_cpu_ms: float, aws_cpu_per_call_ms: float, mb: int = LAMBDA_MB) -> float:
    """What one request of this action costs, everything but Chime included."""
    ms = _lambda_ms(row["calls"], own_cpu_ms, aws_cpu_per_call_ms, mb)
    logs = LOG_BYTES_PER_INVOCATION + 3 * LOG_EVENT_OVERHEAD + ACCESS_LOG_BYTES + LOG_EVENT_OVERHEAD
    return (PRICE["api_gateway_rest_request"] + PRICE["lambda_request"]
            + ms / 1000 * mb / 1024 * PRICE["lambda_gb_second"] + row["rru"] * PRICE["dynamodb_rru"]
            + row["wru"] * PRICE["dynamodb_wru"] + logs / 1e9 * PRICE["cloudwatch_logs_gb"]
            + XRAY_SAMPLED * PRICE["xray_trace"] + PRICE["cloudfront_request"]
            + RESPONSE_BYTES / 1e9 * PRICE["cloudfront_gb"] + len(WEB_ACLS) * PRICE["waf_request"])


def run(calls: dict[str, Any], load: dict[str, Any] | None, client: dict[str, Any] | None) -> Section:
    section = Section(5, "Cost of a 60-minute two-party visit, one resend, one client rejoin (us-east-1)")
    rows = {r["action"]: r for r in calls["rows"]}
    own = load["own_cpu_ms"]["p50"] if load else 2.5
    per_call = load["aws_cpu_per_call_ms"] if load else 2.5
    sizes = (client or {}).get("sizes", {})
    page_bytes = int(sizes.get("staff_app_gzip_bytes", 12_000) + 2 * sizes.get("join_page_chime_gzip_bytes", 310_000))
    today = cost(rows, scenario(), own, per_call, page_bytes)
    for name, quantity, unit, dollars in today["lines"]:
        section.add(f"{name}: {quantity:,.1f} {unit}", f"${dollars:.6f}")
    section.add("total, everything but Chime", f"${today['total']:.6f}", f"< ${TARGET}", today["total"] < TARGET)
    section.add("  of which the services the issue lists (no X-Ray, CloudFront, WAF)",
                f"${today['brief_services_total']:.6f}")
    section.add("Chime SDK: 2 attendees x 60 min (separately)", f"${today['chime']:.4f}")
    echo = today["echo_reduction"]
    section.add("Chime SDK echo reduction: up to 120 attendee-minutes (separately)",
                f"${echo:.4f}" if echo is not None else "no published price found: in no sum")
    for acl, dollars in fixed_monthly().items():
        rules = f"{WEB_ACLS[acl]} rule{'s' if WEB_ACLS[acl] != 1 else ''}"
        section.add(f"monthly, whatever the visits: WAF, {acl} ({rules})", f"${dollars:.2f}")
    section.add("API requests per visit (front end as built)", f"{today['requests']:,.0f}")
    for action, dollars in today["per_poll"].items():
        section.add(f"one {action.split(' (')[0]}", f"${dollars:.7f}")
    before = cost(rows, scenario(pre_change=True), own, per_call, page_bytes)
    section.notes.append(f"before the pages stopped polling during the call (every page every 3 s for the whole "
                         f"visit): {before['requests']:,.0f} requests, ${before['total']:.6f} per visit")
    parts = text_parts()
    # The invite and the reminder at their most parts: English (every zone), Spanish (Pacific, Hawaii, Puerto Rico)
    english = parts["en"]["invite"][1] + parts["en"]["reminder"][1]
    spanish = parts["es"]["invite"][1] + parts["es"]["reminder"][1]
    texts = cost(rows, scenario_texts(), own, per_call, page_bytes, english)
    texts_es = cost(rows, scenario_texts(), own, per_call, page_bytes, spanish)
    section.add(f"by text, English ({english} message parts): a text invite, a text reminder, an email resend: total, "
                "everything but Chime", f"${texts['total']:.6f}")
    for name, quantity, unit, dollars in texts["lines"]:
        if name in ("End User Messaging SMS", "SES", "DynamoDB writes", "Lambda requests"):
            section.add(f"  by text: {name}: {quantity:,.1f} {unit}", f"${dollars:.6f}")
    section.add(f"by text, Spanish at its longest ({spanish} message parts): total, everything but Chime",
                f"${texts_es['total']:.6f}")
    section.notes.append(f"message parts per text as written ({TEXT_AGENCY!r}, a {len(TEXT_URL)}-character link; "
                         f"GSM-7 160/153, UCS-2 70/67): {parts}")
    section.notes.append(f"Lambda time per request: measured own CPU p50 {own:.2f} ms + {per_call:.2f} ms botocore "
                         f"CPU per AWS call, x{VCPU_MB / LAMBDA_MB:.2f} for {LAMBDA_MB} MB, + network per call "
                         f"{NETWORK_MS}; prices as published {PRICES_TAKEN}")
    section.data = {"today": {**today, "lines": [list(x) for x in today["lines"]]},
                    "texts": {**texts, "lines": [list(x) for x in texts["lines"]], "parts": parts},
                    "texts_spanish": {**texts_es, "lines": [list(x) for x in texts_es["lines"]]},
                    "before": {**before, "lines": [list(x) for x in before["lines"]]},
                    "scenario": [u.__dict__ for u in scenario()], "prices": PRICE,
                    "echo_reduction_price": ECHO_REDUCTION_PRICE, "fixed_monthly": fixed_monthly()}
    return section
