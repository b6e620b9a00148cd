"""Draft a municipality's profile from the text of its own governance documents.

A secretary gives Styrbot the municipality's styrmodell, årshjul or delegation documents; this module reads
their text, passage by passage, and proposes the profile's entries in the documented format
(`docs/data-format.md`), each with the document's own words as its quote:

- **events**: every date rule of the annual cycle (`rules.date_phrases`), with who acts, the document's
  wording of the rule and the words a question about it will contain; a cell of a month-by-month overview
  is dated by its column when it names no date of its own;
- **decisions**: every sentence in which a body decides, adopts, approves or answers for something, or
  that says whether a matter may be delegated;
- **role principle**: the document's own sentences on VAD/NÄR and HUR/VEM.

Nothing is invented: an entry the drafter is unsure of (a date the sentence may only mention, an actor it
cannot tell) carries the reason as `doubt`, and every entry is unconfirmed until a person accepts it.
Dates that are not part of the cycle (a year, one year's date, an example) are left out. Pure text work:
reading files is the caller's (`bot.profiles`), so this package still imports nothing else of Styrbot's.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from rules.date_phrases import DatePhrase, Rule, date_phrases
from rules.matching import STOPWORDS, Analyzer
from rules.models import Event, InMonth, MonthEnd, Monthly, Relative, Undated
from rules.texts import MONTHS

QUOTE_CHARS = 220  # a quote is one clause or sentence; longer sentences are cut around what they date


@dataclass(frozen=True)
class Passage:
    """A piece of a document as the drafter reads it: a paragraph, a list item or one table cell, verbatim,
    with where it stands. A table cell has `when`: the words that date its row or column ("MAR" over a
    month-by-month overview, "senast 15 mars" in a Månad column), `row`: the label of its row ("Bolagen", the
    other cell of a two-column table "Fullmäktige; enligt 5 kap 2 § KL"), and `who`: its row's Ansvarig or
    Beslutas av column."""

    document: str
    text: str
    section: str | None = None
    page: int | None = None
    when: str | None = None
    row: str | None = None
    who: str | None = None


@dataclass(frozen=True)
class Drafted:
    """One proposed entry: the profile entry as data, and the passage it was read from."""

    entry: dict[str, Any]
    passage: Passage
    doubt: str | None = None
    about: str = ""  # the words of its sentence that are about it, when the sentence states several dates


@dataclass
class Draft:
    """A drafted profile: its entries in the profile format, each with its passage, ready to write."""

    id: str
    name: str
    documents: dict[str, dict[str, Any]]
    events: list[Drafted] = field(default_factory=list)
    decisions: list[Drafted] = field(default_factory=list)
    anchors: dict[str, dict[str, Any]] = field(default_factory=dict)
    role_principle: dict[str, Any] | None = None

    def profile(self) -> dict[str, Any]:
        """The draft as profile data (`rules.models.Profile`), entries unconfirmed."""
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "kind": "municipality",
            "names": [self.name.lower(), *_short_names(self.name)],
            "documents": self.documents,
        }
        if self.anchors:
            data["anchors"] = self.anchors
        data["events"] = [_with_doubt(d) for d in self.events]
        data["decisions"] = [_with_doubt(d) for d in self.decisions]
        if self.role_principle is not None:
            data["role_principle"] = self.role_principle
        return data


def _with_doubt(drafted: Drafted) -> dict[str, Any]:
    entry = dict(drafted.entry, confirmed=False)
    if drafted.doubt:
        entry["doubt"] = drafted.doubt
    return entry


def _short_names(name: str) -> list[str]:
    """ "Älvstrands kommun" is also "Älvstrands" and "Älvstrand" in a question."""
    short = re.sub(r"\s+(kommun|stad|region)$", "", name.strip(), flags=re.IGNORECASE)
    if short == name.strip():
        return []
    forms = [short, short[:-1]] if short.endswith("s") else [short]
    return [form.lower() for form in forms]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- who acts -------------------------------------------------------------------------------------------

# Each body and the words that name it, most specific first; "förvaltningsberättelse" is a report, not the
# administration, and "kommunstyrelsen" is not a "styrelse" of the committees.
_BODIES: tuple[tuple[str, str], ...] = (
    ("kommunfullmaktige", r"(?:kommun)?fullmäktige\w*|kf|fullmäktigeförsamling\w*"),
    ("kommunstyrelsen", r"kommunstyrelse\w*|ks(?:\s*au)?|ksau|ks:s|arbetsutskott\w*|budgetutskott\w*|"
     r"budgetberedning\w*"),
    ("revisorerna", r"revisor\w*|lekmannarevisor\w*"),
    ("bolag", r"bolag(?!sordning)\w*|bolagsstämm\w*|bolagsstyrels\w*|\w+bolag(?:et|en)?"),
    ("namnd", r"\w*nämnd(?!e\b)\w*|nämnder\w*|styrelser(?:na)?|styrelsen(?=\s+och\s+nämnd)|\w+nämnden"),
    ("forvaltning", r"förvaltning(?!sberätt)\w*|\w+förvaltning(?:en|arna)?|tjänste(?:män\w*|man\w*|person\w*)|"
     r"förvaltningschef\w*|kommunchef\w*|kommundirektör\w*|stadsdirektör\w*|ekonomiavd\w*|ekonomikontor\w*|"
     r"ekonomienhet\w*|ekonomichef\w*|kommunledning\w*|cheferna|verksamhetschef\w*|sektorchef\w*|kontorschef\w*"),
)  # fmt: skip
_BODY = re.compile("|".join(f"(?P<{b}>\\b(?:{p})\\b)" for b, p in _BODIES), re.IGNORECASE)
_PREPOSITIONS = _words(
    "till på i inför hos för från om av med mellan över under åt gentemot mot via enligt samt efter före"
)
_PASSIVE = re.compile(
    r"\b(?:\w+(?:as|ås)|fastställs|genomförs|görs|tas|hålls|läggs|godkänns|följs|ges|sänds|sker|ske|"
    r"fastslås|förs|väljs|utses|delges)\b",
    re.IGNORECASE,
)
_LIST_GLUE = re.compile(r"^(?:\s*(?:,|och|samt|/|&|resp\.?|respektive)\s*)+$", re.IGNORECASE)


@dataclass(frozen=True)
class _Mention:
    body: str
    start: int
    end: int
    before: str  # the word before it
    genitive: bool


_DETERMINERS = _words("den det de kommunens kommunala sin sina sitt berörd berörda egen egna")


_BROKEN = re.compile(r"(?<=[a-zåäö])-\s+(?=[a-zåäö])")  # "Kommun- styrelsen", "förvaltnings- chefer"


def _mentions(text: str) -> list[_Mention]:
    """The bodies a text names, where they stand (words broken over a line are read whole)."""
    places = list(range(len(text) + 1))
    for broken in reversed(list(_BROKEN.finditer(text))):
        del places[broken.start() : broken.end()]
        text = text[: broken.start()] + text[broken.end() :]
    return [replace(m, start=places[m.start], end=places[m.end]) for m in _joined_mentions(text)]


def _joined_mentions(text: str) -> list[_Mention]:
    found = []
    for match in _BODY.finditer(text):
        body = next(name for name, value in match.groupdict().items() if value)
        words = [w.lower() for w in re.findall(r"[\wåäöÅÄÖ]+", text[: match.start()])]
        while len(words) > 1 and words[-1] in _DETERMINERS and words[-2] in _PREPOSITIONS:
            words.pop()  # "till kommunens ekonomiavdelning": governed by "till"
        word = match.group(0).lower()
        genitive = word.endswith("s") and not word.endswith(("ss", "ks")) and body != "kommunfullmaktige"
        found.append(_Mention(body, match.start(), match.end(), words[-1] if words else "", genitive))
    return found


def acting_body(clause: str, row: str | None = None, who: str | None = None) -> str | None:
    """Who acts in a clause: a label before a colon ("KS: planeringsdirektiv"), the agent of a passive
    ("fastställs av kommunfullmäktige"), its subject ("Nämnderna lämnar …"), the body a table's Ansvarig
    column names (`who`), the body a passive takes place in ("Redovisas på KS", "tas i KF"), the owner of
    what is delivered ("Förvaltningens bedömning … ska till KS"), the body its table row is labelled with
    (`row`), in that order; None when nothing names one. Of bodies named together ("av kommunstyrelsen och
    kommunfullmäktige") the last decides."""
    label = labelled(clause)
    if label is not None:
        return label
    mentions = _mentions(clause)
    statuses = _statuses(clause, mentions)
    agents = [m for m, s in zip(mentions, statuses, strict=True) if s == "av"]
    if agents:
        return agents[-1].body
    subjects = [m for m, s in zip(mentions, statuses, strict=True) if s == ""]
    if subjects:
        return _coordinated_last(clause, subjects)
    named = _named_by(who)
    if named is not None:
        return named
    if _PASSIVE.search(clause) or len(clause.split()) <= 6:  # "Redovisas på KS", "Månadsrapportering på KS"
        places = [m for m, s in zip(mentions, statuses, strict=True) if s in ("i", "på", "hos")]
        if places:
            return places[-1].body
    owners = [m for m, s in zip(mentions, statuses, strict=True) if s == "gen" and (m.start == 0 or m.before == "av")]
    if owners:  # "Förvaltningens bedömning … ska till KS", "Presentation av förvaltningens förslag …"
        return owners[0].body
    return _named_by(row)


def labelled(text: str) -> str | None:
    """The body a line is labelled with before a colon, as slides write it ("KS: planeringsdirektiv …")."""
    mentions = _mentions(text[:40])
    if mentions and mentions[0].start <= 1 and re.match(r"\s*:", text[mentions[0].end :]):
        return mentions[0].body
    return None


def _named_by(cell: str | None) -> str | None:
    """The body a table cell names first ("Bolagen", "Nämnderna", "Ekonomiavdelningen"), if it begins with one."""
    plain = [m for m in _mentions(cell or "") if not m.genitive]
    return plain[0].body if plain and plain[0].start < 3 else None


def _statuses(clause: str, mentions: Sequence[_Mention]) -> list[str]:
    """Each mention's role: "" for a subject, the preposition that governs it otherwise ("av", "till" …),
    "gen" for a genitive that only qualifies another word. A mention listed after another ("förvaltnings-
    chefer, nämndordförande och …") shares its role."""
    statuses: list[str] = []
    for index, mention in enumerate(mentions):
        previous = mentions[index - 1] if index else None
        if previous is not None and _LIST_GLUE.match(clause[previous.end : mention.start] or "x"):
            statuses.append(statuses[-1])
            continue
        if previous is not None and previous.genitive and not clause[previous.end : mention.start].strip():
            # "kommunstyrelsens budgetberedning": the phrase stands where its genitive stands
            mention = replace(mention, start=previous.start, before=previous.before)
        if re.match(r"\s+(?:som|vilka|vilket)\b", clause[mention.end :]) and mention.before in _PREPOSITIONS:
            statuses.append(mention.before)  # "för styrelse, nämnder och bolag vilka meddelas …"
        elif re.match(r"\s+tillhanda\b", clause[mention.end :]):
            statuses.append("till")  # "ska vara kommunens ekonomiavdelning tillhanda": who receives it
        elif mention.genitive:
            statuses.append("gen")
        elif mention.before in _PREPOSITIONS:
            statuses.append(mention.before)
        elif mention.before in ("", "varje", "alla", "samtliga", "respektive", "berörd", "berörda", "de", "den",
                                "kommunens", "resp", "ansvarig", "ansvariga"):  # fmt: skip
            statuses.append("")
        else:
            statuses.append("" if _is_subject_place(clause, mention) else "obj")
    return statuses


def _is_subject_place(clause: str, mention: _Mention) -> bool:
    """Whether a body named after a few words still stands as the subject: after a fronted time or place
    ("Under april genomför nämnden …", "Därefter ska styrelsen …": the verb comes before it)."""
    head = clause[: mention.start].strip().lower()
    if re.fullmatch(r"(?:det|den|de|varje|en|ett)?\s*[a-zåäö]+(?:a|e)", head):  # "Det nyvalda fullmäktige"
        return True
    if re.search(r"\b(?:fastställer|beslutar|antar|godkänner|lämnar|genomför|behandlar|upprättar|tar|ska|skall|"
                 r"kan|får|bör|måste|samlas|träffas|möts|sammanträder)\s+"
                 r"(?:(?:det|den|de)\s+)?(?:[a-zåäö]+[ae]\s+)?$", head + " "):  # fmt: skip
        return True  # "Vid nästa val, 2030, fastställer det nyvalda fullmäktige budgeten"
    return (
        bool(head) and len(head.split()) <= 6 and bool(re.search(r"\b(?:ska|skall|kan|får|bör|\w+(?:ar|er|r))$", head))
    )


def _coordinated_last(clause: str, subjects: Sequence[_Mention]) -> str:
    chain = [subjects[0]]
    for mention in subjects[1:]:
        if _LIST_GLUE.match(clause[chain[-1].end : mention.start] or "x"):
            chain.append(mention)
        else:
            break
    return chain[0].body if len(chain) == 1 else chain[-1].body


# --- sentences and quotes -------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?§])\s+(?=[A-ZÅÄÖ0-9•])|\s*;\s+|\s+•\s+|\s+(?=\d+\.\d+\s+[A-ZÅÄÖ])")


def sentences(text: str) -> list[tuple[int, str]]:
    """The sentences of a passage with where each starts; a cell's paragraphs ("; ") are sentences too,
    unless the next goes on with a small letter ("Internkontrollplaner; och rapporter till KS 31/12")."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in [*_SENTENCE_END.finditer(text), None]:
        end = match.start() if match is not None else len(text)
        piece = text[start:end]
        if piece.strip():
            begin = start + len(piece) - len(piece.lstrip())
            if spans and text[begin].islower() and text[spans[-1][1] : begin].strip() == ";":
                spans[-1] = (spans[-1][0], begin + len(piece.strip()))
            else:
                spans.append((begin, begin + len(piece.strip())))
        start = match.end() if match is not None else len(text)
    joined: list[tuple[int, int]] = []
    for begin, end in spans:
        if joined and _ABBREVIATION_END.search(text[joined[-1][0] : joined[-1][1]]):
            joined[-1] = (joined[-1][0], end)  # "enligt 6 kap. 9 § kommunallagen" is one sentence
        else:
            joined.append((begin, end))
    return [(begin, text[begin:end]) for begin, end in joined]


_ABBREVIATION_END = re.compile(
    r"\b(?:kap|t\.\s?ex|bl\.\s?a|resp|jfr|ca|s|nr|m\.\s?m|p|st|fr\.\s?o\.\s?m|kl)\.$", re.IGNORECASE
)


def clause_around(sentence: str, start: int, end: int) -> str:
    """The clause of a long sentence that holds [start, end): cut at commas and conjunctions, never inside
    a word, at most QUOTE_CHARS long; a short sentence whole."""
    if len(sentence) <= QUOTE_CHARS:
        return sentence
    left = max(0, start - QUOTE_CHARS // 2)
    cuts = [m.end() for m in re.finditer(r"[,:]\s+|\s+(?:och|men|samt|där|vilket|som)\s+", sentence[:start])]
    left = max([c for c in cuts if c >= left and start - c >= 20] or [left])
    right = min(len(sentence), max(end, left + QUOTE_CHARS))
    ends = [m.start() for m in re.finditer(r"[,:]\s+|\s+(?:och|men|samt|där|vilket)\s+", sentence[end:])]
    right = min([end + e for e in ends if end + e <= right and end + e - left >= 40] or [right])
    while left > 0 and sentence[left - 1].isalnum():
        left -= 1
    while right < len(sentence) and sentence[right].isalnum() and right > end:
        right -= 1
    return sentence[left:right].strip(" ,;:")


# --- events ---------------------------------------------------------------------------------------------

_EXAMPLE = re.compile(r"\b(?:t\.\s?ex\.?|till exempel|exempelvis|såsom|bland annat|exempel)\b", re.IGNORECASE)
_HISTORY = re.compile(
    r"\b(?:antogs|beslutade|fattade|infördes|bildades|grundades|reviderades|gällde|började gälla)\b", re.IGNORECASE
)
_PERIOD_START = re.compile(r"^\s*(?:till|[-–—])\s*", re.IGNORECASE)
_MORE_MONTHS = re.compile(rf"^(?:\s*(?:,|och|samt|resp\.?|respektive)\s*(?:den\s+)?(?:sista\s+)?({'|'.join(MONTHS)}))+",
                          re.IGNORECASE)  # fmt: skip
# "omfattar perioden januari–augusti", "tertial 2 maj–augusti": which months a period covers, not a step
_PERIOD_NAMED = re.compile(r"\b(?:period(?:en)?|omfattar|avser)\s+$", re.IGNORECASE)
# "… i stället för i juni", "inte i juni": a date the step does not fall on
_INSTEAD_OF = re.compile(r"\b(?:i\s+stället\s+för|istället\s+för|inte|ej)\s+$", re.IGNORECASE)
_NONE_DONE = re.compile(r"\b(?:görs|sker|hålls|ges|lämnas|upprättas)\s+(?:ingen|inga|inte|ej)\b", re.IGNORECASE)
_NOT_WHEN = re.compile(r"\b(?:som\s+\w+s|som\s+(?:har\s+)?\w+ts|vidtagits|tillsatts|satts in|beslutades)\s+$")


def _dated(sentence: str) -> list[DatePhrase]:
    """The date rules of a sentence, a period's start left out ("1 januari till 30 april" is dated by its
    end) and a list of months ("den sista mars och sista maj", "i april och oktober") read as one rule each."""
    phrases = [
        p
        for p in date_phrases(sentence)
        if not _PERIOD_NAMED.search(sentence[: p.start]) and not _INSTEAD_OF.search(sentence[: p.start])
    ]
    if any(p.text.lower().startswith("senast") for p in phrases):  # "delårsrapporter per 31 augusti lämnas
        phrases = [p for p in phrases if not p.text.lower().startswith("per ")]  # senast 15 september"
    kept: list[DatePhrase] = []
    for index, phrase in enumerate(phrases):
        following = phrases[index + 1] if index + 1 < len(phrases) else None
        if following is not None and (
            _PERIOD_START.fullmatch(sentence[phrase.end : following.start])
            or (not sentence[phrase.end : following.start].strip() and _PERIOD_START.match(following.text))
        ):
            continue  # "perioden 1 januari till 30 april": dated by its end
        kept.append(phrase)
        more = _MORE_MONTHS.match(sentence[phrase.end :])
        if more and isinstance(phrase.rule, InMonth | MonthEnd):
            for month in re.finditer("|".join(MONTHS), more.group(0), re.IGNORECASE):
                number = MONTHS.index(month.group(0).lower()) + 1
                rule = phrase.rule.model_copy(update={"month": number})
                end = phrase.end + month.end()
                kept.append(DatePhrase(rule, sentence[phrase.start : end], phrase.start, end))
    return kept


_ABBREVIATIONS = {name[:3]: number for number, name in enumerate(MONTHS, 1)}


def month_named(words: str) -> int | None:
    """The month that words naming only a month name ("MAR", "Mars", "sept.", "under maj"); else None."""
    match = re.fullmatch(r"\s*(?:i|under|för)?\s*([a-zåäö]{3,9})\.?(?:\s+månad)?\s*", words.lower())
    if match is None:
        return None
    word = match.group(1)
    if word in MONTHS:
        return MONTHS.index(word) + 1
    return _ABBREVIATIONS.get(word[:3]) if len(word) <= 4 or word == "sept" else None


def _rule_of(when: str | None) -> tuple[Rule, str] | None:
    """The date rule of a table's dating cell or column, with its words."""
    if not when:
        return None
    month = month_named(when)
    if month is not None:
        return InMonth(kind="month", month=month), when.strip()
    phrases = _dated(when)
    return (phrases[0].rule, phrases[0].text) if len(phrases) == 1 else None


