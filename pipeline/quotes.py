"""docs + entities -> ``quotes``: reported quotations, embedded social-media posts, and who said them.

Detection works on the whole document because quotations cross paragraphs:
- quotation marks are classified from their context (a ``»`` glued to the next word after ``d' `` opens,
  a straight ``"`` opens or closes depending on the spaces around it), matched with a stack so that nested
  ``“ ”`` stay inside the outer quotation, and a quotation still open at the end of a paragraph continues only
  when the next paragraph opens with ``«`` (French convention); otherwise it is reported, with a low
  confidence, as ending with its paragraph, so it never swallows the rest of the article; a run of opening
  marks, marks of one kind left open twice, or more than ``QUOTE_MAX_CHARS`` between the marks is no
  quotation;
- embedded posts are found from their signature line ``– Name (@handle) date`` (also glued to the post's
  last words); the post is the lines above it, up to the previous article paragraph.

Attribution is syntax first, then discourse (see :func:`_attribute`, first hit wins): a signature line under
the quotation (or a credit line "Name, role" that is no paragraph of the article), an inverted cue right
after it (``», souffle X``), an incise inside the marks (``« A, remarque X. B »``), a verb of saying /
``selon`` / ``comme le dit X`` in the same sentence, a ``X … :`` colon introduction; then the same words
quoted earlier, the continuation of the previous quotation, an interview answer, and a speaker named in the
previous sentence. Verbs of saying and the cues of not-quotations (titles, product names, terms,
translations: dropped with their reason, see :func:`extract_quotes_audited`) are data files in
``pipeline/lexicons``. Pronouns and role nouns ("le maire", "le journal", "le Toulousain", "le duo") resolve
to the named person or organisation they stand for; dates, times and places never speak. Entity mentions
from the entity stage are used when present; spaCy's own ents are the fallback.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache, cached_property

import polars as pl
from spacy.tokens import Token

from pipeline.lexicons import read_lexicon
from pipeline.model import DocumentParse, ParsedParagraph
from pipeline.paragraphs import normalise_chars
from pipeline.schemas import empty_frame
from pipeline.spans import SpanIndex


def _lexicon(words: str) -> frozenset[str]:
    """A word list written as a whitespace-separated block (easier to read and extend than a literal)."""
    return frozenset(words.split())


# --- lexicons --------------------------------------------------------------------------------------------

def _lexicon_lines(name: str) -> list[str]:
    """Entries of a lexicon file of ``pipeline/lexicons``, lower-cased (they are matched against lemmas)."""
    return [entry.lower() for entry in read_lexicon(name)]


def _reporting_verbs() -> tuple[frozenset[str], frozenset[tuple[str, str]], frozenset[str]]:
    """(lemmas of verbs of saying, (governor, governed) locutions, lemmas that are verbs of saying only
    right after a quotation or in an incise) from ``reporting_verbs.txt``; a pronominal entry
    ("s'insurger") matches on its verb's lemma."""
    single, pairs, positional = set(), set(), set()
    for entry in _lexicon_lines("reporting_verbs.txt"):
        if entry.startswith("~"):
            positional.add(entry[1:].strip())
            continue
        words = entry.split()
        if words[0] == "s'en":
            words = words[1:]
        elif words[0] == "se" or words[0].startswith("s'"):
            lemma = words[1] if words[0] == "se" else words[0][2:]
            single.add(lemma)
            words = [lemma, *words[2 if words[0] == "se" else 1:]]
        if len(words) == 1:
            single.add(words[0])
        else:
            pairs.add((words[0], words[-1]))
    return frozenset(single), frozenset(pairs), frozenset(positional)


# Verbs of saying (déclarer, souffler, tempérer, s'insurger, ...) from the lexicon file: a token is one when
# spaCy's lemma is listed, or when its form is a conjugation of a listed verb (spaCy's French lemmatiser
# misses some forms, e.g. "estime" -> "estime", and tags some inverted verbs as nouns).
SPEECH_VERBS, SPEECH_VERB_PAIRS, POSITIONAL_SPEECH_VERBS = _reporting_verbs()
# Source locutions ("selon", "d'après", "aux yeux de"): the noun phrase that follows is the speaker.
SOURCE_LOCUTIONS = tuple(sorted(_lexicon_lines("reporting_sources.txt"), key=len, reverse=True))

# Conjugated forms of the irregular speech verbs above (regular -er verbs are conjugated by rule).
_IRREGULAR_FORMS = {
    "dire": r"di(s|t|sent|se|sait|saient|sant|ra|rait|raient|rent|tes)",
    "écrire": r"écri(s|t|vent|ve|vait|vaient|vant|ra|rait|vit|virent)",
    "conclure": r"conclu(s|t|ent|e|ait|aient|ant|ra|rait|rent)?",
    "reconnaître": r"reconn(aît|ait|ais|aissent|aissait|aissaient|aissant|u|ue|ut|urent|aîtra|aîtrait)",
    "répondre": r"répond(s|ent|e|ait|aient|ant|ra|rait|it|irent|u)?",
    "prévenir": r"prév(iens|ient|iennent|enait|enaient|enant|enu|int|iendra|iendrait)",
    "admettre": r"adm(et|ets|ettent|ettait|ettant|is|it|irent|ettra|ettrait)",
    "promettre": r"prom(et|ets|ettent|ettait|ettant|is|it|irent|ettra|ettrait)",
    "soutenir": r"sout(iens|ient|iennent|enait|enant|enu|int|iendra|iendrait)",
    "avertir": r"avert(it|is|issent|issait|issant|i|ira|irait)",
    "réagir": r"réag(it|is|issent|issait|issant|i|ira|irait)",
    "poursuivre": r"poursui(t|s|vent|vait|vant|vi|vit)",
    "reprendre": r"repr(end|ends|ennent|enait|enant|is|it|endra)",
    "démentir": r"dém(ent|ens|entent|entait|entant|enti|entit)",
    "prédire": r"prédi(t|s|sent|sait|sant|ra|rait)",
    "plaindre": r"plai(nt|ns|gnent|gnait|gnant)",
    "conseiller": r"conseill(e|ent|ait|ant|é|a)",
    "sourire": r"souri(s|t|ent|ait|aient|ant|ra|rait)?",
    "rire": r"ri(s|t|ent|ait|aient|ant|ra|rait)?",
    "convenir": r"conv(iens|ient|iennent|enait|enaient|enant|enu|int|iendra|iendrait)",
    "maintenir": r"maint(iens|ient|iennent|enait|enant|enu|int|iendra|iendrait)",
    "croire": r"cr(ois|oit|oient|oyait|oyaient|oyant|u|ut|urent|oira|oirait)",
    "décrire": r"décri(s|t|vent|ve|vait|vaient|vant|ra|rait|vit|virent)",
    "redire": r"redi(s|t|sent|se|sait|saient|sant|ra|rait|rent)",
    "craindre": r"crai(ns|nt|gnent|gnait|gnaient|gnant|gnit)",
    "se plaindre": r"plai(nt|ns|gnent|gnait|gnant)",
    "dépeindre": r"dépei(ns|nt|gnent|gnait|gnant)",
    "interrompre": r"interromp(s|t|ent|ait|ant|u|it)",
    "abattre": r"abat(s|t|tent|tait|tant|tu|tit)",
}
_IR_ENDINGS = r"(is|it|issons|issez|issent|issais|issait|issaient|issant|i|ie|is|ies|ir|ira|irait|irent|ît)"
_ER_ENDINGS = (r"(e|es|ent|ons|ez|ais|ait|aient|ions|iez|ant|é|ée|és|ées|er|era|erai|eras|erons|erez|eront"
               r"|erait|eraient|a|as|ai|âmes|èrent|ât)")

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

FRENCH_MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
}
ENGLISH_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
}

POST_MAX_CHARS = 420  # a post (280 characters, a little longer once translated) plus handles and links
SHORT_QUOTE_WORDS = 3  # at most this many words: a scare quote unless a speech cue governs it
CONTINUATION_MAX_CHARS = 400
ORGANISATION_PRONOUN_CHARS = 400  # "il"/"elle" with no person named: an organisation this close before
# Bounds on what counts as a quotation, so that a run of marks or a page of garbage is never published as
# one: longer quotations are layout accidents (a mark left open over pages), and real marks nest at most
# two deep (« … “ … ” … »), three with some room; a fourth mark opened inside three is a run of openers.
QUOTE_MAX_CHARS = 3000
MAX_OPEN_MARKS = 3

_SENTENCE_END = frozenset(".!?…")
_OPENERS = {"«": "guillemet", "“": "curly", "„": "curly"}
_CLOSERS = {"»": "guillemet", "”": "curly"}
_PROPER_CLOSER = {"guillemet": "»", "curly": "”", "straight": '"'}


# --- data ------------------------------------------------------------------------------------------------

@dataclass
class _Open:
    family: str
    para: int
    start: int  # paragraph offset just after the opening mark
    pieces: list[tuple[int, int, int]] = field(default_factory=list)  # finished (para, start, end) pieces


@dataclass
class _RawQuote:
    pieces: list[tuple[int, int, int]]  # (paragraph index, start, end) of the quoted words, paragraph offsets
    open_at: tuple[int, int]  # (paragraph index, offset of the opening mark)
    close_at: tuple[int, int] | None  # (paragraph index, offset just after the closing mark); None: unclosed
    family: str

    @property
    def first_para(self) -> int:
        return self.pieces[0][0]

    @property
    def last_para(self) -> int:
        return self.pieces[-1][0]


@dataclass(frozen=True)
class _Speaker:
    name: str
    entity_id: str | None
    is_person: bool


@dataclass(frozen=True)
class _Attribution:
    speaker: _Speaker | None
    cue: str | None
    confidence: float
    cue_end: int | None = None  # document offset where an inverted cue ends (for continuations)


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    entity_id: str | None
    name: str
    label: str
    gender: str | None = None
    subject: bool = False  # the mention is the subject of its clause (preferred antecedent)
    sentence_start: int = -1  # document offset of its sentence


@dataclass
class _Post:
    start: int
    end: int
    text: str
    speaker_name: str
    name_span: tuple[int, int]
    date: str | None


# --- entry point -----------------------------------------------------------------------------------------

def extract_quotes(parses: Iterable[DocumentParse], entity_mentions: pl.DataFrame,
                   entities: pl.DataFrame) -> pl.DataFrame:
    """``quotes`` rows for every document."""
    return extract_quotes_audited(parses, entity_mentions, entities)[0]


DROPPED_SCHEMA = {"doc_id": pl.String, "doc_char_start": pl.Int64, "doc_char_end": pl.Int64,
                  "text": pl.String, "reason": pl.String}


