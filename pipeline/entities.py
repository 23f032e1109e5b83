"""docs -> ``entity_mentions`` / ``entities``: spaCy NER cleaned, merged into canonical entities, relabelled.

Two pure steps, so the per-document part can be cached:

- :func:`document_entities` turns one parsed article into :class:`Mention` rows: spaCy entities trimmed
  (elided articles, roles and titles, stray punctuation), non-entities dropped, social-media handles added,
  each mention carrying label evidence (``votes``) from its context and a ``local_key`` that already
  merges what the article itself ties together (surname-only and first-name-only mentions, spacing and
  case variants, "Name (@handle)", "X (anciennement Y)", "Nom long (SIGLE)").
- :func:`merge_corpus` joins those keys across articles (same key, a surname or handle that only one
  entity of the corpus can own), decides each entity's label by agreement of all its mentions' votes,
  picks its display name and builds the two tables.

Before the keys, :func:`document_entities` drops what the article itself shows to be a common noun (a
one-word mention it also writes in lower case, an initialism it defines by common nouns), cuts a span
that is two names it writes apart, and trims "La France" to "France" when the bare name is there too;
:func:`alias_pairs` ties forms that name the same thing whatever the context (articles, plurals,
truncations, initialisms, "Ville de X", periphrases, an event's short form, a parent's name before a coined
one); :func:`_named_with_their_noun` ties "la fondation X" to "Fondation X".

Offsets: candidates live in the parsed paragraph text (runs of spaces collapsed, ``pipeline/collapse.py``)
and become document offsets only through :meth:`ParsedParagraph.doc_span`; a mention's ``text`` is the
source slice, its ``form`` the parsed one (single spaces).

The word lists below, and the data files ``lexicons/entity_*.txt`` (:mod:`pipeline.entity_lexicons`), are
general French (and common international) vocabulary, each documented where it is declared; none is
specific to a particular article.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import polars as pl
from spacy.tokens import Doc, Span

from pipeline import entity_lexicons as lex
from pipeline.lexicons import read_lexicon
from pipeline.model import DocumentParse, ParsedParagraph
from pipeline.schemas import ENTITY_LABELS, empty_frame

# --------------------------------------------------------------------------------------------------
# Lexicons (lower case, accents kept; matched on lower-cased text)
# --------------------------------------------------------------------------------------------------

# Elided French articles, pronouns and conjunctions that spaCy sometimes leaves glued to a name
# ("qu'X", "d'X", "l'X"): the mention starts after the apostrophe.
ELISIONS = ("jusqu'", "lorsqu'", "puisqu'", "quoiqu'", "presqu'", "qu'", "l'", "d'", "s'", "n'", "c'",
            "j'", "m'", "t'")

# Determiners that may open a spaCy span before a role or title ("le PDG X"): dropped only then.
LEADING_DETERMINERS = {"le", "la", "les", "l'", "un", "une", "des", "son", "sa", "ses", "leur", "notre",
                       "votre", "ce", "cet", "cette"}
# Prepositions and conjunctions spaCy sometimes includes at the start of a span: always dropped.
LEADING_PREPOSITIONS = {"de", "d'", "du", "au", "aux", "à", "par", "pour", "avec", "selon", "et", "ou",
                        "que", "qu'", "chez", "sur"}
LEADING_FUNCTION_WORDS = LEADING_DETERMINERS | LEADING_PREPOSITIONS
# Words that modify a title ("le premier ministre", "l'ancien président"): dropped with the title.
TITLE_MODIFIERS = {"premier", "première", "ancien", "ancienne", "ex", "vice", "nouveau", "nouvelle",
                   "actuel", "actuelle", "futur", "future", "haut", "haute"}

# Honorifics written before a person's name (French and English forms).
HONORIFICS = {"m.", "mm.", "mme", "mmes", "mlle", "mr", "mr.", "mrs", "ms", "dr", "dr.", "pr", "pr.",
              "me", "mgr", "monsieur", "madame", "mademoiselle", "maître", "sir", "lady", "lord"}

# Roles, functions and titles a person holds; written right before a name they are a title to strip
# and evidence that the name is a person ("le ministre X", "la CTO X"); followed by "de X" they are
# evidence that X is an organisation ("le PDG de X"). Masculine/feminine and plural forms listed.
ROLE_TITLES = {
    "pdg", "ceo", "cto", "coo", "cfo", "cmo", "cio", "dg", "drh", "président", "présidente", "présidents",
    "vice-président", "vice-présidente", "directeur", "directrice", "directeurs", "directrices",
    "ministre", "ministres", "secrétaire", "sénateur", "sénatrice", "député", "députée", "maire",
    "conseiller", "conseillère", "patron", "patronne", "fondateur", "fondatrice", "cofondateur",
    "cofondatrice", "co-fondateur", "co-fondatrice", "chercheur", "chercheuse", "ingénieur",
    "ingénieure", "journaliste", "porte-parole", "ambassadeur", "ambassadrice", "commissaire",
    "gouverneur", "préfet", "préfète", "juge", "procureur", "procureure", "avocat", "avocate",
    "professeur", "professeure", "docteur", "chef", "cheffe", "entraîneur", "entraîneuse",
    "sélectionneur", "joueur", "joueuse", "capitaine", "général", "colonel", "lieutenant", "commandant",
    "amiral", "roi", "reine", "prince", "princesse", "pape", "cardinal", "évêque", "rabbin", "imam",
    "chancelier", "chancelière", "économiste", "analyste", "investisseur",
    "investisseuse", "milliardaire", "entrepreneur", "entrepreneuse", "dirigeant", "dirigeante",
    "administrateur", "administratrice", "gérant", "gérante", "responsable", "auteur", "autrice",
    "écrivain", "écrivaine", "acteur", "actrice", "chanteur", "chanteuse", "réalisateur",
    "réalisatrice", "cinéaste", "artiste", "président-directeur", "directeur-général", "candidat",
    "candidate", "rapporteur", "rapporteure", "militant", "militante", "syndicaliste", "opposant",
    "opposante", "activiste", "influenceur", "influenceuse", "youtubeur", "youtubeuse", "chroniqueur",
    "chroniqueuse", "éditorialiste", "correspondant", "correspondante", "présentateur", "présentatrice",
    "ex-pdg", "ex-ceo", "ex-président", "ex-ministre", "ex-patron", "ex-directeur", "champion", "championne",
}

# Nouns whose "de X" complement is an organisation ("les employés de X", "le conseil
# d'administration de X", "un rapport de X" for a news outlet): the roles above plus collective and
# corporate nouns.
ORG_OF_NOUNS = ROLE_TITLES - {"roi", "reine", "prince", "princesse", "pape", "auteur", "autrice",
                              "acteur", "actrice", "chanteur", "chanteuse", "artiste", "champion",
                              "championne"} | {
    "employé", "employés", "employée", "employées", "salarié", "salariés", "salariée", "salariées",
    "conseil", "administration", "actionnaire", "actionnaires", "investisseurs", "dirigeants",
    "filiale", "filiales", "siège", "direction", "hiérarchie", "cadres", "équipes", "rachat",
    "action", "actions", "capital", "valorisation", "chiffre", "bénéfices", "concurrent", "concurrents",
    "rapport", "enquête", "article", "rédaction", "journalistes", "site", "porte-paroles",
    "services", "laboratoire", "laboratoires", "usine", "usines", "boutique", "boutiques", "magasins",
    "clients", "abonnés", "membres", "partenaire", "partenaires", "ex-employés",
}

# Nouns that introduce an organisation's name right before it ("la société X", "le journal X",
# "son compte X" = an account on the platform X). Up to two lower-case adjectives may sit between.
ORG_HEAD_NOUNS = {
    "société", "sociétés", "entreprise", "entreprises", "groupe", "firme", "start-up", "startup",
    "jeune pousse", "compagnie", "banque", "constructeur", "éditeur", "fabricant", "marque", "enseigne",
    "opérateur", "assureur", "cabinet", "fonds", "holding", "multinationale", "géant", "journal",
    "quotidien", "hebdomadaire", "mensuel", "magazine", "média", "site", "portail", "blog", "chaîne",
    "radio", "agence", "réseau", "plateforme", "compte", "association", "syndicat", "parti",
    "mouvement", "club", "équipe", "université", "école", "laboratoire", "institut", "fondation",
    "organisation", "ong", "ministère", "conseil", "tribunal", "cour", "commission", "autorité",
    "régulateur", "gendarme", "studio", "label", "distributeur", "concurrent", "rival",
    "filiale", "maison", "banques", "investisseurs", "fournisseur", "éditrice", "service",
}

# Nouns that introduce a product, work or event right before its name ("le chatbot X", "le
# modèle X", "le salon X"): evidence for MISC, and never entities on their own.
PRODUCT_HEAD_NOUNS = {
    "chatbot", "agent", "logiciel", "application", "appli", "app", "modèle", "robot", "assistant",
    "jeu", "smartphone", "téléphone", "ordinateur", "tablette", "console", "voiture", "véhicule",
    "série", "film", "livre", "roman", "album", "titre", "chanson", "outil", "moteur", "programme",
    "système", "navigateur", "processeur", "puce", "fusée", "satellite", "lanceur", "émission",
    "festival", "salon", "conférence", "sommet", "opération", "projet", "plan", "loi", "traité",
    "prix", "trophée", "algorithme", "produit", "version", "casque", "montre", "médicament", "vaccin",
    "technologie",
}

# Nouns whose "de X" complement is a product or work ("le créateur de X").
PRODUCT_OF_NOUNS = {"créateur", "créatrice", "concepteur", "conceptrice", "inventeur", "version",
                    "utilisateurs", "lancement", "sortie"}

# Verb lemmas whose direct object is usually an organisation ("dirige X", "a racheté X").
ORG_OBJECT_VERBS = {"diriger", "fonder", "cofonder", "co-fonder", "racheter", "présider", "rejoindre",
                    "quitter", "acquérir", "intégrer", "créer", "gérer", "financer", "privatiser"}

# Verbs of the author reporting a source ("comme le rapporte X", "selon X"): the source acts, so a
# name spaCy calls MISC there is an organisation (a news outlet, an agency).
SOURCE_CUES = re.compile(
    r"(?:\bselon|\bd'après|\brapporte|\brapportent|\bindique|\bécrit|\brévèle|\bexplique|\baffirme|"
    r"\bprécise|\bannonce|\bconfirme|\bcite|\brelate|\brelève|\brappelle)\s+(?:le\s+|la\s+|les\s+|l')?$",
    re.IGNORECASE)

# Words that end or make up organisation names ("X Capital", "X Group", "Banque X").
ORG_NAME_WORDS = {
    "capital", "ventures", "partners", "group", "groupe", "holding", "holdings", "inc", "inc.", "corp",
    "corp.", "corporation", "ltd", "llc", "sa", "sas", "sarl", "gmbh", "ag", "plc", "bank", "banque",
    "airlines", "airways", "motors", "technologies", "technology", "labs", "studios", "records",
    "media", "médias", "pharma", "foundation", "fondation", "institute", "institut", "université",
    "university", "association", "agency", "agence", "ministère", "commission", "parlement",
    "assemblée", "sénat", "tribunal", "cour", "parti", "club", "fc", "times", "post", "journal", "news",
    "herald", "gazette", "tribune", "magazine", "télévision", "tv", "press", "presse", "systems",
    "software", "industries", "energy", "énergies", "télécom", "telecom", "mobile", "solutions", "ai",
    "ia", "business",
}

# Days and months: capitalised at a sentence start, spaCy tags them PER or LOC.
CALENDAR_WORDS = {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "janvier",
                  "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                  "novembre", "décembre", "aujourd'hui", "hier", "demain"}

# Interjections, pronouns, sentence connectives and web-page furniture that spaCy may tag as a name
# when capitalised ("Niet", "Source link", "Lire aussi").
NON_ENTITY_WORDS = {
    "niet", "bravo", "hélas", "oups", "ah", "oh", "eh", "bah", "ben", "bon", "voilà", "voici", "merci",
    "salut", "bonjour", "bonsoir", "ok", "okay", "wow", "zut", "hein", "allô", "oui", "non", "amen",
    "il", "elle", "ils", "elles", "on", "nous", "vous", "je", "tu", "lui", "eux", "moi", "toi", "ça",
    "cela", "ceci", "celui", "celle", "le", "la", "les", "un", "une", "des", "ce", "cette", "ces",
    "mais", "et", "ou", "donc", "or", "ni", "car", "alors", "ainsi", "aussi", "enfin", "bref", "puis",
    "pourtant", "cependant", "selon", "pour", "dans", "sur", "avec", "sans", "chez", "après", "avant",
    "source", "source link", "lien", "lire", "lire aussi", "lire la suite", "à lire aussi", "voir aussi",
    "publicité", "newsletter", "accueil", "menu", "connexion", "abonnez-vous", "suivez-nous", "partager",
    "partagez", "commentaires", "commentaire", "imprimer", "copyright", "cookies", "tweet", "retweet",
    "mise à jour", "actualités", "actualité", "sommaire", "contact", "mentions légales", "en direct",
    "vidéo", "photo", "crédit", "crédits", "article", "articles", "info", "infos", "exclusif", "live",
    "voire", "certes", "désormais", "toutefois", "néanmoins", "ensuite", "surtout", "notamment", "outre",
    "état", "etat", "podcast", "podcasts", "explications", "explication", "décryptage", "analyse",
    "témoignage", "témoignages", "reportage", "entretien", "interview", "tribune", "édito", "éditorial",
}

# Common given names (French and international, both genders), to recognise a person when spaCy
# labels a full name MISC/ORG/LOC and to tie a first-name-only mention to its full name.
FIRST_NAMES = frozenset("""
adam adrien agathe agnès ahmed aïcha alain alan albert alex alexander alexandre alexandra alexis alfred
ali alice alicia aline amandine amélie ana andré andrea andreas andrew angela angèle anna anne annie
anthony antoine antonio arnaud arthur aurélie aurélien axel barbara bastien beatrice béatrice benjamin
benoît bernard bertrand bill bob boris brad brian bruno camille carla carlos caroline catherine cécile
céline charles charlotte chloé christian christine christophe claire clara claude claudia clément colin
corinne cyril damien daniel daniela danielle david delphine denis diane didier dimitri dominique donald
dylan édouard elena éléonore elisa élisabeth elizabeth ella émilie emily emma emmanuel emmanuelle éric
eric erik étienne eva fabien fabrice fanny fatima félix florence florian francis françois françoise
frank frédéric frédérique gabriel gabrielle gaël gaëlle george georges gérald gérard gilles giorgia
giuseppe grace greg grégoire grégory guillaume gustave hannah harry hélène henri henry hervé hugo
hugues ibrahim inès ingrid irène isabelle ivan jack jacques james jane jason jean jeanne jeff jennifer
jérémy jérôme jessica jim joe joël johan john jonathan jordan josé joseph josiane julia julie julien
juliette justin karim karine kate kevin laura laurence laurent léa léo léon lisa louis louise luc lucas
lucie ludovic maria marc marco margaux marguerite maria marianne marie marine mario marion mark martin
martine mathieu mathilde matthew matthieu maurice max maxime mehdi mélanie michael michel michèle
michelle mohamed mohammed monique nadia natalia nathalie nicolas nina noël nora océane olivia
olivier omar pascal pascale patricia patrick paul paula pauline peter philippe pierre rachel rachida
raphaël raymond rémi rené richard robert robin rodrigo roger romain rose sabine samuel sam samir sandra
sandrine sarah sébastien serge sergei sergueï simon simone sophie stéphane stéphanie steve steven susan
sylvain sylvie thierry thomas tim timothée tom tony valentin valérie vanessa véronique victor victoria
vincent virginie vladimir william xavier yann yannick yasmine yves yvette zoé
""".split())  # noqa: SIM905 (a word list reads better as text)

# Nobiliary and patronymic particles allowed in lower case inside a person's full name.
NAME_PARTICLES = {"de", "du", "des", "d'", "le", "la", "van", "von", "der", "den", "di", "da", "dos",
                  "del", "della", "bin", "ben", "al", "el", "ibn", "y"}

# "X (anciennement Y)", "X (ex-Y)": Y is a former name of X.
FORMER_NAME = re.compile(r"^\s*\(\s*(?:anciennement|ex-|ex\s|autrefois|précédemment|ancien(?:nement)?)\s*$",
                         re.IGNORECASE)
# Nouns followed by a capital letter that grades or names a variant ("série A", "plan B").
LETTER_NOUNS = {"série", "plan", "classe", "catégorie", "type", "groupe", "option", "division", "ligue",
                "vitamine", "annexe", "point", "lot", "niveau", "note", "section", "bâtiment", "porte",
                "zone", "voie", "variante", "étape", "phase", "modèle", "version", "équipe"}

# Endings of French inhabitant nouns ("Français", "Québécoise", "Parisiens", "Américaines"), checked
# only on one capitalised word right after a determiner.
DEMONYM_ENDINGS = r"(?:ais|aise|aises|ois|oise|oises|ien|iens|iennes|ains|aines|éens|éennes|ards)$"
HANDLE = re.compile(r"(?<![\w@/.])@([A-Za-z0-9_]{2,30})\b")
# Only tested for presence. "\w-*\." is true exactly where "\b[\w-]+\." is (a word character before the
# dot, past any hyphens) without rescanning a long hyphenated run from each of its word boundaries.
URL_LIKE = re.compile(r"https?://|www\.|\w-*\.(?:fr|com|org|net|io|eu|be|ch|ca|info|co|ly|gl)\b|/",
                      re.IGNORECASE)
# "– Jean Dupont (@jdupont)". Name words are bounded (40 characters): an unbounded word re-read the rest of a
# line of glued "-A-A-A" from every dash, quadratic time.
SIGNATURE = re.compile(
    r"[–—-]\s*([A-ZÀ-Ý][\w'.-]{1,40}(?:\s+[A-ZÀ-Ý][\w'.-]{1,40}){0,3})\s*\(\s*@[A-Za-z0-9_]+\s*\)")
PER_AFTER = re.compile(
    r"^\s*(?:,|\()\s*(?:(?:l'|le |la |un |une |notre |son |sa |leur )?(?:ancien(?:ne)? |ex-|actuel(?:le)? |"
    r"nouveau |nouvelle |futur(?:e)? |jeune )?(?P<role>[\w-]+)|(?P<age>\d{1,3}\s*ans\b))", re.IGNORECASE)
# "le directeur de la communication, X": the role word starts a word and has at most 40 characters, so a
# long run of letters is not re-read from each of its positions.
ROLE_APPOSITION_BEFORE = re.compile(
    r"(?<![\w-])(?P<role>[\w-]{1,40})\s+(?:de|du|des|d')\s*[^,;:.()«»\"]{1,40},\s*$", re.IGNORECASE)
# What separates two members of "A, B, C et D" (", ", " et ", ", et "). Written without two adjacent
# whitespace runs (the former "\s*(?:,|,?\s+et)\s+" split a long blank gap every way: quadratic).
ENUMERATION_GAP = re.compile(r"\A(?:\s*,\s+(?:(?:et|ou)\s+)?(?:encore\s+|enfin\s+|en passant par\s+)?"
                             r"|\s+(?:et|ou)\s+(?:encore\s+|enfin\s+)?)\Z")
# "de A à B": a range of examples (only when "de" opens it, so "X à Paris" is no enumeration).
RANGE_GAP = re.compile(r"\A\s+à\s+\Z")
RANGE_OPENING = re.compile(r"(?:^|\s)(?:de|d')\s*$", re.IGNORECASE)
# "des éditeurs comme X, Y ou Z", "une plateforme de streaming comme X": examples of a kind.
EXAMPLES_OF = re.compile(r"(?P<words>(?:[\w'-]{1,30}\s+){0,8}[\w'-]{1,30}),?\s+"
                         r"(?:comme|tels? que|telles? que|notamment)\s+$", re.IGNORECASE)
# "de vieux jeux d'arcade (A, B, etc.)", "les programmes existants, A et B": a plural noun, then its examples.
EXAMPLES_AFTER_NOUN = re.compile(r"(?P<words>(?:[\w'-]{1,30}\s+){0,4}[\w'-]{1,30})\s*[(:,]\s*$")
# ", le logiciel de go", ", son nouveau logiciel", ", de nombreuses grandes maisons de luxe": the noun an
# apposition gives the name(s) before it, looked for among its first three words.
APPOSITION_AFTER = re.compile(
    r"^\s*,\s*(?:le|la|l'|les|un|une|des|de nombreux|de nombreuses|plusieurs|son|sa|ses|leur|leurs|notre|"
    r"cette|ce|cet)\s*(?P<words>[a-zàâçéèêëîïôûùüÿœ-]{1,30}(?:\s+[a-zàâçéèêëîïôûùüÿœ-]{1,30}){0,2})",
    re.IGNORECASE)
# Nouns naming a news outlet; "le site d'information technologique X": words may sit between noun and name.
MEDIA_NOUNS = {"site", "blog", "journal", "quotidien", "hebdomadaire", "mensuel", "magazine", "média",
               "revue", "portail", "webzine", "chaîne", "radio", "agence"}
MEDIA_DETERMINER = re.compile(r"\b(?:le|la|l'|du|au|un|une)\s*")
LOWER_WORD = re.compile(r"[a-zàâçéèêëîïôûùüÿœ'-]{1,30}")
CLAUSE_WORDS = {"qui", "que", "dont", "où", "est", "a", "et", "ou"}  # a clause, not a noun phrase
# "publié en janvier dans X", "interrogé par X", "dans les colonnes du X": X is a publication.
OUTLET_BEFORE = re.compile(
    r"(?:\b(?:publiée?s?|parue?s?)\s+(?:[\w'-]{1,20}\s+){0,3}?dans|\binterrogée?s?\s+par|"
    r"\bdans les colonnes d[eu]|\brelayée?s?\s+par|\brévélée?s?\s+par|\bcitée?s?\s+par)\s+"
    r"(?:le\s+|la\s+|les\s+|l')?$", re.IGNORECASE)
# Where a name stops whatever spaCy says: "Fan Hui! «Une prouesse", "I3S)3" (a mark no name holds inside).
NAME_BREAK = re.compile(r"[!?](?=\s)|[«»“”\"()\[\]]")
# "la maladie d'Alzheimer", "le syndrome de Down": a disease named after a person is a common noun.
EPONYM_OF = re.compile(r"\b(?:maladies?|syndromes?)\s+(?:de\s+|d')$", re.IGNORECASE)
SPEECH_DASH_OR_PUNCT = "-–—_.,;:!?…«»\"'“”()[]{}*•·|/\\ "


# --------------------------------------------------------------------------------------------------
# Value types
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Mention:
    """One cleaned mention of a named entity, with the evidence its context gives about its label."""

    mention_id: str
    doc_id: str
    paragraph_id: str
    doc_char_start: int
    doc_char_end: int
    text: str  # exact slice of documents.text
    form: str  # same span in the paragraph's normalised characters (apostrophes, spaces)
    ner_label: str  # spaCy's label, "" for mentions found by rule (handles, signatures)
    votes: tuple[tuple[str, float], ...]  # label -> weight, from spaCy and from the context
    local_key: str  # canonical key inside the article


@dataclass
class _Candidate:
    """A mention being built inside one paragraph (paragraph-relative offsets)."""

    start: int
    end: int
    ner_label: str
    votes: Counter
    is_handle: bool = False

    def form(self, text: str) -> str:
        return text[self.start:self.end]


Located = list[tuple[ParsedParagraph, _Candidate]]  # an article's candidates, each with its paragraph


# --------------------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------------------

def build_entities(parses: Iterable[DocumentParse]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``entity_mentions`` and ``entities`` tables for the corpus."""
    per_document = [document_entities(parse) for parse in parses]
    return merge_corpus(per_document)


