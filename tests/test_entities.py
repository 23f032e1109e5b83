"""Entity mentions and canonical entities on short French passages written for the purpose."""

from __future__ import annotations

import hashlib
import re

import polars as pl
import pytest
from spacy.tokens import Doc, Span

from pipeline.entities import (
    build_entities,
    clean_entity,
    document_entities,
    mentions_frame,
    merge_corpus,
    merge_corpus_rows,
)
from pipeline.schemas import validate


def entities_of(parse, *texts: str, **named: str):
    """(mentions, entities) of one or more passages; doc ids d0, d1, ... unless named."""
    docs = [parse(text, doc_id=f"d{i}") for i, text in enumerate(texts)]
    docs += [parse(text, doc_id=doc_id) for doc_id, text in named.items()]
    mentions, entities = build_entities(docs)
    validate("entity_mentions", mentions)
    validate("entities", entities)
    texts_by_id = {d.doc_id: d.text for d in docs}
    for row in mentions.iter_rows(named=True):  # spans are exact slices of documents.text
        assert texts_by_id[row["doc_id"]][row["doc_char_start"]:row["doc_char_end"]] == row["text"]
    return mentions, entities


def entity(entities: pl.DataFrame, name: str) -> dict:
    rows = entities.filter(pl.col("name") == name).to_dicts()
    assert len(rows) == 1, f"{name!r} not found once in {entities['name'].to_list()}"
    return rows[0]


def names(entities: pl.DataFrame) -> set[str]:
    return set(entities["name"].to_list())


# --- merging ---------------------------------------------------------------------------------------

def test_surname_and_first_name_merge_with_the_full_name(parse):
    _, entities = entities_of(parse, "La directrice Clémence Vautrin a quitté la société Ardentis mardi. "
                                     "Vautrin a déclaré qu'elle regrettait cette décision. "
                                     "Clémence a ensuite rejoint le groupe.")
    row = entity(entities, "Clémence Vautrin")
    assert row["label"] == "PER"
    assert row["aliases"] == ["Clémence", "Vautrin"]
    assert row["n_mentions"] == 3
    assert not {"Vautrin", "Clémence"} & names(entities)


def test_a_surname_shared_by_two_people_stays_apart(parse):
    _, entities = entities_of(parse, "Paul Dorval et Anne Dorval ont fondé l'entreprise ensemble. "
                                     "Dorval a refusé de commenter.")
    assert entity(entities, "Paul Dorval")["aliases"] == []
    assert entity(entities, "Anne Dorval")["aliases"] == []


def test_a_surname_alone_in_one_article_joins_the_full_name_of_another(parse):
    mentions, entities = entities_of(parse, "Le ministre Jean-Baptiste Ferrand a présenté son budget.",
                                     "Ferrand a défendu son texte devant les députés.")
    row = entity(entities, "Jean-Baptiste Ferrand")
    assert row["n_documents"] == 2
    assert mentions.filter(pl.col("doc_id") == "d1")["entity_id"].to_list() == [row["entity_id"]]


def test_a_handle_in_a_post_signature_belongs_to_its_owner_across_articles(parse):
    _, entities = entities_of(parse, "Super nouvelle pour toute l'équipe !\n"
                                     "– Margaux Delorme (@mdelorme) 3 mars 2024",
                              "Le message de @mdelorme a été partagé des milliers de fois.")
    row = entity(entities, "Margaux Delorme")
    assert "@mdelorme" in row["aliases"]
    assert row["n_documents"] == 2
    assert "@mdelorme" not in names(entities)


def test_a_handle_spelling_a_known_name_joins_it(parse):
    _, entities = entities_of(parse, "Les salariés de Ardentis ont reçu un message publié par @Ardentis.")
    assert "@Ardentis" in entity(entities, "Ardentis")["aliases"]


def test_spacing_and_case_variants_are_one_entity(parse):
    _, entities = entities_of(parse, "La société Nova Tek a licencié. Les salariés de NovaTek protestent.")
    nova = entities.filter(pl.col("name").is_in(["Nova Tek", "NovaTek"]))
    assert nova.height == 1
    assert (nova["n_mentions"].item(), nova["label"].item()) == (2, "ORG")


