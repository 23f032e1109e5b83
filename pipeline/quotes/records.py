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
