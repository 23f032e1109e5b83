"""The one way this pipeline starts worker processes: forked from a preloaded fork server.

Workers used to be forked from the run process (the parse) or would have been spawned (the rule stages).
A fork of the run process is unsafe once polars has started its thread pool, and a spawned worker pays
~5 s of imports (spaCy, and above all the French tokenizer-exception regex ``spacy.lang.fr`` compiles at
import). The fork server is a fresh process that imports :data:`PRELOAD` once and then forks every worker
of the run already loaded: a parse worker only has to load the model weights (~1.7 s), a rule worker
nothing. The server starts with the first pool and lives as long as the run process.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.context import BaseContext

PRELOAD = [
    "polars",
    "spacy",
    "spacy.lang.fr",
    "pipeline.anchoring",
    "pipeline.entities",
    "pipeline.events",
    "pipeline.nlp",
    "pipeline.quotes",
    "pipeline.temporal",
    "pipeline.workers",
]


def worker_context() -> BaseContext:
    """The multiprocessing context every pool of the pipeline uses (see the module docstring)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context
