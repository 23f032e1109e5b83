"""The input folder: which files are articles and sidecars (a walk that survives deep nesting, names
that are not UTF-8 and folders that cannot be listed), and reading one file safely (only regular files,
links followed only inside the folder, a size limit checked on the open handle)."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from pipeline.ingest.decoding import is_utf8
from pipeline.ingest.rejections import Rejection, rejected_row

ARTICLE_SUFFIX = ".txt"  # suffixes are matched case-insensitively
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIX = ".jsonl"
ARTICLE_SUFFIXES = (ARTICLE_SUFFIX, *HTML_SUFFIXES, JSONL_SUFFIX)
# A JSON Lines file holds many articles: it may be larger than one article file (each of its lines is
# still held to the per-article byte limit).
MAX_JSONL_BYTES = 500_000_000
SIDECAR_SUFFIX = ".meta.json"
# Suffixes whose file can have a sidecar; a .jsonl file carries its metadata in its lines.
SIDECAR_OWNERS = (ARTICLE_SUFFIX, *HTML_SUFFIXES)
FILE_KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket",
              stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device"}


@dataclass(frozen=True)
class Listing:
    """What ``SEEDS_DIR`` holds: article and sidecar paths (sorted) and the folders that could not be
    listed (their articles would otherwise be lost without a word)."""

    articles: list[Path]
    sidecars: list[Path]
    unlistable: list[OSError]


def list_inputs(root: Path) -> Listing:
    """Every article file (``*.txt``, ``*.html``, ``*.htm``, ``*.jsonl``, any case) and ``*.meta.json``
    under ``root``; links to folders are not descended
    (one inside ``root`` is listed through its real path, one outside is not part of the corpus).

    ``root`` itself must be a folder: a missing or mistyped ``SEEDS_DIR`` is an error, never an empty
    corpus that would publish an empty warehouse. The walk keeps its own stack (``os.walk`` recurses once
    per level and a folder nested a thousand deep exhausted it). A name that is not valid UTF-8 cannot be
    stored in any table: it is reported as an unlistable entry, with its bytes escaped.
    """
    if not root.is_dir():
        what = "does not exist" if not root.exists() else "is not a folder"
        raise NotADirectoryError(errno.ENOTDIR, f"the input folder SEEDS_DIR {what}", str(root))
    articles: list[Path] = []
    sidecars: list[Path] = []
    unlistable: list[OSError] = []
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as entries:
                found = list(entries)
        except OSError as err:
            unlistable.append(err)
            continue
        for entry in found:
            if not is_utf8(entry.name):
                unlistable.append(OSError(errno.EILSEQ, "name not UTF-8", printable(entry.path)))
                continue
            name = entry.name.lower()
            if name.endswith(ARTICLE_SUFFIXES):
                articles.append(Path(entry.path))
            elif name.endswith(SIDECAR_SUFFIX):  # any case, so a misnamed one is reported
                sidecars.append(Path(entry.path))
            elif entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))
    return Listing(sorted(articles), sorted(sidecars), unlistable)


def printable(path: str) -> str:
    """A path whose bytes are not UTF-8, with the bad bytes escaped (``latin\\xe9.txt``)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def outside_link(path: Path, root: Path | None) -> Path | None:
    """The resolved target of ``path`` if it is a symbolic link leading outside ``root``, else None."""
    if root is None or not path.is_symlink():
        return None
    target = Path(os.path.realpath(path))
    return None if target.is_relative_to(os.path.realpath(root)) else target


def _path_problem(path: Path, root: Path | None) -> tuple[str, str] | None:
    """(reason, fragment) if ``path`` must not be opened: gone, a link leaving ``root``, a broken link or a
    loop, or not a regular file (a FIFO would block ``open`` until someone writes to it)."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return "unreadable", "disappeared between listing and reading"
    except OSError as err:
        return "unreadable", f"cannot be read: {err.strerror or err}"
    if stat.S_ISLNK(info.st_mode):
        target = outside_link(path, root)
        if target is not None:
            return "symlink_outside", (f"is a symbolic link to {target}, outside the seeds folder, and is "
                                       "not followed")
        try:
            info = path.stat()
        except FileNotFoundError:
            return "unreadable", (f"is a symbolic link to {os.path.realpath(path)}, which does not exist "
                                  "(a broken link, or its target disappeared)")
        except OSError as err:
            if err.errno == errno.ELOOP:
                return "unreadable", f"is a symbolic link in a loop (it points to {os.readlink(path)})"
            return "unreadable", f"cannot be read: {err.strerror or err}"
    if not stat.S_ISREG(info.st_mode):
        return "unreadable", _not_regular(info.st_mode)
    return None


def _not_regular(mode: int) -> str:
    kind = FILE_KINDS.get(stat.S_IFMT(mode), "not a regular file")
    return f"is {kind}, not a regular file, and is not read"


def read_checked(path: Path, max_bytes: int, root: Path | None) -> bytes | tuple[str, str]:
    """The bytes of a regular file, or (reason, fragment) saying why not (see :func:`read_limited`)."""
    problem = _path_problem(path, root)
    if problem is not None:
        return problem
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())  # the path may have been replaced since the check
            if not stat.S_ISREG(info.st_mode):
                return "unreadable", _not_regular(info.st_mode)
            if info.st_size > max_bytes:
                return "too_large", f"is {info.st_size:,} bytes, over the {max_bytes:,}-byte limit"
            raw = handle.read(max_bytes + 1)
    except FileNotFoundError:
        return "unreadable", "disappeared between listing and reading"
    except OSError as err:
        return "unreadable", f"cannot be read: {err.strerror or err}"
    if len(raw) > max_bytes:
        return "too_large", f"grew over the {max_bytes:,}-byte limit while being read"
    return raw


def read_limited(path: Path, max_bytes: int, root: Path | None = None) -> bytes | Rejection:
    """The file's bytes, or a rejection: it cannot be read, is not a regular file, is a link leaving
    ``root`` (when given), or is larger than ``max_bytes``."""
    result = read_checked(path, max_bytes, root)
    return result if isinstance(result, bytes) else Rejection(result[0], f"The file {result[1]}.")


def is_jsonl(path: Path) -> bool:
    """Whether ``path`` is a JSON Lines file (many articles, one a line, each with its own metadata)."""
    return path.name.lower().endswith(JSONL_SUFFIX)


def file_size(path: Path, root: Path | None = None) -> int | None:
    """Size in bytes, None if unknown or if ``path`` is a link leading outside ``root``."""
    try:
        return None if outside_link(path, root) is not None else path.stat().st_size
    except OSError:
        return None


def unlistable_rows(errors: list[OSError]) -> list[dict]:
    """One ``unreadable`` row per folder that could not be listed: its articles are not read."""
    rows = []
    for err in errors:
        entry = Path(printable(str(err.filename)))
        if err.errno == errno.EILSEQ:
            detail = f"The name of {entry.name} is not valid UTF-8; rename it to read it."
        else:
            detail = (f"The folder {entry.name} cannot be listed ({err.strerror or err}); the articles in "
                      "it are not read.")
        rows.append(rejected_row(entry.name, entry, Rejection("unreadable", detail), None))
    return rows
