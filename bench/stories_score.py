#!/usr/bin/python3
"""Score herald's stories against gold labels.

usage: stories_score.py clusters GOLD EXPORT   BCubed, pairwise and NMI
       stories_score.py pairs PAIRS EXPORT     same-story P/R/F1 on pairs

GOLD is {ext_id: cluster}; PAIRS is [[id1, id2, same, mono], ...]; EXPORT
is `herald export --json --no-text` (ext_id and story per article).
Prints one JSON object."""
import json
import math
import sys
from collections import Counter, defaultdict


def story_of(path):
    m = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            m[a.get("ext_id")] = a.get("story") or ("none", a["id"])
    return m


def prf(p, r):
    return {"P": round(p, 4), "R": round(r, 4), "F1": round(2 * p * r / (p + r) if p + r else 0, 4)}


def clusters(gold, pred):
    ids = [i for i in gold if i in pred]
    g = {i: gold[i] for i in ids}
    s = {i: pred[i] for i in ids}
    gsz, ssz = Counter(g.values()), Counter(s.values())
    both = Counter((g[i], s[i]) for i in ids)
    n = len(ids)
    # BCubed: per item, shares of its predicted (gold) cluster that are right.
    bp = sum(both[(g[i], s[i])] / ssz[s[i]] for i in ids) / n
    br = sum(both[(g[i], s[i])] / gsz[g[i]] for i in ids) / n
    # Pairwise: pairs in one predicted cluster that are in one gold cluster.
    c2 = lambda k: k * (k - 1) / 2
    tp = sum(c2(k) for k in both.values())
    pp = sum(c2(k) for k in ssz.values())
    gp = sum(c2(k) for k in gsz.values())
    # NMI with the arithmetic mean of the entropies.
    mi = sum(k / n * math.log(k * n / (gsz[a] * ssz[b])) for (a, b), k in both.items())
    hg = -sum(k / n * math.log(k / n) for k in gsz.values())
    hs = -sum(k / n * math.log(k / n) for k in ssz.values())
    nmi = 2 * mi / (hg + hs) if hg + hs else 1.0
    return {"articles": n, "gold_clusters": len(gsz), "stories": len(ssz),
            "bcubed": prf(bp, br), "pairwise": prf(tp / pp if pp else 0, tp / gp if gp else 0),
            "nmi": round(nmi, 4)}


def pairs(gold, pred):
    out = {}
    for name, want in (("mono", 1), ("cross", 0), ("all", None)):
        tp = fp = fn = tn = 0
        for a, b, same, mono in gold:
            if want is not None and mono != want:
                continue
            if a not in pred or b not in pred:
                continue
            got = pred[a] == pred[b]
            tp += got and same
            fp += got and not same
            fn += same and not got
            tn += not got and not same
        p = tp / (tp + fp) if tp + fp else 0
        r = tp / (tp + fn) if tp + fn else 0
        out[name] = dict(prf(p, r), pairs=tp + fp + fn + tn, tp=tp, fp=fp, fn=fn)
    return out


mode, goldf, exportf = sys.argv[1:4]
gold = json.load(open(goldf, encoding="utf-8"))
pred = story_of(exportf)
print(json.dumps(clusters(gold, pred) if mode == "clusters" else pairs(gold, pred)))
