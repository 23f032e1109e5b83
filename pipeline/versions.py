"""Code versions per stage, so editing one stage's rules recomputes that stage and nothing before it.

A stage's version digests the source of its module, of every ``pipeline`` module it imports (directly or
through others), and of every lexicon file under ``pipeline/lexicons/`` those sources name. Stages after
it recompute by themselves: their per-article cache keys digest the rows they read
(``pipeline/incremental.py``), and those rows change when an upstream stage's output does.
"""

from __future__ import annotations

import ast
import hashlib
import re
from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
LEXICON_DIR = PACKAGE_DIR / "lexicons"
LEXICON_NAME = re.compile(r"(?<![\w-])[\w-]+\.txt")  # one start per name: linear

# Modules that compute versions, not results: the ingest cache imports this one, and editing it (a new
# stage's entry) must not make every stage's version change.
NOT_RULES = frozenset({"versions"})
# Cached table (or cache) -> the modules whose rules shape it: its own, and those of the stages before it
# whose output its per-article cache key does not digest (the key holds the file's hash, not the decoded
# text, the paragraphs or the parse: ``document_keys`` in pipeline/incremental.py).
_TEXT_STAGES = ("ingest", "paragraphs", "nlp")
STAGE_MODULES: dict[str, tuple[str, ...]] = {
    "ingest": ("ingest",),
    "paragraphs": ("ingest", "paragraphs"),
    "boilerplate": ("ingest", "paragraphs"),
    "entities": (*_TEXT_STAGES, "entities"),
    "timex_detection": (*_TEXT_STAGES, "temporal"),  # detected rows, whatever the reference date
    "temporal_expressions": (*_TEXT_STAGES, "temporal"),  # those rows resolved against the reference date
    # event candidates, whatever the values and reference date; then those resolved with the values
    "event_candidates": (*_TEXT_STAGES, "events.candidates"),
    "dated_events": (*_TEXT_STAGES, "events"),
    # an undated article's values on candidate days: its detected rows resolved against each day
    "corpus_dating_values": (*_TEXT_STAGES, "temporal", "corpus_dating"),
    # an undated article's answer (its day, or none), under a digest of the reports it is compared with
    "corpus_dating_answers": (*_TEXT_STAGES, "temporal", "corpus_dating", "anchoring"),
    "quotes": (*_TEXT_STAGES, "quotes", "quote_audit"),
}


def stage_version(stage: str) -> str:
    """A short digest of the code and lexicons behind ``stage`` (a key of :data:`STAGE_MODULES`)."""
    versions = "\0".join(module_version(module) for module in STAGE_MODULES[stage])
    return hashlib.sha256(versions.encode()).hexdigest()[:12]


@cache
def module_version(module: str) -> str:
    """Digest of ``pipeline.<module>``, the pipeline modules it imports and the lexicons they name."""
    digest = hashlib.sha256()
    for path in _dependencies(module):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def _dependencies(module: str) -> list[Path]:
    """Source files of ``module`` and of every pipeline module it reaches by imports, plus named lexicons."""
    seen: set[str] = set()
    pending = [module]
    while pending:
        name = pending.pop()
        if name in seen or name in NOT_RULES or _source(name) is None:
            continue
        seen.add(name)
        pending.extend(_pipeline_imports(_source(name).read_text(encoding="utf-8")))
    sources = [_source(name) for name in seen]
    lexicons = {
        LEXICON_DIR / match
        for path in sources
        for match in LEXICON_NAME.findall(path.read_text(encoding="utf-8"))
        if (LEXICON_DIR / match).is_file()
    }
    return sorted(sources) + sorted(lexicons)


def _source(module: str) -> Path | None:
    """The file of ``pipeline.<module>`` (a module or a package's ``__init__``), or None."""
    path = PACKAGE_DIR.joinpath(*module.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@cache
def _pipeline_imports(source: str) -> frozenset[str]:
    """Names (relative to ``pipeline``) of the pipeline modules a source file imports (each file is parsed
    once per process, however many stages reach it)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {a.name.removeprefix("pipeline.") for a in node.names if a.name.startswith("pipeline.")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "pipeline":
                names |= {alias.name for alias in node.names}
            elif node.module.startswith("pipeline."):
                base = node.module.removeprefix("pipeline.")
                names.add(base)
                names |= {f"{base}.{alias.name}" for alias in node.names}
    return frozenset(names)
