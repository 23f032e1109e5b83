"""No single article can fail a run: a stage's per-article work that raises on one article costs that
article its rows of that stage, recorded with the error in ``article_errors``, and nothing else.

The work runs over the whole batch first; only when the batch raises is it run again article by article,
to find which ones fail. The normal path costs nothing more than it did. Only ``Exception`` is caught:
an interrupt or a worker killed still stops the run.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import polars as pl

from pipeline.schemas import MAX_ERROR_MESSAGE_CHARS, empty_frame

T = TypeVar("T")
ERRORS_TABLE = "article_errors"


@dataclass(frozen=True)
class Error:
    """What went wrong, as plain strings: it travels back from worker processes and into a table."""

    error_type: str
    message: str

    @classmethod
    def of(cls, error: BaseException) -> Error:
        """The exception's type and first line, where it was raised (file, line, function), bounded."""
        lines = str(error).strip().splitlines()
        text = lines[0] if lines else "(no message)"
        frames = traceback.extract_tb(error.__traceback__)
        if frames:
            text += f" [at {Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name}]"
        return cls(type(error).__name__, _bounded(text))

    def about(self, what: str) -> Error:
        """The same error, its message prefixed with what it happened on (``paragraph a:0003``)."""
        return Error(self.error_type, _bounded(f"{what}: {self.message}"))


@dataclass(frozen=True)
class ArticleFailure:
    doc_id: str
    stage: str
    error: Error


@dataclass(frozen=True)
class StageRows:
    """A stage's rows for some articles, and the articles it failed on (rows of ``article_errors``)."""

    rows: pl.DataFrame
    failures: pl.DataFrame

    @property
    def failed_ids(self) -> set[str]:
        return set(self.failures["doc_id"].to_list())


def no_failures() -> pl.DataFrame:
    return empty_frame(ERRORS_TABLE)


def failures_frame(failures: Iterable[ArticleFailure]) -> pl.DataFrame:
    """``article_errors`` rows, one per article and stage (the first failure recorded wins)."""
    rows = [(f.doc_id, f.stage, f.error.error_type, f.error.message) for f in failures]
    if not rows:
        return no_failures()
    frame = pl.DataFrame(rows, schema=no_failures().schema, orient="row")
    return frame.unique(["doc_id", "stage"], keep="first", maintain_order=True)


def merge_failures(frames: Iterable[pl.DataFrame]) -> pl.DataFrame:
    """Several failure tables as one, each (article, stage) once, in a stable order."""
    merged = pl.concat([no_failures(), *frames], how="vertical")
    return merged.unique(["doc_id", "stage"], keep="first", maintain_order=True).sort("doc_id", "stage")


def concat_stage_rows(parts: Sequence[StageRows]) -> StageRows:
    """One :class:`StageRows` of several disjoint batches (at least one)."""
    return StageRows(
        pl.concat([part.rows for part in parts], how="vertical"),
        merge_failures(part.failures for part in parts),
    )


def run_isolated(
    stage: str, doc_ids: Sequence[str], compute: Callable[[list[str]], T]
) -> tuple[list[T], list[ArticleFailure]]:
    """``compute`` over ``doc_ids`` as one batch; if that raises, over each article alone.

    Returns the results (one for the batch, or one per article that succeeded) and the articles that
    raised. There is always at least one result: when every article fails, ``compute([])`` gives the
    empty one (if even that raises, the stage itself is broken and the error propagates).
    """
    ids = list(doc_ids)
    try:
        return [compute(ids)], []
    except Exception:
        if not ids:
            raise
    results: list[T] = []
    failures: list[ArticleFailure] = []
    for doc_id in ids:
        try:
            results.append(compute([doc_id]))
        except Exception as error:
            failures.append(ArticleFailure(doc_id, stage, Error.of(error)))
    if not results:
        results.append(compute([]))
    return results, failures


def rows_isolated(stage: str, doc_ids: Sequence[str],
                  compute: Callable[[list[str]], pl.DataFrame]) -> StageRows:
    """:func:`run_isolated` for a function that returns rows: the rows of every article that did not raise,
    and the articles that did."""
    parts, failures = run_isolated(stage, doc_ids, compute)
    return StageRows(pl.concat(parts, how="vertical"), failures_frame(failures))


def resolved_isolated(stage: str, detected: StageRows, doc_ids: set[str],
                      resolve: Callable[[set[str]], pl.DataFrame]) -> StageRows:
    """The rows ``resolve`` makes of ``doc_ids``' detected rows, isolated per article: an article whose
    detection failed is not resolved, and one whose resolution raises loses only its own rows."""
    resolved = rows_isolated(stage, sorted(doc_ids - detected.failed_ids), lambda ids: resolve(set(ids)))
    return StageRows(resolved.rows, merge_failures([detected.failures, resolved.failures]))


def _bounded(text: str) -> str:
    return text if len(text) <= MAX_ERROR_MESSAGE_CHARS else text[: MAX_ERROR_MESSAGE_CHARS - 1] + "…"
