"""Trigger lexicons and the French word lists the event rules read (a locution is a head lemma and
the words that must follow it)."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.lexicons import read_lexicon

# Optional words between the words of a locution (``a été mis en vente``, ``prend la tête``).
_LOCUTION_FILLERS = {"le", "la", "les", "l'", "l’", "un", "une", "des", "du", "se", "s'", "s’", "sa",
                     "son", "ses", "leur", "leurs"}
_LOCUTION_WINDOW = 6  # tokens after the head word in which a locution's other words must appear


@dataclass(frozen=True)
class Locution:
    """A trigger of several words: the head lemma and the words that must follow it (``mettre en vente``)."""

    lemma: str
    words: tuple[str, ...]
    reflexive: bool  # ``se tenir``: the verb needs its reflexive clitic
    entry: str = ""  # as written in the lexicon: the ``trigger`` column


def _parse_entry(entry: str) -> Locution:
    words = entry.lower().replace("’", "'").split()
    reflexive = words[0] in ("se", "s'")
    if reflexive:
        words = words[1:]
    elif words[0].startswith("s'"):
        reflexive, words = True, [words[0][2:], *words[1:]]
    return Locution(words[0], tuple(w for w in words[1:] if w not in _LOCUTION_FILLERS), reflexive,
                    " ".join(entry.lower().split()))


def _typed_lexicon(name: str) -> list[tuple[str, Locution]]:
    """``(event type, entry)`` of ``pipeline/lexicons/<name>`` (lines ``type: entry``)."""
    out = []
    for line in read_lexicon(name):
        kind, _, entry = line.partition(":")
        out.append((kind.strip(), _parse_entry(entry.strip())))
    return out


_TRIGGER_ENTRIES = _typed_lexicon("event_triggers.txt")
_STATEMENT_ENTRIES = [_parse_entry(entry) for entry in read_lexicon("event_statement_triggers.txt")]
# Trigger lexicon (``pipeline/lexicons/event_triggers.txt``): single-word lemma -> event type of the shared
# taxonomy; locutions (``mettre en vente``, ``prendre la présidence``) by head lemma.
EVENT_TRIGGERS: dict[str, str] = {
    e.lemma: kind for kind, e in _TRIGGER_ENTRIES if not e.words and not e.reflexive}
EVENT_LOCUTIONS: dict[str, list[tuple[Locution, str]]] = {}
for _kind, _entry in _TRIGGER_ENTRIES:
    if _entry.words or _entry.reflexive:
        EVENT_LOCUTIONS.setdefault(_entry.lemma, []).append((_entry, _kind))
# Speech and publication verbs and nouns (``pipeline/lexicons/event_statement_triggers.txt``): a dated one
# makes a ``statement`` event.
STATEMENT_TRIGGERS = {e.lemma for e in _STATEMENT_ENTRIES if not e.words}
for _entry in _STATEMENT_ENTRIES:
    if _entry.words:
        EVENT_LOCUTIONS.setdefault(_entry.lemma, []).append((_entry, "statement"))
# Triggers whose event reading needs a person (or pronoun) as object or a passive voice: ``arrêter la
# production`` is not an arrest, ``juger que`` is an opinion, ``le jeu débarque lundi`` is an arrival.
NEEDS_PERSON_OBJECT = {"arrêter", "juger", "engager", "lever", "conclure", "adopter", "renvoyer", "débarquer"}
# Verbs of wish, intent or attempt: a trigger they govern is not (yet) a fact (``veut son retour``,
# ``cherche à le recruter``). General French modality vocabulary.
IRREALIS_GOVERNORS = {
    "vouloir", "souhaiter", "espérer", "envisager", "chercher", "tenter", "essayer", "exiger", "réclamer",
    "demander", "proposer", "rêver", "craindre", "refuser", "viser", "prévoir",
}
# Death triggers: a death needs a person-like subject (``le roman est mort`` is a metaphor).
DEATH_TRIGGERS = {"mourir", "décéder", "succomber", "mort", "décès"}
# Nouns naming people, general French vocabulary: the subject of a death when no PER entity is.
HUMAN_NOUNS = {
    "homme", "femme", "enfant", "garçon", "fille", "bébé", "nourrisson", "adolescent", "adolescente",
    "jeune", "personne", "victime", "individu", "quinquagénaire", "sexagénaire", "octogénaire",
    "nonagénaire", "centenaire", "septuagénaire", "quadragénaire", "trentenaire", "vingtaine", "dizaine",
    "père", "mère", "fils", "frère", "sœur", "mari", "épouse", "époux", "grand-père", "grand-mère", "oncle",
    "tante", "cousin", "cousine", "ami", "amie", "voisin", "voisine", "habitant", "habitante", "patient",
    "patiente", "malade", "blessé", "blessée", "passant", "passante", "piéton", "piétonne", "conducteur",
    "conductrice", "automobiliste", "motard", "cycliste", "passager", "passagère", "randonneur", "alpiniste",
    "nageur", "baigneur", "soldat", "militaire", "policier", "policière", "gendarme", "pompier", "agent",
    "otage", "détenu", "détenue", "prisonnier", "prisonnière", "migrant", "migrante", "réfugié", "civil",
    "ouvrier", "ouvrière", "salarié", "salariée", "employé", "employée", "agriculteur", "éleveur", "pêcheur",
    "acteur", "actrice", "chanteur", "chanteuse", "artiste", "écrivain", "écrivaine", "auteur", "autrice",
    "musicien", "musicienne", "peintre", "cinéaste", "réalisateur", "réalisatrice", "journaliste",
    "photographe", "comédien", "comédienne", "poète", "philosophe", "sportif", "sportive", "joueur",
    "joueuse", "athlète", "champion", "championne", "entraîneur", "pilote", "ministre", "président",
    "présidente", "maire", "député", "députée", "sénateur", "sénatrice", "dirigeant", "dirigeante", "patron",
    "patronne", "fondateur", "fondatrice", "chef", "roi", "reine", "prince", "princesse", "pape", "prêtre",
    "évêque", "médecin", "infirmier", "infirmière", "professeur", "élève", "étudiant", "étudiante", "suspect",
    "suspecte", "survivant", "survivante", "résistant", "résistante", "vétéran", "figure", "légende",
    "star", "vedette", "icône", "célébrité", "défunt", "défunte", "créateur", "créatrice", "styliste",
    "animateur", "animatrice", "chercheur", "chercheuse", "scientifique", "directeur", "directrice",
    "militant", "militante", "opposant", "opposante", "manifestant", "manifestante", "résident",
    "résidente", "moine", "religieuse", "ancien", "ancienne", "doyen", "doyenne",
}
# Nouns that refer back to an organisation named earlier (``l'entreprise``, ``le journal``).
ORG_DESIGNATORS = frozenset(read_lexicon("event_org_designators.txt"))
# Negative words completing ``ne``: ``n'a pas démissionné``, ``n'a jamais été arrêté``, ``n'a rien déclaré``
# are not events (``ne ... que``, a restriction, is not among them).
NEGATIVE_WORDS = {"pas", "jamais", "plus", "rien", "point", "guère", "nullement", "aucunement", "personne"}
# Trigger participles that open a page stamp (``Publié le 24/11/2023 à 10h12``, ``Publié par la
# rédaction``): the page's own history, not a statement by anyone.
STAMP_LEMMAS = {"publier", "modifier", "actualiser"}
