"""Word lists and limits of the quotes stage: nouns that stand for a speaker, first names and titles that
give a gender, quotation marks, and the size limits of a quotation or a post.
"""

from __future__ import annotations

from pipeline.lexicons import read_lexicon


def _lexicon(words: str) -> frozenset[str]:
    """A word list written as a whitespace-separated block (easier to read and extend than a literal)."""
    return frozenset(words.split())



def _lexicon_lines(name: str) -> list[str]:
    """Entries of a lexicon file of ``pipeline/lexicons``, lower-cased (they are matched against lemmas)."""
    return [entry.lower() for entry in read_lexicon(name)]


# Nouns for written or published statements: the speaker is their author, named by the "de X" complement
# ("une note du conseil", "selon le communiqué de la mairie"); alone they stand for the last speaker quoted.
DOCUMENT_NOUNS = frozenset(_lexicon_lines("reporting_nouns.txt")) | _lexicon("""
    communiqué note lettre courrier message publication déclaration texte tweet post billet tribune
    rapport mail e-mail courriel blog vidéo interview entretien mémo circulaire information document
    avis compte publication site article enquête étude
""")

# Person nouns that refer back to a person already named ("l'homme d'affaires de 38 ans", "l'intéressée"):
# resolved like a pronoun, with the noun's gender.
ANAPHORIC_PERSON_NOUNS = _lexicon("""
    homme femme intéressé intéressée trentenaire quadragénaire quinquagénaire sexagénaire septuagénaire
    octogénaire milliardaire
""")

# Nouns standing for an organisation already named ("le conseil de l'entreprise"): such a complement is
# dropped from a nominal speaker, which keeps the informative head ("conseil d'administration").
ANAPHORIC_ORG_NOUNS = _lexicon("""
    entreprise société groupe firme compagnie start-up startup structure organisation institution maison
    enseigne marque
""")

# Head nouns of collective or institutional speakers, candidates for "lequel", "ce dernier" and the like.
INSTITUTION_NOUNS = _lexicon("""
    conseil gouvernement ministère comité commission direction syndicat parquet tribunal police
    préfecture mairie association fédération parti cabinet agence autorité assemblée sénat cour
    conférence entreprise société groupe banque office bureau état
""")

# Nouns of roles and functions held by a person ("le ministre", "la sélectionneuse"): such a subject can be
# the antecedent of a later "il"/"elle" when the article has not named the person.
ROLE_NOUNS = _lexicon("""
    ministre président présidente maire directeur directrice sélectionneur sélectionneuse entraîneur
    entraîneuse juge procureur procureure porte-parole dirigeant dirigeante patron patronne chef député
    députée sénateur sénatrice avocat avocate préfet préfète secrétaire ambassadeur ambassadrice
    commissaire capitaine fondateur fondatrice pdg directeur-général gouverneur gouverneure chancelier
    chancelière roi reine pape général maréchal professeur professeure médecin chercheur chercheuse
    responsable adjoint adjointe conseiller conseillère délégué déléguée candidat candidate élu élue
    magistrat magistrate édile colonel commandant lieutenant sergent gendarme policier policière joueur
    joueuse attaquant défenseur gardien milieu coach pilote skipper chanteur chanteuse acteur actrice
    réalisateur réalisatrice auteur autrice écrivain écrivaine artiste architecte économiste sociologue
    historien historienne analyste expert experte spécialiste scientifique chef cheffe gérant gérante
    propriétaire fondateur cofondateur cofondatrice patron boss chanteuse sportif sportive athlète
    champion championne maître rapporteur rapporteuse présidente-directrice président-directeur
    directeur-général entrepreneur entrepreneuse
""")

# Other words for a role, used to find the person a role noun refers back to.
ROLE_SYNONYMS = {"magistrat": ("maire", "mairesse", "édile"), "édile": ("maire",), "maire": ("édile",),
                 "patron": ("pdg", "directeur", "président"), "patronne": ("pdg", "directrice", "présidente")}

# Nouns that stand for an organisation already named when used with a definite article and no complement
# ("le journal", "le quotidien", "l'entreprise", "le club"): the speaker is the last organisation named.
ANAPHORIC_ORG_HEADS = _lexicon("""
    journal quotidien hebdomadaire mensuel magazine média site chaîne radio télévision agence
    entreprise société groupe firme compagnie start-up startup enseigne marque constructeur éditeur
    club équipe formation parti syndicat association fédération ligue organisation institution
    plateforme réseau application géant
""")

# Nouns for a small group of people just named ("le duo", "le tandem"): the nearest of them speaks.
COLLECTIVE_PERSON_NOUNS = frozenset(_lexicon_lines("quote_collective_nouns.txt"))

