"""A stand-in for Slack's Web API (and response URLs) on loopback: the only fake in the Slack tests.

It records every call with its body, keeps the messages posted to each channel (with their metadata) so
that `conversations.history` can return them as Slack would, takes file uploads the way files_upload_v2
sends them (an upload URL, the bytes posted there, then files.completeUploadExternal), and can be told to
fail the next posts with 429 (Retry-After) or 500, as Slack does when it is busy, or take the next posts
and lose the reply (the connection dropped, or the reply late), as a flaky network does.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class SlackApi:
    """Serve on a free port: `url` is the Web API's base URL (…/api/), other paths act as response URLs."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self.uploads: dict[str, bytes] = {}  # file id: the bytes uploaded to it
        self._failures: list[tuple[int, int | None]] = []
        self._lost: list[float | None] = []  # per post to come: drop the reply (None) or send it this late
        self._refused: dict[str, str] = {}  # method path: the error Slack answers it with
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # the name http.server calls
                data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.startswith("/upload/"):  # a file's bytes, as files.slack.com takes them
                    api._handle(self, {"bytes": data})
                    return
                raw = data.decode()
                if "json" in (self.headers.get("Content-Type") or ""):
                    body = json.loads(raw) if raw else {}
                else:
                    body = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
                api._handle(self, body)

            def do_GET(self) -> None:
                query = urllib.parse.urlparse(self.path).query
                api._handle(self, {k: v[0] for k, v in urllib.parse.parse_qs(query).items()})

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/api/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, count: int, status: int, retry_after: int | None = None) -> None:
        """Answer the next `count` chat.postMessage calls with `status` (429 with Retry-After, 500 …)."""
        with self._lock:
            self._failures += [(status, retry_after)] * count

    def lose_next_replies(self, count: int, late_by: float | None = None) -> None:
        """Take the next `count` chat.postMessage calls (the message is posted) but close the connection
        without a reply, or with `late_by`, reply only after that many seconds."""
        with self._lock:
            self._lost += [late_by] * count

    def refuse(self, path: str, error: str) -> None:
        """Answer every call of this method with Slack's `{"ok": false, "error": …}` ("missing_scope" …)."""
        with self._lock:
            self._refused[path] = error

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()
            self.messages.clear()
            self.uploads.clear()
            self._failures.clear()
            self._lost.clear()
            self._refused.clear()

    def _handle(self, handler: BaseHTTPRequestHandler, body: dict[str, Any]) -> None:
        path = urllib.parse.urlparse(handler.path).path
        with self._lock:
            self.calls.append((path, body))
            posting = path == "/api/chat.postMessage"
            failure = self._failures.pop(0) if posting and self._failures else None
            lost = posting and failure is None and bool(self._lost)
            late_by = self._lost.pop(0) if lost else None
            if failure is None:
                reply = self._reply(path, body)
        if lost and late_by is None:  # taken, but the connection drops before the reply
            handler.close_connection = True
            return
        if late_by is not None:
            time.sleep(late_by)
        if failure is not None:
            status, retry_after = failure
            self._send(
                handler,
                {"ok": False, "error": "ratelimited" if status == 429 else "internal_error"},
                status,
                {"Retry-After": str(retry_after)} if retry_after is not None else {},
            )
            return
        self._send(handler, reply, 200, {})

    def _reply(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        if path in self._refused:
            return {"ok": False, "error": self._refused[path]}
        if path == "/api/chat.postMessage":
            ts = f"{int(time.time())}.{next(self._ts):06d}"
            metadata = body.get("metadata")
            message = {
                "ts": ts,
                "text": body.get("text"),
                "metadata": json.loads(metadata) if isinstance(metadata, str) else metadata,
            }
            self.messages.setdefault(str(body.get("channel")), []).append(message)
            return {"ok": True, "ts": ts, "channel": body.get("channel")}
        if path == "/api/conversations.history":
            oldest = float(body.get("oldest") or 0)
            found = [m for m in self.messages.get(str(body.get("channel")), []) if float(m["ts"]) >= oldest]
            if str(body.get("include_all_metadata")).lower() not in {"1", "true"}:
                found = [{k: v for k, v in m.items() if k != "metadata"} for m in found]
            return {"ok": True, "messages": list(reversed(found)), "has_more": False}
        if path == "/api/files.getUploadURLExternal":
            file_id = f"F{next(self._ts):06d}"
            return {"ok": True, "file_id": file_id, "upload_url": self.url.replace("/api/", f"/upload/{file_id}")}
        if path.startswith("/upload/"):
            self.uploads[path.rsplit("/", 1)[-1]] = body["bytes"]
            return {"ok": True}
        if path == "/api/files.completeUploadExternal":
            files = json.loads(body["files"]) if isinstance(body.get("files"), str) else body.get("files") or []
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        return {"ok": True, "ts": "1700000000.000200", "channel": body.get("channel")}

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, payload: dict[str, Any], status: int, headers: dict[str, str]) -> None:
        reply = json.dumps(payload).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(reply)))
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(reply)
        except (BrokenPipeError, ConnectionResetError):  # the client stopped waiting (a late reply)
            pass

    def posted(self, path: str = "/api/chat.postMessage") -> list[dict[str, Any]]:
        with self._lock:
            return [body for p, body in self.calls if p == path]

    def wait_for(self, count: int, path: str = "/api/chat.postMessage", timeout: float = 5.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.posted(path)) < count:
            time.sleep(0.01)
        return self.posted(path)

    def delivered(self) -> list[dict[str, Any]]:
        """Every message Slack accepted (not the refused attempts), with its channel."""
        with self._lock:
            return [m | {"channel": c} for c, messages in self.messages.items() for m in messages]
