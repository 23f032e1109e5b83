"""Dated events and the timeline, on short French passages with hand-built entity frames."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from pipeline.events import build_timeline, extract_dated_events
from pipeline.schemas import empty_frame, validate
from pipeline.temporal import extract_temporal_expressions

REF = dt.date(2024, 3, 13)  # a Wednesday


def entity_frames(doc_id: str, text: str, names: dict[str, str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Mentions of every surface form in ``names`` (surface -> canonical name) found in ``text``."""
    mentions, entities = [], {}
    for surface, canonical in names.items():
        entity_id = "e:" + canonical.lower().replace(" ", "_")
        entities[entity_id] = canonical
        start = text.find(surface)
        while start >= 0:
            mentions.append({"doc_id": doc_id, "doc_char_start": start, "doc_char_end": start + len(surface),
                             "mention_id": f"{doc_id}:m{len(mentions)}", "paragraph_id": "p",
                             "entity_id": entity_id, "text": surface, "label": "PER", "ner_label": "PER"})
            start = text.find(surface, start + len(surface))
    mention_frame = pl.DataFrame(mentions, schema=empty_frame("entity_mentions").schema)
    entity_frame = pl.DataFrame(
        [{"entity_id": k, "name": v, "label": "PER", "aliases": [], "n_mentions": 1, "n_documents": 1}
         for k, v in entities.items()], schema=empty_frame("entities").schema)
    return mention_frame, entity_frame


@pytest.fixture(scope="module")
def events_of(parse):
    def _events(text: str, names: dict[str, str], reference: dt.date | None = REF, doc_id: str = "d1"):
        parsed = parse(text, reference_date=reference, doc_id=doc_id)
        timexes = extract_temporal_expressions([parsed])
        mentions, entities = entity_frames(doc_id, text, names)
        return validate("dated_events", extract_dated_events([parsed], timexes, mentions, entities))

    return _events


def test_dismissal_dated_by_a_weekday(events_of):
    text = "Le club a limogé vendredi son entraîneur Marc Dubreuil après une série de défaites."
    frame = events_of(text, {"Marc Dubreuil": "Marc Dubreuil"})
    row = frame.row(0, named=True)
    assert (row["date_value"], row["event_type"], row["trigger"]) == ("2024-03-08", "dismissal", "limoger")
    assert row["participants"] == ["Marc Dubreuil"]
    assert text[row["doc_char_start"]:row["doc_char_end"]] == row["sentence"] == text


@pytest.mark.parametrize(("text", "event_type"), [
    ("Hier, la députée Claire Fontaine a démissionné de son poste.", "resignation"),
    ("Claire Fontaine a été nommée ministre de la Culture lundi.", "appointment"),
    ("Claire Fontaine a fondé son entreprise en 2012.", "founding"),
    ("Claire Fontaine est décédée dimanche à l'âge de 90 ans.", "death"),
    ("Claire Fontaine a été interpellée mardi soir à son domicile.", "arrest"),
    ("Claire Fontaine a été condamnée le 4 mars 2024 à deux ans de prison.", "trial"),
    ("Lundi, Claire Fontaine a déclaré qu'elle soutenait le projet.", "statement"),
])
def test_event_types_from_lemmas(events_of, text, event_type):
    frame = events_of(text, {"Claire Fontaine": "Claire Fontaine"})
    assert event_type in frame["event_type"].to_list()
    typed = frame.filter(pl.col("event_type") == event_type)
    assert typed["participants"].to_list()[0] == ["Claire Fontaine"]


def test_no_event_without_a_valued_date(events_of):
    names = {"Claire Fontaine": "Claire Fontaine"}
    assert events_of("Claire Fontaine a démissionné de son poste.", names).is_empty()
    assert events_of("Vendredi, Claire Fontaine a démissionné.", names, reference=None).is_empty()


def test_hypothetical_and_wished_actions_are_not_events(events_of):
    names = {"Paul Girard": "Paul Girard"}
    assert events_of("Selon ses proches, Paul Girard démissionnerait dès ce week-end.", names).is_empty()
    assert events_of("Lundi, le syndicat veut le retour de Paul Girard.", names).filter(
        pl.col("event_type") == "return").is_empty()


def test_page_stamp_is_not_a_statement(events_of):
    names = {"Claire Fontaine": "Claire Fontaine"}
    stamp = ("Publié le 11 mars 2024 à 10h12 par Claire Fontaine. Mis à jour le 12 mars 2024 à 08h00.\n\n"
             "La mairie a fermé la piscine lundi.")
    assert events_of(stamp, names).is_empty()
    inline = "La piscine a fermé lundi. Publié le 11 mars 2024 à 10h12 par Claire Fontaine."
    assert events_of(inline, names).is_empty()
    report = events_of("Claire Fontaine a publié le 11 mars 2024 un rapport sur la piscine.", names)
    assert report["event_type"].to_list() == ["statement"]


