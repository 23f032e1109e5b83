"""Hostile inputs and faults found by the adversarial pass (issue 13, "never shown here").

Each test failed on the code it was written against and passes since its fix. Every test is unit-level
and runs under a CPU-time alarm, so a regression into a hang cannot stall the suite.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pipeline.ingest import MAX_PUBLISHED, MIN_PUBLISHED, read_corpus
from pipeline.schemas import TABLE_MODELS, empty_frame
from pipeline.temporal import reference_date_from_text
from pipeline.warehouse import publish

LIMIT_SECONDS = 20

ARTICLE = (
    "Le conseil municipal de Quimper a voté mardi 5 mars 2024 la rénovation de la halle couverte. "
    "« Ce chantier attendait depuis dix ans », a déclaré Odile Kervella, adjointe au commerce, devant "
    "les élus. Les travaux commenceront en septembre et dureront dix-huit mois, selon la mairie, qui "
    "promet de reloger les commerçants sur la place voisine pendant toute la durée du chantier.\n"
)


def _too_slow(signum: int, frame: object) -> None:
    raise TimeoutError(f"over {LIMIT_SECONDS} s")


@contextmanager
def time_limit(seconds: int = LIMIT_SECONDS) -> Iterator[None]:
    """Fail instead of hanging: SIGALRM after ``seconds``."""
    previous = signal.signal(signal.SIGALRM, _too_slow)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _all_ids(documents, rejected) -> set[str]:
    return set(documents["doc_id"].to_list()) | set(rejected["doc_id"].to_list())


def test_a_file_name_that_is_not_utf8_is_a_row_not_a_crashed_run(tmp_path: Path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "normal.txt").write_text(ARTICLE, encoding="utf-8")
    with open(os.fsencode(seeds) + b"/latin\xe9.txt", "wb") as handle:
        handle.write(ARTICLE.encode("utf-8"))
    with time_limit():
        documents, rejected = read_corpus(seeds, cache_dir=tmp_path / "cache")
    assert "normal" in documents["doc_id"].to_list()
    assert len(_all_ids(documents, rejected)) == 2


def test_the_folder_fingerprint_survives_a_file_name_that_is_not_utf8(tmp_path: Path):
    from assets.automation import folder_fingerprint

    with open(os.fsencode(tmp_path) + b"/latin\xe9.txt", "wb") as handle:
        handle.write(ARTICLE.encode("utf-8"))
    with time_limit():
        assert len(folder_fingerprint(tmp_path)) == 64


def test_a_sidecar_with_a_lone_surrogate_escape_keeps_the_article(tmp_path: Path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "halle.txt").write_text(ARTICLE, encoding="utf-8")
    (seeds / "halle.meta.json").write_text('{"title": "La halle \\ud800 rouvre"}', encoding="utf-8")
    with time_limit():
        documents, rejected = read_corpus(seeds, cache_dir=tmp_path / "cache")
    assert documents["doc_id"].to_list() == ["halle"]
    assert "bad_sidecar" in rejected["reason"].to_list()


def test_a_deeply_nested_folder_does_not_crash_ingest(tmp_path: Path):
    seeds = tmp_path / "seeds"
    (seeds / "top.txt").parent.mkdir(parents=True)
    (seeds / "top.txt").write_text(ARTICLE, encoding="utf-8")
    levels = [seeds]
    try:
        for _ in range(1100):  # one level at a time: pathlib's and os's recursive makedirs hit the limit
            levels.append(levels[-1] / "d")
            levels[-1].mkdir()
        (levels[-1] / "bottom.txt").write_text(ARTICLE.replace("Quimper", "Morlaix"), encoding="utf-8")
        with time_limit():
            documents, rejected = read_corpus(seeds)
        assert "top" in documents["doc_id"].to_list()
        assert len(_all_ids(documents, rejected)) == 2  # the deep one is read, or recorded with a reason
    finally:
        _remove_levels(levels[1:])


def _remove_levels(levels: list[Path]) -> None:
    """Delete the nested folders bottom-up, one at a time: ``shutil.rmtree`` (and so pytest's own clean-up
    of old temporary folders) recurses once per level and would hit the same recursion limit."""
    for level in reversed(levels):
        for child in level.iterdir():
            child.unlink()
        level.rmdir()


@pytest.mark.parametrize("kind", ["missing", "a file"])
def test_a_seeds_dir_that_is_not_a_folder_is_an_error(tmp_path: Path, kind: str):
    seeds = tmp_path / "seeds"
    if kind == "a file":
        seeds.write_text(ARTICLE, encoding="utf-8")
    with time_limit(), pytest.raises(OSError):
        read_corpus(seeds)


def test_publishing_never_deletes_files_it_did_not_write(tmp_path: Path):
    warehouse = tmp_path / "wh"
    mine = warehouse / "parquet" / "mine" / "notes.csv"
    mine.parent.mkdir(parents=True)
    mine.write_text("a,b\n1,2\n", encoding="utf-8")
    tables = {name: empty_frame(name) for name in TABLE_MODELS}
    with time_limit():
        try:
            publish(tables, warehouse)
            publish(tables, warehouse)
        except OSError:
            pass  # refusing to publish over a folder it does not own is fine too
    assert any(path.read_text(encoding="utf-8") == "a,b\n1,2\n"
               for path in warehouse.rglob("notes.csv")), "the user's file was deleted"


# Found by ADV at 200fa4a (OverflowError on 'demain', the article lost every date); fixed by e2db32d.
@pytest.mark.parametrize("stamp", ["Publié le 31 décembre 9999 à 23h59",
                                   "Publié le 1er janvier 0001 à 00h01"])
def test_an_in_text_publication_date_is_bounded_like_a_sidecar_date(stamp: str):
    with time_limit():
        found = reference_date_from_text(f"{stamp}\n\n{ARTICLE}Demain, la halle fermera.\n")
    assert found.date is None or MIN_PUBLISHED <= found.date <= MAX_PUBLISHED


QUOTED_PARAGRAPH = (
    "Selon la préfecture, le sénateur Corentin Le Goff est arrivé à la mairie avec Yannick Kerhervé et "
    "Gwenola Tanguy. « Nous verrons bien », a déclaré Le Goff devant Tanguy."
)


def _quotes_cpu_seconds(nlp, paragraphs: int) -> float:
    """CPU seconds of ``extract_quotes`` on one article of ``paragraphs`` copies of one parsed paragraph
    (parsed once: the cost measured is the quote stage's, not the parser's)."""
    import time

    from pipeline.nlp import DocumentParse, ParsedParagraph
    from pipeline.quotes import extract_quotes

    doc = nlp(QUOTED_PARAGRAPH)
    step = len(QUOTED_PARAGRAPH) + 2
    text = "\n\n".join([QUOTED_PARAGRAPH] * paragraphs)
    paras = [ParsedParagraph(f"t:{i:04d}", i, i * step, doc) for i in range(paragraphs)]
    started = time.process_time()
    extract_quotes([DocumentParse("t", text, None, paras)], empty_frame("entity_mentions"),
                   empty_frame("entities"))
    return time.process_time() - started


def test_the_quote_stage_grows_linearly_with_the_article(nlp):
    with time_limit(60):
        small = _quotes_cpu_seconds(nlp, 60)
        large = _quotes_cpu_seconds(nlp, 240)
    assert large < 8 * small + 0.5, f"60 paragraphs: {small:.2f} s, 240 paragraphs: {large:.2f} s"


def _paragraph_quotes_cpu_seconds(parse, quotes: int) -> float:
    """CPU seconds of ``extract_quotes`` on one paragraph holding ``quotes`` short quotations."""
    import time

    from pipeline.quotes import extract_quotes

    text = ("La séance du conseil de Quimper a duré tard mardi soir.\n\n"
            + "« Non » " * quotes + ", ont répété les élus de l'opposition.\n")
    parsed = parse(text)
    started = time.process_time()
    extract_quotes([parsed], empty_frame("entity_mentions"), empty_frame("entities"))
    return time.process_time() - started


def test_the_quote_stage_grows_linearly_with_the_quotes_of_a_paragraph(parse):
    with time_limit(60):
        small = _paragraph_quotes_cpu_seconds(parse, 300)
        large = _paragraph_quotes_cpu_seconds(parse, 1200)
    assert large < 8 * small + 0.5, f"300 quotes: {small:.2f} s, 1,200 quotes: {large:.2f} s"
