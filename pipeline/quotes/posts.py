"""Detection of embedded social-media posts from their signature line ``– Name (@handle) date``, with the
post's date.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable

from pipeline.french import ENGLISH_MONTHS
from pipeline.french import MONTHS as FRENCH_MONTHS
from pipeline.french.posts import AUTHORED_SIGNATURE
from pipeline.quotes.export import QuoteRows
from pipeline.quotes.records import _Post
from pipeline.quotes.textutil import _clean, _has_words, _overlaps_any
from pipeline.quotes.words import POST_MAX_CHARS


def _find_posts(rows: QuoteRows) -> list[_Post]:
    """Embedded posts: lines above a signature ``– Name (@handle) date``, up to the previous paragraph."""
    text = rows.layout.source
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*", text) if m.end() > m.start()]
    content = [(pp.doc_char_start, pp.doc_char_end) for pp in rows.layout.paras]
    posts = []
    for li, (ls, le) in enumerate(lines):
        sig = AUTHORED_SIGNATURE.search(text, ls, le)
        if sig is None or not _overlaps_any(ls, le, content):
            continue
        body = _post_body(text, lines, li, sig.start(), content, sig.group("name"),
                          lambda start, end: _narrates(rows, start, end))
        if body is None:
            continue
        start, end = body
        posts.append(_Post(start, end, _clean(text[start:end]), _clean(sig.group("name")),
                           (sig.start("name"), sig.end("name")), _parse_date(sig.group("date"))))
    return posts


def _post_body(text: str, lines: list[tuple[int, int]], li: int, dash: int, content: list[tuple[int, int]],
               author: str, narrates: Callable[[int, int], bool]) -> tuple[int, int] | None:
    """Document span of the post whose signature dash is at ``dash`` on line ``li``."""
    ls, _ = lines[li]
    end = dash
    while end > ls and text[end - 1].isspace():
        end -= 1
    start = ls if end > ls else None
    total = end - ls if start is not None else 0
    author_words = {w.lower() for w in re.findall(r"\w{3,}", author)}
    for ps, pe in reversed(lines[:li]):
        line = text[ps:pe].strip()
        if not line:
            continue
        if AUTHORED_SIGNATURE.search(text, ps, pe) or not _overlaps_any(ps, pe, content):
            break
        if start is not None:
            words = {w.lower() for w in re.findall(r"\w{3,}", line)}
            if line.endswith(":") or words & author_words or total + len(line) > POST_MAX_CHARS \
                    or narrates(ps, pe):
                break
        elif line.endswith(":"):
            break
        if start is None:
            end = pe
            while end > ps and text[end - 1].isspace():
                end -= 1
        start, total = ps, total + len(line)
    if start is None:
        return None
    while start < end and text[start].isspace():
        start += 1
    return (start, end) if _has_words(text[start:end]) else None


def _narrates(rows: QuoteRows, start: int, end: int) -> bool:
    """Article prose about someone speaking ("Le club a réagi sur X."), which a post line is not: a verb
    of saying in ``[start, end)`` (a ``speech_cue`` row) whose subject is a third person."""
    verbs = rows.third_person_verbs
    at = bisect.bisect_left(verbs, start)
    return at < len(verbs) and verbs[at] < end


def _parse_date(raw: str) -> str | None:
    """ISO date of a signature date: ``18 novembre 2023``, ``1er mars 2024``, ``November 18, 2023``."""
    low = raw.lower().strip()
    m = re.search(r"(\d{1,2})(?:er)?\s+([a-zéûè]+)\s+(\d{4})", low)
    if m and m.group(2) in FRENCH_MONTHS | ENGLISH_MONTHS:
        return _iso(int(m.group(3)), (FRENCH_MONTHS | ENGLISH_MONTHS)[m.group(2)], int(m.group(1)))
    m = re.search(r"([a-z]+)\s+(\d{1,2}),?\s+(\d{4})", low)
    if m and m.group(1) in ENGLISH_MONTHS:
        return _iso(int(m.group(3)), ENGLISH_MONTHS[m.group(1)], int(m.group(2)))
    m = re.search(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", low)
    if m:
        return _iso(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
