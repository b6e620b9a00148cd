"""The rules as the profile files read now: one source, with one reload policy, for every reader.

A running Styrbot answers questions, lists deadlines, serves the calendar feed, draws the wheel and
posts reminders. All of them ask one `RulesSource` for the current `RulesEngine`, so an edit of a
profile is seen by all of them alike, at once: when a YAML file of the profiles folder (or of the drafted
profiles beside it) is added, removed or changed, the next reader gets rules read anew. A broken edit is
logged and the last good rules are kept (a typo in a profile never takes the service down).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from rules.engine import RulesEngine
from rules.errors import ProfileError

T = TypeVar("T")
log = logging.getLogger(__name__)


class RulesSource:
    """The current rules (`source()`), read again after an edit of the profiles in `folder`.

    `derived(make)` is something computed from the rules (the rules' passages, a reader's vocabulary),
    computed once for each reading of the rules and again after an edit. A source without a folder never
    reloads (`RulesSource.fixed`)."""

    def __init__(
        self,
        load: Callable[[], RulesEngine],
        folder: Path | None,
        engine: RulesEngine | None = None,
        drafts: Path | None = None,
    ) -> None:
        self._load = load
        self.folder = folder
        self.drafts = drafts
        self._lock = threading.Lock()
        self._seen = self._stamp()
        self._engine = engine or load()
        self._derived: dict[Callable[[RulesEngine], Any], tuple[RulesEngine, Any]] = {}

    @classmethod
    def watching(cls, profiles_dir: Path | None, drafts: Path | None = None) -> RulesSource:
        """The profiles of `profiles_dir` (None: the bundled ones) and the drafted ones in `drafts`, followed
        as they are edited, drafted or accepted."""
        folder = profiles_dir if profiles_dir is not None else Path(str(resources.files("rules") / "data"))
        return cls(lambda: RulesEngine(data_dir=profiles_dir, drafts=drafts), folder, drafts=drafts)

    @classmethod
    def fixed(cls, engine: RulesEngine) -> RulesSource:
        """Rules that never change (a test's, a benchmark's, an evaluation's)."""
        return cls(lambda: engine, None, engine)

    @property
    def current(self) -> RulesEngine:
        """The rules as last read, without looking at the files (for each step of one piece of work)."""
        return self._engine

    def __call__(self) -> RulesEngine:
        """The rules as the files read now (a look at them costs one stat per profile, about 0.1 ms)."""
        if self.folder is None:
            return self._engine
        with self._lock:
            stamp = self._stamp()
            if stamp != self._seen:
                self._seen = stamp
                try:
                    self._engine = self._load()
                    log.info("profiles changed: the new rules are used from now on", extra={"folder": str(self.folder)})
                except ProfileError as exc:
                    log.error("profiles changed but cannot be read; the previous rules are kept: %s", exc)
        return self._engine

    def derived(self, make: Callable[[RulesEngine], T]) -> T:
        """`make(rules)` for the current rules, computed once for each reading of them."""
        engine = self()
        found = self._derived.get(make)
        if found is None or found[0] is not engine:
            found = (engine, make(engine))
            self._derived[make] = found
        value: T = found[1]
        return value

    def _stamp(self) -> tuple[tuple[str, int, int], ...]:
        if self.folder is None:
            return ()
        found = []
        folders = [self.folder, *([self.drafts / "municipalities"] if self.drafts is not None else [])]
        for path in sorted(p for folder in folders if folder.is_dir() for p in folder.rglob("*.yaml")):
            try:
                info = path.stat()
            except OSError:
                continue  # removed while we looked
            found.append((str(path), info.st_mtime_ns, info.st_size))
        return tuple(found)


def as_source(rules: RulesEngine | RulesSource) -> RulesSource:
    """A source of `rules`: itself, or fixed rules."""
    return rules if isinstance(rules, RulesSource) else RulesSource.fixed(rules)
