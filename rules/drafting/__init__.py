"""Draft a municipality's profile from the text of its own governance documents.

A secretary gives Styrbot the municipality's styrmodell, årshjul or delegation documents; this package reads
their text, passage by passage (`entries.Passage`), and proposes the profile's entries in the documented
format (`docs/data-format.md`), each with the document's own words as its quote:

- **events**: every date rule of the annual cycle (`rules.date_phrases`), with who acts, the document's
  wording of the rule and the words a question about it will contain; a cell of a month-by-month overview
  is dated by its column when it names no date of its own;
- **decisions**: every sentence in which a body decides, adopts, approves or answers for something, or
  that says whether a matter may be delegated;
- **role principle**: the document's own sentences on VAD/NÄR and HUR/VEM.

Its parts: `text` (sentences and quotes), `actors` (who acts in a sentence), `keys` (the words that find an
entry), `events`, `decisions` (and the role principle), and `profile` (the whole draft: one entry per step,
the law's deadlines replaced, anchors and ids).

Nothing is invented: an entry the drafter is unsure of (a date the sentence may only mention, an actor it
cannot tell) carries the reason as `doubt`, and every entry is unconfirmed until a person accepts it.
Dates that are not part of the cycle (a year, one year's date, an example) are left out. Pure text work:
reading files is the caller's (`bot.profiles`), so this package still imports nothing else of Styrbot's.
"""

from rules.drafting.actors import acting_body, role_label
from rules.drafting.entries import Draft, Drafted, Passage
from rules.drafting.events import month_named
from rules.drafting.profile import draft
from rules.drafting.text import sentences

__all__ = ["Draft", "Drafted", "Passage", "acting_body", "draft", "month_named", "role_label", "sentences"]
