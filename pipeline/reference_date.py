"""The date an article speaks from, read in its own page: the publication stamp next to its headline.

A saved web page carries many dates besides the article's own: the day's date in the site header, the
dates of related-article teasers, of an e-paper box, of reader comments, of a legal notice, of the crawl.
So the article is located first (:func:`pipeline.paragraphs.locate_article`: headline, body, end) and the
stamp is looked for where a page prints it, in this order:

1. ``in_text``, the **article header**: the lines from a few lines above the headline down to the first
   body paragraph (and that paragraph, for a press dateline ``PARIS, 14 mars 2024 (AFP) -``):
   a publication label (``Publié le ...``, ``Mis en ligne le ...``), then a dateline, then a short line
   that carries a full date (a byline ``Par Jeanne Martin 14 mars 2024``, a kicker ``Médias 09/05/2022
   23:08``, a bare ``vendredi 24 novembre 2023 à 13h38``), nearest the headline first; else the latest
   update label of the header; else a stamp among the removed lines printed right under the first body
   paragraph (a standfirst followed by its byline and date);
2. ``in_text``, a publication label elsewhere **above the body's end** (never in the teasers, comments
   and footers after it), else the latest update label there;
3. ``inferred``: the latest full date the article body writes out (its kept paragraphs only);
4. ``none``: nothing dates the article (never a date from the chrome).

Pages where no article body can be located (plain texts, very short articles) are read as a whole by
:func:`pipeline.temporal.reference_date_from_text`. Glued dates of text dumps (``Fages26 juin 202326 juin
2023``) are separated before reading.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from pipeline.paragraphs import locate_article, split_document
from pipeline.temporal import ReferenceDate, _dates_in, _page_stamps
from pipeline.temporal import reference_date_from_text as whole_text_reference_date

HEADER_LINES_ABOVE_HEADLINE = 6  # non-blank lines above the headline that still belong to its header
HEADER_LINES_WITHOUT_HEADLINE = 10  # ... above the first body paragraph when no headline is seen
MAX_STAMP_LINE_WORDS = 16  # a byline or timestamp line is short; a sentence with a date is prose
MAX_STAMP_UNIT_WORDS = 24  # ... a removed stamp paragraph (its wrapped lines joined) a little longer
# ``Fages26 juin`` -> ``Fages 26 juin``; ``202326 juin`` -> ``2023 26 juin``.
GLUED_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_]{2})(?=\d)")
GLUED_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=\d{1,2}\s)")
SENTENCE_END = re.compile(r"[.!?…][\s»\"”')\]]*$")


class _Line(NamedTuple):
    number: int
    start: int
    text: str


def reference_date_from_text(text: str) -> ReferenceDate:
    """The date the article speaks from, with its basis and evidence (see the module docstring)."""
    article = locate_article(text)
    if article is None:
        return whole_text_reference_date(text)
    headline_start, body_start, first_paragraph_end, body_end = article
    lines = _lines(text)
    header_start = header_start_offset(lines, headline_start, body_start)
    header = [line for line in lines if header_start <= line.start < first_paragraph_end]
    found = _header_stamp(header, body_start)
    if found is not None:
        return found
    paragraphs, boilerplate = split_document("reference", text)
    found = _stamp_under_standfirst(paragraphs, boilerplate, first_paragraph_end)
    if found is not None:
        return found
    above_end = "\n".join(_unglue(line.text) for line in lines if line.start < body_end)
    stamps = _page_stamps(above_end)
    published = [s for s in stamps if s.kind == "published"]
    if published:
        return ReferenceDate(published[0].date, "in_text", f"published: {published[0].evidence[:80]!r}")
    updated = [s for s in stamps if s.kind == "updated"]
    if updated:
        stamp = max(updated, key=lambda s: s.date)
        return ReferenceDate(stamp.date, "in_text", f"updated: {stamp.evidence[:80]!r}")
    body = "\n".join(_unglue(p["text"]) for p in paragraphs if body_start <= p["doc_char_start"] < body_end)
    dates = _dates_in(body)
    if dates:
        date, surface = max(dates, key=lambda d: d[0])
        return ReferenceDate(date, "inferred", f"latest full date in the article body ({len(dates)} found): "
                                               f"{surface!r}")
    return ReferenceDate(None, "none", None)


def header_start_offset(lines: list[_Line], headline_start: int | None, body_start: int) -> int:
    """Where the article header begins: a few non-blank ``lines`` above the headline (or the body)."""
    anchor, count = ((headline_start, HEADER_LINES_ABOVE_HEADLINE) if headline_start is not None
                     else (body_start, HEADER_LINES_WITHOUT_HEADLINE))
    above = [line for line in lines if line.start < anchor and line.text.strip()]
    return above[-count].start if len(above) >= count else 0


def _header_stamp(header: list[_Line], body_start: int) -> ReferenceDate | None:
    """The article header's own stamp: publication label, dateline, dated short line, else update."""
    block = "\n".join(_unglue(line.text) for line in header)
    stamps = _page_stamps(block)
    for kind in ("published", "dateline"):
        chosen = next((s for s in stamps if s.kind == kind), None)
        if chosen is not None:
            return ReferenceDate(chosen.date, "in_text", f"{kind}: {chosen.evidence[:80]!r}")
    for line in reversed([line for line in header if line.start + len(line.text) < body_start]):
        dated = _short_dated_line(line.text)
        if dated is not None:
            return ReferenceDate(dated, "in_text", f"header: {line.text.strip()[:80]!r}")
    updated = [s for s in stamps if s.kind == "updated"]
    if updated:
        stamp = max(updated, key=lambda s: s.date)
        return ReferenceDate(stamp.date, "in_text", f"updated: {stamp.evidence[:80]!r}")
    return None


