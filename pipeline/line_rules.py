"""Page chrome recognised one line at a time: menus, share bars, cookie banners, publication stamps, legal
links, credits, teaser markers. :func:`line_rule` names the rule a line breaks, or None for a line that may be
prose; what a line means in its page (position, neighbours) is ``pipeline/paragraphs.py``'s business.

Each rule receives ``key``: the line normalised, lower-cased, with whitespace collapsed. Patterns are
anchored on the whole line or its start whenever the words could also occur in article prose. Labels that
are whole lines (menus, legal links, cookie buttons...) are data in ``pipeline/lexicons/chrome_*.txt``.
"""

from __future__ import annotations

import re

from pipeline.chars import normalise_chars
from pipeline.french import MONTH_ABBREVIATIONS, MONTHS, WEEKDAYS, alternation
from pipeline.lexicons import read_lexicon

MAX_RULE_LINE_CHARS = 1000  # page chrome is short: longer lines skip the line rules (and stay cheap)
SENTENCE_END = re.compile(r"[.!?…][\s»\"”'’)\]]*$")
STATEMENT_END = re.compile(r"[.!…][\s»\"”'’)\]]*$")  # a question ending is typical of teaser titles

MONTH_NAMES = alternation([*MONTHS, *(name.rstrip(".") for name in MONTH_ABBREVIATIONS)])
WEEKDAY_NAMES = alternation(WEEKDAYS)
# Words a publication / update line is made of, besides dates and times ("Publié le 20 novembre 2023
# à 10h15, mis à jour hier"). A line made only of these is metadata; "Mise à jour du 22-11 : le
# gouvernement recule" carries news after the date and is kept.
PUBLICATION_WORDS = re.compile(
    rf"\b(publié|publiée|publication|mis|mise|à|a|jour|modifié|modifiée|actualisé|actualisée|màj|maj|"
    rf"le|du|la|l'|il|y|hier|aujourd'hui|dernière|première|date|de|posté|postée|depuis|environ|"
    rf"h|min|mn|heures?|minutes?|jours?|lecture|temps|{MONTH_NAMES}|{WEEKDAY_NAMES}|\d+(er)?)\b|[\d:/.,|h-]+")
PUBLICATION_START = re.compile(
    r"^(publié|publiée|mis à jour|mise à jour|màj|maj|modifié|modifiée|actualisé|actualisée|posté|postée"
    r"|dernière mise à jour|première publication|date de publication)\b")

# Cookie-consent banners: a line about cookies/trackers addressed to the reader ("nous", "vous", "votre"),
# or a banner button. A news sentence about cookies ("la CNIL sanctionne ...") has no such address.
COOKIE_WORDS = re.compile(r"\b(cookies?|traceurs?)\b")
COOKIE_CONTEXT = re.compile(
    r"\b(nous utilisons|notre site|vous acceptez|accepte[rz]|votre consentement|paramétr|en poursuivant|"
    r"nos partenaires|votre navigation|vos choix|vos préférences|personnaliser|en savoir plus)")
COOKIE_BUTTONS = frozenset(read_lexicon("chrome_cookie_buttons.txt"))
# Social networks (as link labels in share bars and "follow us" blocks).
SOCIAL_NETWORKS = (r"facebook|twitter|x|linkedin|instagram|youtube|tiktok|whatsapp|e-?mail|mail|pinterest"
                   r"|snapchat|threads|bluesky|messenger|telegram|flipboard|reddit|google news|copier le lien"
                   r"|imprimer|rss")
SOCIAL_ONLY = re.compile(rf"^(({SOCIAL_NETWORKS})[\s|,•/·-]*){{1,12}}$")
# Single link labels of site navigation and account areas (a whole line, anywhere in the page).
NAV_LABELS = frozenset(read_lexicon("chrome_navigation.txt"))
LEGAL_LABELS = frozenset(read_lexicon("chrome_legal.txt"))
ADVERTISING = frozenset(read_lexicon("chrome_advertising.txt"))
SOURCE_LINKS = frozenset(read_lexicon("chrome_source_links.txt"))
COMMENT_LABELS = frozenset(read_lexicon("chrome_comments.txt"))


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


