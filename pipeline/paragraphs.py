"""documents -> paragraphs: split into paragraphs, drop page chrome (boilerplate), normalise characters 1:1.

How a document is cut:

1. Lines: every non-empty line with its exact span in ``documents.text``; a blank line starts a new block.
2. Line rules: each line is tested against general French web-page rules (:data:`LINE_RULES`, then the
   context rules: photo captions, teaser lists after "Lire aussi", runs of menu items). A matching
   line becomes a ``boilerplate`` row named after its rule.
3. Units: inside a block, the lines of one hard-wrapped paragraph are joined (:func:`join_hard_wraps`:
   a line not ending a sentence followed by one in lower case; in a text wrapped at a fixed width, a full
   line followed by one at the same indentation; a list item and its indented continuation); the line
   breaks become spaces in the paragraph text. A removed line's continuation is removed with it.
4. The article (:mod:`pipeline.article_body`): the body is located as a whole (jusText-style block
   classification, the largest cluster of prose) and everything above its headline or after its end is
   chrome (``outside_article_header`` / ``outside_article_footer``), as are list items inside it that no
   line introduces (``list_chrome``) and pictures' texts said twice (``repeated_caption``).
5. Position: short non-sentence units before the first body paragraph (except the title and the
   standfirst) and after the last one are page chrome (``page_chrome_header`` / ``page_chrome_footer``).
6. Very long units are cut into chunks of at most :data:`MAX_PARAGRAPH_CHARS` at sentence or
   whitespace boundaries (spaCy refuses texts over 1,000,000 characters and slows down long before).

Paragraph text is ``normalise_chars(documents.text[start:end])``: same-length substitutions only, so an
offset ``i`` in a paragraph is ``doc_char_start + i`` in the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import polars as pl

from pipeline.article_body import (
    POST_SIGNATURE,
    ArticleSpan,
    article_span,
    is_list_item,
    mark_outside_article,
)
from pipeline.schemas import empty_frame

# Same-length substitutions only, so paragraph offsets map 1:1 onto documents.text.
_CHAR_MAP = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " ",
    "\t": " ", "\n": " ", "\r": " ",
})

MAX_PARAGRAPH_CHARS = 5000
MAX_RULE_LINE_CHARS = 1000  # page chrome is short: longer lines skip the line rules (and stay cheap)
MIN_NAV_RUN = 3  # this many menu-like lines in a row form a menu
MAX_TEASERS_AFTER_MARKER = 6
MAX_CAPTION_WORDS = 25
MIN_TITLE_WORDS = 3  # shorter lines above the headline are kickers / section labels

SENTENCE_END = re.compile(r"[.!?…][\s»\"”'’)\]]*$")
STATEMENT_END = re.compile(r"[.!…][\s»\"”'’)\]]*$")  # a question ending is typical of teaser titles
NO_HEADING_END = re.compile(r"[.!?…:;,»\"”'’)\]]\s*$")
BULLET_START = re.compile(r"^[-–—•*·▪►>]")


# The same map as (source, target) pairs: no target is a source, so replacing one pair after the other
# equals ``str.translate``, and ``str.replace`` is ~100x faster than a per-character dict lookup.
_CHAR_PAIRS = tuple((chr(source), target) for source, target in _CHAR_MAP.items())


def normalise_chars(text: str) -> str:
    """Typographic apostrophes -> ', non-breaking spaces and line breaks -> space; length unchanged."""
    for source, target in _CHAR_PAIRS:
        if source in text:
            text = text.replace(source, target)
    return text


def collapse_whitespace(text: str) -> tuple[str, list[int]]:
    """``text`` with every run of spaces reduced to one, and for each character of the result its offset
    in ``text``: what the parser should read (a name wrapped across two indented lines reaches it as
    ``Jean-Pierre Lefèvre``), with the map that takes its spans back to exact source offsets.

    A span ``[i, j)`` of the result is ``[offsets[i], offsets[j - 1] + 1)`` of ``text``.
    """
    chars: list[str] = []
    offsets: list[int] = []
    previous_space = False
    for i, char in enumerate(text):
        space = char == " "
        if not (space and previous_space):
            chars.append(char)
            offsets.append(i)
        previous_space = space
    return "".join(chars), offsets


# ------------------------------------------------------------------------------------------ line rules
# Each rule receives ``key``: the line normalised, lower-cased, with whitespace collapsed. Patterns are
# anchored on the whole line or its start whenever the words could also occur in article prose.

MONTHS = ("janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre"
          "|décembre|decembre|janv|févr|avr|juil|sept|oct|nov|déc")
WEEKDAYS = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
# Words a publication / update line is made of, besides dates and times ("Publié le 20 novembre 2023
# à 10h15, mis à jour hier"). A line made only of these is metadata; "Mise à jour du 22-11 : le
# gouvernement recule" carries news after the date and is kept.
PUBLICATION_WORDS = re.compile(
    rf"\b(publié|publiée|publication|mis|mise|à|a|jour|modifié|modifiée|actualisé|actualisée|màj|maj|"
    rf"le|du|la|l'|il|y|hier|aujourd'hui|dernière|première|date|de|posté|postée|depuis|environ|"
    rf"h|min|mn|heures?|minutes?|jours?|lecture|temps|{MONTHS}|{WEEKDAYS}|\d+(er)?)\b|[\d:/.,|h-]+")
