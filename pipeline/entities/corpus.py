"""Corpus-level merge: join the article keys across articles, decide labels and names, build the
``entity_mentions`` and ``entities`` tables.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

import polars as pl

from pipeline.entities.clusters import _Cluster, _is_part_of, _merge_handles_named_like, merge_partial_names
from pipeline.entities.names import canonical_name, cluster_key, decide_label, entity_id_for, surface_key
from pipeline.entities.records import Mention, mentions_frame
from pipeline.entities.textutil import _fold
from pipeline.schemas import empty_frame
from pipeline.unionfind import UnionFind


def merge_corpus(documents: Iterable[Sequence[Mention]]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Join article keys across the corpus, decide labels and names, build the two tables."""
    return merge_corpus_rows(mentions_frame(m for doc in documents for m in doc))


def merge_corpus_rows(rows: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """:func:`merge_corpus` over the per-article mention rows (:data:`MENTION_ROW_SCHEMA`, any row order).

    Reading order (which breaks ties between name forms) is article id, then mention id. Runs over the
    whole corpus on every run, a re-run adding one article too: it reads the few columns the merge needs
    as lists (no object per mention: at 10,000 articles there are over half a million) and works on
    distinct keys and (key, form) pairs; the mention table is the rows with their entity.
    """
    rows = rows.sort(["doc_id", "mention_id"], maintain_order=True)
    keys: list[str] = rows.get_column("local_key").to_list()
    votes = _parsed_votes(rows.get_column("votes").to_list())
    form_counts = Counter(zip(keys, rows.get_column("form").to_list(), strict=True))  # in reading order
    groups = UnionFind()
    for key in dict.fromkeys(keys):
        groups.add(key)
    forms_by_key: dict[str, set[str]] = defaultdict(set)
    for key, form in form_counts:
        forms_by_key[key].add(form)
    for key, forms in sorted(forms_by_key.items()):
        for form in sorted(forms):  # "@h" tied to its owner, "Y" former name of "X": true everywhere
            if _is_shareable_alias(form, forms):
                groups.union(key, surface_key(form))
    _merge_handles_named_like(groups)
    by_key = _grouped_clusters(form_counts, _vote_totals(keys, votes), {key: key for key in forms_by_key})
    merge_partial_names({groups.find(k): c for k, c in _rooted(by_key, groups).items()}, groups)
    root_of = {key: groups.find(key) for key in forms_by_key}
    roots = _grouped_clusters(form_counts, _vote_totals([root_of[key] for key in keys], votes), root_of)
    del votes
    docs = _docs_by_group(rows.get_column("doc_id").to_list(), keys, root_of)
    return _tables(rows, keys, roots, root_of, docs)


def _vote_totals(owners: Sequence[str], votes: Sequence[tuple[tuple[str, float], ...]]) -> dict[str, Counter]:
    """Votes summed per owner (key or group) mention by mention, in reading order: the same float sums.

    Cheaper than ``Counter.update(dict(votes))`` per mention; labels are unique within a mention's votes.
    """
    totals: dict[str, Counter] = defaultdict(Counter)
    for owner, vote in zip(owners, votes, strict=True):
        total = totals[owner]
        for label, weight in vote:
            total[label] = total.get(label, 0) + weight
    return totals


def _grouped_clusters(form_counts: Counter, votes: dict[str, Counter],
                      group_of: Mapping[str, str]) -> dict[str, _Cluster]:
    """Clusters from the (key, form) counts, forms kept in reading order (names break ties on it)."""
    out: dict[str, _Cluster] = {}
    for (key, form), n in form_counts.items():
        group = group_of[key]
        cluster = out.get(group)
        if cluster is None:
            cluster = out[group] = _Cluster(Counter(), votes[group])
        cluster.forms[form] += n
    return out


def _docs_by_group(doc_ids: Sequence[str], keys: Sequence[str],
                   root_of: dict[str, str]) -> dict[str, set[str]]:
    """The articles each group of keys is mentioned in."""
    docs: dict[str, set[str]] = defaultdict(set)
    for doc_id, key in zip(doc_ids, keys, strict=True):
        docs[root_of[key]].add(doc_id)
    return docs


def _is_shareable_alias(form: str, forms: set[str]) -> bool:
    """A form that names the entity on its own anywhere: not a surname, given name or truncation."""
    if form.startswith("@"):
        return True
    folded = _fold(form)
    return not any(other != form and len(other) > len(form) and (
        _is_part_of(form.split(), other.split()) or _fold(other).startswith(folded)) for other in forms)


def _rooted(by_key: dict[str, _Cluster], groups: UnionFind) -> dict[str, _Cluster]:
    out: dict[str, _Cluster] = {}
    for key, cluster in sorted(by_key.items()):
        merged = out.setdefault(groups.find(key), _Cluster(Counter(), Counter()))
        merged.forms.update(cluster.forms)
        merged.votes.update(cluster.votes)
    return out


def _tables(rows: pl.DataFrame, keys: Sequence[str], roots: dict[str, _Cluster], root_of: dict[str, str],
            docs: dict[str, set[str]]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Both tables from the final groups (``roots``) and each key's group (``root_of``)."""
    entity_of, entities = _entities(roots, docs)
    labels = {eid: decide_label(row["votes"]) for eid, row in entities.items()}
    entity_by_key = {key: entity_of[root] for key, root in root_of.items()}
    entity_rows = [{
        "entity_id": eid, "name": row["name"], "label": labels[eid],
        "aliases": sorted(row["forms"] - {row["name"]}), "n_mentions": row["mentions"],
        "n_documents": len(row["docs"]),
    } for eid, row in sorted(entities.items())]
    entity_ids = pl.Series("entity_id", [entity_by_key[key] for key in keys], dtype=pl.Utf8)
    return _mention_frame(rows, entity_ids, labels), _frame("entities", entity_rows)


def _entities(roots: dict[str, _Cluster],
              docs: dict[str, set[str]]) -> tuple[dict[str, str], dict[str, dict]]:
    """Each group's entity id, and per entity its name, votes, forms and counts (groups may share a name)."""
    entities: dict[str, dict] = {}
    entity_of: dict[str, str] = {}
    for root, cluster in sorted(roots.items()):
        name = canonical_name(cluster.forms, decide_label(cluster.votes))
        entity_id = entity_id_for(cluster_key(Counter({name: 1})))
        entity_of[root] = entity_id
        row = entities.setdefault(entity_id, {"entity_id": entity_id, "name": name, "votes": Counter(),
                                              "forms": set(), "mentions": 0, "docs": set()})
        row["votes"].update(cluster.votes)
        row["forms"].update(cluster.forms)
        row["mentions"] += cluster.forms.total()
        row["docs"].update(docs[root])
    return entity_of, entities


def _mention_frame(rows: pl.DataFrame, entity_ids: pl.Series, labels: dict[str, str]) -> pl.DataFrame:
    """The mention table: the mention rows with their entity and its label, sorted by polars."""
    schema = empty_frame("entity_mentions").schema
    if rows.is_empty():
        return empty_frame("entity_mentions")
    frame = rows.with_columns(entity_id=entity_ids).with_columns(
        label=pl.col("entity_id").replace_strict(labels, return_dtype=pl.Utf8))
    return frame.select(schema.keys()).cast(schema).sort(["doc_id", "doc_char_start", "mention_id"],
                                                         maintain_order=True)


def _frame(table: str, rows: list[dict]) -> pl.DataFrame:
    empty = empty_frame(table)
    return pl.DataFrame(rows, schema=empty.schema) if rows else empty


def _parsed_votes(texts: list[str]) -> list[tuple[tuple[str, float], ...]]:
    """Votes JSON to tuples, each distinct string parsed once (equal votes share one tuple)."""
    parsed = {text: tuple((label, float(weight)) for label, weight in json.loads(text))
              for text in set(texts)}
    return [parsed[text] for text in texts]