# --------------------------------------------------------------------------------------------------
# Per-document step
# --------------------------------------------------------------------------------------------------

def document_entities(parse: DocumentParse) -> list[Mention]:
    """Cleaned mentions of one article, each with a key that merges what the article ties together."""
    located: list[tuple[ParsedParagraph, _Candidate]] = []
    for paragraph in parse.paragraphs:
        located.extend((paragraph, c) for c in paragraph_candidates(paragraph))
    located = _without_common_nouns(located, _lower_case_words(parse.paragraphs))
    common = _common_noun_initialisms(parse.paragraphs)
    located = [(p, c) for p, c in located if c.form(p.text) not in common]
    located = _split_glued_names(located)
    _trim_articles_of_known_names(located)
    forms = [c.form(p.text) for p, c in located]
    keys = local_keys(forms, [c.votes for _, c in located], _ties(located) + _named_with_their_noun(located))
    mentions: list[Mention] = []
    counters: Counter = Counter()
    for (paragraph, cand), form, key in zip(located, forms, keys, strict=True):
        n = counters[paragraph.paragraph_id]
        counters[paragraph.paragraph_id] += 1
        start, end = paragraph.doc_span(cand.start, cand.end)
        mentions.append(Mention(
            mention_id=f"{paragraph.paragraph_id}:m{n:03d}", doc_id=parse.doc_id,
            paragraph_id=paragraph.paragraph_id, doc_char_start=start, doc_char_end=end,
            text=parse.text[start:end], form=form, ner_label=cand.ner_label,
            votes=tuple(sorted(cand.votes.items())), local_key=key,
        ))
    return mentions


