"""Bytes -> canonical text: byte-order marks, UTF-8 (strict, then with a few invalid sequences replaced),
UTF-16 without BOM, a Western single-byte encoding detected by charset-normalizer, mojibake repaired by
ftfy, then one canonical form (``\\n`` line ends, no invisible or control characters, NFC). Every repair is
noted in ``decode_notes``; bytes that are not text are a rejection with its reason."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

import charset_normalizer
import ftfy

from pipeline.ingest.rejections import Rejection

# spaCy's own ``nlp.max_length`` default; a long press article is under 100,000 characters, so a text over
# this is an export of many articles or a data dump, and would cost the parser gigabytes.
MAX_ARTICLE_CHARS = 1_000_000
# UTF-8 with a few invalid bytes (a truncated copy, one byte of another encoding) is repaired with U+FFFD
# rather than lost: at most this many invalid sequences, or 0.1 % of the bytes if more...
MAX_INVALID_UTF8 = 10
# ...and at least this many valid non-ASCII characters per invalid sequence. A Western single-byte file
# (cp1252, latin-1) has no valid multi-byte sequences and an invalid one at every accented letter, so it
# never passes and goes on to charset detection.
MIN_VALID_PER_INVALID_UTF8 = 10
# Single-byte encodings a French text file without BOM plausibly uses (Windows, ISO, old Mac, DOS).
# charset-normalizer chooses among them from the bytes; restricting the candidates keeps short French
# texts from being read as Central European or Asian code pages.
WESTERN_ENCODINGS = ["cp1252", "iso8859_15", "latin_1", "mac_roman", "cp850"]
# BOMs, longest first (the UTF-32-LE BOM starts with the UTF-16-LE one).
BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
]
# Invisible characters removed at canonicalisation: zero-width space/joiners, word joiner, BOM used as
# ZWNBSP, soft hyphen. None of them carries meaning in French prose and they break token matching.
INVISIBLE_CHARS = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# Control characters allowed in text (everything else in Unicode category Cc counts as binary noise).
ALLOWED_CONTROLS = set("\n\r\t\f")
# Unicode category Cc (U+0000-U+001F, U+007F-U+009F) minus the allowed ones; a regex, not a loop per char.
_CC = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]]
CONTROL_CHARS = re.compile("[" + "".join(re.escape(c) for c in _CC if c not in ALLOWED_CONTROLS) + "]")
MAX_CONTROL_RATIO = 0.01


@dataclass(frozen=True)
class Decoded:
    """Canonical text of a file and how it was obtained."""

    text: str
    encoding: str
    notes: str | None = None


def decode_bytes(raw: bytes, max_chars: int | None = MAX_ARTICLE_CHARS) -> Decoded | Rejection:
    """Decode raw file bytes to canonical text, or say why they are not text.

    Order: BOM (UTF-8/16/32), strict UTF-8 (then ftfy repairs UTF-8 read twice as cp1252), UTF-8 with a
    few invalid sequences replaced, UTF-16 without BOM, then a Western single-byte encoding detected by
    charset-normalizer. Control characters are removed if rare, the file is ``binary`` if they are not.
    ``max_chars`` None: no length limit (markup, whose article text is measured after extraction).
    """
    if not raw:
        return Rejection("empty", "The file is empty (0 bytes).")
    decoded = _decode_with_bom(raw) or _decode_utf8(raw) or _decode_utf8_lenient(raw)
    if decoded is None and b"\x00" in raw:
        decoded = _decode_detected(raw, ["utf_16_le", "utf_16_be"])
        if decoded is None:
            return Rejection("binary", f"The file contains {raw.count(0)} NUL bytes: binary data, not text.")
    if decoded is None:
        decoded = _decode_detected(raw, WESTERN_ENCODINGS)
    if decoded is None:
        return Rejection("undecodable", "The bytes are neither UTF-8 nor a Western single-byte encoding "
                                        "that charset-normalizer recognises.")
    return finish_text(decoded, max_chars)


def finish_text(decoded: Decoded, max_chars: int | None = MAX_ARTICLE_CHARS) -> Decoded | Rejection:
    """Decoded text made canonical: control characters removed if rare (``binary`` if not), then
    ``whitespace_only`` and ``too_long`` (over ``max_chars``; None: no limit, for markup)."""
    controls = len(CONTROL_CHARS.findall(decoded.text))
    ratio = controls / len(decoded.text) if decoded.text else 0.0
    if ratio > MAX_CONTROL_RATIO:
        return Rejection("binary", f"{ratio:.0%} of the decoded characters are control characters: "
                                   "binary data, not text.")
    text = canonicalise(decoded.text)
    if not text.strip():
        return Rejection("whitespace_only", "The file holds only whitespace.")
    if max_chars is not None and len(text) > max_chars:
        return too_long(text, max_chars)
    removed = f"{controls} control character{'s' * (controls > 1)} removed" if controls else None
    return Decoded(text, decoded.encoding, _join_notes(decoded.notes, removed))


def too_long(text: str, max_chars: int = MAX_ARTICLE_CHARS) -> Rejection:
    """The rejection of a text over the per-article length limit."""
    return Rejection("too_long", f"The decoded text is {len(text):,} characters, over the "
                                 f"{max_chars:,}-character limit for one article.")


def _join_notes(*notes: str | None) -> str | None:
    return "; ".join(note for note in notes if note) or None


def _decode_with_bom(raw: bytes) -> Decoded | None:
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            try:
                text = raw[len(bom):].decode(encoding.replace("-sig", ""))
            except UnicodeDecodeError:
                return None
            return repair_mojibake(Decoded(text, encoding, "byte-order mark removed"))
    return None


def _decode_utf8(raw: bytes) -> Decoded | None:
    try:
        return repair_mojibake(Decoded(raw.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        return None


def _decode_utf8_lenient(raw: bytes) -> Decoded | None:
    """UTF-8 with a few invalid byte sequences, each replaced with U+FFFD; None unless the rest is clearly
    UTF-8 (see :data:`MAX_INVALID_UTF8` and :data:`MIN_VALID_PER_INVALID_UTF8`)."""
    text = raw.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - raw.count("\ufffd".encode())
    ascii_bytes = len(raw) - len(raw.translate(None, bytes(range(128))))  # each is one character
    valid_non_ascii = len(text) - ascii_bytes - text.count("\ufffd")
    too_many = invalid > max(MAX_INVALID_UTF8, len(raw) // 1000)
    if too_many or valid_non_ascii < MIN_VALID_PER_INVALID_UTF8 * invalid:
        return None
    note = f"{invalid} invalid UTF-8 byte sequence{'s' * (invalid > 1)} replaced with U+FFFD"
    return repair_mojibake(Decoded(text, "utf-8", note))


def repair_mojibake(decoded: Decoded) -> Decoded:
    """Undo UTF-8 that was once decoded as cp1252/latin-1 (``Ã©`` for ``é``), noting the repair."""
    fixed, steps = ftfy.fix_encoding_and_explain(decoded.text)
    if fixed == decoded.text or not steps:
        return decoded
    how = ", ".join(f"{action} {param}" for action, param in steps)
    return Decoded(fixed, decoded.encoding, _join_notes(decoded.notes, f"mojibake repaired by ftfy ({how})"))


def _decode_detected(raw: bytes, candidates: list[str]) -> Decoded | None:
    best = charset_normalizer.from_bytes(raw, cp_isolation=candidates).best()
    if best is None:
        return None
    return Decoded(str(best), best.encoding, f"encoding detected by charset-normalizer ({best.encoding})")


def canonicalise(text: str) -> str:
    """The one canonical form: no BOM, ``\\n`` line ends, no invisible or control characters (NUL...),
    Unicode NFC."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = CONTROL_CHARS.sub("", text.translate(INVISIBLE_CHARS))  # before NFC: they block composition
    return unicodedata.normalize("NFC", text)


def is_utf8(text: str) -> bool:
    """Whether ``text`` (a file name decoded with surrogate escapes, a JSON string with an escaped lone
    surrogate) is valid Unicode text, storable in a table."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
