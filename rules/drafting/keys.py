"""The words that find a drafted entry: its key, alternative keys and hints."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from rules.drafting.actors import bodies_named, roles_of
from rules.drafting.entries import Passage
from rules.drafting.text import BROKEN, ascii_id, sentences, word_set
from rules.matching import STOPWORDS, Analyzer, stem
from rules.texts import MONTHS

_GENERIC = word_set(
    """
    ska skall sker ske görs gör lämnas lämna tas ta vara inklusive samt eventuella eventuell information
    beslut besluta beslutar fastställs fastställer senast varje år månad månader dag dagar vecka veckor
    kommunens kommun kommunen arbete arbetet arbetar genomförs genomföra enligt utifrån inför också
    redovisas redovisa rapport rapporter rapportering därefter under efter innan mellan första andra
    tillhanda hos respektive resp sista slutet början mitten månads utgång kap genomför förs hålls eftersom
    """
)
_BODY_WORD = {"kommunfullmaktige": "fullmäktige", "kommunstyrelsen": "kommunstyrelsen", "namnd": "nämnd",
              "forvaltning": "förvaltning", "revisorerna": "revisor", "bolag": "bolag"}  # fmt: skip
# What is done, said in a question as in the document ("När ska nämnden ha fastställt …?"): too common to be
# a key, but it tells the steps on one topic apart.
_ACTS = {"fastst": "fastställa", "beslut": "besluta", "anta[rgs]?\\b|antag": "anta", "godkän": "godkänna",
         "lämna": "lämna", "behandla": "behandla", "redovisa": "redovisa", "upprätta": "upprätta"}  # fmt: skip
DONE = frozenset(_ACTS.values())  # the hints that say what is done
_DOING = re.compile("|".join(_ACTS), re.IGNORECASE)  # a word of what is done, which `DONE` says once
_PURPOSE = re.compile(r"\bför\s+att\b|\bi\s+samband\s+med\b", re.IGNORECASE)  # why, or with what else
_WHICH_YEARS = word_set("valår valåret valet nyvalda")  # say which years (`years`), not what is done
_BODY_WORDS = word_set(
    """
    fullmäktige kommunstyrelsen nämnd förvaltning revisor bolag politiker arbetsutskott budgetutskott
    presidium presidiet presidier presidierna nämndpresidier nämndpresidierna ordförande
    """
)  # who takes part, never what a step is about


# Short forms a slide writes in capitals, which as small letters are other words ("år", "vp").
_SHORT_FORM_WORDS = {"ÅR": "årsredovisning", "VP": "verksamhetsplan", "IK": "internkontroll", "MBL": "MBL"}
_SHORT_FORMS = re.compile(r"\b(?:" + "|".join(_SHORT_FORM_WORDS) + r")\b")


class KeyWords:
    """Chooses the words that find an entry. Its key is the topic a question about it will name: a word of
    the lexicon where the passage has one ("delårsrapport 1", "internkontrollplan"; of several, the first,
    which is mostly the subject), else its most specific word; the topic with each of the next specific
    words is an alternative key (a question naming both is surely about it), and the other words, with the
    body that acts, what is done and who receives it, are hints."""

    def __init__(self, analyzer: Analyzer, passages: Iterable[Passage], topics: Iterable[str] = ()) -> None:
        self._analyzer = analyzer
        self._topics = {tuple(topic.split()) for topic in topics}
        self._read: dict[str, list[str]] = {}
        self._topic_read: dict[str, set[str]] = {}
        counts: Counter[str] = Counter()
        total = 0
        for passage in passages:
            for _, sentence in sentences(passage.text):
                total += 1
                counts.update(set(self.content(sentence)))
        self._idf = {word: math.log((1 + total) / (1 + n)) for word, n in counts.items()}
        self._common = math.log((1 + total) / (1 + max(1, total // 8)))

    def content(self, text: str) -> list[str]:
        """The words of a text that can say what it is about (no stopwords, dates, numbers or filler); a
        lexicon word of several words ("delårsrapport 1") as one. Each text is read once: merging compares
        every entry's quote with every other's."""
        found = self._read.get(text)
        if found is None:
            found = self._read[text] = self._content(text)
        return list(found)

    def topic(self, text: str) -> set[str]:
        """The stems of a text's content words, to tell whether two texts speak of the same thing
        ("Planeringsdirektiv med preliminära ramar" and "… fastställer planeringsdirektivet …"); who acts
        is not what is done ("KF: budget i november", "KF: delårsrapporten i november"). Read once per text,
        as merging compares every entry with every other."""
        found = self._topic_read.get(text)
        if found is None:
            found = self._topic_read[text] = {
                " ".join(stem(part) for part in word.split())
                for word in self.content(text)
                if word not in _BODY_WORDS and not bodies_named(word)
            }
        return set(found)

    def _content(self, text: str) -> list[str]:
        text = _SHORT_FORMS.sub(lambda m: _SHORT_FORM_WORDS[m.group(0)], BROKEN.sub("", text))
        analyzer = self._analyzer
        tokens = [word for token in analyzer.analyze(text).tokens for word in analyzer.misspelt(token) or (token,)]
        found: list[str] = []
        index = 0
        while index < len(tokens):
            pair = tuple(tokens[index : index + 2])
            if len(pair) == 2 and pair in self._topics:
                found.append(" ".join(pair))
                index += 2
                continue
            token = tokens[index]
            index += 1
            if (
                len(token) >= 4
                and token not in STOPWORDS
                and token not in _GENERIC
                and token not in MONTHS
                and (not re.fullmatch(r"\d+\w*", token))
            ):
                found.append(token)
        return list(dict.fromkeys(found))

    def keys_for(self, text: str, first: str | None = None, body: str | None = None) -> dict[str, Any]:
        """`keys`, `alt_keys` and `hints` for an entry about `text` (`first`: words to take the key from
        when they have one, a decision's matter; `body`: who acts)."""
        acting = _BODY_WORD.get(body or "")
        words = [w for w in self.content(text) if w not in _BODY_WORDS or w == acting]  # a body named as who
        # "… redovisa åtgärder för att hålla budgetramen", "Planen ska antas senast den sista januari, gärna i
        # samband med att verksamhetsplanen fastställs": why, or with what, not what is done
        purpose = _PURPOSE.search(text)
        said = set(self.content(text[: purpose.start()])) if purpose is not None else set(words)
        if acting is not None and acting not in words:  # a body named in passing does not make a question
            words.append(acting)  # about the entry more likely; who acts and who receives it do:
        mentions = bodies_named(text)  # "… lämnas till fullmäktige och revisorerna" is not the report to KS
        receiving = [_BODY_WORD[m.body] for m, role in zip(mentions, roles_of(text, mentions), strict=True)
                     if role == "till" and _BODY_WORD[m.body] != acting]  # fmt: skip
        topics = [w for w in words if self._is_topic(w) and w in said] or [w for w in words if self._is_topic(w)]
        preferred = [w for w in self.content(first) if w not in _BODY_WORDS] if first else []

        def rank(word: str) -> tuple[bool, bool, bool, float]:
            known = tuple(word.split()) in self._topics  # of the lexicon's words the first named, the subject
            short = len(word) < 6  # a rare short word ("förs", "våren") says less than the step's noun
            return (word not in preferred, not known, short, topics.index(word) if known else -self._specificity(word))

        ranked = sorted(topics, key=rank)
        if not ranked:
            ranked = words[:1] or [ascii_id(text)[:20] or "okänt"]
        key, others = ranked[0], ranked[1:]
        alternatives = [
            w
            for w in others
            if self._specificity(w) >= self._common and len(w) >= 6 and not bodies_named(w) and not _part_of(w, key)
        ][:3]  # who does it tells steps apart as a hint; as a key it would find every step of that body
        acts = [verb for stem, verb in _ACTS.items() if re.search(rf"\b{stem}", text, re.IGNORECASE)]
        hints = [
            *[w for w in words if w != key and not _part_of(w, key) and not (acts and _DOING.match(w))][:8],
            *acts,
            *dict.fromkeys(receiving),
        ]  # what is done: "fastställt", "lämna"
        result: dict[str, Any] = {"keys": [key]}
        if alternatives:  # the topic with one more of its words outweighs a rule that names the topic alone
            result["alt_keys"] = [[key, w] for w in alternatives]
        if hints:
            result["hints"] = hints
        return result

    @staticmethod
    def _is_topic(word: str) -> bool:
        """Whether a word can say what a step is about: not who does it ("nämnder", "förvaltningschefer",
        "handläggare"), though a meeting of a body is ("bolagsstämma"), and not which years."""
        if word in _BODY_WORDS or word in _WHICH_YEARS:
            return False
        return "stämm" in word or not bodies_named(word)

    def _specificity(self, word: str) -> float:
        return self._idf.get(word, self._common * 2) + min(len(word), 14) / 100


def _part_of(word: str, key: str) -> bool:
    """Whether a word is (a form of) a part of the key, which a question naming the key names anyway:
    "redovisningen" of "årsredovisning"."""
    return stem(word) in key or key in word
