"""Word lists as data: one entry a line in ``pipeline/lexicons/<name>.txt``; blank lines and ``#`` comments
are skipped, and each file's header says what it holds and where it comes from. This package is their one
reader, so every stage loads its lists the same way."""

from __future__ import annotations

from pathlib import Path

LEXICON_DIR = Path(__file__).resolve().parent


def read_lexicon(name: str) -> list[str]:
    """Entries of ``pipeline/lexicons/<name>``, stripped, in file order."""
    lines = (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
