"""Small text helpers shared by the entity steps (case folding, last words, edit distance)."""

from __future__ import annotations

import re
import unicodedata

from spacy.tokens import Span


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
