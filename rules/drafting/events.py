"""The steps of the annual cycle a document dates: one event per date rule of a sentence, table cell or slide line."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from rules import texts
from rules.date_phrases import DatePhrase, Rule, date_phrases, month_number, years_named
from rules.drafting.actors import (
    acting_body,
    acts,
    bodies_named,
    implied_actor,
    labelled,
    roles_of,
    subject,
    subordinate_subject,
)
from rules.drafting.entries import Drafted, Passage, source_of, title_of
from rules.drafting.keys import KeyWords
from rules.drafting.text import clause_around, sentences
from rules.models import InMonth, MonthEnd, Monthly, Relative, Undated, YearSelector
from rules.texts import MONTHS

_EXAMPLE = re.compile(r"\b(?:t\.\s?ex\.?|till exempel|exempelvis|såsom|bland annat|exempel)\b", re.IGNORECASE)
# "antogs den 30 november", "Fram till 2024 fastställde fullmäktige …": what happened, not a step of the cycle
_PAST = re.compile(
    r"\b(?:antogs|beslutade|fattade|infördes|bildades|grundades|reviderades|gällde|började gälla)\b|"
    r"\b(?:19|20)\d\d\b.*\b\w+(?:ade|de|te|dde)s?\b|\b\w+(?:ade|dde)s?\b.*\b(?:19|20)\d\d\b",
    re.IGNORECASE,
)
# "den av kommunfullmäktige beslutade budgetramen", "uppdrag som är politiskt beslutade": a participle that
# describes, not a past event
_DESCRIBING = re.compile(r"\b(?:(?:den|det|de|dessa)\s+(?:av\s+\w+\s+)?|(?:är|var|blir|blivit)\s+(?:\w+t\s+)?)$",
                         re.IGNORECASE)  # fmt: skip
# "Efter beslutet i juni börjar arbetet": the month of what comes before, not of this step
_AFTER_THAT = re.compile(r"\befter\s+(?:det\s+|den\s+)?\w+(?:et|en|na)\s+$", re.IGNORECASE)
_PERIOD_START = re.compile(r"^\s*(?:till|[-–—])\s*", re.IGNORECASE)
_MORE_MONTHS = re.compile(rf"^(?:\s*(?:,|och|samt|resp\.?|respektive)\s*(?:den\s+)?(?:sista\s+)?({'|'.join(MONTHS)}))+",
                          re.IGNORECASE)  # fmt: skip
# "omfattar perioden januari–augusti", "tertial 2 maj–augusti": which months a period covers, not a step
_PERIOD_NAMED = re.compile(r"\b(?:period(?:en)?|omfattar|avser|T\d|(?:tertial|kvartal|delår)\s*\d)\s+$", re.IGNORECASE)
# "senast 3 v efter tertialets utgång (21/5)", "senast 12/10 (6 v efter 31/8)": the same date said again
_EXPLAINED = re.compile(r"\s*\(\s*(?:[^()]*\s)?", re.IGNORECASE)
# "… i stället för i juni", "inte i juni": a date the step does not fall on; "nya nämnder fr.o.m. 1/1": from
# when something holds, not a step
_INSTEAD_OF = re.compile(r"\b(?:i\s+stället\s+för|istället\s+för|inte|ej|fr\.\s?o\.\s?m\.|från\s+och\s+med)\s+$",
                         re.IGNORECASE)  # fmt: skip
_NONE_DONE = re.compile(
    r"\b(?:görs|sker|hålls|ges|lämnas|upprättas)\s+(?:ingen|inga|inget|inte|ej)\b|^\s*(?:\w+:\s*)?(?:ingen|inga|inget)\b|"
    r"\b(?:fattar|tar|gör|håller|lämnar)\s+(?:\w+\s+){0,2}(?:ingen|inga|inget)\b|"  # "fattar KF inget budgetbeslut"
    r"uppehåll\b|"  # "Sommaruppehåll, inga sammanträden", "KS har juluppehåll från mitten av december"
    r"\b(?:sammanträder|sker|hålls|görs|ges|lämnas|behandlas)\s+(?:\w+\s+)?(?:inte|ej)\b(?!\s+senare)|"
    r"\b(?:beslutar|fastställer|antar|behandlar|godkänner)\s+(?:\w+\s+)?(?:inte|ej)\s+om\b",  # "beslutar KF inte om"
    re.IGNORECASE,
)
# "Med … utgång avses den 31 december", "Delårsperioden avslutas 31/8": what a word or a period means, and
# "valdag", "Allmänna val hålls …": the national election, which no municipality's cycle sets
_DEFINITION = re.compile(
    r"\b(?:avses|menas|definieras\s+som)\b|period(?:en)?\s+(?:avslutas|slutar|slut|löper\s+ut|omfattar)\b|"
    r"\bvaldag\w*|\ballmänna\s+val\s+(?:hålls|äger)",
    re.IGNORECASE,
)
_BRACKETED_CUT_OFF = re.compile(r"\(\s*per\s+(?:den\s+)?\S*$", re.IGNORECASE)  # "Tertialrapport (per 30/4) i KS"
_CUT_OFF = re.compile(r"\bper\s+(?:den\s+)?\S*$", re.IGNORECASE)  # "delårsrapport per (den) 31 augusti"
# A monthly report named is every month where it heads its line ("Månadsuppföljning av ekonomi till KS"); in a
# sentence ("… rapporteras i månadsuppföljningen", "…, medan månadsuppföljningen avser ekonomin") it is not.
_MONTHLY_NAMED = re.compile(r"månads\w+", re.IGNORECASE)
# "Under valår …", "Valåret: …": which years the whole sentence is about, unless a clause says "annars"
_FRONTED_YEARS = re.compile(r"\s*(?:(?:under|i|på)\s+)?(?:valår|valåret|året\s+efter\s+valet)\b", re.IGNORECASE)
_OTHERWISE = re.compile(r"\b(?:annars|övriga|vanliga|andra)\s*(?:år)?\b", re.IGNORECASE)
# "Detta ska ske …": the act the sentence before states, whoever's meeting it happens at
_THIS_ACT = re.compile(r"\s*(?:detta|dessa)\s+(?:ska|skall|bör|sker|görs)\b", re.IGNORECASE)
_WHICH = re.compile(r"\s*(?:vilket|vilka)\b", re.IGNORECASE)  # a relative clause on what the clause before names
# a sentence that begins with what the one before spoke of: "Bedömningen …", "Rapporten …", "Den …"
_REFERS_BACK = re.compile(r"\s*(?:den|det|de|dessa|detta|denna|[A-ZÅÄÖ][a-zåäö]{3,}(?:en|et|na))\b")
_REFERS_BACK_IN = re.compile(r"\s*(?:den|det|de|dessa|detta|denna|[a-zåäö]{4,}(?:en|et|na))\b")  # "…; beslutet"
_NOT_WHEN = re.compile(r"\b(?:som\s+\w+s|som\s+(?:har\s+)?\w+ts|vidtagits|tillsatts|satts in|beslutades)\s+$")


def _happened(sentence: str) -> bool:
    """Whether a sentence tells what happened ("antogs den 30 november", "Fram till 2024 fastställde …")."""
    return any(not _DESCRIBING.search(sentence[: m.start()]) for m in _PAST.finditer(sentence))


def _dated(sentence: str) -> list[DatePhrase]:
    """The date rules of a sentence, a period's start left out ("1 januari till 30 april" is dated by its
    end) and a list of months ("den sista mars och sista maj", "i april och oktober") read as one rule each."""
    found = date_phrases(sentence) or _bracketed_month(sentence)
    phrases = [
        p
        for index, p in enumerate(found)
        if not _PERIOD_NAMED.search(sentence[: p.start])
        and not _INSTEAD_OF.search(sentence[: p.start])
        and not (index and _EXPLAINED.fullmatch(sentence[found[index - 1].end : p.start]))
    ]
    phrases = [p for p in phrases if not _BRACKETED_CUT_OFF.search(sentence[: p.start] + p.text[:4])]  # "(per 30/4)"
    phrases = [p for p in phrases if not _covers(sentence, p)]  # "Tertialrapport 1 (jan–apr)": the months it covers
    phrases = [p for p in phrases if not (_MONTHLY_NAMED.fullmatch(p.text) and _words_before(sentence, p) > 1)]
    if len(phrases) > 1:  # "delårsrapporter per 31 augusti lämnas senast 15 september": the period's end
        cut_off = [p for p in phrases if _CUT_OFF.search(sentence[: p.start] + p.text[:4])]
        phrases = [p for p in phrases if p not in cut_off] if len(cut_off) < len(phrases) else phrases
    phrases = [_at_month_end(p) for p in phrases]
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


def _bracketed_month(sentence: str) -> list[DatePhrase]:
    """A month named in brackets after what is done, as a slide writes it: "Budgetdialoger KSAU –
    nämndpresidier (april)"."""
    found = re.search(r"\((?:i\s+)?([a-zåäö]{3,9})\)", sentence, re.IGNORECASE)
    month = month_number(found.group(1)) if found is not None else None
    if found is None or month is None:
        return []
    return [DatePhrase(InMonth(kind="month", month=month), found.group(0), found.start(), found.end())]