def draft_events(passages: Sequence[Passage], words: KeyWords) -> Iterator[Drafted]:
    """Every dated step of the annual cycle the passages state, once per sentence, date rule and actor."""
    for passage in passages:
        for _, sentence in sentences(passage.text):
            seen: set[tuple[str, str | None]] = set()
            phrases = _dated(sentence)
            dated_by = _rule_of(passage.when)
            if not phrases and dated_by is not None and _is_activity(sentence):
                yield from _event(passage, sentence, None, dated_by[0], words, seen)
                continue
            for phrase in phrases:
                yield from _event(passage, sentence, phrase, phrase.rule, words, seen, shared=len(phrases) > 1)
            recurring = _RECURRING.search(sentence) if not phrases and dated_by is None else None
            if recurring is not None and acting_body(sentence) is not None:
                said = _Words(recurring.group(0), recurring.start(), recurring.end())
                yield from _event(passage, sentence, said, Undated(kind="undated"), words, seen)


@dataclass(frozen=True)
class _Words:
    """Words of a sentence that say when without a date ("varje år", "vid varje ny mandatperiod")."""

    text: str
    start: int
    end: int


# A step of the cycle that recurs without a date: an undated event, if a body does it.
_RECURRING = re.compile(
    r"\b(?:årligen|varje år|en gång (?:per|om|i) året|(?:minst )?(?:en|två|tre|fyra) gånger? per år|"
    r"vid varje ny mandatperiod|(?:efter|inför) varje (?:allmänt )?val|vart fjärde år|varje mandatperiod)\b",
    re.IGNORECASE,
)