def _split_glued_names(located: Located) -> Located:
    """"le cofondateur de DeepMind Demis Hassabis": a span that is two names the article writes apart.

    A mention splits in two when its last words are a person's full name the article writes on its own
    and its first words another name of the article.
    """
    forms = {c.form(p.text) for p, c in located}
    people = {c.form(p.text) for p, c in located if c.ner_label == "PER" and len(c.form(p.text).split()) >= 2}
    out: Located = []
    for paragraph, cand in located:
        form = cand.form(paragraph.text)
        cut = next((m.start() for m in re.finditer(" ", form)
                    if form[m.end():] in people and form[:m.start()] in forms), None)
        if cut is None or cand.is_handle:
            out.append((paragraph, cand))
            continue
        out.append((paragraph, _Candidate(cand.start, cand.start + cut, cand.ner_label, Counter(cand.votes))))
        out.append((paragraph, _Candidate(cand.start + cut + 1, cand.end, "PER", Counter({"PER": 1.0}))))
    return out


ORG_NOUNS = ORG_HEAD_NOUNS | lex.org_words()  # "la fondation X", "le comité X"


def _named_with_their_noun(located: Sequence[tuple[ParsedParagraph, _Candidate]]) -> list[tuple[int, int]]:
    """"la fondation italienne Bruno Kessler" and "la Fondation Bruno Kessler": the same organisation.

    A name after an organisation noun in lower case ties to the article's name made of that noun and it.
    """
    index = {}
    for i, (paragraph, cand) in enumerate(located):
        index.setdefault(_fold(cand.form(paragraph.text)), i)
    ties = []
    for i, (paragraph, cand) in enumerate(located):
        head = _head_noun_before(paragraph.text[max(0, cand.start - 80):cand.start].lower())
        j = index.get(_fold(f"{head}{cand.form(paragraph.text)}")) if head in ORG_NOUNS else None
        if j is not None and j != i:
            ties.append((j, i))
    return ties


def _lower_case_words(paragraphs: Sequence[ParsedParagraph]) -> set[str]:
    """Folded words the article writes in lower case ("jeux", "gaming", "e-sport")."""
    return {_fold(token.text) for paragraph in paragraphs for token in paragraph.doc
            if token.text.islower() and len(token.text) > 2}


def _without_common_nouns(located: list[tuple[ParsedParagraph, _Candidate]],
                          lower_words: set[str]) -> list[tuple[ParsedParagraph, _Candidate]]:
    """Drop one-word mentions the article also writes in lower case: a capitalised common noun.

    "Jeux vidéo : ..." in a heading, "Gaming" or "Podcast" in a menu: the same word appears in lower
    case in the article's prose, so it is a common noun, not a name. Given names stay ("Pierre").
    """
    out = []
    for paragraph, cand in located:
        form = cand.form(paragraph.text)
        if (not cand.is_handle and " " not in form and not form.isupper() and _fold(form) in lower_words
                and _lower(form) not in FIRST_NAMES):
            continue
        out.append((paragraph, cand))
    return out


LEADING_ARTICLE = re.compile(r"(?:La|Le|Les|L')\s*(?=[A-ZÀ-Ý])")


def _trim_articles_of_known_names(located: list[tuple[ParsedParagraph, _Candidate]]) -> None:
    """"La France", "L'Amérique": the article goes when the article names the place without it too.

    Names whose article belongs to them ("Le Havre", "La Rochelle") keep it: the article never writes
    them bare.
    """
    known = {_fold(c.form(p.text)) for p, c in located}
    for paragraph, cand in located:
        match = LEADING_ARTICLE.match(paragraph.text.replace("’", "'"), cand.start, cand.end)
        if match is not None and match.end() < cand.end and _fold(
                paragraph.text[match.end():cand.end]) in known:
            cand.start = match.end()


def paragraph_candidates(paragraph: ParsedParagraph) -> list[_Candidate]:
    """spaCy entities cleaned and filtered, plus handles and signature names, in text order."""
    text = paragraph.text
    handles = [_Candidate(m.start(), m.end(), "", Counter({"PER": 0.25}), is_handle=True)
               for m in HANDLE.finditer(text)]
    # No URL_LIKE match spans whitespace: a paragraph without one (most) skips the per-word scan.
    blocked = [] if URL_LIKE.search(text) is None else [
        (m.start(), m.end()) for m in re.finditer(r"\S+", text) if URL_LIKE.search(m.group())]
    blocked += [(h.start, h.end) for h in handles]
    found: list[_Candidate] = []
    for ent in paragraph.doc.ents:
        if any(ent.start_char < e and s < ent.end_char for s, e in blocked):
            continue
        cand = clean_entity(ent, text)
        if cand is not None and not is_non_entity(cand, ent, text):
            found.append(_with_street_head(cand, text))
    found += _signature_names(text, found)
    found = _without_nested(sorted(found + handles, key=lambda c: (c.start, -c.end)))
    add_context_votes(found, paragraph)
    return found


# "la rue Blériot", "le parc de la Templerie", "la place des Quinconces": the lower-case noun is part of the
# place's name. "place" takes no "de/du/de la" ("à la place de X" is no place).
STREET_NOUN = (r"(?:(?:rue|avenue|boulevard|quai|chemin|allée|impasse|parc|square|faubourg|jardin|esplanade|"
               r"parvis)\s+(?:de la\s+|de l'|des\s+|du\s+|de\s+|d')?|place\s+(?:des\s+)?)")
STREET_HEAD = re.compile(rf"(?<![\w']){STREET_NOUN}$")
STREET_NAME = re.compile(rf"{STREET_NOUN}[A-ZÀ-Ý]")
# "université de Stanford", "école Polytechnique": an institution French writes with a lower-case noun.
INSTITUTION_NAME = re.compile(r"(?:université|école|institut|lycée|collège|musée|fondation|laboratoire)\s+"
                              r"(?:de la\s+|de l'|des\s+|du\s+|de\s+|d')?[A-ZÀ-Ý]")


def _with_street_head(cand: _Candidate, text: str) -> _Candidate:
    """The candidate started at the lower-case street or park noun before it, when there is one."""
    head = STREET_HEAD.search(text, max(0, cand.start - 30), cand.start)
    if head is not None and not cand.is_handle:
        cand.start = head.start()
        cand.votes["LOC"] += 3
    return cand


def _without_nested(found: list[_Candidate]) -> list[_Candidate]:
    """Candidates (sorted by start, longest first) without those inside an earlier one's extended span."""
    out: list[_Candidate] = []
    for cand in found:
        if not out or cand.start >= out[-1].end or cand.end > out[-1].end:
            out.append(cand)
    return out


def clean_entity(ent: Span, text: str | None = None) -> _Candidate | None:
    """Trim a spaCy entity to the name itself: no elision, determiner, role or title, no stray marks.

    ``text`` is ``ent.doc.text`` when the caller has it: spaCy joins every token anew on each access.
    """
    tokens = list(ent)
    votes: Counter = Counter({ent.label_: 0.5 if ent.label_ == "MISC" else 1.0})
    tokens, stripped_title = strip_leading_words(tokens)
    if stripped_title:
        votes["PER"] += 2
    while tokens and all(ch in SPEECH_DASH_OR_PUNCT for ch in tokens[-1].text):
        tokens = tokens[:-1]
    if not tokens:
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = ent.doc.text if text is None else text
    after_quote = text[:start].rstrip()[-1:] in {"“", '"', "«", "(", "‘"}
    start = _skip_elision(text, start, end, at_sentence_start=tokens[0].is_sent_start or after_quote)
    while start < end and text[start] in SPEECH_DASH_OR_PUNCT:
        start += 1
    start = _after_lower_case_head(text, start, end, votes)
    cut = NAME_BREAK.search(text, start, end)
    if cut is not None:
        end = cut.start()
    while end > start and text[end - 1] in SPEECH_DASH_OR_PUNCT.replace(".", ""):
        end -= 1
    end = _trim_trailing_function_words(text, start, _trim_trailing_shout(text, start, end))
    if start >= end:
        return None
    dash = SPACED_DASH.search(text, start, end)
    if dash is not None and dash.start() > start:
        end = dash.start()  # "Titre - 525 000 exemplaires": the name ends at the spaced dash
    cand = _extend_first_name(_Candidate(start, end, ent.label_, votes), ent, text)
    cand = _extend_name_word(cand, ent, text)
    cand.end = extended_end(text, cand.start, cand.end, ent.label_)
    cand.end = _through_defined_initialism(ent.doc, text, cand.start, cand.end)
    return cand