PUBLICATION_START = re.compile(
    r"^(publié|publiée|mis à jour|mise à jour|màj|maj|modifié|modifiée|actualisé|actualisée|posté|postée"
    r"|dernière mise à jour|première publication|date de publication)\b")

# Cookie-consent banners: a line about cookies/trackers addressed to the reader ("nous", "vous", "votre"),
# or a banner button. A news sentence about cookies ("la CNIL sanctionne ...") has no such address.
COOKIE_WORDS = re.compile(r"\b(cookies?|traceurs?)\b")
COOKIE_CONTEXT = re.compile(
    r"\b(nous utilisons|notre site|vous acceptez|accepte[rz]|votre consentement|paramétr|en poursuivant|"
    r"nos partenaires|votre navigation|vos choix|vos préférences|personnaliser|en savoir plus)")
COOKIE_BUTTONS = {
    "accepter", "tout accepter", "accepter tout", "j'accepte", "accepter et fermer", "accepter et continuer",
    "refuser", "tout refuser", "continuer sans accepter", "paramétrer", "paramètres", "personnaliser",
    "gérer mes choix", "gérer les cookies", "cookies", "gérer mes préférences", "ok", "ok, j'ai compris",
    "en savoir plus", "fermer",
}
# Social networks (as link labels in share bars and "follow us" blocks).
SOCIAL_NETWORKS = (r"facebook|twitter|x|linkedin|instagram|youtube|tiktok|whatsapp|e-?mail|mail|pinterest"
                   r"|snapchat|threads|bluesky|messenger|telegram|flipboard|reddit|google news|copier le lien"
                   r"|imprimer|rss")
SOCIAL_ONLY = re.compile(rf"^(({SOCIAL_NETWORKS})[\s|,•/·-]*){{1,12}}$")
# Single link labels of site navigation and account areas (a whole line, anywhere in the page).
NAV_LABELS = {
    "accueil", "menu", "rechercher", "recherche", "se connecter", "connexion", "s'identifier", "mon compte",
    "mon espace", "s'inscrire", "inscription", "créer un compte", "retour", "retour en haut", "haut de page",
    "aller au contenu", "aller au contenu principal", "passer au contenu", "passer au contenu principal",
    "aller à la navigation", "suivant", "précédent", "article suivant", "article précédent", "voir plus",
    "afficher plus", "charger plus", "voir tout", "tout voir", "en direct", "direct", "vidéos", "vidéo",
    "podcasts", "newsletters", "newsletter", "actualités", "actualité", "toute l'actualité", "l'actu", "actu",
    "à la une", "les plus lus", "les plus partagés", "dernières actualités", "dernières infos", "fil info",
    "le fil", "édition du jour", "journal", "éditions", "services", "jeux", "horoscope", "météo",
    "annonces", "boutique", "s'abonner", "je m'abonne", "abonnement", "offrir", "partenaires",
}
LEGAL_LABELS = {
    "mentions légales", "politique de confidentialité", "confidentialité", "conditions générales",
    "conditions générales d'utilisation", "conditions générales de vente", "conditions d'utilisation",
    "cgu", "cgv", "plan du site", "contact", "contacts", "nous contacter", "contactez-nous",
    "qui sommes-nous", "qui sommes-nous ?", "données personnelles", "gestion des cookies",
    "paramètres des cookies", "politique cookies", "politique de cookies", "accessibilité",
    "charte de confidentialité", "charte éditoriale", "déontologie", "aide", "faq", "publicité sur le site",
    "nous rejoindre", "recrutement", "annoncer", "kiosque", "presse", "espace presse", "a propos",
    "à propos", "crédits", "licence", "rss",
}
ADVERTISING = {"publicité", "pub", "annonce", "contenu sponsorisé", "sponsorisé", "article sponsorisé",
               "contenu partenaire", "en partenariat avec", "advertisement", "publi-rédactionnel"}
SOURCE_LINKS = {"source link", "lien source", "lien vers la source", "source", "sources", "lire l'article",
                "lire l'article original", "voir l'article original", "article original"}
COMMENT_LABELS = {"commentaire", "commentaires", "réagissez", "réagir", "commenter", "réactions",
                  "laisser un commentaire", "ajouter un commentaire", "écrire un commentaire",
                  "voir les commentaires", "afficher les commentaires", "tous les commentaires"}


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


