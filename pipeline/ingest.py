"""Files in ``SEEDS_DIR`` -> ``documents`` / ``rejected_documents``.

Every file whose name ends in ``.txt``, ``.html``, ``.htm`` or ``.jsonl`` (any case: ``.TXT``, ``.Html``)
is read as bytes, decoded safely, canonicalised once (the canonical text is ``documents.text``, the string
every offset in the warehouse refers to), checked, and either kept or recorded in ``rejected_documents``
with a machine ``reason`` code and a human ``detail`` sentence. A bad file never raises, never hangs and
never stops the others.

Formats (``documents.source_format``; the readers live in :mod:`pipeline.formats`):

- ``text``: a ``.txt`` file is the article.
- ``html``: a ``.html``/``.htm`` file, or a ``.txt`` holding HTML, is a saved page: its article is
  extracted (trafilatura) and the page's metadata fills ``title``, ``url``, ``source`` (site name) and
  ``published_at`` where the sidecar does not; the page's metadata date is the reference date
  (``html_metadata``) unless the sidecar gives one. A page without an article is ``no_article``.
- ``jsonl``: each line of a ``.jsonl`` file is one article (see :mod:`pipeline.formats.jsonl`);
  ``doc_id`` is its ``id``, else ``<file id>:<line number>``; its own fields play the sidecar's part
  (``bad_field`` for a bad one). A bad line is one row (``invalid_json``, ``no_text``, ``duplicate_id``,
  ``bad_id``, ``undecodable``, ``too_large``) whose detail starts with its line number; the other lines
  are read. ``content_sha256`` is the hash of the line's bytes, so editing one line changes one article.

What is read:

- Only regular files. A FIFO, socket, device or folder named ``*.txt`` is ``unreadable`` (it is never
  opened for reading, so a named pipe cannot block the run).
- Symbolic links are followed only when their resolved target lies inside ``SEEDS_DIR``; a link leading
  outside (even a broken one) is ``symlink_outside`` and its target is not opened, so a link cannot
  publish a file from elsewhere on the machine. A broken link inside, or a loop, is ``unreadable``. The
  same rule applies to sidecars (a sidecar outside is a ``bad_sidecar`` problem). Links to folders are
  never descended into: a folder inside ``SEEDS_DIR`` is listed through its real path, one outside is not
  part of the corpus.
- The sidecar of ``<stem>.txt`` is ``<stem>.meta.json`` (lower case); when that name cannot exist (over
  the file system's name limit) the article simply has no sidecar.

Rejection reasons: ``unreadable``, ``symlink_outside``, ``too_large`` (over ``max_bytes``), ``empty``,
``whitespace_only``, ``binary``, ``undecodable``, ``too_long`` (article text over
:data:`MAX_ARTICLE_CHARS`), ``no_article`` (no article text, or only a teaser once the page chrome is
removed), ``paywall_stub`` (a teaser and a subscription notice), ``html`` (markup left after
extraction), ``too_short``,
``no_sentences``, ``not_french``, ``duplicate_id`` and the other JSON Lines reasons, ``ingest_error``
(an unexpected exception on this one file; the detail names it); sidecar problems: ``bad_sidecar`` (the
article is still kept) and ``orphan_sidecar`` (a ``.meta.json`` without its ``.txt``).

Repairs noted in ``decode_notes``: byte-order mark removed, mojibake repaired, encoding detected,
control characters (NUL...) removed, a few invalid UTF-8 sequences replaced with U+FFFD.
"""

from __future__ import annotations

import codecs
import datetime as dt
import errno
import hashlib
import importlib.metadata
import json
import os
import re
import stat
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import charset_normalizer
import ftfy
import polars as pl
from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from pipeline.cache import SegmentCache, namespace, text_key
from pipeline.formats import HTML, JSONL, TEXT, NoArticle, PageMetadata, TooLarge
from pipeline.formats.html import HTML_TAG, extract_article, looks_like_html
from pipeline.formats.jsonl import BadLine, Record, read_records
from pipeline.paragraphs import is_stub
from pipeline.reference_date import reference_date_from_text
from pipeline.schemas import empty_frame
from pipeline.versions import stage_version

ARTICLE_SUFFIX = ".txt"  # suffixes are matched case-insensitively
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIX = ".jsonl"
ARTICLE_SUFFIXES = (ARTICLE_SUFFIX, *HTML_SUFFIXES, JSONL_SUFFIX)
# A JSON Lines file holds many articles: it may be larger than one article file (each of its lines is
# still held to the per-article byte limit).
MAX_JSONL_BYTES = 500_000_000
SIDECAR_SUFFIX = ".meta.json"
T = TypeVar("T")
# A sidecar holds a few short fields; a larger file is a mistake and is not parsed.
MAX_SIDECAR_BYTES = 1_000_000
# spaCy's own ``nlp.max_length`` default; a long press article is under 100,000 characters, so a text over
# this is an export of many articles or a data dump, and would cost the parser gigabytes.
MAX_ARTICLE_CHARS = 1_000_000
# Sidecar dates outside this range are typing or export errors (``0001-01-01``, ``9999-12-31``) and would
# overflow date arithmetic downstream. Fixed bounds, not "today + n", so a result never depends on the
# day it was computed (the ingest cache stores it).
MIN_PUBLISHED = dt.date(1800, 1, 1)
MAX_PUBLISHED = dt.date(2100, 12, 31)
PAGE_DATE_EVIDENCE = "publication date in the page's metadata (htmldate)"
# UTF-8 with a few invalid bytes (a truncated copy, one byte of another encoding) is repaired with U+FFFD
# rather than lost: at most this many invalid sequences, or 0.1 % of the bytes if more...
MAX_INVALID_UTF8 = 10
# ...and at least this many valid non-ASCII characters per invalid sequence. A Western single-byte file
# (cp1252, latin-1) has no valid multi-byte sequences and an invalid one at every accented letter, so it
# never passes and goes on to charset detection.
MIN_VALID_PER_INVALID_UTF8 = 10
FILE_KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket",
              stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device"}

