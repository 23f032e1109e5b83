"""A table that breaks its contract fails with a message naming table, column, check, row, doc_id, value."""

from __future__ import annotations

import polars as pl
import pytest

from assets.checks import schema_check_result
from pipeline.schemas import TABLE_MODELS, TableValidationError, empty_frame, validate


def _mentions(**overrides: list) -> pl.DataFrame:
    rows = {
        "doc_id": ["a", "b"], "doc_char_start": [0, 10], "doc_char_end": [5, 14], "mention_id": ["m1", "m2"],
        "paragraph_id": ["a:0000", "b:0000"], "entity_id": ["E1", "E2"], "text": ["Paris", "Lyon"],
        "label": ["LOC", "LOC"], "ner_label": ["LOC", "LOC"],
    }
    rows.update(overrides)
    return pl.DataFrame(rows, schema=empty_frame("entity_mentions").schema)


def test_every_empty_table_is_valid() -> None:
    for table in TABLE_MODELS:
        validate(table, empty_frame(table))


def test_valid_frame_passes() -> None:
    assert validate("entity_mentions", _mentions()).height == 2


def test_bad_value_names_table_column_row_doc_and_value() -> None:
    with pytest.raises(TableValidationError) as info:
        validate("entity_mentions", _mentions(label=["LOC", "PLACE"]))
    message = str(info.value)
    assert "entity_mentions.label" in message
    assert "row 1" in message
    assert "doc_id=b" in message
    assert "'PLACE'" in message
    assert "isin" in message


def test_reversed_span_is_caught() -> None:
    with pytest.raises(TableValidationError) as info:
        validate("entity_mentions", _mentions(doc_char_end=[5, 3]))
    assert "doc_char_end must be greater than doc_char_start" in str(info.value)


def test_missing_column_is_a_contract_failure() -> None:
    with pytest.raises(TableValidationError) as info:
        validate("entity_mentions", _mentions().drop("ner_label"))
    assert "ner_label" in str(info.value)


def test_check_result_metadata_names_the_failing_article() -> None:
    result = schema_check_result("entity_mentions", _mentions(doc_id=["a", ""]))
    assert not result.passed
    assert result.metadata["table"].value == "entity_mentions"
    assert "doc_id" in result.metadata["failures"].value
    assert "str_length" in result.metadata["message"].value


def _errors(**overrides: list) -> pl.DataFrame:
    rows = {
        "doc_id": ["a", "a"], "stage": ["quotes", "dated_events"], "error_type": ["ValueError", "KeyError"],
        "message": ["cannot read", "'speaker'"],
    }
    rows.update(overrides)
    return pl.DataFrame(rows, schema=empty_frame("article_errors").schema)


def test_article_errors_hold_one_row_per_article_and_stage() -> None:
    assert validate("article_errors", _errors()).height == 2
    with pytest.raises(TableValidationError) as info:
        validate("article_errors", _errors(stage=["quotes", "quotes"]))
    assert "uniqueness" in str(info.value)


def test_article_errors_name_a_known_stage_and_a_bounded_message() -> None:
    with pytest.raises(TableValidationError) as info:
        validate("article_errors", _errors(stage=["quotes", "warehouse"]))
    assert "article_errors.stage" in str(info.value)
    with pytest.raises(TableValidationError) as info:
        validate("article_errors", _errors(message=["x" * 301, "ok"]))
    assert "article_errors.message" in str(info.value)
