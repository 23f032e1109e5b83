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
:data:`~pipeline.ingest.decoding.MAX_ARTICLE_CHARS`), ``no_article`` (no article text, or only a
teaser once the page chrome is removed), ``paywall_stub`` (a teaser and a subscription notice), ``html``
(markup left after extraction), ``too_short``, ``no_sentences``, ``not_french``, ``duplicate_id`` and
the other JSON Lines reasons, ``ingest_error`` (an unexpected exception on this one file; the detail
names it); sidecar problems: ``bad_sidecar`` (the article is still kept) and ``orphan_sidecar`` (a
``.meta.json`` without its ``.txt``).

Repairs noted in ``decode_notes``: byte-order mark removed, mojibake repaired, encoding detected,
control characters (NUL...) removed, a few invalid UTF-8 sequences replaced with U+FFFD.

Modules, one responsibility each: :mod:`.listing` (the input folder and reading one file safely),
:mod:`.decoding` (bytes -> canonical text), :mod:`.content` (the checks on the text: language, stubs...),
:mod:`.sidecars` (``.meta.json`` and a record's own fields), :mod:`.documents` (one article -> its rows),
:mod:`.cache` (the ingest cache), :mod:`.corpus` (the folder -> the two tables), :mod:`.rejections` (the
reason codes' rows). This package exports what the rest of the pipeline uses.
"""

from pipeline.formats import MAX_PUBLISHED, MIN_PUBLISHED
from pipeline.ingest.content import build_language_detector, check_content, detect_language
from pipeline.ingest.corpus import assign_doc_ids, read_corpus
from pipeline.ingest.decoding import MAX_ARTICLE_CHARS, Decoded, canonicalise, decode_bytes
from pipeline.ingest.listing import (
    ARTICLE_SUFFIXES,
    JSONL_SUFFIX,
    SIDECAR_OWNERS,
    SIDECAR_SUFFIX,
    Listing,
    list_inputs,
    read_limited,
)
from pipeline.ingest.rejections import Rejection
from pipeline.ingest.sidecars import SIDECAR_FIELDS, Sidecar, parse_iso_date, parse_sidecar

__all__ = [
    "ARTICLE_SUFFIXES", "JSONL_SUFFIX", "MAX_ARTICLE_CHARS", "MAX_PUBLISHED", "MIN_PUBLISHED",
    "SIDECAR_FIELDS", "SIDECAR_OWNERS", "SIDECAR_SUFFIX", "Decoded", "Listing", "Rejection", "Sidecar",
    "assign_doc_ids", "build_language_detector", "canonicalise", "check_content", "decode_bytes",
    "detect_language", "list_inputs", "parse_iso_date", "parse_sidecar", "read_corpus", "read_limited",
]