# French function words a name never ends with ("Département d'informatique de l" + "Université ...").
TRAILING_FUNCTION_WORDS = {"de", "du", "des", "d", "l", "la", "le", "les", "et", "à", "au", "aux", "en",
                           "pour", "sur", "par"}


def _after_lower_case_head(text: str, start: int, end: int, votes: Counter) -> int:
    """"institut spécialisé Newzoo": spaCy took the lower-case noun and its adjectives; the name starts at the
    capital, and the noun says its kind. Institutions and streets named with their noun keep it."""
    form = text[start:end].replace("’", "'")
    words = list(re.finditer(r"\S+", form))
    if len(words) < 2 or not form[:1].islower() or INSTITUTION_NAME.match(form) or STREET_NAME.match(form):
        return start
    kind = _head_kind(_lower(words[0].group()))
    for word in words[1:] if kind is not None else ():
        if word.group()[:1].isupper():
            votes[kind] += 3
            return start + word.start()
        if not word.group().islower():
            break
    return start


def _trim_trailing_function_words(text: str, start: int, end: int) -> int:
    """The end before a trailing "de l'", "et": spaCy stopped short of the name that word introduces."""
    while True:
        head, _, last = text[start:end].rstrip(SPEECH_DASH_OR_PUNCT).rpartition(" ")
        if not head or last not in TRAILING_FUNCTION_WORDS:
            return start + len(text[start:end].rstrip(SPEECH_DASH_OR_PUNCT))
        end = start + len(head)


# " de recherche en informatique (Inria)", ", signaux et systèmes de X (I3S)": up to the bracket.
DEFINED_INITIALISM = re.compile(r"(?P<tail>[ ,][^()«»\"“”.;:!?]{0,90}?) \((?P<abbr>[A-Z][A-Za-z0-9-]{1,9})\)")
NOT_IN_A_NAME = {"VERB", "AUX", "PRON", "SCONJ"}


def _through_defined_initialism(doc: Doc, text: str, start: int, end: int) -> int:
    """"l'Institut national français de recherche en informatique (Inria)": an organisation's name goes on in
    lower case up to the initialism the text gives it, when no verb sits between and the letters fit."""
    if _lower(text[start:end].split()[0]) not in ORG_NOUNS:
        return end
    match = DEFINED_INITIALISM.match(text, end)
    if match is None or not _abbreviates(match.group("abbr"), text[start:match.end("tail")]):
        return end
    span = doc.char_span(end, match.end("tail"), alignment_mode="expand")
    if span is None or any(token.pos_ in NOT_IN_A_NAME for token in span):
        return end
    return match.end("tail")


def _abbreviates(short: str, long: str) -> bool:
    """"I3S" for "Laboratoire d'informatique, signaux et systèmes": each capital of the short form is a
    word's initial in the long one (a looser test than :func:`_is_acronym_of`, for defined initialisms)."""
    initials = {w[0].casefold() for w in re.split(r"[\s'’,-]+", long) if w}
    capitals = [c for c in short if c.isupper()]
    return bool(capitals) and " " not in short and all(c.casefold() in initials for c in capitals)


SPACED_DASH = re.compile(r"(?<!\s)\s+[-–—]\s+")  # starts only where a space run starts: linear


def _extend_name_word(cand: _Candidate, ent: Span, text: str) -> _Candidate:
    """"Electronic" + "Arts": one word of an organisation or a work, and a capitalised word spaCy left out."""
    doc = ent.doc
    following = doc[ent.end] if ent.end < len(doc) else None
    if (len(ent) == 1 and ent.label_ in {"ORG", "MISC"} and cand.end == ent.end_char and following is not None
            and following.idx == cand.end + 1 and following.text[:1].isupper()
            and following.text[1:].islower() and following.is_alpha and not following.ent_type_
            and _lower(following.text) not in NON_ENTITY_WORDS | CALENDAR_WORDS | FIRST_NAMES):
        cand.end = following.idx + len(following.text)
    return cand


# "Oudéa-Castéra" cut after "Oudéa", "Saint-Germain" after "Saint": a hyphen glued to a capital goes on.
HYPHEN_TAIL = re.compile(r"-[A-ZÀ-Ý][\w'’]*")
# "Airbus Defence and Space": an English name spaCy cuts at "and" (no French sentence has it).
ENGLISH_AND_TAIL = re.compile(r" (?:and|&) [A-ZÀ-Ý][\w'’-]*(?: [A-ZÀ-Ý][\w'’-]*){0,3}")
# "Festival Alchimie du jeu", "Journée mondiale des geeks": an event's name goes on in lower case.
EVENT_TAIL = re.compile(r" (?:du|de la|de l'|des|d') ?[a-zà-ÿ][\w-]{2,}")


# " de Jeux", " d'Argenson": a capitalised complement that goes on an organisation's or a place's name.
PROPER_TAIL = re.compile(r" +(?:du|de la|de l'|des|de|d') ?[A-ZÀ-Ý][\w-]+")
# Words that open a place's name before "de X" ("Faubourg de X", "Place de X"), capitalised in the name.
PLACE_HEADS = {"faubourg", "place", "parc", "rue", "quartier", "avenue", "boulevard", "chemin", "jardin",
               "pont", "quai", "cours", "allée", "square", "île", "porte", "cité", "domaine", "bois", "mont"}


def extended_end(text: str, start: int, end: int, label: str) -> int:
    """The end of a name spaCy stopped short of: a hyphenated last part, an English "and", an event's noun."""
    words = text[start:end].split()
    tail = HYPHEN_TAIL.match(text, end)
    if tail is not None and words[-1][:1].isupper():
        end = tail.end()
    tail = ENGLISH_AND_TAIL.match(text, end)
    if tail is not None and label in {"ORG", "MISC"} and words[-1][:1].isupper():
        end = tail.end()
    tail = PROPER_TAIL.match(text, end)
    if tail is not None and _lower(tail.group().split()[-1].split("'")[-1]) not in lex.org_words() and (
            (_lower(words[0]) in lex.org_words() and len(words) >= 2)
            or (len(words) == 1 and _lower(words[0]) in PLACE_HEADS)):
        end = tail.end()  # "Société des Auteurs de Jeux", "Faubourg d'Argenson"
    tail = EVENT_TAIL.match(text, end)
    if tail is not None and len(words) >= 2 and _lower(words[0]) in lex.event_words() and all(
            w[:1].isupper() for w in words[1:]):
        end = tail.end()
    return end


def strip_leading_words(tokens: list) -> tuple[list, bool]:
    """Drop prepositions, roles and titles opening a span ("le PDG X" -> "X"); True if a title went.

    A determiner or a modifier ("premier", "ancien") goes only when a title follows it, so "Le Monde"
    and "Premier League" stay whole.
    """
    stripped_title = False
    while len(tokens) > 1:
        word, following = _lower(tokens[0].text), _lower(tokens[1].text)
        if word in ROLE_TITLES or word in HONORIFICS:
            stripped_title = True
        elif word in LEADING_PREPOSITIONS:
            stripped_title = False  # "le PDG de X", "le maire de X": X is where the title holds
        elif not ((word in LEADING_DETERMINERS or word in TITLE_MODIFIERS)
                  and (following in ROLE_TITLES or following in HONORIFICS or following in TITLE_MODIFIERS)):
            break
        tokens = tokens[1:]
    return tokens, stripped_title


def _skip_elision(text: str, start: int, end: int, at_sentence_start: bool) -> int:
    """Offset after a glued elided word ("qu'X", "d'X", "l'X"); "L'X" kept inside a sentence (L'Oréal)."""
    head = text[start:end]
    for prefix in ELISIONS:
        if head.lower().startswith(prefix) and len(head) > len(prefix):
            if head[0].isupper() and not at_sentence_start and prefix == "l'":
                return start
            return start + len(prefix)
    return start


def _trim_trailing_shout(text: str, start: int, end: int) -> int:
    """"Jane Doe HISTORIQUE": a capitalised headline word glued after a full name is not part of it."""
    words = text[start:end].split(" ")
    if len(words) >= 3 and len(words[-1]) >= 4 and words[-1].isupper() and all(
            w[:1].isupper() and not w.isupper() for w in words[:-1]):
        return end - len(words[-1]) - 1
    return end


def _extend_first_name(cand: _Candidate, ent: Span, text: str) -> _Candidate:
    """"la CTO Nadia" + "Kerbrat": a lone given name followed by a capitalised word takes it as surname."""
    doc = ent.doc
    form = text[cand.start:cand.end]
    if " " in form or _lower(form) not in FIRST_NAMES:
        return cand
    following = doc[ent.end] if ent.end < len(doc) else None
    if (following is not None and following.idx == cand.end + 1 and following.text[:1].isupper()
            and following.is_alpha and not following.ent_type_ and _lower(following.text) not in
            NON_ENTITY_WORDS | CALENDAR_WORDS):
        cand.end = following.idx + len(following.text)
        cand.votes["PER"] += 2
    return cand


def is_non_entity(cand: _Candidate, ent: Span, paragraph_text: str) -> bool:
    """Capitalised sentence starts, dates, interjections, pronouns, page furniture, lower-case phrases."""
    form = cand.form(paragraph_text)
    lower = _lower(form)
    words = lower.split()
    if not any(ch.isupper() or ch.isdigit() for ch in form) or not any(ch.isalpha() for ch in form):
        return True
    if lower in NON_ENTITY_WORDS or all(w in CALENDAR_WORDS or w.isdigit() for w in words):
        return True
    if lower in lex.common_acronyms() or (len(words) == 1 and lower in lex.demonyms()):
        return True  # "un PC", "les NFT"; "les Français", "un Toulousain"
    if lower in capitalised_common_nouns() or EPONYM_OF.search(
            paragraph_text[max(0, cand.start - 20):cand.start]):
        return True  # "Internet", "la Toile"; "la maladie d'Alzheimer"
    first_word = form.split()[0]
    if first_word[0].islower() and not any(ch.isupper() for ch in first_word) and not (
            STREET_NAME.match(form.replace("’", "'")) or INSTITUTION_NAME.match(form.replace("’", "'"))):
        return True  # names start with a capital ("iPhone" aside): "des Sports", "hôtel du Golf"
    if lower in PRODUCT_HEAD_NOUNS or lower in ORG_HEAD_NOUNS or lower in ROLE_TITLES:
        return True
    if words[0] in {"le", "la", "les", "l'", "un", "une"} and all(w.islower() for w in form.split()[1:]):
        return True  # "Le bord": a determiner and common nouns, not a name
    if len(form) == 1 and (not form.isupper() or _after_letter_noun(paragraph_text, cand.start)):
        return True
    first = _token_at(ent, cand.start)
    if first is not None and len(words) == 1 and first.is_sent_start and first.pos_ in {
            "ADV", "INTJ", "ADJ", "VERB", "ADP", "DET", "PRON", "CCONJ", "SCONJ", "AUX"}:
        return True
    if (first is not None and len(words) == 1 and first.is_sent_start and first.pos_ == "NOUN"
            and ent.label_ == "MISC" and form[1:].islower() and first.vocab.has_vector(first.lower_)):
        return True  # "Décodage d'un match", "Prédiction": a common noun opening a sentence or a heading
    return _is_portfolio(paragraph_text, cand) or _is_demonym(paragraph_text, cand)


