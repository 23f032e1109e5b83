"""Paragraph splitting and boilerplate removal, on short French texts and two web-page dumps written here."""

from __future__ import annotations

import re

import polars as pl
import pytest

from pipeline.paragraphs import (
    MAX_PARAGRAPH_CHARS,
    normalise_chars,
    split_document,
    split_paragraphs,
)
from pipeline.schemas import validate

BODY_1 = ("Le conseil municipal a voté mardi soir une hausse de la taxe foncière de trois points, "
          "malgré l'opposition de plusieurs élus de la majorité.")
BODY_2 = ("Selon la maire, cette mesure doit financer la rénovation des écoles et l'extension du réseau de "
          "pistes cyclables d'ici à la fin du mandat.")
BODY_3 = "Les habitants pourront consulter le détail du budget en mairie à partir de lundi prochain."


def split(text: str) -> tuple[list[dict], list[dict]]:
    return split_document("d", text)


def kept_texts(text: str) -> list[str]:
    return [p["text"] for p in split(text)[0]]


def removed(text: str) -> dict[str, str]:
    """Removed line -> rule."""
    return {b["text"]: b["rule"] for b in split(text)[1]}


def assert_offsets_exact(text: str) -> None:
    paragraphs, boilerplate = split(text)
    for row in paragraphs + boilerplate:
        assert normalise_chars(text[row["doc_char_start"]:row["doc_char_end"]]) == row["text"]
        assert row["doc_char_end"] > row["doc_char_start"]


# ------------------------------------------------------------------------------------------ splitting


def test_offsets_are_exact_and_characters_normalised_one_to_one():
    text = f"Titre de l’article\n\n{BODY_1}\n\u00a0\nL’élu a répondu\u202f: « non ».\t{BODY_2}\n"
    assert_offsets_exact(text)
    texts = kept_texts(text)
    assert "Titre de l'article" in texts
    assert any(t.startswith("L'élu a répondu : « non ».") for t in texts)
    assert all("\u2019" not in t and "\u00a0" not in t and "\u202f" not in t for t in texts)


def test_one_paragraph_per_line_and_crlf_free_spans():
    paragraphs, _ = split(f"{BODY_1}\n{BODY_2}\n\n{BODY_3}")
    assert [p["text"] for p in paragraphs] == [BODY_1, BODY_2, BODY_3]
    assert [p["paragraph_index"] for p in paragraphs] == [0, 1, 2]
    assert paragraphs[1]["paragraph_id"] == "d:0001"


def test_hard_wrapped_lines_are_joined_inside_a_block():
    text = ("Le préfet a annoncé la fermeture de la route départementale\n"
            "pendant trois semaines, le temps de consolider la falaise.\n"
            "Une déviation sera mise en place.\n\n"
            "La circulation reprendra normalement\n"
            "à la fin du mois, selon les services de l'État.")
    texts = kept_texts(text)
    assert texts[0] == ("Le préfet a annoncé la fermeture de la route départementale pendant trois semaines, "
                        "le temps de consolider la falaise.")
    assert texts[1] == "Une déviation sera mise en place."  # previous line ends a sentence: no join
    assert texts[2].startswith("La circulation reprendra normalement à la fin du mois")
    assert_offsets_exact(text)


def test_lines_of_different_blocks_are_not_joined():
    text = "Le préfet a annoncé la fermeture de la route\n\nla circulation reprendra à la fin du mois."
    assert len(kept_texts(text)) == 2


def test_a_one_megabyte_line_without_punctuation_is_chunked():
    text = ("mot " * 250_000).strip()
    paragraphs, _ = split(text)
    assert len(paragraphs) > 150
    assert all(len(p["text"]) <= MAX_PARAGRAPH_CHARS for p in paragraphs)
    assert all(not p["text"].startswith(" ") and not p["text"].endswith(" ") for p in paragraphs)
    assert sum(len(p["text"].split()) for p in paragraphs) == 250_000  # no word lost or cut
    assert paragraphs[-1]["doc_char_end"] == len(text)