RULE_PATTERNS: dict[str, re.Pattern[str]] = {
    # What a browser's "save as text" leaves of page widgets: buttons, form fields, check boxes, frames,
    # image file names, link-relation headers ("#Flux RSS"), bare links.
    "markup_artefact": _any(
        r"\(button\)", r"\[button\b", r"_{4,}", r"^iframe\s*:", r"^\[[^\]]{0,80}\]$",
        r"^\S{1,80}\.(png|jpe?g|gif|svg|webp)\]?$", r"^\[( |x)\]\s", r"^\((\*| )\)\s",
        r"^#.{0,100}\b(flux|rss|alternate|feed|atom)\b",
        r"^(https?:)?//\S+$", r"^(skip to content|aller au menu|aller à la recherche)$",
    ),
    # Sponsored content and partnership lines: "En partenariat avec X - 14 juin 2023".
    "sponsor_line": _any(
        r"^(en partenariat avec|en collaboration avec|avec le soutien de|sponsorisé par|proposé par"
        r"|contenu proposé par|publi-?rédactionnel)\b(?!.*[.!?…]$).{0,150}$",
    ),
    # "Cet article date de plus d'un an." (archive warning)
    "old_article_notice": _any(
        r"^cet article (date|a été publié il y a) de plus d'(un|une|\d+) ",
        r"^cet article a plus d'un an",
    ),
    # Share bars and prompts: "Partager sur Facebook", "Partagez cet article", "Copier le lien".
    "share_prompt": _any(
        r"^(partager|partagez)( (sur|l'article|cet article|ce contenu|la vidéo|par)\b.{0,50})?$",
        r"^(envoyer|transmettre) par (e-?mail|mail|courriel)$",
        r"^(copier le lien|lien copié|imprimer( l'article)?|enregistrer( l'article)?)$",
        r"^(cet article vous a plu|vous avez aimé cet article)\b.{0,60}$",
        r"\bpartagez[- ]le\b",
    ),
    # "Suivez-nous", "Suivez-nous sur Instagram", "Retrouvez-nous sur ...".
    "social_prompt": _any(
        r"^(suivez|retrouvez|rejoignez)[- ]nous\b.{0,80}$",
        r"^suivez (toute )?l'actualité\b.{0,80}$",
        r"^(suivre|s'abonner à) (la page|le compte|la chaîne)\b.{0,60}$",
    ),
    # Application promotion: "Télécharger l'application", "App officielle", "Disponible sur Google Play".
    "app_promo": _any(
        r"\b(app|appli|application) officielle\b",
        r"^(télécharge[rz]?|installe[rz]?|découvre[rz]?) (gratuitement )?(l'|notre |nos )?"
        r"(app|appli|application)s?\b",
        r"\b(disponible|téléchargez?|télécharger) sur (l'app store|google play|le play store)\b",
        r"^(app store|google play|play store)$",
    ),
    # Store ratings: "4,5/5", "4.4 / 5", "572 avis", "★★★★".
    "store_rating": _any(
        r"^\d([.,]\d{1,2})? ?/ ?(5|10)( étoiles)?$",
        r"^\d[\d .]*\s+(avis|notes|évaluations|votes)$",
        r"^note ?: ?\d([.,]\d)? ?/ ?\d+$",
        r"^(★|☆|\*){3,5}",
    ),
    # Copyright lines: "Copyright © 2024 Site", "© 2023 Éditeur. Tous droits réservés".
    "copyright": _any(
        r"^copyright\b", r"©\s*(\d{4}|copyright)", r"\(c\)\s*\d{4}", r"tous droits réservés",
        r"all rights reserved", r"reproduction (interdite|strictement interdite)",
        r"droits de reproduction et de diffusion réservés",
    ),
    # Trademark notices: "X, le logo X et Y sont des marques de Z Inc., déposées aux États-Unis ..."
    "legal_notice": _any(
        r"\b(sont des|est une) marques? (déposées? )?(de |d'|du |des )",
        r"\bmarques? (déposées?|commerciales?) (de |d'|du |des |appartenant)",
        r"\bpropriété de leurs (propriétaires|détenteurs|ayants droit) respectifs\b",
        r"^conformément (à la loi|au règlement|aux dispositions)\b.{0,40}\b(1978|informatique|données|rgpd)",
        r"\bvous (disposez|bénéficiez) d'un droit d'accès\b",
    ),
    # Photo credits: "© Jane Doe / Agence", "Crédit photo : X", "Photo : AFP", "Légende © Jane Doe".
    "photo_credit": _any(
        r"^©\s*\D",
        r"^(crédits?|crédit photo|crédits photos|photo|photos|illustration|image|visuel|iconographie)"
        r"\s*:\s*\S.{0,80}$",
        r"^.{0,200}\s©\s*[^\s\d].{0,60}$",
        r"^(photo|crédit|illustration) (afp|reuters|ap|epa|maxppp|abaca|sipa|getty images)\b",
        r"^(?=(\S+\s+){0,25}\S*$).{0,200}\bcrédits? photos?\s*:\s*\S",
    ),
    # "Temps de lecture : 2 min", "Lecture 3 min", "4 min de lecture".
    "reading_time": _any(
        r"^(temps de )?lecture ?:? ?(\d+|moins d'une?) ?(min|mn|minutes?)\b.{0,20}$",
        r"^\d+ ?(min|mn|minutes?) (de lecture|à lire)$",
    ),
    # Bylines: "Article rédigé par X", "Par : X", "Propos recueillis par : X", "Avec AFP" (and see
    # _is_name_byline for "Par Jane Doe").
    "byline": _any(
        r"^article rédigé par\b.{0,100}$",
        r"^(par|auteur|autrice|auteurs|rédigé par|écrit par|propos recueillis par|texte|journaliste"
        r"|rédaction)\s*:\s*\S.{0,80}$",
        r"^(avec|\(avec) (afp|reuters|ap|l'afp|agences)\)?$",
        r"^(la rédaction|par la rédaction)$",
        r"^.{0,40}\bavec (l')?(afp|reuters|ap|agences)$",
    ),
    # Comment areas: "12 commentaires", "Connectez-vous à votre compte pour participer", "Soyez le premier".
    "comment_prompt": _any(
        r"^\d+ (commentaires?|réactions?)$",
        r"^(connectez-vous|identifiez-vous|inscrivez-vous)\b.{0,80}\b(pour|afin de) "
        r"(participer|commenter|réagir|laisser|poster|publier)\b",
        r"^(soyez le premier|soyez la première) à (commenter|réagir)\b",
        r"^(vous devez|il faut) être (connecté|connectée|inscrit|abonné)e?s? (pour|afin de) (commenter|poster"
        r"|réagir|participer|publier)\b",
        r"^il n'y a (pas encore|aucun) (de )?commentaire",
        r"^(les )?commentaires sont (fermés|clos)\b",
    ),
    # Related-article teasers: "Lire aussi : ...", "À lire aussi", "En rapport: ...", "Sur le même sujet".
    # Ambiguous openings ("en rapport", "à lire") count only when followed by punctuation or nothing.
    "related_teaser": _any(
        r"^(à |a )?(lire|voir|écouter|regarder) (aussi|également|encore)\b",
        r"^(en rapport|sur le même sujet|dans la même rubrique|à lire|a lire|à voir|à découvrir|à écouter"
        r"|nos articles|articles? (similaires|liés|associés|recommandés|connexes)|vous aimerez aussi"
        r"|vous (pourriez|pouvez) aussi aimer|ces articles peuvent vous intéresser|sélectionné pour vous"
        r"|recommandé pour vous|notre sélection|découvrez aussi|ailleurs sur le web|le plus lu|les plus lus"
        r"|les articles les plus lus|les plus consultés|dernières actualités|les dernières infos"
        r"|voir plus d'articles|lire la suite|pour aller plus loin|vous aimerez peut-être|dans la même"
        r" rubrique|à consulter aussi)\s*([:>»›|-].*)?$",
    ),
    # Newsletter and subscription prompts, paywall notices.
    "newsletter_prompt": _any(
        r"^(abonnez-vous|je m'abonne|s'abonner|abonnement|déjà abonné|offre d'abonnement|inscrivez-vous"
        r"|recevez|ne manquez rien|restez informé)\b.{0,150}$",
        r"^(?=.{0,200}$)(?=.*\b(newsletters?|lettres? d'information)\b).*\b(inscri|abonne|recevez|recevoir"
        r"|votre (adresse|e-?mail|courriel)|gratuitement|chaque (jour|semaine|matin|soir))",
        r"^(cet |l')?article (est )?réservé aux abonnés",
        r"^il vous reste \d+ ?% de cet article à lire",
        r"^pour lire la suite\b",
    ),
    # Tag and topic lists: "Tags : ...", "Mots-clés : ...", "#climat #énergie".
    "tag_list": _any(
        r"^(tags?|mots[- ]clés?|thèmes?|thématiques?|sujets?( associés)?|catégories?|rubriques?|étiquettes?"
        r"|dans cet article|personnalités?)\s*:\s*\S.{0,200}$",
        r"^(#[\w-]+[\s,]*){2,}$",
    ),
    # Site lists and breadcrumbs on one line: "Nos sites : A | B | C", "Accueil > Monde > Europe"
    # (and see _is_separated_list).
    "navigation": _any(
        r"^(nos sites|nos marques|le groupe|nos autres sites|réseau)\s*:.{0,200}$",
        r"^accueil\s*[>›»/|].{0,200}$",
    ),
}


