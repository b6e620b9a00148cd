"""The whole draft: the entries of all passages, one per step, the law's deadlines a stricter local date
replaces, anchors for relative rules and ids."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from rules.calendar import shifted
from rules.date_phrases import date_phrases
from rules.drafting.actors import bodies_named, roles_of
from rules.drafting.decisions import draft_decisions, draft_role_principle
from rules.drafting.entries import Draft, Drafted, Passage, source_of
from rules.drafting.events import draft_events
from rules.drafting.keys import DONE, KeyWords
from rules.drafting.names import local_names
from rules.drafting.text import ascii_id, clause_around, sentences
from rules.matching import Analyzed, Analyzer
from rules.models import Event, FixedDate, Relative
from rules.profiles import comparable


def draft(
    municipality: str,
    name: str,
    documents: Mapping[str, Mapping[str, Any]],
    passages: Sequence[Passage],
    analyzer: Analyzer,
    national_anchors: Mapping[str, str] | None = None,
    topics: Iterable[str] = (),
    national_events: Sequence[Event] = (),
) -> Draft:
    """A profile drafted from the passages of the municipality's documents (`documents`: the profile's
    `documents` section, keyed as the passages name them). `national_anchors` (id → title) lets a relative
    rule use an anchor the national layer already declares ("delårsperiodens utgång"); `topics` are the
    lexicon's words, which questions use, so they make the best keys; `national_events` are the law's
    deadlines, which a stricter local date of the same step replaces (`overrides`)."""
    words = KeyWords(analyzer, passages, topics)
    result = Draft(municipality, name, {key: dict(value) for key, value in documents.items()})
    events = _merge_duplicates(list(draft_events(passages, words)), words)
    for drafted in events:
        _name_anchor(drafted, result.anchors, national_anchors or {})
    _date_anchors(result.anchors, {e.entry["date"].get("anchor") for e in events}, passages)
    events = _merge_dated_relatives(events, result.anchors, words)
    result.events = _with_ids(_overriding(events, national_events, analyzer), "title")
    result.decisions = _with_ids(_merge_duplicates(list(draft_decisions(passages, words)), words), "matter")
    result.lexicon = local_names(passages, name)
    result.role_principle = draft_role_principle(passages)
    return result


_PRECISION = {"fixed": 4, "month_end": 3, "relative": 3, "monthly": 2, "month": 1, "undated": 0}


def _overriding(found: list[Drafted], national: Sequence[Event], analyzer: Analyzer) -> list[Drafted]:
    """The drafted events, each that states a national deadline's step more strictly marked as replacing it:
    the quote names every key of the national event, the actor is the same (or not named), and the local
    date falls on or before the law's (a day, or a span after the same anchor: "fyra veckor" before "två
    månader" after the interim period's end), or the law leaves the date to the municipality. A local date
    later than the law's never replaces it; it is doubted."""
    out: list[Drafted] = []
    taken: set[str] = set()
    for drafted in found:
        entry = drafted.entry
        quote = analyzer.analyze(drafted.about or entry["source"]["quote"])
        same = [
            event
            for event in national
            if (entry["body"] is None or event.body == entry["body"])
            and analyzer.contains_all(quote, [analyzer.term(key) for key in event.keys])
            and (
                (_day_of_year(entry["date"]) is not None and _day_of_year(event.date.model_dump()) is not None)
                or _days_after(entry["date"], event.date.model_dump()) is not None
                or (entry["date"]["kind"] != "undated" and _left_to_us(event, quote, analyzer))
            )
        ]
        most = max((len(event.keys) for event in same), default=0)
        same = [event for event in same if len(event.keys) == most]  # the most specific of the law's steps
        within = [event for event in same if not _later_than(entry["date"], event)]
        if len(same) > 1 and within:  # the nearest of the law's limits the local date keeps: "fyra veckor efter
            nearest = min(_limit(entry["date"], event) for event in within)  # delårsperiodens utgång" is not
            same = [event for event in within if _limit(entry["date"], event) == nearest]  # the period's end
        if len(same) != 1 or same[0].id in taken:  # none, several, or replaced already by the step's twin
            out.append(drafted)
            continue
        (event,) = same
        if _later_than(entry["date"], event):
            doubt = f"Datumet är senare än lagens ({event.rule or event.title}); kontrollera det."
            out.append(Drafted(entry, drafted.passage, drafted.doubt or doubt, drafted.about))
            continue
        taken.add(event.id)
        out.append(Drafted(entry | {"overrides": event.id}, drafted.passage, drafted.doubt, drafted.about))
    return out


