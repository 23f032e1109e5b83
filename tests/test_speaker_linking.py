"""A role speaker without an entity takes the full form the corpus gives it elsewhere, with its entity."""

from __future__ import annotations

import polars as pl

from pipeline.schemas import empty_frame
from pipeline.speaker_linking import link_speakers_across_corpus


def _quotes(*rows: tuple[str, str, str | None, str | None]) -> pl.DataFrame:
    base = empty_frame("quotes")
    frame = pl.DataFrame(
        [
            {"quote_id": quote_id, "doc_id": doc_id, "paragraph_id": f"{doc_id}:p1", "doc_char_start": 0,
             "doc_char_end": 10, "text": "Nous maintenons notre décision", "kind": "direct",
             "speaker": speaker, "speaker_entity_id": entity_id, "cue": "déclarer", "confidence": 0.9,
             "quote_date": None}
            for quote_id, doc_id, speaker, entity_id in rows
        ],
        schema=base.schema,
    )
    return frame


ENTITIES = pl.DataFrame({"entity_id": ["E1", "E2"], "name": ["Verdalis", "Ostrane"], "label": ["ORG", "ORG"]})


def _mentions(*pairs: tuple[str, str]) -> pl.DataFrame:
    return pl.DataFrame({"doc_id": [d for d, _ in pairs], "entity_id": [e for _, e in pairs]})


def test_a_bare_role_takes_the_full_form_of_the_same_company_named_in_its_article():
    quotes = _quotes(
        ("a:q1", "a", "conseil de surveillance de Verdalis", "E1"),
        ("b:q1", "b", "conseil de surveillance", None),
        ("c:q1", "c", "conseil", None),
    )
    linked = link_speakers_across_corpus(quotes, _mentions(("a", "E1"), ("b", "E1"), ("c", "E1")), ENTITIES)
    assert linked["speaker"].to_list() == ["conseil de surveillance de Verdalis"] * 3
    assert linked["speaker_entity_id"].to_list() == ["E1"] * 3
    assert linked.schema == quotes.schema


def test_a_role_stays_as_written_when_its_article_does_not_name_the_company():
    quotes = _quotes(("a:q1", "a", "conseil de surveillance de Verdalis", "E1"),
                     ("b:q1", "b", "conseil", None))
    linked = link_speakers_across_corpus(quotes, _mentions(("a", "E1"), ("b", "E2")), ENTITIES)
    assert linked["speaker"].to_list() == ["conseil de surveillance de Verdalis", "conseil"]
    assert linked["speaker_entity_id"].to_list() == ["E1", None]


def test_two_companies_in_one_article_leave_the_role_ambiguous():
    quotes = _quotes(
        ("a:q1", "a", "porte-parole de Verdalis", "E1"),
        ("b:q1", "b", "porte-parole d'Ostrane", "E2"),
        ("c:q1", "c", "porte-parole", None),
    )
    linked = link_speakers_across_corpus(
        quotes, _mentions(("a", "E1"), ("b", "E2"), ("c", "E1"), ("c", "E2")), ENTITIES
    )
    assert linked.filter(pl.col("doc_id") == "c")["speaker"].to_list() == ["porte-parole"]


def test_a_bare_head_is_completed_but_another_word_is_not():
    quotes = _quotes(("a:q1", "a", "directeur financier de Verdalis", "E1"), ("b:q1", "b", "directeur", None),
                     ("c:q1", "c", "directrice", None))
    linked = link_speakers_across_corpus(quotes, _mentions(("a", "E1"), ("b", "E1"), ("c", "E1")), ENTITIES)
    full = "directeur financier de Verdalis"
    assert linked["speaker"].to_list() == [full, full, "directrice"]