# A caption ending with its credit in capitals: "Le ministre à Paris. (JANE DOE / AGENCE / POOL)".
# One credit part, tested on its own after splitting at "/": no nested quantifier, so linear time.
AGENCY_CREDIT_PART = re.compile(r"[A-ZÀ-Ý][A-ZÀ-Ý .'&-]+")
MAX_TEASER_WORDS = 40
# "À lire aussiLe maire répond": a teaser label glued to the teaser's title by a text dump.
GLUED_TEASER = re.compile(r"^(?:[ÀA] (?:lire|voir)|Lire|Voir) (?:aussi|également)(?=[A-ZÀ-Ý«“\"])")
# A photographer in capitals and the agency that distributes the picture: "JANE DOE via Agence Exemple".
VIA_CREDIT = re.compile(r"\b[A-ZÀ-Ý]{2,}(?: [A-ZÀ-Ý'-]{2,}){1,3} via [A-ZÀ-Ý]")


def line_key(text: str) -> str:
    """The form rules look at: normalised characters, lower case, single spaces."""
    return " ".join(normalise_chars(text).lower().split())


def line_rule(text: str) -> str | None:
    """Name of the first boilerplate rule a line matches on its own, or None."""
    if len(text) > MAX_RULE_LINE_CHARS:
        return None
    key = line_key(text)
    bare = key.strip(" .:!-–—•|")
    for labels, rule in ((ADVERTISING, "advertisement"), (SOURCE_LINKS, "source_link"),
                         (COMMENT_LABELS, "comment_prompt"), (LEGAL_LABELS, "legal_notice"),
                         (NAV_LABELS, "navigation")):
        if bare in labels:
            return rule
    if _is_publication_line(key):
        return "published_line"
    if COMMENT_HEADER.match(key):
        return "reader_comment"
    if _is_cookie_line(key):
        return "cookie_notice"
    if SOCIAL_ONLY.match(bare):
        return "share_prompt"
    if _is_separated_list(key):
        return "navigation"
    plain = normalise_chars(text).strip()
    if _is_name_byline(plain):
        return "byline"
    if (_ends_with_agency_credit(plain) or VIA_CREDIT.search(plain)) and len(key.split()) <= 40:
        return "photo_credit"
    if GLUED_TEASER.match(plain):
        return "related_teaser"
    for rule, pattern in RULE_PATTERNS.items():
        if pattern.search(key) and (rule != "related_teaser" or len(key.split()) <= MAX_TEASER_WORDS):
            return rule
    return None