def _left_to_us(event: Event, quote: Analyzed, analyzer: Analyzer) -> bool:
    """Whether the law leaves the step's date to the municipality ("när kommunstyrelsen bestämmer") and the
    quote is surely about it: it names one of the step's other keys too ("verksamhetsberättelse")."""
    return event.date.kind == "undated" and any(
        analyzer.contains_all(quote, [analyzer.term(key) for key in keys]) for keys in event.alt_keys
    )


def _later_than(local: Mapping[str, Any], event: Event) -> bool:
    """Whether a local date rule falls after the law's for the same step, where the two can be compared: two
    days of the year, or two spans after the same anchor ("fyra veckor" and "två månader" after the interim
    period's end)."""
    days, limit = _compared(local, event)
    return days is not None and limit is not None and days > limit


def _limit(local: Mapping[str, Any], event: Event) -> int:
    """The law's limit, as compared with the local date rule (one that cannot be compared counts as none)."""
    return _compared(local, event)[1] or 10_000


def _compared(local: Mapping[str, Any], event: Event) -> tuple[int | None, int | None]:
    law = event.date.model_dump()
    spans = _days_after(local, law)
    return spans if spans is not None else (_day_of_year(local), _day_of_year(law))


def _days_after(local: Mapping[str, Any], law: Mapping[str, Any]) -> tuple[int, int] | None:
    """Two relative rules from the same anchor in the same direction, as days, to compare: None otherwise."""
    if local.get("kind") != "relative" or law.get("kind") != "relative":
        return None
    if (local["anchor"], local["direction"]) != (law["anchor"], law["direction"]) or local["direction"] != "after":
        return None
    return _days(local["offset"]), _days(law["offset"])


def _days(offset: Mapping[str, Any]) -> int:
    weights = {"days": 1, "weeks": 7, "months": 30, "years": 365}
    return sum(weights[unit] * int(count or 0) for unit, count in offset.items())


def _day_of_year(date: Mapping[str, Any]) -> int | None:
    """Where a date rule falls in the year, to compare a local date with the law's: the day, a month's last
    day for a month's end or a month, None for the rest."""
    if date.get("kind") == "fixed":
        return int(date["month"]) * 40 + int(date["day"])
    if date.get("kind") in ("month_end", "month"):
        return int(date["month"]) * 40 + 31
    return None


def _merge_duplicates(found: list[Drafted], words: KeyWords) -> list[Drafted]:
    """One entry for a step stated twice (a table repeated on two pages, a month-by-month overview and the
    prose that explains it): the same quote, or the same month, a compatible actor and two words of the
    topic in common. Of the two the more precise date is kept, then the one without a doubt, then the first."""
    kept: list[Drafted] = []
    for drafted in found:
        twins = [index for index, other in enumerate(kept) if _same_step(drafted, other, words)]
        # of several, the one stated most alike
        twin = max(twins, key=lambda index: _alike(drafted, kept[index]), default=None)
        if twin is None:
            kept.append(drafted)
        else:
            better, other = (drafted, kept[twin]) if _better(drafted, kept[twin]) else (kept[twin], drafted)
            kept[twin] = _with_other_key(_with_named_actor(better, other), other)
    return kept


def _with_named_actor(kept: Drafted, other: Drafted) -> Drafted:
    """The kept statement of a step with the other's actor when it names that body but could not tell it acts
    ("31 oktober – sista dag för KS förslag till budget", and "KS lämnar sitt förslag … före oktober månads
    utgång")."""
    quote, body = kept.entry["source"]["quote"], other.entry["body"]
    mentions = bodies_named(quote)
    if kept.entry["body"] is not None or not any(
        m.body == body and role != "till" for m, role in zip(mentions, roles_of(quote, mentions), strict=True)
    ):  # not who receives it: "1/3 – förslag till årsredovisning till KSAU"
        return kept
    doubt = "Vem som gör det står där dokumentet säger samma sak med andra ord; kontrollera."
    return Drafted(dict(kept.entry, body=body), kept.passage, doubt, kept.about)


def _alike(one: Drafted, other: Drafted) -> tuple[bool, bool, bool]:
    """How alike two statements of a step are: for the same years ("Budget och skattesats" in a table is the
    ordinary year's step, not the election year's of the same month), the same date rule, the same actor."""
    first, second = one.entry, other.entry
    return (
        first.get("years") == second.get("years"),
        first.get("date") == second.get("date"),
        first["body"] == second["body"],
    )