def test_former_name_and_acronym_join_the_current_name(parse):
    _, entities = entities_of(parse, "La plateforme Brisk (anciennement Chirp) compte dix millions "
                                     "d'utilisateurs. L'Agence nationale des fréquences (ANFR) a été saisie.")
    assert entity(entities, "Brisk")["aliases"] == ["Chirp"]
    assert entity(entities, "Agence nationale des fréquences")["aliases"] == ["ANFR"]


def test_a_short_company_name_joins_its_suffixed_form(parse):
    _, entities = entities_of(parse, "Les salariés de Ardentis Group ont voté la grève. "
                                     "La direction de Ardentis a refusé de commenter.")
    assert entity(entities, "Ardentis Group")["aliases"] == ["Ardentis"]


# --- spans: roles, titles and elisions trimmed -----------------------------------------------------

def test_roles_and_glued_elisions_are_trimmed_from_the_span(nlp):
    words = ["Selon", "le", "PDG", "Arnaud", "Pelletier", ",", "l'", "avenir", "d'Ardentis", "est", "sûr"]
    doc = Doc(nlp.vocab, words=words, spaces=[True, True, True, True, False, True, False, True, True,
                                               True, False])
    doc.ents = [Span(doc, 1, 5, label="ORG"), Span(doc, 8, 9, label="MISC")]
    person, company = (clean_entity(ent) for ent in doc.ents)
    assert doc.text[person.start:person.end] == "Arnaud Pelletier"
    assert person.votes["PER"] > person.votes["ORG"]  # a title before a name is evidence of a person
    assert doc.text[company.start:company.end] == "Ardentis"


def test_a_lone_given_name_after_a_title_takes_the_surname(nlp):
    doc = Doc(nlp.vocab, words=["Ardentis", "a", "nommé", "la", "CTO", "Nadia", "Kerbrat", "."],
              spaces=[True, True, True, True, True, True, False, False])
    doc.ents = [Span(doc, 4, 6, label="MISC")]
    cand = clean_entity(doc.ents[0])
    assert doc.text[cand.start:cand.end] == "Nadia Kerbrat"


def test_mention_text_never_keeps_an_elided_article(parse):
    mentions, _ = entities_of(parse, "Le conseil d'administration d'Ardentis pense qu'Arnaud Pelletier "
                                     "reviendra à l'Opéra Bastille.")
    assert mentions["text"].to_list()
    assert not any(t.lower().startswith(("d'", "l'", "qu'")) for t in mentions["text"].to_list())


# --- labels ----------------------------------------------------------------------------------------

def test_context_repairs_organisation_and_product_labels(parse):
    _, entities = entities_of(parse, "Le chatbot Parlix a été lancé par la start-up Quillon. "
                                     "Les employés de Quillon sont fiers de Parlix.")
    assert entity(entities, "Quillon")["label"] == "ORG"
    assert entity(entities, "Parlix")["label"] == "MISC"


def test_an_organisation_after_a_role_and_de_is_an_organisation(parse):
    _, entities = entities_of(parse, "Le ministre Jean-Baptiste Ferrand a reçu Lucie Marchal, "
                                     "la présidente de Voltaris.")
    assert entity(entities, "Voltaris")["label"] == "ORG"
    assert entity(entities, "Lucie Marchal")["label"] == "PER"


def test_labels_agree_across_the_corpus(parse):
    _, entities = entities_of(parse, "La société Kelvio recrute.", "Kelvio a publié ses résultats hier.")
    row = entity(entities, "Kelvio")
    assert (row["label"], row["n_documents"]) == ("ORG", 2)


# --- non-entities ----------------------------------------------------------------------------------

def test_days_interjections_page_furniture_and_urls_are_not_entities(parse):
    _, entities = entities_of(parse, "Vendredi, le ministre Thibault Carrère a réagi. Niet, a-t-il répondu.\n"
                                     "Source link\nhttps://www.exemple.fr/article-123")
    assert names(entities) == {"Thibault Carrère"}


def test_ministerial_portfolios_and_inhabitants_are_not_entities(parse):
    _, entities = entities_of(parse, "Le ministre des Sports a félicité le Français Rémi Castagnet, "
                                     "salué par la ministre chargée du Numérique.")
    assert "Rémi Castagnet" in names(entities)
    assert not {"Sports", "des Sports", "Français", "Numérique"} & names(entities)