def _ends_with_agency_credit(text: str) -> bool:
    """``... (JANE DOE / AGENCE)``: a final parenthesis of two or more capitalised parts joined by "/".

    Written with ``split`` instead of one regular expression: the nested form backtracked exponentially
    on lines such as ``(AB   /AB   /AB ... x``.
    """
    if not text.endswith(")"):
        return False
    opening = text.rfind("(")
    parts = text[opening + 1:-1].split("/") if opening >= 0 else []
    return len(parts) >= 2 and all(AGENCY_CREDIT_PART.fullmatch(part.strip()) for part in parts)


def _is_publication_line(key: str) -> bool:
    """``Publié le ... mis à jour ...``, or a bare page timestamp: ``Le 18 juillet 2023 à 6:00 — Mis à jour
    ...``, ``07 avril 2025 | 06h30`` (a date with a clock time; a date alone may be a live-blog heading)."""
    if PUBLICATION_WORDS.sub(" ", key).strip(" ,.;:|-–—()"):
        return False
    return bool(PUBLICATION_START.match(key) or (CLOCK_TIME.search(key) and STAMP_DATE.search(key)))


# A reader comment's header: a short handle, then a numeric date and a clock time, then maybe the comment
# (``Cyclo18 — 18/07/2023 08:31 : Bravo !``, ``Sylvie B. le 03/04/2018 à 09:15 — ...``, ``Luc_V (07/04/2025
# 09:48) : ...``). Article prose does not put a timestamp right after a name.
COMMENT_HEADER = re.compile(
    r"^[^\s].{0,40}?\s*(?:[-–—]|\ble\b|\()\s*\d{1,2}[/.]\d{1,2}[/.]\d{2,4},?\s*(?:à\s*)?"
    r"\d{1,2}\s*[h:]\s*\d{2}\)?\s*(?:[:—–-].*)?$")
CLOCK_TIME = re.compile(r"\b\d{1,2}\s*[h:]\s*\d{2}\b|\b\d{1,2}\s*h\b")
STAMP_DATE = re.compile(
    rf"\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b|\b\d{{1,2}}(er)? ({MONTHS})\.? \d{{4}}\b")


def _is_cookie_line(key: str) -> bool:
    if key.rstrip(" .!") in COOKIE_BUTTONS:
        return True
    return bool(COOKIE_WORDS.search(key) and COOKIE_CONTEXT.search(key)) and len(key.split()) <= 80


def _is_separated_list(key: str) -> bool:
    """``A | B | C`` or ``A > B > C``: three or more short items joined by separators (menus, crumbs)."""
    items = re.split(r"\s+[|•·>›»/]\s+", key)
    short_items = all(0 < len(item.split()) <= 5 for item in items)
    return len(items) >= 3 and short_items and not SENTENCE_END.search(key)


def _is_name_byline(text: str) -> bool:
    """``Par Jane Doe`` / ``Par Jane Doe, à Lyon``: "Par" + capitalised names, short, no full stop."""
    match = re.match(r"^(Par|PAR|By)\s+(\S.*)$", text)
    if not match or len(text.split()) > 10 or STATEMENT_END.search(text):
        return False
    names = re.split(r"\s*[,|–—-]\s*|\s+et\s+", match.group(2))[0].split()
    return 1 <= len(names) <= 5 and all(w[0].isupper() or w in {"de", "du", "des", "d'", "la", "le"}
                                        for w in names)


