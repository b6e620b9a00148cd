"""What a message in a conversation asks, given the turn before it: a new question, or a follow-up made whole.

People leave out what the thread already says. After "När beslutar fullmäktige om rambudgeten?" they write
"och investeringsbudgeten?" (an ellipsis: the question again, with one thing changed), "vem beslutar om
den?" (a pronoun for the subject), "och i Strängnäs?" (another municipality), "och efter det?" (the next
step of the annual cycle), "var står det?" or "är det lag?" (the source of the last answer), "nej, jag
menade årsredovisningen" (a correction). A question that names its own subject starts a new topic and
inherits nothing; so does one that says it is another question ("En annan sak: …").

`resolve` is pure text work on the message and the earlier turn: it never looks anything up, and takes
well under a millisecond. What it cannot resolve (a pronoun with nothing before it to stand for) it
says, and the conversation asks back instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.conversations.store import Turn
from rules.intents import mentioned


class FollowupKind(StrEnum):
    """How a message relates to the conversation before it (the eval's kinds, and the first turn)."""

    FIRST = "first"  # nothing before it
    NEW_TOPIC = "topic_switch"  # a question of its own: inherits nothing
    ELLIPSIS = "ellipsis"  # "och i Strängnäs?", "och investeringsbudgeten?"
    PRONOUN = "pronoun"  # "vem beslutar om den?"
    NEXT = "next"  # "och nästa gång?", "och efter det?"
    SOURCE = "why_source"  # "var står det?", "är det lag?"
    CORRECTION = "clarify"  # "nej, jag menade årsredovisningen"
    UNCLEAR = "unclear"  # leans on something the conversation does not have: ask back


@dataclass(frozen=True)
class Resolution:
    """A message understood in its conversation."""

    kind: FollowupKind
    question: str  # what is answered: the message, or the follow-up made whole
    municipality: str | None = None  # inherited or changed by the follow-up; None: the channel's own
    turn: Turn | None = None  # the earlier turn it follows up
    law: bool = False  # SOURCE: asks whether it is law, not only where it says so
    paragraph: bool = False  # SOURCE: asks where in the law ("vilken paragraf?", "lagrum?")
    again: bool = False  # NEXT: the same event's next occurrence, not the next event of the cycle
    noun: str = ""  # NEXT: the kind of thing asked for ("nästa rapport")
    context: str = ""  # the question before, searched with a follow-up whose pronoun was replaced
    # it stays on the last answer's subject ("vem beslutar om den?", "och vad ingår?", "och under ett valår?"),
    # not on another one put in its place ("och politikernas?") or another municipality's
    on_subject: bool = False
    note: str = ""  # for the trace: what was done ("'den' → 'flerårsplanen'")

    @property
    def inherits(self) -> bool:
        return self.kind not in (FollowupKind.FIRST, FollowupKind.NEW_TOPIC)

    def trace(self) -> str:
        if not self.inherits:
            return f"conversation: {self.kind.value}" + (f" ({self.note})" if self.note else "")
        note = f"; {self.note}" if self.note else ""
        return f"conversation: {self.kind.value} → {self.question!r} in {self.municipality or 'the channel'}{note}"


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words ---------------------------------------------------------------------------------------------------

_WORD = re.compile(r"[\wÅÄÖåäöÉé]+(?:-[\wÅÄÖåäöÉé]+)*-?")  # "planerings-" of "planerings- och uppföljnings…"
_LEADING = re.compile(
    r"^\W*(?:(?:och|o|å|men|än|samt|plus|eller|okej|ok|aha|jaha|tack|bra|toppen|så)\b[\s,!.]*)+", re.IGNORECASE
)
_TRAILING = re.compile(r"[\s,]*\b(?:då|också|med|specifikt|egentligen|i så fall)\s*(?=[?.!]*$)", re.IGNORECASE)
_QUESTION_WORDS = _set("vem vems vilka vilken vilket vad när hur var vart varför varifrån senast inom")
_VERBS_FIRST = _set(
    "får kan ska skall måste bör borde behöver brukar är var blir har hade finns gäller stämmer räcker går gör ingår"
)
_FRAME = _set(
    "vem vems vilka vilken vilket vad när hur var vart varför varifrån senast inom länge långt ofta "
    "mycket många lång tid innan före efter får kan ska skall måste bör borde behöver brukar är var vara "
    "blir bli har hade ha finns gäller stämmer det den de dem dom denna detta dessa jag vi du ni man han "
    "hon hen sin sitt sina min mitt mina vår vårt våra er ert era egentligen alltså då också just nu idag "
    "dag inte ens enligt hos som så att om sig och eller men i på till från för av med under över mellan "
    "utifrån kring genom via vid inför sorts slags typ nåt något några enl resp en ett"
)
# Inside a noun phrase ("beslut om verksamhetens mål och inriktning", "uppdrag från fullmäktige till en nämnd")
_JOINING = _set("om av för och från till med i på en ett")
_BODIES = re.compile(
    r"^(?:kommun)?(?:fullmäktige\w*|kf|ks|kommunstyrelse\w*|styrelse\w*|nämnd\w*|\w+nämnd\w*|revisor\w*|"
    r"förvaltning\w*|bolag\w*|presidi\w*|ledam\w*|politik\w*|tjänstem\w*|partier\w*|parti)$"
)
# Verbs of governance questions, which never head the subject ("vem fastställer …", "ska … lämnas")
_VERB = re.compile(
    r"^(?:beslut(?:ar|as|ade|a)|fastställ(?:er|s|de|a)|behandla(?:r|s|de)?|lämna(?:r|s|de|t)?|anta(?:r|s|git)?|"
    r"omfatta(?:r|s)?|innebär|sker|förs|kalla(?:r|s|des)?|utöva(?:r|s)?|finansiera(?:r|s|t)?|uppdatera(?:r|s|t)?|"
    r"granska(?:r|s)?|delegera(?:r|s|t)?|redovisa(?:r|s|t)?|väcka|väcker|tillträd(?:er|a)|välj(?:er|a|s)|väljs|"
    r"utse(?:r|s)?|bestämm?(?:er|a|s|de)?|bestäms|tog|ta|tar|fram|kvalitetssäkra(?:r|s)?|leda|leder|göra|gör|"
    r"pågå|pågår|gäller|gälla|ingå|ingår|träffa(?:s|r)?|upprätta(?:r|s)?|följ(?:er|a|s)|godkänn(?:er|a|s)|"
    r"skjuta|fatta(?:r|s)?|klar|klart|färdig|färdigberedd|tas|hålla|hålls|ändra(?:r|s)?|revidera(?:r|s)?|arbeta(?:r)?|"
    # participles ("ska den vara fastställd?") and chat's "va" (vara, var)
    r"fastställd|antagen|antaget|beslutad|beslutat|godkänd|inlämnad|lämnad|behandlad|va|"
    # verbs of saying and being called ("vad lagen säger", "vad kallas det")
    r"säger|sa|sade|står|stod|betyder|heter|hette|lyder|anger|beskrivs|beskriver|handlar|menas|kallas|utgår|"
    r"skickas|skicka|tas)$"
)
_DEFINITE = re.compile(r"\w(?:en|et|na|erna|arna|orna|rna)$")
_PLURAL_DEFINITE = re.compile(r"\w(?:erna|arna|orna|rna|na)$")
_PREPOSITION_START = re.compile(
    r"^(?:i|på|för|under|vid|hos|inom|efter|före|inför|utan|med|om|när|ifall|innan)\b", re.IGNORECASE
)

# Kinds of message ---------------------------------------------------------------------------------------

_NEW_TOPIC = re.compile(
    r"^\W*(?:(?:en|ett|helt|nu|och|så|okej|ok|annars)\s+)*(?:annan|annat|ny|nytt|ytterligare)\s+"
    r"(?:fråga|sak|grej|ämne|spår)\b[\s:,.!–—-]*|^\W*(?:byter|byta)\s+ämne\b[\s:,.!–—-]*|"
    r"^\W*apropå (?:något|nåt) annat\b[\s:,.!–—-]*",
    re.IGNORECASE,
)
_CORRECTION = re.compile(
    r"^\W*(?:(?:nej|nä|näe|nää|njae|sorry|förlåt|ursäkta|oj|oops|hoppsan|fel|inte det|vänta|äh|asså|alltså|ah|"
    r"hmm|mm|okej|ok)\b[\s,.!–—-]*)*"
    r"(?:jag\s+)?(?:menade|menar|avsåg|avser|syftade på|syftar på|tänkte på|undrade om|undrar om|frågade om)\s+"
    r"(?:egentligen\s+|alltså\s+|ju\s+)?(?P<meant>.+)$|"
    # "nej sorry, visionen menade jag"
    r"^\W*(?:(?:nej|nä|sorry|förlåt|ursäkta|oj|äh|vänta)\b[\s,.!–—-]*)+(?P<fronted>.+?)\s+(?:menade|menar) jag\W*$",
    re.IGNORECASE,
)
# what follows what was meant: "…, inte delåret" (what was not meant), "… – när tas den?" (the question again)
_NOT_MEANT = re.compile(r",?\s+(?:och\s+)?inte\s+(?:om\s+)?\w+.*$", re.IGNORECASE)
_ASKED_AGAIN = re.compile(r"\s*(?:[–—-]|,|:)\s*(?=(?:när|vem|vad|hur|var|vilken|vilka|vilket)\b)", re.IGNORECASE)
_PARAGRAPH = re.compile(r"paragraf|§|lagrum|lagstöd|\bkap(?:itel)?\b|\bkl\b|kommunallag|\blagen\b", re.IGNORECASE)
_WHY_CLAUSE = re.compile(r",\s*(?:ska|skulle|för att|vill|eftersom|så att|behöver)\b.*$", re.IGNORECASE)
_WHERE = re.compile(
    r"\bvar (?:står|finns|hittar jag|läser jag|kan jag läsa|framgår) (?:det|detta|den|den regeln|det där|det här)\b|"
    r"\blagrum\w*\b|\blagstöd\w*\b|\bvilken §|\bvilka §|\bparagraf(?:en)?\W*$|\bkälla\w*|"
    r"\bvilken (?:paragraf|lag|källa|sida|bestämmelse|del av lagen)\b|\bvilket (?:kapitel|dokument|stycke)\b|"
    r"\bvad (?:är|har du (?:för|som)) källan?\b|\bkällan?\b|\bvarifrån (?:kommer|har du|är) (?:det|detta)\b|"
    r"\bvar kommer (?:det|detta) ifrån\b|\bvad (?:grundar|baserar) (?:sig )?(?:det|du det)\b|\bhänvisning\b|"
    r"\b(?:stöd|belägg) för det\b|\bpå vilken grund säger du\b",
    re.IGNORECASE,
)
_IS_LAW = re.compile(
    r"\bär (?:det|detta|den|det här|den regeln) (?:\w+ )?(?:en |ett )?(?:lag|lagkrav|lagstadga\w*|"
    r"reglerat i lag|krav enligt lag|kommunens egen|lokal\w*|bara lokal\w*|praxis|något lagen|nåt lagen)\b|"
    r"\b(?:lagen|kommunallagen|lag) (?:kräver|säger|bestämmer|styr)\b|\bkräver lagen\b|"
    r"\bstår (?:det|detta|den) i (?:lagen|kommunallagen|kl|lag)\b|\b(?:lag|lagen) eller (?:\w+ )?(?:egen|lokal)\w*\b|"
    r"\b(?:lagkrav|lagstadgat|lagstadgad)\b|\bkommunallagen som\b",
    re.IGNORECASE,
)
_AGAIN = re.compile(r"\b(?:nästa|kommande|följande) (?:gång|år|tillfälle)\b|\bnästa år då\b", re.IGNORECASE)
_FOLLOWING = re.compile(
    r"^\W*(?:och\s+)?(?:(?:sen|sedan|därefter|efter (?:det|den|detta|dess|den där|det där))\b|"
    r"(?:vad|vilken|vilket|när) (?:kommer|händer|är|sker|blir) "
    r"(?:sen|sedan|därefter|efter (?:det|den|detta|dem|dom))\b|"
    r"(?:och )?(?:nästa|därnäst) (?:steg|sak)\b)",
    re.IGNORECASE,
)
_NEXT_ALONE = re.compile(r"^\W*(?:och\s+)?(?:(?:vad|vilket|vilken) (?:är|blir|kommer)\s+)?(?:nästa|därnäst)\W*$", re.I)
_ANY_STEP = _set("steg sak grej deadline frist datum punkt moment gång händelse efter")  # "nästa steg": any kind
_NEXT_NOUN = re.compile(r"\bnästa (\w+)", re.IGNORECASE)
# "och sen?" before a question of the message's own ("… när ska det upp på anslagstavlan?")
_THEN_ASKED = re.compile(r"^\W*(?:och\s+|o\s+|ok,?\s+)?(?:sen|sedan|därefter|efter det)\s*[?,.:;–-]+\s*", re.IGNORECASE)
# A pronoun that stands for something said before; "det" only where it is not the empty subject of
# "är det …", "det finns", "om det är …"
_PRONOUN = re.compile(
    r"\b(?:den|det|de|dem|dom|dess|deras|denna|detta|dessa|dennes|han|hon|hen|honom|henne|sådana|såna|sådan|"
    r"sånt|sådant|där|dit|därifrån)\b",
    re.IGNORECASE,
)
_EMPTY_DET = re.compile(
    r"\b(?:är|var|blir|finns|går|gäller|står|händer|krävs|fanns|hur är|om|så|vad gäller)\s+det\b|"
    r"\bdet\s+(?:är|var|blir|finns|går|gäller|krävs|behövs|står)\b|\bhur (?:går|gick) det\b",
    re.IGNORECASE,
)
_NOT_A_NOUN_AFTER = _set(
    "sin sitt sina som i till om vidare sen sedan nu då också själv ensam där här ju igen ändå för på med av att inte "
    "och eller när hur"
)
_SUBJECT_PRONOUN = frozenset({"den", "det", "han", "hon", "hen"})
_PLURAL_PRONOUN = frozenset({"de", "dem", "dom", "deras"})


Places = Mapping[str, Sequence[str]]  # the names of each municipality with a profile, by id


def resolve(message: str, turns: Sequence[Turn], places: Places) -> Resolution:
    """The message understood against the conversation's `turns` (latest first)."""
    text = " ".join(message.split())
    if not turns:
        return Resolution(FollowupKind.FIRST, text)
    switched = _NEW_TOPIC.match(text)
    if switched:
        return Resolution(FollowupKind.NEW_TOPIC, text[switched.end() :] or text, note="said so")
    then = _THEN_ASKED.match(text)
    if then and _asks_itself(text[then.end() :]):  # "och sen? när ska det upp på anslagstavlan?": that question
        text = text[then.end() :]
    for understood in (_correction, _on_source, _next, _ellipsis, _pronoun):
        found = understood(text, turns, places)
        if found is not None:
            return found
    return Resolution(FollowupKind.NEW_TOPIC, text)


def _correction(text: str, turns: Sequence[Turn], places: Places) -> Resolution | None:
    """ "nej, jag menade årsredovisningen", "sorry, jag menade Trollhättan", "… – när tas den?"."""
    corrected = _CORRECTION.match(text)
    if corrected is None:
        return None
    # after "och efter det?", what was asked is the question before it: the step was the rules' choice
    last = turns[1] if turns[0].facts.get("step") and len(turns) > 1 else turns[0]
    said = corrected.group("meant") or corrected.group("fronted")
    cut = _ASKED_AGAIN.search(said)
    meant, again = (said[: cut.start()], said[cut.end() :]) if cut else (said, "")
    meant = _WHY_CLAUSE.sub("", meant)  # "…, ska jämföra": why, not what
    not_meant = _NOT_MEANT.search(meant)  # "…, inte delåret": what to put it in the place of
    instead = _words(re.sub(r"^\W*(?:och\s+)?inte\s+(?:om\s+)?", "", not_meant.group(0))) if not_meant else []
    meant = _trimmed(_NOT_MEANT.sub("", meant))
    place = place_named(meant, places)
    if again:  # "nej menade delårsrapport 2 – när tas den?": that question, about what was meant
        asked = _anaphor(again)
        if asked is not None and place is not None and asked.group(0).lower() in _PLACE_WORDS:
            meant = f"{_PLACE_WORDS[asked.group(0).lower()]} {meant}"  # "… hur tas målen fram där?": "i Strängnäs"
        question = _replace_word(again, asked, meant) if asked else f"{again.rstrip(' ?.!')} ({meant})?"
        return _follow(FollowupKind.CORRECTION, question, place or last.municipality, last, "asked again")
    if place is not None and _only_place(meant, places):
        return _follow(
            FollowupKind.CORRECTION, _in_place(last.question, place, places), place, last, "another municipality"
        )
    question, note = _substituted(last.question, _without_places(meant, places) if place else meant, places, instead)
    if place is not None:  # "strängnäs vision": another municipality and another subject
        question = _in_place(question, place, places)
    return _follow(FollowupKind.CORRECTION, question, place or last.municipality, last, note)


def _on_source(text: str, turns: Sequence[Turn], places: Places) -> Resolution | None:
    """ "var står det?", "vilken paragraf?", "är det lag eller kommunens egen regel?"."""
    if not (_IS_LAW.search(text) or _WHERE.search(text)):
        return None
    cited = _about_turn(text, turns, places)
    law, paragraph = bool(_IS_LAW.search(text)), bool(_PARAGRAPH.search(text))
    return Resolution(FollowupKind.SOURCE, cited.question, cited.municipality, turn=cited, law=law, paragraph=paragraph)


def _next(text: str, turns: Sequence[Turn], places: Places) -> Resolution | None:
    """ "och nästa gång?" (the same event again), "och efter det?", "nästa rapport efter den?" (the next step)."""
    last = turns[0]
    if _AGAIN.search(text) and len(_own_words(text, places)) <= 2:
        return Resolution(FollowupKind.NEXT, last.question, last.municipality, turn=last, again=True)
    opened = _LEADING.sub("", text)  # "ok o vad kommer sen?"
    if _FOLLOWING.search(opened) or (_NEXT_NOUN.search(text) and _leans_back(text)) or _NEXT_ALONE.match(opened):
        noun = _NEXT_NOUN.search(text)
        kind = noun.group(1).lower() if noun and noun.group(1).lower() not in _ANY_STEP else ""
        return Resolution(FollowupKind.NEXT, last.question, last.municipality, turn=last, noun=kind)
    return None


def _ellipsis(text: str, turns: Sequence[Turn], places: Places) -> Resolution | None:
    """A fragment that changes one thing of the question before: the municipality ("och i Strängnäs?"), the
    subject ("och investeringsbudgeten?"), a condition ("och under ett valår?")."""
    last = turns[0]
    rest = _trimmed(_LEADING.sub("", text))
    place = _only_place(rest, places)
    if place is not None:
        question = _in_place(last.question, place, places)
        return _follow(FollowupKind.ELLIPSIS, question, place, last, "another municipality")
    words = rest.split()
    asks_within = any(w.lower().strip(",.?!") in _QUESTION_WORDS for w in words)  # "den sista, vilka …?"
    if not words or _asks(words[0]) or _has_verb(words) or asks_within:
        return None
    appended = _PREPOSITION_START.match(rest) is not None
    if appended:
        question, note = _appended(last.question, rest), "added to the question before"
    else:
        question, note = _substituted(last.question, rest, places)
    named = place_named(text, places)
    if named:
        question = _in_place(question, named, places)
    on_subject = appended and named is None
    return _follow(FollowupKind.ELLIPSIS, question, named or last.municipality, last, note, on_subject)


def _pronoun(text: str, turns: Sequence[Turn], places: Places) -> Resolution | None:
    """A question that leans on the one before: a pronoun for its subject ("vem beslutar om den?"), or for the
    body that answered it ("hur utövar den sin uppsikt?"); or one that opens with "och" ("och vad ingår?")."""
    last = turns[0]
    pronoun = _anaphor(text)
    if pronoun is None and not _LEADING.match(text):
        return None  # a question of its own
    named = place_named(text, places)
    municipality = named or last.municipality
    about = topic(_without_places(last.question, places), places)
    on_subject = named is None
    if pronoun is None:  # "och vad ingår?": about what the question before was about
        question = _with_topic(f"{_trimmed(_LEADING.sub('', text))}?", about)
        return _follow(FollowupKind.ELLIPSIS, question, municipality, last, f"about {about!r}", on_subject)
    picked = _ordinal(text, about)
    if picked is not None:  # "när behandlar KF den andra?" after "delårsrapport 1 och 2": "delårsrapport 2"
        (start, end), item = picked
        note = f"{text[start:end]!r} → {item!r}"
        return _follow(FollowupKind.PRONOUN, f"{text[:start]}{item}{text[end:]}", municipality, last, note, True)
    referent = _referent(pronoun, text, last, places)
    if referent is None:
        return Resolution(
            FollowupKind.UNCLEAR, text, last.municipality, turn=last, note=f"nothing for {pronoun.group(0)!r}"
        )
    if not referent:  # "den planen", "där": the words say what, the topic goes with them
        question = _with_topic(text, about)
        return _follow(FollowupKind.PRONOUN, question, municipality, last, f"about {about!r}", on_subject)
    # "det" often stands for what was said, not only a thing ("vem bestämde det?": that LEP is updated every
    # year), so the question before is searched with it; "den" and "de" stand for the thing itself
    context = last.question if pronoun.group(0).lower() == "det" else ""
    note = f"{pronoun.group(0)!r} → {referent!r}"
    question = _replace_word(text, pronoun, referent)
    return Resolution(
        FollowupKind.PRONOUN, question, municipality, context=context, turn=last, on_subject=on_subject, note=note
    )


def _follow(
    kind: FollowupKind, question: str, municipality: str | None, last: Turn, note: str, on_subject: bool = False
) -> Resolution:
    return Resolution(kind, question, municipality, turn=last, on_subject=on_subject, note=note)


def _with_topic(question: str, about: str) -> str:
    """ "vad ingår?" with the topic of the question before, unless it names it already: "vad ingår
    (planerings- och uppföljningsprocessen)?" """
    if not about or all(any(_same_stem(a.lower(), w.lower()) for w in _words(question)) for a in _words(about)):
        return question
    return f"{question.rstrip(' ?.!')} ({about})?"


# The subject of a question ---------------------------------------------------------------------------------


def phrases(question: str, places: Places) -> list[tuple[int, int]]:
    """The noun phrases of a question as (start, end) spans of its words: runs of words that are neither
    question words, verbs nor pronouns, joined by "om", "av", "från", "till" …, a municipality's name left out."""
    words = _words(question)
    lowered = [w.lower() for w in words]
    place_words = {part for names in places.values() for name in names for part in name.split()}
    content = [
        w not in _FRAME and not _VERB.match(w) and w not in place_words and not _is_verb_second(lowered, i)
        for i, w in enumerate(lowered)
    ]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        if not content[i]:
            i += 1
            continue
        start = i
        # an article or a number right before belongs to the phrase ("en motion", "delårsrapport 1")
        if start > 0 and lowered[start - 1] in ("en", "ett"):
            start -= 1
        end = i + 1
        while end < len(words):
            if _acts(lowered[end - 1]):
                break  # "fullmäktige budgeten", "kommunfullmäktige om rambudgeten": who acts, then on what
            if (
                content[end]
                or lowered[end].isdigit()
                or (lowered[end] in _JOINING and end + 1 < len(words) and _continues(lowered, content, end + 1))
            ):
                end += 1
            else:
                break
        spans.append((start, end))
        i = end
    return spans


def topic(question: str, places: Places) -> str:
    """What a question is about: its longest noun phrase that is not a body ("rambudgeten", not
    "kommunfullmäktige"); a body when it names nothing else."""
    words = _words(question)
    spans = phrases(question, places)
    if not spans:
        return ""
    things = [
        s for s in spans if not all(_BODIES.match(w.lower()) for w in words[s[0] : s[1]] if w.lower() not in _JOINING)
    ]
    start, end = max(things or spans, key=lambda s: sum(len(w) for w in words[s[0] : s[1]]))
    return " ".join(words[start:end])


def _acts(word: str) -> bool:
    """A body named as the one who acts ("fullmäktige"), not as an owner ("nämndernas plan")."""
    return bool(_BODIES.match(word)) and not word.endswith("s")


_SHORT_FOR = {"ks": "kommunstyrelsen", "kf": "fullmäktige", "kl": "kommunallagen"}


def covers(text: str, about: str) -> bool:
    """Whether a text names every word of a topic: a compound by its head ("budgeten" for "rambudgeten"), a
    word by its stem ("uppsikt" for "uppsiktsplikt"), "KS" as "kommunstyrelsen"."""
    said = [w.lower() for w in _words(text)]
    wanted = [_SHORT_FOR.get(w.lower(), w.lower()) for w in _words(about) if w.lower() not in _JOINING]
    wanted = [w for w in wanted if not w.isdigit()]
    return bool(wanted) and all(any(_same_stem(w, s) or _shared_start(w, s) for s in said) for w in wanted)


def _shared_start(a: str, b: str) -> bool:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n >= 6


def _continues(lowered: list[str], content: list[bool], at: int) -> bool:
    """Whether the word at `at` (after a joining word) goes on with the phrase: a content word, or an article
    before one."""
    if content[at]:
        return True
    return lowered[at] in ("en", "ett") and at + 1 < len(lowered) and content[at + 1]


def _is_verb_second(lowered: list[str], i: int) -> bool:
    """The finite verb of a question comes second, after its question word or phrase ("När beslutar …",
    "Vilken period omfattar …", "Hur länge kan …")."""
    j = 0
    while j < len(lowered) and lowered[j] in _QUESTION_WORDS | {"länge", "långt", "ofta", "mycket", "många"}:
        j += 1
    if j == 0:
        return False
    if 0 < j < len(lowered) and lowered[j - 1] in ("vilken", "vilket", "vilka", "många", "mycket") and i == j:
        return False  # "Vilken period": the noun of the question word
    if (
        lowered[j - 1] in ("vilken", "vilket", "vilka", "många", "mycket")
        and j < len(lowered)
        and not _VERB.match(lowered[j])
        and lowered[j] not in _VERBS_FIRST  # "Vilka är …": the verb itself
    ):
        j += 1  # skip that noun; the verb comes after it
    return i == j and lowered[i] not in ("en", "ett")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _asks_itself(text: str) -> bool:
    """Whether a text is a question of its own: a question word and a verb among its first words ("när ska det
    …", "hur länge kan folk överklaga?"), not a clause of the one before ("när analysen är klar?")."""
    words = [w.lower().strip(",.?!") for w in text.split()]
    if len(words) < 3 or words[0] not in _QUESTION_WORDS:
        return False
    within = 3 if words[0] == "hur" else 2  # "hur länge kan …", "när ska …", "vad händer …"
    return any(w in _VERBS_FIRST or _VERB.match(w) for w in words[1:within])


def _asks(word: str) -> bool:
    lowered = word.lower().strip(",.?!")
    return lowered in _QUESTION_WORDS or lowered in _VERBS_FIRST


def _has_verb(words: Sequence[str]) -> bool:
    """Whether the words hold a verb of a governance question ("och vem fastställer den?" is a question of its
    own; "och investeringsbudgeten?" and "om det är brådskande då?" are fragments of the one before)."""
    return any(_VERB.match(w.lower().strip(",.?!")) for w in words)


def _own_words(text: str, places: Places) -> list[str]:
    place_words = {part for names in places.values() for name in names for part in name.split()}
    return [w for w in (x.lower() for x in _words(text)) if w not in _FRAME and w not in place_words and len(w) > 2]


def _leans_back(text: str) -> bool:
    return bool(re.search(r"\b(?:efter (?:det|den|detta|dess)|sen|sedan|därefter)\b", text, re.IGNORECASE))


def _trimmed(text: str) -> str:
    return _TRAILING.sub("", text).strip(" ,.!?–—-")


# Places ---------------------------------------------------------------------------------------------------


def place_named(text: str, places: Places) -> str | None:
    """The first municipality with a profile that the text names, by its id or any of its names."""
    return next((m for m, names in places.items() if mentioned(text, (m, *names))), None)


def _only_place(text: str, places: Places) -> str | None:
    """The municipality a fragment names and nothing else ("i Strängnäs", "Trollhättan", "hos Tranemo")."""
    municipality = place_named(text, places)
    if municipality is None:
        return None
    rest = _without_places(text, places)
    rest = re.sub(r"\b(?:i|hos|för|inom|kommun|stad|hur är det|hur ser det ut|då|där|det|gäller|samma)\b", " ", rest)
    return municipality if not re.search(r"\w", rest, re.IGNORECASE) else None


def _without_places(question: str, places: Places) -> str:
    """The question without the municipalities it names ("… i Strängnäs?" → "…?")."""
    names = sorted({n for m, ns in places.items() for n in (m, *ns)}, key=len, reverse=True)
    out = question
    for name in names:
        out = re.sub(
            rf"(?:\b(?:i|hos|för|inom|enligt)\s+)?(?<!\w){re.escape(name)}(?!\w)", " ", out, flags=re.IGNORECASE
        )
    return re.sub(r"\s+([?.!,])", r"\1", " ".join(out.split()))


def _in_place(question: str, municipality: str, places: Places) -> str:
    """The question about another municipality: "Vad är visionen i Strängnäs?" → "Vad är visionen i
    Trollhättan?" (named, so that its own documents answer)."""
    names = places.get(municipality) or (municipality,)
    name = names[0][:1].upper() + names[0][1:]
    return f"{_without_places(question, places).rstrip(' ?.!')} i {name}?"


# Rewriting ------------------------------------------------------------------------------------------------


def _substituted(question: str, meant: str, places: Places, instead: Sequence[str] = ()) -> tuple[str, str]:
    """The question with `meant` in place of the phrase it stands for: the one the person said was not meant
    (`instead`: "…, inte delåret" names "delårsrapporten"), else one that shares a word with it ("rambudgeten"
    for "investeringsbudgeten"), of the same form (definite, indefinite with an article, a genitive, a body for
    a body), else the question's topic."""
    words = _words(question)
    spans = phrases(question, places)
    meant_words = [w.lower() for w in _words(meant)]
    if not spans or not meant_words:
        return f"{meant}?", "asked alone"
    head = meant_words[0] if meant_words[0] not in ("en", "ett") else meant_words[-1]

    def score(span: tuple[int, int]) -> tuple[int, int, int, int, int]:
        inside = [w.lower() for w in words[span[0] : span[1]]]
        named = any(_names_same(a, b.lower()) for a in inside for b in instead)
        shared = any(_same_stem(a, b) for a in inside for b in meant_words)
        form = _form(inside[0] if inside[0] not in ("en", "ett") else inside[-1], inside[0])
        same_form = form == _form(head, meant_words[0])
        a_body = any(_BODIES.match(w) for w in inside)
        bodies = bool(_BODIES.match(head)) and a_body
        # a body for a body, a thing for a thing: "delårsrapport 2" takes the place of "årsredovisningen", not "KF"
        same_kind = a_body == bool(_BODIES.match(head))
        return (int(named), int(shared), int(same_kind), int(bodies) + int(same_form), sum(len(w) for w in inside))

    best = max(spans, key=score)
    start, end = best
    inside = words[start:end]
    if score(best)[0]:  # just the word that was not meant ("delårsrapporten", not "delårsrapporten till KF")
        at = next(n for n, word in enumerate(inside) if any(_names_same(word.lower(), b.lower()) for b in instead))
        start, end = start + at, start + at + 1
    elif score(best)[1] == 0 and _BODIES.match(head):
        # a body for a body inside a longer phrase: "nämndernas plan" → "bolagens plan"
        for n, word in enumerate(inside):
            if _BODIES.match(word.lower()):
                # "nämndernas" is a genitive, "KS" is not
                genitive = _form(word.lower(), word.lower()) == "genitive" and not meant.lower().endswith("s")
                start, end = start + n, start + n + 1
                meant = f"{meant}s" if genitive else meant
                break
    rewritten = _splice(question, start, end, meant)
    return rewritten, f"{' '.join(words[start:end])!r} → {meant!r}"


def _splice(question: str, start: int, end: int, replacement: str) -> str:
    """The question with its words start..end (as `_words` counts them) replaced."""
    matches = list(_WORD.finditer(question))
    first, last = matches[start], matches[end - 1]
    return f"{question[: first.start()]}{replacement}{question[last.end() :]}"


def _appended(question: str, addition: str) -> str:
    """ "vem väljer revisorerna?" + "under ett valår" → "vem väljer revisorerna under ett valår?" """
    stem = question.rstrip(" ?.!")
    return f"{stem} {addition}?"


def _same_stem(a: str, b: str) -> bool:
    """Two words with the same compound head ("rambudgeten", "investeringsbudgeten"; "planen", "plan")."""
    if len(a) < 4 or len(b) < 4:
        return a == b
    stem_a, stem_b = _base(a), _base(b)
    shorter, longer = sorted((stem_a, stem_b), key=len)
    return len(shorter) >= 4 and longer.endswith(shorter)


def _names_same(a: str, b: str) -> bool:
    """Two words that name one thing: the same compound head, or a beginning alike enough ("delåret",
    "delårsrapporten")."""
    return _same_stem(a, b) or (len(a) >= 5 and len(b) >= 5 and a[:5] == b[:5])


def _base(word: str) -> str:
    return re.sub(r"(?:erna|arna|orna|ernas|arnas|ornas|en|et|na|ens|ets|s)$", "", word) or word


def _form(word: str, first: str) -> str:
    if first in ("en", "ett"):
        return "indefinite"
    if word.endswith("s") and len(word) > 4:
        return "genitive"
    return "definite" if _DEFINITE.search(word) else "bare"


def _anaphor(text: str) -> re.Match[str] | None:
    """The first pronoun of the message that stands for something said before, if any: "den" in "vem beslutar
    om den?", not the article of "den vertikala dialogen", nor the empty "det" of "är det …"."""
    empty = {m.end() - 3 for m in _EMPTY_DET.finditer(text)} | {m.start() for m in _EMPTY_DET.finditer(text)}
    for match in _PRONOUN.finditer(text):
        if match.group(0).lower() == "det" and match.start() in empty:
            continue
        return match
    return None


def _referent(pronoun: re.Match[str], text: str, last: Turn, places: Places) -> str | None:
    """What the pronoun stands for: "" to keep it (a demonstrative with its own noun, "den planen"); the body that
    answered a who-question for a subject ("Vem har uppsiktsplikt?" → "hur utövar den sin uppsikt?"); a plural
    noun of the question before for "de"; the question's topic otherwise. None: nothing to stand for."""
    word = pronoun.group(0).lower()
    after = text[pronoun.end() :].split()
    following = after[0].strip(",.?!").lower() if after else ""
    if _demonstrative(word, following):
        return ""
    if word in ("där", "dit", "därifrån"):
        return ""  # the place: the municipality is inherited
    before = _words(text[: pronoun.start()])
    subject = bool(before) and (_VERB.match(before[-1].lower()) or before[-1].lower() in _VERBS_FIRST)
    who = last.facts.get("who")
    if word in _SUBJECT_PRONOUN and subject and isinstance(who, str) and who:
        return who
    if word in _PLURAL_PRONOUN:
        plural = [w for w in _words(_without_places(last.question, places)) if _PLURAL_DEFINITE.search(w.lower())]
        plural = [w for w in plural if w.lower() not in _FRAME]
        if plural:
            return plural[-1]
        if isinstance(who, str) and who and _PLURAL_DEFINITE.search(who):
            return who
    found = topic(_without_places(last.question, places), places)
    return found or None


_ORDINAL = re.compile(
    r"\b(?:den|det)\s+(första|förra|förstnämnda|andra|tredje|sista|senare|sistnämnda)\b(?!\s+\w+(?:en|et|na)\b)",
    re.IGNORECASE,
)
# which of the things named together an ordinal picks (-1: the last)
_PLACE_OF = {
    "första": 0,
    "förra": 0,
    "förstnämnda": 0,
    "andra": 1,
    "tredje": 2,
    "sista": -1,
    "senare": -1,
    "sistnämnda": -1,
}


_PLACE_WORDS = {"där": "i", "dit": "till", "därifrån": "från"}  # the preposition each stands for


def when_asked(title: str) -> str:
    """The question an event's title answers, as a person would ask it: "Fullmäktige godkänner årsredovisningen" →
    "När godkänner fullmäktige årsredovisningen?", "Bolagsstämman hålls" → "När hålls bolagsstämman?" (the
    verb before its subject); "När: …?" when no verb of ours is found."""
    words = title.rstrip(" .").split()
    for n, word in enumerate(words[1:], start=1):
        lowered = word.lower()
        if len(lowered) > 3 and lowered.endswith(("r", "s")) and _VERB.match(lowered):
            subject = " ".join(words[:n])
            subject = subject if subject[:2].isupper() else subject[:1].lower() + subject[1:]  # "KS" stays
            return " ".join(["När", lowered, subject, *words[n + 1 :]]).rstrip(",") + "?"
    return f"När: {title[:1].upper()}{title[1:]}?"


def _ordinal(text: str, about: str) -> tuple[tuple[int, int], str] | None:
    """Which of the things the question before named together an ordinal stands for ("den andra" of
    "delårsrapport 1 och 2" → "delårsrapport 2"), with where it stands in the text; None without one."""
    found = _ORDINAL.search(text)
    items = [i.strip() for i in re.split(r",\s*|\s+och\s+|\s+eller\s+", about) if i.strip()]
    if found is None or len(items) < 2:
        return None
    place = _PLACE_OF[found.group(1).lower()]
    if place >= len(items):
        return None
    item, first = items[place], items[0].split()
    if item.isdigit() and len(first) > 1 and first[-1].isdigit():  # "delårsrapport 1 och 2": the head goes with 2
        item = " ".join([*first[:-1], item])
    return found.span(), item


def _demonstrative(word: str, following: str) -> bool:
    """ "den planen", "det beslutet", "den vertikala dialogen": the noun after the pronoun says what is meant."""
    return (
        word in ("den", "det", "de", "denna", "detta", "dessa")
        and bool(following)
        and following not in _NOT_A_NOUN_AFTER
        and not _VERB.match(following)
    )


def _replace_word(text: str, match: re.Match[str], replacement: str) -> str:
    return f"{text[: match.start()]}{replacement}{text[match.end() :]}"


def _about_turn(text: str, turns: Sequence[Turn], places: Places) -> Turn:
    """The turn a question on sources is about: the latest, unless the question names the subject of an earlier
    one ("är delårsrapport 1 nåt som lagen kräver?")."""
    law_words = ("lagen", "kräver", "lagkrav", "kommunallagen", "egen", "regel", "något", "lokal")
    own = [w for w in _own_words(text, places) if len(w) > 3 and w not in law_words]
    own += re.findall(r"\b\d+\b", text)  # "delårsrapport 1" is not "delårsrapport 2"
    for turn in turns:
        asked = {_base(w.lower()) for w in _words(turn.question)}
        if own and all(_base(w) in asked for w in own):
            return turn
    return turns[0]