def test_long_paragraph_is_cut_at_sentence_ends():
    sentence = "Le tribunal a renvoyé l'affaire au mois prochain après une longue audience. "
    text = (sentence * 200).strip()
    paragraphs, _ = split(text)
    assert len(paragraphs) >= 3
    assert all(len(p["text"]) <= MAX_PARAGRAPH_CHARS and p["text"].endswith(".") for p in paragraphs)
    assert_offsets_exact(text)


def test_a_line_without_any_space_is_cut_hard():
    paragraphs, _ = split("x" * (2 * MAX_PARAGRAPH_CHARS + 10))
    assert [len(p["text"]) for p in paragraphs] == [MAX_PARAGRAPH_CHARS, MAX_PARAGRAPH_CHARS, 10]


def test_heading_between_body_paragraphs():
    text = f"{BODY_1}\n\nUne hausse contestée\n\n{BODY_2}\n\n{BODY_3}"
    paragraphs, _ = split(text)
    headings = [p["text"] for p in paragraphs if p["is_heading"]]
    assert headings == ["Une hausse contestée"]


def test_an_article_without_boilerplate_loses_nothing():
    text = (f"Taxe foncière : les élus votent une hausse de trois points\n\n"
            f"La décision, prise tard dans la soirée, devrait rapporter deux millions d'euros par an.\n\n"
            f"{BODY_1}\n\nDes écoles rénovées\n\n{BODY_2}\n\n{BODY_3}\n\n"
            "Le vote définitif aura lieu en juin.")
    paragraphs, boilerplate = split(text)
    assert boilerplate == []
    assert len(paragraphs) == 7
    assert paragraphs[0]["text"].startswith("Taxe foncière")


def test_empty_text_gives_no_rows():
    assert split("") == ([], [])
    assert split("\n \n\u00a0\n") == ([], [])


def test_split_paragraphs_frames_validate():
    documents = pl.DataFrame({"doc_id": ["a", "b"],
                              "text": [f"Suivez-nous\n\n{BODY_1}\n{BODY_2}", f"{BODY_3}\n\nPublicité"]})
    paragraphs, boilerplate = split_paragraphs(documents)
    validate("paragraphs", paragraphs)
    validate("boilerplate", boilerplate)
    assert paragraphs.height == 3
    assert sorted(boilerplate["rule"].to_list()) == ["advertisement", "social_prompt"]


# ------------------------------------------------------------------------------------------ boilerplate rules


