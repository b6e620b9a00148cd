"""Errors of the rules layer.

    RulesError
    ├── ProfileError          a profile file is missing, unreadable or invalid (names file and key)
    ├── UnknownMunicipality   no profile with that id (carries the known ids)
    └── UnknownTag            no event of the municipality's årshjul has that tag (carries the known tags)

Messages are English for developers; `bot/` turns them into Swedish for people.
"""

from __future__ import annotations


class RulesError(Exception):
    """Base class of every error raised by `rules`."""


class ProfileError(RulesError):
    """A profile file is invalid: the message names the file, the key and the reason."""

    def __init__(self, file: str, key: str, reason: str) -> None:
        self.file = file
        self.key = key
        self.reason = reason
        where = f"{file}: {key}" if key else file
        super().__init__(f"{where}: {reason}")


class UnknownMunicipality(RulesError):
    """No municipality profile has this id."""

    def __init__(self, municipality: str, known: tuple[str, ...]) -> None:
        self.municipality = municipality
        self.known = known
        super().__init__(f"unknown municipality {municipality!r}; known: {', '.join(known)}")


class UnknownTag(RulesError):
    """A tag that no event of the municipality's årshjul has."""

    def __init__(self, tag: str, name: str, known: tuple[str, ...]) -> None:
        self.tag, self.name, self.known = tag, name, known
        super().__init__(f"unknown tag {tag!r} for {name}; known: {', '.join(known)}")
