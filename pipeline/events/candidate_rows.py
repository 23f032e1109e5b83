"""The candidate rows detection exports and resolution reads: their kinds and columns (a module of its own,
so that the resolution's code version does not include the detection's: ``pipeline/versions.py``)."""

from __future__ import annotations

import polars as pl

# One row per:
# - ``date``: a trigger and an expression of its sentence that may date it, with their tree distance;
# - ``happening``: an expression and the verb it dates if no trigger of its sentence takes it (rule 7);
# - ``inherit``: a trigger of a sentence without expression that takes a borrowed date (rules 5 and 6);
# - ``recent``: a ``venir de`` + trigger of a sentence without expression (rule 8);
# - ``signature``: an expression in the signature line of an embedded post (rules 4 and 6).
DATE, HAPPENING, INHERIT, RECENT_PAST, SIGNATURE = "date", "happening", "inherit", "recent", "signature"
CANDIDATE_SCHEMA: dict[str, pl.DataType] = {
    "doc_id": pl.Utf8,
    "order": pl.Int32,  # reading order of the row in its article: the order the rules consider them in
    "paragraph_id": pl.Utf8,
    "paragraph": pl.Int32,  # position of the paragraph in the article
    "post_owner": pl.Int32,  # the paragraph whose post signature dates this one's lines (rule 6), or null
    "sentence": pl.Int32,  # position of the sentence in the paragraph (null: a signature line)
    "kind": pl.Utf8,
    "token": pl.Int32,  # the trigger's (or verb's) token in the paragraph
    "event_type": pl.Utf8,
    "trigger": pl.Utf8,  # the ``trigger`` column of the event
    "timex_id": pl.Utf8,  # the expression (date, happening, signature rows)
    "distance": pl.Int32,  # date rows: dependency arcs between the trigger and the expression
    "breaks_narrative": pl.Boolean,  # inherit rows: the sentence does not continue the previous date
    "designators": pl.List(pl.Int64),  # document offsets of subjects that refer back to an organisation
    "doc_char_start": pl.Int64,  # the sentence (or signature line) in documents.text
    "doc_char_end": pl.Int64,
    "sentence_text": pl.Utf8,
}


def empty_candidates() -> pl.DataFrame:
    """No candidate rows, with their columns: what an article without candidates is cached as."""
    return pl.DataFrame(schema=CANDIDATE_SCHEMA)