def _with_other_key(kept: Drafted, other: Drafted) -> Drafted:
    """The kept statement of a step, found also by the key of the other ("Brytpunkt … 31/8" and "Per 31
    augusti sammanställs delårsrapport …")."""
    entry = dict(kept.entry)
    sets = [list(entry["keys"]), *(list(k) for k in entry.get("alt_keys", []))]
    for keys in (other.entry["keys"], *other.entry.get("alt_keys", [])[:1]):  # its key, and its key with
        if list(keys) not in sets and len(sets) < 8:  # its most specific other word
            sets.append(list(keys))
    if sets[1:]:
        entry["alt_keys"] = sets[1:]
    hints = list(entry.get("hints", []))  # and by what the other says is done ("fattar beslut om")
    hints += [h for h in other.entry.get("hints", []) if h in DONE and h not in hints]
    if hints:
        entry["hints"] = hints
    return Drafted(entry, kept.passage, kept.doubt, kept.about)


def _same_step(a: Drafted, b: Drafted, words: KeyWords) -> bool:
    """Whether two entries say the same thing: the same quote, date and actor; or, for events, the same
    month, an actor that does not differ and the same topic (for a date to the day, which few steps share,
    a word in common, two when only one of them names the actor unless both are short lines, or one naming
    what the other is about; for a month three, or one when either is a slide's or a table's short line, or
    the same key). A body's monthly report is one step; two days of one month are never one."""
    first, second = a.entry, b.entry
    same_quote = comparable(first["source"]["quote"]) == comparable(second["source"]["quote"])
    if "date" not in first:
        return same_quote and first["body"] == second["body"]
    if same_quote:
        return bool(first["date"] == second["date"] and first["body"] == second["body"])
    if first["date"]["kind"] == second["date"]["kind"] == "monthly":  # a body reports monthly once: a table's
        return None in (first["body"], second["body"]) or first["body"] == second["body"]  # "Månadsrapporter …"
    if first["date"].get("month") != second["date"].get("month") or (
        "month" not in first["date"] and first["date"]["kind"] != second["date"]["kind"]
    ):  # a relative rule and a monthly one have no month, and are not the same for that
        return bool(
            first["date"] == second["date"] and first["body"] == second["body"] and first["keys"] == second["keys"]
        )
    if first["date"]["kind"] == second["date"]["kind"] == "fixed" and first["date"] != second["date"]:
        return False  # "20/9 – Bolagens delårsrapporter" and "30/9 – Nämndernas delårsrapporter": two steps
    shared = _in_common(words.topic(first["source"]["quote"]), words.topic(second["source"]["quote"]))
    if first["date"] == second["date"]:  # "… inleds med att kommunstyrelsen fastställer … senast den 10 februari"
        shared += _names_the_actor(a, b) or _names_the_actor(b, a)
    with_who = (a.passage.who is not None and b.passage.when is None) or (
        b.passage.who is not None and a.passage.when is None
    )
    if with_who and first["date"] == second["date"] and first["date"]["kind"] != "month" and shared:
        return True  # a table's row and the prose on it, the same day: its Ansvarig column may name another actor
    # "Granskningsrapporten … ska var kommunen tillhanda 1 mars" and, in the companies' row of the table, "… samt
    # granskningsrapport från revisorerna ska vara … tillhanda senast 1/3": what one is about, the other names
    one_day = first["date"] == second["date"] and first["date"]["kind"] == "fixed"
    if one_day and (_names_the_key(a, b, words) or _names_the_key(b, a, words)):
        return True
    if None not in (first["body"], second["body"]) and first["body"] != second["body"]:
        return shared >= 3  # a table's line and the prose on it, read with two actors
    same_actor = first["body"] == second["body"]
    lengths = (_length(first["source"]["quote"]), _length(second["source"]["quote"]))
    short = min(lengths) <= 5
    if first["date"] == second["date"] and first["date"]["kind"] != "month":  # two slides' lines: one step
        both_short = max(lengths) <= 6
        # "Internkontroll 28/2" on a slide of reminders: a short line that names no one is the step it recalls
        unsure_line = (first["body"] is None) != (second["body"] is None) and any(
            e["body"] is None and n <= 6 for e, n in zip((first, second), lengths, strict=True)
        )
        # "Månadsuppföljning" in a table, by the prose's actor; "15/5 – T1 från nämnderna", a line naming a
        # body's step that day in other words than the prose on it
        named_only = same_actor and min(lengths) <= (6 if first["body"] is not None else 2)
        return (
            shared >= (1 if same_actor or both_short or unsure_line else 2)
            or (same_actor and first["keys"] == second["keys"])
            or named_only
        )
    if same_actor and first["body"] is not None and _covered(a, b, words):
        return True  # "KS: prövning av bolagens verksamhet i mars" and "I mars prövar kommunstyrelsen om bolagens …"
    # the same topic that month, by one body or by the one the other statement only names ("… delårsrapport …,
    # vilka meddelas kommunfullmäktige i oktober" and "Delårsberättelserna … behandlas på KF i oktober")
    named = same_actor or _names_the_actor(a, b) or _names_the_actor(b, a)
    return shared >= (1 if short else 3) or (named and first["keys"] == second["keys"])


