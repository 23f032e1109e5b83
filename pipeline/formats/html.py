"""A saved web page -> its article's text and the page's metadata, with trafilatura (and htmldate).

trafilatura keeps the article's main text (standfirst, paragraphs, subheadings, lists, tables) and drops
what surrounds it: menus, cookie banners, bylines, tags, related-article teasers, comments, footers. Its
metadata gives the title, author, site name and canonical URL.

Two things are decided here rather than left to trafilatura:

- **The publication date** is read from the page's metadata only: the ``<head>`` (``article:published_time``,
  ``og:``/Dublin Core dates...), JSON-LD, ``itemprop="datePublished"`` elements and the page's URL; else
  the ``datetime`` attribute of the first ``<time>`` of the ``<article>`` (its byline's), outside asides,
  footers, menus, comments and teasers.
  trafilatura's own date falls back on any date printed in the page, which on a home page is a teaser's
  and on an article page may be the site header's "today"; a date printed in the text is left to the text
  rules of ingest, which know a byline from a teaser.
- **The headline** heads the text: trafilatura sometimes keeps the ``<h1>`` in the text and sometimes
  moves it to the metadata only; the reader sees it above the article, so it is put back as the first
  paragraph when it is missing.

Paragraphs are separated by a blank line, so the paragraph splitter never joins a subheading with the
paragraph under it. Nothing here touches the network: the markup is parsed from the string given.
"""

from __future__ import annotations

import copy
import datetime as dt
import re

import lxml.html
import trafilatura
from htmldate import find_date
from lxml.etree import ParserError

from pipeline.formats import HTML, MAX_PUBLISHED, MIN_PUBLISHED, Extracted, NoArticle, PageMetadata, TooLarge

# Tags that only occur in markup; a text opening with a document tag or dense in tags is a saved page.
HTML_TAG = re.compile(
    r"<\s*/?\s*(html|head|body|div|span|p|a|br|script|style|meta|link|table|tr|td|ul|li|img|section|article"
    r"|header|footer|nav|h[1-6])\b[^<>]{0,500}>", re.IGNORECASE)
HTML_START = re.compile(r"^\s*(<!doctype\s+html|<html\b|<\?xml)", re.IGNORECASE)
MIN_HTML_TAGS = 5
# An article has at least one paragraph of prose this long; a home page or a listing extracts to teaser
# lines (a headline, a one-sentence summary), a login wall to a sentence or two.
MIN_ARTICLE_PARAGRAPH_WORDS = 25
# htmldate takes its bounds as ISO strings: a page date outside them is a markup error.
MIN_DATE, MAX_DATE = MIN_PUBLISHED.isoformat(), MAX_PUBLISHED.isoformat()
# Where a page states its own date: the head, JSON-LD and schema.org microdata, never printed text.
METADATA_XPATH = (
    "//head/*[not(self::title)] | //meta | //link[@rel='canonical']"
    " | //script[@type='application/ld+json'] | //*[@itemprop='datePublished' or @itemprop='dateCreated']"
)
# Second, a page without such metadata: the machine-readable ``datetime`` of the first ``<time>`` of its
# article (the byline's, which trafilatura drops from the text), never one in an aside, a footer, a
# navigation block or comments (teasers and reader comments carry their own dates).
ARTICLE_TIME_XPATH = (
    "(//article//time[@datetime][not(ancestor::aside or ancestor::footer or ancestor::nav"
    " or ancestor::*[contains(@class, 'comment') or contains(@id, 'comment')"
    " or contains(@class, 'related') or contains(@class, 'teaser')])])[1]/@datetime"
)
ISO_DAY = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})")
WORD = re.compile(r"\w+")
# trafilatura's time grows faster than the page (a page of links: 200,000 take 77 s, 49,000 take 9 s,
# 20,000 take 2 s); an article page has a few thousand elements, so a page over this many is an archive or
# a dump and is not extracted. Inline SVG drawings (icons, charts) are not counted: they hold no text.
MAX_PAGE_ELEMENTS = 30_000
COUNTED_ELEMENTS = "count(//*[not(ancestor-or-self::svg)])"
# lxml refuses a ``str`` that declares its own encoding; the markup is already decoded.
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """True for a saved page: it opens with a document tag or holds several markup tags."""
    return bool(HTML_START.search(text)) or len(HTML_TAG.findall(text)) >= MIN_HTML_TAGS