# ------------------------------------------------------------------------------------------ lines and units


@dataclass(frozen=True)
class Unit:
    """A candidate paragraph: a span of the document, its block, and the rule that removes it (if any)."""

    start: int
    end: int
    block: int
    text: str  # normalise_chars(document[start:end])
    rule: str | None = None

    @property
    def words(self) -> int:
        return len(self.text.split())


def split_lines(text: str) -> list[Unit]:
    """Non-empty lines (stripped spans); a blank or whitespace-only line starts a new block."""
    units: list[Unit] = []
    block = 0
    position = 0
    for raw in text.split("\n"):
        start, end = _strip_span(text, position, position + len(raw))
        position += len(raw) + 1
        if start >= end:
            block += 1
            continue
        units.append(Unit(start, end, block, normalise_chars(text[start:end])))
    return units


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def is_prose(unit: Unit) -> bool:
    """A body-like line: a sentence of some length, or long enough to be prose whatever its end."""
    if unit.rule is not None:
        return False
    return (unit.words >= 8 and bool(SENTENCE_END.search(unit.text))) or unit.words >= 25


def is_menu_like(unit: Unit) -> bool:
    """A link label: a few words, no sentence punctuation, not a list item or post signature."""
    return (unit.words <= 4 and len(unit.text) <= 40 and not NO_HEADING_END.search(unit.text)
            and not BULLET_START.match(unit.text) and not POST_SIGNATURE.match(unit.text))


def apply_line_rules(units: list[Unit]) -> list[Unit]:
    """Rules on single lines, then the context rules that look at neighbouring lines."""
    units = [replace(u, rule=line_rule(u.text)) for u in units]
    units = mark_photo_captions(units)
    units = mark_teaser_lists(units)
    return mark_menu_runs(units)


def mark_photo_captions(units: list[Unit]) -> list[Unit]:
    """A short line right above a photo credit, in the same block (no blank line between), is its caption."""
    out = list(units)
    for i in range(len(out) - 1):
        below = out[i + 1]
        if (out[i].rule is None and below.rule == "photo_credit" and below.block == out[i].block
                and out[i].words <= MAX_CAPTION_WORDS):
            out[i] = replace(out[i], rule="photo_caption")
    return out


def mark_teaser_lists(units: list[Unit]) -> list[Unit]:
    """Headlines listed under a bare "À lire aussi" / "Sur le même sujet" marker are teasers too."""
    out = list(units)
    for i, unit in enumerate(units):
        if unit.rule != "related_teaser" or unit.words > 5:
            continue
        for j in range(i + 1, min(i + 1 + MAX_TEASERS_AFTER_MARKER, len(out))):
            nxt = out[j]
            if nxt.rule is not None or (is_prose(nxt) and STATEMENT_END.search(nxt.text)) or nxt.words > 25:
                break
            out[j] = replace(nxt, rule="related_teaser")
            if j + 1 < len(out) and out[j + 1].block != nxt.block:
                break  # the teaser list ends with its block
    return out


def announced_list_items(units: list[Unit]) -> set[int]:
    """Lines of a list announced by the line above ("Les villes concernées :"), in the same block."""
    items: set[int] = set()
    for i, unit in enumerate(units):
        if unit.rule is None and unit.words >= 4 and unit.text.rstrip().endswith(":"):
            j = i + 1
            while j < len(units) and units[j].block == unit.block and units[j].words <= 25 \
                    and units[j].rule in (None, "navigation"):
                items.add(j)
                j += 1
    return items


def mark_menu_runs(units: list[Unit]) -> list[Unit]:
    """Three or more menu-like lines in a row (same block) are a navigation menu or section list.

    Short lines announced by a line ending with a colon are an article's list, not a menu.
    """
    out = list(units)
    listed = announced_list_items(out)
    i = 0
    while i < len(out):
        j = i
        while (j < len(out) and out[j].block == out[i].block and is_menu_like(out[j]) and j not in listed
               and out[j].rule in (None, "navigation", "legal_notice", "comment_prompt")):
            j += 1
        if j - i >= MIN_NAV_RUN:
            for k in range(i, j):
                out[k] = replace(out[k], rule=out[k].rule or "navigation")
        i = max(j, i + 1)
    return out


def join_hard_wraps(units: list[Unit], text: str) -> list[Unit]:
    """Join the lines of one hard-wrapped paragraph into one unit (the line breaks become spaces).

    A line continues the one above it (same block) when that one does not end a sentence and it starts in
    lower case, or when the text is hard-wrapped at a fixed width (:func:`wrap_width`) and the line above
    was full (its next word would not have fitted) at the same indentation, or when it is the indented
    continuation of a list item. A continuation of a removed line is removed with it (same rule).
    """
    width = wrap_width(text)
    out: list[Unit] = []
    for unit in units:
        prev = out[-1] if out else None
        # a removed line may continue into a kept one (same rule), never a kept line into a removed one
        if (prev is not None and prev.block == unit.block and unit.rule is None
                and _continues(prev, unit, text, width)):
            out[-1] = Unit(prev.start, unit.end, prev.block, normalise_chars(text[prev.start:unit.end]),
                           prev.rule)
        else:
            out.append(unit)
    return out


