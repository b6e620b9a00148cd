"""The first document answer of a fresh install, from an empty data directory, as `styrbot ask` gives it.

A fresh install reads in the bundled demo corpus (eleven files) on its first document question, and builds
the law's passages. Almost all of that cost is embedding some 1,800 texts; `bot.known_vectors` ships their
vectors computed ahead. The baseline is the same command with those files hidden, so every text is embedded
(the path before issue 20). Both answers must be the same.

Also timed: the next document answer in a new process once the index exists (the CLI's whole cost:
imports, opening the index, answering), against a rule answer in a new process (the floor of starting up).

Targets (issue 20): the first document answer within 30 s on two cores, the next within 3 s.

    python benchmarks/first_answer_bench.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUESTION = "Vad menas med tillitsbaserat ledarskap?"
RULE_QUESTION = "Vem beslutar om skattesatsen?"
STYRBOT = [sys.executable, "-m", "bot"]
# The same command with the known vectors out of reach: every text is embedded, as before issue 20.
WITHOUT_KNOWN_VECTORS = [
    sys.executable,
    "-c",
    "from pathlib import Path; import bot.known_vectors as known; "
    "known.LAW_VECTORS = known.CORPUS_VECTORS = Path('/no/known/vectors'); "
    "from bot.cli import main; main()",
]


def _ask(command: list[str], data_dir: Path, question: str) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(
        [*command, "ask", "--data-dir", str(data_dir), question], capture_output=True, text=True, check=True
    )
    return time.perf_counter() - started, result.stdout


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        before, before_answer = _ask(WITHOUT_KNOWN_VECTORS, root / "before", QUESTION)
        after, after_answer = _ask(STYRBOT, root / "after", QUESTION)
        print(
            f"first document answer, empty data directory: {after:.1f} s (baseline {before:.1f} s, "
            f"ratio {after / before:.2f}); same answer: {'yes' if after_answer == before_answer else 'NO'}"
        )
        warm = min(_ask(STYRBOT, root / "after", QUESTION)[0] for _ in range(3))
        floor = min(_ask(STYRBOT, root / "after", RULE_QUESTION)[0] for _ in range(3))
        print(
            f"next document answer, index exists, new process: {warm:.1f} s "
            f"(rule answer in a new process {floor:.1f} s, ratio {warm / floor:.2f})"
        )


if __name__ == "__main__":
    main()
