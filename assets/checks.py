"""Schema checks (pandera) surfaced as blocking Dagster asset checks, and materialisation metadata."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
import polars as pl

from pipeline.schemas import TableValidationError, validate

SCHEMA_CHECK = "schema"
PREVIEW_ROWS = 5
PREVIEW_CELL_CHARS = 60


def schema_check_spec(table: str, model: str | None = None) -> dg.AssetCheckSpec:
    """A blocking check: when a table breaks its contract, the stages after it do not run.

    ``model``: the contract the table follows when it is not its own (a stage's part of ``article_errors``).
    """
    whose = "its pandera model" if model is None else f"the pandera model of `{model}`"
    return dg.AssetCheckSpec(
        SCHEMA_CHECK,
        asset=table,
        blocking=True,
        description=f"`{table}` matches {whose} in pipeline/schemas.py",
    )


def schema_check_result(table: str, frame: pl.DataFrame, model: str | None = None) -> dg.AssetCheckResult:
    """Validate ``frame`` against the model of ``model`` (default: ``table``); on failure the metadata names
    table, column, check, rows, doc_ids and values."""
    try:
        validate(model or table, frame)
    except TableValidationError as err:
        failures = [
            {"column": f.column, "check": f.check, "row": f.row, "doc_id": f.doc_id, "value": f.value}
            for f in err.failures[:50]
        ]
        return dg.AssetCheckResult(
            asset_key=table,
            check_name=SCHEMA_CHECK,
            passed=False,
            severity=dg.AssetCheckSeverity.ERROR,
            description=str(err).splitlines()[0],
            metadata={
                "table": table,
                "n_failures": err.total,
                "failing_doc_ids": sorted({f.doc_id for f in err.failures if f.doc_id}),
                "failures": dg.MetadataValue.md(_markdown_table(pl.DataFrame(failures))),
                "message": dg.MetadataValue.text(str(err)),
            },
        )
    return dg.AssetCheckResult(
        asset_key=table, check_name=SCHEMA_CHECK, passed=True, metadata={"table": table, "rows": frame.height}
    )


def table_metadata(frame: pl.DataFrame, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Row count, a markdown preview of the first rows, the column schema, and stage-specific counts."""
    return {
        "dagster/row_count": frame.height,
        "preview": dg.MetadataValue.md(_markdown_table(_previewable(frame).head(PREVIEW_ROWS))),
        "dagster/column_schema": dg.TableSchema(
            columns=[dg.TableColumn(name, str(dtype)) for name, dtype in frame.schema.items()]
        ),
        **(extra or {}),
    }


def counts_by(frame: pl.DataFrame, column: str) -> dict[str, int]:
    """``{value: count}`` of one column, for metadata such as rejections per reason."""
    if frame.is_empty():
        return {}
    rows = frame.group_by(column).len().sort("len", descending=True).iter_rows()
    return {str(value): int(n) for value, n in rows}


def _previewable(frame: pl.DataFrame) -> pl.DataFrame:
    keep = [name for name, dtype in frame.schema.items() if dtype != pl.Binary]
    return frame.select(keep)


def _markdown_table(frame: pl.DataFrame) -> str:
    if frame.is_empty():
        return "_(no rows)_"
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    lines = [header, rule]
    for row in frame.iter_rows():
        lines.append("| " + " | ".join(_cell(value) for value in row) + " |")
    return "\n".join(lines)


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\n", " ").replace("|", "\\|")
    return text if len(text) <= PREVIEW_CELL_CHARS else text[: PREVIEW_CELL_CHARS - 1] + "…"
