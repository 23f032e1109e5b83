"""documents -> paragraphs: split into paragraphs, drop page chrome (boilerplate), normalise characters 1:1.

How a document is cut:

1. Lines: every non-empty line with its exact span in ``documents.text``; a blank line starts a new block.
2. Line rules: each line is tested against general French web-page rules (:data:`LINE_RULES`, then the
   context rules: photo captions, teaser lists after "Lire aussi", runs of menu items). A matching
   line becomes a ``boilerplate`` row named after its rule.
3. Units: inside a block, the lines of one hard-wrapped paragraph are joined (:func:`join_hard_wraps`:
   a line not ending a sentence followed by one in lower case; in a text wrapped at a fixed width, a full
   line followed by one at the same indentation; a list item and its indented continuation); the line
   breaks become spaces in the paragraph text. A removed line's continuation is removed with it.
4. The article (:mod:`pipeline.article_body`): the body is located as a whole (jusText-style block
   classification, the largest cluster of prose) and everything above its headline or after its end is
   chrome (``outside_article_header`` / ``outside_article_footer``), as are list items inside it that no
   line introduces (``list_chrome``) and pictures' texts said twice (``repeated_caption``).
5. Position: short non-sentence units before the first body paragraph (except the title and the
   standfirst) and after the last one are page chrome (``page_chrome_header`` / ``page_chrome_footer``).
6. Very long units are cut into chunks of at most :data:`MAX_PARAGRAPH_CHARS` at sentence or
   whitespace boundaries (spaCy refuses texts over 1,000,000 characters and slows down long before).

Paragraph text is ``normalise_chars(documents.text[start:end])``: same-length substitutions only, so an
offset ``i`` in a paragraph is ``doc_char_start + i`` in the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

import polars as pl

from pipeline.article_body import (
    ArticleSpan,
    is_list_item,
    locate,
    mark_outside,
    span_of,
)
from pipeline.chars import normalise_chars
from pipeline.french.posts import SIGNATURE_LINE
from pipeline.line_rules import SENTENCE_END, STATEMENT_END, line_key, line_rule
from pipeline.schemas import empty_frame

MAX_PARAGRAPH_CHARS = 5000
MIN_NAV_RUN = 3  # this many menu-like lines in a row form a menu
MAX_TEASERS_AFTER_MARKER = 6
MAX_CAPTION_WORDS = 25
MIN_TITLE_WORDS = 3  # shorter lines above the headline are kickers / section labels

NO_HEADING_END = re.compile(r"[.!?…:;,»\"”'’)\]]\s*$")
BULLET_START = re.compile(r"^[-–—•*·▪►>]")




# ------------------------------------------------------------------------------------------ lines and units


@dataclass(frozen=True)
class Unit:
    """A candidate paragraph: a span of the document, its block, and the rule that removes it (if any)."""

    start: int
    end: int
    block: int
    text: str  # normalise_chars(document[start:end])
    rule: str | None = None

    @property
    def words(self) -> int:
        return len(self.text.split())


def split_lines(text: str) -> list[Unit]:
    """Non-empty lines (stripped spans); a blank or whitespace-only line starts a new block."""
    units: list[Unit] = []
    block = 0
    position = 0
    for raw in text.split("\n"):
        start, end = _strip_span(text, position, position + len(raw))
        position += len(raw) + 1
        if start >= end:
            block += 1
            continue
        units.append(Unit(start, end, block, normalise_chars(text[start:end])))
    return units


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def is_prose(unit: Unit) -> bool:
    """A body-like line: a sentence of some length, or long enough to be prose whatever its end."""
    if unit.rule is not None:
        return False
    return (unit.words >= 8 and bool(SENTENCE_END.search(unit.text))) or unit.words >= 25


def is_menu_like(unit: Unit) -> bool:
    """A link label: a few words, no sentence punctuation, not a list item or post signature."""
    return (unit.words <= 4 and len(unit.text) <= 40 and not NO_HEADING_END.search(unit.text)
            and not BULLET_START.match(unit.text) and not SIGNATURE_LINE.match(unit.text))


def apply_line_rules(units: list[Unit]) -> list[Unit]:
    """Rules on single lines, then the context rules that look at neighbouring lines."""
    units = [replace(u, rule=line_rule(u.text)) for u in units]
    units = mark_photo_captions(units)
    units = mark_teaser_lists(units)
    return mark_menu_runs(units)


def mark_photo_captions(units: list[Unit]) -> list[Unit]:
    """A short line right above a photo credit, in the same block (no blank line between), is its caption."""
    out = list(units)
    for i in range(len(out) - 1):
        below = out[i + 1]
        if (out[i].rule is None and below.rule == "photo_credit" and below.block == out[i].block
                and out[i].words <= MAX_CAPTION_WORDS):
            out[i] = replace(out[i], rule="photo_caption")
    return out


def mark_teaser_lists(units: list[Unit]) -> list[Unit]:
    """Headlines listed under a bare "À lire aussi" / "Sur le même sujet" marker are teasers too."""
    out = list(units)
    for i, unit in enumerate(units):
        if unit.rule != "related_teaser" or unit.words > 5:
            continue
        for j in range(i + 1, min(i + 1 + MAX_TEASERS_AFTER_MARKER, len(out))):
            nxt = out[j]
            if nxt.rule is not None or (is_prose(nxt) and STATEMENT_END.search(nxt.text)) or nxt.words > 25:
                break
            out[j] = replace(nxt, rule="related_teaser")
            if j + 1 < len(out) and out[j + 1].block != nxt.block:
                break  # the teaser list ends with its block
    return out


def announced_list_items(units: list[Unit]) -> set[int]:
    """Lines of a list announced by the line above ("Les villes concernées :"), in the same block."""
    items: set[int] = set()
    for i, unit in enumerate(units):
        if unit.rule is None and unit.words >= 4 and unit.text.rstrip().endswith(":"):
            j = i + 1
            while j < len(units) and units[j].block == unit.block and units[j].words <= 25 \
                    and units[j].rule in (None, "navigation"):
                items.add(j)
                j += 1
    return items


def mark_menu_runs(units: list[Unit]) -> list[Unit]:
    """Three or more menu-like lines in a row (same block) are a navigation menu or section list.

    Short lines announced by a line ending with a colon are an article's list, not a menu.
    """
    out = list(units)
    listed = announced_list_items(out)
    i = 0
    while i < len(out):
        j = i
        while (j < len(out) and out[j].block == out[i].block and is_menu_like(out[j]) and j not in listed
               and out[j].rule in (None, "navigation", "legal_notice", "comment_prompt")):
            j += 1
        if j - i >= MIN_NAV_RUN:
            for k in range(i, j):
                out[k] = replace(out[k], rule=out[k].rule or "navigation")
        i = max(j, i + 1)
    return out


def join_hard_wraps(units: list[Unit], text: str) -> list[Unit]:
    """Join the lines of one hard-wrapped paragraph into one unit (the line breaks become spaces).

    A line continues the one above it (same block) when that one does not end a sentence and it starts in
    lower case, or when the text is hard-wrapped at a fixed width (:func:`wrap_width`) and the line above
    was full (its next word would not have fitted) at the same indentation, or when it is the indented
    continuation of a list item. A continuation of a removed line is removed with it (same rule).
    """
    width = wrap_width(text)
    out: list[Unit] = []
    for unit in units:
        prev = out[-1] if out else None
        # a removed line may continue into a kept one (same rule), never a kept line into a removed one
        if (prev is not None and prev.block == unit.block and unit.rule is None
                and _continues(prev, unit, text, width)):
            out[-1] = Unit(prev.start, unit.end, prev.block, normalise_chars(text[prev.start:unit.end]),
                           prev.rule)
        else:
            out.append(unit)
    return out


WRAP_MIN_LINES = 5  # a text is hard-wrapped when this many lines end within a word of the same width
MAX_WRAP_WIDTH = 160


def wrap_width(text: str) -> int | None:
    """The column a hard-wrapped text dump is wrapped at, or None when its lines are not wrapped."""
    lengths = [len(line.rstrip()) for line in text.split("\n")]
    candidates = [n for n in lengths if n <= MAX_WRAP_WIDTH]
    if not candidates:
        return None
    width = max(candidates)
    near = sum(1 for n in candidates if width - 15 <= n <= width)
    return width if near >= WRAP_MIN_LINES and width >= 40 else None


def _column(text: str, offset: int) -> int:
    return offset - (text.rfind("\n", 0, offset) + 1)


def _continues(prev: Unit, unit: Unit, text: str, width: int | None) -> bool:
    """Whether ``unit`` is the next line of the paragraph ``prev`` ends (see :func:`join_hard_wraps`)."""
    if is_list_item(unit.text):
        return False
    last_line_start = text.rfind("\n", 0, prev.end) + 1
    prev_indent = _strip_span(text, last_line_start, prev.end)[0] - last_line_start
    indent = _column(text, unit.start)
    if is_list_item(prev.text) and indent > _column(text, prev.start):
        return True  # the wrapped continuation of a list item
    if not SENTENCE_END.search(prev.text) and unit.text[0].islower():
        return True
    if width is None or indent != prev_indent:
        return False
    next_word = len(unit.text.split(maxsplit=1)[0])
    return _column(text, prev.end) + 1 + next_word > width


# ------------------------------------------------------------------------------------------ page position


def mark_page_chrome(units: list[Unit], title: int | None = None) -> list[Unit]:
    """Short non-sentence lines in the page header (except title and standfirst) and footer are chrome.

    ``title``: the headline's index when the page layout already shows it, else it is guessed here.
    """
    out = list(units)
    header_end = find_header_end(out)
    if title is None or title >= header_end:
        title = find_title(out, header_end)
    for i in range(header_end):
        unit = out[i]
        if unit.rule is None and i != title and not (is_standfirst(unit) or SIGNATURE_LINE.match(unit.text)):
            out[i] = replace(unit, rule="page_chrome_header")
    for i in range(find_footer_start(out), len(out)):
        if out[i].rule is None:
            out[i] = replace(out[i], rule="page_chrome_footer")
    return out


def find_title(units: list[Unit], header_end: int) -> int | None:
    """The headline: the last kept header line of a few words above the standfirst.

    Site names and kickers come above the headline, so the closest line to the standfirst wins. Without a
    standfirst, the last line of six words or more (else the wordiest). A headline that reads like a
    sentence is itself taken for the standfirst and kept as such.
    """
    kept = [i for i in range(header_end) if units[i].rule is None]
    first_standfirst = next((i for i in kept if is_standfirst(units[i])), header_end)
    candidates = [i for i in kept if i < first_standfirst and units[i].words >= MIN_TITLE_WORDS]
    if first_standfirst < header_end:
        return candidates[-1] if candidates else None
    long_ones = [i for i in kept if units[i].words >= 6]
    if long_ones:
        return long_ones[-1]
    return max(kept, key=lambda i: (units[i].words, i), default=None)


def is_standfirst(unit: Unit) -> bool:
    """The sentence(s) under the headline: a statement of six words or more."""
    return unit.words >= 15 or (unit.words >= 6 and bool(SENTENCE_END.search(unit.text)))


def find_header_end(units: list[Unit]) -> int:
    """Index of the first body paragraph: the first prose unit after the page-header metadata.

    Header metadata (bylines, dates, credits, menus...) counts only while at most two prose units
    (headline and standfirst) have been seen, so a rule hit inside the article does not extend it.
    """
    prose_seen = 0
    last_header_hit = -1
    for i, unit in enumerate(units):
        if unit.rule is not None and unit.rule != "related_teaser":
            last_header_hit = i
        elif is_prose(unit):
            prose_seen += 1
            if prose_seen > 2:
                break
    return next((i for i in range(last_header_hit + 1, len(units)) if is_prose(units[i])), len(units))


def find_footer_start(units: list[Unit]) -> int:
    """Index just after the last body paragraph (a kept statement, a long paragraph, a post signature, or
    the last item of a list announced with a colon)."""
    listed = announced_list_items(units)
    for i in range(len(units) - 1, -1, -1):
        unit = units[i]
        if unit.rule is None and (unit.words >= 25 or (unit.words >= 4 and STATEMENT_END.search(unit.text))
                                  or SIGNATURE_LINE.match(unit.text) or i in listed):
            return i + 1
    return len(units)


# ------------------------------------------------------------------------------------------ chunks, headings


def chunk_spans(text: str, start: int, end: int, limit: int = MAX_PARAGRAPH_CHARS) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into spans of at most ``limit`` chars, at a sentence end, else a space."""
    spans: list[tuple[int, int]] = []
    while end - start > limit:
        window = text[start:start + limit]
        cut = _last_boundary(window, r"[.!?…][»\"”'’)\]]*\s+", limit // 2) or _last_boundary(window, r"\s+",
                                                                                               limit // 2)
        spans.append(_strip_span(text, start, start + (cut or limit)))
        start, _ = _strip_span(text, start + (cut or limit), end)
    if start < end:
        spans.append((start, end))
    return [s for s in spans if s[0] < s[1]]


def _last_boundary(window: str, pattern: str, minimum: int) -> int | None:
    last = None
    for match in re.finditer(pattern, window[minimum:]):
        last = minimum + match.end()
    return last


def is_heading(units: list[Unit], i: int, body_start: int, body_end: int) -> bool:
    """A short line without final punctuation between body paragraphs."""
    unit = units[i]
    return (body_start <= i < body_end and unit.words <= 20 and len(unit.text) <= 200
            and not NO_HEADING_END.search(unit.text) and not BULLET_START.match(unit.text)
            and not SIGNATURE_LINE.match(unit.text)
            and any(is_prose(u) for u in units[body_start:i])
            and any(is_prose(u) for u in units[i + 1:body_end]))


# ------------------------------------------------------------------------------------------ documents


PAGES_REMEMBERED = 4  # the last pages analysed, for the next caller asking about the same text


@lru_cache(maxsize=PAGES_REMEMBERED)
def analyse_page(text: str) -> tuple[tuple[Unit, ...], ArticleSpan | None]:
    """Every unit of a page with the rule that removes it, and where its article lies.

    Ingest asks three questions of one text (is it a stub, where is the article, what are its paragraphs
    for the reference date) and the paragraph split asks a fourth: the line rules, the bulk of the cost,
    run once per text for all of them. Units are frozen and returned as a tuple, so callers cannot
    change what the next caller reads.
    """
    located = locate(join_hard_wraps(apply_line_rules(split_lines(text)), text), text)
    units, headline = mark_outside(*located)
    return tuple(mark_page_chrome(units, headline)), span_of(*located)


def split_document(doc_id: str, text: str) -> tuple[list[dict], list[dict]]:
    """Paragraph rows and boilerplate rows of one document (offsets into ``text``)."""
    units, _ = analyse_page(text)
    kept = [u for u in units if u.rule is None]
    paragraphs: list[dict] = []
    for i, unit in enumerate(kept):
        heading = is_heading(kept, i, 0, len(kept))
        for start, end in chunk_spans(text, unit.start, unit.end):
            index = len(paragraphs)
            paragraphs.append({
                "doc_id": doc_id, "doc_char_start": start, "doc_char_end": end,
                "paragraph_id": f"{doc_id}:{index:04d}", "paragraph_index": index,
                "text": normalise_chars(text[start:end]), "is_heading": heading,
            })
    boilerplate = [
        {"doc_id": doc_id, "doc_char_start": u.start, "doc_char_end": u.end, "text": u.text, "rule": u.rule}
        for u in units if u.rule is not None
    ]
    return paragraphs, boilerplate


STUB_MAX_WORDS = 80  # an article body this short, on a page full of chrome, is a teaser, not an article
STUB_MIN_CHROME_LINES = 10  # ... on a saved web page (a short plain-text brief has no chrome around it)
PAYWALL = re.compile(r"réservé aux abonnés|il vous reste \d+ ?%|pour lire la suite|pour continuer à lire"
                     r"|article (complet )?(est )?réservé|déjà abonné|abonnez-vous pour lire|contenu premium")


def is_stub(text: str) -> str | None:
    """Why a page is not an article worth parsing, or None when it is one.

    ``paywall_stub``: the body left once the chrome is gone has at most :data:`STUB_MAX_WORDS` words and
    the page says the rest is for subscribers. ``no_article``: as short, on a page of at least
    :data:`STUB_MIN_CHROME_LINES` chrome lines (a section front, an error page, a video page).
    """
    paragraphs, boilerplate = split_document("stub", text)
    words = sum(len(p["text"].split()) for p in paragraphs if not p["is_heading"])
    if words > STUB_MAX_WORDS:
        return None
    if any(PAYWALL.search(line_key(b["text"])) for b in boilerplate) \
            or any(PAYWALL.search(line_key(p["text"])) for p in paragraphs):
        return "paywall_stub"
    return "no_article" if len(boilerplate) >= STUB_MIN_CHROME_LINES else None


def locate_article(text: str) -> ArticleSpan | None:
    """Offsets of the article's headline and body in a page (see :mod:`pipeline.article_body`)."""
    return analyse_page(text)[1]


def split_paragraphs(documents: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``paragraphs`` and ``boilerplate`` tables for every document."""
    paras: list[dict] = []
    boiler: list[dict] = []
    for row in documents.select("doc_id", "text").iter_rows(named=True):
        p, b = split_document(row["doc_id"], row["text"])
        paras.extend(p)
        boiler.extend(b)
    return _frame("paragraphs", paras), _frame("boilerplate", boiler)


def _frame(table: str, rows: list[dict]) -> pl.DataFrame:
    empty = empty_frame(table)
    return pl.DataFrame(rows, schema=empty.schema) if rows else empty

