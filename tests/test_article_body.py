"""The article located in a whole saved page: headline, body, end; chrome around and inside it removed.

Every page here is written for the test in the shape a browser's "save as text" gives (paragraphs
hard-wrapped at a fixed width and indented, headings at the margin, ``* item`` menus, ``(BUTTON)``).
"""

from __future__ import annotations

import textwrap

import pytest

from pipeline.article_body import classify, is_list_item, stopword_density
from pipeline.paragraphs import Unit, is_stub, normalise_chars, split_document, wrap_width

WIDTH = 76
HEADLINE = "Valbrune : la commune vote une motion contre la fermeture de sa maternité"
BODY = [
    "Le conseil municipal de Valbrune a adopté lundi soir, à l'unanimité, une motion contre la fermeture "
    "de la maternité de l'hôpital intercommunal, annoncée pour le printemps par l'agence régionale de santé.",
    "Selon la maire, Jean-Pierre Lefèvre, les femmes de la vallée devront parcourir plus de soixante "
    "kilomètres pour accoucher si la décision est confirmée, ce qu'elle juge dangereux pour les familles.",
    "L'agence régionale de santé fait valoir le manque de sages-femmes et d'anesthésistes, qui oblige déjà "
    "l'établissement à suspendre les accouchements plusieurs nuits par mois depuis l'été dernier.",
    "Une réunion publique est prévue jeudi à la salle des fêtes, où les représentants du personnel "
    "présenteront une pétition qui a déjà recueilli près de quatre mille signatures.",
]


def wrapped(paragraph: str, indent: str = "   ") -> str:
    """A paragraph as a text dump prints it: hard-wrapped at :data:`WIDTH`, indented."""
    return textwrap.fill(paragraph, width=WIDTH, initial_indent=indent, subsequent_indent=indent)


def page(header: str = "", between: str = "", middle: str = "", footer: str = "") -> str:
    """A saved news page: site chrome, the headline at the margin, the body, then page chrome."""
    site = ("   #Le Quotidien Exemple » Flux alternate\n\n   Aller au contenu\n\n"
            "     * Accueil\n     * Politique\n     * Économie\n     * Sport\n     * Culture\n\n"
            "   Rechercher : ____________________ (BUTTON)\n\n")
    body = "\n\n".join(wrapped(p) for p in BODY[:2]) + "\n\n" + middle + "\n\n".join(
        wrapped(p) for p in BODY[2:])
    end = ("\n\nLire aussi\n\n   La piscine intercommunale ferme pour travaux\n\n"
           "   Le marché de Noël s'installe place de la Mairie\n\n"
           "   Commentaires\n\n   Pseudo42 — 15/03/2024 09:12 : Bravo aux élus, il faut tenir bon.\n\n"
           "     * Mentions légales\n     * Contact\n\n   © 2024 Le Quotidien Exemple\n")
    return f"{site}{header}{textwrap.fill(HEADLINE, WIDTH)}\n\n{between}{body}{footer}{end}"


def kept(text: str) -> list[str]:
    return [" ".join(p["text"].split()) for p in split_document("d", text)[0]]


def rules(text: str) -> dict[str, str]:
    return {" ".join(b["text"].split()): b["rule"] for b in split_document("d", text)[1]}


def test_a_saved_page_keeps_the_headline_and_the_body_only():
    text = page(between="   Par Jeanne Martin\n   14 mars 2024 à 18h32\n     * Partager\n     * Envoyer\n\n")
    assert kept(text) == [HEADLINE, *BODY]
    removed = rules(text)
    assert removed["* Accueil"] == "outside_article_header"
    assert removed["Rechercher : ____________________ (BUTTON)"] == "markup_artefact"
    assert removed["La piscine intercommunale ferme pour travaux"] == "related_teaser"
    assert removed["* Mentions légales"] == "outside_article_footer"


def test_offsets_stay_exact_and_wrapped_lines_form_one_paragraph():
    text = page()
    paragraphs, boilerplate = split_document("d", text)
    for row in paragraphs + boilerplate:
        assert normalise_chars(text[row["doc_char_start"]:row["doc_char_end"]]) == row["text"]
    second = next(p["text"] for p in paragraphs if "Lefèvre" in p["text"])
    assert "\n" in text[text.find("Selon la maire"):text.find("dangereux")]  # the source is wrapped
    assert " ".join(second.split()) == BODY[1]  # one paragraph, names whole


def test_a_name_wrapped_at_a_line_end_stays_in_one_paragraph():
    paragraph = ("Le conseil municipal de Valbrune a longuement entendu lundi soir la directrice "
                 "Marie-Claire Fontaine-Dubreuil, venue présenter le budget de l'établissement hospitalier "
                 "pour l'année.")
    text = page(middle=wrapped(paragraph) + "\n\n")
    assert " ".join(paragraph.split()) in kept(text)


def test_wrap_width_is_found_only_in_hard_wrapped_text():
    assert wrap_width("\n".join(wrapped(p) for p in BODY)) in range(WIDTH - 10, WIDTH + 1)
    assert wrap_width("\n\n".join(BODY)) is None


