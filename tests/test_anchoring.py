"""Event-anchored expressions and articles dated from the corpus, on short French articles written for it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import polars as pl
import pytest

from pipeline.anchoring import DateSteps, event_type_of_noun, resolve_dates
from pipeline.cache import SegmentCache
from pipeline.corpus_dating import candidate_days, values_on_days
from pipeline.events import extract_dated_events
from pipeline.schemas import validate
from pipeline.temporal import (
    articles_of,
    detect_temporal_expressions,
    event_offset,
    resolve_temporal_expressions,
)
from tests.test_events import entity_frames

NAMES = {"Marc Durand": "Marc Durand", "Biolux": "Biolux", "Nexa": "Nexa"}


def corpus(parse, articles: dict[str, tuple[str, dt.date | None]]):
    """documents frame and DateSteps over real parses of ``articles``: temporal expressions detected, then
    resolved over their rows (``handed_out``: the articles whose detected rows the corpus dating asked for,
    to try candidate days)."""
    parses = {doc_id: parse(text, reference_date=ref, doc_id=doc_id)
              for doc_id, (text, ref) in articles.items()}
    frames = [entity_frames(doc_id, text, NAMES) for doc_id, (text, _) in articles.items()]
    mentions = pl.concat([m for m, _ in frames])
    entities = pl.concat([e for _, e in frames]).unique("entity_id")
    documents = pl.DataFrame({
        "doc_id": list(articles),
        "reference_date": [ref for _, ref in articles.values()],
        "reference_date_basis": ["in_text" if ref else "none" for _, ref in articles.values()],
        "reference_date_evidence": [None] * len(articles),
        "content_sha256": [str(hash(text)) for text, _ in articles.values()],
    }, schema_overrides={"reference_date": pl.Date, "reference_date_evidence": pl.Utf8})

    handed_out: list[str] = []

    def parses_of(docs: pl.DataFrame):
        for doc_id, ref in docs.select("doc_id", "reference_date").iter_rows():
            yield replace(parses[doc_id], reference_date=ref)

    def tried_day_by_day(docs: pl.DataFrame) -> pl.DataFrame:
        handed_out.extend(docs["doc_id"].to_list())
        return detect_temporal_expressions(parses_of(docs))

    def timexes_of(docs: pl.DataFrame) -> pl.DataFrame:
        references = dict(docs.select("doc_id", "reference_date").iter_rows())
        return resolve_temporal_expressions(detect_temporal_expressions(parses_of(docs)), references)

    steps = DateSteps(
        timexes=timexes_of,
        events=lambda docs, timexes: extract_dated_events(parses_of(docs), timexes, mentions, entities),
        detected=tried_day_by_day,
    )
    return documents, steps, handed_out


DATED = ("Publié le 14 mars 2024. Jeudi, le conseil de Biolux a limogé son directeur Marc Durand "
         "après des pertes record.", dt.date(2024, 3, 14))
UNDATED = ("Marc Durand, limogé jeudi dernier par le conseil de Biolux, ne s'attendait pas à partir. "
           "Deux jours seulement après son limogeage, Marc Durand a rejoint Nexa comme directeur.", None)


@pytest.mark.parametrize(("phrase", "noun", "amount", "unit"), [
    ("un jour seulement après son limogeage", "limogeage", 1, "jour"),
    ("deux semaines avant l'élection", "élection", -2, "semaine"),
    ("au lendemain de sa nomination", "nomination", 1, "jour"),
    ("la veille du scrutin", "scrutin", -1, "jour"),
    ("trois ans après la création", "création", 3, "an"),
    ("six mois après son arrestation", "arrestation", 6, "mois"),
])
def test_event_offsets_are_read_back(phrase, noun, amount, unit):
    assert event_offset(phrase) == (noun, amount, unit)


def test_event_nouns_map_to_the_taxonomy():
    assert event_type_of_noun("limogeage") == "dismissal"
    assert event_type_of_noun("élections") == "election"
    assert event_type_of_noun("arrivée") is None


def test_event_anchored_expression_takes_the_articles_event_date(parse):
    text = ("Vendredi, le conseil de Biolux a limogé Marc Durand. Deux jours seulement après son limogeage, "
            "Marc Durand a rejoint Nexa.")
    documents, steps, _ = corpus(parse, {"a": (text, dt.date(2024, 3, 13))})
    dated = resolve_dates(documents, steps)
    timexes = validate("temporal_expressions", dated.temporal_expressions)
    anchored = timexes.filter(pl.col("text").str.starts_with("Deux jours")).row(0, named=True)
    friday = timexes.filter(pl.col("text") == "Vendredi").row(0, named=True)
    assert (anchored["value"], anchored["anchor"]) == ("2024-03-10", friday["timex_id"])
    events = validate("dated_events", dated.dated_events)
    hiring = events.filter(pl.col("event_type") == "hiring").row(0, named=True)
    assert (hiring["date_value"], hiring["participants"]) == ("2024-03-10", ["Marc Durand", "Nexa"])
    # the noun inside the expression is not an event of its own sentence
    assert events.filter(pl.col("date_value") == "2024-03-10")["event_type"].to_list() == ["hiring"]


def test_event_anchored_expression_without_its_event_stays_null(parse):
    text = "Deux jours après son limogeage, Marc Durand a rejoint Nexa."
    documents, steps, _ = corpus(parse, {"a": (text, dt.date(2024, 3, 13))})
    timexes = resolve_dates(documents, steps).temporal_expressions
    assert timexes.filter(pl.col("text").str.starts_with("Deux jours"))["value"].to_list() == [None]


def test_undated_article_is_dated_from_the_events_of_the_corpus(parse):
    documents, steps, _ = corpus(parse, {"a": DATED, "b": UNDATED})
    dated = resolve_dates(documents, steps)
    references = validate("reference_dates", dated.reference_dates)
    row = references.filter(pl.col("doc_id") == "b").row(0, named=True)
    # "jeudi dernier" = Thursday 14 March from 15 to 21 March; the earliest consistent day is kept
    assert (row["reference_date"], row["basis"]) == (dt.date(2024, 3, 15), "corpus")
    assert "'jeudi dernier'" in row["evidence"] and "(2024-03-14)" in row["evidence"]
    values = dict(dated.temporal_expressions.filter(pl.col("doc_id") == "b")
                  .select("text", "value").iter_rows())
    assert values["jeudi dernier"] == "2024-03-14"
    assert values["Deux jours seulement après son limogeage"] == "2024-03-16"
    hiring = dated.dated_events.filter((pl.col("doc_id") == "b") & (pl.col("event_type") == "hiring"))
    assert hiring["date_value"].to_list() == ["2024-03-16"]
    assert references.filter(pl.col("doc_id") == "a")["basis"].to_list() == ["in_text"]


def test_undated_article_without_agreeing_reports_keeps_no_date(parse):
    unrelated = ("Publié le 14 mars 2024. Jeudi, la ministre a inauguré un pont à Lyon.",
                 dt.date(2024, 3, 14))
    documents, steps, _ = corpus(parse, {"a": unrelated, "b": UNDATED})
    dated = resolve_dates(documents, steps)
    row = dated.reference_dates.filter(pl.col("doc_id") == "b").row(0, named=True)
    assert (row["reference_date"], row["basis"]) == (None, "none")
    values = dated.temporal_expressions.filter(pl.col("doc_id") == "b")["value"].to_list()
    assert values == [None, None]


def test_candidate_days_are_tried_over_rows_without_the_parse(parse, tmp_path):
    """The undated article's detected rows, written to parquet and read back (no Doc left), take each
    candidate day's values: ``jeudi dernier`` is the Thursday before the day tried."""
    path = tmp_path / "detected.parquet"
    detect_temporal_expressions([parse(UNDATED[0], doc_id="b")]).write_parquet(path)
    [article] = articles_of(pl.read_parquet(path))
    ids = {t.timex_id: t for items in article.by_paragraph for t in items}
    thursday = next(i for i, item in ids.items() if item.row["text"] == "jeudi dernier")
    days = [dt.date(2024, 3, 15), dt.date(2024, 3, 22)]
    values = values_on_days([article], {"b": ((thursday,), days)})["b"]
    assert {day: values[day][thursday] for day in days} == {
        dt.date(2024, 3, 15): ("2024-03-14", "day"), dt.date(2024, 3, 22): ("2024-03-21", "day")}


