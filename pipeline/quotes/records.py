"""The small records the quotes stage passes between its steps: an open mark, a quotation found between
marks, an embedded post, an entity mention, a speaker and an attribution with its confidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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


_CONFIDENCE = {"inverted": 0.9, "clause": 0.85, "selon": 0.85, "colon": 0.75, "repeat": 0.7,
               "continuation": 0.7, "previous": 0.6, "previous_subject": 0.5}


@dataclass(frozen=True)
class _MarkFacts:
    """What the parse says around one quotation mark, for the not-quotation filters (detection)."""

    words_before: bool  # the paragraph has words before the mark
    cue_capitalised: str | None  # reason given by a cue word before the mark, for quoted words in capitals
    cue_lower: str | None  # the same for quoted words in lower case ("title"/"product" need a capital)
    noun_label: bool  # a noun right before the mark labels the quoted noun ("des packs « cadeau »")


@dataclass(frozen=True)
class _Cue:
    """A verb of saying (or a source locution) and its syntactic subject, in paragraph offsets."""

    kind: str  # "verb" or "source"
    lemma: str  # the verb's lemma, or the locution ("selon", "d'après", "pour")
    start: int
    end: int
    subject_start: int | None
    subject_end: int | None
    subject_lower: str | None
    subject_pos: str | None


@dataclass(frozen=True)
class _Candidate:
    """Somebody the paragraph names who may speak, as the parse reads them (paragraph offsets): a person
    entity ("ent"), a proper-noun subject spaCy left without an entity ("propn"), or a role noun standing
    as a subject ("role": "le Premier ministre a défendu ...", named by its phrase)."""

    kind: str
    start: int
    end: int
    name: str
    subject: bool
    sentence_start: int
    gender: str | None = None


@dataclass(frozen=True)
class _Step:
    """One step of naming a speaker from a token, as the parse decided it (detection, ``reference.py``);
    resolution (``speakers.py``) tries a token's steps in order with the article's state: a step either
    gives the answer (a speaker, or nobody) or, for the steps :data:`_CONTINUING`, may find nobody and let
    the next step try. Offsets: paragraph offsets in a component, document offsets once exported."""

    kind: str  # see ``speakers._STEP_RULES``
    start: int = 0
    end: int = 0
    gender: str | None = None
    word: str = ""  # the lower-case word a rule looks for, or the name / phrase as written
    flag: bool = False  # kind-specific: groups allowed, nearest fallback, a common noun, a person


# Steps that, finding nobody, let the next step try (the others decide).
_CONTINUING = frozenset({"demonym", "mention", "collective", "role", "org_head", "person_noun"})


@dataclass(slots=True)
class _Word:
    """One token of a paragraph as the attribution rules read it (``quote_attribution_detector``): its
    form, tags, and the links the parse gives (token indices in its paragraph), with the steps naming the
    speaker it may stand for; so the windows around a quotation, which depend on the ranges quoted after
    stitching, are read over these records instead of the tree. Offsets: ``idx`` in the paragraph (the
    document offset of every token is in ``QuoteRows.word_starts``); ``name_end`` and the steps in the
    paragraph as detected, in the document once exported."""

    i: int
    idx: int
    text: str
    lower_: str
    pos_: str
    dep_: str
    ent_type_: str
    is_space: bool
    is_punct: bool
    head_root: bool  # the token's head is the sentence's root
    lemma: str | None = None  # the verb-of-saying lemma (``_speech_lemma``)
    lemma_positional: str | None = None  # the same where only a verb can stand (after », in an incise)
    subject: int | None = None  # a verb of saying's subject (``_subject_of``)
    clause_subject: int | None = None  # the subject a same-sentence cue names ("comme le dit X", "X affirme")
    source: int | None = None  # the noun "selon" / "d'après" / "pour" introduces
    leading_pour: bool = False  # "Pour X, ..." opening a clause
    colon_subject: int | None = None  # on a colon: the subject of the clause it ends
    name_end: int = -1  # end of the name starting at the token (its entity, its flat:name children)
    steps: tuple[_Step, ...] | None = None  # None: the token names nobody a rule may ask for
