"""The real FastAPI app on a free loopback port: in a thread (`serving`), or as the real `styrbot serve`
command in a subprocess (`start_serve`, `started`)."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Serve `app` for as long as the block runs; yields its base URL."""
    import uvicorn

    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    port = uv.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(5)


def ask(url: str, question: str, **extra: Any) -> dict[str, Any]:
    """`POST /api/v1/ask` on the server at `url`: the answer JSON (an HTTP error fails the test)."""
    response = httpx.post(f"{url}/api/v1/ask", json={"question": question, **extra}, timeout=120)
    response.raise_for_status()
    answer: dict[str, Any] = response.json()
    return answer


def start_serve(env: Mapping[str, str], cwd: Path, *args: str) -> tuple[subprocess.Popen[str], queue.Queue[str | None]]:
    """`python -m bot serve --port 0` with this environment; its log lines arrive on the queue."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", "0", *args],
        env=dict(env),
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_read, args=(process.stderr, lines), daemon=True).start()
    return process, lines


def terminate(process: subprocess.Popen[Any], seconds: float) -> None:
    """SIGTERM, and SIGKILL if the process has not stopped after `seconds`."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def stop_serve(process: subprocess.Popen[str], lines: queue.Queue[str | None]) -> list[str]:
    """Stop a server started by `start_serve` (SIGTERM, then SIGKILL after a minute); its remaining log."""
    terminate(process, 60)
    rest = []
    while (line := lines.get(timeout=10)) is not None:
        rest.append(line)
    if process.stderr is not None:
        process.stderr.close()
    return rest


def clean_environment() -> dict[str, str]:
    """This process's environment without any Styrbot or Slack setting (the test gives its own)."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "STYRBOT_"))}


def started(
    process: subprocess.Popen[str], lines: queue.Queue[str | None], seen: list[str] | None = None, seconds: float = 120
) -> str:
    """The server's address from its log, or a failure with the log if it never says so in time. The lines
    read meanwhile are added to `seen`."""
    seen = [] if seen is None else seen
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:  # the log ended: the server stopped
            break
        seen.append(line)
        found = re.search(r"Uvicorn running on (http://127\.0\.0\.1:\d+)", line)
        if found:
            return found.group(1)
    raise AssertionError(f"styrbot serve did not start (exit {process.poll()}):\n" + "".join(seen))


def _read(stream: Any, lines: queue.Queue[str | None]) -> None:
    """Keep reading the server's log, so a full pipe never blocks it."""
    for line in stream:
        lines.put(line)
    lines.put(None)
