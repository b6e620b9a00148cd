"""What a situation is about: the governance concepts behind a case told in everyday words.

People seldom name the concept they need. "Min bror har lagt anbud i en upphandling som ska upp i
tekniska nämnden där jag är ledamot. Vad gäller för mig?" is a question about jäv; "Ett kommunalråd
ringde och tyckte att vi borde säga nej till ett bygglov" is about a nämnd's independence when it
exercises public authority. The documents and the law use the concept's words, so the answerer searches
with them too. Each concept is recognised from what the situation says happens, not from how a question
is phrased: a relative or one's own business with a matter before one's body (or the discharge of a body
one sat in), an individual's case decided by a nämnd, a decision taken on delegation, only some members able
to come (is the body quorate?), the executive board worried about another body.
"""

from __future__ import annotations

import re

_KIN = (
    r"bror|brorsa|lillebror|storebror|syster|syrra|lillasyster|storasyster|mamma|pappa|mor|far|förälder|"
    r"föräldrar|son|dotter|barn|make|maka|man|fru|sambo|partner|pojkvän|flickvän|svåger|svägerska|svärmor|"
    r"svärfar|svärson|svärdotter|kusin|farbror|morbror|faster|moster|mormor|morfar|farmor|farfar|barnbarn|"
    r"släkting|släktingar|anhörig|anhöriga|vän|kompis|granne|grannen"
)
_COUNT = r"\d+|två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv"
JAV = "jäv närstående"
QUORUM = "beslutsföra närvarande"
# (concept words to search with, what in a situation points at the concept)
_CONCEPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        JAV,
        re.compile(
            rf"\b(?:min|mitt|mina|vår|vårt|våra)\s+(?:\w+\s+)?(?:{_KIN})s?\b|"
            r"\b(?:mitt|vårt) (?:eget )?(?:företag|bolag|firma)\b|\bmin (?:egen )?firma\b|"
            r"\bjag (?:äger|är delägare)\b|\bdär jag (?:jobbar|arbetar|är anställd)\b|\bmin arbetsgivare\b",
            re.IGNORECASE,
        ),
    ),
    (
        "myndighetsutövning",
        re.compile(
            r"\b(?:bygglov\w*|bistånd\w*|försörjningsstöd\w*|serveringstillstånd\w*|tillstånd\w*|dispens\w*|"
            r"förhandsbesked\w*|föreläggande\w*|omhändertag\w*|placering\w*|lvu|lss|hemtjänst\w*|ansökan|"
            r"ansökningar|sökte|söker|sökt)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "delegation",
        re.compile(
            r"\b(?:på delegation|med stöd av delegation\w*|delegationsbeslut\w*|överlåt\w* (?:åt|till)|"
            r"uppdra\w* åt|(?:handläggare\w*|tjänsteperson\w*|"
            r"tjänstem[aä]n\w*)\s+(?:har\s+)?(?:beviljade|beviljat|avslog|avslagit|beslutade|beslutat|fattade))\b",
            re.IGNORECASE,
        ),
    ),
    (
        QUORUM,
        re.compile(  # only some of the members can come: is the body quorate?
            rf"\b(?:bara|endast|enbart|inte ens)\s+(?:{_COUNT}|hälften)\b.{{0,40}}"
            r"\b(?:komma|kommer|kan närvara|närvarar|närvarande|är på plats|dyker upp|deltar|delta)\b|"
            rf"\b(?:{_COUNT}|flera|många|hälften)\s+(?:av\s+(?:\w+\s+){{1,2}})?(?:är\s+|blir\s+|har\s+)?"
            r"(?:frånvarande|sjuka|borta|förhindrade|anmält förhinder|förhinder)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "uppsikt",
        re.compile(
            r"\b(?:ks|kommunstyrelsen)\b.{0,60}\b(?:missar|når inte|inte når|brister|tunna|oroa\w*|underskott|"
            r"avviker|avvikelse\w*|följer inte)\b",
            re.IGNORECASE,
        ),
    ),
)


# Concepts with rules of their own, which answer a question about them better than the role split does; a case
# of myndighetsutövning is where the split matters most ("Kan jag påverka hur handläggaren bedömer …?").
OWN_RULES = frozenset({JAV, "delegation", "uppsikt", QUORUM})


# one's own accountability: the discharge of a body one sat in ("Jag satt i socialnämnden … ansvarsfrihet …")
_OWN_DISCHARGE = re.compile(
    r"^(?=.*\bansvarsfrihet\w*)(?=.*\b(?:jag|vi) (?:satt|sitter|var|är|har suttit|har varit)\b)", re.IGNORECASE
)


def concepts(situation: str, question: str = "") -> tuple[str, ...]:
    """The concepts (in the documents' words) that what the message tells is about, most specific first; a
    relative's or one's own matter is jäv before it is anything else. The discharge of a body one sat in is
    jäv too, whether the situation or the question names the discharge."""
    found = tuple(words for words, cue in _CONCEPTS if cue.search(situation))
    if situation and _OWN_DISCHARGE.search(f"{situation} {question}"):
        return (JAV,)
    if JAV in found:
        return (JAV,)
    return found
