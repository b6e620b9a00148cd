"""The names a municipality's documents give its own companies and committees ("Rydbergahem AB",
"socialnämnden (SN)"), as the profile's lexicon, so that a question naming one of them knows who it is
about ("När ska Rydbergahem lämna sin årsredovisning?" is the companies' step)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rules.drafting.entries import Passage
from rules.intents import OWN_NAMES

# "Rydbergahem AB", "Lindås Stadshus AB", "Ödeby Energi AB": a company by its registered name
_COMPANY = re.compile(r"\b((?:[A-ZÅÄÖ][\wåäöé-]+\s+){0,2}[A-ZÅÄÖ][\wåäöé-]+)\s+AB\b")
# "barn- och utbildningsnämnden (BUN)", "socialnämnden (SN)": a committee and its short name
_COMMITTEE = re.compile(r"\b((?:[\wåäö]+-\s+och\s+)?[\wåäö]*nämnden)\s+\(([A-ZÅÄÖ]{1,4}N)\)")
# "SN, BUN, SBN: delårsrapport senast 30/9": committees by the short names they go by, in capitals
_SHORT_NAME = re.compile(r"\b(?!IN\b|EN\b)[A-ZÅÄÖ]{1,3}N\b")
_GENERIC = frozenset({"kommunen", "kommunens", "bolaget", "bolagen", "moderbolaget", "dotterbolaget"})


def local_names(passages: Iterable[Passage], municipality: str) -> dict[str, list[str]]:
    """The lexicon of the municipality's own names: its companies as "bolag" (the name with and without
    "AB"; not the municipality's name alone) and its committees' short names as "nämnd"."""
    own = municipality.lower().removesuffix(" kommun").removesuffix(" stad")
    companies: list[str] = []
    committees: list[str] = []
    for passage in passages:
        for match in _COMPANY.finditer(passage.text):
            name = " ".join(match.group(1).split()).lower()
            if name in _GENERIC or name.startswith(tuple(_GENERIC)):
                continue
            forms = [f"{name} ab"] + ([name] if name != own else [])
            companies += [form for form in forms if form not in companies]
        shorts = [m.group(2) for m in _COMMITTEE.finditer(passage.text)] + _SHORT_NAME.findall(passage.text)
        committees += [short.lower() for short in dict.fromkeys(shorts) if short.lower() not in committees]
    by_body = {"bolag": companies, "namnd": committees}
    return {canonical: by_body[body] for canonical, body in OWN_NAMES.items() if by_body[body]}