def extract_quotes_audited(parses: Iterable[DocumentParse], entity_mentions: pl.DataFrame,
                           entities: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(``quotes`` rows, what was in quotation marks and dropped, with the reason): the drops can be
    audited ("title", "product", "term", "translation", "teaser", "post", "duplicate")."""
    names = _entity_names(entities)
    mentions_by_doc = _mentions_by_doc(entity_mentions, names)
    rows: list[dict] = []
    dropped: list[dict] = []
    for parse in parses:
        kept, drops = _document_quotes(parse, mentions_by_doc.get(parse.doc_id, []))
        rows.extend(kept)
        dropped.extend(drops)
    frame = pl.DataFrame(rows, schema=empty_frame("quotes").schema) if rows else empty_frame("quotes")
    return frame, pl.DataFrame(dropped, schema=DROPPED_SCHEMA)


def _entity_names(entities: pl.DataFrame) -> dict[str, tuple[str, str]]:
    """entity_id -> (canonical name, label); empty when the entity stage produced nothing."""
    if entities is None or entities.is_empty() or not {"entity_id", "name"} <= set(entities.columns):
        return {}
    labels = entities["label"] if "label" in entities.columns else [None] * entities.height
    rows = zip(entities["entity_id"], entities["name"], labels, strict=True)
    return {eid: (name, label or "") for eid, name, label in rows}


def _mentions_by_doc(entity_mentions: pl.DataFrame,
                     names: dict[str, tuple[str, str]]) -> dict[str, list[_Mention]]:
    needed = {"doc_id", "entity_id", "doc_char_start", "doc_char_end"}
    if entity_mentions is None or entity_mentions.is_empty() or not needed <= set(entity_mentions.columns):
        return {}
    out: dict[str, list[_Mention]] = {}
    for row in entity_mentions.iter_rows(named=True):
        name, label = names.get(row["entity_id"], (row.get("text") or "", row.get("label") or ""))
        label = label or row.get("label") or ""
        out.setdefault(row["doc_id"], []).append(
            _Mention(row["doc_char_start"], row["doc_char_end"], row["entity_id"], name, label))
    for mentions in out.values():
        mentions.sort(key=lambda m: m.start)
    return out


# --- per document ----------------------------------------------------------------------------------------

def _itself(span: tuple[int, int]) -> tuple[int, int]:
    return span


class _Document:
    """One article with its quotation ranges, candidate speakers and the rules that need them."""

    def __init__(self, parse: DocumentParse, mentions: list[_Mention]):
        self.parse = parse
        self.paras = parse.paragraphs
        self.mentions = mentions
        self._quoted: SpanIndex[tuple[int, int]] = SpanIndex([], _itself)  # the quoted ranges
        self.persons: list[_Mention] = []
        self.attributed: list[tuple[_RawQuote, str, _Attribution]] = []  # earlier quotes, in order

    @cached_property
    def person_names(self) -> list[str]:
        """Computed once per article: asked for every candidate speaker (quadratic otherwise)."""
        return _names_of_people(self)

    @cached_property
    def surname_genders(self) -> dict[str, str]:
        return _surname_genders(self.person_names)

    @cached_property
    def text_lower(self) -> str:
        """The article in lower case, looked into around every role-noun speaker: made once."""
        return self.parse.text.lower()

    @cached_property
    def paragraph_starts(self) -> list[int]:
        return [pp.doc_char_start for pp in self.paras]

    # offsets and tokens
    def doc_off(self, para: int, off: int) -> int:
        """Document offset of the paragraph offset ``off`` (a start): runs of spaces were collapsed."""
        return self.paras[para].doc_offset(off)

    def doc_end(self, para: int, off: int) -> int:
        """Document offset of the paragraph offset ``off`` used as an exclusive end: just after the
        character before it, so that a span never swallows a run of spaces that follows it."""
        return self.paras[para].doc_span(off - 1, off)[1] if off > 0 else self.doc_off(para, 0)

    def tok_start(self, para: int, tok: Token) -> int:
        return self.paras[para].doc_offset(tok.idx)

    def set_quoted(self, ranges: Iterable[tuple[int, int]]) -> None:
        """Document ranges inside quotation marks (marks included)."""
        self._quoted = SpanIndex(ranges, _itself)

    def is_quoted(self, doc_off: int) -> bool:
        """Inside a quoted range; a binary search, as it is asked for every token near every quotation."""
        return next(self._quoted.overlapping(doc_off, doc_off + 1), None) is not None

    def quotes_only_a_name(self, start: int, end: int) -> bool:
        """``[start, end)`` is all a pair of quotation marks holds (« Le Journal »): a name written between
        marks, not a name inside somebody's words."""
        ranges = list(self._quoted.overlapping(start, end))
        return len(ranges) == 1 and (ranges[0][1] - ranges[0][0]) - (end - start) <= 4

    def token_quoted(self, para: int, tok: Token) -> bool:
        return tok.text not in _OPENERS and tok.text not in _CLOSERS and tok.text != '"' and \
            self.is_quoted(self.tok_start(para, tok))

    def para_of(self, tok: Token) -> int:
        for i, pp in enumerate(self.paras):
            if pp.doc is tok.doc:
                return i
        raise ValueError("token outside the document")

    def mention_at(self, start: int, end: int, person_only: bool = False) -> _Mention | None:
        pool = self.persons if person_only else self.mentions
        return next((m for m in pool if m.start < end and start < m.end), None)


def _document_quotes(parse: DocumentParse, mentions: list[_Mention]) -> tuple[list[dict], list[dict]]:
    """(quote rows, dropped quotations with their reason) of one article."""
    if not parse.paragraphs:
        return [], []
    doc = _Document(parse, mentions)
    raw_quotes = _find_quotations(parse.paragraphs)
    raw_quotes = sorted(raw_quotes + _signed_paragraphs(doc, raw_quotes), key=lambda q: q.open_at)
    doc.set_quoted((doc.doc_off(q.open_at[0], q.open_at[1]),
                    doc.doc_end(*q.close_at) if q.close_at else doc.doc_end(q.last_para, q.pieces[-1][2]))
                   for q in raw_quotes)
    doc.persons = _person_candidates(doc)
    posts = _find_posts(parse)
    rows: list[dict] = []
    dropped: list[dict] = []
    seen_texts: set[str] = set()
    for post in posts:
        rows.append(_post_row(doc, post))
        seen_texts.add(_norm(post.text))
    previous_drop: tuple[_RawQuote, str] | None = None
    named_things: dict[str, str] = {}  # titles and names dropped so far: quoted again, they are dropped again
    for quote in raw_quotes:
        text = _quote_text(doc, quote)
        reason = named_things.get(_norm(text)) or _drop_reason(doc, quote, text, posts, previous_drop)
        attribution = _attribute(doc, quote, text) if reason is None else None
        if attribution is not None and _is_scare_quote(text) and not _governed_by_cue(attribution):
            reason = "term"
        if reason in ("title", "product") or (reason in ("term", "translation") and len(text.split()) <= 3):
            named_things[_norm(text)] = reason
        key = _norm(text)
        if reason is None and key in seen_texts:
            reason = "duplicate"
        if reason is not None or attribution is None:
            dropped.append(_dropped_row(doc, quote, text, reason or "term"))
            previous_drop = (quote, reason or "term")
            continue
        previous_drop = None
        seen_texts.add(key)
        doc.attributed.append((quote, text, attribution))
        rows.append(_quote_row(doc, quote, text, attribution))
    _attribute_headlines(doc, rows)
    rows.sort(key=lambda r: r["doc_char_start"])
    for n, row in enumerate(rows):
        row["quote_id"] = f"{parse.doc_id}:q{n:03d}"
    return rows, dropped


def _attribute_headlines(doc: _Document, rows: list[dict]) -> None:
    """A quotation used as a heading before the passage that quotes it takes that passage's speaker: a
    weakly attributed quotation whose words are part of a later, firmly attributed one."""
    for n, row in enumerate(rows):
        firm = row["confidence"] >= _CONFIDENCE["clause"]
        if row["kind"] == "post" or firm or len(_norm(row["text"]).split()) < 2:
            continue
        key = _norm(row["text"])
        later = next((r for r in rows[n + 1:] if r["kind"] != "post"
                      and r["confidence"] >= _CONFIDENCE["clause"]
                      and r["speaker"] and key in _norm(r["text"])), None)
        if later is not None:
            row.update(speaker=later["speaker"], speaker_entity_id=later["speaker_entity_id"],
                       cue=later["cue"])


def _dropped_row(doc: _Document, quote: _RawQuote, text: str, reason: str) -> dict:
    p0, s0, _ = quote.pieces[0]
    pn, _, en = quote.pieces[-1]
    return {"doc_id": doc.parse.doc_id, "doc_char_start": doc.doc_off(p0, s0),
            "doc_char_end": doc.doc_end(pn, en),
            "text": text, "reason": reason}


def _quote_row(doc: _Document, quote: _RawQuote, text: str, attribution: _Attribution) -> dict:
    p0, s0, _ = quote.pieces[0]
    pn, _, en = quote.pieces[-1]
    confidence = attribution.confidence * (1.0 if quote.close_at else 0.5)
    speaker = attribution.speaker
    return {
        "quote_id": "", "doc_id": doc.parse.doc_id, "paragraph_id": doc.paras[p0].paragraph_id,
        "doc_char_start": doc.doc_off(p0, s0), "doc_char_end": doc.doc_end(pn, en), "text": text,
        "kind": _quote_kind(doc, quote, text), "speaker": speaker.name if speaker else None,
        "speaker_entity_id": speaker.entity_id if speaker else None, "cue": attribution.cue,
        "confidence": round(confidence, 3), "quote_date": None,
    }


def _post_row(doc: _Document, post: _Post) -> dict:
    mention = doc.mention_at(*post.name_span)
    name, entity_id = post.speaker_name, None
    if mention is not None and mention.entity_id:
        name, entity_id = mention.name or name, mention.entity_id
    para = _paragraph_index_at(doc.paras, post.start, post.end)
    return {
        "quote_id": "", "doc_id": doc.parse.doc_id, "paragraph_id": doc.paras[para].paragraph_id,
        "doc_char_start": post.start, "doc_char_end": post.end, "text": post.text, "kind": "post",
        "speaker": name, "speaker_entity_id": entity_id, "cue": "post", "confidence": 0.95,
        "quote_date": post.date,
    }


def _paragraph_index_at(paras: list[ParsedParagraph], start: int, end: int) -> int:
    """The paragraph holding ``start``, else the first one overlapping ``[start, end)``."""
    for i, pp in enumerate(paras):
        if pp.contains(start):
            return i
    return next(i for i, pp in enumerate(paras) if pp.doc_char_start < end and start < pp.doc_char_end)


# --- detection: quotation marks --------------------------------------------------------------------------

def _find_quotations(paras: list[ParsedParagraph]) -> list[_RawQuote]:
    """Outermost quotations of the document, in reading order; nested ones stay inside their parent."""
    quotes: list[_RawQuote] = []
    carried: _Open | None = None
    for pi, pp in enumerate(paras):
        text = pp.text
        stack: list[_Open] = []
        skip_until = 0
        if carried is not None:  # the previous paragraph ended inside a quotation, this one reopens it
            lead = re.match(r"\s*[«“]", text)
            carried.para, carried.start = pi, lead.end() if lead else 0
            stack, skip_until, carried = [carried], carried.start, None
        for pos, char in _marks(text):
            if pos >= skip_until:
                _apply_mark(text, pi, pos, char, stack, quotes)
            if len(stack) > MAX_OPEN_MARKS:
                stack.clear()  # a run of opening marks: the marks still open here open no quotation
                break
        if not stack or stack[0].family == "straight":
            continue  # an unclosed straight quote is too often a stray mark to report
        if sum(o.family == stack[0].family for o in stack) > 1:
            continue  # « … « … left open: unbalanced marks, not a quotation
        outer = stack[0]
        outer.pieces.append((pi, outer.start, len(text)))
        following = paras[pi + 1].text if pi + 1 < len(paras) else ""
        if re.match(r"\s*[«“]", following):
            carried = outer
        else:
            quotes.append(_RawQuote(outer.pieces, _open_position(outer.pieces), None, outer.family))
    if carried is not None:
        quotes.append(_RawQuote(carried.pieces, _open_position(carried.pieces), None, carried.family))
    trimmed = (_trimmed(q, paras) for q in quotes)
    return [q for q in trimmed if q is not None and _quoted_chars(q) <= QUOTE_MAX_CHARS]


def _quoted_chars(quote: _RawQuote) -> int:
    """Characters between the marks, over all the paragraphs the quotation spans."""
    return sum(end - start for _, start, end in quote.pieces)


def _marks(text: str) -> Iterator[tuple[int, str]]:
    for match in re.finditer(r'[«»“”„"]', text):
        yield match.start(), match.group()


def _apply_mark(text: str, pi: int, pos: int, char: str, stack: list[_Open], quotes: list[_RawQuote]) -> None:
    """Push, pop or ignore one quotation mark; a closed outermost quotation is appended to ``quotes``."""
    role, family = _mark_role(text, pos, char, stack)
    if role == "open":
        stack.append(_Open(family, pi, pos + 1))
        return
    depth = next((i for i in range(len(stack) - 1, -1, -1) if _closes(family, stack[i].family)), None)
    if depth is None and stack and _PROPER_CLOSER[stack[-1].family] not in text[pos + 1:]:
        depth = len(stack) - 1  # mixed marks («...") : the proper closer never comes, this one closes
    if depth is None:
        return  # a stray closing mark
    if depth == 0:
        outer = stack[0]
        pieces = [*outer.pieces, (pi, outer.start, pos)]
        quotes.append(_RawQuote(pieces, _open_position(pieces), (pi, pos + 1), outer.family))
    del stack[depth:]


def _open_position(pieces: list[tuple[int, int, int]]) -> tuple[int, int]:
    first_para, first_start, _ = pieces[0]
    return first_para, max(first_start - 1, 0)


def _mark_role(text: str, pos: int, char: str, stack: list[_Open]) -> tuple[str, str]:
    """("open" | "close", family) of the mark at ``pos``, judged from the spaces around it and the stack."""
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + 1] if pos + 1 < len(text) else " "
    if char == "“" and any(o.family == "curly" for o in stack) and _placed_as_closer(before, after):
        return "close", "curly"  # “ used for both marks: “lieu de rencontre“,
    if char in _OPENERS:
        return "open", _OPENERS[char]
    if char in _CLOSERS:
        family = _CLOSERS[char]
        open_here = any(o.family == family for o in stack)
        glued_to_next = after.isalnum() or (after == " " and pos + 2 < len(text) and text[pos + 2].isalnum()
                                            and (before in " '(" or pos == 0))
        if not open_here and glued_to_next and (before.isspace() or before in "'(" or pos == 0):
            return "open", family  # a reversed mark used as an opener: d' »avancer »
        return "close", family
    # straight double quote
    if (before.isspace() or before in "([{'-–—" or pos == 0) and not after.isspace() and pos + 1 < len(text):
        opens = True
    elif not before.isspace() and (after.isspace() or after in ".,;:!?)]}…" or pos + 1 == len(text)):
        opens = False
    else:
        opens = not any(o.family == "straight" for o in stack)
    if opens and any(o.family == "straight" for o in stack) and stack[-1].family == "straight":
        opens = False
    return ("open" if opens else "close"), "straight"


