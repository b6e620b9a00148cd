"""Text clean-up shared by every loader: Unicode form, bullets, hyphenation, whitespace."""

from __future__ import annotations

import re
import unicodedata

# Private-use bullets Word and PowerPoint exports leave behind (Symbol font U+F0B7 and friends).
_BULLETS = re.compile("[\uf0a7\uf0b7\uf0d8\uf076\uf0fc\u2022\u25aa\u25cf\u25e6\u2023\u2043\u25a0\u25a1]")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_CONTROL = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u00ad\u200b-\u200d\ufeff]")
# "förvaltnings-\nchefer" is one word; "planerings- och uppföljning" keeps its hyphen and space.
_HYPHEN_BREAK = re.compile(r"(\w)-\n\s*(?!(?:och|eller|samt|respektive|resp|som|till|men)\b)([a-zåäöé])")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]+")


def clean_line(text: str) -> str:
    """One line of text: NFC, no bullet glyphs or control characters, single spaces, trimmed."""
    text = unicodedata.normalize("NFC", text)
    text = _BULLETS.sub(" ", text)
    text = _PRIVATE_USE.sub("", text)
    text = _CONTROL.sub("", text)
    return _SPACES.sub(" ", text).strip()


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph as running text; a word broken with a hyphen at a line end is joined."""
    text = "\n".join(line.strip() for line in lines if line.strip())
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    return clean_line(text.replace("\n", " "))


def is_bullet(text: str) -> bool:
    """Whether a raw line starts with a bullet glyph (before cleaning)."""
    return bool(_BULLETS.match(text.lstrip()))


def join_cell(parts: list[str]) -> str:
    """A table cell's paragraphs on one line: "; " between items, a space after punctuation or before a dash."""
    text = ""
    for part in parts:
        glue = " " if not text or text[-1] in ".:;,!?–-" or part[0] in "–-•" else "; "
        text = f"{text}{glue}{part}" if text else part
    return text