def _is_activity(sentence: str) -> bool:
    return len(re.findall(r"[a-zåäö]{3,}", sentence.lower())) >= 2


def _event(
    passage: Passage,
    sentence: str,
    phrase: DatePhrase | _Words | None,
    rule: Rule | Undated,
    words: KeyWords,
    seen: set[tuple[str, str | None]],
    shared: bool = False,
) -> Iterator[Drafted]:
    """The event one date of a sentence states (`shared`: the sentence has other dates, so the words next to
    this one say what it is about)."""
    doubt = None
    column = month_named(passage.when or "")
    if phrase is not None and column is not None and isinstance(rule, InMonth) and rule.month != column:
        if _NOT_WHEN.search(sentence[: phrase.start]):
            rule = InMonth(kind="month", month=column)  # "åtgärder som tillsatts i mars": not its date
        else:
            doubt = f"Cellen står under {MONTHS[column - 1]} men nämner {MONTHS[rule.month - 1]}."
    elif phrase is not None and _NOT_WHEN.search(sentence[: phrase.start]):
        doubt = "Datumet kan beskriva något annat i meningen än det steg som ska göras."
    if phrase is not None and _EXAMPLE.search(sentence):
        return  # an example is not a rule of the cycle
    if _NONE_DONE.search(sentence):
        return  # "I juli görs ingen månadsuppföljning": what does not happen
    if phrase is not None and _HISTORY.search(sentence) and not isinstance(rule, Monthly | Relative):
        return  # "antogs den 30 november": something that happened, not a step of the cycle
    start, end = (phrase.start, phrase.end) if phrase is not None else (0, len(sentence))
    about = _own_part(sentence, start, end) if shared else ""
    # of a sentence with several dates, the words that belong to this one, when they say enough alone
    quote = about if len(about.split()) >= 4 else clause_around(sentence, start, end)
    body = (
        labelled(sentence)
        or (acting_body(about) if about and _acts(about) else None)  # "…, och nämnderna lämnar … senast 20 mars"
        or acting_body(_clause(sentence, start, end), passage.row, passage.who)
    )
    relative = _relative_clause_body(sentence[:start])
    if relative is not None:  # "… till kommunfullmäktige som fastställer den senast i april"
        body = relative
    key = (rule.model_dump_json(), body)
    if key in seen:
        return
    seen.add(key)
    if body is None and _mentions(sentence) and doubt is None:
        doubt = "Jag kan inte avgöra vem som ska göra detta."
    entry: dict[str, Any] = {
        "title": _title(quote, phrase.text if phrase is not None else ""),
        "body": body,
        "date": rule.model_dump(exclude_defaults=True) | {"kind": rule.kind},
        "rule": _rule_words(phrase, passage),
        **words.keys_for(quote, first=about or None, body=body),
        "source": _source(passage, quote),
    }
    yield Drafted(entry, passage, doubt, about)