def _length(quote: str) -> int:
    """How many words a quote has, not counting a dash ("31/3 – Årsredovisning till KF och revisorerna": 6)."""
    return sum(1 for token in quote.split() if re.search(r"\w", token))


def _covered(a: Drafted, b: Drafted, words: KeyWords) -> bool:
    """Whether every word of the shorter of two statements, a line of at most three words of topic, is in the
    longer one, a noun and its verb alike ("prövning", "prövar")."""
    shorter, longer = sorted((a.entry["source"]["quote"], b.entry["source"]["quote"]), key=lambda q: len(q.split()))
    said = {word[:4] for word in words.topic(longer)}
    wanted = {word[:4] for word in words.topic(shorter)}
    return 0 < len(wanted) <= 3 and wanted <= said


def _names_the_key(one: Drafted, other: Drafted, words: KeyWords) -> bool:
    """Whether the other statement names what one is about, its key."""
    key = words.topic(" ".join(one.entry["keys"]))
    return bool(key) and key <= words.topic(other.entry["source"]["quote"])


def _in_common(one: set[str], other: set[str]) -> int:
    """How many topic words two texts share, a compound counting as its first part or its head
    ("Internkontroll 28/2" and "Uppföljning av internkontrollplan")."""
    return sum(1 for word in one if word in other or any(_compound_of(word, w) for w in other))


def _compound_of(one: str, other: str) -> bool:
    """Whether one word is the other's first part ("internkontroll" of "internkontrollplan") or its head, the
    last part, which says what it is ("dialoger" of "budgetdialoger")."""
    shorter, longer = sorted((one, other), key=len)
    return len(shorter) >= 7 and (longer.startswith(shorter) or longer.endswith(shorter))


def _names_the_actor(unsure: Drafted, sure: Drafted) -> bool:
    """Whether an entry whose actor the drafter could not tell names the other entry's actor in its words."""
    body = sure.entry["body"]
    return (
        unsure.entry["body"] is None
        and body is not None
        and body in {m.body for m in bodies_named(unsure.entry["source"]["quote"])}
    )


def _better(new: Drafted, old: Drafted) -> bool:
    return _rank(new) > _rank(old)


def _rank(drafted: Drafted) -> tuple[int, bool, bool, int]:
    """What makes one of two statements of a step the better source: a more precise date, no doubt, a
    named actor, then more words (the prose that explains a table's line)."""
    entry = drafted.entry
    precision = _PRECISION[entry["date"]["kind"]] if "date" in entry else 0
    return (precision, drafted.doubt is None, entry.get("body") is not None, len(entry["source"]["quote"]))


def _name_anchor(drafted: Drafted, anchors: dict[str, dict[str, Any]], national: Mapping[str, str]) -> None:
    date = drafted.entry["date"]
    if date["kind"] != "relative":
        return
    words = str(date["anchor"])
    for anchor_id, title in national.items():
        if comparable(title) in comparable(words) or comparable(words) in comparable(title):
            date["anchor"] = anchor_id
            return
    anchor_id = ascii_id(words)[:40].strip("_") or "anchor"
    anchors.setdefault(anchor_id, {"title": words})
    date["anchor"] = anchor_id


# the end of the financial year: "Räkenskapsåret är kalenderåret" (LKBR 1 kap 5 §)
_YEAR_END = re.compile(
    r"\b(?:räkenskapsåret?s?|kalenderårets|verksamhetsårets|årets)\s+(?:utgång|slut)|\bårsskiftet|\bbokslutsdagen",
    re.IGNORECASE,
)
# "Delårsbokslut upprättas per den 31 augusti", "Delårsperioden avslutas 31/8": the interim period's end
_INTERIM_END = re.compile(r"\bdelårs(?:bokslut|rapport|period)\w*\b[^.;]{0,60}?\b(?:per|avslutas|slutar|slut)\s",
                          re.IGNORECASE)  # fmt: skip
