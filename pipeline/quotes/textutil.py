"""Text and span helpers shared by the quotes stage's modules (normalised keys, elisions, overlaps)."""

from __future__ import annotations

import re
import unicodedata


def _has_words(text: str) -> bool:
    return any(c.isalpha() for c in text)


def _overlaps_any(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _clean(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", _clean(text).lower())
    return re.sub(r"[^\w]+", " ", "".join(c for c in text if not unicodedata.combining(c))).strip()


def _strip_elision(text: str) -> str:
    """A name without an elided article or conjunction glued to it, nor a civility title (M., Mme)."""
    text = re.sub(r"^(?:[dlj]|qu|jusqu|lorsqu|puisqu)['’]", "", text.strip(), flags=re.IGNORECASE)
    text = re.sub(r"^(?:M\.|Mme|Mlle|Madame|Monsieur|Mademoiselle|Me|Dr|Pr)\s+(?=[A-ZÀ-Þ])", "", text)
    return text.strip(" ,.;:")
