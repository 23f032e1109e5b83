"""The quotes stage split in two: detection in registered spaCy components (``quote_detector``,
``speech_cue_detector``) over one parsed paragraph each, and resolution over the exported rows, which
needs no ``Doc`` (the resolution tests below build their rows by hand).

French passages written for the purpose.
"""

from __future__ import annotations

import re

import polars as pl
import pytest
import spacy

from pipeline.quotes import component
from pipeline.quotes.antecedents import _nearest_person
from pipeline.quotes.article import Article
from pipeline.quotes.candidates import _person_candidates
from pipeline.quotes.discourse import _continuation
from pipeline.quotes.export import (
    CANDIDATE_SCHEMA,
    CUE_SCHEMA,
    ENT_SCHEMA,
    MARK_SCHEMA,
    PARAGRAPH_SCHEMA,
    PIECE_SCHEMA,
    TOKEN_SCHEMA,
    QuoteRows,
)
from pipeline.quotes.filters import _drop_reason
from pipeline.quotes.layout import Layout, ParagraphLayout
from pipeline.quotes.marks import MarkedPiece, scan_paragraph, stitch_quotations
from pipeline.quotes.records import _Attribution, _MarkFacts, _Mention, _RawQuote, _Speaker

COMPONENTS = (component.QUOTE_COMPONENT, component.CUE_COMPONENT, component.CANDIDATE_COMPONENT)


@pytest.fixture(scope="module")
def detected(detected_by):
    """``detected(text)`` -> the paragraph parsed by the real model, then run through both components."""
    return lambda text: detected_by(text, *COMPONENTS)


# --- detection: registered components writing spans -------------------------------------------------------

def test_the_factories_are_registered():
    nlp = spacy.blank("fr")
    for name in COMPONENTS:
        nlp.add_pipe(name)
    assert nlp.pipe_names == list(COMPONENTS)


def test_the_quote_detector_writes_the_quoted_pieces_and_what_the_parse_says_before_the_marks(detected):
    doc = detected("Le film « Les Nuits claires » sort mercredi. « Nous sommes prêts », assure la "
                   "réalisatrice.")
    assert [(span.label_, span.text) for span in doc.spans["quote"]] == [
        ("guillemet", "Les Nuits claires"), ("guillemet", "Nous sommes prêts")]
    pieces = component.pieces_in(doc)
    assert all(piece.closed for piece in pieces)
    title, said = (doc._.get(component.QUOTE_MARKS)[piece.start - 1] for piece in pieces)
    assert (title.cue_capitalised, title.cue_lower) == ("title", None)  # "film" names a work in capitals
    assert (said.cue_capitalised, said.cue_lower) == (None, None)


def test_a_noun_labelled_by_the_noun_before_the_marks_is_a_parse_fact_of_the_mark(detected):
    label = detected("Le prix des packs « cadeau » reste élevé.")
    adjective = detected("Jean Morel a qualifié son départ de tournure « inattendue ».")
    assert label._.get(component.QUOTE_MARKS)[label.text.index("«")].noun_label
    assert not adjective._.get(component.QUOTE_MARKS)[adjective.text.index("«")].noun_label


def test_a_quotation_left_open_is_marked_so_that_the_next_paragraph_may_continue_it(detected):
    first = detected("Le maire a pris la parole : « Le chantier a pris du retard.")
    second = detected("« Il reprendra en mars », a-t-il conclu.")
    [opened] = component.pieces_in(first)
    [resumed] = component.pieces_in(second)
    assert not opened.closed and opened.end == len(first.text)
    assert resumed.closed and resumed.opens_paragraph


def test_the_speech_cue_detector_writes_verbs_and_sources_with_their_subject(detected):
    doc = detected("Selon le préfet, la route rouvrira lundi. La directrice de l'école a expliqué que les "
                   "cours reprendraient jeudi.")
    cues = {span.text: (span.label_, span._.get(component.CUE)) for span in doc.spans["speech_cue"]}
    label, source = cues["Selon"]
    assert (label, source.lemma, source.subject_lower) == ("source", "selon", "préfet")
    label, verb = cues["expliqué"]
    assert (label, verb.lemma, verb.subject_lower) == ("verb", "expliquer", "directrice")
    assert "rouvrira" not in cues  # not a verb of saying