WRAP_MIN_LINES = 5  # a text is hard-wrapped when this many lines end within a word of the same width
MAX_WRAP_WIDTH = 160


def wrap_width(text: str) -> int | None:
    """The column a hard-wrapped text dump is wrapped at, or None when its lines are not wrapped."""
    lengths = [len(line.rstrip()) for line in text.split("\n")]
    candidates = [n for n in lengths if n <= MAX_WRAP_WIDTH]
    if not candidates:
        return None
    width = max(candidates)
    near = sum(1 for n in candidates if width - 15 <= n <= width)
    return width if near >= WRAP_MIN_LINES and width >= 40 else None


def _column(text: str, offset: int) -> int:
    return offset - (text.rfind("\n", 0, offset) + 1)


def _continues(prev: Unit, unit: Unit, text: str, width: int | None) -> bool:
    """Whether ``unit`` is the next line of the paragraph ``prev`` ends (see :func:`join_hard_wraps`)."""
    if is_list_item(unit.text):
        return False
    last_line_start = text.rfind("\n", 0, prev.end) + 1
    prev_indent = _strip_span(text, last_line_start, prev.end)[0] - last_line_start
    indent = _column(text, unit.start)
    if is_list_item(prev.text) and indent > _column(text, prev.start):
        return True  # the wrapped continuation of a list item
    if not SENTENCE_END.search(prev.text) and unit.text[0].islower():
        return True
    if width is None or indent != prev_indent:
        return False
    next_word = len(unit.text.split(maxsplit=1)[0])
    return _column(text, prev.end) + 1 + next_word > width


# ------------------------------------------------------------------------------------------ page position


def mark_page_chrome(units: list[Unit], title: int | None = None) -> list[Unit]:
    """Short non-sentence lines in the page header (except title and standfirst) and footer are chrome.

    ``title``: the headline's index when the page layout already shows it, else it is guessed here.
    """
    out = list(units)
    header_end = find_header_end(out)
    if title is None or title >= header_end:
        title = find_title(out, header_end)
    for i in range(header_end):
        unit = out[i]
        if unit.rule is None and i != title and not (is_standfirst(unit) or POST_SIGNATURE.match(unit.text)):
            out[i] = replace(unit, rule="page_chrome_header")
    for i in range(find_footer_start(out), len(out)):
        if out[i].rule is None:
            out[i] = replace(out[i], rule="page_chrome_footer")
    return out


def find_title(units: list[Unit], header_end: int) -> int | None:
    """The headline: the last kept header line of a few words above the standfirst.

    Site names and kickers come above the headline, so the closest line to the standfirst wins. Without a
    standfirst, the last line of six words or more (else the wordiest). A headline that reads like a
    sentence is itself taken for the standfirst and kept as such.
    """
    kept = [i for i in range(header_end) if units[i].rule is None]
    first_standfirst = next((i for i in kept if is_standfirst(units[i])), header_end)
    candidates = [i for i in kept if i < first_standfirst and units[i].words >= MIN_TITLE_WORDS]
    if first_standfirst < header_end:
        return candidates[-1] if candidates else None
    long_ones = [i for i in kept if units[i].words >= 6]
    if long_ones:
        return long_ones[-1]
    return max(kept, key=lambda i: (units[i].words, i), default=None)


def is_standfirst(unit: Unit) -> bool:
    """The sentence(s) under the headline: a statement of six words or more."""
    return unit.words >= 15 or (unit.words >= 6 and bool(SENTENCE_END.search(unit.text)))


def find_header_end(units: list[Unit]) -> int:
    """Index of the first body paragraph: the first prose unit after the page-header metadata.

    Header metadata (bylines, dates, credits, menus...) counts only while at most two prose units
    (headline and standfirst) have been seen, so a rule hit inside the article does not extend it.
    """
    prose_seen = 0
    last_header_hit = -1
    for i, unit in enumerate(units):
        if unit.rule is not None and unit.rule != "related_teaser":
            last_header_hit = i
        elif is_prose(unit):
            prose_seen += 1
            if prose_seen > 2:
                break
    return next((i for i in range(last_header_hit + 1, len(units)) if is_prose(units[i])), len(units))


def find_footer_start(units: list[Unit]) -> int:
    """Index just after the last body paragraph (a kept statement, a long paragraph, a post signature, or
    the last item of a list announced with a colon)."""
    listed = announced_list_items(units)
    for i in range(len(units) - 1, -1, -1):
        unit = units[i]
        if unit.rule is None and (unit.words >= 25 or (unit.words >= 4 and STATEMENT_END.search(unit.text))
                                  or POST_SIGNATURE.match(unit.text) or i in listed):
            return i + 1
    return len(units)


