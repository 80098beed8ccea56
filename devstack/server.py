"""One origin for everything: `/api/*` through Chalice's local gateway, the built front end, the outbox page."""

from __future__ import annotations

import json
import mimetypes
import re
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

PAGES = {"/": "index.html", "/index.html": "index.html", "/call": "call.html", "/join": "join.html"}
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        "media-src 'self' blob: mediastream:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'self'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(self), microphone=(self), geolocation=()",
}
MAX_REQUEST_BYTES = 1 << 20
GATEWAY_CODES = {401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND", 413: "PAYLOAD_TOO_LARGE"}


def gateway_error(status: int, body: bytes) -> tuple[int, bytes]:
    """What API Gateway's configured gateway responses give: `{"Code", "Message"}`, unknown routes as 404."""
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        data = {}
    if isinstance(data, dict) and "Code" in data and "Message" in data:
        return status, body
    if status == 403 and "Missing Authentication Token" in str(data):
        status = 404
    message = {401: "Sign in to continue.", 404: "Not found."}.get(status, "The request was refused.")
    return status, json.dumps({"Code": GATEWAY_CODES.get(status, "ERROR"), "Message": message}).encode()


def make_handler(gateway: Any, dist: Path, outbox: Any) -> type[BaseHTTPRequestHandler]:
    from chalice.local import LocalGatewayException

    from chalicelib.http import SECURITY_HEADERS

    # The server's own refusals carry the API's headers, as API Gateway's gateway responses and CloudFront do.
    refusal_headers = dict(SECURITY_HEADERS)
    page_headers = {**PAGE_HEADERS, "Cache-Control": "no-store"}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "virtual-visits-dev"

        def log_message(self, format: str, *args: Any) -> None:
            return  # request lines would carry nothing useful, and quiet is kinder to the terminal

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _api(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_REQUEST_BYTES:
                self._send(*gateway_error(413, b""), refusal_headers)
                self.close_connection = True
                return
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                response = gateway.handle_request(self.command, self.path, headers, body)
            except LocalGatewayException as exc:
                self._send(*gateway_error(exc.CODE, exc.body or b""), refusal_headers)
                return
            raw = response.get("body") or ""
            payload = raw.encode() if isinstance(raw, str) else raw
            out = dict(response.get("headers") or {})
            if int(response["statusCode"]) == 405:  # Chalice's own body has no Content-Type and its own fields
                payload = json.dumps({"Code": "METHOD_NOT_ALLOWED", "Message": "This method is not allowed here."},
                                     separators=(",", ":")).encode()
                out["Content-Type"] = "application/json"
            for name, values in (response.get("multiValueHeaders") or {}).items():
                out[name] = ", ".join(values)
            self._send(int(response["statusCode"]), payload, out)

        def _static(self) -> None:
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            if path == "/outbox":
                self._send(200, outbox().encode(), {"Content-Type": "text/html; charset=utf-8", **PAGE_HEADERS,
                                                    "Cache-Control": "no-store"})
                return
            name = PAGES.get(path, path.lstrip("/"))
            target = (dist / name).resolve()
            if not str(target).startswith(str(dist.resolve())) or not target.is_file():
                if not (dist / "index.html").is_file():
                    self._send(200, b"<h1>The front end is not built yet.</h1><p>Run <code>make dev</code>.</p>",
                               {"Content-Type": "text/html; charset=utf-8", **page_headers})
                    return
                self._send(404, b"Not found", {"Content-Type": "text/plain", **page_headers})
                return
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            cache = "public, max-age=31536000, immutable" if "/assets/" in path else "no-store"
            self._send(200, target.read_bytes(), {"Content-Type": ctype, "Cache-Control": cache, **PAGE_HEADERS})

        def _route(self) -> None:
            if self.path.startswith("/api/"):
                self._api()
            else:
                self._static()

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _route

        def __getattr__(self, name: str) -> Any:
            # Any other method (TRACE, QUERY, ...) reaches the gateway too, which refuses it with a JSON 405;
            # http.server alone would answer 501 with an HTML page.
            if name.startswith("do_") and self.path.startswith("/api/"):
                return self._route
            raise AttributeError(name)

    return Handler


LINK = re.compile(r"https?://[^\s<>\"']+")


def _with_links(text: str) -> str:
    """The text, escaped, with each http(s) address in it a link (the join link, to click)."""
    out, last = [], 0
    for match in LINK.finditer(text):
        url = match.group(0)
        out += [escape(text[last:match.start()]), f'<a href="{escape(url)}">{escape(url)}</a>']
        last = match.end()
    return "".join(out) + escape(text[last:])


def outbox_page(read: Any) -> str:
    """The sent emails, newest first, with their links."""
    mails = list(reversed(read()))
    rows = "".join(
        f"<article><h2>{escape(m['subject'])}</h2><p>To: {escape(m['to'])} · {escape(str(m['sent_at']))}</p>"
        f"<pre>{_with_links(m['text'])}</pre></article>"
        for m in mails
    ) or "<p>No email sent yet. Send an invite from the visit dialog.</p>"
    return ("<!doctype html><html lang=en><head><meta charset=utf-8><title>Outbox</title>"
            "<meta name=viewport content='width=device-width, initial-scale=1'>"
            "<link rel=icon href=/favicon.svg type=image/svg+xml><link rel=icon href=/favicon.ico sizes=32x32>"
            "<style>body{font:16px sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}"
            "article{border:1px solid #ccc;border-radius:8px;padding:1rem;margin:1rem 0}"
            "pre{white-space:pre-wrap}</style></head>"
            f"<body><h1>Outbox (local SES)</h1>{rows}</body></html>")


class _Server(ThreadingHTTPServer):
    # The default backlog of 5 resets connections when many clients (50 racing test threads) connect at once.
    request_queue_size = 128


def serve(host: str, port: int, gateway: Any, dist: Path, read_outbox: Any) -> ThreadingHTTPServer:
    server = _Server((host, port), make_handler(gateway, dist, lambda: outbox_page(read_outbox)))
    server.daemon_threads = True
    return server
