"""The date rules a governance document states, read from its Swedish wording.

The first step of drafting a municipality's profile from its own documents (the issue "a new municipality in
an afternoon"): every phrase that dates a step of the annual cycle, as the date rule of the profile format
(`rules.models`) and the words the document uses for it, so that a drafted event can quote them:

- a day of the year: "senast 15/3", "per 31 augusti", "den 1 mars" (`FixedDate`);
- a month's end: "senast sista april", "före oktober månads utgång", "före utgången av maj", "i slutet av juni"
  (`MonthEnd`);
- a month: "i juni", "under april", "i början av maj", "vid novembersammanträdet" (`InMonth`);
- every month, with exceptions: "månadsvis exklusive juni och juli" (`Monthly`);
- a span before or after something: "inom tre veckor efter …", "minst en vecka före sammanträdesdagen", "3 v efter …"
  (`Relative`, with the words it is relative to; the drafter names the anchor).

A year ("2016"), a date with its year ("15 mars 2016", an example or a founding date) and a number that counts
something else are not date rules and are never read as one. Pure text work: no lookups, no model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rules.models import FixedDate, InMonth, MonthEnd, Monthly, Offset, Relative, YearSelector
from rules.texts import MONTHS

_MONTH = "|".join(MONTHS)
# a month as tables and slides shorten it ("15 okt", "i nov", "JUL–NOV"), after the full names
_SHORT_MONTH = rf"(?:{_MONTH}|(?:jan|feb|mar|apr|jun|jul|aug|sept?|okt|nov|dec)\.?)"
_NUMBERS = {
    "en": 1,
    "ett": 1,
    "två": 2,
    "tre": 3,
    "fyra": 4,
    "fem": 5,
    "sex": 6,
    "sju": 7,
    "åtta": 8,
    "nio": 9,
    "tio": 10,
    "elva": 11,
    "tolv": 12,
    "fjorton": 14,
    "femton": 15,
    "tjugo": 20,
    "trettio": 30,
}
_COUNT = rf"\d{{1,3}}|{'|'.join(_NUMBERS)}"
_UNITS = {"dag": "days", "dagar": "days", "vecka": "weeks", "veckor": "weeks", "v": "weeks", "v.": "weeks",
          "månad": "months", "månader": "months", "mån": "months", "mån.": "months", "år": "years"}  # fmt: skip
_NUMBERED = re.compile(
    r"\b(?:tertial|kvartal|delårsrapport|dr|etapp|steg|fas|kapitel|kap\.?|punkt|nr)\s*$", re.IGNORECASE
)  # "tertial 2 maj–augusti": a number that counts something, followed by a month
_YEAR_AFTER = re.compile(r"^\s*(?:år\s+)?(?:19|20)\d\d\b")  # "15 mars 2016": a date of one year, not a rule

Rule = FixedDate | MonthEnd | InMonth | Monthly | Relative


@dataclass(frozen=True)
class DatePhrase:
    """A date rule as a document words it: the rule, the words (`text`, where they stand in the sentence) and,
    for a relative rule, the words it is relative to ("periodens utgång")."""

    rule: Rule
    text: str
    start: int
    end: int
    relative_to: str = ""


_RELATIVE = re.compile(
    rf"\b(?:senast|inom|minst|högst|inte senare än|snarast och senast)?\s*(?P<count>{_COUNT})\s+"
    rf"(?P<unit>dagar|dag|veckor|vecka|v\.?|månader|månad|mån\.?|år)\s+(?P<direction>efter|före|innan|från)\s+"
    r"(?P<to>[^.;:\n]{3,80}?)(?=[.;:\n]|,\s|\s+och\s+(?:senast|inom)|\s*[()]|$|"
    # fronted, the span ends where the clause's verb comes: "Senast fyra veckor efter delårsperiodens utgång
    # överlämnar kommunstyrelsen …"
    r"\s+(?:överlämnar|lämnar|fastställer|beslutar|behandlar|redovisar|skickar|ska|skall)\b)",
    re.IGNORECASE,
)
_MONTHLY = re.compile(
    rf"\b(?:varje månad|alla månader|alla mån\.|månadsvis|månatligen|en gång i månaden)"
    rf"(?:\s*,?\s*(?:exklusive|utom|förutom|undantaget)\s+(?:i\s+)?"
    rf"(?P<except>(?:{_SHORT_MONTH})(?:(?:\s*,\s*|\s+(?:och|o|&)\s+)(?:{_SHORT_MONTH}))*))?",
    re.IGNORECASE,
)
_MONTH_END = re.compile(
    rf"\b(?:(?:senast|före|innan|till)\s+)?(?:(?:den\s+)?sista\s+(?:dagen\s+i\s+)?(?P<a>{_MONTH})|"
    rf"(?P<b>{_MONTH})\s+månads\s+(?:utgång|slut)|(?:i\s+)?slutet\s+av\s+(?P<c>{_MONTH})|"
    rf"(?:vid\s+)?utgången\s+av\s+(?P<d>{_MONTH}))\b",
    re.IGNORECASE,
)
_DAY_MONTH = re.compile(
    rf"\b(?:(?:senast|per|den|från|till|före)\s+)?(?:(?P<day>\d{{1,2}})\s*/\s*(?P<month>\d{{1,2}})(?![/\d])|"
    rf"(?P<day2>\d{{1,2}})(?:\s*:e|\s*:a)?\s+(?P<name>{_SHORT_MONTH}))(?!\w)",
    re.IGNORECASE,
)
_MONTH_RANGE = re.compile(
    rf"\b(?:(?:under|från|mellan)\s+)?(?:{_SHORT_MONTH})\s*(?:[-–—]|till)\s*(?P<month>{_SHORT_MONTH})(?!\w)",
    re.IGNORECASE,
)  # "under januari–mars": the work is done by the end of the last month
_IN_MONTH = re.compile(
    rf"\b(?:i\s+(?:början\s+av\s+|mitten\s+av\s+)?|under\s+(?:hela\s+)?|till\s+|inför\s+)"
    rf"(?P<month>{_SHORT_MONTH})(?:\s+månad)?(?!\w)",
    re.IGNORECASE,
)


def date_phrases(text: str) -> list[DatePhrase]:
    """Every date rule the text states, in the order they stand; where two overlap, the more precise one
    ("sista april" before "april", "inom tre veckor efter …" before a date inside the words it refers to)."""
    found: list[DatePhrase] = []
    for finder in (_relatives, _monthlies, _month_ends, _days, _ranges, _months):
        for phrase in finder(text):
            if not any(phrase.start < other.end and other.start < phrase.end for other in found):
                found.append(phrase)
    return sorted(found, key=lambda phrase: phrase.start)


def _relatives(text: str) -> list[DatePhrase]:
    found = []
    for match in _RELATIVE.finditer(text):
        count = match.group("count").lower()
        number = int(count) if count.isdigit() else _NUMBERS[count]
        unit = _UNITS[match.group("unit").lower()]
        direction = "before" if match.group("direction").lower() in ("före", "innan") else "after"
        to = " ".join(match.group("to").split())
        rule = Relative(kind="relative", anchor=to, offset=Offset(**{unit: number}), direction=direction)
        found.append(_phrase(rule, text, match, to))
    return found


_MONTHLY_NOUN = re.compile(r"\bmånads(?:rapport|uppföljning|bokslut)\w*", re.IGNORECASE)  # "Månadsrapportering på KS"


def _monthlies(text: str) -> list[DatePhrase]:
    """Every month, as the text says it; a monthly report named without saying when, as every month."""
    if not _MONTHLY.search(text):
        return [
            _phrase(Monthly(kind="monthly"), text, match)
            for match in _MONTHLY_NOUN.finditer(text)
            if not re.search(r"\b(?:ingen|inga|inte|ej|utan)\s+$", text[: match.start()], re.IGNORECASE)
        ][:1]  # "Sommaruppehåll, ingen månadsuppföljning" says when there is none
    found = []
    for match in _MONTHLY.finditer(text):
        months = re.findall(_SHORT_MONTH, match.group("except") or "", re.IGNORECASE)
        rule = Monthly(kind="monthly", except_months=tuple(sorted({_month(m) for m in months})))
        found.append(_phrase(rule, text, match))
    return found


def _month_ends(text: str) -> list[DatePhrase]:
    found = []
    for match in _MONTH_END.finditer(text):
        if _YEAR_AFTER.match(text[match.end() :]):
            continue
        name = match.group("a") or match.group("b") or match.group("c") or match.group("d")
        found.append(_phrase(MonthEnd(kind="month_end", month=_month(name)), text, match))
    return found


def _days(text: str) -> list[DatePhrase]:
    found = []
    for match in _DAY_MONTH.finditer(text):
        if _YEAR_AFTER.match(text[match.end() :]) or re.match(r"\s*/\s*\d", text[match.end() :]):
            continue  # "15 mars 2016", "31/12/2016": one year's date, not a rule of the cycle
        if _NUMBERED.search(text[: match.start()]):
            continue  # "tertial 2 maj–augusti": the number counts the tertial, it is no day
        day = int(match.group("day") or match.group("day2"))
        month = int(match.group("month")) if match.group("month") else _month(match.group("name"))
        try:
            rule = FixedDate(kind="fixed", month=month, day=day)
        except ValueError:
            continue  # "45/3", "31/4": no day of the year
        found.append(_phrase(rule, text, match))
    return found


def _ranges(text: str) -> list[DatePhrase]:
    found = []
    for match in _MONTH_RANGE.finditer(text):
        if _YEAR_AFTER.match(text[match.end() :]):
            continue
        found.append(_phrase(MonthEnd(kind="month_end", month=_month(match.group("month"))), text, match))
    return found


# "vid novembersammanträdet", "på KF:s junisammanträde": a meeting named by its month
_MEETING_MONTH = re.compile(
    rf"\b(?:vid|på|till|inför|under)\s+(?:[\wåäö]+:?s\s+)?(?P<month>{_MONTH})(?:sammanträde\w*|möte\w*)",
    re.IGNORECASE,
)


def _months(text: str) -> list[DatePhrase]:
    found = []
    for match in (*_IN_MONTH.finditer(text), *_MEETING_MONTH.finditer(text)):
        if _YEAR_AFTER.match(text[match.end() :]):
            continue  # "i juni 2016"
        found.append(_phrase(InMonth(kind="month", month=_month(match.group("month"))), text, match))
    return found


def _phrase(rule: Rule, text: str, match: re.Match[str], relative_to: str = "") -> DatePhrase:
    start, end = match.start(), match.end()
    while start < end and text[start].isspace():
        start += 1
    return DatePhrase(rule, text[start:end], start, end, relative_to)


def _month(name: str) -> int:
    number = month_number(name)
    assert number is not None, name  # the patterns match month names only
    return number


def month_number(name: str) -> int | None:
    """A month's number from its name or its short form ("mars", "okt", "sept.", "MAR"); None for a word that
    is neither."""
    word = name.lower().rstrip(".")
    if word in MONTHS:
        return MONTHS.index(word) + 1
    if re.fullmatch(r"jan|feb|mar|apr|jun|jul|aug|sept?|okt|nov|dec", word):
        return next(number for number, month in enumerate(MONTHS, 1) if month.startswith(word[:3]))
    return None


def years_named(text: str) -> YearSelector:
    """Which years a text speaks of, a document's step or a question: election years only ("Under valår …",
    "det nyvalda fullmäktige"), the year after one ("året efter valet"), years without an election ("ett år
    som inte är valår"), or, when it names none, every year."""
    if _NOT_ELECTION_YEAR.search(text):
        return "non_election"
    if _AFTER_ELECTION.search(text):
        return "after_election"
    return "election" if _ELECTION_YEAR.search(text) else "every"


_NOT_ELECTION_YEAR = re.compile(
    r"\b(?:icke[- ]?valår|år utan (?:allmänt )?val|(?:inte|ej) (?:är )?(?:ett )?valår|övriga år|vanliga år|mellanår)\b",
    re.IGNORECASE,
)
_AFTER_ELECTION = re.compile(
    r"\båret efter (?:ett )?(?:allmänt )?val(?:et|år(?:et)?)?\b|\bförsta året efter valet\b", re.IGNORECASE
)
_ELECTION_YEAR = re.compile(
    r"\b(?:under|i|ett|varje|på|är|har)\s+valår\b|\bvalåret\b|\bnyvalda\b|^\W*valår\b", re.IGNORECASE
)  # "det är valår i år", "Valår: budgetanvisningarna beslutas …", a line or sentence that starts with it
