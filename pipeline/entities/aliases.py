"""Merging inside an article: the aliases any context allows (:func:`alias_pairs`), and the article's local
keys from them and the pairs the text ties (found by :mod:`pipeline.entities.resolve`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from pipeline import entity_lexicons as lex
from pipeline.entities.clusters import (
    _clusters,
    _merge_handles_named_like,
    merge_name_variants,
    merge_partial_names,
)
from pipeline.entities.names import cluster_key, surface_key
from pipeline.entities.textutil import _fold, _lower
from pipeline.entities.vocabulary import NAME_PARTICLES, TITLE_ARTICLE
from pipeline.unionfind import UnionFind


def local_keys(forms: Sequence[str], votes: Sequence[Counter], ties: Iterable[tuple[int, int]]) -> list[str]:
    """Canonical key of each mention inside one article (same key = same entity)."""
    groups = UnionFind()
    for form in forms:
        groups.add(surface_key(form))
    for i, j in ties:
        groups.union(surface_key(forms[i]), surface_key(forms[j]))
    for a, b in alias_pairs(forms):
        groups.union(surface_key(a), surface_key(b))
    _merge_handles_named_like(groups)
    clusters = _clusters(forms, votes, groups)
    merge_partial_names(clusters, groups)
    merge_name_variants(clusters, groups)
    final = _clusters(forms, votes, groups)
    canonical = {root: cluster_key(cluster.forms) for root, cluster in final.items()}
    return [canonical[groups.find(surface_key(f))] for f in forms]


# Words a name never ends with: a form ending with one was cut ("Welcome to", "Société des").
TRUNCATION_ENDS = {"to", "of", "the", "and", "for", "de", "du", "des", "d'", "la", "le", "les", "l'", "et",
                   "à", "au", "aux", "en", "pour", "sur"}
# "Ville de X", "Commune de X": the town itself.
TOWN_PREFIX = re.compile(r"^(?:ville|commune|cité)\s+(?:de|d')\s*(?=\S)", re.IGNORECASE)


def alias_pairs(forms: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs of forms of one article that name the same thing, whatever the context.

    A plural of the last word ("EA Sport" / "EA Sports"), a name cut after a function word ("Welcome
    to" / "Welcome to your home"), "Ville de X" / "X", an English or French article ("The New York
    Times" / "New York Times"), a periphrasis ("Hexagone" / "France").
    """
    counts = Counter(f for f in forms if not f.startswith("@"))
    distinct = list(counts)
    by_fold = {_fold(f): f for f in distinct}
    pairs: list[tuple[str, str]] = []
    for form in distinct:
        words = form.split()
        folded = _fold(form)
        event = _event_of_short_form(form, counts)
        if event is not None:
            pairs.append((form, event))
        spelled = [o for o in distinct
                   if " " in o and (_is_initialism_of(form, o) or _is_numbered_initialism(form, o))]
        if len(spelled) == 1:
            pairs.append((form, spelled[0]))
        if len(words) == 2 and words[0][:1].isupper() and _is_coined(words[1]) and words[1] in counts:
            pairs.append((form, words[1]))  # "Google DeepMind": a coined name after its parent's name
        if folded + "s" in by_fold and len(folded) >= 4:
            pairs.append((form, by_fold[folded + "s"]))
        if len(words) >= 2 and _lower(words[-1]) in TRUNCATION_ENDS:
            longer = [o for o in distinct if o != form and o.split()[:len(words)] == words]
            if longer:  # several: the one the article names first
                pairs.append((form, longer[0]))
        for pattern in (TOWN_PREFIX, TITLE_ARTICLE):
            bare = pattern.sub("", form.replace("’", "'"), count=1)
            if bare != form.replace("’", "'") and _fold(bare) in by_fold:
                pairs.append((form, by_fold[_fold(bare)]))
        target = lex.periphrases().get(_lower(form))
        if target is not None and _fold(target) in by_fold:
            pairs.append((form, by_fold[_fold(target)]))
    return pairs


def _is_initialism_of(short: str, long: str) -> bool:
    """"PSG" for "Paris Saint-Germain", "LoL" for "League of Legends": one letter per word exactly."""
    if " " in short or not 2 <= len(short) <= 6 or sum(c.isupper() for c in short) < 2 or not short.isalpha():
        return False
    every = [w for w in re.split(r"[\s'’-]+", long) if w]
    content = [w for w in every if _lower(w) not in NAME_PARTICLES | {"et", "l", "d", "of", "the", "and"}]
    return any(len(words) >= 2 and "".join(w[0] for w in words).casefold() == short.casefold()
               for words in (every, content))


def _is_coined(word: str) -> bool:
    """A coined brand name: a capital inside the word ("DeepMind", "WhatsApp"), not a common word or place."""
    return word[:1].isupper() and any(c.isupper() for c in word[1:]) and not word.isupper() and word.isalpha()


NUMBERED_INITIALISM = re.compile(r"([A-Z]{2,4})(\d{1,2})")


def _is_numbered_initialism(short: str, long: str) -> bool:
    """"PS5" for "Playstation 5": the number ends the long form and the letters spell the words before it
    (initials, or the letters of one word in order from its first)."""
    match = NUMBERED_INITIALISM.fullmatch(short)
    words = long.split()
    if match is None or len(words) < 2 or words[-1] != match.group(2):
        return False
    letters, head = match.group(1).casefold(), [w.casefold() for w in words[:-1]]
    if len(head) > 1:
        return "".join(w[0] for w in head) == letters
    return head[0][0] == letters[0] and re.search(".*".join(map(re.escape, letters)), head[0]) is not None


def _event_of_short_form(form: str, counts: Counter) -> str | None:
    """"les Jeux" for "Jeux européens de X": the article's most cited event opening with that word (ties:
    the first named)."""
    if " " in form or _lower(form) not in lex.event_words():
        return None
    events = [f for f in counts if len(f.split()) >= 2 and f.split()[0] == form]  # in reading order
    return max(events, key=lambda f: counts[f], default=None)  # ties: the first named
