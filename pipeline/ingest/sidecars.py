"""Sidecars: ``<name>.meta.json`` beside ``<name>.txt`` (or ``.html``, ``.htm``) gives the article's title,
URL, source and publication date. A sidecar is read once, never through a link leaving the input folder,
and never over :data:`MAX_SIDECAR_BYTES`; a bad field is dropped and reported, the article is kept. A
JSON Lines record's own fields are checked by the same rules."""

from __future__ import annotations

import datetime as dt
import errno
import json
from dataclasses import dataclass
from pathlib import Path

from pipeline.formats import MAX_PUBLISHED, MIN_PUBLISHED, shorten
from pipeline.ingest.decoding import is_utf8
from pipeline.ingest.listing import SIDECAR_SUFFIX, Listing, file_size, is_jsonl, list_inputs, read_checked
from pipeline.ingest.rejections import Rejection, rejected_row

# A sidecar holds a few short fields; a larger file is a mistake and is not parsed.
MAX_SIDECAR_BYTES = 1_000_000
TEXT_FIELDS = ("title", "url", "source")
SIDECAR_FIELDS = (*TEXT_FIELDS, "published_at")  # the ``documents`` columns a sidecar can fill


@dataclass(frozen=True)
class Sidecar:
    """Metadata from ``<name>.meta.json``; only the fields that parsed cleanly are set."""

    published_at: dt.date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class SidecarFile:
    """The sidecar at ``path`` as read once (its bytes are both the ingest cache's key and the metadata):
    ``raw`` None when there is none or it cannot be used, and then ``problem`` says why (None: absent)."""

    path: Path
    raw: bytes | None = None
    problem: str | None = None


def sidecar_path(txt_path: Path) -> Path:
    """``dir/name.txt`` (or ``name.TXT``, ``name.html``) -> ``dir/name.meta.json``."""
    return txt_path.with_name(txt_path.stem + SIDECAR_SUFFIX)


def read_sidecar(path: Path, root: Path | None = None) -> SidecarFile:
    """The sidecar file at ``path``: absent (including when the name is too long to exist), its bytes, or
    the problem that keeps it from being used (see :func:`pipeline.ingest.listing.read_limited`)."""
    try:
        path.lstat()
    except FileNotFoundError:
        return SidecarFile(path)
    except OSError as err:
        if err.errno == errno.ENAMETOOLONG:
            return SidecarFile(path)
    result = read_checked(path, MAX_SIDECAR_BYTES, root)
    return SidecarFile(path, result) if isinstance(result, bytes) else SidecarFile(path, None, result[1])


def sidecar_metadata(file: SidecarFile) -> tuple[Sidecar | None, list[str]]:
    """The metadata of a sidecar file (None if there is none or it is unusable) and the problems found."""
    if file.raw is None:
        return None, [file.problem] if file.problem else []
    try:
        return parse_sidecar(file.raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, ["is not UTF-8 text"]


def parse_sidecar(raw: str) -> tuple[Sidecar | None, list[str]]:
    """Sidecar fields from JSON text; a malformed file gives None, a bad field is dropped and reported."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        return None, [f"is not valid JSON ({err.msg} at line {err.lineno} column {err.colno})"]
    except RecursionError:
        return None, ["is nested too deeply to be parsed (arrays or objects inside each other)"]
    except ValueError as err:  # e.g. an integer over Python's digit limit
        return None, [f"cannot be parsed as JSON ({shorten(str(err))})"]
    if not isinstance(data, dict):
        return None, [f"holds a JSON {type(data).__name__}, not an object"]
    return sidecar_fields(data)


def sidecar_fields(data: dict) -> tuple[Sidecar, list[str]]:
    """The metadata fields of a sidecar's (or a JSON Lines record's) object; a bad field is dropped and
    reported."""
    problems: list[str] = []
    fields: dict[str, str | None] = {}
    for name in TEXT_FIELDS:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            problems.append(f"field {name!r} is not a string ({shorten(repr(value))})")
            value = None
        elif value is not None and not is_utf8(value):  # JSON may escape a lone surrogate ("\\ud800")
            problems.append(f"field {name!r} holds an escaped character that is not Unicode text")
            value = None
        fields[name] = (value.strip() or None) if isinstance(value, str) else None
    published_at = None
    if data.get("published_at") is not None:
        published_at = parse_iso_date(data["published_at"])
        if published_at is None:
            problems.append(f"published_at {shorten(repr(data['published_at']))} is not an ISO date "
                            "or datetime")
        elif not MIN_PUBLISHED <= published_at <= MAX_PUBLISHED:
            problems.append(f"published_at {data['published_at']!r} is out of range ({MIN_PUBLISHED} to "
                            f"{MAX_PUBLISHED})")
            published_at = None
    return Sidecar(published_at, **fields), problems


def parse_iso_date(value: object) -> dt.date | None:
    """The date of an ISO 8601 date or datetime string (``2023-11-20``, ``2023-11-20T08:15:00Z``)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        return None


def orphan_sidecars(root: Path, listing: Listing | None = None) -> list[dict]:
    """Rows for ``<name>.meta.json`` files that have no ``<name>.txt`` (any case) beside them, and for
    sidecars whose suffix is not in lower case (``A.META.JSON``: never read, so never silently lost)."""
    listing = listing or list_inputs(root)
    claimed = {sidecar_path(article) for article in listing.articles if not is_jsonl(article)}
    rows = []
    for meta in listing.sidecars:
        if meta not in claimed:
            name = meta.name[: -len(SIDECAR_SUFFIX)]
            detail = f"Sidecar {meta.name} has no article {name}.txt (or .html, .htm) beside it."
            if not meta.name.endswith(SIDECAR_SUFFIX):
                detail = (f"Sidecar {meta.name} is not read: the sidecar of {name}.txt must be named "
                          f"{name}{SIDECAR_SUFFIX}, in lower case.")
            rejection = Rejection("orphan_sidecar", detail)
            rows.append(rejected_row(name or meta.name, meta, rejection, file_size(meta, root)))
    return rows