def test_a_teaser_list_inside_the_article_does_not_cut_it():
    middle = ("   À lire aussi\n   La piscine intercommunale ferme pour travaux\n"
              "   Le marché de Noël s'installe place de la Mairie\n\n   Publicité\n\n")
    assert kept(page(middle=middle)) == [HEADLINE, *BODY]


def test_reader_comments_and_forms_after_the_body_are_removed():
    footer = ("\n\n   3 commentaires\n\n   Vous devez être connecté pour poster un commentaire.\n\n"
              "   Les élus ont raison, une maternité ne se ferme pas sur un simple courrier de l'agence, "
              "il faut des\n   garanties écrites pour les familles de toute la vallée et un vrai débat.\n\n"
              "   En validant ce formulaire, vous acceptez que vos données soient traitées pour la gestion "
              "de\n   votre compte et l'envoi de nos lettres d'information.\n")
    assert kept(page(footer=footer)) == [HEADLINE, *BODY]


def test_unannounced_list_items_inside_the_body_are_chrome_but_an_announced_list_is_kept():
    chrome = "     * Écouter\n     * Réagir\n     * Partager\n\n"
    removed = rules(page(middle=chrome))
    assert removed["* Écouter"] == "list_chrome"
    announced = "   Les communes concernées sont les suivantes :\n     * Valbrune\n     * Saint-Aubin\n\n"
    assert "* Saint-Aubin" in kept(page(middle=announced))


def test_a_short_closing_sentence_and_a_post_signature_stay_with_the_body():
    footer = "\n\n   Le dossier sera rediscuté en avril.\n\n   — Jeanne Martin (@jmartin) 14 mars 2024\n"
    result = kept(page(footer=footer))
    assert result[-2:] == ["Le dossier sera rediscuté en avril.", "— Jeanne Martin (@jmartin) 14 mars 2024"]


@pytest.mark.parametrize("caption", [
    # alternative text, then the same text with its credit
    "   La maternité de Valbrune, le 12 mars.\n"
    "   La maternité de Valbrune, le 12 mars. • © Jeanne Martin\n\n",
    # a caption printed twice on one line
    "   Les élus réunis devant la mairie. Les élus réunis devant la mairie.\n\n",
    # an image name said twice, then the caption
    "   maternite valbrune maternite valbrune Le hall d'accueil de la maternité.\n\n",
])
def test_a_picture_text_said_twice_is_a_caption(caption: str):
    text = page(middle=caption)
    assert kept(text) == [HEADLINE, *BODY]
    assert {"repeated_caption", "photo_caption", "photo_credit"} & set(rules(text).values())


def test_image_slug_with_credit_and_continuation_is_removed():
    middle = ("   maternite-valbrune-hall-accueil Crédit photo : Studio Exemple /\n"
              "   Jeanne Martin\n\n")
    text = page(middle=middle)
    assert kept(text) == [HEADLINE, *BODY]


def test_a_page_without_prose_keeps_its_old_handling():
    menu = "Accueil\nPolitique\nÉconomie\n"
    assert split_document("d", menu)[0] == []


def test_classification_of_blocks():
    def unit(text: str, rule: str | None = None) -> Unit:
        return Unit(0, len(text), 0, text, rule)

    assert classify(unit(BODY[0])) == "good"
    assert classify(unit("Le maire a signé l'arrêté hier soir.")) == "near"
    assert classify(unit("Sport Culture Économie")) == "short"
    assert classify(unit("* " + BODY[0])) == "bad"
    assert classify(unit(BODY[0], "cookie_notice")) == "bad"
    assert stopword_density("le chat de la voisine") == pytest.approx(0.6)
    assert is_list_item("+ Football") and is_list_item("o Annonces") and not is_list_item("oui, merci")


# ------------------------------------------------------------------------------------------ stubs

def test_a_paywall_teaser_is_a_stub():
    teaser = ("Le conseil municipal de Valbrune a adopté lundi soir une motion contre la fermeture de la "
              "maternité, annoncée pour le printemps. Les élus dénoncent une décision prise sans "
              "concertation avec les familles.")
    text = (f"Accueil\nPolitique\n\n{HEADLINE}\n\n{teaser}\n\nCet article est réservé aux abonnés.\n"
            "Déjà abonné ? Se connecter\nMentions légales\nContact")
    assert is_stub(text) == "paywall_stub"


def test_a_page_of_chrome_around_a_few_lines_is_no_article():
    text = page().split("Le conseil municipal")[0] + wrapped(BODY[0]) + "\n\n" + "\n".join(
        f"     * Rubrique {i}" for i in range(12))
    assert is_stub(text) == "no_article"


def test_full_articles_and_short_plain_briefs_are_not_stubs():
    assert is_stub(page()) is None
    assert is_stub(f"{HEADLINE}\n\n{BODY[0]}\n\n{BODY[3]}") is None


def test_a_short_repetition_in_the_body_is_not_a_caption():
    middle = ("   Il faut agir vite.\n\n"
              "   Il faut agir vite, a répété la maire devant le conseil municipal.\n\n")
    result = kept(page(middle=middle))
    assert "Il faut agir vite." in result
    assert "Il faut agir vite, a répété la maire devant le conseil municipal." in result