# Subject pronouns (and demonstratives) that must be resolved to an antecedent, with the gender they
# require (None: any). Inverted clitics ("-t-il") are normalised to the bare pronoun first.
ANAPHORIC_PRONOUNS = {
    "il": "Masc", "elle": "Fem", "lui": "Masc", "lequel": "Masc", "laquelle": "Fem", "celui-ci": "Masc",
    "celle-ci": "Fem", "celui-là": "Masc", "celle-là": "Fem",
}
# Forms of avoir/être before a past participle: a speech verb the tagger mislabels ("a tweeté") is still
# recognised after one of them.
AUXILIARY_FORMS = frozenset({"a", "ont", "avait", "avaient", "aura", "aurait", "auraient", "est", "sont",
                             "était", "étaient", "sera", "serait"})
# First- and second-person pronouns: their speaker is whoever is quoted, never a third party.
FIRST_AND_SECOND_PERSON = frozenset({"je", "j'", "nous", "vous", "tu", "me", "moi"})
# Pronouns that name the journalist, an indefinite or a group: no speaker can be derived from them.
UNRESOLVED_PRONOUNS = _lexicon("""
    je j' nous on ils elles ce c' cela ça ceci qui que tout tous
""")

# First names with a clear grammatical gender, used only as a hint for pronoun agreement (spaCy's
# morphology on proper nouns is unreliable). General French and international first names.
FEMININE_FIRST_NAMES = _lexicon("""
    marie anne sophie isabelle nathalie catherine christine sylvie valérie sandrine françoise martine
    monique nicole julie claire camille laura léa chloé emma manon sarah élisabeth elisabeth agnès
    ségolène marine rachida anne-marie marie-christine aurore brigitte carole cécile delphine émilie
    florence hélène laurence mathilde pauline virginie amélie charlotte emily mary jennifer susan linda
    karen lisa jessica ashley amanda angela ursula kamala hillary nancy fatima aïcha samira leila
    ana maria elena giorgia angela annalena kristalina christine clara alice louise inès jade lina zoé
    margaux
""")
MASCULINE_FIRST_NAMES = _lexicon("""
    jean pierre michel philippe alain nicolas françois jacques bernard éric eric patrick christophe
    laurent olivier thierry frédéric stéphane sébastien julien david daniel marc paul louis emmanuel
    bruno gérald gabriel jordan édouard edouard benoît xavier yves vincent thomas antoine hugo lucas
    mathieu matthieu guillaume jean-luc jean-pierre jean-marie jean-michel raphaël rémi arnaud
    damien fabien john james robert michael william richard joseph charles george donald joe barack elon
    mark jeff bill steve tim sundar greg sam vladimir volodymyr xi olaf recep benjamin mohammed
    ahmed ali omar karim luca giorgio mario pedro carlos juan javier
""")

# Titles that give a person's gender when they precede the name.
FEMININE_TITLES = _lexicon("""
    mme mme. madame mlle mlle. mademoiselle
""")
MASCULINE_TITLES = _lexicon("""
    m. monsieur mr mr.
""")

# Openings of teaser lines ("Lire aussi : ...") whose quotations belong to another article.
TEASER_PREFIXES = ("lire aussi", "à lire aussi", "a lire aussi", "lire également", "à lire", "voir aussi",
                   "à voir aussi", "en rapport", "sur le même sujet", "regarder aussi", "à écouter",
                   "read more", "related")


POST_MAX_CHARS = 420  # a post (280 characters, a little longer once translated) plus handles and links
SHORT_QUOTE_WORDS = 3  # at most this many words: a scare quote unless a speech cue governs it
CONTINUATION_MAX_CHARS = 400
ORGANISATION_PRONOUN_CHARS = 400  # "il"/"elle" with no person named: an organisation this close before
# Bounds on what counts as a quotation, so that a run of marks or a page of garbage is never published as
# one: longer quotations are layout accidents (a mark left open over pages), and real marks nest at most
# two deep (« … “ … ” … »), three with some room; a fourth mark opened inside three is a run of openers.
QUOTE_MAX_CHARS = 3000
MAX_OPEN_MARKS = 3

def _not_quotation_cues() -> tuple[dict[str, str], dict[str, str]]:
    """(word before the marks -> reason, words after the marks -> reason) from
    ``quote_not_quotation_cues.txt``."""
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for entry in _lexicon_lines("quote_not_quotation_cues.txt"):
        label, _, words = entry.partition(":")
        label, words = label.strip(), words.strip()
        if label.startswith("after "):
            after[words] = label.removeprefix("after ").strip()
        else:
            before[words] = label
    return before, after


# Words before the marks ("la série « … »") and after them ("« fetus » en anglais") that make the quoted
# words a title, a product, a term or a translation.
CUES_BEFORE, CUES_AFTER = _not_quotation_cues()

# Source locutions: "selon X", "d'après X" (read on "après"), a clause-opening "pour X,"
SOURCE_CUES = {"selon": "selon", "après": "d'après", "pour": "pour"}
_SENTENCE_END = frozenset(".!?…")
_OPENERS = {"«": "guillemet", "“": "curly", "„": "curly"}
_CLOSERS = {"»": "guillemet", "”": "curly"}
_PROPER_CLOSER = {"guillemet": "»", "curly": "”", "straight": '"'}