BRACKETED_INITIALISM = re.compile(r"\(([A-Z]{2,6})\)")


def _common_noun_initialisms(paragraphs: Sequence[ParsedParagraph]) -> set[str]:
    """Initialisms the article defines by common nouns ("troubles musculo-squelettiques (TMS)"): no names."""
    return {m.group(1) for p in paragraphs for m in BRACKETED_INITIALISM.finditer(p.text)
            if _names_a_common_noun(p.text, m.group(1), m.start(1))}


def _names_a_common_noun(text: str, form: str, start: int) -> bool:
    """An initialism the text defines by lower-case words: "des troubles musculo-squelettiques (TMS)"."""
    before = text[max(0, start - 80):start].rstrip()
    if not (form.isupper() and 2 <= len(form) <= 6 and before.endswith("(")):
        return False
    words = before[:-1].split()
    for n in range(2, min(len(words), 8) + 1):
        if not words[-n][:1].islower():
            return False
        if _is_acronym_of(form, " ".join(words[-n:])):
            return True
    return False


@cache
def capitalised_common_nouns() -> frozenset[str]:
    """Common nouns written with a capital by convention ("Internet", "la Toile"), lower case."""
    return frozenset(read_lexicon("entity_capitalised_common_nouns.txt"))


def _after_letter_noun(text: str, start: int) -> bool:
    """"série A", "plan B", "classe C": a capital letter naming a grade or a variant, not an entity."""
    words = text[max(0, start - 20):start].lower().split()
    return bool(words) and words[-1] in LETTER_NOUNS


def _is_portfolio(text: str, cand: _Candidate) -> bool:
    """"ministre chargé du Numérique", "président de la République": a title's domain, not an entity."""
    before = text[max(0, cand.start - 40):cand.start].lower()
    if re.search(r"président(?:e)? de la\s+$", before) and text[cand.start:cand.end] == "République":
        return True
    return re.search(r"(?:chargée?s?|déléguée?s?|ministres?|secrétaire d'état|secrétariat d'état)"
                     r"\s+(?:de la |de l'|du |des |aux |à la |à l'|au |de )$", before) is not None


def _is_demonym(text: str, cand: _Candidate) -> bool:
    """"le Français X", "les Franciliens": a capitalised inhabitant noun after a determiner."""
    form = text[cand.start:cand.end]
    before = text[max(0, cand.start - 5):cand.start].lower()
    return (" " not in form and re.search(r"(?:^|\s)(?:le|la|les|des|un|une|aux)\s+$", before) is not None
            and re.search(DEMONYM_ENDINGS, form) is not None)


def _signature_names(text: str, found: list[_Candidate]) -> list[_Candidate]:
    """Names in a post signature "– Name (@handle)" that spaCy did not tag (a person or an account)."""
    out = []
    for match in SIGNATURE.finditer(text):
        start, end = match.span(1)
        if not any(c.start < end and start < c.end for c in found):
            out.append(_Candidate(start, end, "", Counter({"PER": 1.0})))
    return out


# --------------------------------------------------------------------------------------------------
# Label evidence from the context
# --------------------------------------------------------------------------------------------------

def add_context_votes(cands: list[_Candidate], paragraph: ParsedParagraph) -> None:
    """Add to each candidate's votes what its words and neighbours say about its label."""
    text = paragraph.text
    for i, cand in enumerate(cands):
        if cand.is_handle:
            continue
        form = cand.form(text)
        before = text[max(0, cand.start - 80):cand.start]
        after = text[cand.end:cand.end + 60]
        for label, weight in _name_votes(form) + _before_votes(before, cand, form) + _after_votes(after):
            cand.votes[label] += weight
        apposition = _apposition(after)
        if apposition is not None and not _is_subject_at(paragraph, cand.end + apposition[1]):
            cand.votes[apposition[0]] += 5  # "X, le logiciel de ...", "X, la société mère de ...": what X is
        previous = cands[i - 1] if i else None
        if previous is not None and previous.ner_label == "PER" and re.fullmatch(
                r"\s+(?:de|du)\s+|\s+d'", text[previous.end:cand.start]):
            cand.votes["ORG"] += 2  # "Name de X": X is the person's employer or outlet
        person_like = len(form.split()) >= 2 and _looks_like_person_name(form.split())
        reported = SOURCE_CUES.search(before) is not None and _lower(form.split()[0]) not in FIRST_NAMES
        if cand.ner_label == "MISC" and (reported or not person_like) and _is_agent(paragraph, cand, before):
            cand.votes["ORG"] += 1.5  # acts: outweighs spaCy's MISC on this mention and on another
        if person_like and SPEAKER_BEFORE.search(before):
            cand.votes["PER"] += 2
        if cand.ner_label != "LOC" and _is_object_of_product_verb(paragraph, cand):
            cand.votes["MISC"] += 2
        if cand.ner_label != "LOC" and _is_object_of_org_verb(paragraph, cand):
            cand.votes["ORG"] += 1.5
    _vote_by_enumeration(cands, text)


def _examples_kind(before: str, members: int) -> str | None:
    """"ORG" or "MISC": the kind whose examples follow ("des marques comme", "de vieux jeux d'arcade (").

    After "comme" / "tels que" one example is enough; after a bare bracket, colon or comma the noun must be
    plural and introduce at least two names ("les programmes existants, A et B").
    """
    match = EXAMPLES_OF.search(before)
    if match is None and members >= 2:
        match = EXAMPLES_AFTER_NOUN.search(before)
        if match is not None:
            return _head_noun_kind(_lower(match.group("words")).split(), plural=True)
        return None
    return None if match is None else _head_noun_kind(_lower(match.group("words")).split(), plural=False)


def _head_noun_kind(words: list[str], plural: bool) -> str | None:
    """Kind of the last head noun of ``words`` that is not a "de" complement ("éditeurs de jeux" -> ORG)."""
    for i in range(len(words) - 1, -1, -1):
        word = words[i]
        if (i and words[i - 1] in {"de", "du"}) or "'" in word:
            continue  # "de jeux", "d'arcade": a complement, the head is before it
        if plural and not word.endswith(("s", "x")):
            continue
        kind = _head_kind(word)
        if kind is not None:
            return kind
    return None


def _name_votes(form: str) -> list[tuple[str, float]]:
    words = form.split()
    votes: list[tuple[str, float]] = []
    first = _lower(words[0])
    events = lex.event_words()
    if len(words) >= 2 and (first in events or " ".join(map(_lower, words[:2])) in events):
        votes.append(("MISC", 5))  # "Festival X", "Coupe du monde": an event
    elif len(words) >= 2 and first in lex.org_words():
        votes.append(("ORG", 4))  # "Comité international olympique", "Fédération française de X"
    if len(words) >= 2 and re.fullmatch(r"\d{1,2}", words[-1]) and not words[-2].isdigit():
        votes.append(("MISC", 5))  # "Console 5", "Jeu 24": a product's version or edition
    if any(_lower(w) in ORG_NAME_WORDS for w in words[1:]) or (
            len(words) > 1 and _lower(words[0]) in ORG_NAME_WORDS):
        votes.append(("ORG", 3))
    if _lower(words[0]) in FIRST_NAMES and _looks_like_person_name(words):
        votes.append(("PER", 2 if len(words) > 1 else 1))
    return votes


# Nouns whose "de X" complement names the town a company or a club is from ("la firme de X").
SEAT_OF_NOUNS = {"firme", "géant", "constructeur", "club", "entreprise", "société", "start-up", "startup",
                 "équipe", "formation", "pensionnaires"}


def _before_votes(before: str, cand: _Candidate, form: str = "") -> list[tuple[str, float]]:
    lower = before.lower()
    votes: list[tuple[str, float]] = []
    last = _last_words(lower, 3)
    if last and last[-1] in HONORIFICS:
        votes.append(("PER", 3))
    elif last and last[-1] in ROLE_TITLES:
        votes.append(("PER", 2))
    of_nouns = _nouns_before_de(lower)
    if of_nouns and cand.ner_label != "LOC" and set(of_nouns) & ORG_OF_NOUNS:
        votes.append(("ORG", 2))
    elif set(of_nouns) & PRODUCT_OF_NOUNS:  # "les utilisateurs mensuels de X"
        votes.append(("MISC", 2))
    if of_nouns and of_nouns[-1] in SEAT_OF_NOUNS and " " not in form and cand.ner_label != "ORG" and _lower(
            form) not in FIRST_NAMES:
        votes.append(("LOC", 2))  # "la firme de Redmond": where the company sits
    if re.search(r"(?:\bselon|\bd'après)\s+$", lower) and " " not in form and cand.ner_label == "PER":
        votes.append(("ORG", 1.5))  # "selon X": a lone surname is rare there, a source common
    head = _head_noun_before(lower)
    if head in ORG_HEAD_NOUNS:
        votes.append(("ORG", 3))
    elif head in PRODUCT_HEAD_NOUNS:
        votes.append(("MISC", 3))
    if re.search(r"\bchez\s+$", lower) and cand.ner_label != "LOC":
        votes.append(("ORG", 2))
    outlet = OUTLET_BEFORE.search(before) is not None or _after_media_noun(lower)
    if outlet and _lower((form.split() or [""])[0]) not in FIRST_NAMES:
        votes.append(("ORG", 4))  # "publié dans X", "le blog spécialisé dans les nouvelles technologies X"
    role = ROLE_OF_PLACE_BEFORE.search(before)
    if role is not None and _lower(role.group("role")) in ROLE_TITLES:
        votes.append(("PER", 2))  # "le champion d'Europe X", "le maire de Lyon X"
    if ROLE_APPOSITION_BEFORE.search(before) and _lower(
            ROLE_APPOSITION_BEFORE.search(before).group("role")) in ROLE_TITLES:
        votes.append(("PER", 1))
    return votes


def _after_media_noun(lower: str) -> bool:
    """"le site d'information technologique X": a news outlet's noun, lower-case words, then the name."""
    if not lower.endswith(" "):
        return False
    for determiner in MEDIA_DETERMINER.finditer(lower, max(0, len(lower) - 90)):
        words = lower[determiner.end():].split()
        gap = words[1:]
        if (words and words[0] in MEDIA_NOUNS and 1 <= len(gap) <= 6 and all(map(LOWER_WORD.fullmatch, gap))
                and gap[-1] not in LEADING_FUNCTION_WORDS and not set(gap) & CLAUSE_WORDS):
            return True
    return False