def _rule_words(phrase: DatePhrase | _Words | None, passage: Passage) -> str:
    """The document's wording of the date rule: the sentence's own words, or the table's dating cell."""
    if phrase is not None:
        return phrase.text.strip(" ,.")
    when = (passage.when or "").strip()
    month = month_named(when)
    return f"i {MONTHS[month - 1]} (enligt tabellen)" if month is not None else when


def _own_part(sentence: str, start: int, end: int) -> str:
    """The words that belong to one date of a sentence with several: "beslutar om ansvarsfrihet i maj" of
    "Kommunfullmäktige godkänner årsredovisningen i april och beslutar om ansvarsfrihet i maj"."""
    cut = r",\s*(?:(?:och|samt|men)\s+)?|\s+(?:och|samt|men)\s+|[.;:]\s+"
    cuts = [m.end() for m in re.finditer(cut, sentence[:start])]
    stops = [end + m.start() for m in re.finditer(cut, sentence[end:])]
    return sentence[max(cuts, default=0) : min(stops, default=len(sentence))].rstrip(" .")


def _relative_clause_body(before: str) -> str | None:
    """The body a relative clause holding the date is about: "kommunfullmäktige som fastställer den …"."""
    found = None
    for mention in _mentions(before):
        tail = before[mention.end :]
        if re.match(r"\s*,?\s+som\s+(?!\w+(?:as|s)\b)", tail) and not re.search(r"[.;:]", tail):
            found = mention.body
    return found


