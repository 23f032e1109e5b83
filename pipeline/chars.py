"""Same-length character normalisation: what every paragraph's ``text`` is, with offsets unchanged.

Typographic apostrophes become ``'`` and every kind of space or line break one space, character for character,
so that an offset in a paragraph is ``doc_char_start`` plus the offset in ``documents.text``.
"""

from __future__ import annotations

# Same-length substitutions only, so paragraph offsets map 1:1 onto documents.text.
_CHAR_MAP = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " ",
    "\t": " ", "\n": " ", "\r": " ",
})

# The same map as (source, target) pairs: no target is a source, so replacing one pair after the other
# equals ``str.translate``, and ``str.replace`` is ~100x faster than a per-character dict lookup.
_CHAR_PAIRS = tuple((chr(source), target) for source, target in _CHAR_MAP.items())


def normalise_chars(text: str) -> str:
    """Typographic apostrophes -> ', non-breaking spaces and line breaks -> space; length unchanged."""
    for source, target in _CHAR_PAIRS:
        if source in text:
            text = text.replace(source, target)
    return text