def _after_votes(after: str) -> list[tuple[str, float]]:
    match = PER_AFTER.match(after)
    if match is None:
        return []
    if ROLE_OF_NEXT_NAME.match(after, match.end()):
        return []  # "X, une porte-parole de Google, Jenn Crider": the role is the next name's
    if match.group("role") and re.match(r"\s*(?:du|de|des|d')\b", after[match.end():]) and _lower(
            match.group("role")) in {"acteur", "spécialiste", "leader", "champion", "géant", "poids"}:
        return [("ORG", 3)]  # "X, un acteur du pari en ligne": a player of a market
    if match.group("age") or _lower(match.group("role") or "") in ROLE_TITLES:
        return [("PER", 2)]
    return []


# "le champion d'Europe X", "le cofondateur de DeepMind X": a role, its place or company, then the name.
ROLE_OF_PLACE_BEFORE = re.compile(r"(?<![\w-])(?P<role>[\w-]{2,40})\s+(?:de|du|d')\s*[A-ZÀ-Ý][\w-]{1,40}\s+$")
# After a role: "de Google, Jenn Crider" (the role introduces the name that follows, not the one before).
ROLE_OF_NEXT_NAME = re.compile(r"(?<!\s)\s{1,10}(?:de|du|des|d')\s{0,10}[^,;:.()«»\"]{1,40},\s{0,10}[A-ZÀ-Ý]")


def _apposition(after: str) -> tuple[str, int] | None:
    """("ORG" or "MISC", offset of its noun in ``after``) when an apposition names the kind of thing before it
    (", le logiciel ...", ", la société mère de ...")."""
    match = APPOSITION_AFTER.match(after)
    if match is None:
        return None
    for word in re.finditer(r"\S+", match.group("words")):
        lower = _lower(word.group())
        if lower in ROLE_TITLES or lower in LEADING_FUNCTION_WORDS:
            return None
        kind = _head_kind(lower)
        if kind is not None:
            return kind, match.start("words") + word.start()
    return None


def _is_subject_at(paragraph: ParsedParagraph, offset: int) -> bool:
    """Whether the word at ``offset`` is the subject of a verb that follows with no comma between: "Avec sa
    console, le géant a ..." is no apposition; "X, la société mère de Y, conclut ..." is one."""
    span = paragraph.doc.char_span(offset, offset + 1, alignment_mode="expand")
    if span is None or not span.root.dep_.startswith("nsubj"):
        return False
    noun, verb = span.root, span.root.head
    return verb.i > noun.i and not any(t.text == "," for t in paragraph.doc[noun.i:verb.i])


def _head_kind(word: str) -> str | None:
    """"ORG" for an organisation noun ("société", "maisons"), "MISC" for a product noun ("logiciel")."""
    for form in (word, word[:-1] if word.endswith(("s", "x")) else word):
        if form in ORG_HEAD_NOUNS:
            return "ORG"
        if form in PRODUCT_HEAD_NOUNS:
            return "MISC"
    return None


# "a ajouté X", "explique X": a name after a reporting verb in an inversion speaks.
SPEAKER_BEFORE = re.compile(
    r"(?:\b(?:a|avait)\s+(?:ajouté|déclaré|dit|expliqué|affirmé|précisé|souligné|estimé|confié|assuré|"
    r"raconté|poursuivi|conclu|insisté|martelé|reconnu|regretté)|\b(?:ajoute|explique|précise|souligne|estime|"
    r"affirme|raconte|confie|assure|poursuit|conclut|insiste|martèle|reconnaît|regrette))\s+$")


def _nouns_before_de(lower: str) -> list[str]:
    """Up to three words before a final "de" ("conseil d'administration actuel d'" -> those three)."""
    match = re.search(r"(?:\s(?:de la|de l'|du|des|de)\s+|\s(?:de l'|d')|\bd')$", lower)
    if match is None:
        return []
    words = re.findall(r"[\w-]+", lower[max(0, match.start() - 50):match.start()])
    return [w for w in words if w not in {"de", "d", "du", "des", "la", "l", "le", "les"}][-3:]


def _head_noun_before(lower: str) -> str | None:
    """The noun right before the name, skipping up to two lower-case adjectives ("le portail spécialisé")."""
    match = re.search(r"\b(?:le|la|les|l'|un|une|du|des|au|son|sa|ses|leur|notre|cette|ce)\s*"
                      r"([\w-]+)((?:\s+[a-zàâçéèêëîïôûùüÿœ-]+){0,2})\s+$", lower)
    if match is None:
        return None
    between = match.group(2).split()
    if any(w in LEADING_FUNCTION_WORDS or w in {"qui", "que", "dont", "où", "est", "a"} for w in between):
        return None
    noun = match.group(1)
    if noun == "jeune" and between[:1] == ["pousse"]:
        return "jeune pousse"
    return noun


def _is_agent(paragraph: ParsedParagraph, cand: _Candidate, before: str) -> bool:
    """The name acts (subject of a verb, or the source of a report): not a product."""
    if SOURCE_CUES.search(before):
        return True
    doc = paragraph.doc
    span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    return root.dep_ == "nsubj" and root.head.pos_ == "VERB" and root.head.lemma_ not in {
        "être", "devenir", "sembler", "rester", "paraître"}


def _is_object_of_org_verb(paragraph: ParsedParagraph, cand: _Candidate) -> bool:
    """"dirige X", "a fondé X", "a racheté X": verbs whose object is usually an organisation."""
    span = paragraph.doc.char_span(cand.start, cand.end, alignment_mode="expand")
    if span is None or _lower(span.text.split()[0]) in FIRST_NAMES:
        return False
    previous = paragraph.doc[span.start - 1] if span.start else None
    verb_before = previous is not None and previous.lemma_ in ORG_OBJECT_VERBS  # parse can be wrong there
    return verb_before or (span.root.dep_ == "obj" and span.root.head.lemma_ in ORG_OBJECT_VERBS)


# Verb lemmas whose direct object is usually a product or a work ("a développé X", "lance X").
PRODUCT_OBJECT_VERBS = {"développer", "lancer", "commercialiser", "sortir", "publier", "télécharger",
                        "installer", "concevoir", "tester"}


def _is_object_of_product_verb(paragraph: ParsedParagraph, cand: _Candidate) -> bool:
    """"qui a développé X", "lance X": the object of a verb that makes or sells a product."""
    span = paragraph.doc.char_span(cand.start, cand.end, alignment_mode="expand")
    if span is None or span.start == 0:
        return False
    previous = paragraph.doc[span.start - 1]
    return previous.lemma_ in PRODUCT_OBJECT_VERBS and previous.pos_ in {"VERB", "AUX"}


def _vote_by_enumeration(cands: list[_Candidate], text: str) -> None:
    """"A, B, C et D": a member spaCy disagrees on takes the label most other members share."""
    groups: list[list[_Candidate]] = []
    for cand in cands:
        if groups and not cand.is_handle and _continues_enumeration(groups[-1], cand, text):
            groups[-1].append(cand)
        else:
            groups.append([cand])
    for group in (g for g in groups if not g[0].is_handle):
        kind = _examples_kind(text[max(0, group[0].start - 80):group[0].start], len(group))
        apposition = _apposition(text[group[-1].end:group[-1].end + 60]) if len(group) >= 2 else None
        if apposition is not None:  # "de A à B, en passant par C, de nombreuses maisons de luxe y viennent"
            kind = apposition[0]
        for cand in group if kind is not None else ():  # "des éditeurs comme A, B ou encore C"
            cand.votes[kind] += 4 if kind == "ORG" else 3
    for group in (g for g in groups if len(g) >= 3):
        for cand in group:
            others = Counter(o.ner_label for o in group if o is not cand and o.ner_label)
            if others:
                label, count = others.most_common(1)[0]
                if count >= 2 and label != cand.ner_label:
                    cand.votes[label] += 2


def _continues_enumeration(group: list[_Candidate], cand: _Candidate, text: str) -> bool:
    """Whether ``cand`` is the next member of ``group``: "A, B et C", "de A à B, en passant par C"."""
    gap = text[group[-1].end:cand.start]
    if ENUMERATION_GAP.match(gap):
        return True
    return len(group) == 1 and RANGE_GAP.match(gap) is not None and RANGE_OPENING.search(
        text[max(0, group[0].start - 4):group[0].start]) is not None


# --------------------------------------------------------------------------------------------------
# Merging inside an article
# --------------------------------------------------------------------------------------------------

def _ties(located: Sequence[tuple[ParsedParagraph, _Candidate]]) -> list[tuple[int, int]]:
    """Index pairs the text ties: "Name (@handle)", "X (anciennement Y)", "Nom long (SIGLE)"."""
    ties = []
    for i in range(len(located) - 1):
        (p1, a), (p2, b) = located[i], located[i + 1]
        if p1 is not p2:
            continue
        between = p1.text[a.end:b.start]
        in_brackets = re.fullmatch(r"\s*\(\s*", between) is not None
        handle_of_name = in_brackets and b.is_handle and not a.is_handle
        short, long = b.form(p1.text), a.form(p1.text)
        acronym = in_brackets and (_is_acronym_of(short, long) or _is_acronym_of(long, short) or (
            _lower(long.split()[0]) in ORG_NOUNS and len(short) <= 10 and _abbreviates(short, long)))
        if handle_of_name or acronym or FORMER_NAME.match(between):
            ties.append((i, i + 1))
    return ties


def _is_acronym_of(short: str, long: str) -> bool:
    """"ANFR" for "Agence nationale des fréquences": each content word gives the next letter(s)."""
    if " " in short or not 2 <= len(short) <= 8:
        return False
    if not short.isupper():  # "LoL" for "League of Legends": one letter per word, small words too
        every = [w for w in re.split(r"[\s'’-]+", long) if w]
        return (sum(c.isupper() for c in short) >= 2 and len(every) == len(short)
                and "".join(w[0] for w in every).casefold() == short.casefold())
    skipped = NAME_PARTICLES | {"et", "l", "d"}
    words = [_fold(w) for w in re.split(r"[\s'’-]+", long) if w and _lower(w) not in skipped]
    return len(words) >= 2 and _spells(_fold(short), words)


def _spells(letters: str, words: list[str]) -> bool:
    if not words:
        return not letters
    head, rest = words[0], words[1:]
    return any(_spells(letters[n:], rest) for n in range(1, min(len(head), len(letters)) + 1)
               if head.startswith(letters[:n]))


def local_keys(forms: Sequence[str], votes: Sequence[Counter], ties: Iterable[tuple[int, int]]) -> list[str]:
    """Canonical key of each mention inside one article (same key = same entity)."""
    groups = _UnionFind()
    for form in forms:
        groups.add(surface_key(form))
    for i, j in ties:
        groups.union(surface_key(forms[i]), surface_key(forms[j]))
    for a, b in alias_pairs(forms):
        groups.union(surface_key(a), surface_key(b))
    _merge_handles_named_like(groups)
    clusters = _clusters(forms, votes, groups)
    merge_partial_names(clusters, groups)
    merge_name_variants(clusters, groups)
    final = _clusters(forms, votes, groups)
    canonical = {root: cluster_key(cluster.forms) for root, cluster in final.items()}
    return [canonical[groups.find(surface_key(f))] for f in forms]


