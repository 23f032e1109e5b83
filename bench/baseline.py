"""The floor: raw spaCy ``nlp.pipe`` over the same texts the pipeline parses, best settings found here.

python -m bench.baseline CORPUS_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.ingest import read_corpus
from pipeline.nlp import MODEL_NAME, load_model, parser_texts
from pipeline.paragraphs import split_paragraphs

# Measured on this 2-core machine (README, Performance): two worker processes parse ~1.6x faster than one;
# batches of 64 parse as fast as 256 (and hold ~290 MB less per process).
BATCH_SIZE = 64
N_PROCESS = 2


def parse_texts(corpus: Path) -> list[str]:
    """What the pipeline hands spaCy for ``corpus``: each cleaned paragraph with its runs of spaces collapsed
    (``pipeline/collapse.py``), so the baseline parses exactly the pipeline's texts, no more, no less."""
    documents, _ = read_corpus(corpus)
    paragraphs, _ = split_paragraphs(documents)
    return parser_texts(paragraphs["text"].to_list())


def main(corpus: Path) -> None:
    texts = parse_texts(corpus)
    nlp = load_model(MODEL_NAME)
    for _ in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=N_PROCESS):
        pass


if __name__ == "__main__":
    main(Path(sys.argv[1]))