# Single-byte encodings a French text file without BOM plausibly uses (Windows, ISO, old Mac, DOS).
# charset-normalizer chooses among them from the bytes; restricting the candidates keeps short French
# texts from being read as Central European or Asian code pages.
WESTERN_ENCODINGS = ["cp1252", "iso8859_15", "latin_1", "mac_roman", "cp850"]
# BOMs, longest first (the UTF-32-LE BOM starts with the UTF-16-LE one).
BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
]
# Invisible characters removed at canonicalisation: zero-width space/joiners, word joiner, BOM used as
# ZWNBSP, soft hyphen. None of them carries meaning in French prose and they break token matching.
INVISIBLE_CHARS = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# Control characters allowed in text (everything else in Unicode category Cc counts as binary noise).
ALLOWED_CONTROLS = set("\n\r\t\f")
# Unicode category Cc (U+0000-U+001F, U+007F-U+009F) minus the allowed ones; a regex, not a loop per char.
_CC = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]]
CONTROL_CHARS = re.compile("[" + "".join(re.escape(c) for c in _CC if c not in ALLOWED_CONTROLS) + "]")
MAX_CONTROL_RATIO = 0.01
# Languages the detector chooses between: French plus the European languages a French press corpus
# most often receives by mistake (wire copy, syndicated feeds).
CANDIDATE_LANGUAGES = [Language.FRENCH, Language.ENGLISH, Language.GERMAN, Language.SPANISH,
                       Language.ITALIAN, Language.PORTUGUESE, Language.DUTCH]
LANGUAGE_SAMPLE_CHARS = 3000
MIN_WORDS = 30  # below this an article has too little text for any extraction to be meaningful
# What a page that is no article says about itself (pipeline/paragraphs.py ``is_stub`` decides which).
STUB_DETAILS = {
    "paywall_stub": "Once the page chrome is removed, at most a teaser of article text is left and the page "
                    "says the rest is for subscribers.",
    "no_article": "Once the page chrome is removed, at most a teaser of article text is left: a section "
                  "front, an error or a video page, not an article.",
}
# Prose breaks a sentence or a line every few hundred characters; a 20,000-character stretch without
# either is a data dump, a minified file or a corrupted export, and would only feed the parser noise.
MAX_UNPUNCTUATED_CHARS = 20_000
SENTENCE_BREAK = re.compile(r"[.!?;:…\n]")


@dataclass(frozen=True)
class Decoded:
    """Canonical text of a file and how it was obtained."""

    text: str
    encoding: str
    notes: str | None = None


@dataclass(frozen=True)
class Rejection:
    """Why a file (or its sidecar) cannot be used: a machine code and a sentence for people."""

    reason: str
    detail: str


@dataclass(frozen=True)
class Sidecar:
    """Metadata from ``<name>.meta.json``; only the fields that parsed cleanly are set."""

    published_at: dt.date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None


# ------------------------------------------------------------------------------------------ decoding


def decode_bytes(raw: bytes, max_chars: int | None = MAX_ARTICLE_CHARS) -> Decoded | Rejection:
    """Decode raw file bytes to canonical text, or say why they are not text.

    Order: BOM (UTF-8/16/32), strict UTF-8 (then ftfy repairs UTF-8 read twice as cp1252), UTF-8 with a
    few invalid sequences replaced, UTF-16 without BOM, then a Western single-byte encoding detected by
    charset-normalizer. Control characters are removed if rare, the file is ``binary`` if they are not.
    ``max_chars`` None: no length limit (markup, whose article text is measured after extraction).
    """
    if not raw:
        return Rejection("empty", "The file is empty (0 bytes).")
    decoded = _decode_with_bom(raw) or _decode_utf8(raw) or _decode_utf8_lenient(raw)
    if decoded is None and b"\x00" in raw:
        decoded = _decode_detected(raw, ["utf_16_le", "utf_16_be"])
        if decoded is None:
            return Rejection("binary", f"The file contains {raw.count(0)} NUL bytes: binary data, not text.")
    if decoded is None:
        decoded = _decode_detected(raw, WESTERN_ENCODINGS)
    if decoded is None:
        return Rejection("undecodable", "The bytes are neither UTF-8 nor a Western single-byte encoding "
                                        "that charset-normalizer recognises.")
    return finish_text(decoded, max_chars)


def finish_text(decoded: Decoded, max_chars: int | None = MAX_ARTICLE_CHARS) -> Decoded | Rejection:
    """Decoded text made canonical: control characters removed if rare (``binary`` if not), then
    ``whitespace_only`` and ``too_long`` (over ``max_chars``; None: no limit, for markup)."""
    controls = len(CONTROL_CHARS.findall(decoded.text))
    ratio = controls / len(decoded.text) if decoded.text else 0.0
    if ratio > MAX_CONTROL_RATIO:
        return Rejection("binary", f"{ratio:.0%} of the decoded characters are control characters: "
                                   "binary data, not text.")
    text = canonicalise(decoded.text)
    if not text.strip():
        return Rejection("whitespace_only", "The file holds only whitespace.")
    if max_chars is not None and len(text) > max_chars:
        return too_long(text, max_chars)
    removed = f"{controls} control character{'s' * (controls > 1)} removed" if controls else None
    return Decoded(text, decoded.encoding, _join_notes(decoded.notes, removed))


