"""One speaker under one name across the corpus: a role phrase left without an entity ("le conseil", "le
conseil d'administration") takes the full form another quotation of the corpus gives it with its entity
("le conseil d'administration d'OpenAI"), when that entity is named in the article too.

Per-article attribution cannot see that "conseil" in one article and "conseil d'administration d'OpenAI" in
another are the same speaker; this corpus step, a pure function of the ``quotes``, ``entity_mentions`` and
``entities`` rows, can. It only links when exactly one full form fits, so two boards of two companies named
in one article stay as written.
"""

from __future__ import annotations

import polars as pl

COMPLEMENT_JOINS = (" de ", " d'", " du ", " des ")  # "conseil d'administration" + " d'" + "OpenAI"


def link_speakers_across_corpus(
    quotes: pl.DataFrame, entity_mentions: pl.DataFrame, entities: pl.DataFrame
) -> pl.DataFrame:
    """``quotes`` with each entity-less role speaker replaced by the one full form "<role> de <entity>" that
    the corpus gives it elsewhere, with that entity's id, when the entity is mentioned in the same article."""
    full_forms = _full_forms(quotes, entities)
    if quotes.height == 0 or full_forms.height == 0:
        return quotes
    nominal = quotes.filter(
        pl.col("speaker_entity_id").is_null() & pl.col("speaker").is_not_null()
    ).select("quote_id", "doc_id", role=pl.col("speaker").str.to_lowercase())
    nominal = nominal.with_columns(first_word=pl.col("role").str.split(" ").list.first())
    pairs = (
        nominal.join(full_forms, on="first_word", how="inner")
        .filter((pl.col("head") == pl.col("role")) | pl.col("head").str.starts_with(pl.col("role") + " "))
        .join(
            entity_mentions.select("doc_id", pl.col("entity_id").alias("full_entity_id")).unique(),
            on=["doc_id", "full_entity_id"],
            how="semi",
        )
    )
    chosen = (
        pairs.group_by("quote_id")
        .agg(pl.col("full_speaker").unique(), pl.col("full_entity_id").first())
        .filter(pl.col("full_speaker").list.len() == 1)
        .select("quote_id", pl.col("full_speaker").list.first(), "full_entity_id")
    )
    return (
        quotes.join(chosen, on="quote_id", how="left")
        .with_columns(
            speaker=pl.coalesce("full_speaker", "speaker"),
            speaker_entity_id=pl.coalesce("full_entity_id", "speaker_entity_id"),
        )
        .select(quotes.columns)
    )


def _full_forms(quotes: pl.DataFrame, entities: pl.DataFrame) -> pl.DataFrame:
    """(first word, role head, full speaker, entity id) of every speaker written "<role> de <entity name>"
    whose entity was resolved: the forms a bare role may be completed to."""
    resolved = quotes.filter(pl.col("speaker_entity_id").is_not_null()).join(
        entities.select(pl.col("entity_id").alias("speaker_entity_id"), "name"), on="speaker_entity_id"
    )
    heads = [
        resolved.with_columns(
            head=pl.col("speaker").str.strip_suffix(pl.lit(join) + pl.col("name")).str.to_lowercase()
        ).filter(pl.col("speaker").str.ends_with(pl.lit(join) + pl.col("name")))
        for join in COMPLEMENT_JOINS
    ]
    return (
        pl.concat(heads)
        .select(
            first_word=pl.col("head").str.split(" ").list.first(),
            head="head",
            full_speaker="speaker",
            full_entity_id="speaker_entity_id",
        )
        .unique()
    )