def _covers(sentence: str, phrase: DatePhrase) -> bool:
    """Whether a span of months in brackets says what a report covers, not when it is due."""
    bracketed = sentence[: phrase.start].rstrip().endswith("(") and sentence[phrase.end :].lstrip().startswith(")")
    return bracketed and re.search(r"[–—-]|\btill\b", phrase.text) is not None


def _words_before(sentence: str, phrase: DatePhrase) -> int:
    return len(re.findall(r"\w+", sentence[: phrase.start]))


def _at_month_end(phrase: DatePhrase) -> DatePhrase:
    """ "I slutet av november kan budgeten omprövas" says in which month a step happens, not that it is due
    by the month's last day ("senast sista november")."""
    if isinstance(phrase.rule, MonthEnd) and re.match(r"(?:i\s+)?slutet\s+av\b", phrase.text, re.IGNORECASE):
        return DatePhrase(InMonth(kind="month", month=phrase.rule.month), phrase.text, phrase.start, phrase.end)
    return phrase


def month_named(words: str) -> int | None:
    """The month that words naming only a month name ("MAR", "Mars", "sept.", "under maj"); else None."""
    match = re.fullmatch(r"\s*(?:i|under|för)?\s*([a-zåäö]{3,9}\.?)(?:\s+månad)?\s*", words.lower())
    return month_number(match.group(1)) if match is not None else None


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
    before: tuple[str | None, str | None] = (None, None)  # the section, and the last subject a sentence named
    for passage in passages:
        if before[0] != passage.section or passage.when is not None:
            before = (passage.section, None)
        previous = ""  # the sentence before, in the same passage
        for _, sentence in sentences(passage.text):
            seen: set[tuple[str, str | None]] = set()
            antecedent = _antecedent(sentence, previous)
            dated_by = _rule_of(passage.when)
            phrases = [_as_column_says(p, dated_by) for p in _dated(sentence)]
            if not phrases and dated_by is not None and _is_activity(sentence):
                yield from _event(passage, sentence, None, dated_by[0], words, seen)
                continue
            for index, phrase in enumerate(phrases):
                gapped = _gapped_body(sentence[phrases[index - 1].end : phrase.start]) if index else None
                yield from _event(
                    passage, sentence, phrase, phrase.rule, words, seen, shared=len(phrases) > 1, before=before[1],
                    gapped=gapped, antecedent=antecedent,
                )  # fmt: skip
            recurring = _RECURRING.search(sentence) if not phrases and dated_by is None else None
            if recurring is not None and acting_body(sentence) is not None:
                said = _Words(recurring.group(0), recurring.start(), recurring.end())
                yield from _event(passage, sentence, said, Undated(kind="undated"), words, seen)
            before = (passage.section, subject(sentence) or before[1])  # the section's last subject
            previous = sentence


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


