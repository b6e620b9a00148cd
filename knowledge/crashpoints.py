"""Fault injection for the crash tests: a process that kills itself right after its N-th document write.

Every durable write of a document change (a Chroma upsert or delete, the manifest, the BM25 file, an
original put in place or removed) calls `wrote()` once it is done. With `STYRBOT_CRASH_AFTER_WRITE=N`
set, the N-th such call kills the process with SIGKILL, as a power cut or the OOM killer would: no
`finally`, no atexit, nothing flushed. Unset (always, outside tests) a call costs one comparison.

A test counts N up from 1 until an upload or removal completes, restarting the server after each kill,
and so crashes it after every write there is, including writes added later.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

ENV = "STYRBOT_CRASH_AFTER_WRITE"

_limit = int(os.environ.get(ENV) or 0)  # read once: the test sets it in the server's environment
_written = 0
_counting = threading.Lock()


def wrote(what: str) -> None:
    """A document write is durable; the N-th of the process is its last when a crash test asks for it."""
    global _written
    if not _limit:
        return
    with _counting:
        _written += 1
        if _written == _limit:
            sys.stderr.write(f"crash test: killed after write {_written}, {what}\n")
            sys.stderr.flush()
            os.kill(os.getpid(), signal.SIGKILL)
