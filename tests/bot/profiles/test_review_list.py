"""The review list written beside a draft: what a secretary reads before accepting it."""

from __future__ import annotations

from bot.profiles.review import review_list
from rules.drafting import Passage, draft
from rules.engine import load_synonyms
from rules.matching import Analyzer
from rules.models import Profile


def test_the_review_list_names_who_acts_in_swedish_which_years_and_the_doubts_first() -> None:
    passages = [
        Passage(
            "styrmodell",
            "Nämnderna lämnar sina delårsrapporter till kommunstyrelsen senast den 18 september.",
            "4.3 Delårsrapport",
            5,
        ),
        Passage(
            "styrmodell",
            "Under valår fastställer det nyvalda fullmäktige budgeten senast den 30 november.",
            "3.4 Valår",
            3,
        ),
        Passage("styrmodell", "Ärenden till nämnd: senast 3 v. före sammanträdet", "Löpande", 6),
    ]
    synonyms = load_synonyms()
    result = draft("provkommun", "Provkommun", {"styrmodell": {"title": "S", "file": "s.docx"}}, passages,
                   Analyzer(synonyms))  # fmt: skip
    text = review_list(Profile.model_validate(result.profile()))
    entries = [line for line in text.splitlines() if line.startswith("- ")]
    assert entries[0].startswith("- ⚠ **Ärenden till nämnd**") and "okänt vem" in entries[0]  # doubted first
    assert "– nämnden, senast den 18 september" in text  # the body in Swedish, the document's words for when
    assert "– kommunfullmäktige, senast den 30 november, bara valår" in text
    assert "(styrmodell, s. 5, 4.3 Delårsrapport)" in text