@pytest.mark.parametrize(("line", "rule"), [
    ("Suivez-nous", "social_prompt"),
    ("Suivez-nous sur Instagram et TikTok", "social_prompt"),
    ("Partager sur Facebook", "share_prompt"),
    ("Facebook Twitter LinkedIn E-mail", "share_prompt"),
    ("Téléchargez l'application gratuite", "app_promo"),
    ("Radio Exemple - App officielle", "app_promo"),
    ("4,5/5", "store_rating"),
    ("1 234 avis", "store_rating"),
    ("Copyright © 2024 Exemple Médias", "copyright"),
    ("© 2023 Le Journal Exemple. Tous droits réservés.", "copyright"),
    ("Tous droits réservés", "copyright"),
    ("Exemple, le logo Exemple et ExemplePhone sont des marques d'Exemple SA, déposées en France.",
     "legal_notice"),
    ("Mentions légales", "legal_notice"),
    ("Source link", "source_link"),
    ("Commentaires", "comment_prompt"),
    ("Connectez-vous à votre compte pour participer à la conversation.", "comment_prompt"),
    ("Réagissez", "comment_prompt"),
    ("© Jeanne Durand / Agence Exemple", "photo_credit"),
    ("Crédit photo : Jeanne Durand", "photo_credit"),
    ("La maire lors du conseil municipal. (JEANNE DURAND / AGENCE EXEMPLE)", "photo_credit"),
    ("Publié le", "published_line"),
    ("Publié le 12 mars 2024 à 08h15, mis à jour le 13 mars 2024 à 10h02", "published_line"),
    ("Mis à jour le 3/04/2024", "published_line"),
    ("Le 18 juillet 2023 à 6:00 — Mis à jour le 18 juillet 2023 à 11:40", "published_line"),
    ("07 avril 2025 | 06h30", "published_line"),
    ("Jean-Pierre M. – 12/05/2021 à 08h14", "reader_comment"),
    ("Cyclo18 — 18/07/2023 08:31 : Bravo, tout le département est derrière toi !", "reader_comment"),
    ("Sylvie B. le 03/04/2018 à 09:15 — Soutien aux éboueurs, ils font un travail difficile.",
     "reader_comment"),
    ("Luc_V (07/04/2025 09:48) : Enfin une bonne nouvelle pour la région.", "reader_comment"),
    ("Temps de lecture : 3 min", "reading_time"),
    ("4 min de lecture", "reading_time"),
    ("Article rédigé par Jeanne Durand", "byline"),
    ("Par : Jeanne Durand", "byline"),
    ("Par Jeanne Durand et Paul Martin", "byline"),
    ("Cet article date de plus d'un an.", "old_article_notice"),
    ("Lire aussi : Budget : ce qui change au 1er janvier", "related_teaser"),
    ("À lire aussi", "related_teaser"),
    ("En rapport: Qui est la nouvelle présidente de la région ?", "related_teaser"),
    ("Voir aussi", "related_teaser"),
    ("Sur le même sujet", "related_teaser"),
    ("Inscrivez-vous à notre newsletter", "newsletter_prompt"),
    ("Recevez chaque matin notre lettre d'information gratuite", "newsletter_prompt"),
    ("Abonnez-vous pour 1 € le premier mois", "newsletter_prompt"),
    ("Nous utilisons des cookies pour améliorer votre expérience sur notre site.", "cookie_notice"),
    ("Accepter", "cookie_notice"),
    ("Paramétrer", "cookie_notice"),
    ("Publicité", "advertisement"),
    ("Tags : budget, impôts, commune", "tag_list"),
    ("Mots-clés : santé, hôpital", "tag_list"),
    ("Accueil > Régions > Bretagne", "navigation"),
    ("Nos sites : Exemple Sport | Exemple Auto | Exemple Maison", "navigation"),
    ("Actualités", "navigation"),
    # text-dump artefacts of page widgets
    ("Rechercher : ____________________ (BUTTON)", "markup_artefact"),
    ("(BUTTON) Se connecter (BUTTON) S'abonner", "markup_artefact"),
    ("IFRAME: Lecteur de podcast", "markup_artefact"),
    ("[bandeau-publicite.png]", "markup_artefact"),
    ("schema-explicatif.jpg", "markup_artefact"),
    ("[X] J'accepte les conditions générales", "markup_artefact"),
    ("#Le Quotidien Exemple » Flux des commentaires", "markup_artefact"),
    ("- Publicité -", "advertisement"),
    ("En partenariat avec Agence Santé Exemple - 14 juin 2023 à 06:15", "sponsor_line"),
    ("En collaboration avec l'École Exemple", "sponsor_line"),
    ("parc-municipal-valbrune Crédit photo : Studio Exemple /", "photo_credit"),
    ("Un joueur devant sa console JEANNE MARTIN via Agence Exemple", "photo_credit"),
    ("Pour aller plus loin > Le budget des communes expliqué", "related_teaser"),
    ("À lire aussiLe maire répond aux critiques sur la maternité", "related_teaser"),
    ("Publié le 21 juillet 2023 à 05h22 Lecture 2 min.", "published_line"),
    ("Vous devez être connecté pour poster un commentaire.", "comment_prompt"),
])
def test_boilerplate_line_is_removed_with_its_rule(line: str, rule: str):
    text = f"{BODY_1}\n\n{line}\n\n{BODY_2}\n\n{BODY_3}"
    assert removed(text) == {line: rule}
    assert kept_texts(text) == [BODY_1, BODY_2, BODY_3]


