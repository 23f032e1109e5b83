import os
import json, glob, os, re, datetime as dt
BASE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FMT = {'day': r'^\d{4}-\d{2}-\d{2}$', 'week': r'^\d{4}-W\d{2}$', 'month': r'^\d{4}-\d{2}$', 'year': r'^\d{4}$'}
WD = ['lundi','mardi','mercredi','jeudi','vendredi','samedi','dimanche']
MO = ['janvier','février','mars','avril','mai','juin','juillet','août','septembre','octobre','novembre','décembre']
errors = []; rows = []; tot = {'absolute': 0, 'relative': 0}
for gp in sorted(glob.glob(f'{BASE}/gold/*.json')):
    g = json.load(open(gp, encoding='utf-8')); stem = g['doc_id']
    assert stem == os.path.basename(gp)[:-5]
    txt = open(f'{BASE}/articles/{stem}.txt', encoding='utf-8').read()
    lines = set(l.strip() for l in txt.splitlines())
    meta = f'{BASE}/articles/{stem}.meta.json'
    if os.path.exists(meta):
        m = json.load(open(meta, encoding='utf-8'))
        if m['published_at'][:10] != g['reference_date']: errors.append((stem, 'sidecar date mismatch'))
    ref = dt.date.fromisoformat(g['reference_date'])
    for b in g['boilerplate']:
        if b.strip() not in lines: errors.append((stem, 'boilerplate not a line', b))
    for c in g['content']:
        if c not in txt: errors.append((stem, 'content missing', c))
    bp_spans = [(m.start(), m.end()) for b in g['boilerplate'] for m in re.finditer(re.escape(b), txt)]
    pos = 0; nrel = 0
    for t in g['timexes']:
        s, v, gr = t['text'], t['value'], t['granularity']
        i = txt.find(s, pos)
        while i >= 0 and (any(a <= i < b for a, b in bp_spans) or (i > 0 and txt[i-1].isalnum()) or (i+len(s) < len(txt) and txt[i+len(s)].isalnum())):
            i = txt.find(s, i + 1)
        if i < 0: errors.append((stem, 'text not found in order (outside boilerplate, word-bounded)', s)); continue
        pos = i + len(s)
        if v is not None and not re.match(FMT[gr], v): errors.append((stem, 'bad value format', s, v, gr))
        if gr == 'week' and v:
            y, w = int(v[:4]), int(v[6:]); dt.date.fromisocalendar(y, w, 1)
        if gr == 'day' and v:
            d = dt.date.fromisoformat(v)
            low = s.lower()
            for k, name in enumerate(WD):
                if re.search(r'\b' + name + r'\b', low) and 'nuit de' not in low:
                    if d.weekday() != k and 'weekday conflicts' not in t.get('note', ''):
                        errors.append((stem, 'weekday mismatch', s, v, d.strftime('%A')))
        if t['kind'] not in ('absolute', 'relative'): errors.append((stem, 'bad kind', s))
        tot[t['kind']] += 1; nrel += t['kind'] == 'relative'
    nw = len(txt.split())
    if not 300 <= nw <= 900: errors.append((stem, 'word count', nw))
    if not 6 <= len(g['timexes']) <= 15: errors.append((stem, 'n timexes', len(g['timexes'])))
    rows.append((stem, g['reference_date'], ref.strftime('%a'), 'sidecar' if os.path.exists(meta) else 'web dump', nw, len(g['timexes']), nrel))
print(f"{'file':42} {'ref date':10} {'dow':3} {'type':8} {'words':>5} {'timex':>5} {'rel':>4}")
for r in rows: print(f"{r[0]:42} {r[1]:10} {r[2]:3} {r[3]:8} {r[4]:5} {r[5]:5} {r[6]:4}")
print('total timexes', sum(tot.values()), tot)
print('ERRORS:' if errors else 'all checks passed')
for e in errors: print(' ', e)
