#!/usr/bin/python3
"""Fit and evaluate herald's similarity ratings on SemEval-2022 Task 8 pairs.

  similarity_fit.py GOLD.csv FEATURES.csv [--write MODEL]

FEATURES.csv is `herald compare --pairs GOLD.csv --features`.  The ratings
are linear in the features (ridge regression on standardised features,
weights mapped back to raw ones).  Pairs that share an article are kept in
one fold (connected components of the article graph), so no article is
both trained and tested on.  Prints Pearson r per dimension and per
language pair: 5-fold cross-validation (every pair predicted by a model
that never saw it) and the held-out fold 0 under the model trained on
folds 1-4, which is the model --write saves (data/compare.model).

Plain Python, no third-party modules: the whole fit is a 45x45 solve.
"""
import csv
import math
import re
import sys
import zlib

DIMS = ["Geography", "Entities", "Time", "Narrative", "Overall", "Style", "Tone"]
RIDGE = 10.0


def pearson(x, y):
    n = len(x)
    if n < 3:
        return float("nan")
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else float("nan")


def solve(a, b):
    """Gaussian elimination with partial pivoting; a is n x n, b length n."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        if abs(m[c][c]) < 1e-12:
            continue
        for r in range(n):
            if r != c and m[r][c] != 0:
                f = m[r][c] / m[c][c]
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    return [m[i][n] / m[i][i] if abs(m[i][i]) > 1e-12 else 0.0 for i in range(n)]


def fit(X, y):
    """Ridge on standardised columns; returns (intercept, raw weights)."""
    n, k = len(X), len(X[0])
    mu = [sum(r[j] for r in X) / n for j in range(k)]
    sd = [math.sqrt(sum((r[j] - mu[j]) ** 2 for r in X) / n) or 1.0 for j in range(k)]
    Z = [[(r[j] - mu[j]) / sd[j] for j in range(k)] for r in X]
    ym = sum(y) / n
    A = [[sum(Z[i][p] * Z[i][q] for i in range(n)) + (RIDGE if p == q else 0.0)
          for q in range(k)] for p in range(k)]
    b = [sum(Z[i][p] * (y[i] - ym) for i in range(n)) for p in range(k)]
    w = solve(A, b)
    raw = [w[j] / sd[j] for j in range(k)]
    b0 = ym - sum(raw[j] * mu[j] for j in range(k))
    return b0, raw


def predict(model, x):
    b0, w = model
    v = b0 + sum(a * b for a, b in zip(w, x))
    return min(4.0, max(1.0, v))


def article_ids(pair_id):
    return [re.sub(r"[a-z]+$", "", p) for p in pair_id.split("_")]


def folds_by_component(rows):
    parent = {}

    def find(a):
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for r in rows:
        ids = article_ids(r["pair_id"])
        for other in ids[1:]:
            parent[find(ids[0])] = find(other)
    return [zlib.crc32(find(article_ids(r["pair_id"])[0]).encode()) % 5 for r in rows]


def main():
    args = sys.argv[1:]
    write = None
    if "--write" in args:
        i = args.index("--write")
        write = args[i + 1]
        del args[i:i + 2]
    gold = {r["pair_id"]: r for r in csv.DictReader(open(args[0], encoding="utf-8"))}
    feats = list(csv.DictReader(open(args[1], encoding="utf-8")))
    names = [c for c in feats[0].keys() if c not in ("pair_id", "lang1", "lang2", "translation")]
    rows = [r for r in feats if r["pair_id"] in gold]
    X = [[float(r[c]) for c in names] for r in rows]
    Y = {d: [float(gold[r["pair_id"]][d]) for r in rows] for d in DIMS}
    folds = folds_by_component(rows)
    lp = ["%s-%s" % (gold[r["pair_id"]]["lang1"], gold[r["pair_id"]]["lang2"]) for r in rows]

    cv = {d: [0.0] * len(rows) for d in DIMS}
    held = {}
    models = {}
    for f in range(5):
        tr = [i for i in range(len(rows)) if folds[i] != f]
        te = [i for i in range(len(rows)) if folds[i] == f]
        for d in DIMS:
            m = fit([X[i] for i in tr], [Y[d][i] for i in tr])
            for i in te:
                cv[d][i] = predict(m, X[i])
            if f == 0:
                models[d] = m
                held[d] = (te, [predict(m, X[i]) for i in te])

    print("pairs: %d (5 folds by connected article groups; fold 0: %d pairs)"
          % (len(rows), sum(1 for f in folds if f == 0)))
    print()
    print("| dimension | Pearson r, 5-fold CV | Pearson r, fold 0 (shipped model) |")
    print("|---|---|---|")
    for d in DIMS:
        te, pr = held[d]
        print("| %s | %.3f | %.3f |" % (d, pearson(cv[d], Y[d]), pearson(pr, [Y[d][i] for i in te])))
    print()
    # Peer in the same run: one TF-IDF cosine of words (the words feature
    # alone, squared back from its square root), no fitting.
    cosw = [float(r["words_mono"]) ** 2 + float(r["words_cross"]) ** 2 for r in rows]
    print("Peer: plain TF-IDF word cosine, unfitted: Overall r = %.3f"
          % -pearson(cosw, Y["Overall"]))
    print()
    print("Overall by language pair (5-fold CV):")
    print()
    print("| pair | n | Pearson r |")
    print("|---|---|---|")
    for p in sorted(set(lp), key=lambda p: -lp.count(p)):
        idx = [i for i in range(len(rows)) if lp[i] == p]
        print("| %s | %d | %.3f |" % (p, len(idx), pearson([cv["Overall"][i] for i in idx],
                                                           [Y["Overall"][i] for i in idx])))
    if write:
        with open(write, "w", encoding="utf-8") as out:
            out.write("# herald similarity model: per SemEval-2022 Task 8 dimension, an intercept\n")
            out.write("# and one weight per feature (see src/compare.c); ratings are clamped\n")
            out.write("# to 1..4.  Written by bench/similarity_fit.py from `herald compare\n")
            out.write("# --pairs --features` on data/similarity's training sample, folds 1-4\n")
            out.write("# (fold 0 held out), ridge %.1f.\n" % RIDGE)
            out.write("features " + " ".join(names) + "\n")
            for d in DIMS:
                b0, w = models[d]
                out.write(d + " " + " ".join("%.6g" % v for v in [b0] + w) + "\n")


if __name__ == "__main__":
    main()
