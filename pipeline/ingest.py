"""STUB: files -> documents / rejected_documents (to be written)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl

from pipeline.schemas import empty_frame
from pipeline.temporal import reference_date_from_text


def read_corpus(seeds_dir: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``documents`` and ``rejected_documents`` for every ``*.txt`` under ``seeds_dir``."""
    rows = []
    for path in sorted(Path(seeds_dir).rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        ref = reference_date_from_text(text)
        rows.append({
            "doc_id": path.stem, "source_path": str(path), "text": text, "n_chars": len(text),
            "content_sha256": hashlib.sha256(text.encode()).hexdigest(), "encoding": "utf-8",
            "decode_notes": None, "language": "fr", "title": None, "url": None, "source": None,
            "published_at": None, "reference_date": ref.date, "reference_date_basis": ref.basis,
            "reference_date_evidence": ref.evidence,
        })
    documents = pl.DataFrame(rows, schema=empty_frame("documents").schema)
    return documents, empty_frame("rejected_documents")