def test_the_speaker_candidate_detector_writes_persons_and_role_nouns_as_subjects(detected):
    doc = detected("Le maire a défendu le projet devant Claire Vasseur. Les joueurs ont salué la décision.")
    found = {(span.label_, span.text) for span in doc.spans["speaker_candidate"]}
    assert ("role", "maire") in found and ("ent", "Claire Vasseur") in found
    assert not any(text == "joueurs" for _, text in found)  # a plural is no antecedent of "il" or "elle"
    [role] = [c for c in component.candidates_in(doc) if c.kind == "role"]
    assert (role.name, role.gender, role.subject) == ("maire", "Masc", True)


# --- resolution over rows: no Doc ------------------------------------------------------------------------

def test_an_open_quotation_continues_onto_a_paragraph_opening_with_a_mark():
    texts = ["Il a prévenu : « Le chantier a pris du retard.", "« Il reprendra en mars », a-t-il ajouté."]
    opened, closed = texts[0].index("«"), texts[1].index("»")
    pieces = [[MarkedPiece("guillemet", opened + 1, len(texts[0]), False, False)],
              [MarkedPiece("guillemet", 1, closed, True, True)]]
    [quote] = stitch_quotations(texts, pieces)
    assert quote.pieces == [(0, opened + 2, len(texts[0])), (1, 2, closed - 1)]  # spaces trimmed
    assert (quote.open_at, quote.close_at) == ((0, opened), (1, closed + 1))


def test_without_a_leading_mark_an_open_quotation_ends_with_its_paragraph():
    texts = ["Il a prévenu : « Le chantier a pris du retard.", "Le maire est reparti."]
    opened = texts[0].index("«")
    pieces = [[MarkedPiece("guillemet", opened + 1, len(texts[0]), False, False)], []]
    [quote] = stitch_quotations(texts, pieces)
    assert quote.pieces == [(0, opened + 2, len(texts[0]))] and quote.close_at is None


def test_a_carried_quotation_of_another_family_is_read_again_from_the_text():
    """Read alone, the second paragraph's « opens a quotation that » closes; carried, the “ of the first
    paragraph is still open, and ” closes it."""
    texts = ["Il a écrit : “Le chantier a pris du retard.", "« Il reprendra ” en mars », dit-il."]
    [quote] = stitch_quotations(texts, [scan_paragraph(texts[0]), scan_paragraph(texts[1])])
    assert quote.family == "curly"
    assert quote.close_at == (1, texts[1].index("”") + 1)


def _rows(text: str, marks: dict[int, _MarkFacts] | None = None, persons: tuple[str, ...] = (),
          candidates: tuple[tuple, ...] = ()) -> QuoteRows:
    """The rows of a one-paragraph article, written by hand: tokens are words and marks; ``persons`` are
    the words spaCy would read inside a person entity; ``candidates`` (kind, words, gender)."""
    layout = Layout("t", text, (ParagraphLayout("t:0", text, 0, len(text), None),))
    tokens = [(m.start(), m.end(), m.group() in persons, 0, False, 0)
              for m in re.finditer(r"\w+|[^\w\s]", text)]
    candidate_rows = [(0, kind, text.index(words), text.index(words) + len(words), words, True, 0, gender)
                      for kind, words, gender in candidates]
    mark_rows = [{"paragraph_index": 0, "offset": at, "doc_char_start": at, "words_before": f.words_before,
                  "cue_capitalised": f.cue_capitalised, "cue_lower": f.cue_lower, "noun_label": f.noun_label}
                 for at, f in (marks or {}).items()]
    return QuoteRows(
        layout, pl.DataFrame(schema=PIECE_SCHEMA), pl.DataFrame(mark_rows, schema=MARK_SCHEMA),
        pl.DataFrame([(0, True, None, None, False)], schema=PARAGRAPH_SCHEMA, orient="row"),
        pl.DataFrame(schema=CUE_SCHEMA), pl.DataFrame(schema=ENT_SCHEMA),
        pl.DataFrame(candidate_rows, schema=CANDIDATE_SCHEMA, orient="row"),
        pl.DataFrame(tokens, schema=TOKEN_SCHEMA, orient="row"),
        [row[0] for row in tokens], [], [], [[]], [[]])


