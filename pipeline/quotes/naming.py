"""A speaker's name from the rows: an entity mention's canonical name, and a surname alone completed to the
fullest name of the article ending with it."""

from __future__ import annotations

from pipeline.quotes.article import Article
from pipeline.quotes.records import _Mention, _Speaker


def _speaker_from_mention(doc: Article, mention: _Mention) -> _Speaker:
    name = mention.name
    if mention.entity_id is None:
        name = _full_person_name(doc, name) if mention.label == "PER" else name
    return _Speaker(name, mention.entity_id, mention.label == "PER")


def _full_person_name(doc: Article, name: str) -> str:
    """A surname alone becomes the fullest name of the article ending with it ("Dupont" -> "Jean Dupont")."""
    if len(name.split()) != 1:
        return name
    fuller = [n for n in doc.person_names if len(n.split()) > 1 and n.split()[-1] == name]
    return max(fuller, key=len) if fuller else name
