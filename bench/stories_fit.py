#!/usr/bin/python3
"""Fit the story model (data/story.model) on traced decisions.

usage: stories_fit.py OUT.model NAME:TRACE:GOLD.tsv[:PAIRS.json] ...

Each TRACE comes from `story_trace DB GOLD.tsv oracle`: the stream placed by
its gold grouping, with the features of every candidate story considered.
A candidate is a positive example when the story holds the article's gold
group, a negative one when it does not -- for SemEval, whose gold is only
pairs, a negative needs a pair rated 'different' between the article and a
member of the story.  Each data set weighs the same in total; logistic
regression with an L2 penalty, fitted by Newton's method.  Writes the model
and prints how many examples each set gave."""
import json
import math
import random
import sys

FEATURES = ["mono.%s" % k for k in
            "word concept ent name place country num day month year".split()]
FEATURES += [f.replace("mono.", "cross.") for f in FEATURES]
FEATURES += [f.replace(".", ".in.", 1) for f in FEATURES] + ["share", "gap", "size"]
L2 = 1.0
NEG_KEEP = 40000  # negatives kept per set (a random sample, fixed seed)


def examples(trace, goldf, pairsf):
    gold = dict(l.rstrip("\n").split("\t") for l in open(goldf, encoding="utf-8"))
    diff = set()
    if pairsf:
        for a, b, same, _ in json.load(open(pairsf, encoding="utf-8")):
            if not same:
                diff.add((a, b))
                diff.add((b, a))
    members, label_of = {}, {}
    pos, neg = [], []
    for line in open(trace, encoding="utf-8"):
        p = line.rstrip("\n").split("\t")
        if p[0] == "A":
            members.setdefault(p[2], []).append(p[1])
            label_of[p[2]] = gold[p[1]]
            continue
        ext, story, f = p[1], p[2], [float(x) for x in p[3:]]
        if label_of.get(story) == gold[ext]:
            pos.append(f)
        elif not pairsf or any((ext, m) in diff for m in members.get(story, ())):
            neg.append(f)
    return pos, neg


def solve(a, b):
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        piv = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[piv] = m[piv], m[c]
        for r in range(n):
            if r != c and m[c][c]:
                k = m[r][c] / m[c][c]
                for j in range(c, n + 1):
                    m[r][j] -= k * m[c][j]
    return [m[i][n] / m[i][i] if m[i][i] else 0 for i in range(n)]


def fit(rows):
    d = len(FEATURES) + 1
    w = [0.0] * d
    for _ in range(12):
        g = [0.0] * d
        h = [[0.0] * d for _ in range(d)]
        for x, y, wt in rows:
            z = w[0] + sum(wi * xi for wi, xi in zip(w[1:], x))
            p = 1 / (1 + math.exp(-max(-30, min(30, z))))
            xx = [1.0] + x
            r = wt * (p - y)
            s = wt * p * (1 - p)
            for i in range(d):
                if xx[i] == 0:
                    continue
                g[i] += r * xx[i]
                hi = h[i]
                for j in range(i, d):
                    hi[j] += s * xx[i] * xx[j]
        for i in range(d):
            for j in range(i):
                h[i][j] = h[j][i]
            if i:
                g[i] += L2 * w[i]
                h[i][i] += L2
            h[i][i] += 1e-9
        step = solve(h, g)
        w = [wi - si for wi, si in zip(w, step)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return w


def main():
    out = sys.argv[1]
    rows, told = [], []
    rnd = random.Random(1)
    for spec in sys.argv[2:]:
        parts = spec.split(":")
        name, trace, goldf = parts[:3]
        pos, neg = examples(trace, goldf, parts[3] if len(parts) > 3 else None)
        if len(neg) > NEG_KEEP:
            neg = rnd.sample(neg, NEG_KEEP)
        n = len(pos) + len(neg)
        # Each set weighs 1000 in all; within it, positives and negatives alike.
        for f in pos:
            rows.append((f, 1, 500.0 / max(len(pos), 1)))
        for f in neg:
            rows.append((f, 0, 500.0 / max(len(neg), 1)))
        told.append("%s: %d positive, %d negative" % (name, len(pos), len(neg)))
        print(told[-1], file=sys.stderr)
    w = fit(rows)
    with open(out, "w", encoding="utf-8") as f:
        f.write("# herald story model: the probability that an article belongs to a story\n"
                "# is the logistic function of bias + sum(weight * feature) (src/story.c).\n"
                "# Written by bench/stories_fit.py (L2 %.1f) from oracle traces:\n" % L2)
        for t in told:
            f.write("#   %s\n" % t)
        f.write("bias %.4f\n" % w[0])
        for name, wi in zip(FEATURES, w[1:]):
            f.write("%s %.4f\n" % (name, wi))


main()
