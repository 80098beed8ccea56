"""Cold start: a fresh interpreter importing the Lambda entry and serving its first request, against the floor.

App:   `import app; app.app(event, context)` with a real API Gateway REST proxy event for
       `GET /api/visits/{visit_id}`, in the prod stage's configuration (APP_STAGE=prod, MEETING_PROVIDER=chime,
       AUTH_MODE=cognito), moto's server behind AWS_ENDPOINT_URL.
Floor: `import boto3; boto3.client("dynamodb").get_item(...)` against the same server and table.

Each run is a fresh interpreter; the time is from spawning it to reading its answer on stdout (interpreter
start, imports and the first request; not its exit). The two alternate, so both see the same machine.

The authorizer is a separate Lambda function in AWS (Chalice deploys built-in authorizers as their own
function), and API Gateway caches its answer for 300 s per token. So the API function's first request
arrives with the authorizer's context already in `requestContext.authorizer`, exactly as here; the
authorizer's own cold start (Cognito RS256 verification against a JWKS served locally) is measured
separately against the same floor.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from benchmarks.report import Section, ms

ROOT = Path(__file__).resolve().parent.parent
TABLE = "bench-cold-start"
AGENCY, EMPLOYEE, CLIENT, VISIT = "coldco", "cold-emp", "cold-client", "cold-visit"
TARGET = 1.25

_CONTEXT = '''
class Context:
    function_name = "virtual-visits-prod-APIHandler"
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    aws_request_id = "00000000-0000-0000-0000-000000000001"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:virtual-visits-prod-APIHandler"
    log_group_name = "/aws/lambda/virtual-visits-prod-APIHandler"
    log_stream_name = "2026/11/25/[$LATEST]bench"
    def get_remaining_time_in_millis(self):
        return 25000
'''

APP_CHILD = '''
import json, sys, time
t0 = time.perf_counter()
import app
t1 = time.perf_counter()
''' + _CONTEXT + '''
response = app.app(json.loads(sys.argv[1]), Context())
t2 = time.perf_counter()
ok = response["statusCode"] == 200 and json.loads(response["body"])["id"] == sys.argv[2]
sys.stdout.write(json.dumps({"ok": ok, "status": response["statusCode"], "import": t1 - t0, "first": t2 - t1}) + "\\n")
sys.stdout.flush()
'''

AUTH_CHILD = '''
import json, sys, time
t0 = time.perf_counter()
import app
t1 = time.perf_counter()
''' + _CONTEXT + '''
policy = app.authorize(json.loads(sys.argv[1]), Context())
t2 = time.perf_counter()
ok = policy["policyDocument"]["Statement"][0]["Effect"] == "Allow" and policy["context"]["employee_id"] == sys.argv[2]
sys.stdout.write(json.dumps({"ok": ok, "import": t1 - t0, "first": t2 - t1}) + "\\n")
sys.stdout.flush()
'''

FLOOR_CHILD = '''
import json, sys, time
t0 = time.perf_counter()
import boto3
client = boto3.client("dynamodb")
t1 = time.perf_counter()
item = client.get_item(TableName=sys.argv[1], Key={"pk": {"S": sys.argv[2]}, "sk": {"S": "VISIT"}})
t2 = time.perf_counter()
ok = item["Item"]["visit_id"]["S"] == sys.argv[3]
sys.stdout.write(json.dumps({"ok": ok, "import": t1 - t0, "first": t2 - t1}) + "\\n")
sys.stdout.flush()
'''


class _Jwks:
    """An RSA key, its JWKS served on loopback as a Cognito pool would serve it, and id tokens signed with it."""

    def __init__(self) -> None:
        from cryptography.hazmat.primitives.asymmetric import rsa

        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        numbers = self.key.public_key().public_numbers()

        def b64(value: int) -> str:
            raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
            return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

        body = json.dumps({"keys": [{"kty": "RSA", "kid": "bench", "use": "sig", "alg": "RS256",
                                     "n": b64(numbers.n), "e": b64(numbers.e)}]}).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}/us-east-1_bench"
        self.audience = "bench-app-client"

    def id_token(self, agency: str, employee: str, role: str) -> str:
        import jwt

        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.audience, "sub": employee, "iat": now, "exp": now + 3600,
                  "token_use": "id", "custom:agency_id": agency, "custom:employee_id": employee,
                  "custom:role": role}
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "bench"})

    def stop(self) -> None:
        self.server.shutdown()


def _moto() -> tuple[str, Any]:
    """moto's server on loopback, keeping connections open between requests as DynamoDB's endpoint does.

    moto's own ThreadedMotoServer answers HTTP/1.0 and closes every connection, so each call after the
    first would pay a new connection that a Lambda's client, talking to DynamoDB, does not. With the
    connection kept, the server must not hold back small writes (Nagle), or a call after a response
    written in pieces waits for the client's delayed ACK (40 ms).
    """
    import socket

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    class KeepAlive(MotoRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    server = make_server("127.0.0.1", 0, DomainDispatcherApplication(create_backend_app), threaded=True,
                         request_handler=KeepAlive)
    threading.Thread(target=server.serve_forever, daemon=True, name="moto").start()
    return f"http://127.0.0.1:{server.server_address[1]}", server.shutdown


def _seed(moto_url: str) -> None:
    """The table and one visit, written through the app's own persistence layer."""
    os.environ.update({"AWS_ENDPOINT_URL": moto_url, "TABLE_NAME": TABLE, "AWS_DEFAULT_REGION": "us-east-1",
                       "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "APP_STAGE": "test"})
    from datetime import UTC, datetime, timedelta

    from chalicelib.config import settings
    from chalicelib.persistence import binding
    from chalicelib.records import Agency, Client, Employee, Visit
    from chalicelib.services import Services

    settings.cache_clear()
    binding.bound.cache_clear()
    binding.create_table()
    stores = Services()
    stores.directory.add_agency(Agency(AGENCY, "Cold Start Care", "America/New_York", "visits@cold.example.test"))
    stores.directory.add_employee(AGENCY, Employee(EMPLOYEE, "Maria Lopez", "maria@cold.example.test", "employee"))
    stores.directory.add_client(AGENCY, Client(CLIENT, "Eleanor Rigby", "eleanor@client.example.test"))
    start = datetime.now(UTC).replace(microsecond=0)
    stores.visits.add(Visit(AGENCY, VISIT, CLIENT, EMPLOYEE, "TELE", start, start + timedelta(hours=1), True))


def _environments(moto_url: str, jwks: _Jwks) -> tuple[dict[str, str], dict[str, str]]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")}
    base = {**keep, "AWS_ENDPOINT_URL": moto_url, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1", "PYTHONHASHSEED": "0"}
    app_env = {
        **base,
        # What infra/ sets on the deployed functions (visits_infra/app.py).
        "APP_STAGE": "prod", "TABLE_NAME": TABLE, "PUBLIC_BASE_URL": "https://visits.example.test",
        "MEETING_PROVIDER": "chime", "CHIME_MEDIA_REGION": "us-east-1", "AUTH_MODE": "cognito",
        "COGNITO_ISSUER": jwks.issuer, "COGNITO_AUDIENCE": jwks.audience,
        "LINK_KEY_SECRET_ID": "arn:aws:secretsmanager:us-east-1:123456789012:secret:link-key",
        "EMAIL_CONFIGURATION_SET": "virtual-visits", "SWEEP_SHARDS": "4",
        "POWERTOOLS_SERVICE_NAME": "virtual-visits", "POWERTOOLS_METRICS_NAMESPACE": "VirtualVisits",
        "POWERTOOLS_TRACER_CAPTURE_RESPONSE": "false", "POWERTOOLS_TRACER_CAPTURE_ERROR": "false",
    }
    return app_env, base


def visit_event(visit_id: str, agency: str, employee: str, token: str) -> dict[str, Any]:
    """The API Gateway REST proxy event for `GET /api/visits/{visit_id}`, after the authorizer allowed it."""
    path = f"/api/visits/{visit_id}"
    headers = {"Accept": "application/json", "Authorization": f"Bearer {token}", "Host": "api.example.test",
               "User-Agent": "Mozilla/5.0", "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    return {
        "resource": "/api/visits/{visit_id}", "path": path, "httpMethod": "GET",
        "headers": headers, "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": None, "multiValueQueryStringParameters": None,
        "pathParameters": {"visit_id": visit_id}, "stageVariables": None,
        "requestContext": {
            "resourceId": "abc123", "resourcePath": "/api/visits/{visit_id}", "httpMethod": "GET",
            "extendedRequestId": "bench=", "requestTime": "25/Nov/2026:15:00:00 +0000", "path": f"/v1{path}",
            "accountId": "123456789012", "protocol": "HTTP/1.1", "stage": "v1", "domainPrefix": "api",
            "requestTimeEpoch": 1795532400000, "requestId": str(uuid.uuid4()), "domainName": "api.example.test",
            "apiId": "abcdef1234",
            "identity": {"sourceIp": "203.0.113.7", "userAgent": "Mozilla/5.0"},
            "authorizer": {"principalId": employee, "agency_id": agency, "employee_id": employee,
                           "role": "employee", "integrationLatency": 0},
        },
        "body": None, "isBase64Encoded": False,
    }


def _spawn(code: str, args: list[str], env: dict[str, str], cwd: Path = ROOT,
           extra: list[str] | None = None) -> tuple[float, Any]:
    start = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter
        [sys.executable, *(extra or []), "-c", code, *args], cwd=cwd, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = time.perf_counter() - start
    assert process.stderr is not None
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)  # the child's own CPU time, which other load barely moves
    process.returncode = os.waitstatus_to_exitcode(status)
    if not line:
        raise RuntimeError(f"cold-start child failed:\n{err[-3000:]}")
    result = json.loads(line)
    if not result.get("ok"):
        raise RuntimeError(f"cold-start child gave a wrong answer: {result}\n{err[-3000:]}")
    result["wall"] = elapsed
    result["cpu"] = usage.ru_utime + usage.ru_stime
    result["stderr"] = err
    return elapsed, result


def importtime_top(stderr: str, n: int = 10) -> list[tuple[str, float]]:
    """`-X importtime` self times summed per top-level package, largest first (ms)."""
    totals: dict[str, float] = defaultdict(float)
    for name, self_ms in _importtime_lines(stderr):
        totals[name.split(".")[0]] += self_ms
    return sorted(totals.items(), key=lambda kv: -kv[1])[:n]


def _importtime_lines(stderr: str) -> list[tuple[str, float]]:
    rows = []
    for line in stderr.splitlines():
        if line.startswith("import time:") and "self [us]" not in line:
            parts = line.split(":", 1)[1].split("|")
            rows.append((parts[2].strip(), int(parts[0]) / 1000))
    return rows


def run(runs: int = 10, before: Path | None = None) -> Section:
    """The section; with `before`, also the app of another checkout (the code before a change), side by side."""
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    section = Section(1, "Cold start: app.py + first GET /api/visits/{id}, vs boto3 DynamoDB client + one GetItem")
    moto_url, stop_moto = _moto()
    jwks = _Jwks()
    try:
        _seed(moto_url)
        app_env, floor_env = _environments(moto_url, jwks)
        token = jwks.id_token(AGENCY, EMPLOYEE, "employee")
        event = json.dumps(visit_event(VISIT, AGENCY, EMPLOYEE, token))
        auth_event = json.dumps({"type": "TOKEN", "authorizationToken": f"Bearer {token}",
                                 "methodArn": f"arn:aws:execute-api:us-east-1:123456789012:abcdef1234/v1/GET/api/"
                                              f"visits/{VISIT}"})
        from chalicelib.persistence import keys

        floor_args = [TABLE, keys.visit_pk(AGENCY, VISIT), VISIT]
        kinds: dict[str, tuple[str, list[str], dict[str, str], Path]] = {
            "app": (APP_CHILD, [event, VISIT], app_env, ROOT),
            "floor": (FLOOR_CHILD, floor_args, floor_env, ROOT),
            "authorizer": (AUTH_CHILD, [auth_event, EMPLOYEE], app_env, ROOT),
        }
        # As inside Lambda, with active tracing: the tracer (and the X-Ray SDK) load; segments go to a UDP
        # port nobody listens on, as they would to the X-Ray daemon.
        lambda_env = {**app_env, "AWS_LAMBDA_FUNCTION_NAME": "virtual-visits-prod-APIHandler",
                      "LAMBDA_TASK_ROOT": str(ROOT), "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
                      "_X_AMZN_TRACE_ID": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
                      "AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000", "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR"}
        kinds["lambda"] = (APP_CHILD, [event, VISIT], lambda_env, ROOT)
        if before is not None:
            kinds["before"] = (APP_CHILD, [event, VISIT], app_env, before)
        for kind in kinds.values():  # warm the page cache and .pyc files; not counted
            _spawn(*kind)
        results: dict[str, list[dict[str, Any]]] = {name: [] for name in kinds}
        for _ in range(runs):
            for name, kind in kinds.items():
                results[name].append(_spawn(*kind)[1])
        _, traced = _spawn(APP_CHILD, [event, VISIT], app_env, ROOT, ["-X", "importtime"])
        _, floor_traced = _spawn(FLOOR_CHILD, floor_args, floor_env, ROOT, ["-X", "importtime"])
        before_traced = _spawn(APP_CHILD, [event, VISIT], app_env, before, ["-X", "importtime"])[1] if before else None
    finally:
        jwks.stop()
        stop_moto()

    med = {name: statistics.median(r["wall"] for r in rs) for name, rs in results.items()}
    cpu = {name: statistics.median(r["cpu"] for r in rs) for name, rs in results.items()}
    ratio = med["app"] / med["floor"]
    auth_ratio = med["authorizer"] / med["floor"]
    paired = statistics.median(a["wall"] / f["wall"] for a, f in zip(results["app"], results["floor"], strict=True))
    section.add(f"app: import + first request, median of {runs}", ms(med["app"]))
    section.add("floor: boto3 + DynamoDB client + GetItem", ms(med["floor"]))
    section.add("ratio app / floor (wall, medians)", f"{ratio:.2f}", f"<= {TARGET}", ratio <= TARGET)
    section.add("ratio app / floor (median of paired runs)", f"{paired:.2f}")
    section.add("ratio app / floor (child CPU time, medians)", f"{cpu['app'] / cpu['floor']:.2f}")
    section.add("app with Lambda's environment, X-Ray tracer active (no target)",
                f"{ms(med['lambda'])}, {med['lambda'] / med['floor']:.2f} x floor")
    section.add("authorizer function (own Lambda): import + first token", ms(med["authorizer"]))
    section.add("ratio authorizer / floor (no target)", f"{auth_ratio:.2f}")
    if before is not None:
        section.add(f"before ({before}): app / floor", f"{med['before'] / med['floor']:.2f}")
    for name in results:
        imp = statistics.median(r["import"] for r in results[name])
        first = statistics.median(r["first"] for r in results[name])
        section.notes.append(f"{name}: median {ms(imp)} to import{' + client' if name == 'floor' else ''}, "
                             f"{ms(first)} for the first call")
    top = importtime_top(traced["stderr"])
    section.notes.append("app -X importtime (import + first request), self time per top-level package: "
                         + ", ".join(f"{name} {t:.0f}" for name, t in top) + " ms")
    floor_top = importtime_top(floor_traced["stderr"])
    section.notes.append("floor -X importtime: " + ", ".join(f"{name} {t:.0f}" for name, t in floor_top) + " ms")
    app_modules = {name for name, _ in _importtime_lines(traced["stderr"])}
    floor_modules = {name for name, _ in _importtime_lines(floor_traced["stderr"])}
    extra = [(name, t) for name, t in _importtime_lines(traced["stderr"]) if name not in floor_modules]
    section.notes.append(f"modules imported by the app and not by the floor: {len(app_modules - floor_modules)} "
                         f"({sum(t for _, t in extra):.0f} ms self time)")
    if before_traced is not None:
        before_top = importtime_top(before_traced["stderr"])
        section.notes.append("before -X importtime: " + ", ".join(f"{name} {t:.0f}" for name, t in before_top)
                             + " ms")
        section.data["before_importtime_top_ms"] = before_top
    section.data |= {
        "runs": runs, "median_s": med, "median_cpu_s": cpu, "ratio": ratio, "paired_ratio": paired,
        "authorizer_ratio": auth_ratio,
        "app_runs_s": [r["wall"] for r in results["app"]], "floor_runs_s": [r["wall"] for r in results["floor"]],
        "authorizer_runs_s": [r["wall"] for r in results["authorizer"]],
        "importtime_top_ms": top, "floor_importtime_top_ms": floor_top,
        "app_only_modules_top_ms": sorted(extra, key=lambda kv: -kv[1])[:15],
    }
    return section


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--before", type=Path, help="another checkout's app, measured side by side")
    args = parser.parse_args()
    section = run(args.runs, args.before)
    print(section.render())
    if args.json:
        args.json.write_text(json.dumps(section.data, indent=2))


if __name__ == "__main__":
    main()
