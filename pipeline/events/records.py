"""The trigger record passed between the detection rules: a token naming an event, its type, and the
lexicon entry it matched."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token


@dataclass(frozen=True)
class Trigger:
    token: Token
    event_type: str
    name: str = ""  # the lexicon entry (``mettre en vente``); empty: the token's lemma

    @property
    def written(self) -> str:
        """The ``trigger`` column: the lexicon entry, else the token's lemma."""
        return self.name or self.token.lemma_.lower()
