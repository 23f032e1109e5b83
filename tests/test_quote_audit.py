"""What the quotation filter drops is published with its reason, beside the quotations it keeps."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipeline.warehouse import DATABASE_NAME
from tests.runs import materialize_folder

ARTICLE = """\
Publié le 12 mars 2024

Le festival ouvre ses portes

La directrice du festival, Hélène Marchand, a présenté mardi le programme de la nouvelle édition.
« Nous attendons plus de vingt mille visiteurs cette année », a déclaré Hélène Marchand devant la presse.
La soirée d'ouverture sera consacrée à la projection du film « Les Jours tranquilles », tourné dans la région.
"""


def test_a_title_in_quotation_marks_is_published_as_dropped_with_its_reason(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "festival.txt").write_text(ARTICLE, encoding="utf-8")
    result = materialize_folder(seeds, tmp_path / "warehouse", tmp_path / "storage")
    assert result.success
    with duckdb.connect(str(tmp_path / "warehouse" / DATABASE_NAME), read_only=True) as con:
        quotes = con.execute("SELECT text, speaker FROM quotes").fetchall()
        dropped = con.execute("""
            SELECT q.text, q.reason, substr(d.text, q.doc_char_start + 1, q.doc_char_end - q.doc_char_start)
            FROM dropped_quotations q JOIN documents d USING (doc_id)
        """).fetchall()
    assert [text for text, _ in quotes] == ["Nous attendons plus de vingt mille visiteurs cette année"]
    assert [(text, reason) for text, reason, _ in dropped] == [("Les Jours tranquilles", "title")]
    assert all(text in source for text, _, source in dropped)
