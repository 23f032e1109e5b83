"""Word lists and context patterns of the entity stage (lower case, accents kept; matched lower-cased).

General French (and common international) vocabulary, each list documented where it is declared; the
longer lists are data files ``lexicons/entity_*.txt`` read by :mod:`pipeline.entity_lexicons`.
"""

from __future__ import annotations

import re

from pipeline import entity_lexicons as lex

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

# Days and months (CALENDAR_WORDS, from pipeline/french.py): capitalised at a sentence start, spaCy tags
# them PER or LOC.

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


ORG_NOUNS = ORG_HEAD_NOUNS | lex.org_words()  # "la fondation X", "le comité X"


# "la rue Blériot", "le parc de la Templerie", "la place des Quinconces": the lower-case noun is part of the
# place's name. "place" takes no "de/du/de la" ("à la place de X" is no place).
STREET_NOUN = (r"(?:(?:rue|avenue|boulevard|quai|chemin|allée|impasse|parc|square|faubourg|jardin|esplanade|"
               r"parvis)\s+(?:de la\s+|de l'|des\s+|du\s+|de\s+|d')?|place\s+(?:des\s+)?)")
STREET_HEAD = re.compile(rf"(?<![\w']){STREET_NOUN}$")
STREET_NAME = re.compile(rf"{STREET_NOUN}[A-ZÀ-Ý]")
# "université de Stanford", "école Polytechnique": an institution French writes with a lower-case noun.
INSTITUTION_NAME = re.compile(r"(?:université|école|institut|lycée|collège|musée|fondation|laboratoire)\s+"
                              r"(?:de la\s+|de l'|des\s+|du\s+|de\s+|d')?[A-ZÀ-Ý]")


# English and French articles that open a title or an outlet's name ("The New York Times").
TITLE_ARTICLE = re.compile(r"^(?:the|le|la|les|l')\s*(?=[A-ZÀ-Ý])", re.IGNORECASE)