@pytest.mark.parametrize("line", [
    "Mise à jour du 22-11-2023 : le gouvernement annonce un nouveau calendrier",
    "Mardi 20 novembre",
    "Le maire a signé le 03/04/2018 à 09:15 un arrêté de péril sur l'immeuble de la rue Haute.",
    "Le maire récupère la délégation aux finances",
    "Il choisit la prudence",
    "Par ailleurs, la région a débloqué une enveloppe de deux millions d'euros pour les agriculteurs.",
    "La société a lancé une newsletter payante l'an dernier, qui compte aujourd'hui dix mille lecteurs.",
    "Le site utilise des cookies publicitaires sans consentement, estime la CNIL dans sa décision.",
    "Partage du pouvoir : la majorité divisée",
    "En partenariat avec la région, la commune financera la moitié des travaux de la piscine dès 2025.",
    "Sur la photo : le maire et ses adjoints devant la nouvelle école, inaugurée hier matin.",
    "#MeToo : six ans après, les plaintes pour violences sexuelles ont doublé dans le département.",
])
def test_article_lines_that_look_like_chrome_are_kept(line: str):
    text = f"{BODY_1}\n\n{line}\n\n{BODY_2}\n\n{BODY_3}"
    assert line in kept_texts(text)
    assert removed(text) == {}


def test_caption_right_above_a_credit_is_removed():
    text = f"{BODY_1}\n\nLa maire devant l'école rénovée\n© Jeanne Durand\n\n{BODY_2}\n\n{BODY_3}"
    assert removed(text) == {"La maire devant l'école rénovée": "photo_caption",
                             "© Jeanne Durand": "photo_credit"}


def test_header_chrome_before_title_and_standfirst():
    text = ("Régions\n\nTaxe foncière : les élus votent une hausse\n"
            "La décision devrait rapporter deux millions d'euros.\n"
            "Par Jeanne Durand\nLe Journal Exemple\nPublié le 4 avril 2024\n\n"
            f"{BODY_1}\n\n{BODY_2}\n\n{BODY_3}")
    assert removed(text) == {"Régions": "page_chrome_header", "Par Jeanne Durand": "byline",
                             "Le Journal Exemple": "page_chrome_header",
                             "Publié le 4 avril 2024": "published_line"}
    assert kept_texts(text)[:2] == ["Taxe foncière : les élus votent une hausse",
                                    "La décision devrait rapporter deux millions d'euros."]


def test_footer_chrome_after_the_last_paragraph():
    text = f"{BODY_1}\n\n{BODY_2}\n\n{BODY_3}\n\nLe Journal Exemple\nNous rejoindre\nPlan du site\nContact"
    assert set(removed(text).values()) <= {"page_chrome_footer", "legal_notice", "navigation"}
    assert kept_texts(text) == [BODY_1, BODY_2, BODY_3]


def test_post_signature_at_the_end_is_kept():
    text = (f"{BODY_1}\n\n{BODY_2}\n\nNous ne lâcherons rien, les écoles seront rénovées.\n"
            "— Jeanne Durand (@jdurand) 4 avril 2024")
    assert "— Jeanne Durand (@jdurand) 4 avril 2024" in kept_texts(text)


# ------------------------------------------------------------------------------------------ web-page dumps