def _clause(sentence: str, start: int, end: int) -> str:
    """The clause that holds a date phrase: from the last sentence-internal break before it to the next
    one after it ("Ekonomisk rapport … per 31/3" of "…per 31/3. Redovisas på KS i april")."""
    breaks = r"[.;:]\s+|\s+–\s+|,?\s+(?:vilka|vilket)\s+"
    left = max((m.end() for m in re.finditer(breaks, sentence[:start])), default=0)
    right = min((end + m.start() for m in re.finditer(breaks, sentence[end:])), default=len(sentence))
    return sentence[left:right]


def _title(quote: str, date_words: str) -> str:
    text = quote.replace(date_words, " ") if date_words else quote
    text = re.sub(r"\s+", " ", text).strip(" ,.;:–-")
    text = re.sub(r"(?:\s+(?:ska|skall|senast|per|före|innan|till|under|i))+\s*$", "", text)
    return (text[:1].upper() + text[1:]) if text else quote


def _source(passage: Passage, quote: str) -> dict[str, Any]:
    source: dict[str, Any] = {"document": passage.document, "quote": quote}
    if passage.section:
        source["section"] = passage.section
    if passage.page is not None:
        source["page"] = passage.page
    return source


# --- decisions ------------------------------------------------------------------------------------------

_DECIDES = re.compile(
    r"\b(?:fastställer|fastställs|fastslår|fastslås|beslutar|beslutas|besluta|fattar\s+beslut|tar\s+beslut|"
    r"beslut\s+(?:om|tas)|antar|antas|godkänner|godkänns|ansvarar|har\s+(?:det\s+)?(?:yttersta\s+|övergripande\s+)?"
    r"ansvar(?:et)?|svarar\s+för|har\s+uppsikt\w*|uppsiktsplikt|leder|leda|utser|utses|prioriterar|fördelar|"
    r"delegera\w*|uppdrar|ger\s+uppdrag|ska\s+pröva|prövar|granskar|bereder|bereds|tar\s+fram|upprättar)\b",
    re.IGNORECASE,
)
_NOT_DELEGABLE = re.compile(r"\b(?:får|kan|ska)\s+(?:inte|ej|aldrig)\s+delegeras|\bej\s+delegerbar|\binte\s+"
                            r"delegerbar|\bkan\s+inte\s+överlåtas", re.IGNORECASE)  # fmt: skip
