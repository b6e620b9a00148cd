"""How close a drafted profile comes to one a person wrote: recall and precision of dated events and recall
of decisions, quotes verbatim, and deadline questions answered from the draft accepted whole.

    python benchmarks/profile_draft_quality.py [--verbose]

The baseline is the hand-written profile: the four shipped ones (drafted from their Word and PowerPoint
renditions, and 001 from its PDF too), and sixteen municipalities in `eval/profiles/` whose documents, answer
keys and questions were written by sessions that never saw the drafter. A drafted event matches a hand-written
one when the date rule (a month's end counting as its last day) and the acting body are the same and the two
quote the same place (within 250 characters) or share two words of the topic; each entry of either side is
paired once, as many as can be; a step the person stated twice (the same body, date rule and title words)
counts once. Decisions match on the body and the place. Not a test: it prints figures.
"""

from __future__ import annotations

import calendar
import json
import re
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from bot.profiles.drafting import draft_documents
from bot.reading import Reader
from ingest.pipeline import process_file
from knowledge.bm25 import tokenize
from rules.drafting import Draft, Drafted
from rules.engine import RulesEngine
from rules.models import Decision, Event, Profile
from rules.profiles import ProfileStore, dump_profile, load_profile

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = {
    "exempelkommun": ["docx/001_styrmodell.docx"],
    "exempelkommun (PDF)": ["pdf/001_styrmodell.pdf"],
    "strangnas": ["docx/003_strangnas_styrmodell.docx"],
    "tranemo": ["pptx/004_tranemo_dialog_om_styrmodellen.pptx"],
    "trollhattan": ["pptx/000_trollhattan_styrning_och_ledning.pptx"],
}
REFERENCES = {"exempelkommun": "001", "strangnas": "003", "tranemo": "004", "trollhattan": "000"}
WRITTEN_BLIND = ROOT / "eval" / "profiles"
TODAY = date(2026, 12, 7)


def _plain(text: str) -> str:
    return re.sub(r"[^0-9a-zåäöé]+", "", re.sub(r"-\s+", "", text.casefold()))


def _topic(text: str) -> set[str]:
    return {w[:7] for w in re.findall(r"[a-zåäö]{5,}", re.sub(r"-\s+", "", text.lower()))} - {"skall", "eventu"}


def _where(text: str, quote: str) -> int:
    plain = _plain(quote)
    found = text.find(plain)
    return text.find(plain[:30]) if found < 0 and len(plain) > 30 else found


def _date(rule: Any) -> tuple[Any, ...]:
    """A date rule as compared: a month's end is its last day ("senast sista okt" is "31/10")."""
    data = rule if isinstance(rule, dict) else rule.model_dump()
    data = {k: v for k, v in data.items() if k != "yearless" and v not in (None, ())}
    if data["kind"] == "month_end":
        data = {"kind": "fixed", "month": data["month"], "day": calendar.monthrange(2025, int(data["month"]))[1]}
    if data["kind"] == "relative":
        offset = data["offset"] if isinstance(data["offset"], dict) else data["offset"].model_dump()
        return ("relative", tuple(sorted((k, v) for k, v in offset.items() if v)), data["direction"])
    return tuple(sorted((k, str(v)) for k, v in data.items()))


def _matched(hand: list[Event] | list[Decision], drafted: list[Drafted], text: str) -> int:
    """How many hand entries a drafted one matches, each entry of either side used once, paired so that as
    many as possible match (a first-come pairing undercounts when two steps of one actor and month stand
    close together: the first takes the other's twin)."""
    candidates = [[index for index, proposed in enumerate(drafted) if _same(entry, proposed, text)] for entry in hand]
    partner: dict[int, int] = {}  # drafted index → hand index

    def pair(person: int, seen: set[int]) -> bool:  # an augmenting path (Kuhn's algorithm)
        for index in candidates[person]:
            if index not in seen:
                seen.add(index)
                if index not in partner or pair(partner[index], seen):
                    partner[index] = person
                    return True
        return False

    return sum(pair(person, set()) for person in range(len(hand)))


def _same(entry: Event | Decision, candidate: Drafted, text: str) -> bool:
    """Whether a drafted entry is a hand entry: the same body (and date rule), quoting the same place (within
    250 characters) or sharing two words of the topic."""
    proposed = candidate.entry
    if proposed["body"] != entry.body:
        return False
    if isinstance(entry, Event) and (
        proposed["date"]["kind"] == "undated" or _date(proposed["date"]) != _date(entry.date)
    ):
        return False
    place, there = _where(text, entry.source.quote or ""), _where(text, proposed["source"]["quote"])
    near = place >= 0 and there >= 0 and abs(place - there) <= 250
    return near or len(_topic(entry.source.quote or "") & _topic(proposed["source"]["quote"])) >= 2


def _steps(events: list[Event]) -> list[Event]:
    """A hand profile's events, one per step: a person may state a step twice so that more questions find it
    (Strängnäs's `interim_accounts_period`, "for questions without a report number"); the same body, date
    rule and words of the title are one step, which a draft states once."""
    steps: list[Event] = []
    for event in events:
        title = _topic(event.title)
        if not any(
            s.body == event.body
            and _date(s.date) == _date(event.date)
            and (title <= _topic(s.title) or _topic(s.title) <= title)
            for s in steps
        ):
            steps.append(event)
    return steps