def _as_column_says(phrase: DatePhrase, column: tuple[Rule, str] | None) -> DatePhrase:
    """A row's "Månadsuppföljning" is monthly; its column says which months ("Månadsvis utom januari och
    juli")."""
    said = column is not None and isinstance(phrase.rule, Monthly) and not phrase.rule.except_months
    if said and column is not None and isinstance(column[0], Monthly):
        return DatePhrase(column[0], phrase.text, phrase.start, phrase.end)
    return phrase


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
    before: str | None = None,
    gapped: str | None = None,
    antecedent: str = "",
) -> Iterator[Drafted]:
    """The event one date of a sentence states (`shared`: the sentence has other dates, so the words next to
    this one say what it is about; `before`: who the sentence before was about, for "Bedömningen ska …";
    `gapped`: who does the same again at this date, "… i oktober och KF i november"; `antecedent`: what the
    sentence's first word refers back to, "internkontrollplan" for "Planen ska antas …")."""
    doubt = None
    column = month_named(passage.when or "")
    if phrase is not None and column is not None and isinstance(rule, InMonth) and rule.month != column:
        if _NOT_WHEN.search(sentence[: phrase.start]):
            rule = InMonth(kind="month", month=column)  # "åtgärder som tillsatts i mars": not its date
        else:
            doubt = f"Texten står under {MONTHS[column - 1]} men nämner {MONTHS[rule.month - 1]}."
    elif phrase is not None and _NOT_WHEN.search(sentence[: phrase.start]):
        doubt = "Datumet kan beskriva något annat i meningen än det steg som ska göras."
    elif isinstance(rule, InMonth) and phrase is not None and _AFTER_THAT.search(sentence[: phrase.start]):
        following = MONTHS[rule.month % 12]  # "Efter beslutet i juni börjar …": the month after
        doubt = (
            f"Dokumentet säger att det sker efter det som görs i {MONTHS[rule.month - 1]}; jag har satt {following}."
        )
        rule = InMonth(kind="month", month=rule.month % 12 + 1)
    if phrase is not None and _EXAMPLE.search(sentence):
        return  # an example is not a rule of the cycle
    start, end = (phrase.start, phrase.end) if phrase is not None else (0, len(sentence))
    if _NONE_DONE.search(_clause(sentence, start, end)) or _DEFINITION.search(sentence):
        return  # "I juli görs ingen månadsuppföljning": what does not happen (in the date's own clause)
    if _happened(sentence) and not isinstance(rule, Monthly | Relative):
        return  # "antogs den 30 november": something that happened, not a step of the cycle
    about = _own_part(sentence, start, end) if shared else ""
    # of a sentence with several dates, the words that belong to this one, when they say enough alone: three
    # words besides the date ("beslutar om ansvarsfrihet i maj", not "förslagsvis i maj och november")
    said_alone = len(about.replace(sentence[start:end], " ").split()) >= 3
    quote = about if said_alone else clause_around(sentence, start, end)
    if _WHICH.match(about) and not antecedent:  # "…, vilket redovisas till KF under april": what the clause
        antecedent = sentence[: sentence.find(about)]  # before names is what is reported
    clause = _clause(sentence, start, end)
    line = len(sentence.split()) <= 6  # a short line is one clause: "Ägardialoger KSAU – bolagen i oktober"
    body = (
        labelled(sentence)
        or (acting_body(about) if about and acts(about) else None)  # "…, och nämnderna lämnar … senast 20 mars"
        or acting_body(sentence if line else clause, passage.row, passage.who)
    )
    if body is None and phrase is not None:  # "…, eftersom ett nytt fullmäktige tillträder den 15 oktober"
        body = subordinate_subject(sentence[:start])
    relative = _relative_clause_body(sentence[:start])
    if relative is not None:  # "… till kommunfullmäktige som fastställer den senast i april"
        body = relative
    if gapped is not None:  # "KS behandlar rapporten i oktober och KF i november"
        body = gapped
    owner = implied_actor(clause) if body is None else None
    if owner is not None:  # "Revisionsberättelsen ska lämnas …": whose work it is, said to be assumed
        body = owner
        doubt = doubt or f"Dokumentet säger inte vem som gör det; jag har antagit {texts.body_name(owner)}."
    if before is not None and _THIS_ACT.match(sentence) and not _agent_named(sentence):
        body = before  # "Revisorerna ska … lämna en berättelse … Detta ska ske … i Kommunfullmäktige i april"
        doubt = doubt or "Vem som gör det står i meningen före; kontrollera."
    if body is None and before is not None and _REFERS_BACK.match(sentence):
        body = before  # "Revisorerna ska bedöma … Bedömningen ska vara förvaltningen tillhanda inför KF i april"
        doubt = doubt or "Vem som gör det står i meningen före; kontrollera."
    if body is None and _REFERS_BACK_IN.match(clause) and sentence.find(clause) > 0:
        body = acting_body(sentence[: sentence.find(clause)])  # "Därefter prövar KF frågan …; beslutet fattas i juni"
        doubt = doubt or ("Vem som gör det står tidigare i meningen; kontrollera." if body else None)
    key = (rule.model_dump_json(), body)
    if key in seen:
        return
    seen.add(key)
    if body is None and bodies_named(sentence) and doubt is None:
        doubt = "Jag kan inte avgöra vem som ska göra detta."
    entry: dict[str, Any] = {
        "title": title_of(quote, phrase.text if phrase is not None else ""),
        "body": body,
        "date": rule.model_dump(exclude_defaults=True) | {"kind": rule.kind},
        "rule": _rule_words(phrase, passage, sentence),
        **words.keys_for(f"{antecedent} {quote}".strip(), first=about or antecedent or None, body=body),
        "source": source_of(passage, quote),
    }
    years = _years(sentence, about, start, end)
    if years != "every":
        entry["years"] = years
    yield Drafted(entry, passage, doubt, about)


