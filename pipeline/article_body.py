"""Locate the article inside a saved web page: headline -> standfirst -> body -> end; the rest is chrome.

Line rules (:mod:`pipeline.paragraphs`) recognise chrome one line at a time. Real pages saved as text also
carry chrome no single line gives away: menus of ordinary words, related-article titles, reader comments,
forms and legal notices written in full sentences. This module looks at the page as a whole, the way
jusText classifies blocks of a web page:

1. Each candidate paragraph (a ``Unit`` after hard wraps are joined) is classified from its length, its
   density of French function words (:data:`STOPWORDS`), its sentence punctuation and its list marker:
   ``good`` (article prose), ``near`` (a short sentence), ``short`` or ``bad``.
2. Good units close to each other form clusters; the cluster with the most prose is the article body.
   Near-good units right after it (a closing short sentence) belong to it.
3. The headline is looked for just above the body: in a text dump, a heading line starts at the margin
   while paragraphs are indented; else the existing title heuristics of ``paragraphs.mark_page_chrome``
   decide. Everything above the headline is ``outside_article_header``, everything after the body's last
   paragraph ``outside_article_footer``; list items inside the body that no line introduces are
   ``list_chrome``.

The corpus-level signal jusText users add (lines repeated across a site's pages are template) is not used:
paragraphs are computed and cached per article, so a line cannot depend on other articles.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from pipeline.french.posts import SIGNATURE_LINE
from pipeline.lexicons import read_lexicon
from pipeline.line_rules import SENTENCE_END

if TYPE_CHECKING:
    from pipeline.paragraphs import Unit

WORD = re.compile(r"[^\W\d_]+(?:['’](?=[^\W\d_]))?", re.UNICODE)
# A list item of a text dump: ``* item``, nested ``+ item`` / ``o item``, or ``• item``.
LIST_MARKER = re.compile(r"^(?:[*+•▪◦·]|o(?=\s))\s")


GOOD_MIN_CHARS = 120  # a prose paragraph (jusText's "length_low" is 70; a sentence-long paragraph here)
GOOD_STOPWORDS = 0.25  # share of function words in prose; menus and titles have far fewer
NEAR_MIN_WORDS = 5
MAX_GAP_UNITS = 7  # non-prose units tolerated between two body paragraphs (headings, captions, ads)
MAX_GAP_CHARS = 700
HEADLINE_LOOKBACK = 10  # unremoved units above the body among which the headline may be


@cache
def stopwords() -> frozenset[str]:
    """The French function-word list of ``lexicons/stopwords_fr.txt``."""
    return frozenset(read_lexicon("stopwords_fr.txt"))


def words_of(text: str) -> list[str]:
    """Lower-cased words, elided articles kept with their apostrophe (``l'``, ``d'``)."""
    return [w.lower().replace("’", "'") for w in WORD.findall(text)]


def stopword_density(text: str) -> float:
    """Share of function words among the words of ``text`` (0 when it has none)."""
    words = words_of(text)
    if not words:
        return 0.0
    stops = stopwords()
    return sum(w in stops for w in words) / len(words)


def is_list_item(text: str) -> bool:
    """A bullet line of a text dump (``* Sport``, ``+ Football``)."""
    return bool(LIST_MARKER.match(text))


def classify(unit: Unit) -> str:
    """``good`` prose, ``near`` (a short sentence), ``short`` or ``bad`` (chrome by rule, list, no prose)."""
    if unit.rule is not None or is_list_item(unit.text):
        return "bad"
    density = stopword_density(unit.text)
    sentence = bool(SENTENCE_END.search(unit.text))
    if len(unit.text) >= GOOD_MIN_CHARS and density >= GOOD_STOPWORDS and (sentence or unit.words >= 40):
        return "good"
    if unit.words >= NEAR_MIN_WORDS and sentence and density >= GOOD_STOPWORDS - 0.05:
        return "near"
    return "short" if unit.words < NEAR_MIN_WORDS or len(unit.text) < GOOD_MIN_CHARS else "bad"


# Rules that occur once an article is over (comments, tags, copyright): unless prose follows at once,
# the body does not go on past them.
END_RULES = frozenset({"comment_prompt", "reader_comment", "tag_list", "copyright"})
RULED_GAP_WEIGHT = 0.34  # lines already removed by another rule (teaser lists, ads) barely widen a gap


def body_clusters(classes: list[str], units: list[Unit]) -> list[tuple[int, int, int]]:
    """``(first, last, prose_chars)`` of each run of good units separated by small gaps.

    A gap is measured in unexplained units and characters; lines a rule already removed weigh a third
    (a "Lire aussi" list inside an article does not cut it in two); an end-of-article rule (comments,
    tags) not followed at once by prose closes the body.
    """
    clusters: list[tuple[int, int, int]] = []
    first = last = -1
    chars = gap_chars = 0
    gap_units = 0.0
    for i, label in enumerate(classes):
        unit = units[i]
        if label == "good":
            if first >= 0 and gap_units <= MAX_GAP_UNITS and gap_chars <= MAX_GAP_CHARS:
                last, chars = i, chars + len(unit.text)
            else:
                if first >= 0:
                    clusters.append((first, last, chars))
                first, last, chars = i, i, len(unit.text)
            gap_units, gap_chars = 0.0, 0
        elif first >= 0:
            if unit.rule in END_RULES and (i + 1 == len(classes) or classes[i + 1] != "good"):
                gap_units = MAX_GAP_UNITS + 1.0
            elif unit.rule is not None:
                gap_units += RULED_GAP_WEIGHT
            else:
                gap_units += 1
                gap_chars += len(unit.text)
    if first >= 0:
        clusters.append((first, last, chars))
    return clusters


def find_body(units: list[Unit]) -> tuple[int, int] | None:
    """Indices of the article body's first and last paragraph, or None when the page has no prose."""
    classes = [classify(u) for u in units]
    clusters = body_clusters(classes, units)
    if not clusters:
        return None
    first, last, _ = max(clusters, key=lambda c: c[2])
    listing = False
    while last + 1 < len(units) and (_closes_body(units[last + 1], classes[last + 1])
                                     or (listing and _lists_on(units[last], units[last + 1]))):
        last += 1
        listing = units[last].text.rstrip().endswith(":") or (listing and units[last].rule is None)
    return first, last


