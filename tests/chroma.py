"""A real Chroma server for the tests that need one.

`STYRBOT_TEST_CHROMA_URL` names a running server (`.ci/run` starts one for the whole run); each test then
gets collection names of its own (a fresh `STYRBOT_CHROMA_PREFIX`), as separate installations sharing one
server would. Without it, a throwaway `chroma run` is started on a free loopback port for the test. The
`chroma` command comes with the chromadb wheel, so it is always there when Styrbot is installed; a server
that does not answer its heartbeat in time fails the test with its log.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.web import terminate


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


URL_VARIABLE = "STYRBOT_TEST_CHROMA_URL"


@dataclass(frozen=True)
class ChromaServer:
    """Where the test's collections live: the server, and the prefix of their names."""

    url: str
    prefix: str


@contextmanager
def chroma_server(path: Path) -> Iterator[ChromaServer]:
    """The given server with a fresh prefix, or a throwaway one keeping its data in `path` (stopped with
    SIGTERM at the end)."""
    given = os.environ.get(URL_VARIABLE)
    if given:
        yield ChromaServer(given.rstrip("/"), f"test-{uuid.uuid4().hex[:12]}")
        return
    with _throwaway(path) as url:
        yield ChromaServer(url, "styrbot")


@contextmanager
def _throwaway(path: Path) -> Iterator[str]:
    chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    if not Path(chroma).exists():
        pytest.fail("the `chroma` command (from the chromadb wheel) is not installed")
    port = _free_port()
    log = path.with_suffix(".log")
    with log.open("wb") as output:
        args = [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)]
        server = subprocess.Popen(args, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1).close()
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.1)
        else:
            pytest.fail(f"chroma run did not answer in 30 s:\n{log.read_text(errors='replace')[-2000:]}")
        if server.poll() is not None:
            pytest.fail(f"chroma run stopped (exit {server.returncode}):\n{log.read_text(errors='replace')[-2000:]}")
        yield url
    finally:
        terminate(server, 10)
