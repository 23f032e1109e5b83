"""The table contract: one pandera model per published table, and the validation helper.

Every stage validates its output with :func:`validate`; a failure raises :class:`TableValidationError`
whose message names the table, the column, the check, the failing rows (with their ``doc_id``) and values.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandera.polars as pa
import polars as pl
from pandera.errors import SchemaError, SchemaErrors

REFERENCE_DATE_BASES = ["sidecar", "html_metadata", "in_text", "inferred", "none"]
SOURCE_FORMATS = ["text", "html", "jsonl"]
# ``corpus``: dated from the events other articles report (pipeline/anchoring.py), after ingest.
RESOLUTION_BASES = [*REFERENCE_DATE_BASES, "corpus"]
GRANULARITIES = ["day", "week", "month", "year", "season", "quarter", "decade", "century"]
TIMEX_KINDS = ["absolute", "relative"]
QUOTE_KINDS = ["direct", "partial", "post"]
ENTITY_LABELS = ["PER", "ORG", "LOC", "MISC"]
EVENT_TYPES = [
    "dismissal",
    "resignation",
    "hiring",
    "appointment",
    "return",
    "statement",
    "founding",
    "launch",
    "investment",
    "negotiation",
    "threat",
    "election",
    "vote",
    "arrest",
    "trial",
    "death",
    "attack",
    "agreement",
    "other",
]
# Where an article's failure is recorded: the table whose rows that stage would have given it.
ARTICLE_STAGES = [
    "paragraphs",
    "parsed_paragraphs",
    "entity_mentions",
    "temporal_expressions",
    "dated_events",
    "reference_dates",
    "quotes",
]
MAX_ERROR_MESSAGE_CHARS = 300
ISO_VALUE = r"^\d{4}(-\d{2}(-\d{2})?|-W\d{2}|-(SP|SU|FA|WI|Q[1-4]))?$|^\d{2,3}$"


class _Strict(pa.DataFrameModel):
    class Config:
        strict = True  # an unexpected or missing column is a contract change, not a detail
        coerce = False


class _Span(_Strict):
    """Columns every row with provenance carries: offsets into ``documents.text``."""

    doc_id: str = pa.Field(nullable=False, str_length={"min_value": 1})
    doc_char_start: pl.Int64 = pa.Field(ge=0)
    doc_char_end: pl.Int64 = pa.Field(ge=0)

    @pa.dataframe_check(error="doc_char_end must be greater than doc_char_start")
    def span_not_empty(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("doc_char_end") > pl.col("doc_char_start"))


class Documents(_Strict):
    doc_id: str = pa.Field(unique=True, str_length={"min_value": 1})
    source_path: str
    text: str = pa.Field(str_length={"min_value": 1})
    n_chars: pl.Int64 = pa.Field(gt=0)
    content_sha256: str = pa.Field(str_matches=r"^[0-9a-f]{64}$")
    encoding: str
    decode_notes: str = pa.Field(nullable=True)
    language: str
    title: str = pa.Field(nullable=True)
    url: str = pa.Field(nullable=True)
    source: str = pa.Field(nullable=True)
    published_at: pl.Date = pa.Field(nullable=True)
    reference_date: pl.Date = pa.Field(nullable=True)
    reference_date_basis: str = pa.Field(isin=REFERENCE_DATE_BASES)
    reference_date_evidence: str = pa.Field(nullable=True)
    source_format: str = pa.Field(isin=SOURCE_FORMATS)


class RejectedDocuments(_Strict):
    doc_id: str
    source_path: str
    reason: str = pa.Field(str_length={"min_value": 1})
    detail: str = pa.Field(nullable=True)
    size_bytes: pl.Int64 = pa.Field(nullable=True, ge=0)


class Paragraphs(_Span):
    paragraph_id: str = pa.Field(unique=True)
    paragraph_index: pl.Int32 = pa.Field(ge=0)
    text: str = pa.Field(str_length={"min_value": 1})
    is_heading: bool


class Boilerplate(_Span):
    text: str
    rule: str = pa.Field(str_length={"min_value": 1})


class ParsedParagraphs(_Strict):
    paragraph_id: str = pa.Field(unique=True)
    doc_id: str
    docbin: pl.Binary


class EntityMentions(_Span):
    mention_id: str = pa.Field(unique=True)
    paragraph_id: str
    entity_id: str
    text: str = pa.Field(str_length={"min_value": 1})
    label: str = pa.Field(isin=ENTITY_LABELS)
    ner_label: str


class Entities(_Strict):
    entity_id: str = pa.Field(unique=True)
    name: str = pa.Field(str_length={"min_value": 1})
    label: str = pa.Field(isin=ENTITY_LABELS)
    aliases: pl.List(pl.Utf8)
    n_mentions: pl.Int64 = pa.Field(ge=1)
    n_documents: pl.Int64 = pa.Field(ge=1)


class TemporalExpressions(_Span):
    timex_id: str = pa.Field(unique=True)
    paragraph_id: str
    text: str = pa.Field(str_length={"min_value": 1})
    value: str = pa.Field(nullable=True, str_matches=ISO_VALUE)
    granularity: str = pa.Field(isin=GRANULARITIES)
    kind: str = pa.Field(isin=TIMEX_KINDS)
    anchor: str = pa.Field(nullable=True)
    flags: str = pa.Field(nullable=True)


class ReferenceDates(_Strict):
    doc_id: str = pa.Field(unique=True)
    reference_date: pl.Date = pa.Field(nullable=True)
    basis: str = pa.Field(isin=RESOLUTION_BASES)
    evidence: str = pa.Field(nullable=True)


class DatedEvents(_Span):
    event_id: str = pa.Field(unique=True)
    paragraph_id: str
    timex_id: str = pa.Field(nullable=True)
    date_value: str = pa.Field(str_matches=ISO_VALUE)
    granularity: str = pa.Field(isin=GRANULARITIES)
    event_type: str = pa.Field(isin=EVENT_TYPES)
    trigger: str
    participants: pl.List(pl.Utf8)
    participant_ids: pl.List(pl.Utf8)
    sentence: str


class Timeline(_Strict):
    timeline_id: str = pa.Field(unique=True)
    date_value: str = pa.Field(str_matches=ISO_VALUE)
    granularity: str = pa.Field(isin=GRANULARITIES)
    event_type: str = pa.Field(isin=EVENT_TYPES)
    participants: pl.List(pl.Utf8)
    n_sources: pl.Int64 = pa.Field(ge=1)
    doc_ids: pl.List(pl.Utf8)
    event_ids: pl.List(pl.Utf8)
    first_doc_id: str
    first_reported_on: pl.Date = pa.Field(nullable=True)
    sentence: str


class Quotes(_Span):
    quote_id: str = pa.Field(unique=True)
    paragraph_id: str
    text: str = pa.Field(str_length={"min_value": 1})
    kind: str = pa.Field(isin=QUOTE_KINDS)
    speaker: str = pa.Field(nullable=True)
    speaker_entity_id: str = pa.Field(nullable=True)
    cue: str = pa.Field(nullable=True)
    confidence: pl.Float64 = pa.Field(ge=0.0, le=1.0)
    quote_date: str = pa.Field(nullable=True, str_matches=ISO_VALUE)


class DroppedQuotations(_Span):
    """Text in quotation marks that is not somebody's words (a title, a product, a term, a translation, a
    teaser, a post, a repeat), with the reason it was not kept as a quotation."""

    text: str = pa.Field(str_length={"min_value": 1})
    reason: str = pa.Field(str_length={"min_value": 1})


class ArticleErrors(_Strict):
    """An article a stage failed on: that stage's rows of it are left out, everything else publishes."""

    doc_id: str = pa.Field(str_length={"min_value": 1})
    stage: str = pa.Field(isin=ARTICLE_STAGES)
    error_type: str = pa.Field(str_length={"min_value": 1})
    message: str = pa.Field(str_length={"min_value": 1, "max_value": MAX_ERROR_MESSAGE_CHARS})

    class Config:
        unique = ("doc_id", "stage")  # one record per article and stage, however many passes it failed


