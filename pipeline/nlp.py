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

import numpy
import polars as pl
import spacy
import srsly
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab, create_vocab
from thinc.api import NumpyOps

from pipeline import PIPELINE_VERSION
from pipeline.cache import ParseCache, namespace, text_key
from pipeline.isolation import ArticleFailure, Error, failures_frame, no_failures
from pipeline.model import DocumentParse, ParsedParagraph
from pipeline.processes import worker_context

MODEL_NAME = "fr_core_news_md"
# A worker process costs a model load (~1.7 s here); below this many paragraphs per worker one process wins
# (a re-run that parses a few new paragraphs stays in-process).
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


_PRELOADED: dict[str, Language] = {}


def load_model(name: str = MODEL_NAME, exclude: Iterable[str] = ()) -> Language:
    """Load the French model once; callers keep the returned object for the whole run.

    A model preloaded in this process (:func:`preload_model`) is returned as is.
    """
    exclude = list(exclude)
    if not exclude and name in _PRELOADED:
        return _PRELOADED[name]
    return spacy.load(name, exclude=exclude)


def preload_model(name: str = MODEL_NAME) -> Language:
    """Load the model for every later :func:`load_model` of this process and of the processes it forks.

    For the warm worker (``assets/warm_worker.py``): its runs are forks that find the model loaded. A
    parse never changes a model's weights, so one loaded model gives the same docs as a fresh one.
    """
    if name not in _PRELOADED:
        _PRELOADED[name] = spacy.load(name)
    return _PRELOADED[name]


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


def parse_paragraphs_cached(
    get_nlp: Callable[[], Language],
    paragraphs: pl.DataFrame,
    cache: ParseCache,
    batch_size: int = 64,
    n_process: int = 1,
) -> tuple[pl.DataFrame, ParseStats]:
    """``nlp.pipe`` over the paragraphs not parsed before; one row per paragraph with its doc as DocBin bytes.

    ``get_nlp`` is called only when there is text left to parse: a no-change re-run never loads the model.
    Articles with a paragraph the model raised on have no rows; ``stats.failures`` names them, and they are
    not cached, so the next run tries them again.
    """
    keyed = paragraphs.select("paragraph_id", "doc_id", "text").with_columns(
        pl.Series("key", [text_key(t) for t in paragraphs["text"].to_list()], dtype=pl.Utf8)
    )
    cached = cache.lookup(keyed["key"].to_list())
    missing = keyed.join(cached.select("key"), on="key", how="anti").unique("key", keep="first")
    results = list(_pipe(get_nlp, missing["text"].to_list(), batch_size, n_process))
    errors = {key: r for key, r in zip(missing["key"], results, strict=True) if isinstance(r, Error)}
    fresh = pl.DataFrame(
        {
            "key": [key for key, r in zip(missing["key"], results, strict=True) if isinstance(r, bytes)],
            "docbin": [r for r in results if isinstance(r, bytes)],
        },
        schema={"key": pl.Utf8, "docbin": pl.Binary},
    )
    cache.store(fresh)
    parsed = keyed.join(pl.concat([cached, fresh]), on="key", how="left", maintain_order="left").select(
        "paragraph_id", "doc_id", "docbin"
    )
    failures = _unparsed_articles(keyed, errors)
    if failures.height:
        parsed = parsed.filter(~pl.col("doc_id").is_in(failures["doc_id"].implode()))
    stats = ParseStats(
        n_paragraphs=keyed.height,
        n_from_cache=keyed.height - keyed.join(fresh.select("key"), on="key", how="semi").height,
        n_parsed=fresh.height,
        chars_parsed=int(missing["text"].str.len_chars().sum()) if missing.height else 0,
        failures=failures,
    )
    return parsed, stats


def _unparsed_articles(keyed: pl.DataFrame, errors: dict[str, Error]) -> pl.DataFrame:
    """One failure per article that has a paragraph whose text the model raised on (its first such)."""
    if not errors:
        return no_failures()
    failing = keyed.filter(pl.col("key").is_in(list(errors))).sort("paragraph_id")
    return failures_frame(
        ArticleFailure(doc_id, PARSE_STAGE, errors[key].about(f"paragraph {paragraph_id}"))
        for paragraph_id, doc_id, key in failing.select("paragraph_id", "doc_id", "key").iter_rows()
    )


def _pipe(
    get_nlp: Callable[[], Language], texts: list[str], batch_size: int, n_process: int
) -> Iterator[bytes | Error]:
    """DocBin bytes of each text (or the error the model raised on it), in order: in this process, or in
    ``n_process`` workers. Texts go in tasks of :data:`TEXTS_PER_TASK` (:func:`_parse_texts`).

    The workers come from the preloaded fork server (``pipeline/processes.py``) and load the model with
    ``get_nlp``, which must then be picklable (e.g. ``functools.partial(load_model, name)``). spaCy's own
    ``n_process`` ships every doc back whole (with its tok2vec tensor) for the parent to rebuild and
    re-serialise, which kept a third process busy on two cores. Our workers return DocBin bytes, for tasks of
    :data:`TEXTS_PER_TASK` texts that each worker parses with ``nlp.pipe`` in batches of ``batch_size``
    (the batch a text is parsed in does not change its doc: tests/test_perf_parse.py).
    Below :data:`MIN_PARAGRAPHS_PER_WORKER` a worker's model load is not worth it.
    """
    if not texts:
        return
    workers = min(n_process, len(texts) // MIN_PARAGRAPHS_PER_WORKER)
    chunks = [texts[i : i + TEXTS_PER_TASK] for i in range(0, len(texts), TEXTS_PER_TASK)]
    if workers <= 1:
        nlp = get_nlp()
        for chunk in chunks:
            yield from _parse_texts(nlp, chunk, batch_size)
        return
    pool = worker_context().Pool(workers, initializer=_start_worker, initargs=(get_nlp, batch_size))
    try:
        for blobs in pool.imap(_parse_chunk, chunks):
            yield from blobs
    except BaseException:
        pool.terminate()
        pool.join()
        raise
    # A clean end lets the workers exit on the pool's sentinel: ``terminate`` (what ``with Pool`` does)
    # can kill one while it holds the task queue's lock and leave the other waiting on it for ever.
    pool.close()
    pool.join()


_WORKER: dict[str, object] = {}


def _start_worker(get_nlp: Callable[[], Language], batch_size: int) -> None:
    _WORKER["nlp"], _WORKER["batch_size"] = get_nlp(), batch_size


def _parse_chunk(texts: list[str]) -> list[bytes | Error]:
    nlp, batch_size = _WORKER["nlp"], _WORKER["batch_size"]
    assert isinstance(nlp, Language) and isinstance(batch_size, int)
    return _parse_texts(nlp, texts, batch_size)


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


def iter_document_parses(
    documents: pl.DataFrame, paragraphs: pl.DataFrame, parsed: pl.DataFrame, vocab: Vocab | None = None
) -> Iterator[DocumentParse]:
    """Yield each document with its parsed paragraphs in reading order, one document at a time."""
    vocab = vocab or blank_vocab()
    joined = (
        paragraphs.select("paragraph_id", "doc_id", "paragraph_index", "doc_char_start")
        .join(parsed.select("paragraph_id", "docbin"), on="paragraph_id", how="inner")
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
    docs = list(nlp.pipe([p["text"] for p in paras]))
    return DocumentParse(
        doc_id,
        text,
        reference_date,
        [
            ParsedParagraph(p["paragraph_id"], p["paragraph_index"], p["doc_char_start"], d)
            for p, d in zip(paras, docs, strict=True)
        ],
    )
