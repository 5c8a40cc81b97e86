#!/usr/bin/python3
"""The peer for bench/stories.sh: single-pass TF-IDF clustering, the
textbook baseline.  Each article (lower-cased word tokens, idf from the
whole collection) joins the story whose centroid is most similar by cosine
if that reaches the threshold, else starts one.  Prints `ext_id story`
lines as `herald export` would, for the thresholds given.

usage: stories_peer.py ARTICLES.jsonl THRESHOLD OUT"""
import json
import math
import re
import sys
from collections import Counter, defaultdict

WORD = re.compile(r"\w+", re.UNICODE)
arts = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
docs = [Counter(WORD.findall((a.get("title", "") + " " + a["text"]).lower())) for a in arts]
df = Counter(w for d in docs for w in d)
n = len(docs)
vecs = []
for d in docs:
    v = {w: (1 + math.log(c)) * math.log(n / df[w]) for w, c in d.items()}
    norm = math.sqrt(sum(x * x for x in v.values())) or 1
    vecs.append({w: x / norm for w, x in v.items()})
th = float(sys.argv[2])
cents, index = [], defaultdict(set)  # centroid sums; word -> stories
with open(sys.argv[3], "w", encoding="utf-8") as out:
    for a, v in zip(arts, vecs):
        top = sorted(v, key=v.get, reverse=True)[:10]  # candidates: stories sharing these
        cand = set().union(*(index[w] for w in top)) if top else set()
        best, bs = -1, -1.0
        for s in cand:
            c = cents[s]
            norm = math.sqrt(sum(x * x for x in c.values())) or 1
            sim = sum(x * c.get(w, 0) for w, x in v.items()) / norm
            if sim > bs:
                best, bs = s, sim
        if bs < th:
            best = len(cents)
            cents.append({})
        c = cents[best]
        for w, x in v.items():
            c[w] = c.get(w, 0) + x
            index[w].add(best)
        out.write(json.dumps({"ext_id": a["id"], "story": best + 1}) + "\n")
