"""Stemming from many threads at once, as the web server's worker threads do: Snowball keeps the word it works
on in the stemmer, so unguarded threads read each other's words (an IndexError, or a wrong stem)."""

from __future__ import annotations

import itertools
import sys
import threading
from typing import Any

import pytest

from knowledge.bm25 import stem as stem_for_search
from rules.matching import stem as stem_for_rules


@pytest.mark.parametrize("stem", [stem_for_rules, stem_for_search], ids=["rules", "knowledge"])
def test_many_threads_stemming_at_once_get_each_word_s_own_stem(stem: Any) -> None:
    words = ["".join(letters) + ending for letters in itertools.product("bdfgklmnprstvåäö", repeat=3)
             for ending in ("arnas", "ningen", "heterna")]  # fmt: skip
    expected = {word: stem(word) for word in words}
    stem.cache_clear()  # every word is stemmed again below, by the threads
    wrong: list[str] = []

    def stem_all(share: list[str]) -> None:
        try:
            wrong.extend(word for word in share if stem(word) != expected[word])
        except IndexError as error:  # what the race raises when it does not give a wrong stem
            wrong.append(repr(error))

    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as Python can, so that a race shows
    try:
        threads = [threading.Thread(target=stem_all, args=(words[i::8],)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switching)
    assert wrong == []