def _placed_as_closer(before: str, after: str) -> bool:
    """A mark glued to the word before it and followed by a space or punctuation closes a quotation."""
    return not before.isspace() and before not in "([{'«“„" and (after.isspace() or after in ".,;:!?)]}…»")


def _closes(closer_family: str, open_family: str) -> bool:
    return closer_family == open_family


def _trimmed(quote: _RawQuote, paras: list[ParsedParagraph]) -> _RawQuote | None:
    """Pieces without surrounding spaces; None when nothing but spaces or punctuation is quoted."""
    pieces = []
    for para, start, end in quote.pieces:
        text = paras[para].text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            pieces.append((para, start, end))
    if not pieces or not any(_has_words(paras[p].text[s:e]) for p, s, e in pieces):
        return None
    quote.pieces = pieces
    return quote


def _has_words(text: str) -> bool:
    return any(c.isalpha() for c in text)


def _quote_text(doc: _Document, quote: _RawQuote) -> str:
    """The quoted words as the source writes them (runs of spaces kept), one space between paragraphs."""
    return " ".join(normalise_chars(doc.parse.text[doc.doc_off(p, s):doc.doc_end(p, e)])
                    for p, s, e in quote.pieces)


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


CUES_BEFORE, CUES_AFTER = _not_quotation_cues()


def _drop_reason(doc: _Document, quote: _RawQuote, text: str, posts: list[_Post],
                 previous: tuple[_RawQuote, str] | None) -> str | None:
    """Why a quotation is not reported: a teaser line, a post already reported, or words in quotation marks
    that are not a quotation (a title of a work, a product's name, a term, a translation)."""
    para_text = doc.paras[quote.first_para].text.strip().lower()
    if para_text.startswith(TEASER_PREFIXES):
        return "teaser"
    start, end = doc.doc_off(*quote.pieces[0][:2]), doc.doc_end(quote.last_para, quote.pieces[-1][2])
    if any(p.start <= start and end <= p.end and (end - start) >= 0.9 * (p.end - p.start) for p in posts):
        return "post"
    if quote.family == "block":
        return None
    reason = _cue_reason(doc, quote, text) or _noun_label(doc, quote, text)
    if reason is not None:
        return reason
    if previous is not None and previous[1] in ("title", "product", "term") and \
            _listed_after(doc, previous[0], quote):
        return previous[1]  # "« A », « B » ou encore « C »": the same kind as the first of the list
    if _looks_like_title(text) or _looks_like_name(text):
        return "title"
    return None


def _cue_reason(doc: _Document, quote: _RawQuote, text: str) -> str | None:
    """The reason given by a cue word right before the marks ("la série « … »", "le mot « … »") or right
    after them ("« fetus » en anglais"), or by parentheses around a quotation (a translation)."""
    if len(re.findall(r"\w+", text)) > 15:
        return None
    pi, open_off = quote.open_at
    para = doc.paras[pi]
    before_text = para.text[:open_off].rstrip()
    if before_text.endswith("("):
        return "translation"
    tokens = [t for t in para.doc if t.idx + len(t.text) <= open_off and not t.is_space]
    if not tokens and pi > 0:  # the quotation opens its paragraph: the cue ends the one before
        tokens = [t for t in doc.paras[pi - 1].doc if not t.is_space]
    for tok in reversed(tokens[-4:]):
        reason = CUES_BEFORE.get(tok.lower_)
        if reason is not None and (reason not in ("title", "product") or text[:1].isupper() or
                                   not text[:1].isalpha()):
            return reason
        if tok.pos_ not in ("DET", "ADJ", "NUM") and \
                tok.lower_ not in ("le", "la", "les", "l'", "un", "une", ",", ":"):
            break
    if quote.close_at is not None:
        cpi, coff = quote.close_at
        following = re.sub(r"^[\s,;:)\-–]+", "", doc.paras[cpi].text[coff:coff + 40]).lower()
        for words, reason in CUES_AFTER.items():
            if following.startswith(words):
                return reason
    return None


def _noun_label(doc: _Document, quote: _RawQuote, text: str) -> str | None:
    """"term" for one lower-case noun in quotation marks glued to the noun it labels ("des packs « cadeau »",
    "un effet « rebond »"): a compound name, not somebody's words (an adjective, "une tournure
    « inattendue »", may well be quoted)."""
    if not re.fullmatch(r"[a-zà-ÿ][\w'-]*", text.strip()):
        return None
    pi, open_off = quote.open_at
    before = [t for t in doc.paras[pi].doc if t.idx + len(t.text) <= open_off and not t.is_space]
    label = next((t for t in doc.paras[pi].doc if t.idx >= quote.pieces[0][1]), None)
    noun = before[-1] if before else None
    labelled = noun is not None and noun.pos_ == "NOUN" and noun.lemma_.lower() not in DOCUMENT_NOUNS
    return "term" if labelled and label is not None and label.pos_ == "NOUN" else None


def _listed_after(doc: _Document, earlier: _RawQuote, quote: _RawQuote) -> bool:
    """``quote`` follows ``earlier`` in a list: only a comma, "et", "ou" or "ou encore" between them."""
    if earlier.close_at is None or earlier.close_at[0] != quote.open_at[0]:
        return False
    between = doc.paras[quote.open_at[0]].text[earlier.close_at[1]:quote.open_at[1]].strip().lower()
    return re.fullmatch(r"(,|et|ou|ou encore|, ou encore|, et|, ou)?", between) is not None


def _looks_like_name(text: str) -> bool:
    """One word shaped like a brand or an acronym (« EuroDreams », « FIFA », « Aero5 »), not speech."""
    word = text.strip()
    return re.fullmatch(r"[\w-]+", word) is not None and \
        re.search(r"[a-zà-ÿ][A-ZÀ-Þ]|^[A-ZÀ-Þ0-9-]{2,}$|\d", word) is not None


def _looks_like_title(text: str) -> bool:
    """A name in quotation marks (« Le Monde », « Star Wars ») rather than quoted words."""
    words = [re.sub(r"^(?:[dl]|qu)['’]", "", w, flags=re.IGNORECASE) for w in re.findall(r"[\w'’-]+", text)]
    small = {"de", "du", "des", "la", "le", "les", "l'", "et", "of", "the", "a", "an", "d'", "en", "à",
             "to", "in", "on", "for", "with", "and", "or", "at", "by", "from", "my", "your"}
    content = [w for w in words if w.lower() not in small]
    return 2 <= len(words) <= 6 and bool(content) and all(w[0].isupper() for w in content) \
        and not text.rstrip().endswith((".", "!", "?", "…"))


def _is_scare_quote(text: str) -> bool:
    """A few words with no first- or second-person pronoun: possibly a term, not speech."""
    words = re.findall(r"\w+'?", text.lower())
    return len(words) <= SHORT_QUOTE_WORDS and not any(w in FIRST_AND_SECOND_PERSON for w in words)


def _governed_by_cue(attribution: _Attribution) -> bool:
    """A short quotation is kept only when a speech cue of its sentence (or a reporting frame) governs it."""
    return attribution.speaker is not None and attribution.confidence >= 0.55


def _quote_kind(doc: _Document, quote: _RawQuote, text: str) -> str:
    words = len(re.findall(r"\w+", text))
    before = doc.paras[quote.first_para].text[:quote.open_at[1]].rstrip()
    starts_sentence = not before or before.endswith((":", ".", "!", "?", "…"))
    if text[:1].isupper() or starts_sentence or words >= 10:
        return "direct"
    return "partial"


# --- detection: social-media posts -----------------------------------------------------------------------

# Name words are bounded (40 characters): an unbounded word re-read the rest of a line of glued "-A-A-A"
# from every dash, quadratic time on a long line without spaces.
_NAME_WORD = r"[A-ZÀ-Þ][\w.'’-]{0,40}"
_NAME = _NAME_WORD + r"(?:\s+(?:" + _NAME_WORD + r"|de|du|van|von|der|da|di|le|la|el|al|bin|ben)){0,4}"
_SIGNATURE = re.compile(
    r"[-–—]\s*(?P<name>" + _NAME + r")\s*\(@(?P<handle>\w{1,30})\)\s*(?P<date>[^\n]{0,40}?\d{4})\s*$")


def _find_posts(parse: DocumentParse) -> list[_Post]:
    """Embedded posts: lines above a signature ``– Name (@handle) date``, up to the previous paragraph."""
    text = parse.text
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*", text) if m.end() > m.start()]
    content = [(pp.doc_char_start, pp.doc_char_end) for pp in parse.paragraphs]
    posts = []
    for li, (ls, le) in enumerate(lines):
        sig = _SIGNATURE.search(text, ls, le)
        if sig is None or not _overlaps_any(ls, le, content):
            continue
        body = _post_body(text, lines, li, sig.start(), content, sig.group("name"),
                          lambda start, end: _narrates(parse, start, end))
        if body is None:
            continue
        start, end = body
        posts.append(_Post(start, end, _clean(text[start:end]), _clean(sig.group("name")),
                           (sig.start("name"), sig.end("name")), _parse_date(sig.group("date"))))
    return posts


