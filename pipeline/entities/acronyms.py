"""Whether a short form spells a long one: acronyms ("ANFR") and defined initialisms ("I3S")."""

from __future__ import annotations

import re

from pipeline.entities.textutil import _fold, _lower
from pipeline.entities.vocabulary import NAME_PARTICLES


def _abbreviates(short: str, long: str) -> bool:
    """"I3S" for "Laboratoire d'informatique, signaux et systèmes": each capital of the short form is a
    word's initial in the long one (a looser test than :func:`_is_acronym_of`, for defined initialisms)."""
    initials = {w[0].casefold() for w in re.split(r"[\s'’,-]+", long) if w}
    capitals = [c for c in short if c.isupper()]
    return bool(capitals) and " " not in short and all(c.casefold() in initials for c in capitals)


def _is_acronym_of(short: str, long: str) -> bool:
    """"ANFR" for "Agence nationale des fréquences": each content word gives the next letter(s)."""
    if " " in short or not 2 <= len(short) <= 8:
        return False
    if not short.isupper():  # "LoL" for "League of Legends": one letter per word, small words too
        every = [w for w in re.split(r"[\s'’-]+", long) if w]
        return (sum(c.isupper() for c in short) >= 2 and len(every) == len(short)
                and "".join(w[0] for w in every).casefold() == short.casefold())
    skipped = NAME_PARTICLES | {"et", "l", "d"}
    words = [_fold(w) for w in re.split(r"[\s'’-]+", long) if w and _lower(w) not in skipped]
    return len(words) >= 2 and _spells(_fold(short), words)


def _spells(letters: str, words: list[str]) -> bool:
    if not words:
        return not letters
    head, rest = words[0], words[1:]
    return any(_spells(letters[n:], rest) for n in range(1, min(len(head), len(letters)) + 1)
               if head.startswith(letters[:n]))