NEWS_SITE_DUMP = """\
Nous utilisons des cookies pour améliorer votre expérience et mesurer l'audience de notre site.
Accepter
Paramétrer
Continuer sans accepter

Aller au contenu principal
Menu
Rechercher
Se connecter
S'abonner

Accueil
Politique
Économie
Société
Sport
Culture

Accueil > Économie > Entreprises

Grève à la SNCF : le trafic fortement perturbé ce week-end
Les syndicats appellent à une mobilisation nationale à partir de vendredi soir.
Par Claire Dubois
Publié le 14 mars 2024 à 07h45, mis à jour le 14 mars 2024 à 11h02
Temps de lecture : 3 min
Partager
Facebook Twitter LinkedIn E-mail

La direction prévoit en moyenne un TGV sur deux et un TER sur trois sur l'ensemble du territoire, \
selon un communiqué publié jeudi matin.

Lire aussi : Retraites : ce que contient le projet de loi

Les voyageurs sont invités à reporter leurs déplacements ou à télétravailler lorsque c'est possible. \
Des bus de substitution seront mis en place sur certaines lignes régionales.

Publicité

Des négociations toujours au point mort
Le ministre des Transports a reçu mercredi les représentants des syndicats, sans parvenir à un accord \
sur les salaires. « Nous restons ouverts au dialogue », a-t-il déclaré à la sortie de la réunion.

Des voyageurs sur un quai de la gare de Lyon, à Paris.
© Jean Martin / Agence Exemple

La CGT-Cheminots réclame une hausse de 5 % des rémunérations et l'embauche de mille contrôleurs \
supplémentaires d'ici à la fin de l'année.

Mise à jour du 14 mars à 11 heures : la préfecture annonce des renforts de police dans les grandes gares.

Inscrivez-vous à notre newsletter pour recevoir chaque matin l'essentiel de l'actualité.
Tags : SNCF, grève, transports

Sur le même sujet
Grève des contrôleurs aériens : des centaines de vols annulés
Le prix des billets de train va-t-il encore augmenter ?

12 commentaires
Connectez-vous pour réagir à cet article.

Mentions légales
Politique de confidentialité
Gestion des cookies
Contact
© 2024 Le Quotidien Exemple. Tous droits réservés.
"""

MAGAZINE_DUMP = """\
Aller au contenu
Abonnez-vous dès 1 € le premier mois
Newsletters
Mon compte

Planète | Climat | Biodiversité | Énergie

ENVIRONNEMENT
Sécheresse : les nappes phréatiques au plus bas dans le Sud-Ouest
Par Julien Moreau et Sarah Lefèvre
Mis à jour le 2 août 2023 à 18h30
Lecture 4 min.

Les relevés du service géologique montrent un niveau inférieur aux normales de saison dans deux tiers \
des points de mesure.
Des restrictions d'eau ont été décidées dans douze départements.

À lire aussi
Canicule : les conseils pour protéger les personnes âgées

« La situation est préoccupante mais pas inédite », explique une hydrogéologue de l'université de \
Bordeaux, qui rappelle que les pluies d'automne pourraient suffire à recharger les nappes.

Les agriculteurs en première ligne
Les irrigants doivent réduire leurs prélèvements de moitié à partir de lundi,
une mesure jugée brutale par la chambre d'agriculture.
Ils réclament des aides d'urgence.

Téléchargez l'application pour suivre l'actualité en temps réel
Disponible sur l'App Store et Google Play
4,6/5
12 345 avis

Cet article vous a plu ? Partagez-le !
Suivez-nous sur Instagram
Nos autres sites : Exemple Sport | Exemple Maison | Exemple Auto
Tous droits réservés - Groupe Exemple Médias 2023
"""


def test_news_site_dump_keeps_the_article_only():
    paragraphs, boilerplate = split(NEWS_SITE_DUMP)
    kept = [p["text"] for p in paragraphs]
    assert kept == [
        "Grève à la SNCF : le trafic fortement perturbé ce week-end",
        "Les syndicats appellent à une mobilisation nationale à partir de vendredi soir.",
        kept[2],
        kept[3],
        "Des négociations toujours au point mort",
        kept[5],
        kept[6],
        "Mise à jour du 14 mars à 11 heures : la préfecture annonce des renforts de police dans les "
        "grandes gares.",
    ]
    assert kept[2].startswith("La direction prévoit") and kept[3].startswith("Les voyageurs")
    assert kept[5].startswith("Le ministre des Transports") and kept[6].startswith("La CGT-Cheminots")
    assert [p["is_heading"] for p in paragraphs] == [False] * 4 + [True] + [False] * 3
    rules = {b["text"]: b["rule"] for b in boilerplate}
    assert rules["Accepter"] == "cookie_notice"
    assert rules["Politique"] == "navigation"
    assert rules["Accueil > Économie > Entreprises"] == "navigation"
    assert rules["Lire aussi : Retraites : ce que contient le projet de loi"] == "related_teaser"
    assert rules["Le prix des billets de train va-t-il encore augmenter ?"] == "related_teaser"
    assert rules["Des voyageurs sur un quai de la gare de Lyon, à Paris."] == "photo_caption"
    assert rules["12 commentaires"] == "comment_prompt"
    assert rules["© 2024 Le Quotidien Exemple. Tous droits réservés."] == "copyright"
    assert len(boilerplate) == NEWS_SITE_DUMP.count("\n") - NEWS_SITE_DUMP.count("\n\n") - len(kept)
    assert_offsets_exact(NEWS_SITE_DUMP)


