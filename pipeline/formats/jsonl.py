"""A JSON Lines export -> one record per article, or one bad line with its reason.

One JSON object per line (UTF-8, ``\\n`` or ``\\r\\n`` line ends, blank lines ignored). Fields: ``text``
(the article, required) or ``html`` (a saved page, read like an ``.html`` file), and optionally ``id``,
``title``, ``url``, ``source``, ``published_at``. This module only splits and parses: the optional fields
are checked by ingest (like a sidecar's), and so is the text.

Bad lines (reason codes): ``undecodable`` (not UTF-8), ``too_large`` (one line over the per-article byte
limit), ``invalid_json`` (not JSON, or JSON that is not an object), ``bad_id`` (an ``id`` that is neither
a non-empty string nor an integer), ``no_text`` (no non-empty ``text`` or ``html`` string).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from pipeline.formats import shorten

TEXT_FIELD, HTML_FIELD, ID_FIELD = "text", "html", "id"
OPTIONAL_FIELDS = ("title", "url", "source", "published_at")
UTF8_BOM = b"\xef\xbb\xbf"
DETAIL_CHARS = 80  # a bad id is quoted up to this length in its line's detail


@dataclass(frozen=True)
class Record:
    """One article line: its number (from 1), its bytes (without the line end: their hash identifies the
    article's content), its ``id`` if it gave one, its text or page markup, and its optional fields."""

    line: int
    raw: bytes
    record_id: str | None
    text: str | None
    html: str | None
    fields: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class BadLine:
    """A line that holds no usable article: where, why (a reason code), and a sentence for people."""

    line: int
    raw: bytes
    record_id: str | None
    reason: str
    detail: str


def read_records(raw: bytes, max_line_bytes: int) -> list[Record | BadLine]:
    """Every non-blank line of a JSON Lines file, in order, as a record or a bad line."""
    raw = raw.removeprefix(UTF8_BOM)
    out: list[Record | BadLine] = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        line = line.removesuffix(b"\r")
        if line.strip():
            out.append(parse_line(number, line, max_line_bytes))
    return out


def parse_line(number: int, line: bytes, max_line_bytes: int) -> Record | BadLine:
    """One line's record, or why it is not one."""
    if len(line) > max_line_bytes:
        return BadLine(number, line, None, "too_large", f"The line is {len(line):,} bytes, over the "
                                                        f"{max_line_bytes:,}-byte limit for one article.")
    try:
        data = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as err:
        return BadLine(number, line, None, "undecodable", f"The line is not UTF-8 (byte {err.start + 1}); "
                                                          "JSON Lines files are UTF-8.")
    except json.JSONDecodeError as err:
        return BadLine(number, line, None, "invalid_json", f"The line is not valid JSON ({err.msg}, "
                                                           f"column {err.colno}).")
    except (RecursionError, ValueError) as err:
        return BadLine(number, line, None, "invalid_json", f"The line cannot be parsed as JSON "
                                                           f"({type(err).__name__}).")
    if not isinstance(data, dict):
        return BadLine(number, line, None, "invalid_json", f"The line holds a JSON {type(data).__name__}, "
                                                           "not an object.")
    record_id, problem = _record_id(data.get(ID_FIELD))
    if problem is not None:
        return BadLine(number, line, None, "bad_id", problem)
    text, markup = _content(data.get(TEXT_FIELD)), _content(data.get(HTML_FIELD))
    if text is None and markup is None:
        return BadLine(number, line, record_id, "no_text", _no_text_detail(data))
    fields = {name: data[name] for name in OPTIONAL_FIELDS if data.get(name) is not None}
    return Record(number, line, record_id, text, None if text is not None else markup, fields)


def _record_id(value: object) -> tuple[str | None, str | None]:
    """(id, problem): a non-empty string (stripped) or an integer; absent is (None, None)."""
    if value is None:
        return None, None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value), None
    if isinstance(value, str) and value.strip():
        return value.strip(), None
    shown = shorten(repr(value), DETAIL_CHARS)
    return None, f"The 'id' {shown} is neither a non-empty string nor an integer."


def _content(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _no_text_detail(data: dict) -> str:
    present = [name for name in (TEXT_FIELD, HTML_FIELD) if name in data]
    if not present:
        return "The line has no 'text' field (nor an 'html' one): there is no article to read."
    shown = ", ".join(f"{name!r} is {shorten(repr(data[name]), 40)}" for name in present)
    return f"The line has no article text: {shown} (a non-empty string is needed)."