@pytest.mark.parametrize(("text", "names", "is_death"), [
    ("Lundi, le roman est mort, selon le critique.", {}, False),
    ("Lundi, la mort du roman a été annoncée par les éditeurs.", {}, False),
    ("Le vieux cinéma de quartier est mort lundi, faute de spectateurs.", {}, False),
    ("Un homme est mort lundi dans un accident de la route.", {}, True),
    ("Le conducteur est décédé lundi à l'hôpital.", {}, True),
    ("Trois soldats sont morts lundi dans une embuscade.", {}, True),
    ("Lundi, la mort de Claire Fontaine a été annoncée.", {"Claire Fontaine": "Claire Fontaine"}, True),
    ("Claire Fontaine est morte lundi à l'hôpital.", {"Claire Fontaine": "Claire Fontaine"}, True),
])
def test_a_death_needs_a_person(events_of, text, names, is_death):
    frame = events_of(text, names)
    assert ("death" in frame["event_type"].to_list()) is is_death


@pytest.mark.parametrize(("text", "event_type", "happened"), [
    ("Lundi, Claire Fontaine n'a pas démissionné.", "resignation", False),
    ("Lundi, Claire Fontaine n'a jamais été arrêtée par la police.", "arrest", False),
    ("Mardi, Claire Fontaine n'a rien déclaré.", "statement", False),
    ("Lundi, Claire Fontaine n'a démissionné que de son mandat local.", "resignation", True),
    ("Lundi, Claire Fontaine a été arrêtée par la police.", "arrest", True),
])
def test_negated_trigger_is_not_an_event(events_of, text, event_type, happened):
    frame = events_of(text, {"Claire Fontaine": "Claire Fontaine"})
    assert (event_type in frame["event_type"].to_list()) is happened


def test_next_sentence_inherits_the_date(events_of):
    text = ("Mardi, Paul Girard a été recruté par le groupe. Plus de cent salariés menacent de partir. "
            "Il avait déjà quitté une entreprise.")
    frame = events_of(text, {"Paul Girard": "Paul Girard"})
    assert frame["event_type"].to_list() == ["hiring", "threat"]
    assert frame["date_value"].to_list() == ["2024-03-12", "2024-03-12"]


def test_timeline_merges_reports_of_the_same_event(parse):
    texts = {
        "a": ("Vendredi, le conseil a limogé la directrice Anne Roux.", dt.date(2024, 3, 10)),
        "b": ("Anne Roux a été limogée le 8 mars 2024 par le conseil.", dt.date(2024, 3, 9)),
        "c": ("Le 8 mars 2024, Louis Petit a été limogé par le club.", dt.date(2024, 3, 9)),
    }
    names = {"Anne Roux": "Anne Roux", "Louis Petit": "Louis Petit"}
    parses, mentions, entities = [], [], []
    for doc_id, (text, ref) in texts.items():
        parses.append(parse(text, reference_date=ref, doc_id=doc_id))
        m, e = entity_frames(doc_id, text, names)
        mentions.append(m)
        entities.append(e)
    timexes = extract_temporal_expressions(parses)
    entity_frame = pl.concat(entities).unique("entity_id")
    events = extract_dated_events(parses, timexes, pl.concat(mentions), entity_frame)
    documents = pl.DataFrame({"doc_id": list(texts), "reference_date": [r for _, r in texts.values()]})
    timeline = validate("timeline", build_timeline(events, documents))
    assert timeline.height == 2
    merged = timeline.filter(pl.col("n_sources") == 2).row(0, named=True)
    assert merged["participants"] == ["Anne Roux"]
    assert sorted(merged["doc_ids"]) == ["a", "b"]
    assert (merged["first_doc_id"], merged["first_reported_on"]) == ("b", dt.date(2024, 3, 9))
    assert (merged["date_value"], merged["event_type"]) == ("2024-03-08", "dismissal")
    assert build_timeline(events, documents)["timeline_id"].to_list() == timeline["timeline_id"].to_list()


def test_empty_inputs_give_empty_valid_tables():
    empty_timeline = build_timeline(empty_frame("dated_events"), empty_frame("documents"))
    assert validate("timeline", empty_timeline).is_empty()
    assert validate("dated_events", extract_dated_events([], empty_frame("temporal_expressions"),
                                                          empty_frame("entity_mentions"),
                                                          empty_frame("entities"))).is_empty()


def test_timeline_merges_transitively_and_by_date_overlap():
    rows = [  # (doc, date value, granularity, participant ids)
        ("a", "2023-11-13", "day", ["p1"]), ("b", "2023-W46", "week", ["p1"]),
        ("c", "2023-11-19", "day", ["p1"]),
        ("d", "2010", "year", ["p2"]), ("e", "2010-02-01", "day", ["p2"]), ("f", "2010-12-31", "day", ["p2"]),
        ("g", "2011-01-01", "day", ["p2"]), ("h", "2023-11-13", "day", []),
    ]
    events = pl.DataFrame([
        {"doc_id": doc, "doc_char_start": 0, "doc_char_end": 1, "event_id": f"{doc}:e000",
         "paragraph_id": "p", "timex_id": "t", "date_value": value, "granularity": granularity,
         "event_type": "dismissal", "trigger": "limoger", "participants": ids,
         "participant_ids": ids, "sentence": doc}
        for doc, value, granularity, ids in rows], schema=empty_frame("dated_events").schema)
    documents = pl.DataFrame({"doc_id": [r[0] for r in rows], "reference_date": [REF] * len(rows)})
    timeline = validate("timeline", build_timeline(events, documents))
    # a and c do not overlap but both overlap the week b; e and f sit inside the year d, g is after it
    assert sorted(timeline["event_ids"].to_list()) == [
        ["a:e000", "b:e000", "c:e000"], ["d:e000", "e:e000", "f:e000"], ["g:e000"], ["h:e000"]]
