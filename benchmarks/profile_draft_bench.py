"""What drafting a municipality's profile costs: the 001 styrmodell (17 pages) as Word and as PDF.

    python benchmarks/profile_draft_bench.py

The baseline, measured in the same run, is `ingest` reading the file (what `styrbot ingest` does before it
chunks and embeds). Against it: the drafter on what was read (passages, date rules, who acts, keys, merging,
the law's deadlines), and the whole `styrbot profile draft` path (reading, drafting, writing the profile,
the texts and the review list). Median of several rounds, in one process on this machine's cores. Not a
test: it prints figures.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bot.profiles.drafting import draft_documents, write_draft
from ingest.pipeline import process_file
from rules.profiles import ProfileStore

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
FILES = [CORPUS / "docx" / "001_styrmodell.docx", CORPUS / "pdf" / "001_styrmodell.pdf"]
ROUNDS = 7


def _seconds(started: float) -> float:
    return time.perf_counter() - started


def main() -> None:
    store = ProfileStore()
    for path in FILES:
        reading, drafting, whole = [], [], []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            document = process_file(path).document
            reading.append(_seconds(started))
            assert document is not None
            started = time.perf_counter()
            drafted, _ = draft_documents([(path, document)], "exempel", "Exempelkommun", store)
            drafting.append(_seconds(started))
            with tempfile.TemporaryDirectory() as out:
                started = time.perf_counter()
                read = process_file(path).document
                assert read is not None
                result, quoted = draft_documents([(path, read)], "exempel", "Exempelkommun", store)
                write_draft(result, quoted, Path(out))
                whole.append(_seconds(started))
        base = statistics.median(reading)
        print(f"{path.name}: {len(drafted.events)} events, {len(drafted.decisions)} decisions")
        print(f"  reading the file (baseline)   {base * 1000:7.0f} ms   1.00")
        print(f"  drafting what was read        {statistics.median(drafting) * 1000:7.0f} ms   "
              f"{statistics.median(drafting) / base:4.2f}")  # fmt: skip
        print(f"  styrbot profile draft, whole  {statistics.median(whole) * 1000:7.0f} ms   "
              f"{statistics.median(whole) / base:4.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