RULE_ALTERNATIVES: dict[str, tuple[str, ...]] = {
    # What a browser's "save as text" leaves of page widgets: buttons, form fields, check boxes, frames,
    # image file names, link-relation headers ("#Flux RSS"), bare links.
    "markup_artefact": (
        r"\(button\)", r"\[button\b", r"_{4,}", r"^iframe\s*:", r"^\[[^\]]{0,80}\]$",
        r"^\S{1,80}\.(png|jpe?g|gif|svg|webp)\]?$", r"^\[( |x)\]\s", r"^\((\*| )\)\s",
        r"^#.{0,100}\b(flux|rss|alternate|feed|atom)\b",
        r"^(https?:)?//\S+$", r"^(skip to content|aller au menu|aller à la recherche)$",
    ),
    # Sponsored content and partnership lines: "En partenariat avec X - 14 juin 2023".
    "sponsor_line": (
        r"^(en partenariat avec|en collaboration avec|avec le soutien de|sponsorisé par|proposé par"
        r"|contenu proposé par|publi-?rédactionnel)\b(?!.*[.!?…]$).{0,150}$",
    ),
    # "Cet article date de plus d'un an." (archive warning)
    "old_article_notice": (
        r"^cet article (date|a été publié il y a) de plus d'(un|une|\d+) ",
        r"^cet article a plus d'un an",
    ),
    # Share bars and prompts: "Partager sur Facebook", "Partagez cet article", "Copier le lien".
    "share_prompt": (
        r"^(partager|partagez)( (sur|l'article|cet article|ce contenu|la vidéo|par)\b.{0,50})?$",
        r"^(envoyer|transmettre) par (e-?mail|mail|courriel)$",
        r"^(copier le lien|lien copié|imprimer( l'article)?|enregistrer( l'article)?)$",
        r"^(cet article vous a plu|vous avez aimé cet article)\b.{0,60}$",
        r"\bpartagez[- ]le\b",
    ),
    # "Suivez-nous", "Suivez-nous sur Instagram", "Retrouvez-nous sur ...".
    "social_prompt": (
        r"^(suivez|retrouvez|rejoignez)[- ]nous\b.{0,80}$",
        r"^suivez (toute )?l'actualité\b.{0,80}$",
        r"^(suivre|s'abonner à) (la page|le compte|la chaîne)\b.{0,60}$",
    ),
    # Application promotion: "Télécharger l'application", "App officielle", "Disponible sur Google Play".
    "app_promo": (
        r"\b(app|appli|application) officielle\b",
        r"^(télécharge[rz]?|installe[rz]?|découvre[rz]?) (gratuitement )?(l'|notre |nos )?"
        r"(app|appli|application)s?\b",
        r"\b(disponible|téléchargez?|télécharger) sur (l'app store|google play|le play store)\b",
        r"^(app store|google play|play store)$",
    ),
    # Store ratings: "4,5/5", "4.4 / 5", "572 avis", "★★★★".
    "store_rating": (
        r"^\d([.,]\d{1,2})? ?/ ?(5|10)( étoiles)?$",
        r"^\d[\d .]*\s+(avis|notes|évaluations|votes)$",
        r"^note ?: ?\d([.,]\d)? ?/ ?\d+$",
        r"^(★|☆|\*){3,5}",
    ),
    # Copyright lines: "Copyright © 2024 Site", "© 2023 Éditeur. Tous droits réservés".
    "copyright": (
        r"^copyright\b", r"©\s*(\d{4}|copyright)", r"\(c\)\s*\d{4}", r"tous droits réservés",
        r"all rights reserved", r"reproduction (interdite|strictement interdite)",
        r"droits de reproduction et de diffusion réservés",
    ),
    # Trademark notices: "X, le logo X et Y sont des marques de Z Inc., déposées aux États-Unis ..."
    "legal_notice": (
        r"\b(sont des|est une) marques? (déposées? )?(de |d'|du |des )",
        r"\bmarques? (déposées?|commerciales?) (de |d'|du |des |appartenant)",
        r"\bpropriété de leurs (propriétaires|détenteurs|ayants droit) respectifs\b",
        r"^conformément (à la loi|au règlement|aux dispositions)\b.{0,40}\b(1978|informatique|données|rgpd)",
        r"\bvous (disposez|bénéficiez) d'un droit d'accès\b",
    ),
    # Photo credits: "© Jane Doe / Agence", "Crédit photo : X", "Photo : AFP", "Légende © Jane Doe".
    "photo_credit": (
        r"^©\s*\D",
        r"^(crédits?|crédit photo|crédits photos|photo|photos|illustration|image|visuel|iconographie)"
        r"\s*:\s*\S.{0,80}$",
        r"^.{0,200}\s©\s*[^\s\d].{0,60}$",
        r"^(photo|crédit|illustration) (afp|reuters|ap|epa|maxppp|abaca|sipa|getty images)\b",
        r"^(?=(\S+\s+){0,25}\S*$).{0,200}\bcrédits? photos?\s*:\s*\S",
    ),
    # "Temps de lecture : 2 min", "Lecture 3 min", "4 min de lecture".
    "reading_time": (
        r"^(temps de )?lecture ?:? ?(\d+|moins d'une?) ?(min|mn|minutes?)\b.{0,20}$",
        r"^\d+ ?(min|mn|minutes?) (de lecture|à lire)$",
    ),
    # Bylines: "Article rédigé par X", "Par : X", "Propos recueillis par : X", "Avec AFP" (and see
    # _is_name_byline for "Par Jane Doe").
    "byline": (
        r"^article rédigé par\b.{0,100}$",
        r"^(par|auteur|autrice|auteurs|rédigé par|écrit par|propos recueillis par|texte|journaliste"
        r"|rédaction)\s*:\s*\S.{0,80}$",
        r"^(avec|\(avec) (afp|reuters|ap|l'afp|agences)\)?$",
        r"^(la rédaction|par la rédaction)$",
        r"^.{0,40}\bavec (l')?(afp|reuters|ap|agences)$",
    ),
    # Comment areas: "12 commentaires", "Connectez-vous à votre compte pour participer", "Soyez le premier".
    "comment_prompt": (
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
    "related_teaser": (
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
    "newsletter_prompt": (
        r"^(abonnez-vous|je m'abonne|s'abonner|abonnement|déjà abonné|offre d'abonnement|inscrivez-vous"
        r"|recevez|ne manquez rien|restez informé)\b.{0,150}$",
        r"^(?=.{0,200}$)(?=.*\b(newsletters?|lettres? d'information)\b).*\b(inscri|abonne|recevez|recevoir"
        r"|votre (adresse|e-?mail|courriel)|gratuitement|chaque (jour|semaine|matin|soir))",
        r"^(cet |l')?article (est )?réservé aux abonnés",
        r"^il vous reste \d+ ?% de cet article à lire",
        r"^pour lire la suite\b",
    ),
    # Tag and topic lists: "Tags : ...", "Mots-clés : ...", "#climat #énergie".
    "tag_list": (
        r"^(tags?|mots[- ]clés?|thèmes?|thématiques?|sujets?( associés)?|catégories?|rubriques?|étiquettes?"
        r"|dans cet article|personnalités?)\s*:\s*\S.{0,200}$",
        r"^(#[\w-]+[\s,]*){2,}$",
    ),
    # Site lists and breadcrumbs on one line: "Nos sites : A | B | C", "Accueil > Monde > Europe"
    # (and see _is_separated_list).
    "navigation": (
        r"^(nos sites|nos marques|le groupe|nos autres sites|réseau)\s*:.{0,200}$",
        r"^accueil\s*[>›»/|].{0,200}$",
    ),
}
RULE_PATTERNS: dict[str, re.Pattern[str]] = {rule: _any(*alts) for rule, alts in RULE_ALTERNATIVES.items()}
# An alternative not anchored at the line start is tried at every position of every line, prose included:
# most of the line rules' cost. In these rules every such alternative contains one of these words, so a
# line without any of them can only match the rule's anchored alternatives, tested alone (one position).
FLOATING_WORDS: dict[str, tuple[str, ...]] = {
    "markup_artefact": ("button", "____"),
    "share_prompt": ("partagez",),
    "app_promo": ("officielle", "store", "google play"),
    "copyright": ("©", "(c)", "tous droits", "all rights", "reproduction"),
    "legal_notice": ("marque", "propriété de leurs", "droit d'accès"),
}
ANCHORED_PATTERNS: dict[str, re.Pattern[str]] = {
    rule: _any(*(alt for alt in RULE_ALTERNATIVES[rule] if alt.startswith("^"))) for rule in FLOATING_WORDS
}


def _rule_matches(rule: str, key: str) -> bool:
    """``RULE_PATTERNS[rule]`` searched in ``key``, the anchored alternatives alone when no floating one can
    match (:data:`FLOATING_WORDS`)."""
    words = FLOATING_WORDS.get(rule)
    if words is not None and not any(word in key for word in words):
        return bool(ANCHORED_PATTERNS[rule].search(key))
    return bool(RULE_PATTERNS[rule].search(key))


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
    for rule in RULE_PATTERNS:
        if _rule_matches(rule, key) and (rule != "related_teaser" or len(key.split()) <= MAX_TEASER_WORDS):
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
    rf"\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b|\b\d{{1,2}}(er)? ({MONTH_NAMES})\.? \d{{4}}\b")


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