def compare(hand: Profile, result: Draft, text: str) -> dict[str, Any]:
    dated_hand = _steps([e for e in hand.events if e.date.kind != "undated"])
    dated = [d for d in result.events if d.entry["date"]["kind"] != "undated"]
    events = _matched(dated_hand, dated, text)
    decisions = _matched(list(hand.decisions), result.decisions, text)
    quotes = [d.entry["source"]["quote"] for d in (*result.events, *result.decisions)]
    return {
        "events": (events, len(dated_hand), len(dated)),
        "decisions": (decisions, len(hand.decisions)),
        "verbatim": (sum(_plain(q) in text for q in quotes), len(quotes)),
        "role": (result.role_principle is not None, hand.role_principle is not None),
    }


def _drafted(files: list[Path], municipality: str, name: str, store: ProfileStore) -> tuple[Draft, list[str]]:
    read = []
    for path in files:
        document = process_file(path).document
        assert document is not None, path
        read.append((path, document))
    result, texts = draft_documents(read, municipality, name, store)
    return result, [t.text for t in texts]


def questions_answered(
    result: Draft,
    names: tuple[str, ...],
    questions: list[dict[str, Any]],
    texts: list[str],
    misses: list[str] | None = None,
) -> tuple[int, int, int]:
    """The deadline questions the draft answers right, wrong and not at all, accepted whole, each read first as
    the bot reads a message (typos and missing å/ä/ö corrected against the profile's and the documents'
    words, `texts`); `misses`: where to note each one it does not answer right, with what it answered."""
    with tempfile.TemporaryDirectory() as folder:
        data = result.profile() | {"names": list(names)}
        for entry in (*data["events"], *data["decisions"]):
            entry["confirmed"] = True
        (Path(folder) / "municipalities").mkdir()
        (Path(folder) / "municipalities" / f"{result.id}.yaml").write_text(dump_profile(data), encoding="utf-8")
        engine = RulesEngine(data_dir=Path(folder))
        reader = Reader(engine.vocabulary())
        documents = frozenset(word for text in texts for word in tokenize(text))
        right = wrong = 0
        for question in questions:
            answer = engine.answer(reader.read(question["question"], documents).understood, result.id, TODAY)
            facts = answer.facts if answer is not None else {}
            expected_day = question.get("expect_day")
            good = facts.get("month") == question["expect_month"] and expected_day in (None, facts.get("day"))
            if misses is not None and not good:
                said = f"{facts.get('day') or ''}/{facts['month']}" if facts.get("month") else "no date"
                misses.append(f"    {'wrong' if facts.get('month') else 'unanswered'}: {question['question']} → {said}"
                              f" ({str(facts.get('event') or '')[:70]})")  # fmt: skip
            if facts.get("month") is None:
                continue
            right, wrong = right + good, wrong + (not good)
        return right, wrong, len(questions) - right - wrong


def _line(label: str, figures: dict[str, Any], extra: str = "") -> str:
    matched, hand, drafted = figures["events"]
    decided, decisions = figures["decisions"]
    verbatim, quotes = figures["verbatim"]
    found, wanted = figures["role"]
    recall = f"{matched / hand:.2f}" if hand else "  – "
    precision = f"{matched / drafted:.2f}" if drafted else "  – "
    return (
        f"{label:22} events {matched:2}/{hand:2} of the person's, {drafted:2} drafted: recall {recall} precision "
        f"{precision} | decisions recall {decided / decisions if decisions else 0:.2f} ({decided}/{decisions})"
        f" | quotes verbatim {verbatim}/{quotes} | role principle {'found' if found else 'none'}"
        f"{' (the person found one)' if wanted and not found else ''}{extra}"
    )


def main() -> None:
    store = ProfileStore()
    print("Leave-one-out on the shipped profiles (drafted from the documents alone):")
    for label, names in SHIPPED.items():
        municipality = label.split()[0]
        reference = next((ROOT / "corpus" / "txt").glob(f"{REFERENCES[municipality]}_*.txt"))
        hand = store.profile(municipality)
        result, _ = _drafted([ROOT / "corpus" / name for name in names], municipality, hand.name, store)
        print(_line(label, compare(hand, result, _plain(reference.read_text(encoding="utf-8")))))
    print("\nMunicipalities written blind (eval/profiles/):")
    for folder in sorted(p for p in WRITTEN_BLIND.iterdir() if p.is_dir()):
        hand = load_profile(folder / "key.yaml")
        files: list[Path] = sorted(p for p in folder.iterdir() if p.name not in ("key.yaml", "questions.jsonl"))
        result, texts = _drafted(files, hand.id, hand.name, store)
        questions = [json.loads(line) for line in (folder / "questions.jsonl").read_text().splitlines() if line]
        misses: list[str] = []
        names = hand.names or (hand.name.lower(),)
        right, wrong, none = questions_answered(result, names, questions, texts, misses)
        extra = f" | deadline questions right {right}, wrong {wrong}, unanswered {none}"
        print(_line(hand.id, compare(hand, result, _plain("\n".join(texts))), extra))
        if "--verbose" in sys.argv:
            print(f"  {len(result.events)} events, {sum(d.doubt is not None for d in result.events)} doubted")
            for miss in misses:
                print(miss)


if __name__ == "__main__":
    main()
