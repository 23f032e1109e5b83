"""Article-level resolution of the exported mention rows: no doc, no spaCy.

What needs more than one paragraph of the article, over the rows of :mod:`pipeline.entities.export`:
drop a one-word mention the article also writes in lower case (a common noun), an initialism it defines by
common nouns; cut a span that is two names it writes apart; trim "La France" to "France" when the bare name
is there too; tie the mentions the text ties ("Name (@handle)", "X (anciennement Y)", "Nom long (SIGLE)",
"la fondation X" / "Fondation X") and give each mention the key that merges its article's forms
(:func:`pipeline.entities.aliases.local_keys`). The result is the stage's cacheable mention rows.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import polars as pl

from pipeline.entities.acronyms import _abbreviates, _is_acronym_of
from pipeline.entities.aliases import local_keys
from pipeline.entities.records import Mention, mentions_frame
from pipeline.entities.textutil import _fold, _lower
from pipeline.entities.vocabulary import FIRST_NAMES, FORMER_NAME, ORG_NOUNS
from pipeline.entities.votes import _head_noun_before


@dataclass
class Found:
    """A mention being resolved: paragraph offsets in the parsed text, and the document offset of each
    character of the mention as detected (``origin`` is the paragraph offset of the first)."""

    paragraph_id: str
    start: int
    end: int
    ner_label: str
    votes: Counter
    is_handle: bool
    origin: int
    doc_offsets: Sequence[int]
    source: str  # documents.text slice of the mention as detected

    def form(self, text: str) -> str:
        return text[self.start:self.end]

    def doc_span(self) -> tuple[int, int]:
        """Document offsets of the (possibly narrowed) mention."""
        return self.doc_offsets[self.start - self.origin], self.doc_offsets[self.end - 1 - self.origin] + 1

    def source_text(self) -> str:
        start, end = self.doc_span()
        return self.source[start - self.doc_offsets[0]:end - self.doc_offsets[0]]

    def part(self, start: int, end: int, ner_label: str, votes: Counter) -> Found:
        return Found(self.paragraph_id, start, end, ner_label, votes, False, self.origin, self.doc_offsets,
                      self.source)


@dataclass(frozen=True)
class ArticleContext:
    """One article's paragraph texts and the facts its paragraphs' detection recorded."""

    doc_id: str
    texts: dict[str, str]  # paragraph id -> parsed text
    lower_words: set[str]
    common_initialisms: set[str]


def resolve_mentions(candidates: pl.DataFrame, paragraphs: pl.DataFrame) -> pl.DataFrame:
    """Mention rows (:data:`pipeline.entities.records.MENTION_ROW_SCHEMA`) of the exported articles."""
    return mentions_frame(m for article, found in article_rows(candidates, paragraphs)
                          for m in resolve_article(article, found))


def article_rows(candidates: pl.DataFrame,
                 paragraphs: pl.DataFrame) -> Iterator[tuple[ArticleContext, list[Found]]]:
    """Each article that has candidates, in reading order, with its candidate records (rows in reading order:
    :func:`pipeline.entities.export.export_rows` writes them so)."""
    articles: dict[str, ArticleContext] = {}
    for row in paragraphs.iter_rows(named=True):
        article = articles.setdefault(row["doc_id"], ArticleContext(row["doc_id"], {}, set(), set()))
        article.texts[row["paragraph_id"]] = row["text"]
        article.lower_words.update(row["lower_words"])
        article.common_initialisms.update(row["common_initialisms"])
    found: dict[str, list[Found]] = {}
    for row in candidates.iter_rows(named=True):
        found.setdefault(row["doc_id"], []).append(Found(
            row["paragraph_id"], row["start"], row["end"], row["ner_label"],
            Counter(dict(json.loads(row["votes"]))), row["is_handle"], row["start"], row["doc_offsets"],
            row["text"]))
    for doc_id, rows in found.items():
        yield articles[doc_id], rows


def resolve_article(article: ArticleContext, found: list[Found]) -> list[Mention]:
    """Cleaned mentions of one article, each with a key that merges what the article ties together."""
    texts = article.texts
    found = _without_common_nouns(found, texts, article.lower_words)
    found = [f for f in found if f.form(texts[f.paragraph_id]) not in article.common_initialisms]
    found = _split_glued_names(found, texts)
    _trim_articles_of_known_names(found, texts)
    forms = [f.form(texts[f.paragraph_id]) for f in found]
    ties = _ties(found, texts) + _named_with_their_noun(found, texts)
    keys = local_keys(forms, [f.votes for f in found], ties)
    mentions: list[Mention] = []
    counters: Counter = Counter()
    for f, form, key in zip(found, forms, keys, strict=True):
        n = counters[f.paragraph_id]
        counters[f.paragraph_id] += 1
        start, end = f.doc_span()
        mentions.append(Mention(
            mention_id=f"{f.paragraph_id}:m{n:03d}", doc_id=article.doc_id, paragraph_id=f.paragraph_id,
            doc_char_start=start, doc_char_end=end, text=f.source_text(), form=form, ner_label=f.ner_label,
            votes=tuple(sorted(f.votes.items())), local_key=key,
        ))
    return mentions


def _without_common_nouns(found: list[Found], texts: dict[str, str], lower_words: set[str]) -> list[Found]:
    """Drop one-word mentions the article also writes in lower case: a capitalised common noun.

    "Jeux vidéo : ..." in a heading, "Gaming" or "Podcast" in a menu: the same word appears in lower
    case in the article's prose, so it is a common noun, not a name. Given names stay ("Pierre").
    """
    out = []
    for f in found:
        form = f.form(texts[f.paragraph_id])
        if (not f.is_handle and " " not in form and not form.isupper() and _fold(form) in lower_words
                and _lower(form) not in FIRST_NAMES):
            continue
        out.append(f)
    return out


def _split_glued_names(found: list[Found], texts: dict[str, str]) -> list[Found]:
    """"le cofondateur de DeepMind Demis Hassabis": a span that is two names the article writes apart.

    A mention splits in two when its last words are a person's full name the article writes on its own
    and its first words another name of the article.
    """
    forms = {f.form(texts[f.paragraph_id]) for f in found}
    people = {form for f in found if f.ner_label == "PER"
              and len((form := f.form(texts[f.paragraph_id])).split()) >= 2}
    out: list[Found] = []
    for f in found:
        form = f.form(texts[f.paragraph_id])
        cut = next((m.start() for m in re.finditer(" ", form)
                    if form[m.end():] in people and form[:m.start()] in forms), None)
        if cut is None or f.is_handle:
            out.append(f)
            continue
        out.append(f.part(f.start, f.start + cut, f.ner_label, Counter(f.votes)))
        out.append(f.part(f.start + cut + 1, f.end, "PER", Counter({"PER": 1.0})))
    return out


LEADING_ARTICLE = re.compile(r"(?:La|Le|Les|L')\s*(?=[A-ZÀ-Ý])")


def _trim_articles_of_known_names(found: list[Found], texts: dict[str, str]) -> None:
    """"La France", "L'Amérique": the article goes when the article names the place without it too.

    Names whose article belongs to them ("Le Havre", "La Rochelle") keep it: the article never writes
    them bare.
    """
    known = {_fold(f.form(texts[f.paragraph_id])) for f in found}
    for f in found:
        text = texts[f.paragraph_id]
        match = LEADING_ARTICLE.match(text.replace("’", "'"), f.start, f.end)
        if match is not None and match.end() < f.end and _fold(text[match.end():f.end]) in known:
            f.start = match.end()


def _ties(found: Sequence[Found], texts: dict[str, str]) -> list[tuple[int, int]]:
    """Index pairs the text ties: "Name (@handle)", "X (anciennement Y)", "Nom long (SIGLE)"."""
    ties = []
    for i in range(len(found) - 1):
        a, b = found[i], found[i + 1]
        if a.paragraph_id != b.paragraph_id:
            continue
        text = texts[a.paragraph_id]
        between = text[a.end:b.start]
        in_brackets = re.fullmatch(r"\s*\(\s*", between) is not None
        handle_of_name = in_brackets and b.is_handle and not a.is_handle
        short, long = b.form(text), a.form(text)
        acronym = in_brackets and (_is_acronym_of(short, long) or _is_acronym_of(long, short) or (
            _lower(long.split()[0]) in ORG_NOUNS and len(short) <= 10 and _abbreviates(short, long)))
        if handle_of_name or acronym or FORMER_NAME.match(between):
            ties.append((i, i + 1))
    return ties


def _named_with_their_noun(found: Sequence[Found], texts: dict[str, str]) -> list[tuple[int, int]]:
    """"la fondation italienne Bruno Kessler" and "la Fondation Bruno Kessler": the same organisation.

    A name after an organisation noun in lower case ties to the article's name made of that noun and it.
    """
    index = {}
    for i, f in enumerate(found):
        index.setdefault(_fold(f.form(texts[f.paragraph_id])), i)
    ties = []
    for i, f in enumerate(found):
        text = texts[f.paragraph_id]
        head = _head_noun_before(text[max(0, f.start - 80):f.start].lower())
        j = index.get(_fold(f"{head}{f.form(text)}")) if head in ORG_NOUNS else None
        if j is not None and j != i:
            ties.append((j, i))
    return ties
