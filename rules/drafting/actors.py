"""Who acts in a sentence of a governance document: the body a step or a decision belongs to."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from rules.drafting.text import BROKEN, word_set

# Each body and the words that name it, most specific first; "förvaltningsberättelse" is a report, not the
# administration, and "kommunstyrelsen" is not a "styrelse" of the committees.
_BODIES: tuple[tuple[str, str], ...] = (
    ("kommunfullmaktige", r"(?:kommun)?fullmäktige\w*|kf|fullmäktigeförsamling\w*"),
    ("kommunstyrelsen", r"kommunstyrelse\w*|ks(?:\s*au)?|ksau|ks:s|arbetsutskott\w*|budgetutskott\w*|"
     r"budgetberedning\w*"),
    ("revisorerna", r"revisor\w*|lekmannarevisor\w*|revisionen"),
    ("bolag", r"bolag(?:ets|ens)\s+styrels\w*|bolag(?!sordning)\w*|bolagsstämm\w*|bolagsstyrels\w*|"
     r"\w+bolag(?:et|en)?"),
    ("namnd", r"\w*nämnd(?!e\b|sekreterar)\w*|nämnder\w*|nämd(?:en|er|erna|ernas|ens)?|styrelser(?:na)?|"
     r"styrelsen(?=\s+och\s+nämnd)|\w+nämnden|\w+utskott\w*|"  # "individutskottet": a committee's own
     r"(?-i:(?!IN\b|EN\b)[A-ZÅÄÖ]{1,3}N)"),  # "BUN", "SN", "SBN": a nämnd's short name, in capitals
    ("forvaltning", r"förvaltning(?!sberätt)\w*|\w+förvaltning(?:en|arna)?|tjänste(?:män\w*|man\w*|person\w*)|"
     r"förvaltningschef\w*|kommunchef\w*|kommundirektör\w*|stadsdirektör\w*|ekonomiavd\w*|ekonomikontor\w*|"
     r"ekonomienhet\w*|ekonomichef\w*|kommunledning\w*|cheferna|verksamhetschef\w*|sektorchef\w*|kontorschef\w*|"
     r"\w*sekreterar\w*|\w*handläggar\w*|registrator\w*|förv\.?(?=\s*:)"),
)  # fmt: skip
_BODY = re.compile("|".join(f"(?P<{b}>\\b(?:{p})\\b)" for b, p in _BODIES), re.IGNORECASE)
_PREPOSITIONS = word_set(
    "till på i inför hos för från om av med mellan över under åt gentemot mot via vid enligt samt efter före"
)
_LEADS = re.compile(r"[\d/.\s–:-]*")  # what may stand before a line's first word: its date ("15/3 – ")
_PASSIVE = re.compile(
    r"\b(?:\w+(?:as|ås)|fastställs|genomförs|görs|tas|hålls|läggs|godkänns|följs|ges|sänds|sker|ske|"
    r"fastslås|förs|väljs|utses|delges)\b",
    re.IGNORECASE,
)
_LIST_GLUE = re.compile(
    r"^(?:\s*(?:,|och|samt|/|&|resp\.?|respektive)\s*)+(?:(?:samtliga|alla|berörda|de|den|det)\s+)?$", re.IGNORECASE
)  # "förvaltningschefer och samtliga nämndordföranden": one list


@dataclass(frozen=True)
class _Mention:
    body: str
    start: int
    end: int
    before: str  # the word before it
    genitive: bool


_DETERMINERS = word_set(
    "den det de kommunens kommunala sin sina sitt berörd berörda egen egna samtliga alla varje respektive"
)


def bodies_named(text: str) -> list[_Mention]:
    """The bodies a text names, where they stand (words broken over a line are read whole)."""
    return list(_mentions(text))


@lru_cache(maxsize=1 << 14)  # merging asks it of every pair of statements
def _mentions(text: str) -> tuple[_Mention, ...]:
    places = list(range(len(text) + 1))
    for broken in reversed(list(BROKEN.finditer(text))):
        del places[broken.start() : broken.end()]
        text = text[: broken.start()] + text[broken.end() :]
    return tuple(replace(m, start=places[m.start], end=places[m.end]) for m in _joined_mentions(text))


def _joined_mentions(text: str) -> list[_Mention]:
    found = []
    for match in _BODY.finditer(text):
        body = next(name for name, value in match.groupdict().items() if value)
        words = [w.lower() for w in re.findall(r"[\wåäöÅÄÖ]+", text[: match.start()])]
        if len(words) > 2 and re.fullmatch(r"\w+[ae]", words[-1]) and words[-2] in _DETERMINERS:
            words.pop()  # "av det nyvalda fullmäktige": the adjective
        while len(words) > 1 and words[-1] in _DETERMINERS and words[-2] in _PREPOSITIONS:
            words.pop()  # "till kommunens ekonomiavdelning": governed by "till"
        word = match.group(0).lower()
        genitive = word.endswith("s") and not word.endswith(("ss", "ks")) and body != "kommunfullmaktige"
        found.append(_Mention(body, match.start(), match.end(), words[-1] if words else "", genitive))
    return found


def acting_body(clause: str, row: str | None = None, who: str | None = None) -> str | None:
    """Who acts in a clause: a label before a colon ("KS: planeringsdirektiv"), the agent of a passive
    ("fastställs av kommunfullmäktige"), its subject ("Nämnderna lämnar …", not one something is done to:
    "Nämnderna väljs …"), the body a table's Ansvarig column names (`who`), the body a passive takes place in
    ("Redovisas på KS", "tas i KF", "vid KF:s sammanträde"), the owner of what is delivered ("Förvaltningens
    bedömning … ska till KS"), the body its table row is labelled with (`row`), the one it comes from
    ("Delårsrapporter från nämnderna"), in that order; None when nothing names one. Of bodies named together
    ("av kommunstyrelsen och kommunfullmäktige") the last decides, of places the first."""
    label = labelled(clause)
    if label is not None:
        return label
    cleft = _CLEFT.search(clause) or _WHOSE_DUTY.search(clause)
    if cleft is not None:  # "det är fullmäktige som beslutar om …", "… är det förvaltningschefens ansvar att …"
        return bodies_named(cleft.group(1))[0].body if bodies_named(cleft.group(1)) else None
    mentions = bodies_named(clause)
    statuses = roles_of(clause, mentions)
    agents = [
        m
        for m, s in zip(mentions, statuses, strict=True)
        if s == "av" and not _in_relative_clause(clause, m) and not _DESCRIBED.search(clause[: m.start])
    ]  # not "Tjänsteskrivelser i ärenden som ska avgöras av nämnden …", "den av fullmäktige beslutade ramen"
    if agents:
        return agents[-1].body
    subjects = [m for m, s in zip(mentions, statuses, strict=True) if s == ""]
    if subjects and not _UNDERGOES.match(clause[subjects[-1].end :]):  # not "KS och nämnderna väljs i december"
        return _coordinated_last(clause, subjects)
    named = _named_by(who)
    if named is not None:
        return named
    if _PASSIVE.search(clause) or len(clause.split()) <= 6:  # "Redovisas på KS", "Månadsrapportering på KS"
        places = [m for m, s in zip(mentions, statuses, strict=True) if s in ("i", "på", "hos", "vid")]
        if places:
            return places[0].body
    short = len(clause.split()) <= 6
    between = [m for m, s in zip(mentions, statuses, strict=True) if s == "mellan"]
    if between and (_PASSIVE.search(clause) or short):  # "Ägardialoger mellan KSAU och bolagsstyrelserna hålls …"
        return between[0].body
    facing = [(m, n) for m, n in itertools.pairwise(mentions) if re.fullmatch(r"\s+[–-]\s+", clause[m.end : n.start])]
    if facing and short:  # "Ägardialoger KSAU – bolagen i oktober": the first meets the second
        return facing[0][0].body
    owners = [
        m
        for m, s in zip(mentions, statuses, strict=True)
        if s == "gen" and (_LEADS.fullmatch(clause[: m.start]) or m.before == "av" or _DUTY.match(clause[m.end :]))
    ]  # "… är det kommundirektörens uppgift att …", "15/3 – Bolagens årsredovisningar till KLK"
    if owners:  # "Förvaltningens bedömning … ska till KS", "Presentation av förvaltningens förslag …"
        return owners[0].body
    senders = [m.body for m, s in zip(mentions, statuses, strict=True) if s == "från"]
    # "Delårsrapporter från nämnderna: 3 veckor efter …", "Information … från KS och nämndernas förvaltningar"
    return _named_by(row) or (senders[-1] if senders else None)


def _in_relative_clause(clause: str, mention: _Mention) -> bool:
    """Whether a body is named in a relative clause the sentence goes on after ("Tjänsteskrivelser i ärenden
    som ska avgöras av nämnden ska vara registrerade …"), not in one that ends it ("Visionen, som antogs av
    kommunfullmäktige den 30 november 2015")."""
    return bool(_IN_RELATIVE_CLAUSE.search(clause[: mention.start])) and bool(
        _MAIN_CLAUSE_GOES_ON.match(clause[mention.end :])
    )


def implied_actor(clause: str) -> str | None:
    """Who does a step no body is named for, when the kind of work says it: the auditors write the audit
    report, fullmäktige elects the boards and the auditors ("val av KS, nämnder, revisorer") and answers a
    motion ("Motioner ska besvaras inom sex månader"), the administration writes the papers
    ("Tjänsteskrivelser ska vara registrerade …") and draws up what is drawn up with no one named ("…
    upprättas en enklare redogörelse månadsvis"). A guess the review list must show as one."""
    if _AUDITORS_PAPERS.match(clause):
        return "revisorerna"  # "Revisionsberättelsen ska lämnas till KF …" (KL 12 kap 12 §)
    if _ELECTION_OF.search(clause) or _MOTION_ANSWERED.search(clause):
        return "kommunfullmaktige"  # it elects the boards, and answers motions (KL 5 kap 35 §)
    if _OFFICIALS_PAPERS.match(clause) or _PREPARED.search(clause):
        return "forvaltning"
    return None


_POLITICIANS = re.compile(r"(?:de\s+)?(?:politiker\w*|förtroendevald\w*)", re.IGNORECASE)


def role_label(text: str) -> str | None:
    """The role a line of its own names and nothing else, as a slide heads the lines below it ("Politiker",
    "Tjänstemän", "Nämnderna"); None for any other line."""
    words = text.strip(" :.•–-\t")
    if not words or len(words.split()) > 3:
        return None
    if _POLITICIANS.fullmatch(words):
        return words
    mentions = bodies_named(words)
    return words if len(mentions) == 1 and mentions[0].start == 0 and mentions[0].end == len(words) else None


def role_body(label: str) -> tuple[str, bool] | None:
    """The body a role label stands for, and whether that is an assumption: the politicians are fullmäktige's
    members before anyone's (the lines under them say what the elected do, which fullmäktige decides)."""
    if _POLITICIANS.fullmatch(label.strip()):
        return "kommunfullmaktige", True
    mentions = bodies_named(label)
    return (mentions[0].body, False) if mentions else None


def subordinate_subject(before: str) -> str | None:
    """The body that acts in the subordinate clause a date stands in, from the words before the date:
    "eftersom ett nytt fullmäktige tillträder [den 15 oktober]", "som förvaltningen tar fram [senast sista maj]".
    Only for a date: a decision's actor is its main clause's ("Innan ett bolag fattar beslut …, ska
    fullmäktige …")."""
    openers = list(_SUBORDINATE.finditer(before))
    if not openers:
        return None
    rest = before[openers[-1].end() :]
    mentions = bodies_named(rest)
    first = mentions[0] if mentions else None
    at = _ARTICLE.match(rest)
    if first is None or at is None or first.start != at.end() or first.genitive:
        return None
    return first.body if _DOES_SOMETHING.match(rest[first.end :]) else None


def labelled(text: str) -> str | None:
    """The body a line is labelled with before a colon, as slides write it ("KS: planeringsdirektiv …", "15/2
    Bolagen: preliminärt bokslut")."""
    mentions = bodies_named(text[:40])
    dated = re.match(r"\s*\d{1,2}/\d{1,2}\s*[–-]?\s*", text)  # "15/2 Bolagen: preliminärt bokslut …"
    first = dated.end() if dated else 0
    if mentions and mentions[0].start <= first + 1 and re.match(r"\s*:", text[mentions[0].end :]):
        return mentions[0].body
    return None


def _named_by(cell: str | None) -> str | None:
    """The body a table cell names first ("Bolagen", "Nämnderna", "Ekonomiavdelningen"), if it begins with one."""
    mentions = bodies_named(cell or "")
    if (
        len(mentions) > 1
        and mentions[0].genitive
        and mentions[0].start < 3
        and not (cell or "")[mentions[0].end : mentions[1].start].strip()
    ):
        return mentions[1].body  # "Socialnämndens individutskott", "Kommunstyrelsens arbetsutskott"
    plain = [m for m in mentions if not m.genitive]
    return plain[0].body if plain and plain[0].start < 3 else None


def roles_of(clause: str, mentions: Sequence[_Mention]) -> list[str]:
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
            if statuses[-1] != "gen":  # "från KS och nämndernas förvaltningar": the genitive's place in a list
                statuses.append(statuses[-1])
                continue
            # "kommunstyrelsens budgetberedning": the phrase stands where its genitive stands
            mention = replace(mention, start=previous.start, before=previous.before)
        if re.match(r"\s+(?:som|vilka|vilket)\b", clause[mention.end :]) and mention.before in _PREPOSITIONS:
            statuses.append(mention.before)  # "för styrelse, nämnder och bolag vilka meddelas …"
        elif re.match(r"\s+tillhanda\b", clause[mention.end :]):
            statuses.append("till")  # "ska vara kommunens ekonomiavdelning tillhanda": who receives it
        elif mention.genitive:
            statuses.append("gen")
        elif mention.before == "för" and _FRONTED_TIME.fullmatch(clause[: mention.start]):
            statuses.append("")  # "I oktober för kommunstyrelsen dialoger …": "för" is the verb
        elif mention.before == "av" and re.search(r"\bval(?:et)?\s+av\s+$", clause[: mention.start], re.IGNORECASE):
            statuses.append("obj")  # "val av KS, nämnder, revisorer": who is elected, not who elects
        elif mention.before == "att" and _DOES_SOMETHING.match(clause[mention.end :]):
            statuses.append("")  # "… ska beredas så att fullmäktige kan fatta beslut inom ett år": a clause's subject
        elif mention.before in _PREPOSITIONS:
            statuses.append(mention.before)
        elif mention.before in ("", "varje", "alla", "samtliga", "respektive", "berörd", "berörda", "de", "den", "det",
                                "kommunens", "resp", "ansvarig", "ansvariga"):  # fmt: skip
            statuses.append("")
        else:
            statuses.append("" if _is_subject_place(clause, mention) else "obj")
    return statuses


def _is_subject_place(clause: str, mention: _Mention) -> bool:
    """Whether a body named after a few words still stands as the subject: after a fronted time or place
    ("Under april genomför nämnden …", "Därefter ska styrelsen …": the verb comes before it)."""
    head = clause[: mention.start].strip().lower()
    if re.fullmatch(r"[\d.]+", head):  # "2.3 Nämnden fastställer …": an item's number
        return True
    if re.search(r"(?:^|\s)(?:och|men|samt)$", head) and re.match(
        r"\s*(?:ska|skall|kan|får|bör|måste)\b", clause[mention.end :]
    ):
        return True  # "… anges i bolagsordningen och kommunstyrelsen ska årligen pröva …": a clause of its own
    if re.fullmatch(r"(?:det|den|de|varje|en|ett)?\s*[a-zåäö]+(?:a|e)", head):  # "Det nyvalda fullmäktige"
        return True
    if re.search(r"\b(?:fastställer|beslutar|antar|godkänner|lämnar|genomför|behandlar|upprättar|tar|ska|skall|"
                 r"kan|får|bör|måste|samlas|träffas|möts|sammanträder)\s+"
                 r"(?:(?:det|den|de)\s+)?(?:[a-zåäö]+[ae]\s+)?$", head + " "):  # fmt: skip
        return True  # "Vid nästa val, 2030, fastställer det nyvalda fullmäktige budgeten"
    if _FRONTED.match(head) and re.search(r"\b\w+(?:ar|er|ör|år)$", head):
        return True  # "I samband med att årsredovisningen behandlas i mars prövar kommunstyrelsen …": verb second
    return (
        bool(head) and len(head.split()) <= 6 and bool(re.search(r"\b(?:ska|skall|kan|får|bör|\w+(?:ar|er|r))$", head))
    )


# what a main clause may begin with before its verb and subject: a time, a condition ("I samband med att …")
_FRONTED = re.compile(r"(?:i|under|efter|när|vid|inför|senast|därefter|sedan|då|varje|inom|före|innan|om)\b")


def _coordinated_last(clause: str, subjects: Sequence[_Mention]) -> str:
    chain = [subjects[0]]
    for mention in subjects[1:]:
        if _LIST_GLUE.match(clause[chain[-1].end : mention.start] or "x"):
            chain.append(mention)
        else:
            break
    return chain[0].body if len(chain) == 1 else chain[-1].body


def acts(sentence: str) -> bool:
    """Whether a body is the subject of the sentence and does something ("Tjänstemännen gör en
    aktivitetsplan", "Revisorerna anlitar sakkunniga"), rather than being named in passing."""
    mentions = bodies_named(sentence)
    statuses = roles_of(sentence, mentions)
    return any(s == "" and (_DOES_SOMETHING.match(sentence[m.end :]) or _VERB_BEFORE.search(sentence[: m.start]))
               for m, s in zip(mentions, statuses, strict=True))  # fmt: skip


_SUBORDINATE = re.compile(r"\b(?:att|eftersom|när|då|sedan|innan|medan|som)\s+", re.IGNORECASE)
_ARTICLE = re.compile(r"(?:(?:det|den|de|ett|en)\s+)?(?:[a-zåäö]+[aet]\s+)?", re.IGNORECASE)
_VERB_BEFORE = re.compile(r"\b\w+(?:ar|er|ör|år)\s+$")  # "under september genomför förvaltningarna …"
# a verb after the subject: "gör", "anlitar", or a modal and what it does ("kan begära in", "ska årligen pröva")
_DOES_SOMETHING = re.compile(
    r"\s*(?:\w+\s+){0,2}\w+(?:ar|er|ör|år|ir)\b|\s*(?:ska|skall|kan|får|bör|måste)\s+(?:\w+\s+)?\w+[aå]\b",
    re.IGNORECASE,
)


_FRONTED_TIME = re.compile(r"\s*(?:i|under|varje|per)\s+[\wåäö]+(?:\s+[\wåäö]+)?\s*,?\s+för\s+", re.IGNORECASE)
# a subject that something is done to: "KS och nämnderna väljs normalt vid KF:s sammanträde i december" (not
# the deponents "samlas", "träffas", "möts", which act)
_UNDERGOES = re.compile(
    r"\s+(?:(?:normalt|också|även|sedan|därefter|alltid|årligen)\s+)?(?:ska\s+|skall\s+|kan\s+)?"
    r"(?!samlas|träffas|möts|finns|hörs|lyckas)[a-zåäö]{3,}(?:as|es|[jkpt]s)\b",
    re.IGNORECASE,
)
_DESCRIBED = re.compile(r"\b(?:den|det|de|dessa)\s+av\s+$", re.IGNORECASE)
_MAIN_CLAUSE_GOES_ON = re.compile(r"\s+(?:\w+\s+){0,2}(?:ska|skall|kan|måste|bör|är|har)\s+\w+", re.IGNORECASE)
_IN_RELATIVE_CLAUSE = re.compile(r"\bsom\s+(?:\w+\s+){1,3}$", re.IGNORECASE)
_AUDITORS_PAPERS = re.compile(
    r"\s*(?:[-•–]\s*)?(?:revisionsberättelse\w*|revisorernas\s+bedömning\w*)\b", re.IGNORECASE
)
_ELECTION_OF = re.compile(r"\bval\s+av\b", re.IGNORECASE)
_MOTION_ANSWERED = re.compile(r"\bmotion(?:en|er|erna)?\s+(?:\w+\s+){0,3}(?:besvaras|avgörs)\b", re.IGNORECASE)
_OFFICIALS_PAPERS = re.compile(r"\s*(?:[-•–]\s*)?(?:tjänsteskrivelse\w*|tjänsteutlåtande\w*)\b", re.IGNORECASE)
_CLEFT = re.compile(r"\bdet\s+är\s+((?:\w+\s+){0,2}?\w+)\s+som\s+\w+", re.IGNORECASE)
_WHOSE_DUTY = re.compile(r"\b(?:det\s+är|är\s+det)\s+(\w+s)\s+(?:\w+\s+)?(?:uppgift|ansvar)\s+att\b", re.IGNORECASE)
_PREPARED = re.compile(r"\b(?:upprättas|sammanställs|tas\s+fram)\b(?!\s+(?:\w+\s+){0,4}av\b)", re.IGNORECASE)
_DUTY = re.compile(r"\s+(?:uppgift|ansvar|roll|arbete)\b", re.IGNORECASE)
_DOES = re.compile(r"\s*(?:ska|skall|kan|får|bör|måste)\b|\s*(?:\w+\s+){0,2}\w+(?:ar|er|ör|år|ir|as)\b")


def subject(sentence: str) -> str | None:
    """The body a sentence is about, when one stands as its subject and does something ("Revisorerna ska
    bedöma …"); None otherwise."""
    mentions = bodies_named(sentence)
    for mention, role in zip(mentions, roles_of(sentence, mentions), strict=True):
        if role == "" and _DOES.match(sentence[mention.end :]):
            return mention.body
    return None