def test_magazine_dump_keeps_the_article_only():
    paragraphs, boilerplate = split(MAGAZINE_DUMP)
    kept = [p["text"] for p in paragraphs]
    assert kept[0] == "Sécheresse : les nappes phréatiques au plus bas dans le Sud-Ouest"
    assert kept[1].startswith("Les relevés du service géologique")
    assert kept[2] == "Des restrictions d'eau ont été décidées dans douze départements."
    assert kept[3].startswith("« La situation est préoccupante")
    assert kept[4] == "Les agriculteurs en première ligne"
    assert kept[5] == ("Les irrigants doivent réduire leurs prélèvements de moitié à partir de lundi, "
                       "une mesure jugée brutale par la chambre d'agriculture.")
    assert kept[6:] == ["Ils réclament des aides d'urgence."]
    rules = {b["text"]: b["rule"] for b in boilerplate}
    assert rules["ENVIRONNEMENT"] == "page_chrome_header"
    assert rules["Par Julien Moreau et Sarah Lefèvre"] == "byline"
    assert rules["Canicule : les conseils pour protéger les personnes âgées"] == "related_teaser"
    assert rules["4,6/5"] == "store_rating"
    assert rules["Cet article vous a plu ? Partagez-le !"] == "share_prompt"
    assert rules["Tous droits réservés - Groupe Exemple Médias 2023"] == "copyright"
    assert_offsets_exact(MAGAZINE_DUMP)


WIRE_STORY_DUMP = """\
Le Journal Exemple - Actualités et infos en France et dans le monde
Se connecter
S’abonner
International
Europe
Guerre en Ukraine

Ukraine : Kiev affirme avoir repoussé une offensive près de Kharkiv
Les forces ukrainiennes disent avoir infligé de lourdes pertes à l’armée russe, qui multiplie les \
assauts dans le nord-est du pays.
Le Journal Exemple avec AFP
Publié aujourd’hui à 09h12, modifié à 10h45
Article réservé aux abonnés
Offrir l’article
Lecture 2 min.

L’état-major ukrainien a annoncé, dimanche 12 mai, que ses troupes avaient stoppé l’avancée russe \
dans la région de Kharkiv, où les combats se sont intensifiés depuis vendredi.

Lire aussi | Guerre en Ukraine : la stratégie de Moscou dans le Donbass

Selon le gouverneur régional, plus de quatre mille civils ont été évacués des villages frontaliers \
au cours des trois derniers jours.
Les autorités redoutent de nouvelles frappes sur la ville.

Une aide occidentale attendue
Le président ukrainien a de nouveau appelé ses alliés à accélérer les livraisons de systèmes de \
défense aérienne. « Chaque jour de retard coûte des vies », a-t-il insisté.

Ces villes sont concernées par les évacuations :
Vovtchansk
Lyptsi
Staryï Saltiv

Le Journal Exemple avec AFP

Contribuer
Réutiliser ce contenu
Lire plus tard
Services
Newsletters
Jeux
Qui sommes-nous ?
Mentions légales
Cookies
© Le Journal Exemple
"""


