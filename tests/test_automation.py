"""The folder sensor asks for a run exactly when the input folder changes."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from assets.automation import folder_fingerprint
from assets.definitions import defs, seeds_folder_sensor
from assets.resources import PipelinePaths


def _tick(folder: Path, cursor: str | None):
    context = dg.build_sensor_context(cursor=cursor, resources={"paths": PipelinePaths(
        seeds_dir=str(folder), warehouse_dir=str(folder / "wh"))})
    return seeds_folder_sensor(context), context.cursor


def test_sensor_requests_a_run_on_new_changed_and_removed_files(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Un article.", encoding="utf-8")
    first, cursor = _tick(tmp_path, None)
    assert isinstance(first, dg.RunRequest)

    again, same_cursor = _tick(tmp_path, cursor)
    assert isinstance(again, dg.SkipReason)
    assert same_cursor == cursor

    (tmp_path / "b.txt").write_text("Un autre article.", encoding="utf-8")
    added, cursor_added = _tick(tmp_path, cursor)
    assert isinstance(added, dg.RunRequest)

    article.write_text("Un article modifié, plus long.", encoding="utf-8")
    changed, cursor_changed = _tick(tmp_path, cursor_added)
    assert isinstance(changed, dg.RunRequest)

    article.unlink()
    removed, _ = _tick(tmp_path, cursor_changed)
    assert isinstance(removed, dg.RunRequest)


def test_fingerprint_ignores_unrelated_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    before = folder_fingerprint(tmp_path)
    (tmp_path / "notes.docx").write_bytes(b"\0")
    assert folder_fingerprint(tmp_path) == before


def test_schedule_and_sensor_are_registered() -> None:
    assert defs.resolve_schedule_def("daily_refresh").cron_schedule == "0 3 * * *"
    assert defs.resolve_sensor_def("seeds_folder_sensor") is not None