# ------------------------------------------------------------------------------------------ chunks, headings


def chunk_spans(text: str, start: int, end: int, limit: int = MAX_PARAGRAPH_CHARS) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into spans of at most ``limit`` chars, at a sentence end, else a space."""
    spans: list[tuple[int, int]] = []
    while end - start > limit:
        window = text[start:start + limit]
        cut = _last_boundary(window, r"[.!?…][»\"”'’)\]]*\s+", limit // 2) or _last_boundary(window, r"\s+",
                                                                                               limit // 2)
        spans.append(_strip_span(text, start, start + (cut or limit)))
        start, _ = _strip_span(text, start + (cut or limit), end)
    if start < end:
        spans.append((start, end))
    return [s for s in spans if s[0] < s[1]]


def _last_boundary(window: str, pattern: str, minimum: int) -> int | None:
    last = None
    for match in re.finditer(pattern, window[minimum:]):
        last = minimum + match.end()
    return last


def is_heading(units: list[Unit], i: int, body_start: int, body_end: int) -> bool:
    """A short line without final punctuation between body paragraphs."""
    unit = units[i]
    return (body_start <= i < body_end and unit.words <= 20 and len(unit.text) <= 200
            and not NO_HEADING_END.search(unit.text) and not BULLET_START.match(unit.text)
            and not POST_SIGNATURE.match(unit.text)
            and any(is_prose(u) for u in units[body_start:i])
            and any(is_prose(u) for u in units[i + 1:body_end]))


# ------------------------------------------------------------------------------------------ documents


def split_document(doc_id: str, text: str) -> tuple[list[dict], list[dict]]:
    """Paragraph rows and boilerplate rows of one document (offsets into ``text``)."""
    units = join_hard_wraps(apply_line_rules(split_lines(text)), text)
    units, headline = mark_outside_article(units, text)
    units = mark_page_chrome(units, headline)
    kept = [u for u in units if u.rule is None]
    paragraphs: list[dict] = []
    for i, unit in enumerate(kept):
        heading = is_heading(kept, i, 0, len(kept))
        for start, end in chunk_spans(text, unit.start, unit.end):
            index = len(paragraphs)
            paragraphs.append({
                "doc_id": doc_id, "doc_char_start": start, "doc_char_end": end,
                "paragraph_id": f"{doc_id}:{index:04d}", "paragraph_index": index,
                "text": normalise_chars(text[start:end]), "is_heading": heading,
            })
    boilerplate = [
        {"doc_id": doc_id, "doc_char_start": u.start, "doc_char_end": u.end, "text": u.text, "rule": u.rule}
        for u in units if u.rule is not None
    ]
    return paragraphs, boilerplate


STUB_MAX_WORDS = 80  # an article body this short, on a page full of chrome, is a teaser, not an article
STUB_MIN_CHROME_LINES = 10  # ... on a saved web page (a short plain-text brief has no chrome around it)
PAYWALL = re.compile(r"réservé aux abonnés|il vous reste \d+ ?%|pour lire la suite|pour continuer à lire"
                     r"|article (complet )?(est )?réservé|déjà abonné|abonnez-vous pour lire|contenu premium")


def is_stub(text: str) -> str | None:
    """Why a page is not an article worth parsing, or None when it is one.

    ``paywall_stub``: the body left once the chrome is gone has at most :data:`STUB_MAX_WORDS` words and
    the page says the rest is for subscribers. ``no_article``: as short, on a page of at least
    :data:`STUB_MIN_CHROME_LINES` chrome lines (a section front, an error page, a video page).
    """
    paragraphs, boilerplate = split_document("stub", text)
    words = sum(len(p["text"].split()) for p in paragraphs if not p["is_heading"])
    if words > STUB_MAX_WORDS:
        return None
    if any(PAYWALL.search(line_key(b["text"])) for b in boilerplate) \
            or any(PAYWALL.search(line_key(p["text"])) for p in paragraphs):
        return "paywall_stub"
    return "no_article" if len(boilerplate) >= STUB_MIN_CHROME_LINES else None


def locate_article(text: str) -> ArticleSpan | None:
    """Offsets of the article's headline and body in a page (see :mod:`pipeline.article_body`)."""
    return article_span(join_hard_wraps(apply_line_rules(split_lines(text)), text), text)


def split_paragraphs(documents: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``paragraphs`` and ``boilerplate`` tables for every document."""
    paras: list[dict] = []
    boiler: list[dict] = []
    for row in documents.select("doc_id", "text").iter_rows(named=True):
        p, b = split_document(row["doc_id"], row["text"])
        paras.extend(p)
        boiler.extend(b)
    return _frame("paragraphs", paras), _frame("boilerplate", boiler)


def _frame(table: str, rows: list[dict]) -> pl.DataFrame:
    empty = empty_frame(table)
    return pl.DataFrame(rows, schema=empty.schema) if rows else empty

