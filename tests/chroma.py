"""A real Chroma server for the tests that need one: `chroma run` on a free loopback port.

The `chroma` command comes with the chromadb wheel, so it is always there when Styrbot is installed; a
server that does not answer its heartbeat in time fails the test with its log.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.web import terminate


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def chroma_server(path: Path) -> Iterator[str]:
    """A Chroma server keeping its data in `path`; its URL. Stopped (SIGTERM) at the end."""
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
