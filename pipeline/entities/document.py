"""The per-document step: one parsed article to :class:`Mention` rows, each with a key that merges what
the article ties together; and the whole stage (:func:`build_entities`) for tests and tools.

Offsets: candidates live in the parsed paragraph text (runs of spaces collapsed, ``pipeline/collapse.py``)
and become document offsets only through :meth:`ParsedParagraph.doc_span`; a mention's ``text`` is the
source slice, its ``form`` the parsed one (single spaces).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

import polars as pl

from pipeline.entities.aliases import _ties, local_keys
from pipeline.entities.candidates import paragraph_candidates
from pipeline.entities.corpus import merge_corpus
from pipeline.entities.filters import _common_noun_initialisms
from pipeline.entities.records import Located, Mention, _Candidate, mentions_frame
from pipeline.entities.textutil import _fold, _lower
from pipeline.entities.vocabulary import FIRST_NAMES, ORG_NOUNS
from pipeline.entities.votes import _head_noun_before
from pipeline.model import DocumentParse, ParsedParagraph


def build_entities(parses: Iterable[DocumentParse]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``entity_mentions`` and ``entities`` tables for the corpus."""
    per_document = [document_entities(parse) for parse in parses]
    return merge_corpus(per_document)


def document_entities(parse: DocumentParse) -> list[Mention]:
    """Cleaned mentions of one article, each with a key that merges what the article ties together."""
    located: list[tuple[ParsedParagraph, _Candidate]] = []
    for paragraph in parse.paragraphs:
        located.extend((paragraph, c) for c in paragraph_candidates(paragraph))
    located = _without_common_nouns(located, _lower_case_words(parse.paragraphs))
    common = _common_noun_initialisms(parse.paragraphs)
    located = [(p, c) for p, c in located if c.form(p.text) not in common]
    located = _split_glued_names(located)
    _trim_articles_of_known_names(located)
    forms = [c.form(p.text) for p, c in located]
    keys = local_keys(forms, [c.votes for _, c in located], _ties(located) + _named_with_their_noun(located))
    mentions: list[Mention] = []
    counters: Counter = Counter()
    for (paragraph, cand), form, key in zip(located, forms, keys, strict=True):
        n = counters[paragraph.paragraph_id]
        counters[paragraph.paragraph_id] += 1
        start, end = paragraph.doc_span(cand.start, cand.end)
        mentions.append(Mention(
            mention_id=f"{paragraph.paragraph_id}:m{n:03d}", doc_id=parse.doc_id,
            paragraph_id=paragraph.paragraph_id, doc_char_start=start, doc_char_end=end,
            text=parse.text[start:end], form=form, ner_label=cand.ner_label,
            votes=tuple(sorted(cand.votes.items())), local_key=key,
        ))
    return mentions


def _split_glued_names(located: Located) -> Located:
    """"le cofondateur de DeepMind Demis Hassabis": a span that is two names the article writes apart.

    A mention splits in two when its last words are a person's full name the article writes on its own
    and its first words another name of the article.
    """
    forms = {c.form(p.text) for p, c in located}
    people = {c.form(p.text) for p, c in located if c.ner_label == "PER" and len(c.form(p.text).split()) >= 2}
    out: Located = []
    for paragraph, cand in located:
        form = cand.form(paragraph.text)
        cut = next((m.start() for m in re.finditer(" ", form)
                    if form[m.end():] in people and form[:m.start()] in forms), None)
        if cut is None or cand.is_handle:
            out.append((paragraph, cand))
            continue
        out.append((paragraph, _Candidate(cand.start, cand.start + cut, cand.ner_label, Counter(cand.votes))))
        out.append((paragraph, _Candidate(cand.start + cut + 1, cand.end, "PER", Counter({"PER": 1.0}))))
    return out


def _named_with_their_noun(located: Sequence[tuple[ParsedParagraph, _Candidate]]) -> list[tuple[int, int]]:
    """"la fondation italienne Bruno Kessler" and "la Fondation Bruno Kessler": the same organisation.

    A name after an organisation noun in lower case ties to the article's name made of that noun and it.
    """
    index = {}
    for i, (paragraph, cand) in enumerate(located):
        index.setdefault(_fold(cand.form(paragraph.text)), i)
    ties = []
    for i, (paragraph, cand) in enumerate(located):
        head = _head_noun_before(paragraph.text[max(0, cand.start - 80):cand.start].lower())
        j = index.get(_fold(f"{head}{cand.form(paragraph.text)}")) if head in ORG_NOUNS else None
        if j is not None and j != i:
            ties.append((j, i))
    return ties


def _lower_case_words(paragraphs: Sequence[ParsedParagraph]) -> set[str]:
    """Folded words the article writes in lower case ("jeux", "gaming", "e-sport")."""
    return {_fold(token.text) for paragraph in paragraphs for token in paragraph.doc
            if token.text.islower() and len(token.text) > 2}


def _without_common_nouns(located: list[tuple[ParsedParagraph, _Candidate]],
                          lower_words: set[str]) -> list[tuple[ParsedParagraph, _Candidate]]:
    """Drop one-word mentions the article also writes in lower case: a capitalised common noun.

    "Jeux vidéo : ..." in a heading, "Gaming" or "Podcast" in a menu: the same word appears in lower
    case in the article's prose, so it is a common noun, not a name. Given names stay ("Pierre").
    """
    out = []
    for paragraph, cand in located:
        form = cand.form(paragraph.text)
        if (not cand.is_handle and " " not in form and not form.isupper() and _fold(form) in lower_words
                and _lower(form) not in FIRST_NAMES):
            continue
        out.append((paragraph, cand))
    return out


LEADING_ARTICLE = re.compile(r"(?:La|Le|Les|L')\s*(?=[A-ZÀ-Ý])")


def _trim_articles_of_known_names(located: list[tuple[ParsedParagraph, _Candidate]]) -> None:
    """"La France", "L'Amérique": the article goes when the article names the place without it too.

    Names whose article belongs to them ("Le Havre", "La Rochelle") keep it: the article never writes
    them bare.
    """
    known = {_fold(c.form(p.text)) for p, c in located}
    for paragraph, cand in located:
        match = LEADING_ARTICLE.match(paragraph.text.replace("’", "'"), cand.start, cand.end)
        if match is not None and match.end() < cand.end and _fold(
                paragraph.text[match.end():cand.end]) in known:
            cand.start = match.end()


def article_mentions(parses: Iterable[DocumentParse]) -> pl.DataFrame:
    """The per-article step of the stage (everything before the corpus merge), as cacheable rows."""
    return mentions_frame(m for parse in parses for m in document_entities(parse))
