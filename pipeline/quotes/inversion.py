"""The subject of an inverted verb of saying (``», a-t-il ajouté``, ``dit la ministre``, ``comme le souligne
X``), read over word records (:class:`~pipeline.quotes.records._Word`): the detection component asks it for
``comme le dit X`` and resolution for the windows after a quotation and the incises inside one.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.quotes.records import _Word

INVERTED_CLITICS = {"-il": "il", "-elle": "elle", "-t-il": "il", "-t-elle": "elle", "-ils": "ils",
                    "-elles": "elles", "-on": "on"}


def inverted_subject(after: Sequence[_Word], verb_at: int, words: Sequence[_Word]) -> _Word | None:
    """The subject of an inverted cue: a clitic (-t-il), else the first noun or name after the verb.

    ``after``: the words read, the verb at ``verb_at``; ``words``: every word of the paragraph, by index."""
    for word in after[:verb_at + 3]:
        if word.lower_ in INVERTED_CLITICS:
            return word
    # inside a prepositional group ("dans un message aux utilisateurs"); its noun seen
    in_group = headed = False
    for word in after[verb_at + 1:verb_at + 18]:
        if word.is_punct:
            return None
        if word.pos_ == "ADP":
            in_group, headed = True, False
            continue
        if in_group:
            if word.pos_ == "DET" and headed:
                in_group = False  # a determiner after the group's noun opens the subject
            elif word.pos_ in ("NOUN", "PROPN") or (not headed and word.pos_ in ("ADJ", "ADV")):
                headed = True  # the group's noun, or the word of an adverbial locution ("d'emblée")
                continue
            else:
                continue
        if word.lower_ in ("ce", "cette") and word.i + 1 < len(words) and \
                words[word.i + 1].lower_ in ("dernier", "dernière"):
            return words[word.i + 1]
        if word.pos_ in ("ADV", "DET", "ADJ", "NUM"):
            continue
        if word.pos_ in ("NOUN", "PROPN") or _foreign_name(word) or \
                (word.pos_ == "PRON" and word.lower_ not in ("en", "y", "le", "la", "l'", "lui")):
            return word
    return None


def _foreign_name(word: _Word) -> bool:
    """A capitalised word the tagger calls foreign (X) inside a named entity: "The" of "The Daily Post"."""
    return word.pos_ == "X" and word.text[:1].isupper() and bool(word.ent_type_)
