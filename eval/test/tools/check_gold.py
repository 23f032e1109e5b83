"""Checks gold: verbatim, in-order occurrence of each timex text inside the article body
(word-boundary match), value/granularity format, weekday consistency, and recomputes simple
relative expressions from the reference date. Prints a summary table."""
import os
import json, re, glob, os, datetime as dt, sys
sys.path.insert(0, os.path.dirname(__file__))
from make_gold import D
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FMT = {"day": r"\d{4}-\d\d-\d\d", "week": r"\d{4}-W\d\d", "month": r"\d{4}-\d\d", "year": r"\d{4}"}
WD = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
NUM = {"deux": 2, "trois": 3, "cinq": 5, "dix": 10}
def iso_week(d): y, w, _ = d.isocalendar(); return f"{y}-W{w:02d}"
def simple(text, ref):
    t = text.lower(); D1 = dt.timedelta(days=1)
    if t in ("hier", "hier soir"): return (ref - D1).isoformat()
    if t == "avant-hier": return (ref - 2*D1).isoformat()
    if t == "demain": return (ref + D1).isoformat()
    if t in ("aujourd'hui", "ce matin"): return ref.isoformat()
    m = re.fullmatch(r"ce (\w+)( matin)?", t)
    if m and m.group(1) in WD:
        assert ref.weekday() == WD.index(m.group(1)), text
        return ref.isoformat()
    m = re.fullmatch(r"(\w+) (prochain|dernier)", t)
    if m and m.group(1) in WD:
        k = WD.index(m.group(1))
        if m.group(2) == "prochain":
            n = (k - ref.weekday()) % 7 or 7
            if n == 1: n = 8  # convention noted in gold: on the eve, 'X prochain' = next week's X
            return (ref + n*D1).isoformat()
        n = (ref.weekday() - k) % 7 or 7
        return (ref - n*D1).isoformat()
    if t == "la semaine dernière": return iso_week(ref - 7*D1)
    if t == "la semaine prochaine": return iso_week(ref + 7*D1)
    if t == "cette semaine": return iso_week(ref)
    if t == "le mois dernier":
        f = ref.replace(day=1) - D1; return f"{f.year}-{f.month:02d}"
    if t == "l'an dernier": return str(ref.year - 1)
    if t == "l'an prochain": return str(ref.year + 1)
    m = re.fullmatch(r"il y a (\w+) (ans|jours)", t)
    if m and m.group(1) in NUM:
        n = NUM[m.group(1)]
        return str(ref.year - n) if m.group(2) == "ans" else (ref - n*D1).isoformat()
    return None
errors = []; rows = []
for gp in sorted(glob.glob(f"{ROOT}/gold/*.json")):
    g = json.load(open(gp, encoding="utf-8")); stem = g["doc_id"]
    assert stem == os.path.basename(gp)[:-5]
    art = open(f"{ROOT}/articles/{stem}.txt", encoding="utf-8").read()
    meta = f"{ROOT}/articles/{stem}.meta.json"
    ref = dt.date.fromisoformat(g["reference_date"])
    spec = D[stem]
    if os.path.exists(meta):
        m = json.load(open(meta, encoding="utf-8"))
        assert m["published_at"][:10] == g["reference_date"], stem
        assert set(m) == {"published_at", "title", "url", "source"}
        assert art.splitlines()[0].strip() == m["title"], f"{stem}: title line != meta title"
    lo = art.index(spec["start"]) if spec["start"] else 0
    hi = art.index(spec["end"]) if spec["end"] else len(art)
    body = art[lo:hi]; pos = 0; nrel = 0
    for e in g["timexes"]:
        m = re.compile(r"(?<!\w)" + re.escape(e["text"]) + r"(?!\w)").search(body, pos)
        if not m: errors.append(f"{stem}: '{e['text']}' not found in order in body"); continue
        pos = m.end()
        gr, v = e["granularity"], e["value"]
        if gr not in FMT: errors.append(f"{stem}: bad granularity {gr}")
        if v is not None and not re.fullmatch(FMT[gr], v): errors.append(f"{stem}: '{e['text']}' value {v} != {gr}")
        if e["kind"] not in ("absolute", "relative"): errors.append(f"{stem}: bad kind")
        nrel += e["kind"] == "relative"
        if gr == "day" and v:
            d = dt.date.fromisoformat(v)
            for i, w in enumerate(WD):
                if re.search(rf"\b{w}\b", e["text"].lower()) and d.weekday() != i:
                    errors.append(f"{stem}: '{e['text']}' -> {v} is a {WD[d.weekday()]}")
        s = simple(e["text"], ref)
        if s is not None and s != v: errors.append(f"{stem}: '{e['text']}' gold {v} vs computed {s}")
    rows.append((stem, g["reference_date"], len(g["timexes"]), nrel, len(art.split()), "dump" if not os.path.exists(meta) else "clean+meta"))
print(f"{'file':34} {'ref date':10} {'type':10} {'words':>5} {'timexes':>7} {'relative':>8}")
for r in rows: print(f"{r[0]:34} {r[1]:10} {r[5]:10} {r[4]:5} {r[2]:7} {r[3]:8}")
print(f"{'TOTAL':34} {'':10} {'':10} {sum(r[4] for r in rows):5} {sum(r[2] for r in rows):7} {sum(r[3] for r in rows):8}")
print("ERRORS:" if errors else "no errors"); [print(" ", x) for x in errors]
