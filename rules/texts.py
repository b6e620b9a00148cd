"""Every Swedish sentence the rules layer produces: dates, bodies, and the three kinds of answer."""

from __future__ import annotations

import re
from datetime import date

from rules.calendar import last_day

MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")

BODY_NAMES = {
    "kommunfullmaktige": "kommunfullmäktige",
    "kommunstyrelsen": "kommunstyrelsen",
    "namnd": "nämnden",
    "forvaltning": "förvaltningen",
    "revisorerna": "revisorerna",
    "bolag": "bolagen",
}

LAWS = {
    "KL": "Kommunallag (2017:725)",
    "LKBR": "Lag (2018:597) om kommunal bokföring och redovisning",
    "FL": "Förvaltningslag (2017:900)",
    "ABL": "Aktiebolagslag (2005:551)",
}

SIDE_NAMES = {"politik": "politikens", "forvaltning": "förvaltningens"}

ROLE_LEAD = {
    "politik": "Det här är en VAD/NÄR-fråga – den hör till politiken.",
    "forvaltning": "Det här är en HUR/VEM-fråga – den hör till förvaltningen.",
}
ROLE_ADVICE = {
    "politik": (
        "De förtroendevalda beslutar VAD och NÄR – mål, inriktning, omfattning, kvalitet och ramar – och sådana "
        "beslut får nämnden inte delegera (KL 6 kap 38 §); förvaltningen svarar för HUR och VEM."
    ),
    "forvaltning": (
        "Nämnden beslutar VAD och NÄR; HUR och VEM bestämmer förvaltningen. Att politiken bestämmer sådant vore "
        "detaljstyrning."
    ),
}
# "Vad är min roll?", "Vad skiljer politikens roll från förvaltningens?": the split itself, explained.
ROLE_EXPLAINED = {
    "politik": (
        "Som förtroendevald svarar du för VAD och NÄR: vad som ska uppnås, i vilken ordning och inom vilka ramar. "
        "Förvaltningen svarar för HUR och VEM: hur arbetet utförs och vem som gör det."
    ),
    "forvaltning": (
        "Som tjänsteperson svarar du för HUR och VEM: hur arbetet utförs och vem som gör det. De förtroendevalda "
        "svarar för VAD och NÄR: vad som ska uppnås, i vilken ordning och inom vilka ramar."
    ),
    None: (
        "Politiken svarar för VAD och NÄR: vad som ska uppnås, i vilken ordning och inom vilka ramar. Förvaltningen "
        "svarar för HUR och VEM: hur arbetet utförs och vem som gör det."
    ),
}
ROLE_BASIS = "KL 6 kap 38 § p1; 7 kap 1–2, 5 §§"
ROLE_BASIS_TEXT = (
    "Ärenden om verksamhetens mål, inriktning, omfattning eller kvalitet får inte delegeras (KL 6 kap 38 § p1). "
    "Direktören leder förvaltningen (KL 7 kap 1–2 §§) och anställda beslutar bara på delegation (KL 7 kap 5 §)."
)

DEADLINES_LEAD = "Flera datum gäller:"
LOCAL_PRACTICE = "Det här är {name}s egen ordning enligt styrdokumentet, inte ett krav i lag."
UNCONFIRMED = (
    "Obs: uppgiften kommer från ett utkast till kommunens profil som ingen har bekräftat ännu – kontrollera den "
    "mot källan nedan."
)
NATIONAL_RULE = "Regeln gäller alla kommuner enligt lag ({law})."
NATIONAL_RULES = "Reglerna gäller alla kommuner enligt lag ({laws})."
UNKNOWN_PLACE = (
    "Jag har ingen profil för {place}, så svaret bygger bara på lagen, som gäller alla kommuner. "
    "Kommunens egna styrdokument kan ha tidigare datum."
)


