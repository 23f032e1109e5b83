"""Ingest against the hostile inputs a user will hit: special files, symbolic links, upper-case extensions,
over-long names, pathological sidecars, control characters, stray bytes, huge texts and unexpected
exceptions. Every case ends as a kept article or a ``rejected_documents`` row with a reason, never a hang
or a crash of the whole run."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
from pathlib import Path
from types import ModuleType

import pytest

import pipeline.ingest as ingest
from pipeline.ingest import (
    MAX_ARTICLE_CHARS,
    Decoded,
    Rejection,
    assign_doc_ids,
    corpus,
    decode_bytes,
    documents,
    parse_sidecar,
    read_corpus,
)
from pipeline.schemas import validate
from tests.test_ingest import FRENCH, rejections, write

OTHER = FRENCH.replace("budget", "plan de circulation").replace("écoles primaires", "pistes cyclables")
TIME_LIMIT = 120  # seconds; reading a small folder takes a few


def read_within(folder: Path, seconds: float = TIME_LIMIT, **kwargs):
    """``read_corpus(folder)`` in a thread; fail (and unblock any FIFO reader) if it does not finish."""
    result: dict = {}

    def run() -> None:
        try:
            result["frames"] = read_corpus(folder, **kwargs)
        except BaseException as err:  # reported in the test thread
            result["error"] = err

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        for fifo in (p for p in folder.rglob("*") if p.is_fifo()):
            # a writer that opens and closes gives a reader blocked in open() its end of file;
            # ENXIO: nobody is reading this one
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(10)
        pytest.fail(f"read_corpus did not finish within {seconds} s")
    if "error" in result:
        raise result["error"]
    return result["frames"]


def details(rejected) -> dict[str, str]:
    return dict(zip(rejected["doc_id"].to_list(), rejected["detail"].to_list(), strict=True))


def kept(documents) -> dict[str, dict]:
    return {row["doc_id"]: row for row in documents.iter_rows(named=True)}


# ------------------------------------------------------------------------------------------ 1. special files


def test_a_fifo_named_txt_is_rejected_not_waited_on(tmp_path: Path):
    write(tmp_path, "bon.txt", FRENCH)
    os.mkfifo(tmp_path / "tube.txt")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tmp_path / "prise.txt"))
        documents, rejected = read_within(tmp_path)
    assert documents["doc_id"].to_list() == ["bon"]
    assert rejections(rejected) == {"tube": "unreadable", "prise": "unreadable"}
    assert "named pipe" in details(rejected)["tube"] and "socket" in details(rejected)["prise"]
    validate("rejected_documents", rejected)


def test_a_fifo_sidecar_is_a_bad_sidecar_not_a_hang(tmp_path: Path):
    write(tmp_path, "bon.txt", FRENCH)
    os.mkfifo(tmp_path / "bon.meta.json")
    documents, rejected = read_within(tmp_path, cache_dir=tmp_path / "cache")
    assert documents["doc_id"].to_list() == ["bon"]
    assert rejections(rejected) == {"bon": "bad_sidecar"}
    assert "named pipe" in details(rejected)["bon"]


# ------------------------------------------------------------------------------------------ 2. symbolic links


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    """A seeds folder with links inside, outside, broken, looping, and a linked folder outside."""
    seeds, outside = tmp_path / "seeds", tmp_path / "ailleurs"
    write(outside, "secret.txt", OTHER)
    write(outside, "secret.meta.json", json.dumps({"title": "Titre venu d'ailleurs"}))
    write(outside, "dossier/autre.txt", OTHER)
    write(seeds, "bon.txt", FRENCH)
    write(seeds, "sous/vrai.txt", OTHER)
    os.symlink(seeds / "sous" / "vrai.txt", seeds / "alias.txt")  # inside: read
    os.symlink(outside / "secret.txt", seeds / "fuite.txt")  # outside: not followed
    os.symlink(Path("..") / "ailleurs" / "secret.txt", seeds / "relatif.txt")  # relative, outside
    os.symlink(outside / "absent.txt", seeds / "mort.txt")  # broken, outside
    os.symlink("boucle2.txt", seeds / "boucle1.txt")
    os.symlink("boucle1.txt", seeds / "boucle2.txt")
    os.symlink(outside / "dossier", seeds / "archive")  # a linked folder outside: not descended
    os.symlink(outside / "secret.meta.json", seeds / "bon.meta.json")  # a sidecar outside
    return seeds


def test_links_inside_are_read_and_links_outside_are_not(linked: Path):
    documents, rejected = read_within(linked)
    by_id = kept(documents)
    assert sorted(by_id) == ["alias", "bon", "vrai"]
    assert by_id["alias"]["text"] == OTHER
    assert by_id["bon"]["title"] is None  # the sidecar outside was not read
    assert all("Titre venu" not in str(row) for row in rejected.iter_rows())
    assert rejections(rejected) == {
        "fuite": "symlink_outside", "relatif": "symlink_outside", "mort": "symlink_outside",
        "boucle1": "unreadable", "boucle2": "unreadable", "bon": "bad_sidecar",
    }
    text = details(rejected)
    outside = Path(os.path.realpath(linked.parent / "ailleurs"))
    assert str(outside / "secret.txt") in text["fuite"]
    assert str(outside / "secret.txt") in text["relatif"]
    assert str(outside / "absent.txt") in text["mort"]
    assert "loop" in text["boucle1"]
    assert "outside the seeds folder" in text["bon"]
    assert "autre" not in set(documents["doc_id"])
    validate("rejected_documents", rejected)


def test_a_seeds_folder_reached_through_a_link_still_reads_its_own_links(linked: Path, tmp_path: Path):
    entry = tmp_path / "entree"
    os.symlink(linked, entry)
    documents, rejected = read_within(entry)
    assert sorted(documents["doc_id"]) == ["alias", "bon", "vrai"]
    assert rejections(rejected)["fuite"] == "symlink_outside"


# ------------------------------------------------------------------------------------------ 3. extensions


def test_upper_case_extensions_are_articles_with_their_sidecar(tmp_path: Path):
    write(tmp_path, "MAJ.TXT", FRENCH)
    write(tmp_path, "MAJ.meta.json", json.dumps({"title": "Titre en capitales"}))
    write(tmp_path, "Mixte.Txt", OTHER)
    documents, rejected = read_within(tmp_path)
    by_id = kept(documents)
    assert sorted(by_id) == ["MAJ", "Mixte"]
    assert by_id["MAJ"]["title"] == "Titre en capitales"
    assert rejected.height == 0  # MAJ.meta.json is not an orphan


def test_a_sidecar_suffix_in_capitals_is_reported_not_ignored(tmp_path: Path):
    write(tmp_path, "bon.txt", FRENCH)
    write(tmp_path, "bon.META.JSON", json.dumps({"title": "Titre"}))
    documents, rejected = read_within(tmp_path)
    assert documents["title"].to_list() == [None]
    assert rejections(rejected) == {"bon": "orphan_sidecar"}
    assert "must be named bon.meta.json" in details(rejected)["bon"]


def test_same_stem_in_two_cases_gets_deterministic_ids(tmp_path: Path):
    paths = [tmp_path / "a.txt", tmp_path / "a.TXT", tmp_path / "b.Txt"]
    ids = assign_doc_ids(paths, tmp_path)
    assert ids == assign_doc_ids(list(reversed(paths)), tmp_path)
    assert sorted(ids.values()) == ["a", "a~2", "b"]


# ------------------------------------------------------------------------------------------ 4. long names


def test_a_name_too_long_for_a_sidecar_means_no_sidecar(tmp_path: Path):
    name = "n" * 246 + ".txt"  # 250 bytes: "<stem>.meta.json" would be 256, over NAME_MAX
    write(tmp_path, name, FRENCH)
    documents, rejected = read_within(tmp_path, cache_dir=tmp_path / "cache")
    assert documents["doc_id"].to_list() == ["n" * 246]
    assert rejected.height == 0


# ------------------------------------------------------------------------------------------ 5. sidecars


@pytest.mark.parametrize(("content", "words"), [
    ("[" * 100_000, "nested too deeply"),
    ('{"title": ' + "1" * 5000 + "}", "cannot be parsed"),
])
def test_pathological_json_is_a_bad_sidecar(tmp_path: Path, content: str, words: str):
    sidecar, problems = parse_sidecar(content)
    assert sidecar is None and len(problems) == 1 and words in problems[0]
    write(tmp_path, "bon.txt", FRENCH)
    write(tmp_path, "bon.meta.json", content)
    documents, rejected = read_within(tmp_path)
    assert documents["doc_id"].to_list() == ["bon"]
    assert rejections(rejected) == {"bon": "bad_sidecar"}
    assert words in details(rejected)["bon"] and "processed without it" in details(rejected)["bon"]


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "1799-12-31T23:59:00", "2101-01-01"])
def test_sidecar_dates_out_of_range_are_ignored(tmp_path: Path, date: str):
    sidecar, problems = parse_sidecar(json.dumps({"published_at": date, "title": "Titre"}))
    assert sidecar.published_at is None and sidecar.title == "Titre"
    assert problems == [f"published_at {date!r} is out of range (1800-01-01 to 2100-12-31)"]
    write(tmp_path, "bon.txt", FRENCH)
    write(tmp_path, "bon.meta.json", json.dumps({"published_at": date}))
    documents, rejected = read_within(tmp_path)
    assert documents["reference_date_basis"][0] != "sidecar"
    assert rejections(rejected) == {"bon": "bad_sidecar"}


def test_sidecar_dates_at_the_bounds_are_kept():
    for date in ("1800-01-01", "2100-12-31"):
        assert parse_sidecar(json.dumps({"published_at": date})) == (
            ingest.Sidecar(published_at=ingest.parse_iso_date(date)), [])


# -------------------------------------------------------------------------------- 6. control characters


def test_nul_and_control_characters_are_removed_and_noted():
    raw = FRENCH.replace("mardi", "mar\x00di").replace("budget", "bud\x00\x00get")
    raw = raw.replace("avenir", "ave\x07nir") + "\n\n" + OTHER  # 4 in 750 characters: under 1 %
    result = decode_bytes(raw.encode("utf-8"))
    assert isinstance(result, Decoded), result
    assert result.text == FRENCH + "\n\n" + OTHER
    assert result.encoding == "utf-8"
    assert result.notes == "4 control characters removed"


def test_tabs_and_line_breaks_are_not_control_noise():
    result = decode_bytes(("Titre\n\n\tPremier paragraphe.\r\n" + FRENCH).encode("utf-8"))
    assert isinstance(result, Decoded) and result.notes is None


def test_nul_bytes_in_a_kept_article_never_reach_the_table(tmp_path: Path):
    write(tmp_path, "nul.txt", FRENCH.replace(" ", " \x00", 3).encode("utf-8"))
    documents, rejected = read_within(tmp_path)
    assert rejected.height == 0
    assert documents["text"][0] == FRENCH and "\x00" not in documents["text"][0]
    assert documents["decode_notes"][0] == "3 control characters removed"


# ------------------------------------------------------------------------------------------ 7. stray bytes


def test_one_invalid_byte_does_not_lose_a_utf8_article():
    raw = FRENCH.encode("utf-8").replace(b"budget", b"bud\xffget")
    result = decode_bytes(raw)
    assert isinstance(result, Decoded), result
    assert result.encoding == "utf-8"
    assert result.text == FRENCH.replace("budget", "bud\ufffdget")
    assert result.notes == "1 invalid UTF-8 byte sequence replaced with U+FFFD"


def test_a_few_invalid_bytes_in_a_long_utf8_article():
    text = "\n\n".join([FRENCH, OTHER] * 5)
    raw = text.encode("utf-8").replace(b"quartier", b"quart\x92ier")
    result = decode_bytes(raw)
    assert isinstance(result, Decoded), result
    assert result.encoding == "utf-8"
    assert result.text == text.replace("quartier", "quart\ufffdier")
    assert result.notes == "10 invalid UTF-8 byte sequences replaced with U+FFFD"


def test_a_genuine_fffd_is_not_counted_as_a_replacement():
    raw = (FRENCH + " \ufffd").encode("utf-8").replace(b"budget", b"bud\xffget")
    result = decode_bytes(raw)
    assert result.notes == "1 invalid UTF-8 byte sequence replaced with U+FFFD"


@pytest.mark.parametrize("text", [
    "Le maire a parlé.\n" + FRENCH.replace("é", "e").replace("à", "a"),  # a single accented letter
    FRENCH + " Œuvre coûteuse : 5 € le mètre.",
])
def test_cp1252_files_are_still_cp1252(text: str):
    result = decode_bytes(text.encode("cp1252"))
    assert isinstance(result, Decoded), result
    assert result.text == text
    assert "\ufffd" not in result.text


# ------------------------------------------------------------------------------------------ 8. too long


def test_a_text_over_the_character_limit_is_too_long(tmp_path: Path):
    sentence = "Le conseil a voté le budget de la commune. "
    text = sentence * (MAX_ARTICLE_CHARS // len(sentence) + 1)
    result = decode_bytes(text.encode("utf-8"))
    assert isinstance(result, Rejection) and result.reason == "too_long"
    assert f"{len(text):,} characters" in result.detail
    assert isinstance(decode_bytes(text[:MAX_ARTICLE_CHARS].encode("utf-8")), Decoded)
    write(tmp_path, "long.txt", text)
    write(tmp_path, "bon.txt", FRENCH)
    documents, rejected = read_within(tmp_path)
    assert documents["doc_id"].to_list() == ["bon"]
    assert rejections(rejected) == {"long": "too_long"}


# -------------------------------------------------------------------------------- 9. no file fails ingest


def _raising_on(original, marker: str):
    def guarded(value, *args, **kwargs):
        seen = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        if marker in seen:
            raise RuntimeError(f"panne provoquée sur {marker}")
        return original(value, *args, **kwargs)
    return guarded


@pytest.mark.parametrize(("module", "function"), [(documents, "reference_date_from_text"),
                                                   (documents, "decode_bytes"), (corpus, "read_sidecar")])
def test_an_unexpected_error_on_one_file_spares_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: ModuleType, function: str
):
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    write(seeds, "a.txt", FRENCH)
    write(seeds, "piege.txt", OTHER.replace("conseil", "conseil piégé"))
    write(seeds, "piege.meta.json", json.dumps({"title": "Titre"}))
    write(seeds, "b.txt", OTHER)
    marker = "piege.meta.json" if function == "read_sidecar" else "piégé"
    monkeypatch.setattr(module, function, _raising_on(getattr(module, function), marker))
    documents, rejected = read_within(seeds, cache_dir=cache)
    assert sorted(documents["doc_id"]) == ["a", "b"]
    assert rejections(rejected) == {"piege": "ingest_error"}
    assert "RuntimeError" in details(rejected)["piege"] and "panne provoquée" in details(rejected)["piege"]
    validate("rejected_documents", rejected)
    monkeypatch.undo()
    documents, rejected = read_within(seeds, cache_dir=cache)  # the failure was not cached
    assert sorted(documents["doc_id"]) == ["a", "b", "piege"]
    assert rejected.height == 0


def test_a_folder_that_cannot_be_listed_is_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write(tmp_path, "bon.txt", FRENCH)
    write(tmp_path, "ferme/cache.txt", OTHER)
    original = os.scandir

    def guarded(path=".", *args):
        if Path(path) == tmp_path / "ferme":  # as root, chmod cannot deny the listing: simulate it
            raise PermissionError(13, "Permission denied", str(path))
        return original(path, *args)

    monkeypatch.setattr(os, "scandir", guarded)
    documents, rejected = read_within(tmp_path)
    assert documents["doc_id"].to_list() == ["bon"]
    assert rejections(rejected) == {"ferme": "unreadable"}
    assert "cannot be listed (Permission denied)" in details(rejected)["ferme"]


PAYWALL_PAGE = """Accueil  Actualités  Économie  Sport  Culture
(BUTTON) Se connecter
* Régions
* Politique
* Société
* Environnement
* Vidéos
* Podcasts
* Newsletters
* Abonnement

Économie

La filière laitière bretonne face à la baisse des prix

Publié le 12 mars 2024 à 07h15

Les producteurs de lait du Finistère ont vu le prix payé par les laiteries reculer pour le troisième mois
consécutif, une situation qui inquiète la chambre d'agriculture.

Cet article est réservé aux abonnés. Il vous reste 85 % à découvrir.
Déjà abonné ? Se connecter
Abonnez-vous pour lire la suite

(BUTTON) Partager
Mentions légales  Contact  Plan du site
"""


def test_a_paywall_stub_is_rejected_with_its_own_reason(tmp_path: Path) -> None:
    """A saved page whose article is a teaser behind a subscription wall is no article to analyse."""
    (tmp_path / "stub.txt").write_text(PAYWALL_PAGE, encoding="utf-8")
    (tmp_path / "bon.txt").write_text(FRENCH, encoding="utf-8")
    documents, rejected = read_corpus(tmp_path)
    assert documents["doc_id"].to_list() == ["bon"]
    row = rejected.row(0, named=True)
    assert (row["doc_id"], row["reason"]) == ("stub", "paywall_stub")
    assert "subscribers" in row["detail"]