def test_candidate_day_values_are_cached_and_only_new_days_are_resolved_again(parse, tmp_path):
    cache = SegmentCache(tmp_path / "values")
    documents, steps, handed_out = corpus(parse, {"a": DATED, "b": UNDATED})
    first = resolve_dates(documents, steps, cache).reference_dates
    assert handed_out == ["b"]  # its rows once, for every candidate day
    handed_out.clear()
    again = resolve_dates(documents, steps, cache).reference_dates
    assert handed_out == [] and again.equals(first)  # nothing tried day by day again
    moved = ("Publié le 21 mars 2024. Jeudi, le conseil de Biolux a limogé son directeur Marc Durand "
             "après des pertes record.", dt.date(2024, 3, 21))
    documents, steps, handed_out = corpus(parse, {"a": moved, "b": UNDATED})
    references = resolve_dates(documents, steps, cache).reference_dates
    row = references.filter(pl.col("doc_id") == "b").row(0, named=True)
    # the report moved a week: the article is tried again, on the days not tried before
    assert handed_out == ["b"] and row["reference_date"] == dt.date(2024, 3, 22)
    uncached = resolve_dates(documents, steps).reference_dates
    assert references.equals(uncached)


def test_an_undated_articles_answer_is_kept_until_the_reports_it_reads_change(parse, tmp_path):
    values, answers = SegmentCache(tmp_path / "values"), SegmentCache(tmp_path / "answers")
    documents, steps, handed_out = corpus(parse, {"a": DATED, "b": UNDATED})
    first = resolve_dates(documents, steps, values, answers).reference_dates
    assert handed_out == ["b"]
    # another article about someone else: b's answer comes from the cache, no candidate day is tried
    elsewhere = ("Publié le 2 avril 2024. Mardi, la société Orvane a présenté ses comptes.",
                 dt.date(2024, 4, 2))
    documents, steps, handed_out = corpus(parse, {"a": DATED, "b": UNDATED, "c": elsewhere})
    again = resolve_dates(documents, steps, SegmentCache(tmp_path / "no-values"), answers).reference_dates
    assert handed_out == [] and again.filter(pl.col("doc_id") != "c").equals(first)
    # the report b agrees with moves a week: b is dated again, as without any cache
    moved = ("Publié le 21 mars 2024. Jeudi, le conseil de Biolux a limogé son directeur Marc Durand "
             "après des pertes record.", dt.date(2024, 3, 21))
    documents, steps, handed_out = corpus(parse, {"a": moved, "b": UNDATED})
    references = resolve_dates(documents, steps, values, answers).reference_dates
    assert handed_out == ["b"]
    assert references.filter(pl.col("doc_id") == "b")["reference_date"].to_list() == [dt.date(2024, 3, 22)]
    assert references.equals(resolve_dates(documents, steps).reference_dates)


def test_candidate_days_never_leave_the_calendar() -> None:
    """A report dated on the last day of year 9999 (or the first of year 1) must not widen an undated
    article's candidate days past what ``datetime`` can hold: that crashed the whole dates stage."""
    from types import SimpleNamespace

    edges = {dt.date(9999, 12, 31).toordinal(), dt.date(1, 1, 1).toordinal(),
             dt.date(2023, 11, 17).toordinal()}
    days = candidate_days([SimpleNamespace(near=edges)])
    assert dt.date(2023, 11, 17) in days
    assert all(1800 <= day.year <= 2100 for day in days)
