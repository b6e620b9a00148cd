"""A real PostgreSQL server for the tests that need one: several replicas sharing one database.

`STYRBOT_TEST_POSTGRES_URL` names a server to use (a SQLAlchemy URL with a user allowed to create
databases). Without it, a throwaway cluster is started from the local PostgreSQL binaries (Debian's
`postgresql` package): `initdb` into a temp directory, trust authentication on 127.0.0.1, fsync off, a
free port; it is stopped and removed at the end of the session. When root runs the tests, the cluster
runs as the `postgres` user, since PostgreSQL refuses to run as root.

Where there is no PostgreSQL at all the tests are skipped, unless `STYRBOT_REQUIRE_POSTGRES=1` (set by
CI), which turns the skip into a failure: CI never passes without having run them.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

URL_VARIABLE = "STYRBOT_TEST_POSTGRES_URL"


def _bindir() -> Path | None:
    try:
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
        if (Path(found) / "initdb").exists():
            return Path(found)
    except (OSError, subprocess.CalledProcessError):
        pass
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return candidates[0].parent if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _unavailable(reason: str) -> None:
    if os.environ.get("STYRBOT_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL is required here but unavailable: {reason}")
    pytest.skip(f"no PostgreSQL: {reason}")


@contextmanager
def postgres_server() -> Iterator[str]:
    """The base URL of a running server (its `postgres` database)."""
    given = os.environ.get(URL_VARIABLE)
    if given:
        yield given
        return
    bindir = _bindir()
    if bindir is None:
        _unavailable(f"set {URL_VARIABLE} or install PostgreSQL (apt-get install postgresql)")
        return
    as_root = os.geteuid() == 0
    user = "postgres" if as_root else None
    if as_root:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            _unavailable("running as root and there is no postgres user to run the server")
    home = Path(tempfile.mkdtemp(prefix="styrbot-pg-"))
    if as_root:
        shutil.chown(home, "postgres", "postgres")
    data, port = home / "data", _free_port()

    def run(*args: str) -> None:
        subprocess.run(args, check=True, capture_output=True, user=user, cwd=home, timeout=120)

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8")
        options = f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(home / "log"), "-w", "-o", options, "start")
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(home, ignore_errors=True)
        _unavailable(f"could not start a throwaway cluster: {exc.stderr.decode(errors='replace')[-500:]}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            user=user,
            cwd=home,
            timeout=60,
        )
        shutil.rmtree(home, ignore_errors=True)


@contextmanager
def fresh_database(server: str) -> Iterator[str]:
    """A new, empty database on the server for one test; dropped afterwards."""
    name = f"styrbot_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'create database "{name}"'))
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'drop database if exists "{name}" with (force)'))
    finally:
        admin.dispose()