def test_wire_story_dump_title_after_site_name_and_list_after_colon_are_kept():
    paragraphs, boilerplate = split(WIRE_STORY_DUMP)
    kept = [p["text"] for p in paragraphs]
    assert kept[0] == "Ukraine : Kiev affirme avoir repoussé une offensive près de Kharkiv"
    assert kept[1].startswith("Les forces ukrainiennes disent")
    assert kept[-4:] == ["Ces villes sont concernées par les évacuations :", "Vovtchansk", "Lyptsi",
                         "Staryï Saltiv"]
    assert len(kept) == 11
    rules = {b["text"]: b["rule"] for b in boilerplate}
    site_line = "Le Journal Exemple - Actualités et infos en France et dans le monde"
    assert rules[site_line] == "page_chrome_header"
    assert rules["Guerre en Ukraine"] == "navigation"
    assert rules["Lire aussi | Guerre en Ukraine : la stratégie de Moscou dans le Donbass"] \
        == "related_teaser"
    assert rules["Article réservé aux abonnés"] == "newsletter_prompt"
    assert rules["Réutiliser ce contenu"] == "navigation"
    assert_offsets_exact(WIRE_STORY_DUMP)


# ------------------------------------------------------------------------------------------ hostile lines

# (opening, repeated fragment): the line is the opening, then the fragment up to the length, then " x".
PATHOLOGICAL_LINES = [
    ("(", "AB   /"), ("(", "AB /"), ("", "( A"), ("", "1 "), ("", "a"), ("", "x "), ("", "#a "), ("", "#a, "),
    ("Par ", "A "), ("Publié le ", "1 "), ("© ", "A "), ("", "A | "), ("", "12/12/2023 "),
    ("Lire aussi ", "a "), ("", "cookies vous "), ("", "facebook "), ("", "e-mail|"), ("", "(@a) "),
    ("— ", "A "), ("", ". "), ("", "A. "), ("1", " "), ("Pseudo ", "- "),
]


