"""Quotations and their speakers on short French passages written for the purpose."""

from __future__ import annotations

import time

import polars as pl
import pytest

from pipeline.quotes import extract_quotes
from pipeline.schemas import empty_frame, validate


@pytest.fixture(scope="module")
def quotes_of(parse):
    """``quotes_of(text)`` -> list of quote rows (dicts), with no entity stage (spaCy fallback)."""

    def _quotes(text: str, mentions: pl.DataFrame | None = None, entities: pl.DataFrame | None = None):
        mentions = empty_frame("entity_mentions") if mentions is None else mentions
        entities = empty_frame("entities") if entities is None else entities
        frame = extract_quotes([parse(text)], mentions, entities)
        validate("quotes", frame)
        return frame.to_dicts()

    return _quotes


# (passage, [(start of the quoted words, expected speaker or None)]) -- one row per expected quotation.
CASES = [
    pytest.param("Le maire de Lyon, Paul Martin, a déclaré : « Nous ouvrirons trois écoles en septembre. »",
                 [("Nous ouvrirons trois écoles", "Paul Martin")], id="verb-then-quote"),
    pytest.param("« La situation est grave », a déclaré Claire Dubois lundi.",
                 [("La situation est grave", "Claire Dubois")], id="quote-then-verb-name"),
    pytest.param("Le ministre Marc Lefèvre est arrivé en retard. "
                 "« Nous n'avons rien à cacher », a-t-il ajouté.",
                 [("Nous n'avons rien à cacher", "Marc Lefèvre")], id="inverted-a-t-il"),
    pytest.param("Sophie Renard a rencontré Paul Girard mardi. « Je reste optimiste », a-t-elle expliqué.",
                 [("Je reste optimiste", "Sophie Renard")], id="inverted-a-t-elle-gender"),
    pytest.param("Thomas Petit dirige l'association depuis dix ans. "
                 "« Le quartier change vite », estime-t-il.",
                 [("Le quartier change vite", "Thomas Petit")], id="inverted-estime-t-il"),
    pytest.param("Selon Julie Moreau, « les négociations sont au point mort ».",
                 [("les négociations sont au point mort", "Julie Moreau")], id="selon-name"),
    pytest.param("D'après le syndicat, « plus de mille postes sont menacés dans la région ».",
                 [("plus de mille postes", "syndicat")], id="d-apres-nominal"),
    pytest.param("Pour Antoine Leroy, « cette réforme arrive beaucoup trop tard ».",
                 [("cette réforme arrive", "Antoine Leroy")], id="pour-name"),
    pytest.param("Nathalie Garnier : « Je ne serai pas candidate aux prochaines élections. »",
                 [("Je ne serai pas candidate", "Nathalie Garnier")], id="colon-name"),
    pytest.param("Le directeur de l'usine, Michel Faure, s'est exprimé devant les salariés :\n"
                 "« Nous allons investir dans de nouvelles machines. »",
                 [("Nous allons investir", "Michel Faure")], id="colon-previous-paragraph"),
    pytest.param("Jean Dupont ne décolère pas depuis lundi. « C'est un scandale absolu. »",
                 [("C'est un scandale absolu", "Jean Dupont")], id="previous-sentence-subject"),
    pytest.param("« Il m'a dit “attends demain” puis il est parti », raconte Camille Roux.",
                 [("Il m'a dit “attends demain” puis", "Camille Roux")], id="nested-curly"),
    pytest.param("Hélène Morel a qualifié le projet de « véritable impasse » devant les députés.",
                 [("véritable impasse", "Hélène Morel")], id="partial-qualifier"),
    pytest.param("Le préfet Yves Colin a assuré que la situation était « sous contrôle ».",
                 [("sous contrôle", "Yves Colin")], id="partial-que"),
    pytest.param('Le porte-parole Olivier Mercier a déclaré que "aucune décision n\'a été prise".',
                 [("aucune décision n'a été prise", "Olivier Mercier")], id="straight-quotes"),
    pytest.param("« L'État n'a pas tenu ses promesses, c'est aujourd'hui évident », a affirmé Sylvie Perrin.",
                 [("L'État n'a pas tenu ses promesses, c'est aujourd'hui évident", "Sylvie Perrin")],
                 id="apostrophes-inside"),
    pytest.param("« L\u2019équipe n\u2019a jamais douté », a confié Hugo Lemoine.",
                 [("L'équipe n'a jamais douté", "Hugo Lemoine")], id="typographic-apostrophes"),
    pytest.param('Un écran de 27" a été livré hier. « Le produit est prêt », a annoncé Marc Dumas.',
                 [("Le produit est prêt", "Marc Dumas")], id="stray-straight-mark"),
    pytest.param("Gérard Blanchet a qualifié la réforme d' »erreur historique » devant la presse.",
                 [("erreur historique", "Gérard Blanchet")], id="reversed-opening-mark"),
    pytest.param('«Nous reviendrons plus forts", a promis Karim Haddad.',
                 [("Nous reviendrons plus forts", "Karim Haddad")], id="mixed-marks"),
    pytest.param("Le conseil municipal a annoncé : « Les travaux commenceront en avril. »",
                 [("Les travaux commenceront", "conseil municipal")], id="nominal-speaker"),
    pytest.param("Selon un communiqué de la préfecture, "
                 "« la circulation restera interdite jusqu'à vendredi ».",
                 [("la circulation restera interdite", "préfecture")], id="document-author"),
    pytest.param("Le syndicat des enseignants, qui a dénoncé des « conditions de travail indignes », "
                 "appelle à la grève.",
                 [("conditions de travail indignes", "syndicat des enseignants")], id="relative-qui"),
    pytest.param("Marie Lambert a quitté la réunion, estimant que le texte était « inacceptable en l'état ».",
                 [("inacceptable en l'état", "Marie Lambert")], id="detached-participle"),
    pytest.param("« Nous avons gagné ce soir », a lancé Bruno Caron. « Et ce n'est que le début. »",
                 [("Nous avons gagné", "Bruno Caron"), ("Et ce n'est que le début", "Bruno Caron")],
                 id="continuation"),
    pytest.param("« Le budget est insuffisant », a regretté Anne Vidal. « Il est au contraire équilibré », "
                 "a répondu Louis Garnier.",
                 [("Le budget est insuffisant", "Anne Vidal"), ("Il est au contraire", "Louis Garnier")],
                 id="two-speakers"),
    pytest.param("« Les délais seront tenus », assure la direction du chantier.",
                 [("Les délais seront tenus", "direction du chantier")], id="inverted-nominal"),
    pytest.param("« Rien n'est encore décidé », a indiqué Pauline Mercier à l'AFP.",
                 [("Rien n'est encore décidé", "Pauline Mercier")], id="inverted-name-then-complement"),
    pytest.param("Jacques Morin a succédé à Henri Faure en 2019. « Je connais bien la maison », confie-t-il.",
                 [("Je connais bien la maison", "Jacques Morin")], id="pronoun-prefers-subject"),
    pytest.param("Le sélectionneur Didier Roche a laissé entendre qu'il pourrait "
                 "« tout changer » avant l'Euro.",
                 [("tout changer", "Didier Roche")], id="laisser-entendre"),
    pytest.param("Interrogé par nos soins, Fabien Roy a répondu : « Je n'ai rien à ajouter. »",
                 [("Je n'ai rien à ajouter", "Fabien Roy")], id="repondre-colon"),
    pytest.param("Céline Marchand a dénoncé « un manque criant de moyens » et « une gestion opaque ».",
                 [("un manque criant de moyens", "Céline Marchand"),
                  ("une gestion opaque", "Céline Marchand")],
                 id="two-partials-one-verb"),
    pytest.param("“Nous ne lâcherons rien”, a martelé Rachid Benali.",
                 [("Nous ne lâcherons rien", "Rachid Benali")], id="curly-outer"),
    pytest.param("Le député Jean Roussel a tweeté : « La séance est suspendue jusqu'à nouvel ordre. »",
                 [("La séance est suspendue", "Jean Roussel")], id="tweeter"),
    pytest.param("Le juge a longuement entendu Patrick Simon. « Je suis innocent », a affirmé ce dernier.",
                 [("Je suis innocent", "Patrick Simon")], id="ce-dernier"),
    pytest.param("Mme Lopez a pris la parole en fin de séance. « Nous voterons contre », a-t-elle annoncé.",
                 [("Nous voterons contre", "Lopez")], id="pronoun-title-gender"),
    pytest.param("Le texte sera examiné mardi. « Cette loi changera la vie de millions de personnes. »",
                 [("Cette loi changera la vie", None)], id="unattributed-stays-null"),
    pytest.param("Les « gilets jaunes » ont manifesté samedi à Paris.", [], id="scare-quote-dropped"),
    pytest.param("Il a relu « Le Petit Prince » dans le train.", [], id="title-dropped"),
    pytest.param("Lire aussi : « Nous ne céderons pas », promet le maire de Brest", [], id="teaser-dropped"),
    pytest.param("« Nous sommes prêts », a dit l'entraîneur, avant d'ajouter que l'équipe était "
                 "« en pleine forme ».",
                 [("Nous sommes prêts", "entraîneur"), ("en pleine forme", "entraîneur")], id="dire-nominal"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_quotes_and_speakers(quotes_of, text, expected):
    rows = quotes_of(text)
    starts = [start for start, _ in expected] + [""] * max(0, len(rows) - len(expected))
    found = [(r["text"][:len(start)] if start else r["text"], r["speaker"])
             for r, start in zip(rows, starts, strict=False)]
    assert found == expected


def test_spans_are_the_quoted_words(parse):
    text = ("Le maire, Paul Martin, a déclaré : « Nous ouvrirons trois écoles. » Puis il a ajouté : "
            "« L\u2019an prochain, deux autres. »")
    rows = extract_quotes([parse(text)], empty_frame("entity_mentions"), empty_frame("entities")).to_dicts()
    assert [text[r["doc_char_start"]:r["doc_char_end"]].replace("\u2019", "'") for r in rows] == \
        ["Nous ouvrirons trois écoles.", "L'an prochain, deux autres."]
    assert [r["quote_id"] for r in rows] == ["t:q000", "t:q001"]


def test_multi_paragraph_quotation(quotes_of):
    text = ("Le président du club, Éric Blanc, a prévenu les supporters :\n"
            "« Cette saison sera difficile. Nous avons perdu nos meilleurs joueurs.\n"
            "« Mais je crois en ce groupe. »\n"
            "Le match aura lieu samedi.")
    rows = quotes_of(text)
    assert len(rows) == 1
    assert rows[0]["text"].startswith("Cette saison sera difficile.")
    assert rows[0]["text"].endswith("Mais je crois en ce groupe.")
    assert rows[0]["speaker"] == "Éric Blanc"


def test_unclosed_quotation_is_bounded_to_its_paragraph(quotes_of):
    text = ("L'entraîneur Pierre Lambert a réagi après le match : "
            "« Nous avons manqué de rigueur en défense.\n"
            "Le prochain match aura lieu dimanche à Nantes. Les billets sont en vente.")
    rows = quotes_of(text)
    assert [r["text"] for r in rows] == ["Nous avons manqué de rigueur en défense."]
    assert rows[0]["speaker"] == "Pierre Lambert"
    assert rows[0]["confidence"] < 0.5


def test_post_with_signature(quotes_of):
    text = ("Le chanteur a réagi dimanche soir sur le réseau social, quelques heures après l'annonce de "
            "l'annulation de sa tournée, dans un long message adressé à ses fans les plus fidèles.\n"
            "Merci à tous pour votre soutien incroyable ce soir !\n"
            "On se retrouve très vite.\n"
            "— Lucas Bernard (@lucasb) 3 mars 2024\n"
            "Le concert a été reporté au mois de juin.")
    rows = quotes_of(text)
    assert len(rows) == 1
    post = rows[0]
    assert (post["kind"], post["speaker"], post["quote_date"], post["cue"]) == \
        ("post", "Lucas Bernard", "2024-03-03", "post")
    assert post["text"] == "Merci à tous pour votre soutien incroyable ce soir ! On se retrouve très vite."
    assert text[post["doc_char_start"]:post["doc_char_end"]].startswith("Merci à tous")


def test_post_with_glued_signature_and_english_date(quotes_of):
    text = ("La sportive a publié un message.\n"
            "Nous serons là demain, promis…-Léa Fontaine (@leafont) January 12, 2024\n"
            "La suite reste incertaine.")
    rows = quotes_of(text)
    assert [(r["kind"], r["speaker"], r["quote_date"]) for r in rows] == [
        ("post", "Léa Fontaine", "2024-01-12")]
    assert rows[0]["text"] == "Nous serons là demain, promis…"


def test_post_stops_at_the_author_named_in_the_article(quotes_of):
    text = ("Le débat sur la réforme des retraites a repris mardi à l'Assemblée nationale, après une "
            "semaine de suspension des travaux parlementaires.\n"
            "Marc Evans a répondu sur X.\n"
            "Ce n'était pas mon choix.\n"
            "– Marc Evans (@mevans) 5 novembre 2023")
    rows = quotes_of(text)
    assert [r["text"] for r in rows] == ["Ce n'était pas mon choix."]


def test_quotation_inside_a_post_is_reported_once_with_the_post(quotes_of):
    text = ("Le club a réagi.\n"
            "« Une page se tourne. »\n"
            "— FC Exemple (@fcexemple) 2 avril 2024")
    rows = quotes_of(text)
    assert [(r["kind"], r["speaker"]) for r in rows] == [("post", "FC Exemple")]


def test_entity_stage_gives_canonical_speaker_and_organisation_link(quotes_of, parse):
    text = ("Le conseil d'administration de Vélonova a déclaré : « Le plan est maintenu. » "
            "« Rien ne change », a dit Dupont.")
    org = text.index("Vélonova")
    per = text.index("Dupont")
    mentions = pl.DataFrame([
        {"mention_id": "m1", "doc_id": "t", "paragraph_id": "t:0000", "entity_id": "e-org",
         "text": "Vélonova", "label": "ORG", "ner_label": "ORG",
         "doc_char_start": org, "doc_char_end": org + 8},
        {"mention_id": "m2", "doc_id": "t", "paragraph_id": "t:0000", "entity_id": "e-per", "text": "Dupont",
         "label": "PER", "ner_label": "PER", "doc_char_start": per, "doc_char_end": per + 6},
    ], schema=empty_frame("entity_mentions").schema)
    entities = pl.DataFrame([
        {"entity_id": "e-org", "name": "Vélonova", "label": "ORG", "aliases": [], "n_mentions": 1,
         "n_documents": 1},
        {"entity_id": "e-per", "name": "Jean Dupont", "label": "PER", "aliases": ["Dupont"], "n_mentions": 1,
         "n_documents": 1},
    ], schema=empty_frame("entities").schema)
    rows = quotes_of(text, mentions, entities)
    assert [(r["speaker"], r["speaker_entity_id"]) for r in rows] == [
        ("conseil d'administration de Vélonova", "e-org"), ("Jean Dupont", "e-per")]


def test_no_quotes_in_plain_text(quotes_of):
    assert quotes_of("Le gouvernement a présenté mardi son budget. L'opposition votera contre.") == []


MEETING = "Le conseil municipal s'est réuni mardi soir. "


@pytest.mark.parametrize("text", [
    pytest.param(MEETING + "«" * 10_000, id="run-of-marks"),
    pytest.param(MEETING + "« " * 5_000 + "et puis voilà la suite", id="spaced-run-then-words"),
    pytest.param(MEETING + "« nous " * 1_500, id="marks-between-words"),
    pytest.param(MEETING + "« nous " * 1_501, id="marks-between-words-one-left-open"),
    pytest.param("Le maire a déclaré : « Nous ouvrirons « trois écoles « en septembre", id="unbalanced"),
])
def test_runs_and_unbalanced_opening_marks_are_not_quotations(quotes_of, text):
    assert quotes_of(text) == []


def test_a_quotation_longer_than_the_bound_is_not_reported(quotes_of):
    said = "Nous ouvrirons des écoles et des crèches dans chaque quartier de la ville. "
    text = f"Le maire, Paul Martin, a déclaré : « {said * 50}» Il a ensuite quitté la salle."
    assert len(said * 50) > 3_000
    assert quotes_of(text) == []
    short = f"Le maire, Paul Martin, a déclaré : « {said * 3}» Il a ensuite quitté la salle."
    assert [r["speaker"] for r in quotes_of(short)] == ["Paul Martin"]


def test_nested_quotation_marks_stay_one_quotation(quotes_of):
    text = ("La ministre, Claire Dubois, a déclaré : « Ils nous disent “ attendez ” depuis des années, "
            "nous n'attendrons plus. »")
    rows = quotes_of(text)
    assert [(r["text"][:20], r["speaker"]) for r in rows] == [("Ils nous disent “ at", "Claire Dubois")]


def test_a_long_line_without_spaces_is_scanned_for_signatures_in_linear_time(parse):
    """The post-signature pattern once re-read such a line from every dash (24,000 characters: 13 s)."""
    document = parse("Le club a publié un message.\n" + "-A" * 12_000 + "\nLa suite reste incertaine.")
    started = time.process_time()
    frame = extract_quotes([document], empty_frame("entity_mentions"), empty_frame("entities"))
    assert frame.is_empty()
    assert time.process_time() - started < 3


def test_a_curly_mark_used_for_both_ends_closes_the_quotation(quotes_of):
    text = ("Le parc deviendra un véritable “lieu de rencontre“, a déclaré Paul Martin. "
            "Les travaux dureront un an et coûteront deux millions d'euros.")
    rows = quotes_of(text)
    assert [(r["text"], r["speaker"]) for r in rows] == [("lieu de rencontre", "Paul Martin")]
    assert rows[0]["confidence"] > 0.5  # closed, not cut at the end of the paragraph
