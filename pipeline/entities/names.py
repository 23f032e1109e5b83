"""Labels, display names and keys of entities: the label a cluster's votes decide, its canonical name,
the keys that merge its forms and the stable entity id.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence

from pipeline.entities.textutil import _fold, _lower
from pipeline.entities.vocabulary import NAME_PARTICLES, ORG_NAME_WORDS, TITLE_ARTICLE
from pipeline.schemas import ENTITY_LABELS

_LABEL_PREFERENCE = {"PER": 3, "ORG": 2, "LOC": 1, "MISC": 0}


def decide_label(votes: Counter) -> str:
    """The label with the most evidence (ties: PER > ORG > LOC > MISC); MISC when there is none."""
    scored = [(votes.get(label, 0.0), _LABEL_PREFERENCE[label], label) for label in ENTITY_LABELS]
    best = max(scored)
    return best[2] if best[0] > 0 else "MISC"


def canonical_name(forms: Counter, label: str) -> str:
    """Longest well-formed full form for a person, most frequent well-formed form otherwise.

    ``forms`` is in reading order; on a tie the earlier form wins ("X (anciennement Y)" -> X).
    """
    order = {form: i for i, form in enumerate(forms)}
    if label == "PER":
        return max(forms, key=lambda f: (not f.startswith("@"), _is_well_formed(f, label), len(f.split()),
                                         forms[f], len(f), -order[f]))
    return max(forms, key=lambda f: (not f.startswith("@"), _is_well_formed(f, label),
                                     not _has_dropped_article(f, forms), forms[f], -order[f]))


def _has_dropped_article(form: str, forms: Iterable[str]) -> bool:
    """"The New York Times" when "New York Times" is among the forms: the bare one names it."""
    bare = TITLE_ARTICLE.sub("", form.replace("’", "'"), count=1)
    return bare != form.replace("’", "'") and any(_fold(other) == _fold(bare) for other in forms)


def _best_form(forms: Counter) -> str:
    return canonical_name(forms, "PER")


def cluster_key(forms: Counter) -> str:
    """Key of a group of forms: the compact key of its best form ("@handle" for a bare handle)."""
    return surface_key(_best_form(forms))


def surface_key(form: str) -> str:
    """Case-, accent-, space- and hyphen-insensitive key of one surface form ("Deep Mind" = "DeepMind")."""
    return handle_key(form) if form.startswith("@") else _fold(form) or form


def handle_key(form: str) -> str:
    return "@" + form.lstrip("@").lower()


def entity_id_for(key: str) -> str:
    """Stable id: derived from the canonical key only, so reruns give the same ids."""
    return "E" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def _is_well_formed(form: str, label: str) -> bool:
    """A person's words are all capitalised (particles aside); other names start with a capital."""
    words = form.split()
    if label != "PER":
        return words[0][:1].isupper() or words[0][:1].isdigit() or any(c.isupper() for c in words[0])
    return all(w[:1].isupper() or w[:1].isdigit() or w in NAME_PARTICLES or any(c.isupper() for c in w)
               for w in words)


def _looks_like_person_name(words: Sequence[str]) -> bool:
    """Two to four capitalised words (particles allowed), none of them an organisation word."""
    return 1 <= len(words) <= 4 and all(
        ((w[:1].isupper() and w[1:2].islower()) or len(w) == 1 or w.lower() in NAME_PARTICLES)
        and _lower(w) not in ORG_NAME_WORDS for w in words)