TABLE_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "documents": Documents,
    "rejected_documents": RejectedDocuments,
    "paragraphs": Paragraphs,
    "boilerplate": Boilerplate,
    "parsed_paragraphs": ParsedParagraphs,
    "entity_mentions": EntityMentions,
    "entities": Entities,
    "temporal_expressions": TemporalExpressions,
    "reference_dates": ReferenceDates,
    "dated_events": DatedEvents,
    "timeline": Timeline,
    "quotes": Quotes,
    "dropped_quotations": DroppedQuotations,
    "article_errors": ArticleErrors,
}


def empty_frame(table: str) -> pl.DataFrame:
    """A zero-row frame with exactly the columns and dtypes of ``table``."""
    return pl.DataFrame(schema=polars_schema(table))


def polars_schema(table: str) -> dict[str, pl.DataType]:
    """Column name -> polars dtype, in contract order."""
    schema = TABLE_MODELS[table].to_schema()
    return {name: col.dtype.type for name, col in schema.columns.items()}


@dataclass(frozen=True)
class FailureCase:
    table: str
    column: str | None
    check: str
    row: int | None
    doc_id: str | None
    value: str | None

    def describe(self) -> str:
        where = f"row {self.row}" if self.row is not None else "table"
        doc = f" (doc_id={self.doc_id})" if self.doc_id else ""
        column = self.column or "*"
        return f"{self.table}.{column}: check {self.check!r} failed at {where}{doc}: value {self.value!r}"


class TableValidationError(ValueError):
    """A table broke its contract; ``failures`` lists every failing (column, check, row, value)."""

    def __init__(self, table: str, failures: list[FailureCase], total: int):
        self.table = table
        self.failures = failures
        self.total = total
        shown = "\n  ".join(f.describe() for f in failures[:20])
        more = f"\n  ... and {total - 20} more" if total > 20 else ""
        super().__init__(f"table {table!r} failed validation ({total} failure(s)):\n  {shown}{more}")


def validate(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Validate ``frame`` against the model of ``table``; raise :class:`TableValidationError` on failure."""
    try:
        return TABLE_MODELS[table].validate(frame, lazy=True)
    except SchemaErrors as err:
        raise TableValidationError(table, *_failures(table, err.failure_cases, frame)) from None
    except SchemaError as err:  # raised without lazy collection, e.g. a wrong dtype on a strict model
        case = FailureCase(table, getattr(err, "column_name", None), str(err.check), None, None, str(err))
        raise TableValidationError(table, [case], 1) from None


def _failures(table: str, cases: pl.DataFrame, frame: pl.DataFrame) -> tuple[list[FailureCase], int]:
    doc_ids = frame["doc_id"].to_list() if "doc_id" in frame.columns else None
    out = []
    for case in cases.head(200).iter_rows(named=True):
        row = case.get("index")
        doc_id = doc_ids[row] if doc_ids is not None and row is not None and row < len(doc_ids) else None
        out.append(
            FailureCase(
                table,
                case.get("column"),
                str(case.get("check")),
                row,
                doc_id,
                None if case.get("failure_case") is None else str(case["failure_case"])[:200],
            )
        )
    return out, cases.height