def format_date(day: date, weekday: bool = False) -> str:
    """ "31 oktober 2027", optionally "söndag 31 oktober 2027"."""
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def format_month(day: date) -> str:
    """ "juni 2027"."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def day_month(month: int, day: int | None = None) -> str:
    """ "1 mars", or "mars" without a day."""
    return f"{day} {MONTHS[month - 1]}" if day else MONTHS[month - 1]


def months_list(months: list[int]) -> str:
    """ "juni och juli", "mars, maj och oktober"."""
    return listing([MONTHS[m - 1] for m in months])


def listing(items: list[str]) -> str:
    """Items as Swedish lists them: "a", "a och b", "a, b och c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1]


def body_name(body: str | None) -> str | None:
    """The Swedish name of a body id."""
    return BODY_NAMES.get(body) if body else None


def law_parts(reference: str) -> tuple[str, str]:
    """("Kommunallag (2017:725)", "11 kap 10 §") from "KL 11 kap 10 §"."""
    code, _, rest = reference.partition(" ")
    title = LAWS.get(code)
    return (title, rest) if title else (reference, "")


def capitalise(text: str) -> str:
    """The text with its first letter in upper case."""
    return text[:1].upper() + text[1:]


def sentence(text: str) -> str:
    """The text ending with a full stop."""
    text = text.strip()
    return text if re.search(r"[.!?]$", text) else text + "."


def quote(text: str) -> str:
    """A Swedish quotation: ”text”."""
    return f"”{' '.join(text.split())}”"


def deadline_when_fixed(month: int, day: int) -> str:
    """The wording of a fixed date."""
    return f"senast den {day_month(month, day)}"


def yearless(when: str) -> str:
    """A date whose year the source does not name: "den 23 maj (år anges inte i källan)"."""
    return f"{when} (år anges inte i källan)"


def deadline_when_month_end(month: int) -> str:
    """The wording of a month-end deadline: "senast den 30 april" ("den sista februari": it varies)."""
    if month == 2:
        return "senast den sista februari"
    return f"senast den {day_month(month, last_day(2025, month))}"


def deadline_when_month(month: int) -> str:
    """The wording of an event in a month."""
    return f"i {MONTHS[month - 1]}"


def deadline_when_monthly(except_months: list[int]) -> str:
    """The wording of a monthly event."""
    return f"varje månad utom {months_list(except_months)}" if except_months else "varje månad"


def next_time(day: date, precision: str) -> str:
    """ "Nästa gång: …"."""
    when = format_month(day) if precision == "month" else format_date(day, weekday=True)
    return f"Nästa gång: {when}."


def who_acts(name: str) -> str:
    """ "Ansvarig: …"."""
    return f"Ansvarig: {name}."


def who_decides_lead(who: str) -> str:
    """The first sentence of a who-decides answer."""
    return f"Svar: {who}."


def delegation(delegable: bool | None) -> str | None:
    """A sentence on whether the decision may be delegated."""
    if delegable is True:
        return "Beslutet får delegeras."
    if delegable is False:
        return "Beslutet får inte delegeras – det måste fattas av organet självt."
    return None


GUIDANCE = "kommunal vägledning"


def role_reasons(reasons: tuple[str, ...]) -> str:
    """ "Frågan handlar om …"."""
    items = list(reasons[:2])
    joined = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1]
    return f"Frågan handlar om {joined}."


def role_principle(name: str, politik: str, forvaltning: str) -> str:
    """The municipality's own wording of the split (or the guidance's, when it has none)."""
    said = f"Så beskrivs rollfördelningen i {GUIDANCE}" if name == GUIDANCE else f"Så beskriver {name} rollfördelningen"
    return f"{said}: {quote(politik)} {quote(forvaltning)}"


def role_side(name: str, words: str) -> str:
    """The municipality's own words for one side of the split (or the guidance's)."""
    said = f"Så beskrivs det i {GUIDANCE}" if name == GUIDANCE else f"Så säger {name}"
    return f"{said}: {quote(words)}"