_DELEGABLE = re.compile(r"\b(?:får|kan)\s+(?:\w+\s+){0,3}delegeras|\bdelegerat?\s+till\b|\bpå\s+delegation\b",
                        re.IGNORECASE)  # fmt: skip
_MATTER = re.compile(
    r"\b(?:fastställer|fastslår|beslutar\s+om|beslutar|fattar\s+beslut\s+om|tar\s+beslut\s+om|beslut\s+om|antar|"
    r"godkänner|ansvarar\s+för|svarar\s+för|har\s+(?:\w+\s+)?ansvar(?:et)?\s+för|tar\s+fram|upprättar|leder|"
    r"prövar|granskar|bereder|fördelar|utser)\s+(?P<matter>[^.;:,]{3,90})",
    re.IGNORECASE,
)


def draft_decisions(passages: Sequence[Passage], words: KeyWords) -> Iterator[Drafted]:
    """Every sentence in which a named body decides, adopts, answers for something, or that says whether a
    matter may be delegated; a two-column table ("what | who") gives the body from its other cell, and a
    sentence that only says whether "the decision" may be delegated says it of the decision before it."""
    for passage in passages:
        found: list[Drafted] = []
        for _, sentence in sentences(passage.text):
            if len(sentence) < 15 or len(sentence.split()) < 3:
                continue
            body = acting_body(sentence, passage.row if passage.when is None else None, passage.who)
            if found and body is None and _REFERS_BACK.match(sentence) and _delegable(sentence) is not None:
                found[-1] = Drafted(found[-1].entry | {"delegable": _delegable(sentence)}, passage)
                continue
            if body is None or not (_DECIDES.search(sentence) or _acts(sentence)):
                continue
            quote = clause_around(sentence, *_decision_span(sentence))
            matter = _matter(quote)
            entry: dict[str, Any] = {
                "matter": matter,
                "text": _title(quote, ""),
                "body": body,
                "delegable": _delegable(sentence),
                **words.keys_for(f"{matter} {quote}", first=matter, body=body),
                "source": _source(passage, quote),
            }
            found.append(Drafted(entry, passage))
        yield from found


_REFERS_BACK = re.compile(r"\s*(?:beslutet|besluten|detta|det|ärendet|ärendena|uppgiften|denna\s+\w+)\b", re.IGNORECASE)


def _acts(sentence: str) -> bool:
    """Whether a body is the subject of the sentence and does something ("Tjänstemännen gör en
    aktivitetsplan", "Revisorerna anlitar sakkunniga"), rather than being named in passing."""
    mentions = _mentions(sentence)
    statuses = _statuses(sentence, mentions)
    return any(s == "" and re.match(r"\s*(?:\w+\s+){0,2}\w+(?:ar|er|ör|år|ir)\b", sentence[m.end :])
               for m, s in zip(mentions, statuses, strict=True))  # fmt: skip


def _decision_span(sentence: str) -> tuple[int, int]:
    match = _DECIDES.search(sentence)
    return (match.start(), match.end()) if match else (0, len(sentence))


def _matter(quote: str) -> str:
    match = _MATTER.search(quote)
    text = match.group("matter") if match else quote
    text = re.split(r"\s+(?:och\s+ska|samt\s+ska|vilket|som\s+ska|varje\s+år|senast|i\s+samband)\b", text)[0]
    return " ".join(text.split()).strip(" ,.;:") or quote


