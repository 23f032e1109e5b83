"""One article -> its ``documents`` row (or why not) and its ``rejected_documents`` rows, whatever its
format: a file's bytes are decoded (a page's article extracted), a JSON Lines record's field is taken;
then the same checks, and the metadata given beside the text (a sidecar, or the record's own fields) wins
over what the page says about itself."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from lingua import LanguageDetector

from pipeline.formats import HTML, JSONL, TEXT, NoArticle, PageMetadata, TooLarge
from pipeline.formats.html import extract_article, looks_like_html
from pipeline.formats.jsonl import Record
from pipeline.ingest.content import PrefetchedLanguages, check_content
from pipeline.ingest.decoding import (
    MAX_ARTICLE_CHARS,
    Decoded,
    canonicalise,
    decode_bytes,
    finish_text,
    repair_mojibake,
    too_long,
)
from pipeline.ingest.listing import HTML_SUFFIXES, file_size
from pipeline.ingest.rejections import Rejection, attempt, rejected_row
from pipeline.ingest.sidecars import (
    Sidecar,
    SidecarFile,
    read_sidecar,
    sidecar_fields,
    sidecar_metadata,
    sidecar_path,
)
from pipeline.reference_date import reference_date_from_text

PAGE_DATE_EVIDENCE = "publication date in the page's metadata (htmldate)"
RECORD_DATE_EVIDENCE = "published_at field of its JSON Lines record"


@dataclass(frozen=True)
class Article:
    """An input's text ready for the checks, with the metadata its format carried and that format
    (``documents.source_format``)."""

    decoded: Decoded
    page: PageMetadata
    source_format: str


@dataclass(frozen=True)
class Candidate:
    """One article to read: a file (``record`` None) or one line of a JSON Lines file; ``raw`` is the
    file's or the line's bytes, or why they cannot be had; ``key`` its ingest-cache key (None: never
    cached); ``sidecar`` a file's sidecar as read for that key (None: not read yet)."""

    doc_id: str
    path: Path
    raw: bytes | Rejection
    key: str | None
    record: Record | None = None
    sidecar: SidecarFile | None = None


@dataclass(frozen=True)
class Given:
    """Metadata given beside the text (a sidecar, a record's fields), where its date was read (for
    ``reference_date_evidence``), and the ``rejected_documents`` rows of its bad fields."""

    fields: Sidecar
    date_evidence: str
    problems: list[dict]


def prepare(path: Path, raw: bytes, record: Record | None = None) -> Article | Rejection:
    """The text of one article ready for the checks: a file's bytes decoded (and, for a page, its
    article extracted), or a JSON Lines record's ``text`` or ``html`` field."""
    if record is not None:
        return prepare_record(record)
    is_page = path.name.lower().endswith(HTML_SUFFIXES)
    decoded = decode_bytes(raw, max_chars=None)
    if isinstance(decoded, Rejection):
        return decoded
    if is_page or looks_like_html(decoded.text):
        return article_from_html(decoded)
    if len(decoded.text) > MAX_ARTICLE_CHARS:
        return too_long(decoded.text)
    return Article(decoded, PageMetadata(), TEXT)


def prepare_record(record: Record) -> Article | Rejection:
    """A JSON Lines record's article: its ``text`` field, or the article extracted from its ``html``."""
    if record.text is not None:
        decoded = finish_text(repair_mojibake(Decoded(record.text, "utf-8")))
        return decoded if isinstance(decoded, Rejection) else Article(decoded, PageMetadata(), JSONL)
    decoded = finish_text(Decoded(record.html or "", "utf-8"), max_chars=None)
    article = decoded if isinstance(decoded, Rejection) else article_from_html(decoded)
    return article if isinstance(article, Rejection) else Article(article.decoded, article.page, JSONL)


def article_from_html(markup: Decoded) -> Article | Rejection:
    """The article of a decoded page (see :mod:`pipeline.formats.html`), canonical, or ``no_article``."""
    extracted = extract_article(markup.text)
    if isinstance(extracted, NoArticle):
        return Rejection("no_article", extracted.detail)
    if isinstance(extracted, TooLarge):
        return Rejection("too_large", extracted.detail)
    text = canonicalise(extracted.text)
    if len(text) > MAX_ARTICLE_CHARS:
        return too_long(text)
    return Article(Decoded(text, markup.encoding, markup.notes), extracted.metadata, HTML)