def too_long(text: str, max_chars: int = MAX_ARTICLE_CHARS) -> Rejection:
    return Rejection("too_long", f"The decoded text is {len(text):,} characters, over the "
                                 f"{max_chars:,}-character limit for one article.")


def _join_notes(*notes: str | None) -> str | None:
    return "; ".join(note for note in notes if note) or None


def _decode_with_bom(raw: bytes) -> Decoded | None:
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            try:
                text = raw[len(bom):].decode(encoding.replace("-sig", ""))
            except UnicodeDecodeError:
                return None
            return repair_mojibake(Decoded(text, encoding, "byte-order mark removed"))
    return None


def _decode_utf8(raw: bytes) -> Decoded | None:
    try:
        return repair_mojibake(Decoded(raw.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        return None


def _decode_utf8_lenient(raw: bytes) -> Decoded | None:
    """UTF-8 with a few invalid byte sequences, each replaced with U+FFFD; None unless the rest is clearly
    UTF-8 (see :data:`MAX_INVALID_UTF8` and :data:`MIN_VALID_PER_INVALID_UTF8`)."""
    text = raw.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - raw.count("\ufffd".encode())
    ascii_bytes = len(raw) - len(raw.translate(None, bytes(range(128))))  # each is one character
    valid_non_ascii = len(text) - ascii_bytes - text.count("\ufffd")
    too_many = invalid > max(MAX_INVALID_UTF8, len(raw) // 1000)
    if too_many or valid_non_ascii < MIN_VALID_PER_INVALID_UTF8 * invalid:
        return None
    note = f"{invalid} invalid UTF-8 byte sequence{'s' * (invalid > 1)} replaced with U+FFFD"
    return repair_mojibake(Decoded(text, "utf-8", note))


def repair_mojibake(decoded: Decoded) -> Decoded:
    """Undo UTF-8 that was once decoded as cp1252/latin-1 (``Ã©`` for ``é``), noting the repair."""
    fixed, steps = ftfy.fix_encoding_and_explain(decoded.text)
    if fixed == decoded.text or not steps:
        return decoded
    how = ", ".join(f"{action} {param}" for action, param in steps)
    return Decoded(fixed, decoded.encoding, _join_notes(decoded.notes, f"mojibake repaired by ftfy ({how})"))


def _decode_detected(raw: bytes, candidates: list[str]) -> Decoded | None:
    best = charset_normalizer.from_bytes(raw, cp_isolation=candidates).best()
    if best is None:
        return None
    return Decoded(str(best), best.encoding, f"encoding detected by charset-normalizer ({best.encoding})")


def canonicalise(text: str) -> str:
    """The one canonical form: no BOM, ``\\n`` line ends, no invisible or control characters (NUL...),
    Unicode NFC."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = CONTROL_CHARS.sub("", text.translate(INVISIBLE_CHARS))  # before NFC: they block composition
    return unicodedata.normalize("NFC", text)


# ------------------------------------------------------------------------------------------ content checks


def check_content(text: str, detector: LanguageDetector) -> tuple[str | None, Rejection | None]:
    """(language code, rejection) for decoded canonical text: HTML, too short, not French, a paywall stub or a
    page without an article (once the page chrome is removed, at most a teaser is left)."""
    if looks_like_html(text):
        tags = len(HTML_TAG.findall(text))
        return None, Rejection("html", f"The text is HTML markup ({tags} tags found) from which no article "
                                       "text could be read.")
    words = len(re.findall(r"\w+", text))
    if words < MIN_WORDS:
        return None, Rejection("too_short", f"Only {words} words of text (at least {MIN_WORDS} needed).")
    run = longest_unpunctuated_run(text)
    if run > MAX_UNPUNCTUATED_CHARS:
        return None, Rejection("no_sentences", f"A stretch of {run:,} characters has no sentence punctuation "
                                               "or line break: this is not article prose.")
    language = detect_language(text, detector)
    if language != "fr":
        what = "could not be determined" if language is None else f"looks like {language!r}"
        return language, Rejection("not_french", f"The language {what}; only French articles are processed.")
    stub = is_stub(text)
    if stub is not None:
        return language, Rejection(stub, STUB_DETAILS[stub])
    return language, None


def longest_unpunctuated_run(text: str) -> int:
    """Length of the longest stretch of ``text`` without sentence punctuation or a line break."""
    longest = previous = 0
    for match in SENTENCE_BREAK.finditer(text):
        longest = max(longest, match.start() - previous)
        previous = match.end()
    return max(longest, len(text) - previous)


def build_language_detector() -> LanguageDetector:
    """The detector, restricted to :data:`CANDIDATE_LANGUAGES` (build once per corpus, it is costly)."""
    return LanguageDetectorBuilder.from_languages(*CANDIDATE_LANGUAGES).build()


def detect_language(text: str, detector: LanguageDetector | None = None) -> str | None:
    """ISO 639-1 code of the text's language, judged on its longest lines (prose, not menus)."""
    detector = detector or build_language_detector()
    language = detector.detect_language_of(language_sample(text))
    return None if language is None else language.iso_code_639_1.name.lower()


class PrefetchedLanguages:
    """A detector that has already judged many texts at once, on every core (lingua's parallel API).

    Language detection was the largest cost of reading a new article; one batch over the new articles
    of a run halves it on two cores. Texts it has not seen go to the wrapped detector.
    """

    def __init__(self, detector: LanguageDetector, texts: list[str]):
        samples = [language_sample(text) for text in texts]
        self._detector = detector
        self._known = dict(zip(samples, detector.detect_languages_in_parallel_of(samples), strict=True))

    def detect_language_of(self, sample: str) -> Language | None:
        if sample in self._known:
            return self._known[sample]
        return self._detector.detect_language_of(sample)


def language_sample(text: str, limit: int = LANGUAGE_SAMPLE_CHARS) -> str:
    """The longest lines up to ``limit`` characters: page chrome is short, article prose is long."""
    sample: list[str] = []
    size = 0
    for line in sorted(text.split("\n"), key=len, reverse=True):
        if size >= limit or not line.strip():
            break
        sample.append(line[: limit - size])
        size += len(sample[-1])
    return "\n".join(sample)


# ------------------------------------------------------------------------------------------ sidecars


def sidecar_path(txt_path: Path) -> Path:
    """``dir/name.txt`` (or ``name.TXT``, ``name.html``) -> ``dir/name.meta.json``."""
    return txt_path.with_name(txt_path.stem + SIDECAR_SUFFIX)


def read_sidecar_bytes(path: Path, root: Path | None = None) -> tuple[bytes | None, str | None]:
    """(bytes, problem) of the sidecar at ``path``: (None, None) when there is none, including when the
    name is too long to exist; (None, problem) when it cannot be used (see :func:`read_limited`)."""
    try:
        path.lstat()
    except FileNotFoundError:
        return None, None
    except OSError as err:
        if err.errno == errno.ENAMETOOLONG:
            return None, None
    result = _read_checked(path, MAX_SIDECAR_BYTES, root)
    return (result, None) if isinstance(result, bytes) else (None, result[1])


def read_sidecar(path: Path, root: Path | None = None) -> tuple[Sidecar | None, list[str]]:
    """The sidecar beside an article (None if there is none) and the problems found in it."""
    raw, problem = read_sidecar_bytes(path, root)
    if raw is None:
        return None, [problem] if problem else []
    try:
        return parse_sidecar(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, ["is not UTF-8 text"]


def parse_sidecar(raw: str) -> tuple[Sidecar | None, list[str]]:
    """Sidecar fields from JSON text; a malformed file gives None, a bad field is dropped and reported."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        return None, [f"is not valid JSON ({err.msg} at line {err.lineno} column {err.colno})"]
    except RecursionError:
        return None, ["is nested too deeply to be parsed (arrays or objects inside each other)"]
    except ValueError as err:  # e.g. an integer over Python's digit limit
        return None, [f"cannot be parsed as JSON ({_shorten(str(err))})"]
    if not isinstance(data, dict):
        return None, [f"holds a JSON {type(data).__name__}, not an object"]
    return sidecar_fields(data)


def sidecar_fields(data: dict) -> tuple[Sidecar, list[str]]:
    """The metadata fields of a sidecar's (or a JSON Lines record's) object; a bad field is dropped and
    reported."""
    problems: list[str] = []
    fields: dict[str, str | None] = {}
    for name in ("title", "url", "source"):
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            problems.append(f"field {name!r} is not a string ({_shorten(repr(value))})")
            value = None
        elif value is not None and not _utf8(value):  # JSON may escape a lone surrogate ("\\ud800")
            problems.append(f"field {name!r} holds an escaped character that is not Unicode text")
            value = None
        fields[name] = (value.strip() or None) if isinstance(value, str) else None
    published_at = None
    if data.get("published_at") is not None:
        published_at = parse_iso_date(data["published_at"])
        if published_at is None:
            problems.append(f"published_at {_shorten(repr(data['published_at']))} is not an ISO date "
                            "or datetime")
        elif not MIN_PUBLISHED <= published_at <= MAX_PUBLISHED:
            problems.append(f"published_at {data['published_at']!r} is out of range ({MIN_PUBLISHED} to "
                            f"{MAX_PUBLISHED})")
            published_at = None
    return Sidecar(published_at, **fields), problems


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_iso_date(value: object) -> dt.date | None:
    """The date of an ISO 8601 date or datetime string (``2023-11-20``, ``2023-11-20T08:15:00Z``)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        return None


# ------------------------------------------------------------------------------------------ listing


@dataclass(frozen=True)
class Listing:
    """What ``SEEDS_DIR`` holds: article and sidecar paths (sorted) and the folders that could not be
    listed (their articles would otherwise be lost without a word)."""

    articles: list[Path]
    sidecars: list[Path]
    unlistable: list[OSError]


def list_inputs(root: Path) -> Listing:
    """Every article file (``*.txt``, ``*.html``, ``*.htm``, ``*.jsonl``, any case) and ``*.meta.json``
    under ``root``; links to folders are not descended
    (one inside ``root`` is listed through its real path, one outside is not part of the corpus).

    ``root`` itself must be a folder: a missing or mistyped ``SEEDS_DIR`` is an error, never an empty
    corpus that would publish an empty warehouse. The walk keeps its own stack (``os.walk`` recurses once
    per level and a folder nested a thousand deep exhausted it). A name that is not valid UTF-8 cannot be
    stored in any table: it is reported as an unlistable entry, with its bytes escaped.
    """
    if not root.is_dir():
        what = "does not exist" if not root.exists() else "is not a folder"
        raise NotADirectoryError(errno.ENOTDIR, f"the input folder SEEDS_DIR {what}", str(root))
    articles: list[Path] = []
    sidecars: list[Path] = []
    unlistable: list[OSError] = []
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as entries:
                found = list(entries)
        except OSError as err:
            unlistable.append(err)
            continue
        for entry in found:
            if not _utf8(entry.name):
                unlistable.append(OSError(errno.EILSEQ, "name not UTF-8", _printable(entry.path)))
                continue
            name = entry.name.lower()
            if name.endswith(ARTICLE_SUFFIXES):
                articles.append(Path(entry.path))
            elif name.endswith(SIDECAR_SUFFIX):  # any case, so a misnamed one is reported
                sidecars.append(Path(entry.path))
            elif entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))
    return Listing(sorted(articles), sorted(sidecars), unlistable)


def _utf8(name: str) -> bool:
    """Whether a file name (decoded by Python with surrogate escapes) is valid UTF-8."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _printable(path: str) -> str:
    """A path whose bytes are not UTF-8, with the bad bytes escaped (``latin\\xe9.txt``)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _outside(path: Path, root: Path | None) -> Path | None:
    """The resolved target of ``path`` if it is a symbolic link leading outside ``root``, else None."""
    if root is None or not path.is_symlink():
        return None
    target = Path(os.path.realpath(path))
    return None if target.is_relative_to(os.path.realpath(root)) else target


def _path_problem(path: Path, root: Path | None) -> tuple[str, str] | None:
    """(reason, fragment) if ``path`` must not be opened: gone, a link leaving ``root``, a broken link or a
    loop, or not a regular file (a FIFO would block ``open`` until someone writes to it)."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return "unreadable", "disappeared between listing and reading"
    except OSError as err:
        return "unreadable", f"cannot be read: {err.strerror or err}"
    if stat.S_ISLNK(info.st_mode):
        target = _outside(path, root)
        if target is not None:
            return "symlink_outside", (f"is a symbolic link to {target}, outside the seeds folder, and is "
                                       "not followed")
        try:
            info = path.stat()
        except FileNotFoundError:
            return "unreadable", (f"is a symbolic link to {os.path.realpath(path)}, which does not exist "
                                  "(a broken link, or its target disappeared)")
        except OSError as err:
            if err.errno == errno.ELOOP:
                return "unreadable", f"is a symbolic link in a loop (it points to {os.readlink(path)})"
            return "unreadable", f"cannot be read: {err.strerror or err}"
    if not stat.S_ISREG(info.st_mode):
        return "unreadable", _not_regular(info.st_mode)
    return None


def _not_regular(mode: int) -> str:
    kind = FILE_KINDS.get(stat.S_IFMT(mode), "not a regular file")
    return f"is {kind}, not a regular file, and is not read"


def _read_checked(path: Path, max_bytes: int, root: Path | None) -> bytes | tuple[str, str]:
    """The bytes of a regular file, or (reason, fragment) saying why not (see :func:`read_limited`)."""
    problem = _path_problem(path, root)
    if problem is not None:
        return problem
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())  # the path may have been replaced since the check
            if not stat.S_ISREG(info.st_mode):
                return "unreadable", _not_regular(info.st_mode)
            if info.st_size > max_bytes:
                return "too_large", f"is {info.st_size:,} bytes, over the {max_bytes:,}-byte limit"
            raw = handle.read(max_bytes + 1)
    except FileNotFoundError:
        return "unreadable", "disappeared between listing and reading"
    except OSError as err:
        return "unreadable", f"cannot be read: {err.strerror or err}"
    if len(raw) > max_bytes:
        return "too_large", f"grew over the {max_bytes:,}-byte limit while being read"
    return raw


def read_limited(path: Path, max_bytes: int, root: Path | None = None) -> bytes | Rejection:
    """The file's bytes, or a rejection: it cannot be read, is not a regular file, is a link leaving
    ``root`` (when given), or is larger than ``max_bytes``."""
    result = _read_checked(path, max_bytes, root)
    return result if isinstance(result, bytes) else Rejection(result[0], f"The file {result[1]}.")


# ------------------------------------------------------------------------------------------ corpus


def assign_doc_ids(paths: list[Path], root: Path) -> dict[Path, str]:
    """``doc_id`` per file: the file name without extension.

    When several files share a stem (in different subfolders, or ``a.txt`` beside ``a.TXT``), each of
    them gets its path relative to ``root`` without extension, with ``/`` replaced by ``__``
    (``2024/a.txt`` -> ``2024__a``); a clash that remains gets ``~2``, ``~3``... in sorted path order.
    Deterministic for a given folder.
    """
    stems: dict[str, int] = {}
    for path in paths:
        stems[path.stem] = stems.get(path.stem, 0) + 1
    ids: dict[Path, str] = {}
    used: set[str] = set()
    for path in sorted(paths):
        doc_id = path.stem
        if stems[path.stem] > 1:
            doc_id = "__".join(path.relative_to(root).with_suffix("").parts)
        base, n = doc_id, 1
        while doc_id in used:
            n += 1
            doc_id = f"{base}~{n}"
        used.add(doc_id)
        ids[path] = doc_id
    return ids


def unseen_article_count(seeds_dir: Path, known_doc_ids: set[str]) -> int:
    """How many article files under ``seeds_dir`` have an id not in ``known_doc_ids``: a cheap first look
    (names only) at how much work a run has, before any file is read."""
    root = Path(seeds_dir)
    paths = [path for path in list_inputs(root).articles if not _is_jsonl(path)]  # lines need reading
    return sum(1 for doc_id in assign_doc_ids(paths, root).values() if doc_id not in known_doc_ids)


def ingest_error(err: Exception) -> Rejection:
    """The rejection for an exception nobody foresaw: named, so the file can be investigated."""
    message = _shorten(str(err).strip() or "no message").rstrip(".")
    return Rejection("ingest_error", f"Ingest failed on this file with {type(err).__name__} ({message}); "
                                     "the other files are not affected.")


def _attempt(function: Callable[..., T], *args: object) -> T | Rejection:
    """``function(*args)``, or an ``ingest_error`` rejection if it raises: one file never fails a run."""
    try:
        return function(*args)
    except Exception as err:
        return ingest_error(err)


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
    cached)."""

    doc_id: str
    path: Path
    raw: bytes | Rejection
    key: str | None
    record: Record | None = None


def read_corpus(
    seeds_dir: Path, max_bytes: int = 10_000_000, cache_dir: Path | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``documents`` and ``rejected_documents`` for every ``*.txt``, ``*.html``, ``*.htm`` and ``*.jsonl``
    under ``seeds_dir`` (recursive, sorted, extension in any case; see the module docstring for links,
    special files and JSON Lines).

    ``doc_id`` is the file name without extension (see :func:`assign_doc_ids` for shared names); a JSON
    Lines article's is its ``id``, else ``<file id>:<line number>``. With ``cache_dir``, an article whose
    bytes, sidecar bytes, path and id were seen before is not decoded, extracted or language-checked again
    (see :func:`ingest_cache`); for a JSON Lines file this holds line by line. An unexpected exception on
    one article is an ``ingest_error`` row for it, and is not cached.
    """
    root = Path(seeds_dir)
    listing = list_inputs(root)
    candidates, early = _candidates(root, listing.articles, max_bytes)
    detector = build_language_detector()  # lazy: it loads its language models on first use
    cache = None if cache_dir is None else ingest_cache(Path(cache_dir))
    known = _cached_results(cache, [c.key for c in candidates if c.key is not None])
    prepared = {
        i: _attempt(prepare, c.path, c.raw, c.record)
        for i, c in enumerate(candidates)
        if isinstance(c.raw, bytes) and (c.key is None or c.key not in known)
    }
    detector = _prefetched(detector, [a.decoded.text for a in prepared.values() if isinstance(a, Article)])
    documents: list[dict] = []
    rejected: list[dict] = []
    fresh: dict[str, tuple[dict | None, list[dict]]] = {}
    for i, candidate in enumerate(candidates):
        rejected.extend(early.get(i, []))
        if candidate.key is not None and candidate.key in known:
            document, problems = known[candidate.key]
        else:
            document, problems = _read_candidate(candidate, prepared.get(i), detector, root)
            if candidate.key is not None and all(row["reason"] != "ingest_error" for row in problems):
                fresh[candidate.key] = (document, problems)
        if document is not None:
            documents.append(document)
        rejected.extend(_at_line(problems, candidate.record))
    rejected.extend(early.get(len(candidates), []))
    _remember(cache, fresh)
    rejected.extend(orphan_sidecars(root, listing))
    rejected.extend(_unlistable_rows(root, listing.unlistable))
    return _frame("documents", documents), _frame("rejected_documents", rejected)


def _read_candidate(candidate: Candidate, prepared: Article | Rejection | None, detector: LanguageDetector,
                    root: Path) -> tuple[dict | None, list[dict]]:
    """The document row (None if rejected) and rejection rows of one article that is not cached."""
    path, doc_id, raw = candidate.path, candidate.doc_id, candidate.raw
    if isinstance(raw, Rejection):
        return None, [_rejected_row(doc_id, path, raw, _size(path, root))]
    if candidate.record is None:
        result = _attempt(document_from_bytes, path, doc_id, raw, detector, prepared, root)
    else:
        result = _attempt(document_from_record, path, doc_id, candidate.record, detector, prepared)
    if isinstance(result, Rejection):
        size = _size(path, root) if candidate.record is None else len(raw)
        result = None, [_rejected_row(doc_id, path, result, size)]
    return result


def _candidates(root: Path, paths: list[Path],
                max_bytes: int) -> tuple[list[Candidate], dict[int, list[dict]]]:
    """Every article to read, in path order (a JSON Lines file's lines in line order), and the rejection
    rows that come before candidate ``i`` (bad lines, unreadable JSON Lines files, duplicate ids). A
    line's id must be new: the files' ids are taken first, then the lines' in order."""
    files = [p for p in paths if not _is_jsonl(p)]
    feeds = [p for p in paths if _is_jsonl(p)]
    file_ids, feed_ids = assign_doc_ids(files, root), assign_doc_ids(feeds, root)
    candidates: list[Candidate] = []
    early: dict[int, list[dict]] = {}
    used: set[str] = set(file_ids.values())
    for path in paths:
        if path in file_ids:
            raw, key = _inputs_or_error(path, file_ids[path], max_bytes, root)
            candidates.append(Candidate(file_ids[path], path, raw, key))
            continue
        rows = early.setdefault(len(candidates), [])
        raw = _attempt(read_limited, path, MAX_JSONL_BYTES, root)
        lines = raw if isinstance(raw, Rejection) else _attempt(read_records, raw, max_bytes)
        if isinstance(lines, Rejection):
            rows.append(_rejected_row(feed_ids[path], path, lines, _size(path, root)))
            continue
        for line in lines:
            doc_id = line.record_id or f"{feed_ids[path]}:{line.line}"
            if isinstance(line, BadLine):
                rows.extend(_at_line([_rejected_row(doc_id, path, Rejection(line.reason, line.detail),
                                                    len(line.raw))], line))
            elif doc_id in used:
                duplicate = Rejection("duplicate_id", f"The id {doc_id!r} is already used by another article "
                                                      "(an earlier line or file); this line is not read.")
                rows.extend(_at_line([_rejected_row(doc_id, path, duplicate, len(line.raw))], line))
            else:
                used.add(doc_id)
                key = text_key(str(path), doc_id, hashlib.sha256(line.raw).hexdigest(), JSONL)
                candidates.append(Candidate(doc_id, path, line.raw, key, line))
                rows = early.setdefault(len(candidates), [])
    return candidates, early


def _is_jsonl(path: Path) -> bool:
    return path.name.lower().endswith(JSONL_SUFFIX)


def _at_line(rows: list[dict], line: Record | BadLine | None) -> list[dict]:
    """``rows`` of a JSON Lines article with its line number in front of each detail (kept out of the
    cache, so inserting a line above does not re-read the articles below)."""
    if line is None:
        return rows
    return [{**row, "detail": f"Line {line.line} of {Path(row['source_path']).name}: {row['detail']}"}
            for row in rows]


def _inputs_or_error(path: Path, doc_id: str, max_bytes: int,
                     root: Path) -> tuple[bytes | Rejection, str | None]:
    result = _attempt(_read_inputs, path, doc_id, max_bytes, root)
    return (result, None) if isinstance(result, Rejection) else result


def _prefetched(detector: LanguageDetector, texts: list[str]) -> LanguageDetector | PrefetchedLanguages:
    """The batch detector, or the plain one if the batch fails (each file is then judged, and can fail,
    on its own)."""
    try:
        return PrefetchedLanguages(detector, texts)
    except Exception:
        return detector


# ------------------------------------------------------------------------------------------ one article


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


def document_from_bytes(path: Path, doc_id: str, raw: bytes, detector: LanguageDetector,
                        decoded: Article | Rejection | None = None,
                        root: Path | None = None) -> tuple[dict | None, list[dict]]:
    """The ``documents`` row of one read file (None if rejected) and its ``rejected_documents`` rows:
    decode and extract (unless ``decoded`` is given), check, read the sidecar (not through a link leaving
    ``root``)."""
    article = prepare(path, raw) if decoded is None else decoded
    if isinstance(article, Rejection):
        return None, [_rejected_row(doc_id, path, article, len(raw))]
    language, rejection = check_content(article.decoded.text, detector)
    if rejection is not None:
        return None, [_rejected_row(doc_id, path, rejection, len(raw))]
    meta_path = sidecar_path(path)
    sidecar, problems = read_sidecar(meta_path, root)
    rejected = [
        _rejected_row(doc_id, meta_path, Rejection("bad_sidecar", f"{meta_path.name} {problem}; the article "
                                                   "is processed without it."), _size(meta_path, root))
        for problem in problems
    ]
    document = _document_row(doc_id, path, raw, article, language, sidecar or Sidecar(),
                             f"published_at in {meta_path.name}")
    return document, rejected


def document_from_record(path: Path, doc_id: str, record: Record, detector: LanguageDetector,
                         prepared: Article | Rejection | None = None) -> tuple[dict | None, list[dict]]:
    """The ``documents`` row of one JSON Lines record (None if rejected) and its rejection rows; its own
    fields play the sidecar's part (a bad one is a ``bad_field`` row, the article is kept)."""
    article = prepare_record(record) if prepared is None else prepared
    if isinstance(article, Rejection):
        return None, [_rejected_row(doc_id, path, article, len(record.raw))]
    language, rejection = check_content(article.decoded.text, detector)
    if rejection is not None:
        return None, [_rejected_row(doc_id, path, rejection, len(record.raw))]
    fields, problems = sidecar_fields(record.fields)
    rejected = [_rejected_row(doc_id, path, Rejection("bad_field", f"The record's {problem}; the article is "
                                                      "processed without it."), len(record.raw))
                for problem in problems]
    document = _document_row(doc_id, path, record.raw, article, language, fields,
                             "published_at field of its JSON Lines record")
    return document, rejected


def _document_row(doc_id: str, path: Path, raw: bytes, article: Article, language: str | None,
                  given: Sidecar, given_where: str) -> dict:
    """The ``documents`` row: metadata given beside the text (sidecar, record fields) wins over the
    page's; the reference date is the given date, else the page's metadata date, else the text rules."""
    page, text = article.page, article.decoded.text
    if given.published_at is not None:
        ref_date, basis, evidence = given.published_at, "sidecar", given_where
    elif page.published_at is not None:
        ref_date, basis, evidence = page.published_at, "html_metadata", PAGE_DATE_EVIDENCE
    else:
        ref_date, basis, evidence = reference_date_from_text(text)
    return {
        "doc_id": doc_id, "source_path": str(path), "text": text, "n_chars": len(text),
        "content_sha256": hashlib.sha256(raw).hexdigest(), "encoding": article.decoded.encoding,
        "decode_notes": article.decoded.notes, "language": language,
        "title": given.title or page.title, "url": given.url or page.url,
        "source": given.source or page.site_name, "published_at": given.published_at or page.published_at,
        "reference_date": ref_date, "reference_date_basis": basis, "reference_date_evidence": evidence,
        "source_format": article.source_format,
    }


# ------------------------------------------------------------------------------------------ ingest cache
# Decoding (ftfy, charset-normalizer), language detection (lingua) and the reference date cost ~7 ms a
# file; a re-run over an unchanged corpus redid all of it. The cache key digests everything the result
# depends on that is not code: the file's bytes, its sidecar's bytes, its path and its doc_id. Code and
# library versions name the cache folder. A file that cannot be read (or whose sidecar cannot) is never
# cached (that is cheap), nor is an ``ingest_error`` (it may be transient, or fixed by new code).

DATE_FIELDS = ("published_at", "reference_date")
DECODING_LIBRARIES = ("ftfy", "charset-normalizer", "lingua-language-detector", "trafilatura", "htmldate",
                      "justext", "lxml")


def ingest_cache(root: Path) -> SegmentCache:
    """The ingest cache under ``root``, namespaced by the pipeline code and the decoding libraries."""
    libraries = "-".join(importlib.metadata.version(n) for n in DECODING_LIBRARIES)
    return SegmentCache(root / "ingest" / namespace("ingest", libraries, stage_version("ingest")))


def _read_inputs(path: Path, doc_id: str, max_bytes: int,
                 root: Path | None = None) -> tuple[bytes | Rejection, str | None]:
    """The file's bytes (or why not) and its cache key (None: do not cache)."""
    raw = read_limited(path, max_bytes, root)
    if isinstance(raw, Rejection):
        return raw, None
    meta, problem = read_sidecar_bytes(sidecar_path(path), root)
    if problem is not None:
        return raw, None
    meta_digest = "-" if meta is None else hashlib.sha256(meta).hexdigest()
    return raw, text_key(str(path), doc_id, hashlib.sha256(raw).hexdigest(), meta_digest)


def _cached_results(cache: SegmentCache | None, keys: list[str]) -> dict[str, tuple[dict | None, list[dict]]]:
    rows = None if cache is None else cache.lookup(keys)
    if rows is None:
        return {}
    return {key: _decode_result(payload) for key, payload in rows.select("key", "payload").iter_rows()}


def _remember(cache: SegmentCache | None, fresh: dict[str, tuple[dict | None, list[dict]]]) -> None:
    if cache is not None and fresh:
        cache.store(pl.DataFrame(
            {"key": list(fresh), "payload": [_encode_result(*result) for result in fresh.values()]},
            schema={"key": pl.Utf8, "payload": pl.Utf8},
        ))


def _encode_result(document: dict | None, rejected: list[dict]) -> str:
    if document is not None:
        document = {k: v.isoformat() if k in DATE_FIELDS and v is not None else v
                    for k, v in document.items()}
    return json.dumps({"document": document, "rejected": rejected}, ensure_ascii=False)


def _decode_result(payload: str) -> tuple[dict | None, list[dict]]:
    data = json.loads(payload)
    document = data["document"]
    if document is not None:
        document = {k: dt.date.fromisoformat(v) if k in DATE_FIELDS and v is not None else v
                    for k, v in document.items()}
    return document, data["rejected"]


def orphan_sidecars(root: Path, listing: Listing | None = None) -> list[dict]:
    """Rows for ``<name>.meta.json`` files that have no ``<name>.txt`` (any case) beside them, and for
    sidecars whose suffix is not in lower case (``A.META.JSON``: never read, so never silently lost)."""
    listing = listing or list_inputs(root)
    claimed = {sidecar_path(article) for article in listing.articles if not _is_jsonl(article)}
    rows = []
    for meta in listing.sidecars:
        if meta not in claimed:
            name = meta.name[: -len(SIDECAR_SUFFIX)]
            detail = f"Sidecar {meta.name} has no article {name}.txt (or .html, .htm) beside it."
            if not meta.name.endswith(SIDECAR_SUFFIX):
                detail = (f"Sidecar {meta.name} is not read: the sidecar of {name}.txt must be named "
                          f"{name}{SIDECAR_SUFFIX}, in lower case.")
            rejection = Rejection("orphan_sidecar", detail)
            rows.append(_rejected_row(name or meta.name, meta, rejection, _size(meta, root)))
    return rows


def _unlistable_rows(root: Path, errors: list[OSError]) -> list[dict]:
    """One ``unreadable`` row per folder that could not be listed: its articles are not read."""
    rows = []
    for err in errors:
        entry = Path(_printable(str(err.filename)))
        if err.errno == errno.EILSEQ:
            detail = f"The name of {entry.name} is not valid UTF-8; rename it to read it."
        else:
            detail = (f"The folder {entry.name} cannot be listed ({err.strerror or err}); the articles in "
                      "it are not read.")
        rows.append(_rejected_row(entry.name, entry, Rejection("unreadable", detail), None))
    return rows


def _rejected_row(doc_id: str, path: Path, rejection: Rejection, size: int | None) -> dict:
    return {"doc_id": doc_id, "source_path": str(path), "reason": rejection.reason,
            "detail": rejection.detail, "size_bytes": size}


def _size(path: Path, root: Path | None = None) -> int | None:
    """Size in bytes, None if unknown or if ``path`` is a link leading outside ``root``."""
    try:
        return None if _outside(path, root) is not None else path.stat().st_size
    except OSError:
        return None


def _frame(table: str, rows: list[dict]) -> pl.DataFrame:
    empty = empty_frame(table)
    return pl.DataFrame(rows, schema=empty.schema) if rows else empty