def _delegable(sentence: str) -> bool | None:
    if _NOT_DELEGABLE.search(sentence):
        return False
    if _DELEGABLE.search(sentence):
        return True
    return None


# --- role principle -------------------------------------------------------------------------------------

# "VAD och NÄR" as the documents write it, or "vad kommunen ska åstadkomma och när" said of the politicians
# (and "hur uppdraget genomförs och vem" of the officials)
_WHAT_WHEN = re.compile(r"\bVAD\b.{0,60}\bNÄR\b|(?i:\bvad\b.{0,60}\bnär\b)", re.DOTALL)
_HOW_WHO = re.compile(r"\bHUR\b.{0,60}\bVEM\b|(?i:\bhur\b.{0,60}\bvem\b)", re.DOTALL)
_POLITICIANS = re.compile(r"förtroendevald|politik|fullmäktige|nämnd|VAD", re.IGNORECASE)
_OFFICIALS = re.compile(r"tjänste|förvaltning|medarbetar|HUR", re.IGNORECASE)


def draft_role_principle(passages: Sequence[Passage]) -> dict[str, Any] | None:
    """The document's own sentences on VAD/NÄR (the politicians') and HUR/VEM (the officials'), if it has
    both."""
    politik = forvaltning = None
    for passage in passages:
        for _, sentence in sentences(passage.text):
            if politik is None and _WHAT_WHEN.search(sentence) and _POLITICIANS.search(sentence):
                politik = (passage, sentence)
            if forvaltning is None and _HOW_WHO.search(sentence) and _OFFICIALS.search(sentence):
                forvaltning = (passage, sentence)
    if politik is None or forvaltning is None:
        return None
    sources = [_source(p, clause_around(s, 0, min(len(s), 40))) for p, s in (politik, forvaltning)]
    if sources[0]["quote"] == sources[1]["quote"]:
        sources = sources[:1]
    return {"politik": politik[1], "forvaltning": forvaltning[1], "sources": sources}


# --- the words that find an entry -----------------------------------------------------------------------

_GENERIC = _words(
    """
    ska skall sker ske görs gör lämnas lämna tas ta vara inklusive samt eventuella eventuell information
    beslut besluta beslutar fastställs fastställer senast varje år månad månader dag dagar vecka veckor
    kommunens kommun kommunen arbete arbetet arbetar genomförs genomföra enligt utifrån inför också
    redovisas redovisa rapport rapporter rapportering därefter under efter innan mellan första andra
    tillhanda hos respektive resp
    """
)
_BODY_WORD = {"kommunfullmaktige": "fullmäktige", "kommunstyrelsen": "kommunstyrelsen", "namnd": "nämnd",
              "forvaltning": "förvaltning", "revisorerna": "revisor", "bolag": "bolag"}  # fmt: skip
_BODY_WORDS = _words(
    """
    fullmäktige kommunstyrelsen nämnd förvaltning revisor bolag politiker arbetsutskott budgetutskott
    """
)


# Short forms a slide writes in capitals, which as small letters are other words ("år", "vp").
_SHORT_FORM_WORDS = {"ÅR": "årsredovisning", "VP": "verksamhetsplan", "IK": "internkontroll", "MBL": "MBL"}
_SHORT_FORMS = re.compile(r"\b(?:" + "|".join(_SHORT_FORM_WORDS) + r")\b")


