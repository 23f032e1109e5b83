"""Why a file cannot be used, as a machine code and a sentence for people, and the ``rejected_documents``
row that records it: a bad file is never lost without a word, and never fails the run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pipeline.formats import shorten

T = TypeVar("T")


@dataclass(frozen=True)
class Rejection:
    """Why a file (or its sidecar) cannot be used: a machine code and a sentence for people."""

    reason: str
    detail: str


def rejected_row(doc_id: str, path: Path, rejection: Rejection, size: int | None) -> dict:
    """The ``rejected_documents`` row of ``rejection`` for the file (or line) at ``path``."""
    return {"doc_id": doc_id, "source_path": str(path), "reason": rejection.reason,
            "detail": rejection.detail, "size_bytes": size}


def ingest_error(err: Exception) -> Rejection:
    """The rejection for an exception nobody foresaw: named, so the file can be investigated."""
    message = shorten(str(err).strip() or "no message").rstrip(".")
    return Rejection("ingest_error", f"Ingest failed on this file with {type(err).__name__} ({message}); "
                                     "the other files are not affected.")


def attempt(function: Callable[..., T], *args: object) -> T | Rejection:
    """``function(*args)``, or an ``ingest_error`` rejection if it raises: one file never fails a run."""
    try:
        return function(*args)
    except Exception as err:
        return ingest_error(err)