def _rule_words(phrase: DatePhrase | _Words | None, passage: Passage, sentence: str) -> str:
    """The document's wording of the date rule: the sentence's own words, with the word that makes a date a
    deadline ("senast den 18 september"), or the table's dating cell."""
    if phrase is not None:
        words = phrase.text.strip(" ,.")
        lead = re.search(r"\b(senast|före|innan|inom|per)\s+$", sentence[: phrase.start], re.IGNORECASE)
        return (
            f"{lead.group(1).lower()} {words}"
            if lead and not words.lower().startswith(lead.group(1).lower())
            else words
        )
    when = (passage.when or "").strip()
    month = month_named(when)
    return f"i {MONTHS[month - 1]} (enligt tabellen)" if month is not None else when


def _own_part(sentence: str, start: int, end: int) -> str:
    """The words that belong to one date of a sentence with several: "beslutar om ansvarsfrihet i maj" of
    "Kommunfullmäktige godkänner årsredovisningen i april och beslutar om ansvarsfrihet i maj"."""
    cuts = [m.end() for m in _CLAUSE_BREAK.finditer(sentence[:start]) if _clause_follows(m, sentence)]
    stops = [end + m.start() for m in _CLAUSE_BREAK.finditer(sentence[end:]) if _clause_follows(m, sentence[end:])]
    return sentence[max(cuts, default=0) : min(stops, default=len(sentence))].rstrip(" .")


