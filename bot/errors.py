"""The bot's errors, and the one Swedish wording of each that every channel shows.

    BotError
    ├── BadQuestion            a question that cannot be answered as asked
    │   ├── EmptyQuestion      no text
    │   └── QuestionTooLong    over MAX_QUESTION_CHARS
    ├── SubscriptionError
    │   ├── BadLeadDays        reminder days out of range
    │   └── SubscriptionEnded  a reminder's subscription has ended (its buttons do nothing)
    └── DatabaseUnavailable    the database cannot be opened

Errors carry what went wrong, not sentences; `swedish(exc)` words them, and the rules layer's own
errors (an unknown municipality, a broken profile) too, so the command line, Slack and the web say the
same thing in the same words (an unknown tag too). Messages of `str(exc)` are English, for developers and logs.
"""

from __future__ import annotations

from bot import texts
from rules import ProfileError, UnknownMunicipality, UnknownTag


class BotError(Exception):
    """Base class of the errors `bot/` raises for people to see (through `swedish`)."""


class BadQuestion(BotError):
    """A question that cannot be answered as asked."""


class EmptyQuestion(BadQuestion):
    """The question has no text."""

    def __init__(self) -> None:
        super().__init__("the question is empty")


class QuestionTooLong(BadQuestion):
    """The question is longer than `limit` characters (a question, not a document to read)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"the question is longer than {limit} characters")


class SubscriptionError(BotError):
    """Reminders that cannot be subscribed or acted on as asked."""


class BadLeadDays(SubscriptionError):
    """Days before a deadline that are not from 1 to `most`."""

    def __init__(self, most: int) -> None:
        super().__init__(f"lead days must be between 1 and {most}")


class SubscriptionEnded(SubscriptionError):
    """The subscription a reminder was sent for has ended."""

    def __init__(self, subscription_id: int) -> None:
        super().__init__(f"no active subscription {subscription_id}")


class DatabaseUnavailable(BotError):
    """The database cannot be opened (`detail`: the driver's first line, for the person who runs Styrbot)."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(f"the database cannot be opened: {detail}")


def swedish(exc: Exception) -> str:
    """What a person is told of `exc`, in Swedish."""
    match exc:
        case UnknownMunicipality():
            return texts.UNKNOWN_MUNICIPALITY.format(municipality=exc.municipality, known=", ".join(exc.known))
        case ProfileError():
            return texts.PROFILE_ERROR.format(error=exc)
        case EmptyQuestion():
            return texts.EMPTY_QUESTION
        case QuestionTooLong():
            return texts.QUESTION_TOO_LONG.format(limit=exc.limit)
        case UnknownTag():
            return texts.UNKNOWN_TAG.format(tag=exc.tag, name=exc.name, known=", ".join(exc.known))
        case BadLeadDays():
            return texts.REMINDERS_BAD_LEAD_DAYS
        case SubscriptionEnded():
            return texts.REMINDER_ENDED
        case DatabaseUnavailable():
            return texts.DATABASE_ERROR.format(error=exc.detail)
    return texts.FAILED
