"""Clusters of forms and the merges between them that need all the forms at once: a surname or given
name alone, spelling variants, a handle spelling a name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.entities.names import _best_form, _looks_like_person_name, decide_label, surface_key
from pipeline.entities.textutil import _camel_parts, _edit_distance, _fold, _lower
from pipeline.entities.vocabulary import FIRST_NAMES, ORG_NAME_WORDS
from pipeline.unionfind import UnionFind


@dataclass
class _Cluster:
    forms: Counter
    votes: Counter


def _clusters(forms: Sequence[str], votes: Sequence[Counter], groups: UnionFind) -> dict[str, _Cluster]:
    out: dict[str, _Cluster] = {}
    for form, vote in zip(forms, votes, strict=True):
        cluster = out.setdefault(groups.find(surface_key(form)), _Cluster(Counter(), Counter()))
        cluster.forms[form] += 1
        cluster.votes.update(vote)
    return out


def merge_partial_names(clusters: dict[str, _Cluster], groups: UnionFind) -> None:
    """Surname-only and first-name-only clusters join the one person whose full name they end or start."""
    people = {root: c for root, c in clusters.items() if _is_full_person_name(c)}
    name_parts = _name_part_owners(people)
    for root, cluster in clusters.items():
        if root in people or any(f.startswith("@") for f in cluster.forms) or _cue_label(cluster) in {
                "ORG", "LOC"}:
            continue
        words = tuple(_fold(w) for w in _best_form(cluster.forms).split())
        owners = {groups.find(r) for r in name_parts.get(words, ())}
        if len(owners) == 1:
            groups.union(owners.pop(), root)


def _name_part_owners(people: dict[str, _Cluster]) -> dict[tuple[str, ...], set[str]]:
    """Folded surnames (last words) and given names (first word) of each person's forms -> those people.

    The test of :func:`_is_part_of` as one lookup, instead of a scan of every form of every person for
    every cluster (quadratic on a whole corpus).
    """
    owners: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for root, person in people.items():
        for form in person.forms:
            full = [_fold(w) for w in form.split()]
            for n in range(1, len(full)):
                owners[tuple(full[-n:])].add(root)
            if len(full) > 1:
                owners[(full[0],)].add(root)
    return owners


def merge_name_variants(clusters: dict[str, _Cluster], groups: UnionFind) -> None:
    """Article-level variants: "Deep" for "DeepMind" (CamelCase head), a misspelt given name of a full one."""
    singles = {root: _best_form(c.forms) for root, c in clusters.items()
               if len(_best_form(c.forms).split()) == 1 and not _best_form(c.forms).startswith("@")}
    group_sizes = Counter(groups.find(root) for root in clusters)
    for root, form in singles.items():
        if group_sizes[groups.find(root)] > 1:
            continue  # already tied to a full name
        heads = {groups.find(r) for r, other in singles.items()
                 if r != root and _camel_parts(other)[:1] == [form] and len(_camel_parts(other)) > 1}
        heads |= {groups.find(r) for r, c in clusters.items()
                  if _is_company_suffixed(form, _best_form(c.forms))}
        if len(heads) == 1:
            groups.union(heads.pop(), root)
            continue
        if _lower(form) in FIRST_NAMES or clusters[root].votes.get("PER", 0) >= 1:
            near = {groups.find(r) for r, c in clusters.items() if _is_full_person_name(c)
                    and any(_near_given_name(form, f.split()[0]) for f in c.forms)}
            if len(near) == 1:
                groups.union(near.pop(), root)


def _is_company_suffixed(form: str, longer: str) -> bool:
    """"Ardentis" for "Ardentis Group" / "Ardentis AI": the same name with a company-type word added."""
    words = longer.split()
    return len(words) > 1 and words[0] == form and all(_lower(w) in ORG_NAME_WORDS for w in words[1:])


def _near_given_name(form: str, given: str) -> bool:
    """A misspelt given name (one or two letters off, same first four), not a gender pair (Jean/Jeanne)."""
    a, b = _fold(form), _fold(given)
    if a == b or len(a) < 5 or a[:4] != b[:4] or a.startswith(b) or b.startswith(a):
        return False
    return _edit_distance(a, b) <= 2


def _is_full_person_name(cluster: _Cluster) -> bool:
    best = _best_form(cluster.forms).split()
    return len(best) >= 2 and _looks_like_person_name(best) and decide_label(cluster.votes) == "PER"


def _is_part_of(words: list[str], full: list[str]) -> bool:
    """True when ``words`` are the last words (surname) or the first word (given name) of ``full``."""
    if not words or len(words) >= len(full):
        return False
    folded, full_folded = [_fold(w) for w in words], [_fold(w) for w in full]
    return full_folded[-len(words):] == folded or (len(words) == 1 and full_folded[0] == folded[0])


def _cue_label(cluster: _Cluster) -> str | None:
    """What the context alone says (spaCy's own votes removed), when it says something."""
    return None if not cluster.votes else decide_label(cluster.votes) if cluster.votes.get(
        "ORG", 0) >= 3 and cluster.votes.get("PER", 0) == 0 else None


def _merge_handles_named_like(groups: UnionFind) -> None:
    """"@Acme" belongs to "Acme", "@janedoe" to "Jane Doe": a handle spelling a known name exactly."""
    keys = list(groups.parent)
    names = {key for key in keys if not key.startswith("@")}
    for key in keys:
        if key.startswith("@") and _fold(key) in names:
            groups.union(key, _fold(key))