_CLAUSE_BREAK = re.compile(r",\s*(?:(?:och|samt|men)\s+)?|\s+(?:och|samt|men)\s+|[.;:]\s+")


def _clause_follows(cut: re.Match[str], text: str) -> bool:
    """Whether a break starts a clause of its own: always after a comma or a full stop, after "och" only
    when a verb follows ("… i april och beslutar om …", "… i mars och godkänns av KF i maj"), not in a list
    ("till fullmäktige och revisorerna")."""
    if not re.fullmatch(r"\s+(?:och|samt|men)\s+", cut.group(0)):
        return True
    return bool(re.match(r"(?:\S+\s+)?(?:\S+(?:ar|er|ör|år|ir|as)|godkänns|fastställs|görs|hålls|tas|ges)\b",
                         text[cut.end() :]))  # fmt: skip


def _gapped_body(between: str) -> str | None:
    """The body that does the same thing at a second date, the verb left out: "och KF" of "KS behandlar
    rapporten i oktober och KF i november", "bolagen" of "… senast den 15 september, bolagen senast den 20"."""
    said = re.fullmatch(r"\s*(?:,|,?\s*(?:och|samt|medan))\s+([\wåäöÅÄÖ:]+(?:\s+[\wåäöÅÄÖ]+)?)\s+", between)
    mentions = bodies_named(said.group(1)) if said is not None else []
    return mentions[0].body if len(mentions) == 1 and mentions[0].start == 0 else None


