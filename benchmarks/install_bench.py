"""Install size and time from a clean virtual environment: the default install against the one with the
`sentence-transformers` extra, which is what the default install was before issue 20 (torch included).

Both install the project as a wheel (`pip install .`, as the Dockerfile does) from the same package
sources this machine is configured with, one after the other.

    python benchmarks/install_bench.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _install(venv: Path, target: str) -> tuple[float, int]:
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    started = time.perf_counter()
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", target], check=True, capture_output=True)
    seconds = time.perf_counter() - started
    size = sum(path.stat().st_size for path in venv.rglob("*") if path.is_file() and not path.is_symlink())
    return seconds, size


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        before = _install(Path(scratch) / "with-extra", f"{ROOT}[sentence-transformers]")
        after = _install(Path(scratch) / "default", str(ROOT))
    for name, (ours, baseline) in (("time", (after[0], before[0])), ("size", (after[1], before[1]))):
        shown = (
            (f"{ours:.0f} s", f"{baseline:.0f} s")
            if name == "time"
            else (f"{ours / 2**20:.0f} MB", f"{baseline / 2**20:.0f} MB")
        )
        print(
            f"install {name}: {shown[0]} (with the sentence-transformers extra {shown[1]}, ratio {ours / baseline:.2f})"
        )


if __name__ == "__main__":
    main()
