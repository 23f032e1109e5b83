"""Per-stage code versions: a stage's version moves with its own rules and lexicons, not with another's."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import versions


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small package laid out like ``pipeline/``: two stages sharing a helper, one lexicon each."""
    (tmp_path / "lexicons").mkdir()
    (tmp_path / "helpers.py").write_text("def shared():\n    return 1\n")
    (tmp_path / "quotes.py").write_text('from pipeline.helpers import shared\nWORDS = "verbs.txt"\n')
    (tmp_path / "entities.py").write_text('from pipeline import helpers\nWORDS = "names.txt"\n')
    (tmp_path / "lexicons" / "verbs.txt").write_text("dire\n")
    (tmp_path / "lexicons" / "names.txt").write_text("Marie\n")
    monkeypatch.setattr(versions, "PACKAGE_DIR", tmp_path)
    monkeypatch.setattr(versions, "LEXICON_DIR", tmp_path / "lexicons")
    versions.module_version.cache_clear()
    yield tmp_path
    versions.module_version.cache_clear()


def _versions() -> tuple[str, str]:
    versions.module_version.cache_clear()
    return versions.module_version("quotes"), versions.module_version("entities")


def test_editing_one_stage_changes_only_its_version(package: Path) -> None:
    quotes, entities = _versions()
    (package / "quotes.py").write_text('from pipeline.helpers import shared\nWORDS = "verbs.txt"\nX = 2\n')
    new_quotes, new_entities = _versions()
    assert new_quotes != quotes and new_entities == entities


def test_a_lexicon_a_stage_names_is_part_of_its_version(package: Path) -> None:
    quotes, entities = _versions()
    (package / "lexicons" / "verbs.txt").write_text("dire\naffirmer\n")
    new_quotes, new_entities = _versions()
    assert new_quotes != quotes and new_entities == entities


def test_a_shared_helper_changes_every_stage_that_imports_it(package: Path) -> None:
    quotes, entities = _versions()
    (package / "helpers.py").write_text("def shared():\n    return 2\n")
    new_quotes, new_entities = _versions()
    assert new_quotes != quotes and new_entities != entities


def test_every_stage_of_the_real_package_has_a_version() -> None:
    versions.module_version.cache_clear()
    found = {stage: versions.stage_version(stage) for stage in versions.STAGE_MODULES}
    assert all(len(v) == 12 for v in found.values())
    assert found["quotes"] != found["entities"]
    assert found["paragraphs"] == found["boilerplate"]


def test_a_later_stage_moves_with_the_stages_its_key_does_not_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    """Editing the paragraph rules must recompute quotes (their key holds the file hash, not the paragraphs),
    while editing the quote rules must not recompute the paragraphs."""
    before = {stage: versions.stage_version(stage) for stage in ("paragraphs", "quotes")}
    real = versions.module_version
    monkeypatch.setattr(versions, "module_version", lambda m: "edited" if m == "paragraphs" else real(m))
    assert versions.stage_version("quotes") != before["quotes"]
    monkeypatch.setattr(versions, "module_version", lambda m: "edited" if m == "quotes" else real(m))
    assert versions.stage_version("paragraphs") == before["paragraphs"]


def test_the_versions_module_itself_is_no_stages_rule(package: Path) -> None:
    """A stage whose cache imports the versions module (ingest's does) must not change version when a
    stage's entry is added to it."""
    (package / "versions.py").write_text("STAGE_MODULES = {}\n")
    (package / "quotes.py").write_text("from pipeline.versions import stage_version\n")
    before = _versions()
    (package / "versions.py").write_text('STAGE_MODULES = {"timeline": ("events",)}\n')
    assert _versions() == before