class KeyWords:
    """Chooses the words that find an entry. Its key is the topic a question about it will name: a word of
    the lexicon where the passage has one ("delårsrapport 1", "internkontrollplan"; of several, the first,
    which is mostly the subject), else its most specific word; the topic with each of the next specific
    words is an alternative key (a question naming both is surely about it), and the other words, with the
    body that acts, are hints."""

    def __init__(self, analyzer: Analyzer, passages: Iterable[Passage], topics: Iterable[str] = ()) -> None:
        self._analyzer = analyzer
        self._topics = {tuple(topic.split()) for topic in topics}
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
        lexicon word of several words ("delårsrapport 1") as one."""
        text = _SHORT_FORMS.sub(lambda m: _SHORT_FORM_WORDS[m.group(0)], _BROKEN.sub("", text))
        tokens = list(self._analyzer.analyze(text).tokens)
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
        if acting is not None and acting not in words:  # receives, or in passing, does not make a question
            words.append(acting)  # about the entry more likely
        topics = [w for w in words if w not in _BODY_WORDS]
        preferred = [w for w in self.content(first) if w not in _BODY_WORDS] if first else []

        def rank(word: str) -> tuple[bool, bool, float]:
            known = tuple(word.split()) in self._topics  # of the lexicon's words the first named, the subject
            return (word not in preferred, not known, topics.index(word) if known else -self._specificity(word))

        ranked = sorted(topics, key=rank)
        if not ranked:
            ranked = words[:1] or [_ascii(text)[:20] or "okänt"]
        key, others = ranked[0], ranked[1:]
        alternatives = [w for w in others if self._specificity(w) >= self._common and len(w) >= 6][:3]
        hints = [w for w in words if w != key][:8]
        result: dict[str, Any] = {"keys": [key]}
        if alternatives:  # the topic with one more of its words outweighs a rule that names the topic alone
            result["alt_keys"] = [[key, w] for w in alternatives]
        if hints:
            result["hints"] = hints
        return result

    def _specificity(self, word: str) -> float:
        return self._idf.get(word, self._common * 2) + min(len(word), 14) / 100


# --- the whole draft ------------------------------------------------------------------------------------


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
    result.events = _with_ids(_overriding(events, national_events, analyzer), "title")
    result.decisions = _with_ids(_merge_duplicates(list(draft_decisions(passages, words)), words), "matter")
    result.role_principle = draft_role_principle(passages)
    return result


_PRECISION = {"fixed": 4, "month_end": 3, "relative": 3, "monthly": 2, "month": 1, "undated": 0}


def _overriding(found: list[Drafted], national: Sequence[Event], analyzer: Analyzer) -> list[Drafted]:
    """The drafted events, each that states a national deadline's step more strictly marked as replacing it:
    the quote names every key of the national event, the actor is the same (or not named), and the local
    date falls on or before the law's. A local date later than the law's never replaces it; it is doubted."""
    out: list[Drafted] = []
    taken: set[str] = set()
    for drafted in found:
        entry = drafted.entry
        quote = analyzer.analyze(drafted.about or entry["source"]["quote"])
        same = [
            event
            for event in national
            if event.id not in taken
            and (entry["body"] is None or event.body == entry["body"])
            and analyzer.contains_all(quote, [analyzer.term(key) for key in event.keys])
            and _day_of_year(event.date.model_dump()) is not None
            and _day_of_year(entry["date"]) is not None
        ]
        most = max((len(event.keys) for event in same), default=0)
        same = [event for event in same if len(event.keys) == most]  # the most specific of the law's steps
        if len(same) != 1:
            out.append(drafted)
            continue
        (event,) = same
        local, law = _day_of_year(entry["date"]), _day_of_year(event.date.model_dump())
        if local is not None and law is not None and local > law:
            doubt = f"Datumet är senare än lagens ({event.rule or event.title}); kontrollera det."
            out.append(Drafted(entry, drafted.passage, drafted.doubt or doubt, drafted.about))
            continue
        taken.add(event.id)
        out.append(Drafted(entry | {"overrides": event.id}, drafted.passage, drafted.doubt, drafted.about))
    return out


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
        twin = next((index for index, other in enumerate(kept) if _same_step(drafted, other, words)), None)
        if twin is None:
            kept.append(drafted)
        else:
            better, other = (drafted, kept[twin]) if _better(drafted, kept[twin]) else (kept[twin], drafted)
            kept[twin] = _with_other_key(better, other)
    return kept


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
    return Drafted(entry, kept.passage, kept.doubt, kept.about)


def _same_step(a: Drafted, b: Drafted, words: KeyWords) -> bool:
    """Whether two entries say the same thing: the same quote, date and actor; or, for events, the same
    month, an actor that does not differ and the same topic (for a date to the day, which few steps share,
    a word in common, two when only one of them names the actor unless both are short lines; for a month
    three, or one when either is a slide's or a table's short line)."""
    first, second = a.entry, b.entry
    same_quote = _fold(first["source"]["quote"]) == _fold(second["source"]["quote"])
    if "date" not in first:
        return same_quote and first["body"] == second["body"]
    if same_quote:
        return bool(first["date"] == second["date"] and first["body"] == second["body"])
    if first["date"].get("month") != second["date"].get("month"):
        return bool(
            first["date"] == second["date"] and first["body"] == second["body"] and first["keys"] == second["keys"]
        )
    shared = set(words.content(first["source"]["quote"])) & set(words.content(second["source"]["quote"]))
    if None not in (first["body"], second["body"]) and first["body"] != second["body"]:
        return len(shared) >= 3  # a table's line and the prose on it, read with two actors
    same_actor = first["body"] == second["body"]
    lengths = (len(first["source"]["quote"].split()), len(second["source"]["quote"].split()))
    short = min(lengths) <= 5
    if first["date"] == second["date"] and first["date"]["kind"] != "month":  # two slides' lines: one step
        both_short = max(lengths) <= 6
        return len(shared) >= (1 if same_actor or both_short else 2) or (same_actor and first["keys"] == second["keys"])
    return len(shared) >= (1 if short else 3) or (same_actor and first["keys"] == second["keys"])


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
        if _fold(title) in _fold(words) or _fold(words) in _fold(title):
            date["anchor"] = anchor_id
            return
    anchor_id = _ascii(words)[:40].strip("_") or "anchor"
    anchors.setdefault(anchor_id, {"title": words})
    date["anchor"] = anchor_id


def _with_ids(found: list[Drafted], field_name: str) -> list[Drafted]:
    used: Counter[str] = Counter()
    out = []
    for drafted in found:
        base = "_".join(drafted.entry["keys"][0].split())
        date = drafted.entry.get("date") or {}
        suffix = f"_{date['month']:02d}" if "month" in date else ""
        ident = _ascii(base + suffix) or _ascii(str(drafted.entry.get(field_name, ""))) or "entry"
        used[ident] += 1
        if used[ident] > 1:
            ident = f"{ident}_{used[ident]}"
        out.append(Drafted({"id": ident, **drafted.entry}, drafted.passage, drafted.doubt, drafted.about))
    return out


def _fold(text: str) -> str:
    return " ".join(re.sub(r"-\s+", "", text.casefold()).split())


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")
