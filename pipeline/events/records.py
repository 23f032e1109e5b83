"""The records passed between the steps of event detection: a trigger, a dated expression, an event
and the signature of an embedded post."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from pipeline.model import ParsedParagraph


@dataclass(frozen=True)
class Trigger:
    token: Token
    event_type: str
    name: str = ""  # the lexicon entry (``mettre en vente``); empty: the token's lemma


@dataclass(frozen=True)
class DatedTimex:
    timex_id: str | None  # None: the reference date itself (rule 8)
    start: int  # offset in the paragraph's doc (``ParsedParagraph.local_offset``), not in the source text
    end: int
    value: str
    granularity: str


@dataclass
class _Event:
    para: ParsedParagraph
    sent: Span  # the sentence (or the signature line of an embedded post)
    timex: DatedTimex
    trigger: Trigger
    trigger_lemma: str | None = None  # overrides the trigger token's lemma (a post signature: ``publier``)
    needs_participant: bool = False  # rule 7: a happening with no participant is dropped


@dataclass(frozen=True)
class _Signature:
    """An embedded post's signature line: its date and the character span of the signature."""

    timex: DatedTimex
    start: int
    end: int