def _closes_body(unit: Unit, label: str) -> bool:
    """A line right after the body that still belongs to it: a short sentence (a result, a last word),
    a line announcing a list, or an embedded post's signature."""
    if label in ("good", "near"):
        return True
    if unit.rule is not None or is_list_item(unit.text):
        return False
    return (unit.words >= 4 and bool(SENTENCE_END.search(unit.text) or unit.text.rstrip().endswith(":"))) \
        or bool(SIGNATURE_LINE.match(unit.text))


def _lists_on(above: Unit, unit: Unit) -> bool:
    """An item of the list the body's last line announced: same block, a few words, not removed."""
    return unit.block == above.block and unit.rule is None and unit.words <= 25


def indentation(text: str, unit: Unit) -> int:
    """Columns of white space before the unit's first line in the document."""
    return unit.start - (text.rfind("\n", 0, unit.start) + 1)


def find_margin_headline(units: list[Unit], text: str, body_first: int) -> int | None:
    """In a text dump (paragraphs indented, headings at the margin), the headline: the closest heading
    at the margin above the body, with a few words and no sentence of its own."""
    indents = [indentation(text, u) for u in units]
    if not indents or sorted(indents)[len(indents) // 2] == 0:
        return None  # paragraphs are not indented: margin headings cannot be told apart
    seen = 0
    for i in range(body_first - 1, -1, -1):
        unit = units[i]
        if unit.rule is not None:
            continue  # lines a rule removed (buttons, credits, share bars) do not count
        if indents[i] == 0 and 3 <= unit.words <= 30 and not is_list_item(unit.text):
            return i
        seen += 1
        if seen >= HEADLINE_LOOKBACK:
            break
    return None


def _repeats_its_start(words: list[str]) -> bool:
    """``a b c a b c ...``: the unit opens with a phrase of two words or more said twice in a row."""
    return any(words[:n] == words[n:2 * n] for n in range(2, len(words) // 2 + 1))


MAX_CAPTION_WORDS = 80
MIN_REPEATED_WORDS = 6  # a shorter repetition can be a speaker's anaphora ("Il faut agir vite.")


def mark_repeated_captions(units: list[Unit]) -> list[Unit]:
    """A picture's text said twice (alternative text, then caption) is a caption, never article prose:
    a unit that repeats its opening phrase, and two neighbouring units of which one opens the other."""
    out = list(units)
    words = [words_of(u.text) if u.words <= MAX_CAPTION_WORDS else [] for u in units]
    for i, unit in enumerate(units):
        if not 2 <= len(words[i]) <= MAX_CAPTION_WORDS:
            continue
        if unit.rule is None and _repeats_its_start(words[i]):
            out[i] = replace(out[i], rule="repeated_caption")
        for j in (i + 1, i + 2):
            if j >= len(units):
                continue
            shorter = min(len(words[i]), len(words[j]))
            if shorter >= MIN_REPEATED_WORDS and words[i][:shorter] == words[j][:shorter]:
                for k in (i, j):
                    if out[k].rule is None:
                        out[k] = replace(out[k], rule="repeated_caption")
    return out


class ArticleSpan(NamedTuple):
    """Where the article lies in the document (character offsets)."""

    headline_start: int | None  # None when the layout does not show the headline
    body_start: int  # the first body paragraph
    first_paragraph_end: int
    body_end: int  # end of the last body paragraph


def locate(units: list[Unit], text: str) -> tuple[list[Unit], int | None, tuple[int, int] | None]:
    """Units with repeated captions marked, the headline's index (or None) and the body's first and last
    unit indices (or None when the page has no prose)."""
    units = mark_repeated_captions(units)
    body = find_body(units)
    if body is None:
        return units, None, None
    return units, find_margin_headline(units, text, body[0]), body


def article_span(units: list[Unit], text: str) -> ArticleSpan | None:
    """The article's headline and body as offsets, None when the page has no prose."""
    return span_of(*locate(units, text))


def span_of(units: list[Unit], headline: int | None, body: tuple[int, int] | None) -> ArticleSpan | None:
    """:func:`article_span` from what :func:`locate` returned (computed once per page by its callers)."""
    if body is None:
        return None
    first, last = body
    return ArticleSpan(units[headline].start if headline is not None else None, units[first].start,
                       units[first].end, units[last].end)


def mark_outside_article(units: list[Unit], text: str) -> tuple[list[Unit], int | None]:
    """Mark what lies outside the article (above its headline, after its body) and unintroduced lists;
    also return the headline's index when the page layout shows it (see :func:`find_margin_headline`)."""
    return mark_outside(*locate(units, text))


def mark_outside(units: list[Unit], headline: int | None,
                 body: tuple[int, int] | None) -> tuple[list[Unit], int | None]:
    """:func:`mark_outside_article` from what :func:`locate` returned."""
    if body is None:
        return units, None
    last = body[1]
    out = list(units)
    start = headline if headline is not None else 0
    for i in range(start):
        if out[i].rule is None:
            out[i] = replace(out[i], rule="outside_article_header")
    for i in range(last + 1, len(out)):
        if out[i].rule is None:
            out[i] = replace(out[i], rule="outside_article_footer")
    introduced = False  # a list belongs to the article when the line before its first item ends with ':'
    for i in range(start, last + 1):
        if not is_list_item(out[i].text):
            introduced = out[i].rule is None and out[i].text.rstrip().endswith(":")
        elif out[i].rule is None and not introduced:
            out[i] = replace(out[i], rule="list_chrome")
    return out, headline
