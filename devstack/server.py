"""One origin for everything: `/api/*` through Chalice's local gateway, the built front end, the outbox page."""

from __future__ import annotations

import gzip
import json
import mimetypes
import re
import threading
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from chalicelib.errors import BadContentLength

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
COMPRESSED = ("text/", "application/javascript", "text/javascript", "image/svg+xml", "application/json")
_GZIPPED: dict[tuple[Path, float], bytes] = {}
_GZIP_LOCK = threading.Lock()


def _gzipped(target: Path, body: bytes) -> bytes:
    """The file gzipped at level 6 (once per file version: the build's assets do not change while served)."""
    key = (target, target.stat().st_mtime)
    with _GZIP_LOCK:
        if key not in _GZIPPED:
            _GZIPPED[key] = gzip.compress(body, compresslevel=6)
        return _GZIPPED[key]
CONTENT_LENGTH = re.compile(r"[0-9]{1,12}")


def refusal(status: int, body: bytes = b"") -> tuple[int, bytes]:
    """What API Gateway's gateway responses give: `{"Code", "Message"}`, unknown routes as 404 (R45).

    A body already in that shape (the app's own, or the authorizer's) is kept.
    """
    from chalicelib import errors

    try:
        data = json.loads(body or b"{}")
    except ValueError:
        data = {}
    if isinstance(data, dict) and "Code" in data and "Message" in data:
        return status, body
    if status == 403 and "Missing Authentication Token" in str(data):
        status = 404
    known: dict[int, type[errors.DomainError]] = {
        400: errors.BadRequest, 401: errors.Unauthorized, 403: errors.Forbidden, 404: errors.NotFound,
        405: errors.MethodNotAllowed, 411: errors.LengthRequired, 413: errors.PayloadTooLarge,
    }
    error = known.get(status, errors.Refused)()
    return status, json.dumps(error.body(), separators=(",", ":")).encode()