def _post_body(text: str, lines: list[tuple[int, int]], li: int, dash: int, content: list[tuple[int, int]],
               author: str, narrates: Callable[[int, int], bool]) -> tuple[int, int] | None:
    """Document span of the post whose signature dash is at ``dash`` on line ``li``."""
    ls, _ = lines[li]
    end = dash
    while end > ls and text[end - 1].isspace():
        end -= 1
    start = ls if end > ls else None
    total = end - ls if start is not None else 0
    author_words = {w.lower() for w in re.findall(r"\w{3,}", author)}
    for ps, pe in reversed(lines[:li]):
        line = text[ps:pe].strip()
        if not line:
            continue
        if _SIGNATURE.search(text, ps, pe) or not _overlaps_any(ps, pe, content):
            break
        if start is not None:
            words = {w.lower() for w in re.findall(r"\w{3,}", line)}
            if line.endswith(":") or words & author_words or total + len(line) > POST_MAX_CHARS \
                    or narrates(ps, pe):
                break
        elif line.endswith(":"):
            break
        if start is None:
            end = pe
            while end > ps and text[end - 1].isspace():
                end -= 1
        start, total = ps, total + len(line)
    if start is None:
        return None
    while start < end and text[start].isspace():
        start += 1
    return (start, end) if _has_words(text[start:end]) else None


def _narrates(parse: DocumentParse, start: int, end: int) -> bool:
    """Article prose about someone speaking ("Le club a réagi sur X."), which a post line is not: a speech
    verb in ``[start, end)`` whose subject is a third person."""
    for pp in parse.paragraphs:
        if not (pp.doc_char_start < end and start < pp.doc_char_end):
            continue  # called once per line above each signature: only the paragraphs the line overlaps
        for tok in pp.doc:
            at = pp.doc_offset(tok.idx)
            if start <= at < end and _speech_lemma(tok):
                subject = _subject_of(tok)
                if subject is not None and subject.lower_ not in FIRST_AND_SECOND_PERSON:
                    return True
    return False