def read_candidate(candidate: Candidate, prepared: Article | Rejection | None,
                   detector: LanguageDetector | PrefetchedLanguages,
                   root: Path) -> tuple[dict | None, list[dict]]:
    """The document row (None if rejected) and rejection rows of one article that is not cached; an
    unexpected exception is an ``ingest_error`` row for it alone."""
    path, doc_id, raw = candidate.path, candidate.doc_id, candidate.raw
    if isinstance(raw, Rejection):
        return None, [rejected_row(doc_id, path, raw, file_size(path, root))]
    result = attempt(read_document, candidate, raw, detector, prepared, root)
    if isinstance(result, Rejection):
        size = file_size(path, root) if candidate.record is None else len(raw)
        result = None, [rejected_row(doc_id, path, result, size)]
    return result


def read_document(candidate: Candidate, raw: bytes, detector: LanguageDetector | PrefetchedLanguages,
                  prepared: Article | Rejection | None = None,
                  root: Path | None = None) -> tuple[dict | None, list[dict]]:
    """The ``documents`` row of one article (None if rejected) and its ``rejected_documents`` rows: decode
    and extract (unless ``prepared`` is given), check, then take the metadata given beside the text."""
    path, doc_id = candidate.path, candidate.doc_id
    article = prepare(path, raw, candidate.record) if prepared is None else prepared
    if isinstance(article, Rejection):
        return None, [rejected_row(doc_id, path, article, len(raw))]
    language, rejection = check_content(article.decoded.text, detector)
    if rejection is not None:
        return None, [rejected_row(doc_id, path, rejection, len(raw))]
    given = given_metadata(candidate, raw, root)
    return document_row(doc_id, path, raw, article, language, given), given.problems


def given_metadata(candidate: Candidate, raw: bytes, root: Path | None) -> Given:
    """A record's own fields (a bad one is a ``bad_field`` row), or a file's sidecar (a bad one is a
    ``bad_sidecar`` row, not read through a link leaving ``root``); the article is kept either way."""
    doc_id, path = candidate.doc_id, candidate.path
    if candidate.record is not None:
        fields, problems = sidecar_fields(candidate.record.fields)
        rows = [rejected_row(doc_id, path, Rejection("bad_field", f"The record's {problem}; the article is "
                                                     "processed without it."), len(raw))
                for problem in problems]
        return Given(fields, RECORD_DATE_EVIDENCE, rows)
    sidecar = candidate.sidecar or read_sidecar(sidecar_path(path), root)
    found, problems = sidecar_metadata(sidecar)
    meta_path = sidecar.path
    rows = [rejected_row(doc_id, meta_path, Rejection("bad_sidecar", f"{meta_path.name} {problem}; the "
                                                      "article is processed without it."),
                         file_size(meta_path, root))
            for problem in problems]
    return Given(found or Sidecar(), f"published_at in {meta_path.name}", rows)


def document_row(doc_id: str, path: Path, raw: bytes, article: Article, language: str | None,
                 given: Given) -> dict:
    """The ``documents`` row: metadata given beside the text (sidecar, record fields) wins over the
    page's; the reference date is the given date, else the page's metadata date, else the text rules."""
    page, text, fields = article.page, article.decoded.text, given.fields
    if fields.published_at is not None:
        ref_date, basis, evidence = fields.published_at, "sidecar", given.date_evidence
    elif page.published_at is not None:
        ref_date, basis, evidence = page.published_at, "html_metadata", PAGE_DATE_EVIDENCE
    else:
        ref_date, basis, evidence = reference_date_from_text(text)
    return {
        "doc_id": doc_id, "source_path": str(path), "text": text, "n_chars": len(text),
        "content_sha256": hashlib.sha256(raw).hexdigest(), "encoding": article.decoded.encoding,
        "decode_notes": article.decoded.notes, "language": language,
        "title": fields.title or page.title, "url": fields.url or page.url,
        "source": fields.source or page.site_name, "published_at": fields.published_at or page.published_at,
        "reference_date": ref_date, "reference_date_basis": basis, "reference_date_evidence": evidence,
        "source_format": article.source_format,
    }