_INTERIM_PERIOD_END = "interim_period_end"  # the national anchor's id


def _date_anchors(anchors: dict[str, dict[str, Any]], used: set[str], passages: Sequence[Passage]) -> None:
    """Give the anchors the draft's relative rules count from the day they stand for, where it is known: the
    end of the financial year by law, the interim period's end as the documents state it (a local anchor of
    the national id, as a person would write it)."""
    for anchor in anchors.values():
        if "month" not in anchor and _YEAR_END.search(anchor["title"]):
            anchor.update(month=12, day=31, source={"law": "LKBR 1 kap 5 §"})
    if _INTERIM_PERIOD_END in used and _INTERIM_PERIOD_END not in anchors:
        stated = _interim_period_end(passages)
        if stated is not None:
            anchors[_INTERIM_PERIOD_END] = stated


def _interim_period_end(passages: Sequence[Passage]) -> dict[str, Any] | None:
    """The interim period's end as the first sentence that states it gives it, with that sentence as source."""
    for passage in passages:
        for _, sentence in sentences(passage.text):
            said = _INTERIM_END.search(sentence)
            day = next((p for p in date_phrases(sentence) if said and p.end > said.end()), None)
            if said is not None and day is not None and isinstance(day.rule, FixedDate):
                quote = clause_around(sentence, said.start(), day.end)
                return {"title": "delårsperiodens utgång", "month": day.rule.month, "day": day.rule.day,
                        "source": source_of(passage, quote)}  # fmt: skip
    return None


def _merge_dated_relatives(
    found: list[Drafted], anchors: Mapping[str, Mapping[str, Any]], words: KeyWords
) -> list[Drafted]:
    """A relative rule whose anchor has a day falls on a day: a table's or a slide's line of that month or
    day on the same step is that step ("Delårsrapporter nämnder" under September, "12/10 – Delårsrapporten
    till KF", and "… inom sex veckor efter delårsperiodens utgång"), kept as the relative rule with the
    line's key as another."""
    kept = list(found)
    for drafted in found:
        rule = drafted.entry["date"]
        anchor = anchors.get(rule.get("anchor", "")) if rule["kind"] == "relative" else None
        if anchor is None or "month" not in anchor or not any(k is drafted for k in kept):
            continue
        day = shifted(date(2025, anchor["month"], anchor["day"]), Relative.model_validate(rule))
        falls_on = ({"kind": "month", "month": day.month}, {"kind": "fixed", "month": day.month, "day": day.day})
        topic = words.topic(drafted.entry["source"]["quote"])
        twins = [
            other
            for other in kept
            if other.entry["date"] in falls_on
            and other.entry["body"] in (None, drafted.entry["body"])
            and _in_common(words.topic(other.entry["source"]["quote"]), topic) >= (1 if _is_line(other) else 2)
        ]
        merged = drafted
        for twin in twins:
            merged = _with_other_key(merged, twin)
        kept = [merged if k is drafted else k for k in kept if not any(k is twin for twin in twins)]
    return kept


def _is_line(drafted: Drafted) -> bool:
    """Whether an entry is read from a table's or a slide's line rather than from a sentence of prose, which
    must say more to be the same step ("Kommunstyrelsen lämnar då sitt slutliga budgetförslag senast 31
    oktober." is not "… lämnar delårsrapporten inom två månader efter …")."""
    return drafted.passage.when is not None or not drafted.entry["source"]["quote"].rstrip().endswith(".")


def _with_ids(found: list[Drafted], field_name: str) -> list[Drafted]:
    used: Counter[str] = Counter()
    out = []
    for drafted in found:
        base = "_".join(drafted.entry["keys"][0].split())
        date = drafted.entry.get("date") or {}
        suffix = f"_{date['month']:02d}" if "month" in date else ""
        ident = ascii_id(base + suffix) or ascii_id(str(drafted.entry.get(field_name, ""))) or "entry"
        used[ident] += 1
        if used[ident] > 1:
            ident = f"{ident}_{used[ident]}"
        out.append(Drafted({"id": ident, **drafted.entry}, drafted.passage, drafted.doubt, drafted.about))
    return out
