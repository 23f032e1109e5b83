"""The entity word lists of ``pipeline/lexicons/entity_*.txt``, read once.

Each file documents itself in its ``#`` header (what it holds, where it comes from). Kept apart from
:mod:`pipeline.entities` so the lists are data a reader can check and extend without touching code.
"""

from __future__ import annotations

from functools import cache

from pipeline.lexicons import read_lexicon


@cache
def demonyms() -> frozenset[str]:
    """Inhabitant nouns in lower case, with their feminine and plural forms ("toulousaines")."""
    out: set[str] = set()
    for word in read_lexicon("entity_demonyms.txt"):
        feminine = word + "ne" if word.endswith("ien") or word.endswith("éen") else (
            word if word.endswith("e") else word + "e")
        out.update({word, feminine, word + "s" if not word.endswith("s") else word, feminine + "s"})
    return frozenset(out)


@cache
def common_acronyms() -> frozenset[str]:
    """Initialisms that are common nouns ("pc", "nft"), lower case."""
    return frozenset(read_lexicon("entity_common_acronyms.txt"))


@cache
def event_words() -> frozenset[str]:
    """Words opening an event's name ("festival", "coupe"), lower case."""
    return frozenset(read_lexicon("entity_event_words.txt"))


@cache
def org_words() -> frozenset[str]:
    """Words opening an organisation's name ("comité", "fédération"), lower case."""
    return frozenset(read_lexicon("entity_org_words.txt"))


@cache
def periphrases() -> dict[str, str]:
    """Periphrasis (lower case) -> the place it names ("hexagone" -> "France")."""
    pairs = (line.split("=", 1) for line in read_lexicon("entity_periphrases.txt"))
    return {left.strip().lower(): right.strip() for left, right in pairs}
