"""What a message asks: its questions one by one, the situation around them, and what kind of answer each wants.

People write several questions in one message ("Vem väljer ordförande i nämnderna, och vem bestämmer
…?"), describe a situation before they ask ("Min bror har lagt anbud i en upphandling … Vad gäller för
mig?") and put a topic before a dash ("flerårsplanen - hur många år gäller den?"). `parts` cuts a message
into its questions; every part keeps what came before it as `context`, because a part often leans on it
("… och vad måste KF besluta?" about the deficit described first).

`wants` says what kind of fact a question asks for when that kind is one governance documents never
hold, or hold only as figures: an amount of money or a share, a number, a place, opening hours, the
time of a particular meeting, who sits on a body or which parties govern. The
answerer checks that the evidence has such a fact before it answers. `asked` says what kind of answer
a question looks for (a time, an actor, a count, a list), so that a sentence that gives one counts more;
`counted` the things a question asks for a number of ("Vilka fyra perspektiv …?"), and `act_asked` the kind
of act it asks who does (prepare, decide, lead, review), which an answer must be about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from knowledge.situations import concepts
from knowledge.texts import MONTHS

# Words that open a question (or its second half after "och").
_ASKING = (
    r"vem|vems|vilka|vilken|vilket|vad|när|hur|var|varför|varifrån|får|kan|ska|skall|måste|bör|borde|behöver|"
    r"finns|gäller|är|stämmer|räcker|går|gör|har|ingår|inom|senast|till vem|på vems"
)
_QUESTION_START = re.compile(rf"^\W*(?:{_ASKING})\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[?!.])\s+(?=\S)|\n+")
# "… , och vem beslutar …", "… och hur länge …": a second question joined to the first; only a question
# word opens one ("… och ska göra min första arbetsplan" goes on with the same sentence)
_WH = r"vem|vems|vilka|vilken|vilket|vad|när|hur|var|vart|varför"
_LEAD = r"(?:(?:i|på|från|för|till|om|med|av|inom|senast|sedan|vid|under|efter|före|hos)\s+)?"
_SECOND_QUESTION = re.compile(
    rf"\s+(?:och|samt)\s+(?={_LEAD}(?:{_WH})\b)|,\s*(?:och|samt)\s+(?={_LEAD}(?:{_WH}|{_ASKING})\b)"
)
_DASH = re.compile(r"\s+[–—-]\s+|:\s+")
MIN_WORDS = 3  # a joined second question needs this many words of its own ("och när?" stays with the first)


@dataclass(frozen=True)
class Part:
    """One question of a message, and what the message said before it."""

    text: str
    context: str = ""
    situation: str = ""  # of the context, what was told rather than asked ("Min bror har lagt ett anbud.")

    @property
    def about(self) -> tuple[str, ...]:
        """The governance concepts the situation told is about ("jäv närstående"), `knowledge.situations`."""
        return concepts(self.situation, self.text)

    @property
    def full(self) -> str:
        """The question with its context before it, as one text to search by."""
        return f"{self.context} {self.text}".strip()


def parts(message: str) -> list[Part]:
    """The questions of a message in order, each with the text before it as context. What comes before a
    dash is the topic, not a question of its own; a question with hardly a word of its own ("Vilket i så
    fall?") goes with the one before it. A message that asks nothing in question form ("Berätta om
    budgetprocessen") is one part."""
    message = " ".join(message.split())
    pieces: list[tuple[str, bool]] = []  # (text, is a question)
    for sentence in _SENTENCE.split(message):
        for clause, topic in _clauses(sentence):
            pieces.append((clause, not topic and _is_question(clause)))
    if not any(question for _, question in pieces):
        return [Part(message)]
    found: list[Part] = []
    before: list[str] = []
    told: list[str] = []
    for text, question in pieces:
        if question and found and found[-1].text == before[-1] and _elliptical(text):
            last = found.pop()
            found.append(Part(f"{last.text} {text}", last.context, last.situation))
        elif question:
            found.append(Part(text, " ".join(before), " ".join(told)))
        else:
            told.append(text)
        before.append(text)
    return [each for part in found for each in _compared(part)]


# "Vad är skillnaden mellan internkontroll och egenkontroll?", "Vad skiljer en strategi från en aktivitet?"
_COMPARED = re.compile(
    r"\b(?:skillnad(?:en)?|skillnader(?:na)?) (?:mellan|på) (?P<a>[\w -]+?) och (?P<b>[\w -]+?)\s*[?.!]*$|"
    r"\bvad skiljer (?P<c>[\w -]+?) från (?P<d>[\w -]+?)\s*[?.!]*$",
    re.IGNORECASE,
)
_GENITIVE = re.compile(r"(?:ens|ets|nas|ns)$")  # "politikens och förvaltningens roll" compares sides, not terms
MAX_COMPARED = 4  # words of each thing compared ("en arbetsplan i Strängnäs")


def _compared(part: Part) -> list[Part]:
    """Two things compared, as one question on each ("Vad är internkontroll?", "Vad är egenkontroll?"), each
    answered with its own definition: on its own, for a sentence on both is seldom the definition of either."""
    match = _COMPARED.search(part.text)
    if match is None:
        return [part]
    first, second = (match.group("a") or match.group("c")).strip(), (match.group("b") or match.group("d")).strip()
    words = [*first.split(), *second.split()]
    if len(first.split()) > MAX_COMPARED or len(second.split()) > MAX_COMPARED or any(map(_GENITIVE.search, words)):
        return [part]
    return [Part(f"Vad är {thing}?", part.context, part.situation) for thing in (first, second)]


_FILLERS = frozenset(
    f"i så fall då också egentligen alltså hänger hänga ihop fungerar {_WH} {_ASKING}".replace("|", " ").split()
)


def _elliptical(text: str) -> bool:
    """A question without a word of its own ("Vilket i så fall?", "och när då?")."""
    words = [w for w in re.findall(r"\w+", text.lower()) if len(w) > 3 and w not in _FILLERS]
    return not words


def _clauses(sentence: str) -> list[tuple[str, bool]]:
    """A sentence cut before a dash that opens a question (what comes before is the topic: True, unless it
    has no word of its own), and before a joined second question."""
    clauses: list[tuple[str, bool]] = []
    pieces = _dash_split(sentence)
    for number, piece in enumerate(pieces):
        if number < len(pieces) - 1:
            if not _elliptical(piece):  # "hur hänger det ihop egentligen – …" names no topic
                clauses.append((piece, True))
            continue
        start = 0
        for match in _SECOND_QUESTION.finditer(piece):
            rest = piece[match.end() :]
            first = piece[start : match.start()].strip(" ,")
            if len(rest.split()) >= MIN_WORDS and len(first.split()) >= MIN_WORDS and _asks(first):
                clauses.append((first + "?", False))
                start = match.end()
        last = piece[start:].strip()
        # a joined question asks, however it ends: "… och av vilka skäl" is not something told
        clauses.append((f"{last.rstrip('.')}?" if start and not last.endswith("?") else last, False))
    return [(c, topic) for c, topic in clauses if c]


def _dash_split(sentence: str) -> list[str]:
    """ "Jag sitter i KF - när måste vi …?", "Två frågor om bolagen: när …?" → what comes first, then the question."""
    pieces = _DASH.split(sentence)
    if len(pieces) < 2:
        return [sentence]
    out = [pieces[0]]
    for piece in pieces[1:]:
        if _QUESTION_START.match(piece) or re.match(rf"\W*{_LEAD}(?:{_WH})\b", piece):
            out.append(piece)
        else:
            out[-1] = f"{out[-1]} {piece}"
    return out


def _is_question(text: str) -> bool:
    return text.rstrip().endswith("?") or _QUESTION_START.match(text) is not None


def _asks(text: str) -> bool:
    """A clause that asks something: a question, or one with a question word in it ("per vilket datum …")."""
    return _is_question(text) or re.search(rf"\b(?:{_WH})\b", text) is not None


Wanted = Literal["amount", "count", "place", "opening_hours", "schedule", "members"]

_WANTS: tuple[tuple[Wanted, re.Pattern[str]], ...] = (
    (
        "amount",
        re.compile(
            r"\b(?:hur mycket|hur mkt|vad kostar|kostar det|kostnaden för|"
            r"hur stor (?:andel|del|summa|budget\w*|ram\w*)|"
            r"hur många (?:kronor|miljoner|procent)|vilket belopp|vilka belopp|beloppsgräns\w*|"
            r"i kronor|kronor|procent|(?:vilken|vad är|vad) (?:den )?(?:nuvarande )?skattesats\w*|skattesatsen är|"
            r"hur hög är \w*skatte\w*|(?:ligger|landar) \w*skatte\w*|\w*skatte\w* (?:ligger|landar))\b|"
            # "Hur stort blev resultatet?", "Vad är arvodet för ordföranden?": a sum of money, by its name
            r"\bhur (?:stor|stort|stora|hög|högt|höga)\b(?:\s+\w+){0,3}?\s+(?:\w+s)?(?:resultat|överskott|underskott|"
            r"skuld|kostnad|intäkt|arvode|lön|summa|belopp)\w*|"
            r"\bvad (?:är|var|blev|blir|ligger)\s+(?:\w+\s+){0,2}?(?:\w*arvodet|lönen|överskottet|underskottet|"
            r"beloppet|summan|kostnaden)\b|"
            # "vad gjorde bolaget för resultat förra året?"
            r"\bvad (?:gjorde|fick|hade|visade)\b.{0,30}\bför (?:resultat|överskott|underskott|vinst|förlust)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "place",
        re.compile(
            r"\b(?:i vilket rum|vilket rum|vilken lokal|vilka lokaler|i vilken sal|vilken sal|var hålls|var ligger|"
            r"vilken adress|adressen till)\b",
            re.IGNORECASE,
        ),
    ),
    ("opening_hours", re.compile(r"\b(?:öppettid\w*|har \w+ öppet|är \w+ öppet|öppet på)\b", re.IGNORECASE)),
    (
        "schedule",
        re.compile(
            r"\b(?:vilken (?:dag och tid|tid|veckodag)|vilket klockslag|klockan|när är nästa|vilken tid börjar)\b|"
            r"\b(?:vilket|vilka) datum (?:har|håller|är)\b.*(?:möte|mötet|sammanträde|sammanträdet)\b|"
            r"\bhur många (?:sammanträden|möten|nämndmöten)\b.*\b(?:vilka|vilket) datum\b|"
            # how often a group meets: "hur ofta träffas de?", "hur ofta sammanträder nämnden?"
            r"\bhur ofta (?:träffas|möts|ses|sammanträder|samlas)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "members",
        re.compile(
            r"\b(?:vilka|vem) (?:partier|personer|ledamöter|politiker|som )?(?:ingår|sitter) i\b|"
            r"\b(?:vilka|vilket) (?:partier|parti|partiet)\b.{0,20}\b(?:ingår|styr|sitter|leder|tillhör)\b|"
            r"\b(?:vilka|vilket|vem|vilken)\b.{0,30}\b(?:har|sitter i|utgör) (?:den politiska )?majoritet\w*"
            # who holds an office now: "vilka sitter som revisorer just nu?", "vilka är revisorer i Tranemo nu?"
            r"|\b(?:vilka|vem) (?:är|sitter som|heter)\s+(?:\w+\s+){0,2}?(?:revisor\w*|ordförande\w*|kommundirektör\w*|"
            r"ledam\w*|ersättare\w*|\w*chef\w*|kommunalråd\w*|sekreterare\w*|presidi\w*)\b.{0,40}\b(?:just nu|"
            r"för närvarande|i dagsläget|nuvarande|idag|i dag|nu)\W*$",
            re.IGNORECASE,
        ),
    ),
    ("count", re.compile(r"\bhur många\b", re.IGNORECASE)),
)
_AMOUNTS = re.compile(r"\d[\d\s]*(?:,\d+)?\s*(?:kr\b|kronor|tkr|mnkr|mkr|miljoner|miljarder|procent|%|öre)", re.I)

# "Vem bestämmer hur mycket …?", "Får nämnden bestämma hur många …?": a figure that is settled, not asked for
_SETTLES_FIGURE = re.compile(
    r"\b(?:bestämm?\w*|beslut\w*|avgör\w*|fastställ\w*|styr\w*)\s+(?:om\s+)?hur (?:många|mycket|stor\w*)\b", re.I
)


def wants(question: str) -> Wanted | None:
    """The kind of fact the question asks for, when it is one that needs checking (see the module docstring).
    A figure the question asks who settles ("Vem bestämmer hur mycket partistöd partierna får?", "Får nämnden
    bestämma hur många som jobbar natt?") is not asked for: the answer is who."""
    for kind, pattern in _WANTS:
        if not pattern.search(question):
            continue
        if kind in ("amount", "count") and (asks_who(question) or _SETTLES_FIGURE.search(question)):
            continue
        return kind
    return None


def holds(kind: Wanted, text: str, question: str = "") -> bool:
    """Whether a text holds a fact of that kind: an amount with its unit; for "hur många X", a number next to
    an X, before or after it ("en tredjedel av ledamöterna", "treårig" for years), and for a time ("hur många
    dagar") a time in any unit ("minst en vecka"); never a place or opening hours, which governance documents do
    not give."""
    if kind == "amount":
        return _AMOUNTS.search(text) is not None
    if kind == "count":
        counted = re.search(r"\bhur många\s+(\w+)", question, re.IGNORECASE)
        following = counted.group(1).lower() if counted else ""
        noun = following[:4]
        if len(noun) < 2 or following in _NOT_COUNTED:
            return gives("count", text)
        if noun[:3] in _TIMES and _DURATION.search(text):
            return True
        words = re.findall(r"\w+", text.lower())
        for at, word in enumerate(words):
            near = words[max(0, at - NEAR) : at] + words[at + 1 : at + 5]  # "74 % av de förtroendevalda"
            unit = words[at + 1][:3] if at + 1 < len(words) else ""
            if unit in _UNITS and not noun.startswith(unit):
                continue  # "ledamöterna väljs för fyra år" counts years, not members
            if gives("count", word) and (noun in word[2:] or any(noun in w for w in near)):  # "fullmäktigemålen"
                return True
        return False
    return False


NEAR = 5  # a number counts the thing named this many words before it ("fullmäktigemålen ska totalt bli max 7")
_UNITS = frozenset(["år", "dag", "vec", "mån", "tim", "kro", "pro", "gån"])  # what a number may count instead
_TIMES = frozenset(["år", "dag", "vec", "mån", "tim"])
_DURATION = re.compile(
    r"\b(?:\d+|en|ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|fjorton|tjugo|trettio)\s+"
    r"(?:dag|dagar|vecka|veckor|månad|månader|år|timmar|vardag|vardagar)\b",
    re.IGNORECASE,
)
# what may follow "hur många" without naming what is counted ("hur många behöver vi vara?", "hur många måste
# begära det?"): the words whole, as "de" opens "delar" and "är" "ärenden"
_NOT_COUNTED = frozenset(
    {"behöver", "behövs", "krävs", "krävdes", "måste", "ska", "skall", "kan", "får", "fick", "gånger", "gång"}
    | {"är", "var", "blir", "vi", "ni", "de", "man", "av", "som", "finns", "fanns"}
)


Pointed = Literal["documents", "law"]

# A question about the municipality's own documents ("enligt styrmodellen", "hos oss"), or about the law
_POINTERS: tuple[tuple[Pointed, re.Pattern[str]], ...] = (
    (
        "law",
        re.compile(
            r"\b(?:enligt|enl|i|vad säger|står det i)\s+(?:\w+\s+)?(?:kommunallag\w*|"
            r"lag(?:en|ar|arna|stiftning\w*)?|KL|LKBR|"
            r"förvaltningslag\w*)\b|"
            r"\b(?:lagstadgad\w*|lagkrav\w*|enligt lag)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "documents",
        re.compile(
            r"\b(?:styrmodell\w*|styrdokument\w*|workshop\w*|dokument\w*|material\w*|hos oss|vår kommun)\b",
            re.IGNORECASE,
        ),
    ),
)


def pointed(question: str) -> Pointed | None:
    """The source the question asks about by name, if any: the law ("Vad är kommunstyrelsens uppgift enligt
    kommunallagen?") or the municipality's own documents ("… enligt styrmodellen", "hos oss")."""
    return next((source for source, pattern in _POINTERS if pattern.search(question)), None)


Asked = Literal["time", "actor", "count", "list", "process"]

# "målkedjan", "kedjan från KF ner till enheterna": a chain asks for its links in order, like a process; the word
# is rarely in the documents, what it is a chain of ("mål") is the topic
_CHAIN = r"kedj(?:a|an|or|orna|ans)"
_CHAIN_WORD = re.compile(rf"^(\w*?){_CHAIN}$")


def without_chain(word: str) -> str:
    """A word without the chain it names: "målkedjan" → "mål", "kedjan" → ""; other words as they are."""
    return _CHAIN_WORD.sub(r"\1", word)


_ASKED: tuple[tuple[Asked, re.Pattern[str]], ...] = (
    (
        "time",
        re.compile(
            # "när" asks when, unless it opens a clause of a question after something else ("Hur går det till när …?")
            r"^(?!\W*(?:hur|vad|vem|vems|vilk\w*)\b).*\bnär\b|(?:[,;:–-]\s*|\b(?:och|eller|men|samt|senast|sen|då)\s+)när\b|"
            r"\bnär\s*\?|"
            r"\b(?:vilket datum|vilken dag|vilken månad|hur lång tid|hur länge|inom vilken tid\w*|inom hur|"
            r"hur ofta|hur snart|hur tidigt|hur långt i förväg|senast|tidsram\w*|tidsperspektiv\w*|period)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "actor",
        re.compile(
            r"^\W*(?:och\s+)?vem\b|\b(?:vem|vilka) (?:beslutar|bestämmer|ansvarar|gör|leder|tar fram|godkänner|"
            r"fastställer|väljer|utser|bereder|lämnar|överlämnar|äger|sköter)\b|\bvilket organ\b|\bvilken nämnd\b|"
            r"\bpå vems\b|\båt vem\b|\btill vem\b",
            re.IGNORECASE,
        ),
    ),
    ("count", re.compile(r"\bhur många\b|\bhur stor (?:del|andel)\b|\bantal(?:et)?\b", re.IGNORECASE)),
    (
        "list",
        re.compile(
            r"\b(?:vad (?:ska|bör|måste|kan)\s+\w+(?:\s+\w+)?\s+innehålla|vad innehåller|vad ingår|"
            r"vilka (?:\w+ )?(?:delar|steg|frågor|punkter|roller|uppdrag|perspektiv|faktorer|principer|datum|nivåer|"
            r"forum|uppgifter|krav|typer|sorter|sorters|slags|former|varianter|alternativ)|"
            # "Vilka är med i den vertikala dialogen?", "vilka är det som möts där?": who take part
            r"vilka (?:är det som |som )?(?:är med|deltar|ingår|medverkar|möts|träffas)|"
            r"i vilka)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "process",
        re.compile(
            rf"\b(?:hur går\b.*\btill|hur ser\b.*\but|hur hänger\b.*\bihop|hur funkar|hur fungerar|\w*processen|"
            rf"\w*{_CHAIN}|i vilken ordning|vilka steg|steg för steg|vem gör vad)\b",
            re.IGNORECASE,
        ),
    ),
)
_MONTH = rf"(?:{'|'.join(MONTHS)})"
_SPRING = r"vår(?:en|ens|as|termin\w*|budget\w*)"  # not "vår" alone, which is mostly "our"
_NUMBER = r"(?:\d+|en|ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|fjorton|femton|tjugo|trettio)"
_HOLDS: dict[Asked, re.Pattern[str]] = {
    "time": re.compile(
        rf"\b(?:\d{{1,2}}/\d{{1,2}}|{_MONTH}|{_NUMBER}(?: till {_NUMBER})? (?:dag|dagar|dagen|vecka|veckor|månad|"
        rf"månader|år)|årligen|varje (?:år|månad|vecka)|(?:ett|två|tre|fyra)årig\w*|{_SPRING}|höst\w*|mandatperiod\w*|"
        rf"klockan \w+|kl\.? ?\d+|\d{{1,2}}[.:]\d{{2}}|vardag\w*|helg\w*|(?:mån|tis|ons|tors|fre|lör|sön)dag\w*)\b",
        re.IGNORECASE,
    ),
    "actor": re.compile(
        r"\b(?:\w*fullmäktige\w*|kf|ks|\w*styrelse\w*|\w*nämnd\w*|förvaltning\w*|\w*chef\w*|\w*direktör\w*|"
        r"revisor\w*|revision\w*|bolag\w*|ordförande\w*|presidi\w*|\w*utskott\w*|ekonomi\w*|tjänste\w*|"
        r"medarbetar\w*|politiker\w*|förtroendevald\w*|\w*stämma\w*)\b",
        re.IGNORECASE,
    ),
    "process": re.compile(  # a step of a process: when it happens, or what it comes after
        rf"\b(?:{_MONTH}|inleds|inleder|börjar|startar|därefter|sedan|efter|slutligen|först|följs|avslutas|"
        rf"{_SPRING}|höst\w*)\b",
        re.IGNORECASE,
    ),
    "count": re.compile(
        r"(?<![\d/])\b\d{1,3}\b(?![/\d])|\b(?:två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|tretton|fjorton|femton|"
        r"sexton|sjutton|arton|nitton|tjugo|trettio|hälft|tredjedel|fjärdedel|högst|"
        r"minst|flertal)\w*",
        re.IGNORECASE,
    ),
}


_NUMBERS = {"två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9, "tio": 10}
_COUNTED = re.compile(
    rf"\b(?:vilka|vad är|vad var|de|dess|våra|sina|kommunens)\s+({'|'.join(_NUMBERS)}|\d)\s+(\w{{4,}})", re.IGNORECASE
)


@dataclass(frozen=True)
class Counted:
    """What a question asks for a number of, by name ("Vilka fyra perspektiv …?": 4 "perspektiv")."""

    number: int
    noun: str

    def named_in(self, text: str) -> bool:
        """Whether a text names that many of them ("utifrån fyra perspektiv", "Tre styrprinciper",
        "Styrmodellens tre delar"): the number, then within a word a word that holds the noun."""
        words = re.findall(r"\w+", text.lower())
        root = self.noun[: max(4, len(self.noun) - 3)]  # "perspektiv" of "perspektiven", "del" of "delar"
        for at, word in enumerate(words):
            number = _NUMBERS.get(word, int(word) if word.isdigit() else 0)
            if number == self.number and any(root in later for later in words[at + 1 : at + 3]):
                return True
        return False


def counted(question: str) -> Counted | None:
    """The counted things a question asks for ("Vilka tre delar består styrmodellen av?": 3 "delar")."""
    match = _COUNTED.search(question)
    if match is None:
        return None
    number = match.group(1).lower()
    return Counted(_NUMBERS.get(number) or int(number), match.group(2).lower())


# The kinds of act a question asks who does, and a rule says who does: one rule answers another kind's
# question only where the kinds agree.
ACTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "prepare",
        re.compile(
            r"\b(?:tar|ta|tas|tog|tagit|tagits) fram|\b(?:bered|"
            r"förbered|föreslå|föreslag|utarbeta|upprätta|sammanställ|"
            r"skriv|skrev|formulera|arbeta\w* fram|snickra)\w*",
            re.IGNORECASE,
        ),
    ),
    (
        "decide",
        re.compile(
            r"\b(?:beslut|bestäm|fastställ|fastslå|godkän|klubba|avgör|välj|väljer|väljs|vald|utse|"
            r"utser|fattar|anställ|tillsätt|rekryter|avskeda|"
            r"antog)\w*|\banta(?:r|s|gits?|gen|get|gna)?\b",  # not "antal"
            re.IGNORECASE,
        ),
    ),
    (
        "lead",
        re.compile(  # "leda", not "ledamot"
            r"\b(?:leda|leds|leder|ledde|lett|ledande)\b|\b(?:samordna|driva|driver|verkställ|genomför|sköt)\w*",
            re.IGNORECASE,
        ),
    ),
    ("review", re.compile(r"\b(?:granska|granskar|pröva|prövar|bedöma|bedömer|kontrollera)\w*", re.IGNORECASE)),
)
_WHO_DOES = re.compile(r"\b(?:vem|vilka|vilken nämnd|vilket organ)\b(?:\s+är det)?(?:\s+som)?\s+(.*)", re.IGNORECASE)


def first_act(text: str) -> str | None:
    """The first kind of act a text names ("tar fram" → prepare), if any."""
    found = [(m.start(), kind) for kind, pattern in ACTS if (m := pattern.search(text))]
    return min(found)[1] if found else None


# "Vad är kommunstyrelsens uppgift?", "vad har KS egentligen för roll?", "Vad gör revisorerna?": what one body
# or role does, which the sentences that have it as their subject say
_ROLE_OF = (
    re.compile(
        r"\b(?:vad|vilken|vilka)\s+(?:är|var)\s+(?:egentligen\s+)?(?P<who>[\w:-]+)\s+(?:egentliga\s+)?"
        r"(?:roll|uppgift|uppgifter|uppdrag|ansvar|ansvarsområde)\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\bvad\s+har\s+(?P<who>[\w-]+)\s+(?:egentligen\s+|riktigt\s+)?för\s+(?:roll|uppgift\w*|uppdrag|ansvar)\b",
        re.IGNORECASE,
    ),
    re.compile(r"\bvad\s+gör\s+(?:egentligen\s+)?(?P<who>[\w-]+)\b", re.IGNORECASE),
)
_NOT_A_HOLDER = frozenset({"jag", "man", "vi", "du", "ni", "de", "det", "min", "mitt", "vår", "er", "den", "en", "ett"})


def role_holder(question: str) -> str | None:
    """The body or role whose part a question asks about ("Vad är kommunstyrelsens uppgift?" → "kommunstyrelsen",
    "vad är ks roll gentemot nämnderna" → "ks"), if it asks one; "Vad är min roll?" names none."""
    for pattern in _ROLE_OF:
        found = pattern.search(question)
        who = found.group("who").lower() if found is not None else ""
        who = who.removesuffix(":s") if who.endswith(":s") else who[:-1] if who.endswith("s") and len(who) > 4 else who
        if who and who not in _NOT_A_HOLDER:
            return who  # "kommunstyrelsens" → "kommunstyrelsen", "KS" as it is
    return None


def act_asked(question: str) -> str | None:
    """The kind of act a question asks who does ("Vem tog fram visionen?" → prepare), if it asks one."""
    asked_who = _WHO_DOES.search(question)
    return first_act(asked_who.group(1)) if asked_who else None


def names_act(kind: str, text: str) -> bool:
    """Whether a text names an act of that kind anywhere ("… bereds av en arbetsgrupp" → prepare)."""
    return any(each == kind and pattern.search(text) for each, pattern in ACTS)


def asked(question: str) -> frozenset[Asked]:
    """What kind of answer the question asks for: a time, an actor, a count, a list, a process (its steps)."""
    kinds = {kind for kind, pattern in _ASKED if pattern.search(question)}
    return frozenset(kinds | ({"list"} if counted(question) is not None else set()))  # "Vad är de tre delarna?"


def gives(kind: Asked, text: str) -> bool:
    """Whether a text gives an answer of that kind (a list is given by its shape, not its words; a step of a
    process by its time or sequence)."""
    pattern = _HOLDS.get(kind)
    return pattern is not None and pattern.search(text) is not None


_SEASONS = {
    "våren": (3, 4, 5),
    "vårens": (3, 4, 5),
    "våras": (3, 4, 5),
    "sommaren": (6, 7, 8),
    "sommarens": (6, 7, 8),
    "sommar": (6, 7, 8),
    "hösten": (9, 10, 11),
    "höstens": (9, 10, 11),
    "höst": (9, 10, 11),
    "vintern": (12, 1, 2),
    "vinterns": (12, 1, 2),
    "vinter": (12, 1, 2),
}
# a time the question asks about ("i oktober", "under hösten"), not a date it mentions ("per 31/8")
_ASKED_MONTH = re.compile(
    rf"\b(?:i|under|nu i|till)\s+({'|'.join(MONTHS)}|{'|'.join(sorted(_SEASONS, key=len, reverse=True))})\b",
    re.IGNORECASE,
)
_WHO = re.compile(r"^\W*(?:och\s+)?(?:vem|vilken nämnd|vilket organ)\b", re.IGNORECASE)
_WHEN = re.compile(r"^\W*(?:och\s+)?(?:när|senast när|vilket datum|vilken dag)\b", re.IGNORECASE)


def months_in(text: str) -> frozenset[int]:
    """The months a text names, by name, season or date ("höstens" → 9, 10, 11; "31/10" → 10)."""
    found: set[int] = set()
    for word in re.findall(r"[a-zåäö]+", text.lower()):
        if word in MONTHS:
            found.add(MONTHS.index(word) + 1)
        found.update(_SEASONS.get(word, ()))
    found |= {int(m) for m in re.findall(r"\b\d{1,2}/(\d{1,2})\b", text) if 1 <= int(m) <= 12}
    return frozenset(found)


def months_asked(question: str) -> frozenset[int]:
    """The months a question asks about ("… i oktober?", "… under hösten?")."""
    return months_in(" ".join(m.group(1) for m in _ASKED_MONTH.finditer(question)))


def asks_who(question: str) -> bool:
    """A question that opens by asking who ("Vem tog fram visionen?", "och vem ansvarar?")."""
    return _WHO.match(question) is not None


def asks_when(question: str) -> bool:
    """A question that opens by asking when ("När …?", "Vilket datum …?")."""
    return _WHEN.match(question) is not None


def answers_when(question: str, text: str) -> bool:
    """Whether a text can answer a question that asks when: it gives a time, and one in the months the
    question names, if it names any ("… i oktober?" is not answered by "18 april")."""
    if not gives("time", text):
        return False
    asked_months = months_asked(question)
    return not asked_months or bool(asked_months & months_in(text))
