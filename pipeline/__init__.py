"""Domain logic of the French news pipeline: plain functions on polars frames and spaCy docs.

One module per stage:
- ``ingest``      files in ``SEEDS_DIR`` -> ``documents`` / ``rejected_documents``
- ``paragraphs``  documents -> ``paragraphs`` (+ the ``boilerplate`` lines removed, with the rule)
- ``nlp``         paragraphs -> spaCy docs (one ``nlp.pipe`` pass, serialised as DocBin bytes)
- ``entities``    docs -> ``entity_mentions`` / ``entities``
- ``temporal``    docs -> ``temporal_expressions`` (and the reference date of a document)
- ``events``      docs + dates + entities -> ``dated_events`` / ``timeline``
- ``quotes``      docs + entities -> ``quotes``
- ``warehouse``   tables -> Parquet + DuckDB, published atomically
- ``schemas``     one pandera model per table (the table contract)
- ``cache``, ``incremental``  parse cache and per-article stage caches (re-runs cost only what changed)
- ``model``       the small value types the stages share; ``summary`` the one-screen run summary

Nothing here imports Dagster: the ``assets`` package wires these functions together.
"""

PIPELINE_VERSION = "0.1.0"