def _overlaps_any(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _parse_date(raw: str) -> str | None:
    """ISO date of a signature date: ``18 novembre 2023``, ``1er mars 2024``, ``November 18, 2023``."""
    low = raw.lower().strip()
    m = re.search(r"(\d{1,2})(?:er)?\s+([a-zéûè]+)\s+(\d{4})", low)
    if m and m.group(2) in FRENCH_MONTHS | ENGLISH_MONTHS:
        return _iso(int(m.group(3)), (FRENCH_MONTHS | ENGLISH_MONTHS)[m.group(2)], int(m.group(1)))
    m = re.search(r"([a-z]+)\s+(\d{1,2}),?\s+(\d{4})", low)
    if m and m.group(1) in ENGLISH_MONTHS:
        return _iso(int(m.group(3)), ENGLISH_MONTHS[m.group(1)], int(m.group(2)))
    m = re.search(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", low)
    if m:
        return _iso(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _clean(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", _clean(text).lower())
    return re.sub(r"[^\w]+", " ", "".join(c for c in text if not unicodedata.combining(c))).strip()


# --- speech verbs ----------------------------------------------------------------------------------------

def _speech_lemma(tok: Token, positional: bool = False) -> str | None:
    """The speech-verb lemma of ``tok`` (including "laisser entendre"), else None.

    ``positional``: the token stands where only a verb can (right after ``», `` or in an incise), so its
    part-of-speech tag, often wrong on inverted verbs ("souffle", "tempère" tagged as nouns), is not asked."""
    after_auxiliary = tok.i > 0 and tok.nbor(-1).lower_ in AUXILIARY_FORMS
    if tok.pos_ not in ("VERB", "AUX") and not after_auxiliary and not positional:
        return None
    if not tok.text[:1].islower():
        return None
    lemma = tok.lemma_.lower()
    if tok.head.i != tok.i and (tok.head.lemma_.lower(), lemma) in SPEECH_VERB_PAIRS:
        return f"{tok.head.lemma_.lower()} {lemma}"
    for child in tok.children:
        if (lemma, child.lower_) in SPEECH_VERB_PAIRS or (lemma, child.lemma_.lower()) in SPEECH_VERB_PAIRS:
            return f"{lemma} {child.lower_}"
    if lemma in SPEECH_VERBS or (positional and lemma in POSITIONAL_SPEECH_VERBS):
        return lemma
    found = _lemma_from_form(tok.lower_)
    return found if found is not None and (positional or found not in POSITIONAL_SPEECH_VERBS) else None


@cache
def _lemma_from_form(form: str) -> str | None:
    """Speech-verb lemma of a conjugated form; cached, as the same few hundred forms recur everywhere."""
    return next((lemma for lemma, pattern in _form_patterns() if pattern.fullmatch(form)), None)


@cache
def _form_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(lemma, compiled pattern) in matching order: irregular verbs first, then regular -er and -ir verbs.

    Compiled once: building a pattern per token overflowed ``re``'s cache and dominated quote attribution.
    """
    patterns = [(lemma.split()[-1], re.compile(pattern)) for lemma, pattern in _IRREGULAR_FORMS.items()]
    irregular = {lemma.split()[-1] for lemma in _IRREGULAR_FORMS}
    for lemma in sorted((SPEECH_VERBS | POSITIONAL_SPEECH_VERBS) - irregular):
        if lemma.endswith("er"):
            patterns.append((lemma, re.compile(_er_stem(lemma[:-2]) + _ER_ENDINGS)))
        elif lemma.endswith("ir"):
            patterns.append((lemma, re.compile(re.escape(lemma[:-2]) + _IR_ENDINGS)))
    return tuple(patterns)


def _er_stem(stem: str) -> str:
    """Pattern of the stem of a first-group verb with its spelling changes: c/ç (avancer: avançait),
    g/ge (exiger: exigeait), é/è and e/è before the last consonants (tempérer: tempère, relever: relève),
    and a doubled l or t (appeler: appelle)."""
    pattern = re.escape(stem)
    pattern = re.sub(r"c$", "[cç]", pattern)
    pattern = re.sub(r"g$", "ge?", pattern)
    pattern = re.sub(r"[ée](?=[^aeiouyéèê\[\]]+$)", "[éeè]", pattern)
    pattern = re.sub(r"([lt])$", r"\1\1?", pattern)
    return pattern


# --- candidates for anaphora -----------------------------------------------------------------------------

def _person_candidates(doc: _Document) -> list[_Mention]:
    """People named outside quotations: entity-stage PER mentions, else spaCy PER ents and PROPN subjects."""
    out = [m for m in doc.mentions if m.label == "PER" and not doc.is_quoted(m.start)]
    named = SpanIndex(out, lambda m: (m.start, m.end))  # looked up by position: articles can be long
    for pp in doc.paras:
        added_here: list[tuple[int, int]] = []  # paragraphs are disjoint: only this one's can overlap
        for ent in pp.doc.ents:
            start, end = pp.span_offsets(ent)
            if ent.label_ != "PER" or doc.is_quoted(start) or _overlaps_any(start, end, added_here) \
                    or next(named.overlapping(start, end), None) is not None:
                continue
            if doc.mention_at(start, end) is not None:
                continue  # the entity stage decided this is not a person
            out.append(_Mention(start, end, None, _strip_elision(ent.text), "PER",
                                subject=ent.root.dep_ in ("nsubj", "nsubj:pass"),
                                sentence_start=pp.doc_offset(ent.sent.start_char)))
            added_here.append((start, end))
        for tok in pp.doc:
            if tok.pos_ == "PROPN" and tok.dep_ == "nsubj" and not tok.ent_type_ and tok.text[:1].isupper():
                start, end = pp.span_offsets(tok)
                if not doc.is_quoted(start) and doc.mention_at(start, end) is None:
                    out.append(_Mention(start, end, None, tok.text, "PER", subject=True,
                                        sentence_start=pp.doc_offset(tok.sent.start_char)))
                    added_here.append((start, end))
    out.extend(_role_subjects(doc, out))
    out = [_with_gender(doc, _with_clause_role(doc, m)) for m in out]
    out.sort(key=lambda m: m.start)
    return out


def _role_subjects(doc: _Document, named: list[_Mention]) -> list[_Mention]:
    """Unnamed people acting as subjects ("le Premier ministre a défendu..."): antecedents for a later
    "il"/"elle" when no named person fits; the noun's own gender is the agreement."""
    out = []
    spans = [(m.start, m.end) for m in named]
    for pi, pp in enumerate(doc.paras):
        for tok in pp.doc:
            if tok.dep_ != "nsubj" or tok.pos_ != "NOUN" or tok.lemma_.lower() not in ROLE_NOUNS or \
                    "Plur" in tok.morph.get("Number"):
                continue  # "les joueurs" is never the antecedent of "il" or "elle"
            start, end = pp.span_offsets(tok)
            if doc.is_quoted(start) or _apposed_name(tok) is not None or _overlaps_any(start, end, spans):
                continue
            speaker = _phrase_speaker(doc, pi, tok)
            if speaker is not None:
                gender = _noun_gender(tok)
                out.append(_Mention(start, end, None, speaker.name, "ROLE", gender, True,
                                    pp.doc_offset(tok.sent.start_char)))
    return out


def _noun_gender(noun: Token) -> str | None:
    """Gender of a noun phrase, from its determiner first ("la ministre": Fem), then the noun."""
    for child in noun.children:
        if child.dep_ == "det" and child.morph.get("Gender"):
            return child.morph.get("Gender")[0]
    return (noun.morph.get("Gender") or [None])[0]


def _with_clause_role(doc: _Document, mention: _Mention) -> _Mention:
    """Fill ``subject`` and ``sentence_start`` of an entity-stage mention from the parse."""
    if mention.sentence_start >= 0:
        return mention
    at = bisect.bisect_right(doc.paragraph_starts, mention.start) - 1  # the paragraph it may lie in
    for pp in doc.paras[max(at, 0):at + 1]:
        if pp.contains(mention.start):
            tok = next((t for t in pp.doc if pp.doc_offset(t.idx) >= mention.start), None)
            if tok is not None:
                subject = any(t.dep_ in ("nsubj", "nsubj:pass") for t in (tok, tok.head))
                sentence_start = pp.doc_offset(tok.sent.start_char)
                return replace(mention, subject=subject, sentence_start=sentence_start)
    return mention


def _with_gender(doc: _Document, mention: _Mention) -> _Mention:
    first = mention.name.split()[0].lower() if mention.name.split() else ""
    gender = "Fem" if first in FEMININE_FIRST_NAMES else "Masc" if first in MASCULINE_FIRST_NAMES else None
    if gender is None:
        before = doc.parse.text[max(0, mention.start - 30):mention.start].lower().split()
        before += doc.parse.text[mention.start:mention.end].lower().split()[:1]
        if any(w in FEMININE_TITLES for w in before[-2:]):
            gender = "Fem"
        elif any(w in MASCULINE_TITLES for w in before[-2:]):
            gender = "Masc"
    if gender is None:
        gender = _gender_from_names(doc, mention)
    return replace(mention, gender=gender)


def _gender_from_names(doc: _Document, mention: _Mention) -> str | None:
    """Gender of a surname from a fuller mention of the same person elsewhere in the article."""
    last = mention.name.split()[-1] if mention.name.split() else ""
    return doc.surname_genders.get(last)


def _names_of_people(doc: _Document) -> list[str]:
    """Every person name of the article: entity-stage PER mentions, then spaCy's PER ents, in order."""
    names = [m.name for m in doc.mentions if m.label == "PER"]
    for pp in doc.paras:
        names.extend(_strip_elision(e.text) for e in pp.doc.ents if e.label_ == "PER")
    return names


def _surname_genders(names: list[str]) -> dict[str, str]:
    """Surname -> gender of the first full name with that surname whose first name has a known gender."""
    genders: dict[str, str] = {}
    for name in names:
        parts = name.split()
        if len(parts) < 2 or parts[-1] in genders:
            continue
        first = parts[0].lower()
        if first in FEMININE_FIRST_NAMES:
            genders[parts[-1]] = "Fem"
        elif first in MASCULINE_FIRST_NAMES:
            genders[parts[-1]] = "Masc"
    return genders


def _resolve_anaphor(doc: _Document, before: int, gender: str | None, allow_groups: bool) -> _Speaker | None:
    """Nearest compatible person named before document offset ``before`` (or institution if allowed).

    A personal pronoun prefers the subject of the antecedent's sentence; "ce dernier", "lequel" and the
    like (``allow_groups``) name the last one mentioned."""
    persons = [m for m in doc.persons if m.end <= before and (gender is None or m.gender in (None, gender))]
    best: tuple[int, _Speaker] | None = None
    if persons:
        person = persons[-1]
        subjects = [m for m in persons if m.sentence_start == person.sentence_start and m.subject]
        if subjects and person.sentence_start >= 0 and not allow_groups:
            person = subjects[-1]  # the subject of that sentence is the likelier antecedent
        speaker = _speaker_from_mention(doc, person) if person.label == "PER" else \
            _named_antecedent(doc, person.start, person.gender, person.name.split()[0].lower()) or \
            _Speaker(person.name, None, True)
        best = (persons[-1].start, speaker)
    if allow_groups:
        group = _nearest_institution(doc, before, gender)
        if group is not None and (best is None or group[0] > best[0]):
            best = group
    return best[1] if best else None


def _recent_organisation(doc: _Document, before: int) -> _Mention | None:
    """The organisation named last in the ``ORGANISATION_PRONOUN_CHARS`` before a pronoun when the article
    names no person it could stand for ("le Comité olympique ... « … », plaide-t-il")."""
    return next((m for m in reversed(doc.mentions) if m.label == "ORG" and m.entity_id
                 and before - ORGANISATION_PRONOUN_CHARS <= m.start and m.end <= before
                 and not doc.is_quoted(m.start)), None)


def _nearest_institution(doc: _Document, before: int, gender: str | None) -> tuple[int, _Speaker] | None:
    found: tuple[int, _Speaker] | None = None
    for pi, pp in enumerate(doc.paras):
        if pp.doc_char_start >= before:
            break
        for tok in pp.doc:
            start = pp.doc_offset(tok.idx)
            if start >= before or doc.is_quoted(start):
                continue
            agrees = gender is None or gender in tok.morph.get("Gender") or not tok.morph.get("Gender")
            if tok.pos_ == "NOUN" and tok.lemma_.lower() in INSTITUTION_NOUNS and agrees:
                speaker = _nominal_speaker(doc, pi, tok, depth=1)
                if speaker is not None:
                    found = (start, speaker)
    return found


# --- speakers from tokens --------------------------------------------------------------------------------

def _speaker_from_token(doc: _Document, pi: int, tok: Token, depth: int = 0) -> _Speaker | None:
    """The speaker a subject token stands for: a resolved pronoun, a named entity or a nominal phrase."""
    if depth > 3:
        return None
    word = tok.lower_.removeprefix("-t-").removeprefix("-")
    if word in ("dernier", "dernière") and tok.i > 0 and tok.doc[tok.i - 1].lower_ in ("ce", "cette"):
        return _resolve_anaphor(doc, doc.tok_start(pi, tok), "Fem" if word == "dernière" else "Masc", True)
    if tok.pos_ == "PRON" or word in ANAPHORIC_PRONOUNS or word in UNRESOLVED_PRONOUNS:
        relative = tok.head.dep_ == "acl:relcl" and tok.head.head.i != tok.head.i
        if word in ("qui", "lequel", "laquelle") and relative:
            return _speaker_from_token(doc, pi, _relative_antecedent(tok.head), depth + 1)
        if word in ANAPHORIC_PRONOUNS:
            allow_groups = word not in ("il", "elle", "lui")
            start = doc.tok_start(pi, tok)
            resolved = _resolve_anaphor(doc, start, ANAPHORIC_PRONOUNS[word], allow_groups)
            organisation = _recent_organisation(doc, start) if resolved is None else None
            return _speaker_from_mention(doc, organisation) if organisation is not None else resolved
        return None
    if _demonym_anaphor(tok):  # "précise le Toulousain": the person the article introduced with that word
        named = _named_antecedent(doc, doc.tok_start(pi, tok), _noun_gender(tok), tok.lower_, nearest=False)
        if named is not None:
            return named
    if tok.pos_ == "NOUN" and tok.lemma_.lower() in TIME_NOUNS and (apposed := _apposed_noun(tok)):
        return _speaker_from_token(doc, pi, apposed, depth + 1)  # "Chaque année, la presse se demandait"
    if tok.pos_ == "NOUN" and (name := _apposed_name(tok)) is not None:
        return _speaker_from_token(doc, pi, name, depth + 1)  # "Le ministre de X, Jean Y, a dit": the name
    start, end = doc.paras[pi].span_offsets(tok)
    mention = doc.mention_at(start, end)
    if mention is not None and mention.label != "PER" and tok.pos_ == "NOUN":
        mention = None  # a common noun inside an organisation mention: keep the nominal phrase
    if mention is not None:
        return _speaker_from_mention(doc, mention)
    if (tok.pos_ == "PROPN" and not tok.text[:1].islower()) or tok.ent_type_:
        return _name_speaker(doc, pi, tok)
    if tok.pos_ in ("NOUN", "ADJ", "PROPN"):  # a proper noun in lower case is a common noun mis-tagged
        return _nominal_speaker(doc, pi, tok, depth)
    return None


def _apposed_noun(noun: Token) -> Token | None:
    """A noun set in apposition after ``noun`` (the parser's reading of "Chaque année, la presse ...", where
    the real subject follows a time adverbial)."""
    return next((c for c in noun.children if c.dep_ in ("appos", "conj") and c.i > noun.i
                 and c.pos_ in ("NOUN", "PROPN") and c.doc[c.i - 1].text == ","), None)


def _relative_antecedent(relative_verb: Token) -> Token:
    """The noun a relative clause is about; after a comma, the whole noun phrase rather than its last
    complement ("le conseil de l'entreprise, qui a ajouté" -> conseil)."""
    antecedent = relative_verb.head
    comma_before = any(t.text == "," for t in relative_verb.doc[antecedent.i + 1:relative_verb.i])
    while comma_before and antecedent.dep_ == "nmod" and antecedent.head.pos_ in ("NOUN", "PROPN"):
        antecedent = antecedent.head
    return antecedent


def _speaker_from_mention(doc: _Document, mention: _Mention) -> _Speaker:
    name = mention.name
    if mention.entity_id is None:
        name = _full_person_name(doc, name) if mention.label == "PER" else name
    return _Speaker(name, mention.entity_id, mention.label == "PER")


def _name_speaker(doc: _Document, pi: int, tok: Token) -> _Speaker:
    """A proper-noun speaker: its entity when the entity stage knows it, else spaCy's ent or PROPN run."""
    pp = doc.paras[pi]
    span = next((e for e in pp.doc.ents if e.start <= tok.i < e.end), None)
    if span is not None:
        start, end = pp.span_offsets(span)
        label, text = span.label_, span.text
    else:
        first, last = tok.i, tok.i
        while first > 0 and pp.doc[first - 1].pos_ == "PROPN":
            first -= 1
        while last + 1 < len(pp.doc) and pp.doc[last + 1].pos_ == "PROPN":
            last += 1
        start, end = pp.span_offsets(pp.doc[first:last + 1])
        label, text = "", pp.doc[first:last + 1].text
    mention = doc.mention_at(start, end)
    if mention is not None:
        return _speaker_from_mention(doc, mention)
    name = _strip_elision(text)
    is_person = label == "PER"
    return _Speaker(_full_person_name(doc, name) if is_person else name, None, is_person)


def _full_person_name(doc: _Document, name: str) -> str:
    """A surname alone becomes the fullest name of the article ending with it ("Dupont" -> "Jean Dupont")."""
    if len(name.split()) != 1:
        return name
    fuller = [n for n in doc.person_names if len(n.split()) > 1 and n.split()[-1] == name]
    return max(fuller, key=len) if fuller else name


def _strip_elision(text: str) -> str:
    """A name without an elided article or conjunction glued to it, nor a civility title (M., Mme)."""
    text = re.sub(r"^(?:[dlj]|qu|jusqu|lorsqu|puisqu)['’]", "", text.strip(), flags=re.IGNORECASE)
    text = re.sub(r"^(?:M\.|Mme|Mlle|Madame|Monsieur|Mademoiselle|Me|Dr|Pr)\s+(?=[A-ZÀ-Þ])", "", text)
    return text.strip(" ,.;:")


def _nominal_speaker(doc: _Document, pi: int, head: Token, depth: int = 0) -> _Speaker | None:
    """A common-noun speaker: an apposed name, a document's author, an anaphoric person, or the phrase."""
    name_child = _apposed_name(head)
    if name_child is not None:
        return _speaker_from_token(doc, pi, name_child, depth + 1)
    lemma = head.lemma_.lower()
    if lemma in DOCUMENT_NOUNS or head.lower_ in DOCUMENT_NOUNS:
        author = _complement(head)
        if author is not None:
            return _speaker_from_token(doc, pi, author, depth + 1)
        return doc.attributed[-1][2].speaker if doc.attributed and doc.attributed[-1][2].speaker else None
    if _definite(head) and not _named_complement(head):
        start = doc.tok_start(pi, head)
        if lemma in COLLECTIVE_PERSON_NOUNS and (member := _resolve_anaphor(doc, start, None, False)):
            return member  # "complète le duo": one of the people the article has just named
        if lemma in ROLE_NOUNS or head.lower_ in ROLE_NOUNS:
            has_complement = any(c.dep_ == "nmod" for c in head.children)
            named = _named_antecedent(doc, start, _noun_gender(head), head.lower_, nearest=not has_complement)
            if named is not None:
                return named
        if lemma in ANAPHORIC_ORG_HEADS or head.lower_ in ANAPHORIC_ORG_HEADS:
            org = _organisation_antecedent(doc, start, head.lower_)
            if org is not None:
                return _speaker_from_mention(doc, org)
    if lemma in ANAPHORIC_PERSON_NOUNS or head.lower_ in ANAPHORIC_PERSON_NOUNS:
        gender = _noun_gender(head)
        resolved = _resolve_anaphor(doc, doc.tok_start(pi, head), gender, False)
        if resolved is not None:
            return resolved
    return _phrase_speaker(doc, pi, head)


# anchored (\A): only ever used on one whole token, and anchored it cannot be retried at every position
_DEMONYM = re.compile(r"\A[a-zà-ÿ-]{1,40}(ais|aise|ois|oise|ain|aine|ien|ienne|éen|éenne|in|ine)",
                      re.IGNORECASE)


def _demonym_anaphor(tok: Token) -> bool:
    """"le Toulousain", "la Lyonnaise": a capitalised demonym with a definite article, used for a person."""
    return tok.text[:1].isupper() and tok.ent_type_ != "PER" and _definite(tok) and \
        _DEMONYM.fullmatch(tok.text) is not None and not (tok.i + 1 < len(tok.doc) and
                                                            tok.doc[tok.i + 1].pos_ == "PROPN")


# Heads of noun phrases that never speak: times and dates ("l'année de 2005 à 2010", "le lundi").
TIME_NOUNS = _lexicon("""
    an année mois semaine jour journée soir soirée matin matinée nuit heure minute siècle décennie
    lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin juillet
    août septembre octobre novembre décembre fois période époque date moment saison
""")


def _organisation_antecedent(doc: _Document, before: int, noun: str) -> _Mention | None:
    """The organisation "le journal" or "l'entreprise" refers back to: the last one named near that noun
    (also between quotation marks: « Le Journal »), else the one the article names most often before this
    point (the last of them on a tie)."""
    orgs = [m for m in doc.mentions if m.end <= before and m.label in ("ORG", "MISC") and m.entity_id
            and (not doc.is_quoted(m.start) or doc.quotes_only_a_name(m.start, m.end))
            and not _parsed_as_person(doc, m)]
    if not orgs:
        return None
    text = doc.text_lower
    near = [m for m in orgs if noun in text[max(0, m.start - 60):m.end + 60]]
    if near:
        return next((m for m in reversed(near) if m.label == "ORG"), near[-1])
    orgs = [m for m in orgs if m.label == "ORG"] or orgs
    counts: dict[str, int] = {}
    for m in orgs:
        counts[m.entity_id] = counts.get(m.entity_id, 0) + 1
    return max(reversed(orgs), key=lambda m: counts[m.entity_id])


def _parsed_as_person(doc: _Document, mention: _Mention) -> bool:
    """spaCy reads the mention as a person's name, whatever label the entity stage gave it."""
    for pp in doc.paras:
        if pp.contains(mention.start):
            at = pp.local_offset(mention.start)
            return any(e.label_ == "PER" and e.start_char <= at < e.end_char for e in pp.doc.ents)
    return False


def _definite(noun: Token) -> bool:
    """"le maire", "la directrice", "l'entreprise": a definite singular determiner (an anaphoric use)."""
    return any(c.dep_ == "det" and c.lower_ in ("le", "la", "l'", "ce", "cette", "cet")
               for c in noun.children)


def _named_complement(noun: Token) -> bool:
    """The noun phrase names someone or something itself ("le maire de Lyon", "le groupe Renault")."""
    return any(t.pos_ == "PROPN" or t.ent_type_ for child in noun.children if child.i > noun.i
               and child.dep_ in ("nmod", "amod", "appos", "flat", "flat:name", "compound")
               for t in child.subtree)


def _named_antecedent(doc: _Document, before: int, gender: str | None, role: str,
                      nearest: bool = True) -> _Speaker | None:
    """The named person a role noun refers back to ("le maire" -> the mayor named earlier): the last
    person named near that role word (or a synonym: "le premier magistrat" for a mayor), else, when
    ``nearest``, the nearest named person of that gender."""
    persons = [m for m in doc.persons if m.end <= before and m.label == "PER"
               and (gender is None or m.gender in (None, gender))]
    if not persons:
        return None
    text = doc.text_lower
    words = {role, *ROLE_SYNONYMS.get(role, ())}
    with_role = [m for m in persons if any(w in text[max(0, m.start - 25):m.start] or
                                           w in text[m.end:m.end + 12] for w in words)]
    if not with_role and not nearest:
        return None
    return _speaker_from_mention(doc, (with_role or persons)[-1])


def _apposed_name(head: Token) -> Token | None:
    """A proper name in apposition or directly after a role noun ("le PDG, Jean Dupont", "le ministre X")."""
    following = head.doc[head.i + 1:head.i + 4]
    for tok in following:
        if tok.pos_ == "ADJ" and not tok.ent_type_:
            continue
        starts_name = tok.pos_ == "PROPN" or (tok.ent_iob_ == "B" and tok.ent_type_ != "LOC")
        if tok.text[:1].isupper() and starts_name:
            return tok
        break
    for tok in head.doc[head.i + 1:head.i + 16]:
        if tok.pos_ in ("VERB", "AUX") or tok.text in _SENTENCE_END or tok.text in _OPENERS:
            break
        if tok.text == "," and tok.i + 1 < len(tok.doc):
            name = tok.doc[tok.i + 1]
            if name.ent_type_ == "PER" or (name.pos_ == "PROPN" and name.text[:1].isupper()):
                return name
            break
    for child in head.children:
        if child.i < head.i or any(c.dep_ == "case" for c in child.children):
            continue
        if child.dep_ in ("appos", "flat:name", "flat", "flat:foreign", "nmod", "compound") and \
                (child.pos_ == "PROPN" or child.ent_type_ in ("PER", "ORG")):
            return child
    return None


def _complement(head: Token) -> Token | None:
    """The "de X" complement of a noun (the author of "une note du conseil")."""
    for child in head.children:
        if child.dep_ == "nmod" and child.i > head.i and \
                any(c.dep_ == "case" and c.lower_ in ("de", "du", "des", "d'") for c in child.children):
            return child
    return None


_PHRASE_DEPS = {"amod", "nmod", "case", "det", "flat", "flat:name", "flat:foreign", "compound", "fixed",
                "acl", "obl", "obl:arg", "obl:mod", "nummod", "advmod"}


def _phrase_speaker(doc: _Document, pi: int, head: Token) -> _Speaker | None:
    """The noun phrase as written, without its determiner, relative clauses or anaphoric complements."""
    pp = doc.paras[pi]
    keep = _phrase_tokens(head)
    first, last = min(keep), max(keep)
    tokens = [t for t in pp.doc[first:last + 1]]
    cut = next((t.i for t in tokens if t.text in ",()" or (t.i > head.i and t.pos_ in ("VERB", "AUX")
                                                              and t.dep_ not in ("acl", "amod"))), None)
    if cut is not None and cut > head.i:
        last = cut - 1
    anaphoric = next((t for t in pp.doc[head.i + 1:last + 1] if head.lemma_.lower() in INSTITUTION_NOUNS
                      and t.dep_ == "nmod"
                      and t.lemma_.lower() in ANAPHORIC_ORG_NOUNS and _complement(t) is None
                      and not t.ent_type_), None)
    if anaphoric is not None:
        case = min([c.i for c in anaphoric.subtree])
        last = min(last, case - 1)
    while (first < head.i and pp.doc[first].pos_ in ("DET", "ADP", "PRON")) or \
            (first < head.i and pp.doc[first].lower_ in ("l'", "d'")):
        first += 1
    while last > head.i and pp.doc[last].pos_ in ("ADP", "DET", "PUNCT", "CCONJ"):
        last -= 1
    span = pp.doc[first:last + 1]
    start, end = pp.span_offsets(span)
    name = _clean(span.text)
    if not _has_words(name) or head.lemma_.lower() in TIME_NOUNS or head.lower_ in TIME_NOUNS or \
            head.ent_type_ in ("LOC", "DATE") or head.like_num:
        return None  # a date, a time or a place never speaks
    org = next((m for m in doc.mentions if start <= m.start and m.end <= end and m.label != "PER"), None)
    return _Speaker(name, org.entity_id if org else None, False)


def _phrase_tokens(head: Token) -> set[int]:
    keep = {head.i}
    frontier = [head]
    while frontier:
        tok = frontier.pop()
        for child in tok.children:
            if child.dep_ in _PHRASE_DEPS and child.dep_ != "acl:relcl" and child.i not in keep and \
                    not (child.dep_ == "acl" and "Part" not in child.morph.get("VerbForm")):
                keep.add(child.i)
                frontier.append(child)
    # keep the contiguous run around the head only
    lo = hi = head.i
    while lo - 1 in keep:
        lo -= 1
    while hi + 1 in keep:
        hi += 1
    return set(range(lo, hi + 1))


# --- attribution -----------------------------------------------------------------------------------------

_CONFIDENCE = {"inverted": 0.9, "clause": 0.85, "selon": 0.85, "colon": 0.75, "repeat": 0.7,
               "continuation": 0.7, "previous": 0.6, "previous_subject": 0.5}


def _attribute(doc: _Document, quote: _RawQuote, text: str) -> _Attribution:
    """First rule that finds a speaker: inverted cue, same-sentence cue, colon, repetition, context."""
    close_para, close_off = quote.close_at if quote.close_at else (quote.last_para, quote.pieces[-1][2])
    open_para, open_off = quote.open_at
    after = _window_after(doc, close_para, close_off)
    before = _window_before(doc, open_para, open_off)
    for rule in (lambda: _signed_quote(doc, quote),
                 lambda: _inverted_cue(doc, close_para, after),
                 lambda: _incise(doc, quote),
                 lambda: _cue_in_window(doc, open_para, list(reversed(before)), "clause"),
                 lambda: _cue_in_window(doc, close_para, after, "clause"),
                 lambda: _colon_introduction(doc, open_para, before),
                 lambda: _repeated_quote(doc, text),
                 lambda: _continuation(doc, quote),
                 lambda: _interview_answer(doc, quote),
                 lambda: _previous_sentence(doc, open_para, open_off, before)):
        found = rule()
        if found is not None and found.speaker is not None:
            return found
    return _Attribution(None, None, 0.3)


def _incise(doc: _Document, quote: _RawQuote) -> _Attribution | None:
    """``« A, remarque la sociologue X. B »``: a short clause of saying set off inside the quotation marks,
    a verb of saying followed by its inverted subject and closed by a comma or a full stop."""
    for pi, start, end in quote.pieces:
        tokens = [t for t in doc.paras[pi].doc if start <= t.idx < end and not t.is_space]
        for k, tok in enumerate(tokens):
            if tok.text != ",":
                continue
            window = tokens[k + 1:k + 14]
            stop = next((j for j, t in enumerate(window) if t.text in (",", ".", "!", "?", "…", ";")), None)
            if stop is None or stop < 2:
                continue
            clause = window[:stop]
            n = next((j for j, t in enumerate(clause) if t.pos_ != "ADV" and t.lower_ not in
                      ("se", "s'", "ne", "n'", "-t")), None)
            lemma = None if n is None else _speech_lemma(clause[n], positional=True)
            if lemma is None:
                continue
            subject = _inverted_subject(clause, n)
            if subject is None:
                continue
            speaker = _speaker_from_token(doc, pi, subject)
            if speaker is not None:
                return _Attribution(speaker, lemma, _CONFIDENCE["inverted"])
    return None


_SIGNATURE_NAME = r"[A-ZÀ-Þ][\w'’.-]+(?:\s+(?:[A-ZÀ-Þ][\w'’.-]+|de|du|van|von|da|di|le|la)){1,3}"
# "— Jeanne Roux" or "— Jeanne Roux, viticultrice à Beaune": a dash, a name, an optional short role.
# Both are matched against a whole line: anchored (\A), a 10,000-character line costs one pass, not one per
# position.
_DASH_SIGNATURE = re.compile(r"\A\s*[—–-]\s*(?P<name>" + _SIGNATURE_NAME + r")\s*(?:,[^\n«»“”\"]{0,60})?\s*")
# "Jeanne Roux" alone on its line (a pull quote's signature, the role if any on the next line).
_BARE_SIGNATURE = re.compile(r"\A\s*(?P<name>" + _SIGNATURE_NAME + r")\s*")
# "Jeanne Roux, analyste chez X, spécialisée dans …": a credit line under a pull quote, a name and a role in
# lower case; taken only when the line is no article prose (see :func:`_credit_line`).
_CREDIT_SIGNATURE = re.compile(r"\A\s*(?P<name>" + _SIGNATURE_NAME + r"),\s+[a-zà-ÿ][^\n«»“”\"]{0,200}\Z")
_NOT_NAME_WORDS = frozenset({"selon", "pour", "par", "avec", "merci", "photo", "crédit", "source", "lire"})


def _signature(doc: _Document, pi: int, dash_required: bool) -> _Speaker | None:
    """The person signing the paragraph ``pi`` on the next line, when that line is only a name
    ("— Jeanne Roux, viticultrice", "Jeanne Roux"). Without a dash the name must be a person the article
    names (an entity mention or a spaCy person), so that a heading is never taken for a signature. The
    line is read from the document text: a dash line may not have been kept as a paragraph."""
    next_line = _line_after(doc, pi)
    if next_line is None:
        return None
    line, line_start = next_line
    match = _DASH_SIGNATURE.fullmatch(line)
    dashed = match is not None
    if match is None and not dash_required:
        match = _BARE_SIGNATURE.fullmatch(line)
    if match is None or match.group("name").split()[0].lower() in _NOT_NAME_WORDS:
        return None
    start, end = line_start + match.start("name"), line_start + match.end("name")
    mention = doc.mention_at(start, end)
    if mention is not None and mention.label == "PER":
        return _speaker_from_mention(doc, mention)
    following = next((q for q in doc.paras if q.contains(start)), None)
    ents = following.doc.ents if following is not None else ()
    ent = next((e for e in ents if e.label_ == "PER"
                and _overlaps_any(start, end, [following.span_offsets(e)])), None)
    if ent is not None:
        return _Speaker(_full_person_name(doc, _strip_elision(ent.text)), None, True)
    if dashed:
        if mention is not None and mention.entity_id:
            return _Speaker(mention.name, mention.entity_id, True)
        return _Speaker(_clean(match.group("name")), None, True)
    return None


def _line_after(doc: _Document, pi: int) -> tuple[str, int] | None:
    """(the next non-blank line of the document after paragraph ``pi``, its document offset)."""
    if pi >= len(doc.paras):
        return None
    line_start = doc.parse.text.find("\n", doc.paras[pi].doc_char_end)
    if line_start < 0:
        return None
    rest = doc.parse.text[line_start:]
    stripped = rest.lstrip()
    return stripped.split("\n", 1)[0], line_start + len(rest) - len(stripped)


def _credit_line(doc: _Document, pi: int) -> _Speaker | None:
    """The person a credit line under the quotation ending paragraph ``pi`` names ("Jeanne Roux, analyste
    chez X"), when the line is not article prose: no paragraph of the article holds it, or the paragraph is
    that line alone, a person's name and no verb. Only for marked quotations: under a plain paragraph, such
    a line is as likely a photo caption."""
    next_line = _line_after(doc, pi)
    if next_line is None:
        return None
    line, line_start = next_line
    match = _CREDIT_SIGNATURE.match(line)
    holder = next((pp for pp in doc.paras if pp.contains(line_start)), None)
    if match is None or match.group("name").split()[0].lower() in _NOT_NAME_WORDS or \
            (holder is not None and not _only_a_credit(holder)):
        return None
    name = _clean(match.group("name"))
    known = next((m for m in doc.persons if m.entity_id and m.name == name), None)
    return _speaker_from_mention(doc, known) if known is not None else _Speaker(name, None, True)


def _only_a_credit(pp: ParsedParagraph) -> bool:
    """A paragraph that is a person's name and a role, with no finite verb ("Jeanne Roux, analyste")."""
    words = [t for t in pp.doc if not t.is_space]
    return bool(words) and words[0].ent_type_ == "PER" and "\n" not in pp.text.strip() and \
        not any(t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm") for t in words)


def _signed_quote(doc: _Document, quote: _RawQuote) -> _Attribution | None:
    """A quotation that ends its paragraph, signed on the next line."""
    if quote.close_at is not None:
        cpi, coff = quote.close_at
        if doc.paras[cpi].text[coff:].strip(" .…") != "":
            return None
    speaker = _signature(doc, quote.last_para, dash_required=quote.family != "block")
    if speaker is None and quote.family != "block":
        speaker = _credit_line(doc, quote.last_para)
    return _Attribution(speaker, "signature", _CONFIDENCE["inverted"]) if speaker else None


def _signed_paragraphs(doc: _Document, marked: list[_RawQuote]) -> list[_RawQuote]:
    """Block quotations without marks: a paragraph of speech followed by a line holding only a named
    person (a pull quote signed under it)."""
    taken = {p for q in marked for p, _, _ in q.pieces}
    out = []
    for pi in range(len(doc.paras)):
        text = doc.paras[pi].text
        if pi in taken or len(text.split()) < 6 or text.rstrip().endswith(":") or re.search(r'[«»“”"]', text):
            continue
        if _signature(doc, pi, dash_required=False) is None:
            continue
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        out.append(_RawQuote([(pi, start, end)], (pi, start), (pi, end), "block"))
    return out


def _window_before(doc: _Document, pi: int, off: int) -> list[Token]:
    """Tokens of the sentence before the opening mark, outside quotations, in reading order."""
    pp = doc.paras[pi]
    tokens = [t for t in pp.doc if t.idx < off]
    out: list[Token] = []
    for tok in reversed(tokens):
        if doc.token_quoted(pi, tok) or tok.is_space:
            continue
        if tok.text in _SENTENCE_END or (tok.text.endswith(".") and len(tok.text) > 1 and tok.text[0] == "."):
            break
        out.append(tok)
    return list(reversed(out))


def _window_after(doc: _Document, pi: int, off: int) -> list[Token]:
    """Tokens after the closing mark up to the end of the sentence, outside quotations."""
    pp = doc.paras[pi]
    out: list[Token] = []
    for tok in pp.doc:
        if tok.idx < off:
            continue
        if tok.text in _OPENERS or tok.text in _SENTENCE_END:
            break
        if doc.token_quoted(pi, tok) or tok.text in _CLOSERS or tok.text == '"' or tok.is_space:
            continue  # runs of spaces (line breaks of the page) are tokens of their own
        out.append(tok)
    return out


_INVERTED_CLITICS = {"-il": "il", "-elle": "elle", "-t-il": "il", "-t-elle": "elle", "-ils": "ils",
                     "-elles": "elles", "-on": "on"}


def _inverted_cue(doc: _Document, pi: int, after: list[Token]) -> _Attribution | None:
    """``», a déclaré X`` / ``», a-t-il ajouté`` / ``», selon X``: a cue right after the closing mark."""
    for n, tok in enumerate(after[:7]):
        if tok.is_punct or tok.pos_ in ("AUX", "ADV") or tok.lower_ in ("-t", "ne", "n'", "se", "s'") or \
                tok.lower_ in _INVERTED_CLITICS:
            continue
        if tok.lower_ in ("selon", "après") or (tok.lower_ == "pour" and n == 1):
            return _source_cue(doc, pi, tok)
        lemma = _speech_lemma(tok, positional=n <= 3)
        if lemma is None:
            return None
        subject = _inverted_subject(after, n) or _subject_of(tok)
        if subject is None:
            return None
        speaker = _speaker_from_token(doc, pi, subject)
        cue_end = doc.paras[pi].span_offsets(subject.doc[subject.i:_name_end(subject)])[1]
        return _Attribution(speaker, lemma, _CONFIDENCE["inverted"], cue_end)
    return None


def _name_end(tok: Token) -> int:
    """Token index just after the name starting at ``tok`` (its spaCy ent or flat:name children)."""
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    ends = [tok.i + 1] + [c.i + 1 for c in tok.children if c.dep_.startswith("flat")]
    return max([*ends, ent.end if ent is not None else 0])


def _inverted_subject(after: list[Token], verb_at: int) -> Token | None:
    """The subject of an inverted cue: a clitic (-t-il), else the first noun or name after the verb."""
    for tok in after[:verb_at + 3]:
        if tok.lower_ in _INVERTED_CLITICS:
            return tok
    # inside a prepositional group ("dans un message aux utilisateurs"); its noun seen
    in_group = headed = False
    for tok in after[verb_at + 1:verb_at + 18]:
        if tok.is_punct:
            return None
        if tok.pos_ == "ADP":
            in_group, headed = True, False
            continue
        if in_group:
            if tok.pos_ == "DET" and headed:
                in_group = False  # a determiner after the group's noun opens the subject
            elif tok.pos_ in ("NOUN", "PROPN") or (not headed and tok.pos_ in ("ADJ", "ADV")):
                headed = True  # the group's noun, or the word of an adverbial locution ("d'emblée")
                continue
            else:
                continue
        if tok.lower_ in ("ce", "cette") and tok.i + 1 < len(tok.doc) and \
                tok.doc[tok.i + 1].lower_ in ("dernier", "dernière"):
            return tok.doc[tok.i + 1]
        if tok.pos_ in ("ADV", "DET", "ADJ", "NUM"):
            continue
        if tok.pos_ in ("NOUN", "PROPN") or _foreign_name(tok) or \
                (tok.pos_ == "PRON" and tok.lower_ not in ("en", "y", "le", "la",
                                                                                        "l'", "lui")):
            return tok
    return None


def _foreign_name(tok: Token) -> bool:
    """A capitalised word the tagger calls foreign (X) inside a named entity: "The" of "The Daily Post"."""
    return tok.pos_ == "X" and tok.text[:1].isupper() and bool(tok.ent_type_)


def _next_is_noun_word(tok: Token) -> bool:
    """The next token continues a noun group (an adjective or noun), so ``tok`` does not end it."""
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return nxt is not None and nxt.pos_ in ("ADJ",) and nxt.text[:1].islower()


def _subject_of(verb: Token, depth: int = 0) -> Token | None:
    """Speaker token of a speech verb: nsubj, inverted clitic, passive agent, or the governing verb's."""
    for child in verb.children:
        if child.lower_ in _INVERTED_CLITICS:
            return child
    for child in verb.children:
        if child.dep_ == "nsubj" and child.lower_ not in ("l'",):
            return child
    for child in verb.children:
        if child.dep_ == "obl:agent":
            return child
    if any(c.dep_ == "obj" and c.lower_ in ("que", "qu'") and c.i < verb.i for c in verb.children):
        inverted = next((c for c in verb.children if c.dep_ in ("obj", "nsubj") and c.i > verb.i), None)
        if inverted is not None:
            return inverted
    if verb.dep_ not in ("advcl", "xcomp", "conj", "ccomp", "acl", "acl:relcl") or _has_auxiliary(verb):
        positional = _subject_before(verb)
        if positional is not None:
            return positional
    if depth < 3 and verb.head.i != verb.i and verb.dep_ in ("advcl", "xcomp", "conj", "ccomp", "acl"):
        if verb.dep_ == "acl" and _detached_participle(verb):
            return _subject_of(_governing_verb(verb), depth + 1)
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            return verb.head
        return _subject_of(verb.head, depth + 1)
    return None


def _has_auxiliary(verb: Token) -> bool:
    """A compound tense ("a pour sa part salué"): the verb is finite whatever the parser attached it to."""
    for tok in reversed(verb.doc[max(0, verb.i - 5):verb.i]):
        if tok.is_punct:
            return False
        if tok.lower_ in AUXILIARY_FORMS and tok.lower_ not in ("est", "sont", "était", "étaient"):
            return True
    return False


def _subject_before(verb: Token) -> Token | None:
    """The name or noun right before a verb and its auxiliaries, when the parse gives no subject."""
    doc, i, hops = verb.doc, verb.i - 1, 0
    while i >= 0 and hops < 6:
        tok = doc[i]
        if tok.lower_ in AUXILIARY_FORMS or tok.pos_ in ("AUX", "ADV", "SPACE") or \
                tok.lower_ in ("ne", "n'", "se"):
            i -= 1
        elif tok.pos_ in ("PROPN", "NOUN") and any(c.dep_ == "case" for c in tok.children):
            i = min([c.i for c in tok.subtree] + [i]) - 1  # a complement ("pour sa part", "de l'État")
            hops += 1
        elif tok.pos_ in ("PROPN", "NOUN") and i < verb.i - 1:
            return tok
        else:
            return None
    return None


def _detached_participle(verb: Token) -> bool:
    """", assurant que ...": a present participle after a comma shares the subject of the main clause,
    even when the parser hangs it on the nearest noun."""
    return "Part" in verb.morph.get("VerbForm") and "Pres" in verb.morph.get("Tense") and verb.i > 0 \
        and verb.doc[verb.i - 1].text == ","


def _governing_verb(tok: Token) -> Token:
    head = tok.head
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    return head


def _cue_in_window(doc: _Document, pi: int, tokens: list[Token], kind: str) -> _Attribution | None:
    """The first speech verb, ``selon``/``d'après`` or leading ``pour X,`` of ``tokens`` with a speaker."""
    for tok in tokens:
        if tok.lower_ in ("selon", "après") or (tok.lower_ == "pour" and _leading_pour(tok)):
            found = _source_cue(doc, pi, tok)
            if found is not None and found.speaker is not None:
                return found
            continue
        lemma = _speech_lemma(tok)
        if lemma is None:
            continue
        subject = _comme_le_subject(tok) or _subject_of(tok)
        if subject is None:
            continue
        if subject.lower_ in ROLE_NOUNS and (named := _person_right_before(tok)) is not None:
            subject = named  # "Fondateur de X, Jean Y affirme": the name, whatever the parse made the subject
        speaker = _speaker_from_token(doc, pi, subject)
        if speaker is not None:
            return _Attribution(speaker, lemma, _CONFIDENCE[kind])
    return None


def _person_right_before(verb: Token) -> Token | None:
    """The person's name standing right before a verb (its auxiliaries and adverbs skipped)."""
    i = verb.i - 1
    while i >= 0 and (verb.doc[i].pos_ in ("AUX", "ADV", "SPACE") or verb.doc[i].lower_ in AUXILIARY_FORMS):
        i -= 1
    return verb.doc[i] if i >= 0 and verb.doc[i].ent_type_ == "PER" else None


def _comme_le_subject(verb: Token) -> Token | None:
    """``comme le souligne X`` / ``comme l'a rappelé X``: the subject stands after the verb."""
    words = [t for t in verb.doc[max(0, verb.i - 8):verb.i] if not t.is_space]
    while words and (words[-1].pos_ == "AUX" or words[-1].lower_ in AUXILIARY_FORMS):
        words.pop()
    if not words or words.pop().lower_ not in ("le", "l'"):
        return None
    if words and words[-1].lower_ in ("nous", "me", "m'", "vous", "lui", "leur"):
        words.pop()  # "comme nous l'explique X"
    if not words or words[-1].lower_ != "comme":
        return None
    doc = verb.doc
    following = [t for t in doc[verb.i:verb.i + 24] if not t.is_space]
    return _inverted_subject(following, 0)


def _leading_pour(tok: Token) -> bool:
    """``Pour X, ...`` opening a clause, X a name, a noun or a stressed pronoun (not an infinitive)."""
    doc = tok.doc
    after_break = tok.i == 0 or doc[tok.i - 1].text in (",", ";", ":", "«", '"', "-")
    if not after_break and not (doc[tok.i - 1].is_sent_start or doc[tok.i - 1].pos_ == "CCONJ"):
        return False
    head = tok.head
    if head.pos_ not in ("PROPN", "NOUN", "PRON") or head.lower_ in ("cela", "ça", "ceci"):
        return False
    if head.pos_ == "NOUN" and not any(c.dep_ == "det" for c in head.children):
        return False  # "pour cause", "pour preuve": a locution, not a source
    following = [t for t in doc[head.i + 1:head.i + 8]]
    return any(t.text == "," for t in following[:6])


def _source_cue(doc: _Document, pi: int, tok: Token) -> _Attribution | None:
    """``selon X`` / ``d'après X`` / ``pour X``: X is the noun the preposition introduces."""
    if tok.lower_ == "après" and not (tok.i > 0 and tok.doc[tok.i - 1].lower_ in ("d'", "d")):
        return None
    if tok.lower_ == "après" and tok.i > 0 and tok.doc[tok.i - 1].text == "'":
        pass
    source = tok.head if tok.head.i != tok.i else None
    if source is None or source.i < tok.i or source.pos_ not in ("NOUN", "PROPN", "PRON"):
        source = next((t for t in tok.doc[tok.i + 1:tok.i + 5] if t.pos_ in ("NOUN", "PROPN", "PRON")), None)
    if source is None:
        return None
    cue = {"selon": "selon", "après": "d'après", "pour": "pour"}[tok.lower_]
    return _Attribution(_speaker_from_token(doc, pi, source), cue, _CONFIDENCE["selon"])


def _colon_introduction(doc: _Document, pi: int, before: list[Token]) -> _Attribution | None:
    """``Jean Dupont : « ... »``: the name or pronoun right before a colon that opens the quotation."""
    words = [t for t in before if not t.is_space]
    if not words or words[-1].text != ":":
        return None
    opening = words[0] if words[0].ent_type_ == "PER" else None
    has_verb = any(t.pos_ == "VERB" for t in words[:-1])
    if opening is not None and has_verb:  # "Jean Roux, chef de projet chez X, explique : « … »"
        speaker = _speaker_from_token(doc, pi, opening)
        if speaker is not None:
            return _Attribution(speaker, "colon", _CONFIDENCE["colon"])
    candidates = [t for t in words[:-1] if t.pos_ in ("PROPN", "PRON") or t.ent_type_ in ("PER", "ORG")]
    if not candidates or candidates[-1].i < words[-1].i - 4 or (has_verb and candidates[-1].dep_ != "nsubj"):
        verb = _governing_verb(words[-1])  # "X ne cache pas sa colère : « … »": the clause's subject
        subject = _subject_of(verb) if verb.pos_ in ("VERB", "AUX", "ADJ", "NOUN") else None
        if subject is None or subject.i > words[-1].i or subject.lower_ in UNRESOLVED_PRONOUNS:
            return None
        speaker = _speaker_from_token(doc, pi, subject)
        return _Attribution(speaker, "colon", _CONFIDENCE["colon"]) if speaker else None
    speaker = _speaker_from_token(doc, pi, candidates[-1])
    return _Attribution(speaker, "colon", _CONFIDENCE["colon"]) if speaker else None


def _repeated_quote(doc: _Document, text: str) -> _Attribution | None:
    """The same words quoted earlier in the article keep the speaker they were given there."""
    key = _norm(text)
    for _, earlier_text, attribution in reversed(doc.attributed):
        other = _norm(earlier_text)
        if attribution.speaker is not None and len(other.split()) >= 2 and (other in key or key in other):
            return _Attribution(attribution.speaker, attribution.cue, _CONFIDENCE["repeat"])
    return None


def _continuation(doc: _Document, quote: _RawQuote) -> _Attribution | None:
    """A quotation following an attributed one, with no other person or speaker named in between."""
    if not doc.attributed:
        return None
    previous, _, attribution = doc.attributed[-1]
    if attribution.speaker is None:
        return None
    if quote.first_para - previous.last_para > 2:
        return None
    close = previous.close_at or (previous.last_para, previous.pieces[-1][2])
    gap_start = attribution.cue_end or doc.doc_end(*close)
    gap_end = doc.doc_off(*quote.open_at)
    if gap_end - gap_start > CONTINUATION_MAX_CHARS or gap_end < gap_start:
        return None
    for pi in range(previous.last_para, quote.first_para + 1):
        pp = doc.paras[pi]
        for tok in pp.doc:
            at = pp.doc_offset(tok.idx)
            if not gap_start <= at < gap_end or doc.is_quoted(at):
                continue
            if tok.ent_type_ == "PER" or doc.mention_at(at, at + len(tok.text), person_only=True):
                return None
            if _speech_lemma(tok) and (subject := _subject_of(tok)) is not None and subject.pos_ != "PRON":
                return None
    return _Attribution(attribution.speaker, attribution.cue, _CONFIDENCE["continuation"])


def _interview_answer(doc: _Document, quote: _RawQuote) -> _Attribution | None:
    """A quotation filling its paragraph after a question or another quoted paragraph: an interview
    answer, said by the speaker of the previous answer, else by the last person the article named."""
    pi, off = quote.open_at
    if doc.paras[pi].text[:off].strip() or pi == 0 or quote.close_at is None:
        return None
    if doc.paras[quote.close_at[0]].text[quote.close_at[1]:].strip(" .…"):
        return None
    previous = doc.paras[pi - 1].text.strip()
    previous_quoted = bool(doc.attributed) and doc.attributed[-1][0].last_para == pi - 1
    if not previous.endswith("?") and not previous_quoted:
        return None
    last = doc.attributed[-1] if doc.attributed else None
    if last is not None and last[2].speaker is not None and pi - last[0].last_para <= 2:
        return _Attribution(doc.attributed[-1][2].speaker, None, _CONFIDENCE["continuation"])
    start = doc.doc_off(pi, off)
    window = doc.paras[max(0, pi - 3)].doc_char_start
    person = next((m for m in reversed(doc.persons) if window <= m.start < start and m.label == "PER"), None)
    if person is None:
        return None
    return _Attribution(_speaker_from_mention(doc, person), None, _CONFIDENCE["previous"])


def _previous_sentence(doc: _Document, pi: int, off: int, before: list[Token]) -> _Attribution | None:
    """A speaker named in the sentence before: speech-verb subject, ``selon X``, or a person subject."""
    window_pi, window = _sentence_before(doc, pi, before, off)
    if not window:
        return None
    ends_with_colon = any(t.text == ":" for t in window[-2:])
    found = _cue_in_window(doc, window_pi, list(reversed(window)), "previous")
    if found is not None:
        return found
    for tok in window:
        named = tok.pos_ == "PROPN" or tok.ent_type_ == "PER"
        if tok.dep_ == "nsubj" and tok.head.dep_ == "ROOT" and named:
            speaker = _speaker_from_token(doc, window_pi, tok)
            if speaker is not None and speaker.is_person:
                kind = "colon" if ends_with_colon else "previous_subject"
                return _Attribution(speaker, "colon" if ends_with_colon else None, _CONFIDENCE[kind])
    return None


def _sentence_before(doc: _Document, pi: int, before: list[Token],
                     opening_offset: int) -> tuple[int, list[Token]]:
    """Tokens (outside quotations) of the sentence preceding the one that holds the quotation."""
    pp = doc.paras[pi]
    cut = before[0].idx if before else opening_offset
    previous = [t for t in pp.doc if t.idx < cut]
    while previous and (previous[-1].text in _SENTENCE_END or previous[-1].is_space):
        previous.pop()
    if previous:
        return pi, _last_sentence(doc, pi, previous)
    if pi == 0:
        return pi, []
    prev = doc.paras[pi - 1]
    tokens = [t for t in prev.doc]
    while tokens and tokens[-1].text in _SENTENCE_END:
        tokens.pop()
    return pi - 1, _last_sentence(doc, pi - 1, tokens)


def _last_sentence(doc: _Document, pi: int, tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for tok in reversed(tokens):
        if tok.text in _SENTENCE_END:
            break
        if not doc.token_quoted(pi, tok):
            out.append(tok)
    return list(reversed(out))