# --- structure -------------------------------------------------------------------------------------

def test_ids_are_stable_and_derived_from_the_canonical_name(parse):
    text = "Hugo Lambertin dirige Kelvio depuis 2019. Lambertin a promis une annonce."
    first, entities = entities_of(parse, text)
    again, _ = entities_of(parse, text)
    assert first.equals(again)
    row = entity(entities, "Hugo Lambertin")
    assert row["entity_id"] == "E" + hashlib.sha1(b"hugolambertin").hexdigest()[:12]
    assert first["mention_id"].to_list()[0].endswith(":m000")


def test_the_corpus_merge_only_needs_the_per_document_mentions(parse):
    docs = [parse("La société Kelvio recrute.", doc_id="a"),
            parse("Kelvio a publié ses résultats.", doc_id="b")]
    merged = merge_corpus([document_entities(d) for d in docs])
    direct = build_entities(docs)
    assert merged[0].equals(direct[0]) and merged[1].equals(direct[1])


def test_the_merge_over_cached_rows_does_not_depend_on_their_order(parse):
    docs = [parse("Hugo Lambertin dirige Kelvio. Lambertin (@hlambertin) y croit.", doc_id="b"),
            parse("La société Kelvio recrute. Hugo Lambertin l'a dit.", doc_id="a")]
    per_doc = [document_entities(d) for d in sorted(docs, key=lambda d: d.doc_id)]
    assert all(per_doc)
    rows = mentions_frame(m for doc in per_doc for m in doc)
    direct = merge_corpus(per_doc)
    for seed in range(3):  # cached rows come back in any order
        merged = merge_corpus_rows(rows.sample(fraction=1.0, shuffle=True, seed=seed))
        assert merged[0].equals(direct[0]) and merged[1].equals(direct[1])
    assert ["@hlambertin"] in direct[1]["aliases"].to_list()  # a merge across forms took place
    empty = merge_corpus_rows(rows.head(0))
    assert empty[0].is_empty() and empty[1].is_empty()


def test_an_empty_corpus_gives_empty_valid_tables():
    mentions, entities = build_entities([])
    assert mentions.is_empty() and entities.is_empty()
    validate("entity_mentions", mentions)
    validate("entities", entities)


@pytest.mark.parametrize("text", ["Il a appelé Nous.", "Ok. Merci.",
                                  "Nous avons bouclé un tour de série A de 12 millions d'euros."])
def test_pronouns_and_interjections_alone_give_nothing(parse, text):
    _, entities = entities_of(parse, text)
    assert entities.is_empty()


# --- offsets after a line wrap ------------------------------------------------------------------------

def test_a_name_wrapped_across_an_indented_line_break_is_one_mention_with_exact_offsets(parse):
    text = ("      Le conseil municipal de Bourg-la-Reine s'est réuni\n"
            "      mardi soir dans la salle des fêtes pour examiner\n"
            "      le budget de la commune. A l'issue de la séance,\n"
            "      l'adjoint aux finances a déclaré que Jean-Pierre\n"
            "      Lefèvre, le maire de la ville depuis douze ans,\n"
            "      quitterait ses fonctions au printemps. Jean-Pierre\n"
            "      Lefèvre n'a pas souhaité répondre aux questions\n"
            "      des journalistes présents dans la salle.\n")
    mentions, entities = entities_of(parse, text)
    row = entity(entities, "Jean-Pierre Lefèvre")  # the parse-facing name has single spaces
    assert row["label"] == "PER" and row["n_mentions"] == 2 and row["aliases"] == []
    person = mentions.filter(pl.col("entity_id") == row["entity_id"]).sort("doc_char_start")
    starts = [m.start() for m in re.finditer("Jean-Pierre\n", text)]
    assert person["doc_char_start"].to_list() == starts
    assert person["doc_char_end"].to_list() == [text.index("Lefèvre", s) + len("Lefèvre") for s in starts]
    assert person["text"].to_list() == ["Jean-Pierre\n      Lefèvre"] * 2  # the source, wrap and all
    town = mentions.filter(pl.col("text") == "Bourg-la-Reine")
    assert town["doc_char_start"].to_list() == [text.index("Bourg-la-Reine")]