def _stamp_under_standfirst(paragraphs: list[dict], boilerplate: list[dict],
                            first_end: int) -> ReferenceDate | None:
    """A stamp among the removed lines between the first body paragraph (a standfirst) and the next one:
    ``Par Jeanne Martin - 14 juin 2023 à 06:15 | mis à jour ...`` printed under the standfirst."""
    next_start = min((p["doc_char_start"] for p in paragraphs if p["doc_char_start"] >= first_end),
                     default=None)
    for row in boilerplate:
        start = row["doc_char_start"]
        if start < first_end or (next_start is not None and start > next_start):
            continue
        line = " ".join(_unglue(row["text"]).split())
        stamps = _page_stamps(line)
        published = next((s for s in stamps if s.kind == "published"), None)
        if published is not None:
            return ReferenceDate(published.date, "in_text", f"published: {published.evidence[:80]!r}")
        dated = _short_dated_line(line, MAX_STAMP_UNIT_WORDS)
        if dated is not None:
            return ReferenceDate(dated, "in_text", f"header: {line[:80]!r}")
        updated = next((s for s in stamps if s.kind == "updated"), None)
        if updated is not None:
            return ReferenceDate(updated.date, "in_text", f"updated: {updated.evidence[:80]!r}")
    return None


def _short_dated_line(line: str, max_words: int = MAX_STAMP_LINE_WORDS) -> dt.date | None:
    """The first full date of a short, non-sentence header line (byline, kicker, timestamp)."""
    plain = _unglue(line).strip()
    if not plain or len(plain.split()) > max_words or SENTENCE_END.search(plain):
        return None
    dates = _dates_in(plain, short_years=True)
    return dates[0][0] if dates else None


def _unglue(line: str) -> str:
    """Separate a date glued to the word or the year before it (text dumps drop the spaces)."""
    return GLUED_YEAR.sub(r"\1 ", GLUED_LETTER_DIGIT.sub(" ", line))


def _lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    position = 0
    for number, line in enumerate(text.split("\n")):
        lines.append(_Line(number, position, line))
        position += len(line) + 1
    return lines