def _quote(text: str, words: str) -> _RawQuote:
    start = text.index(words)
    end = start + len(words)
    return _RawQuote([(0, start, end)], (0, start - 2), (0, end + 2), "guillemet")


def test_a_cue_word_before_the_marks_drops_a_title_only_when_it_is_written_as_one():
    text = "Le film « Les Nuits claires » sort mercredi, le film « les nuits claires » aussi."
    facts = _MarkFacts(True, "title", None, False)
    article = Article(_rows(text, {text.index("«"): facts, text.rindex("«"): facts}), [])
    assert _drop_reason(article, _quote(text, "Les Nuits claires"), "Les Nuits claires", [], None) == "title"
    assert _drop_reason(article, _quote(text, "les nuits claires"), "les nuits claires", [], None) is None


@pytest.mark.parametrize(("between", "persons", "speaker"), [
    ("Le public applaudit longuement.", (), "Paul Roux"),
    ("Marie Lenoir applaudit longuement.", ("Marie", "Lenoir"), None),
])
def test_a_quotation_continues_the_previous_speaker_unless_someone_is_named_in_between(between, persons,
                                                                                        speaker):
    text = f"« Nous partirons demain », a dit Paul Roux. {between} « Sans aucun regret »"
    article = Article(_rows(text, persons=persons), [])
    earlier, later = _quote(text, "Nous partirons demain"), _quote(text, "Sans aucun regret")
    article.set_quoted([(0, earlier.close_at[1]), (later.open_at[1], len(text))])
    said = _Attribution(_Speaker("Paul Roux", None, True), "dire", 0.9, text.index("Roux") + len("Roux"))
    article.attributed.append((earlier, "Nous partirons demain", said))
    found = _continuation(article, later)
    assert (found.speaker.name if found else None) == speaker


def test_a_pronoun_resolves_over_the_rows_to_the_subject_of_the_sentence_naming_its_antecedent():
    """ "Claire Vasseur a reçu Paul Roux. [...] a-t-elle dit" -> Claire Vasseur (gender); "a-t-il dit" ->
    Paul Roux; with two men in the sentence, "il" prefers its subject."""
    text = "Claire Vasseur a reçu Paul Roux et Marc Brun. Elle a parlé la première."
    article = Article(_rows(text), [])
    sentence = 0

    def person(name: str, subject: bool) -> _Mention:
        start = text.index(name)
        gender = "Fem" if name.startswith("Claire") else "Masc"
        return _Mention(start, start + len(name), None, name, "PER", gender, subject, sentence)

    article.persons = [person("Claire Vasseur", True), person("Paul Roux", False), person("Marc Brun", False)]
    after = text.index("Elle")
    assert _nearest_person(article, after, "Fem", False)[1].name == "Claire Vasseur"
    assert _nearest_person(article, after, "Masc", False)[1].name == "Marc Brun"  # the last man named
    assert _nearest_person(article, text.index("Marc"), None, False)[1].name == "Claire Vasseur"  # subject
    assert _nearest_person(article, text.index("Paul"), "Masc", False) is None


def test_candidates_outside_quotations_and_mentions_become_the_article_s_people_over_the_rows():
    """A person spaCy reads inside quotation marks never speaks; one the entity stage has a mention for is
    that mention (with its canonical name); a role noun subject stands for an unnamed person."""
    text = "« Demandez à Paul Roux », dit la directrice. La maire a reçu Claire Vasseur."
    candidates = (("ent", "Paul Roux", None), ("ent", "Claire Vasseur", None), ("role", "maire", "Fem"))
    start = text.index("Claire")
    mention = _Mention(start, start + len("Claire Vasseur"), "E1", "Claire Vasseur-Lenoir", "PER")
    article = Article(_rows(text, candidates=candidates), [mention])
    article.set_quoted([(0, text.index("»") + 1)])
    people = _person_candidates(article)
    assert [(p.name, p.label, p.entity_id) for p in people] == [
        ("maire", "ROLE", None), ("Claire Vasseur-Lenoir", "PER", "E1")]
    assert people[1].gender == "Fem"  # from the first name
