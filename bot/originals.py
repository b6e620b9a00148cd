"""Uploaded originals under `<data dir>/documents/`, one folder per version of the bytes.

A version's file never changes once it is in place (`<first 16 hex digits of its SHA-256>/<name>`), so
the manifest's record names exactly the bytes its chunks came from: an upload puts the new file beside
the old one, the indexer publishes the new version, and only then is the old file deleted. A crash at
any point leaves files that no record names, and an upload's temporary `.incoming-*` folder; `tidy`
removes both when the library opens.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from knowledge.crashpoints import wrote

INCOMING = ".incoming-"  # an upload being parsed
SHARED_GRACE_SECONDS = 3600  # on a volume replicas share, younger strays may be another replica's upload
log = logging.getLogger(__name__)


class Originals:
    """The folder of uploaded originals."""

    def __init__(self, folder: Path, shared: bool) -> None:
        self.folder = folder.resolve()
        self.shared = shared

    @contextmanager
    def incoming(self) -> Iterator[Path]:
        """A temporary folder for an upload while it is parsed, deleted afterwards whatever happens."""
        self.folder.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(dir=self.folder, prefix=INCOMING))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def keep(self, upload: Path, file_hash: str) -> Path:
        """Move a parsed upload to its version's place (unless the same bytes are there already)."""
        final = self.folder / file_hash[:16] / upload.name
        if not final.exists():
            final.parent.mkdir(exist_ok=True)
            os.replace(upload, final)
            wrote("original put in place")
        return final

    def discard(self, file: Path) -> None:
        """Delete an original if it is an upload (files ingested from elsewhere are somebody's own), and
        its version's folder when that is left empty."""
        if not file.is_relative_to(self.folder) or file == self.folder:
            return
        file.unlink(missing_ok=True)
        wrote("original deleted")
        if file.parent != self.folder:
            with contextlib.suppress(OSError):  # not empty: another document's file of the same bytes
                file.parent.rmdir()

    def tidy(self, named: set[Path]) -> list[str]:
        """Delete what an interrupted upload or removal left: files no record names, `.incoming-*` folders
        and empty version folders. On a shared volume only what is older than an hour is touched."""
        if not self.folder.is_dir():
            return []
        cutoff = time.time() - SHARED_GRACE_SECONDS if self.shared else float("inf")
        gone: list[str] = []
        for entry in sorted(self.folder.iterdir()):
            if _modified(entry) > cutoff:
                continue
            if entry.name.startswith(INCOMING) and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
                gone.append(entry.name)
            elif entry.is_dir():
                gone += [f"{entry.name}/{f.name}" for f in self._strays(entry.iterdir(), named, cutoff)]
                if not any(entry.iterdir()):
                    entry.rmdir()
            else:
                gone += [f.name for f in self._strays([entry], named, cutoff)]
        for name in gone:
            log.warning("deleted an original no document names (an interrupted change): %s", name)
        return gone

    @staticmethod
    def _strays(files: Iterator[Path] | list[Path], named: set[Path], cutoff: float) -> list[Path]:
        strays = [f for f in files if f.is_file() and f not in named and _modified(f) <= cutoff]
        for stray in strays:
            stray.unlink(missing_ok=True)
        return strays


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