# Words a name never ends with: a form ending with one was cut ("Welcome to", "Société des").
TRUNCATION_ENDS = {"to", "of", "the", "and", "for", "de", "du", "des", "d'", "la", "le", "les", "l'", "et",
                   "à", "au", "aux", "en", "pour", "sur"}
# "Ville de X", "Commune de X": the town itself.
TOWN_PREFIX = re.compile(r"^(?:ville|commune|cité)\s+(?:de|d')\s*(?=\S)", re.IGNORECASE)
# English and French articles that open a title or an outlet's name ("The New York Times").
TITLE_ARTICLE = re.compile(r"^(?:the|le|la|les|l')\s*(?=[A-ZÀ-Ý])", re.IGNORECASE)


def alias_pairs(forms: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs of forms of one article that name the same thing, whatever the context.

    A plural of the last word ("EA Sport" / "EA Sports"), a name cut after a function word ("Welcome
    to" / "Welcome to your home"), "Ville de X" / "X", an English or French article ("The New York
    Times" / "New York Times"), a periphrasis ("Hexagone" / "France").
    """
    counts = Counter(f for f in forms if not f.startswith("@"))
    distinct = list(counts)
    by_fold = {_fold(f): f for f in distinct}
    pairs: list[tuple[str, str]] = []
    for form in distinct:
        words = form.split()
        folded = _fold(form)
        event = _event_of_short_form(form, counts)
        if event is not None:
            pairs.append((form, event))
        spelled = [o for o in distinct
                   if " " in o and (_is_initialism_of(form, o) or _is_numbered_initialism(form, o))]
        if len(spelled) == 1:
            pairs.append((form, spelled[0]))
        if len(words) == 2 and words[0][:1].isupper() and _is_coined(words[1]) and words[1] in counts:
            pairs.append((form, words[1]))  # "Google DeepMind": a coined name after its parent's name
        if folded + "s" in by_fold and len(folded) >= 4:
            pairs.append((form, by_fold[folded + "s"]))
        if len(words) >= 2 and _lower(words[-1]) in TRUNCATION_ENDS:
            longer = [o for o in distinct if o != form and o.split()[:len(words)] == words]
            if longer:  # several: the one the article names first
                pairs.append((form, longer[0]))
        for pattern in (TOWN_PREFIX, TITLE_ARTICLE):
            bare = pattern.sub("", form.replace("’", "'"), count=1)
            if bare != form.replace("’", "'") and _fold(bare) in by_fold:
                pairs.append((form, by_fold[_fold(bare)]))
        target = lex.periphrases().get(_lower(form))
        if target is not None and _fold(target) in by_fold:
            pairs.append((form, by_fold[_fold(target)]))
    return pairs


def _is_initialism_of(short: str, long: str) -> bool:
    """"PSG" for "Paris Saint-Germain", "LoL" for "League of Legends": one letter per word exactly."""
    if " " in short or not 2 <= len(short) <= 6 or sum(c.isupper() for c in short) < 2 or not short.isalpha():
        return False
    every = [w for w in re.split(r"[\s'’-]+", long) if w]
    content = [w for w in every if _lower(w) not in NAME_PARTICLES | {"et", "l", "d", "of", "the", "and"}]
    return any(len(words) >= 2 and "".join(w[0] for w in words).casefold() == short.casefold()
               for words in (every, content))


def _is_coined(word: str) -> bool:
    """A coined brand name: a capital inside the word ("DeepMind", "WhatsApp"), not a common word or place."""
    return word[:1].isupper() and any(c.isupper() for c in word[1:]) and not word.isupper() and word.isalpha()


NUMBERED_INITIALISM = re.compile(r"([A-Z]{2,4})(\d{1,2})")


def _is_numbered_initialism(short: str, long: str) -> bool:
    """"PS5" for "Playstation 5": the number ends the long form and the letters spell the words before it
    (initials, or the letters of one word in order from its first)."""
    match = NUMBERED_INITIALISM.fullmatch(short)
    words = long.split()
    if match is None or len(words) < 2 or words[-1] != match.group(2):
        return False
    letters, head = match.group(1).casefold(), [w.casefold() for w in words[:-1]]
    if len(head) > 1:
        return "".join(w[0] for w in head) == letters
    return head[0][0] == letters[0] and re.search(".*".join(map(re.escape, letters)), head[0]) is not None


def _event_of_short_form(form: str, counts: Counter) -> str | None:
    """"les Jeux" for "Jeux européens de X": the article's most cited event opening with that word (ties:
    the first named)."""
    if " " in form or _lower(form) not in lex.event_words():
        return None
    events = [f for f in counts if len(f.split()) >= 2 and f.split()[0] == form]  # in reading order
    return max(events, key=lambda f: counts[f], default=None)  # ties: the first named


@dataclass
class _Cluster:
    forms: Counter
    votes: Counter


def _clusters(forms: Sequence[str], votes: Sequence[Counter], groups: _UnionFind) -> dict[str, _Cluster]:
    out: dict[str, _Cluster] = {}
    for form, vote in zip(forms, votes, strict=True):
        cluster = out.setdefault(groups.find(surface_key(form)), _Cluster(Counter(), Counter()))
        cluster.forms[form] += 1
        cluster.votes.update(vote)
    return out


def merge_partial_names(clusters: dict[str, _Cluster], groups: _UnionFind) -> None:
    """Surname-only and first-name-only clusters join the one person whose full name they end or start."""
    people = {root: c for root, c in clusters.items() if _is_full_person_name(c)}
    name_parts = _name_part_owners(people)
    for root, cluster in clusters.items():
        if root in people or any(f.startswith("@") for f in cluster.forms) or _cue_label(cluster) in {
                "ORG", "LOC"}:
            continue
        words = tuple(_fold(w) for w in _best_form(cluster.forms).split())
        owners = {groups.find(r) for r in name_parts.get(words, ())}
        if len(owners) == 1:
            groups.union(owners.pop(), root)


def _name_part_owners(people: dict[str, _Cluster]) -> dict[tuple[str, ...], set[str]]:
    """Folded surnames (last words) and given names (first word) of each person's forms -> those people.

    The test of :func:`_is_part_of` as one lookup, instead of a scan of every form of every person for
    every cluster (quadratic on a whole corpus).
    """
    owners: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for root, person in people.items():
        for form in person.forms:
            full = [_fold(w) for w in form.split()]
            for n in range(1, len(full)):
                owners[tuple(full[-n:])].add(root)
            if len(full) > 1:
                owners[(full[0],)].add(root)
    return owners


def merge_name_variants(clusters: dict[str, _Cluster], groups: _UnionFind) -> None:
    """Article-level variants: "Deep" for "DeepMind" (CamelCase head), a misspelt given name of a full one."""
    singles = {root: _best_form(c.forms) for root, c in clusters.items()
               if len(_best_form(c.forms).split()) == 1 and not _best_form(c.forms).startswith("@")}
    group_sizes = Counter(groups.find(root) for root in clusters)
    for root, form in singles.items():
        if group_sizes[groups.find(root)] > 1:
            continue  # already tied to a full name
        heads = {groups.find(r) for r, other in singles.items()
                 if r != root and _camel_parts(other)[:1] == [form] and len(_camel_parts(other)) > 1}
        heads |= {groups.find(r) for r, c in clusters.items()
                  if _is_company_suffixed(form, _best_form(c.forms))}
        if len(heads) == 1:
            groups.union(heads.pop(), root)
            continue
        if _lower(form) in FIRST_NAMES or clusters[root].votes.get("PER", 0) >= 1:
            near = {groups.find(r) for r, c in clusters.items() if _is_full_person_name(c)
                    and any(_near_given_name(form, f.split()[0]) for f in c.forms)}
            if len(near) == 1:
                groups.union(near.pop(), root)


def _is_company_suffixed(form: str, longer: str) -> bool:
    """"Ardentis" for "Ardentis Group" / "Ardentis AI": the same name with a company-type word added."""
    words = longer.split()
    return len(words) > 1 and words[0] == form and all(_lower(w) in ORG_NAME_WORDS for w in words[1:])


def _near_given_name(form: str, given: str) -> bool:
    """A misspelt given name (one or two letters off, same first four), not a gender pair (Jean/Jeanne)."""
    a, b = _fold(form), _fold(given)
    if a == b or len(a) < 5 or a[:4] != b[:4] or a.startswith(b) or b.startswith(a):
        return False
    return _edit_distance(a, b) <= 2


def _is_full_person_name(cluster: _Cluster) -> bool:
    best = _best_form(cluster.forms).split()
    return len(best) >= 2 and _looks_like_person_name(best) and decide_label(cluster.votes) == "PER"


def _is_part_of(words: list[str], full: list[str]) -> bool:
    """True when ``words`` are the last words (surname) or the first word (given name) of ``full``."""
    if not words or len(words) >= len(full):
        return False
    folded, full_folded = [_fold(w) for w in words], [_fold(w) for w in full]
    return full_folded[-len(words):] == folded or (len(words) == 1 and full_folded[0] == folded[0])


def _cue_label(cluster: _Cluster) -> str | None:
    """What the context alone says (spaCy's own votes removed), when it says something."""
    return None if not cluster.votes else decide_label(cluster.votes) if cluster.votes.get(
        "ORG", 0) >= 3 and cluster.votes.get("PER", 0) == 0 else None


# --------------------------------------------------------------------------------------------------
# Corpus-level merge
# --------------------------------------------------------------------------------------------------

def merge_corpus(documents: Iterable[Sequence[Mention]]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Join article keys across the corpus, decide labels and names, build the two tables."""
    return merge_corpus_rows(mentions_frame(m for doc in documents for m in doc))


def merge_corpus_rows(rows: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """:func:`merge_corpus` over the per-article mention rows (:data:`MENTION_ROW_SCHEMA`, any row order).

    Reading order (which breaks ties between name forms) is article id, then mention id. Runs over the
    whole corpus on every run, a re-run adding one article too: it reads the few columns the merge needs
    as lists (no object per mention: at 10,000 articles there are over half a million) and works on
    distinct keys and (key, form) pairs; the mention table is the rows with their entity.
    """
    rows = rows.sort(["doc_id", "mention_id"], maintain_order=True)
    keys: list[str] = rows.get_column("local_key").to_list()
    votes = _parsed_votes(rows.get_column("votes").to_list())
    form_counts = Counter(zip(keys, rows.get_column("form").to_list(), strict=True))  # in reading order
    groups = _UnionFind()
    for key in dict.fromkeys(keys):
        groups.add(key)
    forms_by_key: dict[str, set[str]] = defaultdict(set)
    for key, form in form_counts:
        forms_by_key[key].add(form)
    for key, forms in sorted(forms_by_key.items()):
        for form in sorted(forms):  # "@h" tied to its owner, "Y" former name of "X": true everywhere
            if _is_shareable_alias(form, forms):
                groups.union(key, surface_key(form))
    _merge_handles_named_like(groups)
    by_key = _grouped_clusters(form_counts, _vote_totals(keys, votes), {key: key for key in forms_by_key})
    merge_partial_names({groups.find(k): c for k, c in _rooted(by_key, groups).items()}, groups)
    root_of = {key: groups.find(key) for key in forms_by_key}
    roots = _grouped_clusters(form_counts, _vote_totals([root_of[key] for key in keys], votes), root_of)
    del votes
    docs = _docs_by_group(rows.get_column("doc_id").to_list(), keys, root_of)
    return _tables(rows, keys, roots, root_of, docs)


def _vote_totals(owners: Sequence[str], votes: Sequence[tuple[tuple[str, float], ...]]) -> dict[str, Counter]:
    """Votes summed per owner (key or group) mention by mention, in reading order: the same float sums.

    Cheaper than ``Counter.update(dict(votes))`` per mention; labels are unique within a mention's votes.
    """
    totals: dict[str, Counter] = defaultdict(Counter)
    for owner, vote in zip(owners, votes, strict=True):
        total = totals[owner]
        for label, weight in vote:
            total[label] = total.get(label, 0) + weight
    return totals


def _grouped_clusters(form_counts: Counter, votes: dict[str, Counter],
                      group_of: Mapping[str, str]) -> dict[str, _Cluster]:
    """Clusters from the (key, form) counts, forms kept in reading order (names break ties on it)."""
    out: dict[str, _Cluster] = {}
    for (key, form), n in form_counts.items():
        group = group_of[key]
        cluster = out.get(group)
        if cluster is None:
            cluster = out[group] = _Cluster(Counter(), votes[group])
        cluster.forms[form] += n
    return out


def _docs_by_group(doc_ids: Sequence[str], keys: Sequence[str],
                   root_of: dict[str, str]) -> dict[str, set[str]]:
    """The articles each group of keys is mentioned in."""
    docs: dict[str, set[str]] = defaultdict(set)
    for doc_id, key in zip(doc_ids, keys, strict=True):
        docs[root_of[key]].add(doc_id)
    return docs


def _merge_handles_named_like(groups: _UnionFind) -> None:
    """"@Acme" belongs to "Acme", "@janedoe" to "Jane Doe": a handle spelling a known name exactly."""
    keys = list(groups.parent)
    names = {key for key in keys if not key.startswith("@")}
    for key in keys:
        if key.startswith("@") and _fold(key) in names:
            groups.union(key, _fold(key))


def _is_shareable_alias(form: str, forms: set[str]) -> bool:
    """A form that names the entity on its own anywhere: not a surname, given name or truncation."""
    if form.startswith("@"):
        return True
    folded = _fold(form)
    return not any(other != form and len(other) > len(form) and (
        _is_part_of(form.split(), other.split()) or _fold(other).startswith(folded)) for other in forms)


def _rooted(by_key: dict[str, _Cluster], groups: _UnionFind) -> dict[str, _Cluster]:
    out: dict[str, _Cluster] = {}
    for key, cluster in sorted(by_key.items()):
        merged = out.setdefault(groups.find(key), _Cluster(Counter(), Counter()))
        merged.forms.update(cluster.forms)
        merged.votes.update(cluster.votes)
    return out


def _tables(rows: pl.DataFrame, keys: Sequence[str], roots: dict[str, _Cluster], root_of: dict[str, str],
            docs: dict[str, set[str]]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Both tables from the final groups (``roots``) and each key's group (``root_of``)."""
    entity_of, entities = _entities(roots, docs)
    labels = {eid: decide_label(row["votes"]) for eid, row in entities.items()}
    entity_by_key = {key: entity_of[root] for key, root in root_of.items()}
    entity_rows = [{
        "entity_id": eid, "name": row["name"], "label": labels[eid],
        "aliases": sorted(row["forms"] - {row["name"]}), "n_mentions": row["mentions"],
        "n_documents": len(row["docs"]),
    } for eid, row in sorted(entities.items())]
    entity_ids = pl.Series("entity_id", [entity_by_key[key] for key in keys], dtype=pl.Utf8)
    return _mention_frame(rows, entity_ids, labels), _frame("entities", entity_rows)


def _entities(roots: dict[str, _Cluster],
              docs: dict[str, set[str]]) -> tuple[dict[str, str], dict[str, dict]]:
    """Each group's entity id, and per entity its name, votes, forms and counts (groups may share a name)."""
    entities: dict[str, dict] = {}
    entity_of: dict[str, str] = {}
    for root, cluster in sorted(roots.items()):
        name = canonical_name(cluster.forms, decide_label(cluster.votes))
        entity_id = entity_id_for(cluster_key(Counter({name: 1})))
        entity_of[root] = entity_id
        row = entities.setdefault(entity_id, {"entity_id": entity_id, "name": name, "votes": Counter(),
                                              "forms": set(), "mentions": 0, "docs": set()})
        row["votes"].update(cluster.votes)
        row["forms"].update(cluster.forms)
        row["mentions"] += cluster.forms.total()
        row["docs"].update(docs[root])
    return entity_of, entities


def _mention_frame(rows: pl.DataFrame, entity_ids: pl.Series, labels: dict[str, str]) -> pl.DataFrame:
    """The mention table: the mention rows with their entity and its label, sorted by polars."""
    schema = empty_frame("entity_mentions").schema
    if rows.is_empty():
        return empty_frame("entity_mentions")
    frame = rows.with_columns(entity_id=entity_ids).with_columns(
        label=pl.col("entity_id").replace_strict(labels, return_dtype=pl.Utf8))
    return frame.select(schema.keys()).cast(schema).sort(["doc_id", "doc_char_start", "mention_id"],
                                                         maintain_order=True)


def _frame(table: str, rows: list[dict]) -> pl.DataFrame:
    empty = empty_frame(table)
    return pl.DataFrame(rows, schema=empty.schema) if rows else empty


# --------------------------------------------------------------------------------------------------
# Labels, names, keys
# --------------------------------------------------------------------------------------------------

_LABEL_PREFERENCE = {"PER": 3, "ORG": 2, "LOC": 1, "MISC": 0}


def decide_label(votes: Counter) -> str:
    """The label with the most evidence (ties: PER > ORG > LOC > MISC); MISC when there is none."""
    scored = [(votes.get(label, 0.0), _LABEL_PREFERENCE[label], label) for label in ENTITY_LABELS]
    best = max(scored)
    return best[2] if best[0] > 0 else "MISC"


def canonical_name(forms: Counter, label: str) -> str:
    """Longest well-formed full form for a person, most frequent well-formed form otherwise.

    ``forms`` is in reading order; on a tie the earlier form wins ("X (anciennement Y)" -> X).
    """
    order = {form: i for i, form in enumerate(forms)}
    if label == "PER":
        return max(forms, key=lambda f: (not f.startswith("@"), _is_well_formed(f, label), len(f.split()),
                                         forms[f], len(f), -order[f]))
    return max(forms, key=lambda f: (not f.startswith("@"), _is_well_formed(f, label),
                                     not _has_dropped_article(f, forms), forms[f], -order[f]))


def _has_dropped_article(form: str, forms: Iterable[str]) -> bool:
    """"The New York Times" when "New York Times" is among the forms: the bare one names it."""
    bare = TITLE_ARTICLE.sub("", form.replace("’", "'"), count=1)
    return bare != form.replace("’", "'") and any(_fold(other) == _fold(bare) for other in forms)


def _best_form(forms: Counter) -> str:
    return canonical_name(forms, "PER")


def cluster_key(forms: Counter) -> str:
    """Key of a group of forms: the compact key of its best form ("@handle" for a bare handle)."""
    return surface_key(_best_form(forms))


def surface_key(form: str) -> str:
    """Case-, accent-, space- and hyphen-insensitive key of one surface form ("Deep Mind" = "DeepMind")."""
    return handle_key(form) if form.startswith("@") else _fold(form) or form


def handle_key(form: str) -> str:
    return "@" + form.lstrip("@").lower()


def entity_id_for(key: str) -> str:
    """Stable id: derived from the canonical key only, so reruns give the same ids."""
    return "E" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def _is_well_formed(form: str, label: str) -> bool:
    """A person's words are all capitalised (particles aside); other names start with a capital."""
    words = form.split()
    if label != "PER":
        return words[0][:1].isupper() or words[0][:1].isdigit() or any(c.isupper() for c in words[0])
    return all(w[:1].isupper() or w[:1].isdigit() or w in NAME_PARTICLES or any(c.isupper() for c in w)
               for w in words)


def _looks_like_person_name(words: Sequence[str]) -> bool:
    """Two to four capitalised words (particles allowed), none of them an organisation word."""
    return 1 <= len(words) <= 4 and all(
        ((w[:1].isupper() and w[1:2].islower()) or len(w) == 1 or w.lower() in NAME_PARTICLES)
        and _lower(w) not in ORG_NAME_WORDS for w in words)


def _camel_parts(form: str) -> list[str]:
    return re.findall(r"[A-ZÀ-Ý][a-zà-ÿ]+|[A-ZÀ-Ý]+(?![a-z])|[a-zà-ÿ]+|\d+", form)


def _last_words(lower: str, n: int) -> list[str]:
    return re.findall(r"[\w.'-]+", lower)[-n:]


def _token_at(ent: Span, char: int):
    for token in ent:
        if token.idx <= char < token.idx + len(token.text):
            return token
    return None


def _lower(word: str) -> str:
    return word.lower().replace("’", "'")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).casefold()


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


class _UnionFind:
    """Groups of keys; the representative is the smallest key, so results do not depend on order."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def add(self, key: str) -> None:
        self.parent.setdefault(key, key)

    def find(self, key: str) -> str:
        self.add(key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = sorted((ra, rb))
            self.parent[high] = low


# --------------------------------------------------------------------------------------------------
# Per-document results as rows (so the per-document step can be cached between runs)
# --------------------------------------------------------------------------------------------------

MENTION_ROW_SCHEMA = {
    "mention_id": pl.Utf8, "doc_id": pl.Utf8, "paragraph_id": pl.Utf8, "doc_char_start": pl.Int64,
    "doc_char_end": pl.Int64, "text": pl.Utf8, "form": pl.Utf8, "ner_label": pl.Utf8, "votes": pl.Utf8,
    "local_key": pl.Utf8,
}


def mentions_frame(mentions: Iterable[Mention]) -> pl.DataFrame:
    """Per-document mentions as rows (votes as JSON), the form the stage cache stores."""
    rows = [{**m.__dict__, "votes": json.dumps(m.votes)} for m in mentions]
    return pl.DataFrame(rows, schema=MENTION_ROW_SCHEMA)


def article_mentions(parses: Iterable[DocumentParse]) -> pl.DataFrame:
    """The per-article step of the stage (everything before the corpus merge), as cacheable rows."""
    return mentions_frame(m for parse in parses for m in document_entities(parse))


def _parsed_votes(texts: list[str]) -> list[tuple[tuple[str, float], ...]]:
    """Votes JSON to tuples, each distinct string parsed once (equal votes share one tuple)."""
    parsed = {text: tuple((label, float(weight)) for label, weight in json.loads(text))
              for text in set(texts)}
    return [parsed[text] for text in texts]
