"""The web adapter's price: a question over HTTP against the same question answered in-process, and an
upload through the document API against the same file added to the library directly.

The real app runs under uvicorn on loopback with the rules engine, the bundled e5 model, Chroma and BM25
behind it (a fresh data directory, no demo corpus). Figures, all from the same run:

- questions: p50/p95 of `Answerer.answer` called directly (the baseline) and of `POST /api/v1/ask`
  (JSON, validation, the rate limiter, citation links, uvicorn), one at a time and from 4 clients at once;
- uploads: `DocumentLibrary.add` (the baseline) against `POST /api/v1/documents` (multipart, the
  bearer check, the size limit, the per-file result) for the demo corpus's PDFs, each into an empty
  library of its own (a library reuses the vectors of text it has embedded before);
- the page: what a first visit loads (`/`, the script, the style, the municipalities, the deadlines).

    python benchmarks/web_bench.py [--n 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from bot.answering import Answerer, Question
from bot.library import DocumentLibrary
from bot.services import Services
from bot.settings import Settings
from bot.web import WebConfig, create_app
from rules import RulesEngine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.web: the server the tests use
from tests.web import serving

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "När ska delårsrapporten vara klar?",
    "Vem beslutar om skattesatsen?",
    "Får jag som ledamot bestämma vem som ska leda projektet?",
    "Vad menas med tillitsbaserat ledarskap?",  # a document question, once the PDFs are uploaded
]
TOKEN = "bench"


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(0.95 * (len(ordered) - 1))] * 1000


def timed(call: object) -> float:
    start = time.perf_counter()
    call()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200, help="questions per configuration")
    args = parser.parse_args()
    pdfs = sorted((ROOT / "corpus" / "pdf").glob("*.pdf"))

    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as other:
        engine = RulesEngine()
        # two libraries in two data directories, so neither reuses the other's embeddings
        direct_library = DocumentLibrary(Settings(data_dir=Path(other), demo=False), engine.store.municipality_of_file)
        library = DocumentLibrary(Settings(data_dir=Path(folder), demo=False), engine.store.municipality_of_file)
        answerer = Answerer(engine, "exempelkommun", library)
        app = create_app(Services(answerer, library=library), config=WebConfig(admin_token=TOKEN, ask_per_minute=0))
        with serving(app) as url, httpx.Client(base_url=url, timeout=300) as client:
            print(f"uploads ({len(pdfs)} PDFs of the demo corpus into an empty library)")
            for warm in (library, direct_library):  # the model loaded and the indexes open before timing
                warm.add("warm.txt", "Uppvärmning\n\nModellen laddas.".encode())
            direct = [timed(lambda p=p: direct_library.add(p.name, p.read_bytes())) for p in pdfs]
            headers = {"Authorization": f"Bearer {TOKEN}"}
            over_http = [
                timed(
                    lambda p=p: client.post(
                        "/api/v1/documents", headers=headers, files={"files": (p.name, p.read_bytes())}
                    ).raise_for_status()
                )
                for p in pdfs
            ]
            print(f"  library.add directly      {sum(direct):7.2f} s in all   1x")
            print(f"  POST /api/v1/documents    {sum(over_http):7.2f} s in all   {sum(over_http) / sum(direct):.2f}x")

            print(f"questions ({args.n} each, {len(QUESTIONS)} kinds in turn)")
            asked = [QUESTIONS[i % len(QUESTIONS)] for i in range(args.n)]
            for question in QUESTIONS:  # every path warm
                answerer.answer(Question(question))
            base = [timed(lambda q=q: answerer.answer(Question(q))) for q in asked]
            http = [
                timed(lambda q=q: client.post("/api/v1/ask", json={"question": q}).raise_for_status()) for q in asked
            ]

            def one(question: str) -> float:
                return timed(
                    lambda: httpx.post(f"{url}/api/v1/ask", json={"question": question}, timeout=300).raise_for_status()
                )

            with ThreadPoolExecutor(4) as pool:
                start = time.perf_counter()
                loaded = list(pool.map(one, asked))
                wall = time.perf_counter() - start
            b50, b95 = percentiles(base)
            for name, samples in (
                ("Answerer.answer in-process", base),
                ("POST /api/v1/ask", http),
                ("POST /api/v1/ask, 4 clients", loaded),
            ):
                p50, p95 = percentiles(samples)
                print(f"  {name:28} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms   {p50 / b50:.2f}x / {p95 / b95:.2f}x")
            print(
                f"  answers/s: in-process {len(asked) / sum(base):.1f}, over HTTP one at a time "
                f"{len(asked) / sum(http):.1f}, 4 clients at once {len(asked) / wall:.1f}"
            )

            first_visit = [
                "/",
                "/static/chat.js",
                "/static/chat.css",
                "/api/v1/municipalities",
                "/api/v1/deadlines?municipality=exempelkommun&days=120",
            ]
            visits = [timed(lambda: [client.get(path).raise_for_status() for path in first_visit]) for _ in range(50)]
            p50, p95 = percentiles(visits)
            size = sum(len(client.get(path).content) for path in first_visit)
            print(f"page: a first visit's {len(first_visit)} requests p50 {p50:.1f} ms, p95 {p95:.1f} ms, {size} bytes")


if __name__ == "__main__":
    main()
