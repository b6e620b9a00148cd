"""Recognise what kind of question a person typed: a deadline, who decides, or the role split.

The recognisers read the wording of the question only (question words, verbs, the "politiken eller
förvaltningen" contrast); whether the rules can actually answer is decided afterwards, by matching
the question against the rulebook. Either step may say "not mine", and then the question goes on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import StrEnum

from rules.models import RoleSplit


class Intent(StrEnum):
    """The kinds of question the rules answer."""

    DEADLINE = "deadline"
    WHO_DECIDES = "who_decides"
    ROLE = "role"


def _words(*alternatives: str) -> str:
    return "(" + "|".join(alternatives) + ")"


_POLITICS = _words(
    r"politik\w*",
    r"politisk\w*",
    r"\w*nämnd\w*",
    r"förtroendevald\w*",
    r"fullmäktige\w*",
    "kf",
    "ks",
    r"kommunstyrelse\w*",
    r"styrelse\w*",
    r"ledam\w*",
    r"presidi\w*",
    r"ordförande\w*",
    "vi",
    "oss",
    "jag",
)
_ADMIN = _words(
    r"\w*förvaltning\w*",
    r"tjänste\w*",
    r"verksamhet\w*",
    r"\w*chef\w*",
    r"handläggar\w*",
    r"anställd\w*",
    r"personal\w*",
    r"kontor\w*",
    r"administration\w*",
    r"medarbetar\w*",
)

_DEADLINE = re.compile(
    r"\b(senast|datum|datumet|deadline|deadlines|tidsfrist|frist|fristen|tidpunkt|vilken månad|vilket datum|"
    r"vilken dag|vilken vecka|hur långt i förväg|hur lång tid|inom hur|hur många dagar|hur många veckor|"
    r"hur många månader|hur sent|hur tidigt|i vilken månad|hur ofta|vilken period|hur länge|hur snabbt|"
    r"hur snart|inom vilken tid|hur långt innan|hur långt före|hur länge innan|till när|tills när|"
    r"vilket (?:[\w-]+)?sammanträde|vilket möte)\b|"
    # "när" asks for a time at the start of a question or clause, not in "… när de gör bokslut"
    r"(^|[–:;,?.!-]\s*|\b(och|men|eller|så|senast|ungefär|exakt|då)\s+)när\b"
)
_WHO = re.compile(
    r"^\W*(och\s+)?(vem|vilken (nämnd|instans|politisk|organ)|vilket (organ|politiskt))\b|"
    r"\b(vem|vilka) (beslutar|bestämmer|fastställer|fattar|ansvarar|har ansvar|har ansvaret|godkänner|antar|"
    r"upprättar|lämnar|tar fram|ska|får|väljer|utser|granskar|prövar|bedömer|besvarar|leder|äger|gör|"
    r"sköter|har hand|har rätt|ger)\b|\b(beslutas|bestäms|fastställs|avgörs|godkänns|antas) av vem\b|"
    r"\bvem är det som\b|\bvilket organ\b|\bvilken nämnd\b|\bvem\b(?! som)(?!s\b)"
)
_DELEGATION = re.compile(
    r"\b(får|kan|måste|ska|bör|går det att|är det tillåtet att)\b.{0,90}"
    r"(\w*delegera\w*|\bdelegat\w*|\bdelegering\w*|uppdra åt|"
    r"\blåta (en |ett |den )?\w+ (avgöra|besluta|fatta|lämna|besvara|yttra|ta beslut))|"
    r"\b(får|kan|måste) (en |ett |den )?(\w*handläggare\w*|tjänste\w*|anställd\w*|förvaltningschef\w*|"
    r"kommundirektör\w*|enhetschef\w*|chef\w*|ordförande\w*|presidi\w*|utskott\w*) (själv |ensam )?"
    r"(fatta beslut|besluta|avgöra|ta beslut)"
)
_CONTRAST = re.compile(
    rf"\b{_POLITICS}\b[\s,)(]*(\w+\s*\)\s*)?(eller|el\.|/)\s+(\w+\s+)?\b{_ADMIN}|"
    rf"\b{_ADMIN}\b[\s,)(]*(eller|el\.|/)\s+(\w+\s+)?\b{_POLITICS}\b"
)
_BODY_CONTRAST = re.compile(
    r"\b(fullmäktige\w*|kf|ks|kommunstyrelse\w*|nämnd\w*|styrelse\w*)\b\s*,?\s*(eller|el\.|/)\s+"
    r"(fullmäktige\w*|kf|ks|kommunstyrelse\w*|nämnd\w*|styrelse\w*|revisor\w*|bolag\w*)\b"
)
_ROLE_ASK = re.compile(
    r"\bär (det|detta|den|det här) ((verkligen|egentligen|faktiskt|alltså|inte|då|ens) )*"
    r"(politik\w*|nämnd\w*|vår\w*|mitt|min|fullmäktige\w*|ks|styrelsen\w*|ledam\w*|en politisk)\b"
    r".{0,30}\b(sak|beslut|ansvar|uppgift|bord|fråga|roll|jobb)\b|"
    r"\b(får|kan|ska|bör|borde|måste|äger|har) (jag|vi|nämnd\w*|politik\w*|fullmäktige|kf|ks|kommunstyrelse\w*|"
    r"styrelse\w*|ordförande\w*|presidi\w*|ledam\w*|förtroendevald\w*|en ledamot|en politiker)\b"
    r"(\s+som \w+( i \w+)?)?.{0,40}\b(bestämma|välja|besluta|avgöra|styra|lägga sig i|ändra|detaljstyra|peka ut|utse|"
    r"kräva|rätt att|säga|tala om för|instruera|påverka|ge direktiv|beordra|sätta|ställa krav|ange|prioritera)\b|"
    r"\bär det (politik\w*|nämnd\w*|vi|fullmäktige|ks|kommunstyrelse\w*|förvaltning\w*|tjänste\w*|chef\w*)"
    r"( i [\w-]+( och [\w-]+)?)? som "
    r"(ska|får|bör|bestämmer|beslutar|väljer|prioriterar)\b|"
    r"\bvem (ska|får|bör) (bestämma|välja|avgöra|besluta)\b|\bär det (vårt|mitt|politikens|nämndens) (beslut|bord)\b|"
    # a politician's act judged ("Är det rätt av ledamoten?", "Är det ok av ordföranden att …?")
    r"\bär det (rätt|fel|ok|okej|tillåtet|lämpligt|korrekt|förenligt med rollen) (av|för) (ledam\w*|politik\w*|"
    r"ordförande\w*|nämnd\w*|presidi\w*|förtroendevald\w*|kommunalråd\w*|honom|henne|hen|dem|oss|mig)\b|"
    r"\b(vad|vilka frågor) (får|kan|ska) (jag|vi|nämnd\w*|politik\w*) (som \w+ )?(bestämma|besluta)\b"
)


_DECIDING = re.compile(r"\b(bestäm\w*|beslut\w*|välj\w*|väljer|avgör\w*|styr|styra|prioriter\w*)\b")
_DECIDING_OR_SETTING = re.compile(rf"{_DECIDING.pattern}|\b(sätt\w*|sätter|ska sätta|fastställ\w*)\b")
_FILLER = re.compile(
    r"^\W*(hej[,!]?\s*|jag undrar\s*(om|hur|när|vem|vad)?\s*|undrar\s*|jag vill veta\s*|"
    r"kan du (säga|berätta)\s*(om|hur|när|vem|vad)?\s*|vet du\s*(om|hur|när|vem|vad)?\s*|"
    r"stämmer det att\s*|är det sant att\s*|snabb fråga:?\s*)+",
    re.IGNORECASE,
)


def strip_filler(question: str) -> str:
    """The question without a conversational opening ("Stämmer det att …", "Jag undrar …")."""
    stripped = _FILLER.sub("", question, count=1)
    return stripped if stripped.strip() else question


_MODAL_ASK = re.compile(
    r"(^|[–:;,?.!-])\W*(kan|får|ska|bör|borde|måste|behöver) (vi|jag|nämnd\w*|politik\w*|fullmäktige|kf|ks|ksau|"
    r"kommunstyrelse\w*|styrelse\w*|ordförande\w*|presidi\w*|ledam\w*|förtroendevald\w*)\b"
)
_LOOSE_CONTRAST = re.compile(rf"\beller (är det |är det inte |om det är )?(\w+ )?\b{_ADMIN}")


def _normalise(question: str) -> str:
    return " ".join(question.lower().replace("–", " - ").replace("—", " - ").split())


# doing something about a matter, as a modal question asks it ("Kan nämnden ge förvaltningen ett uppdrag …?")
_ACTING = re.compile(
    r"\b(?:ger?\b.{0,30}\buppdrag|göra|gör|skriva|ta fram|beställa|peka ut|lägga sig i|ändra|påverka|säga till)\b"
)
_OPEN = re.compile(r"^\W*(hur|vad|när|vilka|vilken|vilket|varför)\b")  # a question that asks for an explanation


def recognise(question: str) -> list[Intent]:
    """The intents the wording suggests, most specific first (may be empty)."""
    text = _normalise(question)
    found: list[Intent] = []
    contrast = contrasted(question)
    recipient = _asks_recipient(text)
    delegation = bool(_DELEGATION.search(text))
    if delegation and not recipient:
        found.append(Intent.WHO_DECIDES)
    if contrast:
        found.append(Intent.ROLE)
    if (_WHO.search(text) or _BODY_CONTRAST.search(text)) and not recipient:
        found.append(Intent.WHO_DECIDES)
        if not contrast and _DECIDING.search(text):
            found.append(Intent.ROLE)
    if _DEADLINE.search(text):
        found.append(Intent.DEADLINE)
    if _ROLE_ASK.search(text) or (_MODAL_ASK.search(text) and _deciding(text)) or delegation:
        found.append(Intent.ROLE)  # "Får nämnden välja …?", not "Måste vi ha en budget i balans?"
    if not found and _loosely_about_a_role(_last_sentence(text)):
        found.append(Intent.ROLE)  # "… är det ett mål vi politiker sätter?", not "Hur går … beslut i KF?"
    return list(dict.fromkeys(found))


def _loosely_about_a_role(text: str) -> bool:
    """Whether a question with no clearer sign names politics and an act of deciding or doing."""
    return bool(re.search(rf"\b{_POLITICS}\b", text)) and _deciding(text) and not _OPEN.match(text)


def _deciding(text: str) -> bool:
    return _DECIDING_OR_SETTING.search(text) is not None or _ACTING.search(text) is not None


LEANING_WORDS = 4  # a question this short leans on what was told before it ("Är det rätt?")


def _last_sentence(text: str) -> str:
    """The question itself, without the situation told before it ("Jag ska göra min första arbetsplan. Ska den
    följa kalenderåret?" asks about the plan's year, not about anyone's role), unless it is too short to say
    anything without it ("Vi vill bestämma … Är det rätt?")."""
    last = re.split(r"(?<=[.!?])\s+(?=\S)", text.strip())[-1]
    return last if len(last.split()) > LEANING_WORDS else text


def _asks_recipient(text: str) -> bool:
    """Whether the question asks to whom or from whom: every "vem" of it does ("Till vem kan en nämnd
    delegera?"), or it ends on the preposition ("Vem får nämnden delegera till?", "Vilka kan en nämnd delegera
    beslut till?"). That is who receives something, not who decides it."""
    if re.search(r"\b(?:vem|vilka)\b[^?.!]*\b(?:till|åt|med|från)\s*[?.!]*$", text):
        return True  # "Vem får nämnden delegera till?", "Vilka kan en nämnd delegera beslut till?"
    asked = re.findall(r"\b(?:(till|åt|för|med|hos|från|mot) )?vem\b", text)
    return bool(asked) and all(asked)


# "vem bestämmer vilka beslut förvaltningschefen får fatta?": the one who may act is not the one who decides it
_PERMITTED = re.compile(
    r"\bvem (?:bestämmer|beslutar|avgör|fastställer)\b (?:om|vad|vilka|vilket|vilken|hur|när)\b"
    r"(?: \w+){0,3}? (?P<who>\w+) (?:får|kan|ska|ska få|har rätt att)\b"
)
_BODY_WORDS: dict[str, re.Pattern[str]] = {
    "forvaltning": re.compile(rf"^{_ADMIN}$"),
    "namnd": re.compile(r"^\w*nämnd\w*$"),
    "kommunstyrelsen": re.compile(r"^(?:ks|ksau|kommunstyrelse\w*)$"),
    "kommunfullmaktige": re.compile(r"^(?:kf|\w*fullmäktige\w*)$"),
    "bolag": re.compile(r"^(?:\w*bolag(?:en|et)?)$"),
    "revisorerna": re.compile(r"^revisor\w*$"),
}
# "När ska bolagen ha lämnat …?", "Senast när måste nämnderna …?", "Vilken månad beslutar KF om …?", "När
# behandlar KS …?": who the question says does it
_ASKED_ACTOR = re.compile(
    r"\b(?:när|månad|datum|dag)\s+(?:ska|skall|måste|bör|behöver|\w+(?:ar|er|ör))\s+(?P<who>[\w-]+)\b"
)


def permitted_body(question: str) -> str | None:
    """The body whose leave to act the question asks who decides ("vem bestämmer vilka beslut
    förvaltningschefen får fatta?" → the administration): the answer is someone else."""
    found = _PERMITTED.search(_normalise(question))
    if found is None:
        return None
    return _body_of(found["who"])


def _body_of(word: str) -> str | None:
    """The body a word of a question names ("nämnderna", "ks"), or None."""
    return next((body for body, words in _BODY_WORDS.items() if words.match(word)), None)


# the lexicon's words under which a profile lists the names a municipality gives its own companies and
# committees ("Rydbergahem", "BUN"), and the body each is
OWN_NAMES = {"bolag": "bolag", "nämnd": "namnd"}


def asked_actor(question: str, names: Mapping[str, str] | None = None) -> str | None:
    """The body a deadline question says does the step ("När ska bolagen ha lämnat sina årsredovisningar?" →
    the companies), or None; `names` are the municipality's own names of its bodies ("rydbergahem" → bolag)."""
    text = _normalise(question)
    found = _ASKED_ACTOR.search(text)
    if found is None:
        return None
    also = re.match(r"\s+(?:och|eller|resp|respektive|/)\s+(?P<other>[\w-]+)", text[found.end() :])
    if also and _body_of(also["other"]) is not None:
        return None  # "Vilken månad tar KS och KF upp delårsrapporten?": both, not the one named first
    return _body_of(found["who"]) or (names or {}).get(found["who"])


def contrasted(question: str) -> bool:
    """Whether the question sets politics against the administration ("politiken eller förvaltningen?")."""
    text = _normalise(question)
    return bool(_CONTRAST.search(text)) or bool(_LOOSE_CONTRAST.search(text) and re.search(rf"\b{_POLITICS}\b", text))


_SIDE_POLITICS = r"politiken|politikerna|politiker|de förtroendevalda|förtroendevalda|nämnden|nämnderna"
_SIDE_OFFICIALS = r"förvaltningen|tjänstemännen|tjänstemän|tjänstepersonerna|tjänstepersoner"
_SPLIT = re.compile(
    r"\b(?:min|mitt|vår|vårt|din|ditt|er|ert|politikens|politikernas|förvaltningens|nämndens|ledamotens|"
    r"ledamöternas|de förtroendevaldas|förtroendevaldas|tjänstemännens|tjänstepersonernas) (?:roll|uppgift|uppdrag)\b"
    r"|\brollfördelning\w*|\brollerna\b|\bskillnaden (?:mellan|på) (?:politik|de förtroendevald|förtroendevald|"
    r"politiker)\w* och (?:förvaltning|tjänste)\w*|\bvad förväntas av mig\b|"
    r"\bvad (?:ska|bör) jag (?:göra|lägga mig i)\b|"
    # "vad ska politiker resp tjänstemän fokusera på?": what each side does, both named
    rf"\bvad (?:ska|bör|gör|fokuserar) (?:{_SIDE_POLITICS}) (?:och|o|resp|respektive|vs) (?:{_SIDE_OFFICIALS})\b|"
    rf"\bvad (?:ska|bör|gör|fokuserar) (?:{_SIDE_OFFICIALS}) (?:och|o|resp|respektive|vs) (?:{_SIDE_POLITICS})\b"
)
_AS_MEMBER = re.compile(r"\b(?:ledamot|ledamöter|förtroendevald\w*|politiker\w*|nyvald|invald|ordförande|ersättare)\b")
_AS_OFFICIAL = re.compile(r"\b(?:tjänsteperson\w*|tjänstem[aä]n\w*|handläggare|\w*chef|anställd|medarbetare)\b")


# "vem gör vad mellan politikerna och oss tjänstemän?" asks for the split itself, unless it is about the steps of
# one piece of work ("hur tar man fram målen steg för steg, vem gör vad …")
_WHO_DOES_WHAT = re.compile(
    r"\b(?:vem (?:gör|ansvarar för|bestämmer|sköter) vad|arbetsfördelning\w*|ansvarsfördelning\w*|"
    r"hur (?:fördelas|delas) (?:ansvaret|arbetet|rollerna))\b.*\bmellan (?:oss )?(?:politik|politiker|"
    r"de förtroendevald|förtroendevald|nämnd)\w* (?:och|o) (?:oss )?(?:förvaltning|tjänste)\w*"
)
_STEPS = re.compile(r"\b(?:steg|process\w*|tar fram|ta fram|arbetet med|i praktiken)\b")


def asks_about_the_split(question: str) -> bool:
    """Whether the question asks what one's role is, or how politics and administration divide the work,
    rather than about a concrete matter ("Vad är min roll som ledamot?", "skillnaden mellan politik och
    förvaltning", "vem gör vad mellan politikerna och oss tjänstemän?")."""
    text = _normalise(question)
    return _SPLIT.search(text) is not None or (_WHO_DOES_WHAT.search(text) is not None and not _STEPS.search(text))


def asker_side(question: str) -> RoleSplit | None:
    """The side the one who asks is on, when the question says: a member, or an official."""
    text = _normalise(question)
    member, official = _AS_MEMBER.search(text), _AS_OFFICIAL.search(text)
    if member and not official:
        return RoleSplit.WHAT_WHEN
    if official and not member:
        return RoleSplit.HOW_WHO
    return None


def who_starts(question: str) -> bool:
    """Whether the question opens with "vem"/"vilka" (who), which outranks a "när" inside it."""
    return bool(re.match(r"^\W*(och\s+)?(vem|vilka|vilken (nämnd|instans|organ)|vilket organ)\b", _normalise(question)))


def mentioned(question: str, names: Iterable[str]) -> bool:
    """Whether any of the names occurs in the question as whole words."""
    text = _normalise(question)
    return any(re.search(rf"(?<!\w){re.escape(name.lower())}(?!\w)", text) for name in names)


_PLACE = re.compile(
    r"\b(?:i|för|hos|inom)\s+([A-ZÅÄÖ][a-zåäöé]+(?:[- ][A-ZÅÄÖ][a-zåäöé]+)?)(?:s)?\b|"
    r"\b([A-ZÅÄÖ][a-zåäöé]+)s?\s+(?:kommun|stad|kommunkoncern)\b"
)


def named_places(question: str) -> list[str]:
    """Capitalised place-like names in the question ("i Uppsala", "Uppsala kommun"), lower-cased."""
    names = []
    for match in _PLACE.finditer(question):
        name = match.group(1) or match.group(2)
        if name:
            names.append(name.lower())
    return names


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "jan"),
            ("februari", "feb"),
            ("mars", "mar"),
            ("april", "apr"),
            ("maj",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("augusti", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_SEASONS = {
    "våren": (3, 4, 5),
    "vårens": (3, 4, 5),
    "våras": (3, 4, 5),
    "sommaren": (6, 7, 8),
    "sommarens": (6, 7, 8),
    "somras": (6, 7, 8),
    "hösten": (9, 10, 11),
    "höstens": (9, 10, 11),
    "höst": (9, 10, 11),
    "höstas": (9, 10, 11),
    "vintern": (12, 1, 2),
    "vinterns": (12, 1, 2),
    "vintras": (12, 1, 2),
}


_HALVES = {"första halvåret": range(1, 7), "andra halvåret": range(7, 13)}
_SEVERAL_DATES = re.compile(
    r"\bvilka (?:\w+ )?(?:datum|deadlines|tider|tidpunkter|hållpunkter|frister|tidsfrister)\b|"
    r"\b(?:alla|de) (?:\w+ )?(?:datum|deadlines|hållpunkter)(?:na)? (?:som|under|i|för)\b"
)


def asks_for_several_dates(question: str) -> bool:
    """Whether the question asks for the dates of several events ("Vilka datum under våren gäller för bolagen?")."""
    return _SEVERAL_DATES.search(_normalise(question)) is not None


_PERIOD_END = re.compile(r"\bper\s+(?:den\s+)?(?:sista\s+)?(?:\d{1,2}\s+)?[a-zåäö]+")  # "per sista april"


def months_named(question: str) -> frozenset[int]:
    """Months the question names, by month name, season or half of the year ("höstens prognos" → 9, 10, 11);
    not the end of the period a report covers ("tertialuppföljningen per sista april, när ska den in?")."""
    months: set[int] = {m for half, span in _HALVES.items() if half in _normalise(question) for m in span}
    for word in re.findall(r"[a-zåäö]+", _PERIOD_END.sub(" ", question.lower())):
        if word in _MONTHS:
            months.add(_MONTHS[word])
        months.update(_SEASONS.get(word, ()))
    return frozenset(months)