def extract_article(markup: str) -> Extracted | NoArticle | TooLarge:
    """The article of a page (text, metadata, ``origin='html'``), or why the page holds none."""
    try:
        tree = lxml.html.document_fromstring(XML_DECLARATION.sub("", markup, count=1))
    except (ParserError, ValueError) as err:
        return NoArticle(f"The page cannot be parsed as HTML ({err}).")
    elements = int(tree.xpath(COUNTED_ELEMENTS))
    if elements > MAX_PAGE_ELEMENTS:
        return TooLarge(f"The page has {elements:,} HTML elements, over the {MAX_PAGE_ELEMENTS:,}-element "
                        "limit for one page (an archive or a data dump, not an article page).")
    page = trafilatura.bare_extraction(tree, with_metadata=True, include_comments=False,
                                       include_tables=True, date_extraction_params=_date_params(None))
    if page is None or not (page.text or "").strip():
        return NoArticle("trafilatura found no main text in the page (a home page, a listing, a login wall "
                         "or an empty page).")
    lines = [line.strip() for line in page.text.split("\n") if line.strip()]
    longest = max(len(WORD.findall(line)) for line in lines)
    if longest < MIN_ARTICLE_PARAGRAPH_WORDS:
        return NoArticle(f"The page's main text is {len(lines)} short line(s), the longest of {longest} "
                         f"words (an article has a paragraph of at least {MIN_ARTICLE_PARAGRAPH_WORDS}): a "
                         "home page, a listing or a login wall, not an article.")
    metadata = PageMetadata(title=_clean(page.title), author=_clean(page.author),
                            site_name=_clean(page.sitename), url=_clean(page.url),
                            published_at=metadata_date(tree, _clean(page.url)))
    return Extracted(with_headline(lines, metadata.title), metadata, HTML)


def with_headline(lines: list[str], title: str | None) -> str:
    """The article's paragraphs separated by blank lines, headed by ``title`` unless it is already the
    first line."""
    if title and (not lines or _key(lines[0]) != _key(title)):
        lines = [title, *lines]
    return "\n\n".join(lines)


def metadata_date(tree: lxml.html.HtmlElement, url: str | None) -> dt.date | None:
    """The publication date the page's metadata states (see the module docstring), or None."""
    head = lxml.html.Element("html")
    holder = lxml.html.Element("head")
    head.append(holder)
    for element in tree.xpath(METADATA_XPATH):
        clone = copy.deepcopy(element)
        clone.tail = None
        holder.append(clone)
    found = find_date(head, **_date_params(url))
    return dt.date.fromisoformat(found) if found else article_time(tree)


def article_time(tree: lxml.html.HtmlElement) -> dt.date | None:
    """The day of the first ``<time datetime>`` of the page's article (see :data:`ARTICLE_TIME_XPATH`)."""
    for value in tree.xpath(ARTICLE_TIME_XPATH):
        match = ISO_DAY.match(str(value))
        try:
            day = dt.date.fromisoformat(match.group(1)) if match else None
        except ValueError:
            return None
        if day is not None and MIN_PUBLISHED <= day <= MAX_PUBLISHED:
            return day
    return None


def _date_params(url: str | None) -> dict:
    """htmldate's options: the original (publication) date, no search in the text, fixed bounds."""
    return {"original_date": True, "extensive_search": False, "min_date": MIN_DATE, "max_date": MAX_DATE,
            "url": url}


def _clean(value: str | None) -> str | None:
    value = " ".join(value.split()) if value else None
    return value or None


def _key(line: str) -> str:
    return " ".join(WORD.findall(line.casefold()))