def _hostile(opening: str, fragment: str, length: int) -> str:
    body = opening + fragment * (length // len(fragment) + 1)
    return body[:length - 2] + " x"


@pytest.mark.parametrize(("opening", "fragment"), PATHOLOGICAL_LINES)
def test_pathological_lines_are_processed_in_linear_time(opening: str, fragment: str):
    """A 10,000-character line, and lines of 148 and 1,000 characters (which still meet every line rule),
    built from a repeated fragment are split in well under a second: no rule backtracks."""
    import time

    from pipeline.line_rules import MAX_RULE_LINE_CHARS, line_rule

    started = time.perf_counter()
    for length in (148, MAX_RULE_LINE_CHARS):
        line_rule(_hostile(opening, fragment, length))
    paragraphs, boilerplate = split(f"{BODY_1}\n\n{_hostile(opening, fragment, 10_000)}\n\n"
                                    f"{_hostile(opening, fragment, MAX_RULE_LINE_CHARS)}\n\n{BODY_2}")
    assert time.perf_counter() - started < 1.0
    assert len(paragraphs) + len(boilerplate) >= 4


def test_collapse_whitespace_maps_every_character_back_to_its_source():
    from pipeline.collapse import collapse_whitespace

    source = "Selon la maire, Jean-Pierre\n   Lefèvre, la décision  est prise."
    paragraph = normalise_chars(source)
    collapsed, offsets = collapse_whitespace(paragraph)
    assert collapsed == "Selon la maire, Jean-Pierre Lefèvre, la décision est prise."
    start = collapsed.index("Jean-Pierre Lefèvre")
    end = start + len("Jean-Pierre Lefèvre")
    assert source[offsets[start]:offsets[end - 1] + 1] == "Jean-Pierre\n   Lefèvre"
    assert all(paragraph[o] == c for c, o in zip(collapsed, offsets, strict=True))


# ------------------------------------------------------------------------------------------ one analysis

PAGE = (f"Accueil\nPolitique\nÉconomie\n\nPublié le 14 mars 2024 à 10h15\n\n"
        f"La taxe foncière augmente à Quimper\n\n{BODY_1}\n\n{BODY_2}\n\n{BODY_3}\n\n"
        "Partager sur Facebook\nCopier le lien\n")


def test_ingest_and_the_split_run_the_line_rules_once_per_page(monkeypatch: pytest.MonkeyPatch):
    """Ingest asks a page three questions (a stub? the reference date? its paragraphs for that date) and
    the split a fourth: the line rules, the bulk of the cost, run over its lines once, not four times."""
    import pipeline.paragraphs as paragraphs
    from pipeline.paragraphs import is_stub, locate_article
    from pipeline.reference_date import reference_date_from_text

    calls: list[str] = []
    rule = paragraphs.line_rule

    def counted(text: str) -> str | None:
        calls.append(text)
        return rule(text)

    monkeypatch.setattr(paragraphs, "line_rule", counted)
    page = PAGE.replace("Quimper", "Lorient")  # a text no earlier test analysed
    lines = [line for line in page.split("\n") if line.strip()]
    assert is_stub(page) is None
    assert locate_article(page) is not None
    assert reference_date_from_text(page).basis == "in_text"
    paragraphs_of_a, boilerplate_of_a = split_document("a", page)
    assert len(calls) == len(lines)
    # the shared analysis holds no document id: another article with the same text gets its own rows
    paragraphs_of_b, boilerplate_of_b = split_document("b", page)
    assert [p["paragraph_id"] for p in paragraphs_of_b] == [f"b:{i:04d}" for i in range(len(paragraphs_of_b))]
    assert [{**p, "doc_id": "a", "paragraph_id": p["paragraph_id"].replace("b:", "a:")}
            for p in paragraphs_of_b] == paragraphs_of_a
    assert [{**b, "doc_id": "a"} for b in boilerplate_of_b] == boilerplate_of_a
    assert {b["rule"] for b in boilerplate_of_a} >= {"published_line", "share_prompt"}


FLOATING_CHROME = [
    "Cliquez ici (button) pour valider", "Envoyer [button] le formulaire", "Nom ________ Prénom ________",
    "Vous avez aimé ? Partagez-le avec vos amis", "Retrouvez-nous sur l'application officielle du club",
    "Le guide est disponible sur Google Play et ailleurs", "Texte et photos © 2024 Groupe Exemple",
    "Édition (c) 2023 Exemple", "Exemple SA, tous droits réservés", "Example Inc. All rights reserved",
    "Toute reproduction interdite sans accord", "Droits de reproduction et de diffusion réservés à l'éditeur",
    "Exemple et Modèle sont des marques déposées de Exemple SA",
    "Ces logos sont des marques commerciales appartenant à leurs auteurs",
    "Les autres noms sont la propriété de leurs propriétaires respectifs",
    "Conformément au RGPD, vous disposez d'un droit d'accès à vos données",
]


@pytest.mark.parametrize("line", [*FLOATING_CHROME, BODY_1, BODY_2, BODY_3, "Partager sur Facebook",
                                  "App Store", "Copyright 2024 Exemple"])
def test_rules_tested_by_their_anchored_part_alone_give_the_same_answer(line: str):
    """A line without any of a rule's floating words skips its unanchored alternatives: never a different
    answer from searching every alternative (each line above reaches a floating one, or none)."""
    from pipeline.line_rules import RULE_PATTERNS, _rule_matches, line_key

    key = line_key(line)
    for rule, pattern in RULE_PATTERNS.items():
        assert _rule_matches(rule, key) == bool(pattern.search(key)), rule


def test_every_unanchored_alternative_is_guarded_by_its_words():
    """A rule with an alternative that may match anywhere in a line lists the words such a match holds, and
    each such alternative, on a line of its own words only, is found through them."""
    from pipeline.line_rules import FLOATING_WORDS, RULE_ALTERNATIVES

    for rule, alternatives in RULE_ALTERNATIVES.items():
        floating = [alt for alt in alternatives if not alt.startswith("^")]
        assert not floating or rule in FLOATING_WORDS, rule
    matched = {rule for line in FLOATING_CHROME for rule in FLOATING_WORDS
               if any(re.compile(alt).search(_key(line)) for alt in RULE_ALTERNATIVES[rule]
                      if not alt.startswith("^"))}
    assert matched == set(FLOATING_WORDS)


def _key(line: str) -> str:
    from pipeline.line_rules import line_key

    return line_key(line)