def make_handler(gateway: Any, dist: Path, outbox: Any) -> type[BaseHTTPRequestHandler]:
    from chalice.local import LocalGatewayException

    from chalicelib.http import SECURITY_HEADERS

    # The server's own refusals carry the API's headers, as API Gateway's gateway responses and CloudFront do.
    refusal_headers = dict(SECURITY_HEADERS)
    page_headers = {**PAGE_HEADERS, "Cache-Control": "no-store"}
    root = dist.resolve()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # A request line too garbled to name a version is answered with a status line and headers, not as HTTP/0.9.
        default_request_version = "HTTP/1.1"
        server_version = "virtual-visits-dev"
        timeout = 60  # a client that sends less than its Content-Length does not hold a thread for ever

        def log_message(self, format: str, *args: Any) -> None:
            return  # request lines would carry nothing useful, and quiet is kinder to the terminal

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            """http.server's own refusals (a malformed request line, a method it does not know, headers too long):
            the API's error shape, not its HTML page. Each is about the request, so never a 5xx: a method it does
            not know is 405 (as API Gateway answers), an HTTP version it does not speak 400."""
            self.close_connection = True
            self._refuse(405 if code == 501 else 400 if code >= 500 else code)

        def _refuse(self, status: int, body: bytes = b"") -> None:
            self._send(*refusal(status, body), refusal_headers)

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _body(self) -> bytes | None:
            """The request's body, or None once it was refused: only a Content-Length the server can trust."""
            lengths = self.headers.get_all("Content-Length") or []
            if self.headers.get("Transfer-Encoding") or len(set(lengths)) > 1:
                self.close_connection = True  # whatever follows on this connection cannot be told apart
                self._refuse(411)
                return None
            if lengths and not CONTENT_LENGTH.fullmatch(lengths[0].strip()):
                self.close_connection = True
                self._send(*_as(BadContentLength), refusal_headers)
                return None
            length = int(lengths[0]) if lengths else 0
            if length > MAX_REQUEST_BYTES:
                self.close_connection = True
                self._refuse(413)
                return None
            return self.rfile.read(length) if length else b""

        def _api(self, body: bytes) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                response = gateway.handle_request(self.command, self.path, headers, body)
            except LocalGatewayException as exc:
                self._refuse(exc.CODE, exc.body or b"")
                return
            except UnicodeEncodeError:
                # Chalice's local gateway answers an unknown route that came with an Authorization header by
                # quoting the header as ASCII; a non-ASCII one raised. API Gateway answers such a route 403,
                # which our gateway responses give as 404.
                self._refuse(404)
                return
            raw = response.get("body") or ""
            payload = raw.encode() if isinstance(raw, str) else raw
            out = {**refusal_headers, **(response.get("headers") or {})}
            for name, values in (response.get("multiValueHeaders") or {}).items():
                out[name] = ", ".join(values)
            status = int(response["statusCode"])
            if status >= 400:
                status, payload = refusal(status, payload)
            self._send(status, payload, out)

        def _static(self) -> None:
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            if path == "/outbox":
                self._send(200, outbox().encode(), {"Content-Type": "text/html; charset=utf-8", **PAGE_HEADERS,
                                                    "Cache-Control": "no-store"})
                return
            if not (dist / "index.html").is_file():
                self._send(200, b"<h1>The front end is not built yet.</h1><p>Run <code>make dev</code>.</p>",
                           {"Content-Type": "text/html; charset=utf-8", **page_headers})
                return
            target = _inside(root, PAGES.get(path, path.lstrip("/")))
            if target is None:
                self._refuse(404)
                return
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            cache = "public, max-age=31536000, immutable" if "/assets/" in path else "no-store"
            headers = {"Content-Type": ctype, "Cache-Control": cache, **PAGE_HEADERS}
            body = target.read_bytes()
            # As CloudFront serves the built front end (its behaviours compress): text gzipped for a browser that
            # takes it, so a page's weight here is what a client downloads (the slow-phone benchmark relies on it).
            if ctype.startswith(COMPRESSED) and "gzip" in self.headers.get("Accept-Encoding", ""):
                body = _gzipped(target, body)
                headers.update({"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
            self._send(200, body, headers)

        def _route(self) -> None:
            body = self._body()
            if body is None:
                return
            if self.path.startswith("/api/"):
                self._api(body)
            else:
                self._static()

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _route

        def __getattr__(self, name: str) -> Any:
            # Any other method (TRACE, QUERY, ...) reaches the gateway too, which refuses it with a JSON 405;
            # http.server alone would answer 501 (now a JSON 405 too, through send_error).
            if name.startswith("do_") and self.path.startswith("/api/"):
                return self._route
            raise AttributeError(name)

    return Handler


def _as(error: Any) -> tuple[int, bytes]:
    return error.status, json.dumps(error().body(), separators=(",", ":")).encode()


def _inside(root: Path, name: str) -> Path | None:
    """The file `name` under `root`, or None: never a path outside it, whatever `..`, links or a sibling folder
    named like it (`dist-old` beside `dist`) try."""
    try:
        target = (root / name).resolve()
    except (OSError, ValueError):  # a NUL byte, a loop of links
        return None
    if not target.is_relative_to(root) or not target.is_file():
        return None
    return target


LINK = re.compile(r"https?://[^\s<>\"']+")


def _with_links(text: str) -> str:
    """The text, escaped, with each http(s) address in it a link (the join link, to click)."""
    out, last = [], 0
    for match in LINK.finditer(text):
        url = match.group(0)
        out += [escape(text[last:match.start()]), f'<a href="{escape(url)}">{escape(url)}</a>']
        last = match.end()
    return "".join(out) + escape(text[last:])


def _item(m: dict[str, Any]) -> str:
    """One email or text message, as a phone would show it: its join link a link to click."""
    channel = m.get("channel", "email")
    title = escape(m["subject"]) if channel == "email" else "Text message"
    attachments = m.get("attachments") or []
    attached = f"<p>Attached: {escape(', '.join(attachments))}</p>" if attachments else ""
    return (f"<article class={escape(channel)}><h2>{title}</h2>"
            f"<p>{'Email' if channel == 'email' else 'Text'} to {escape(m['to'])} · {escape(str(m['sent_at']))}</p>"
            f"<pre>{_with_links(m['text'])}</pre>{attached}</article>")


def outbox_page(read: Any) -> str:
    """The sent emails and text messages, newest first, each join link a link."""
    items = list(reversed(read()))
    rows = "".join(_item(m) for m in items) or (
        "<p>Nothing sent yet. Send an invite by email or text message from the visit dialog.</p>")
    return ("<!doctype html><html lang=en><head><meta charset=utf-8><title>Outbox</title>"
            "<meta name=viewport content='width=device-width, initial-scale=1'>"
            "<link rel=icon href=/favicon.svg type=image/svg+xml><link rel=icon href=/favicon.ico sizes=32x32>"
            "<style>body{font:16px sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}"
            "article{border:1px solid #ccc;border-radius:8px;padding:1rem;margin:1rem 0}"
            "article.sms{background:#f3f7ff}pre{white-space:pre-wrap;overflow-wrap:anywhere}</style></head>"
            f"<body><h1>Outbox (local email and text messages)</h1>{rows}</body></html>")


class _Server(ThreadingHTTPServer):
    # The default backlog of 5 resets connections when many clients (50 racing test threads) connect at once.
    request_queue_size = 128


def serve(host: str, port: int, gateway: Any, dist: Path, read_outbox: Any) -> ThreadingHTTPServer:
    server = _Server((host, port), make_handler(gateway, dist, lambda: outbox_page(read_outbox)))
    server.daemon_threads = True
    return server
