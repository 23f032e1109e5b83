"""Dated events and the timeline, on short French passages with hand-built entity frames."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from pipeline.events import build_timeline, extract_dated_events
from pipeline.schemas import empty_frame, validate
from pipeline.temporal import extract_temporal_expressions

REF = dt.date(2024, 3, 13)  # a Wednesday


def entity_frames(doc_id: str, text: str, names: dict[str, str],
                  labels: dict[str, str] | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Mentions of every surface form in ``names`` (surface -> canonical name) found in ``text``; every
    entity is a person unless ``labels`` (canonical name -> label) says otherwise."""
    labels = labels or {}
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
        [{"entity_id": k, "name": v, "label": labels.get(v, "PER"), "aliases": [], "n_mentions": 1,
          "n_documents": 1}
         for k, v in entities.items()], schema=empty_frame("entities").schema)
    return mention_frame, entity_frame


@pytest.fixture(scope="module")
def events_of(parse):
    def _events(text: str, names: dict[str, str], reference: dt.date | None = REF, doc_id: str = "d1",
                labels: dict[str, str] | None = None):
        parsed = parse(text, reference_date=reference, doc_id=doc_id)
        timexes = extract_temporal_expressions([parsed])
        mentions, entities = entity_frames(doc_id, text, names, labels)
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
    for line in ("Mis à jour le 12 mars 2024 par Claire Fontaine.",
                 "Modifié le 12 mars 2024 par Claire Fontaine."):
        assert events_of(line, names).is_empty()  # a page's update stamp is no happening either (rule 7)
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


def test_indented_line_wrap_keeps_source_offsets(events_of):
    """The parser reads ``Jean-Pierre Lefèvre`` and ``a été limogé`` with one space; the event still points at
    the source text, line break and indentation included."""
    sentence = "Le directeur Jean-Pierre      Lefèvre a été\n        limogé mardi."
    text = sentence + " Il dirigeait le service depuis dix ans.\n\nLa mairie a réagi."
    frame = events_of(text, {"Jean-Pierre      Lefèvre": "Jean-Pierre Lefèvre"})
    row = frame.row(0, named=True)
    assert (row["date_value"], row["event_type"], row["participants"]) == (
        "2024-03-12", "dismissal", ["Jean-Pierre Lefèvre"])
    assert text[row["doc_char_start"]:row["doc_char_end"]] == row["sentence"] == sentence


ORION = {"Orion": "Orion"}


@pytest.mark.parametrize(("text", "expected"), [
    # rule 7: a dated verb with a participant is an event even when no trigger names it
    ("La console Orion s'est vendue à deux millions d'exemplaires en 2022.", ("2022", "other", "vendre")),
    ("La fête de la console Orion a eu lieu le 4 mars 2024 à Lyon.", ("2024-03-04", "other", "avoir lieu")),
    ("Une étude sur la console Orion réalisée en 2021 alertait sur les risques.",
     ("2021", "other", "réaliser")),
    # not a happening: no participant, a period, a negated or conditional verb
    ("Cette année, le marché connaît une petite révolution.", None),
    ("Dans les années 1990, la console Orion dominait le marché.", None),
    ("La console Orion ne s'est pas vendue en 2022.", None),
    ("La console Orion se vendrait mieux en 2025, selon les analystes.", None),
])
def test_dated_happenings_without_a_trigger(events_of, text, expected):
    frame = events_of(text, ORION)
    got = [(r["date_value"], r["event_type"], r["trigger"]) for r in frame.iter_rows(named=True)]
    assert got == ([expected] if expected else [])
    if expected:
        assert frame["participants"].to_list() == [["Orion"]]


@pytest.mark.parametrize(("text", "event_type", "trigger"), [
    ("La console Orion a été mise en vente le 29 septembre 2023.", "launch", "mettre en vente"),
    ("Claire Fontaine a pris la présidence de l'association le 3 mars 2024.", "appointment",
     "prendre la présidence"),
    ("La société Vernet a racheté la console Orion en janvier 2022.", "investment", "racheter"),
    ("La société Vernet a annoncé fin 2017 le déploiement de la console Orion.", "launch", "déploiement"),
    ("Claire Fontaine et ses collègues ont accepté, jeudi, de reprendre le travail.", "agreement",
     "accepter de"),
    ("Claire Fontaine a été placée en garde à vue mardi.", "arrest", "garde à vue"),
    ("La cérémonie en hommage à Claire Fontaine s'est tenue samedi à Lyon.", "other", "se tenir"),
])
def test_trigger_locutions_from_the_lexicon(events_of, text, event_type, trigger):
    frame = events_of(text, {"Claire Fontaine": "Claire Fontaine", "Orion": "Orion", "Vernet": "Vernet"})
    assert (event_type, trigger) in list(zip(frame["event_type"], frame["trigger"], strict=True))


@pytest.mark.parametrize(("text", "participants"), [
    ("Le groupe Vernet est installé à Lyon. L'entreprise a écoulé trois millions de consoles "
     "en janvier 2022.", ["Vernet"]),
    ("Le Courrier du Val a changé de maquette. Le journal, qui a racheté un jeu de lettres fin janvier 2022, "
     "compte dix mille abonnés.", ["Courrier du Val"]),
    ("Claire Fontaine dirige Vernet. Une entreprise a écoulé trois millions de consoles en janvier 2022.",
     []),
])
def test_organisation_named_by_a_common_noun(events_of, text, participants):
    names = {"Vernet": "Vernet", "Courrier du Val": "Courrier du Val", "Claire Fontaine": "Claire Fontaine"}
    frame = events_of(text, names, labels={"Vernet": "ORG", "Courrier du Val": "ORG"})
    dated = frame.filter(pl.col("date_value") == "2022-01")
    assert dated["participants"].to_list() == ([participants] if participants else [])


@pytest.mark.parametrize(("text", "event_type", "happened"), [
    # a relative clause asserts on its own: it is not under the main verb's ``prévoir``
    ("La société Vernet prévoit un salon Orion qui se déroulera en 2025.", "other", True),
    ("Vernet prévoit d'exposer au salon Orion, qui aura lieu en 2025.", "other", True),
    ("La société Vernet prévoit de se séparer du salon Orion le 4 mai 2024.", "other", False),
    # ``débarquer`` is a dismissal only with a person as object (or in the passive)
    ("Le nouveau jeu de la société Vernet débarque ce lundi chez les buralistes.", "dismissal", False),
    ("Le conseil a débarqué Paul Girard lundi.", "dismissal", True),
])
def test_trigger_sense_in_context(events_of, text, event_type, happened):
    frame = events_of(text, {"Orion": "Orion", "Vernet": "Vernet", "Paul Girard": "Paul Girard"})
    assert (event_type in frame["event_type"].to_list()) is happened


@pytest.mark.parametrize(("text", "expected"), [
    ("Claire Fontaine vient de prendre la présidence de l'association.", [("2024-03", "appointment")]),
    ("La société Vernet vient de racheter la console Orion.", [("2024-03", "investment")]),
    ("Claire Fontaine venait de démissionner quand le scandale a éclaté.", []),
    ("La console Orion vient de dépasser le million d'exemplaires vendus.", []),  # no trigger: too vague
])
def test_recent_past_is_dated_by_the_reference_month(events_of, text, expected):
    frame = events_of(text, {"Claire Fontaine": "Claire Fontaine", "Orion": "Orion"})
    assert list(zip(frame["date_value"], frame["event_type"], strict=True)) == expected
    assert frame["timex_id"].to_list() == [None] * len(expected)