def _antecedent(sentence: str, previous: str) -> str:
    """The word of the sentence before that a sentence's first word, a definite noun, refers back to as its
    head: "internkontrollplan" for "Planen ska antas …" after "… antar nämnden en internkontrollplan."."""
    noun = re.match(r"\s*([A-ZÅÄÖ][a-zåäö]{2,}?)(?:en|et|na|erna)\b", sentence)
    if noun is None or not previous:
        return ""
    head = noun.group(1).lower()
    found = re.findall(rf"\b([a-zåäö]{{3,}}{head})(?:en|et|na|erna|ar|er)?\b", previous.lower())
    return found[-1] if found else ""


def _years(sentence: str, about: str, start: int, end: int) -> YearSelector:
    """Which years a date of a sentence is for: those its own clause names, else those the sentence is fronted
    with ("Under valår fastställer …, medan budgeten fastställs senast den 20 december") unless the clause says
    "annars"; a date in brackets that open with them is theirs ("(valår: även budgeten, senast 30 november)")."""
    opening = sentence.rfind("(", 0, start)
    if opening >= 0 and sentence.find(")", opening) >= end and _FRONTED_YEARS.match(sentence, opening + 1):
        return years_named(sentence[opening + 1 : end])
    years = years_named(about or sentence)
    if years == "every" and about and _FRONTED_YEARS.match(sentence) and not _OTHERWISE.search(about):
        return years_named(sentence)
    return years


def _agent_named(sentence: str) -> bool:
    """Whether a sentence names a body as the agent of its passive ("… beslutas av kommunfullmäktige")."""
    mentions = bodies_named(sentence)
    return "av" in roles_of(sentence, mentions)


def _relative_clause_body(before: str) -> str | None:
    """The body a relative clause holding the date is about: "kommunfullmäktige som fastställer den …"."""
    found = None
    for mention in bodies_named(before):
        tail = before[mention.end :]
        if re.match(r"\s*,?\s+som\s+(?!\w+(?:as|s)\b)", tail) and not re.search(r"[.;:]", tail):
            found = mention.body
    return found


def _clause(sentence: str, start: int, end: int) -> str:
    """The clause that holds a date phrase: from the last sentence-internal break before it to the next
    one after it ("Ekonomisk rapport … per 31/3" of "…per 31/3. Redovisas på KS i april")."""
    breaks = r"[.;:]\s+|\s+–\s+|,?\s+(?:vilka|vilket)\s+"
    left = max((m.end() for m in re.finditer(breaks, sentence[:start])), default=0)
    heads = re.match(r"\s+–\s+", sentence[end:])
    if heads is not None and not sentence[left:start].strip():
        left = end + heads.end()  # "15 oktober – det nyvalda fullmäktige tillträder": the date heads what follows
    right = min((end + m.start() for m in re.finditer(breaks, sentence[end:]) if end + m.start() >= left),
                default=len(sentence))  # fmt: skip
    return sentence[left:right]
