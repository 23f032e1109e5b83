"""One-screen summary of a published warehouse: rows per table, rejected files, where it is.

python -m pipeline.summary [WAREHOUSE_DIR]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb

from pipeline.warehouse import DATABASE_NAME, PARQUET_NAME, read_row_counts


def summarise(warehouse_dir: Path) -> str:
    """Shows the stable paths analysts open, and reads one release even if a publish switches meanwhile."""
    database = warehouse_dir.absolute() / DATABASE_NAME
    if not database.exists():
        return f"no warehouse at {database}: run `make run` first"
    release = database.resolve()
    counts = read_row_counts(release)
    lines = [
        f"warehouse: {database}",
        f"parquet:   {warehouse_dir.absolute() / PARQUET_NAME}",
        f"release:   {release.parent.name}",
        "",
    ]
    lines += [f"  {name:<22} {count:>8,} rows" for name, count in counts.items()]
    con = duckdb.connect(str(release), read_only=True)
    try:
        rejected = con.execute(
            "SELECT source_path, reason, detail FROM rejected_documents ORDER BY source_path"
        ).fetchall()
    finally:
        con.close()
    lines.append("")
    lines.append(f"rejected files: {len(rejected)}")
    lines += [f"  {Path(path).name}: {reason} ({detail})" for path, reason, detail in rejected[:20]]
    if len(rejected) > 20:
        lines.append(f"  ... and {len(rejected) - 20} more (SELECT * FROM rejected_documents)")
    lines.append("")
    lines.append(f"query it: .venv/bin/duckdb -readonly {database}")
    return "\n".join(lines)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("WAREHOUSE_DIR", "warehouse"))
    print(summarise(target))
