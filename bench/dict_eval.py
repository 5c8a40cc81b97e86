#!/usr/bin/python3
"""dict_eval.py -- score the concept table on the SemEval-2022 task 8 sample.

  dict_eval.py texts CSV OUT.tsv     write "id<TAB>lang<TAB>text" for dict_bench
  dict_eval.py score CSV BAGS.tsv    print markdown tables

Texts: every text of the CSV once, keyed "article:lang:kind" (kind "o" for
an original, "t" for a machine translation).  In a pair_id "A_B" either id
may carry a language suffix ("A_Bfr", "Aes_B", "Ait_Bit"): that text is the
article machine-translated into that language; an id without one is the
article's original.

Coverage: per language, the share of content-word tokens (word tokens that
are not function words) that get at least one concept.
Usefulness: for every translation T of article B whose original O is also in
the file, the cosine of the concept bags (O, T) is a positive; (O, U) for
every text U in T's language that is not article B is a negative.  Reported:
mean cosines and ROC AUC (the probability that a positive outscores a
negative), per translation language pair and overall.
"""
import csv, math, re, sys
from collections import defaultdict

PAIR = re.compile(r"^(\d+)([a-z]*)_(\d+)([a-z]*)$")


def rows(path):
    csv.field_size_limit(1 << 30)
    with open(path, newline="", encoding="utf-8") as f:
        yield from csv.DictReader(f)


def texts(path, out):
    seen = set()
    with open(out, "w", encoding="utf-8") as f:
        for r in rows(path):
            m = PAIR.match(r["pair_id"])
            if not m:
                continue
            a, mta, b, mtb = m.groups()
            for art, lang, text, kind in ((a, r["lang1"], r["text1"], "t" if mta else "o"),
                                          (b, r["lang2"], r["text2"], "t" if mtb else "o")):
                key = f"{art}:{lang}:{kind}"
                if key in seen or not text.strip():
                    continue
                seen.add(key)
                clean = " ".join(text.split())
                f.write(f"{key}\t{lang}\t{clean}\n")


def cosine(x, y):
    if len(x) > len(y):
        x, y = y, x
    dot = sum(w * y.get(c, 0.0) for c, w in x.items())
    nx = math.sqrt(sum(w * w for w in x.values()))
    ny = math.sqrt(sum(w * w for w in y.values()))
    return dot / (nx * ny) if nx and ny else 0.0


def auc(pos, neg):
    """Mann-Whitney U over ranks (ties count half)."""
    if not pos or not neg:
        return float("nan")
    allv = sorted([(v, 1) for v in pos] + [(v, 0) for v in neg])
    rank_sum, i = 0.0, 0
    while i < len(allv):
        j = i
        while j < len(allv) and allv[j][0] == allv[i][0]:
            j += 1
        r = (i + j + 1) / 2.0
        rank_sum += r * sum(1 for k in range(i, j) if allv[k][1])
        i = j
    n1, n0 = len(pos), len(neg)
    return (rank_sum - n1 * (n1 + 1) / 2.0) / (n1 * n0)


def score(path, bags_path):
    bags, langs = {}, {}
    cov = defaultdict(lambda: [0, 0, 0, 0, 0])  # originals, MT, words, content, covered
    with open(bags_path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            key, lang, nw, nc, ncov = parts[:5]
            bag = {}
            if len(parts) > 5 and parts[5]:
                for cw in parts[5].split(" "):
                    c, w = cw.split(":")
                    bag[int(c)] = float(w)
            bags[key], langs[key] = bag, lang
            s = cov[lang]
            s[0 if key.endswith(":o") else 1] += 1
            s[2] += int(nw); s[3] += int(nc); s[4] += int(ncov)

    print("### Coverage (content token = a word token that is not a function word)\n")
    print("| lang | texts (original + MT) | word tokens | content tokens | with a concept | coverage |")
    print("|---|---:|---:|---:|---:|---:|")
    for lang in sorted(cov, key=lambda l: -cov[l][3]):
        o, t, w, c, k = cov[lang]
        print(f"| {lang} | {o} + {t} | {w} | {c} | {k} | {100.0 * k / c if c else 0:.1f} % |")

    originals = {k.split(":")[0]: k for k in bags if k.endswith(":o")}
    by_lang = defaultdict(list)
    for k in bags:
        by_lang[langs[k]].append(k)
    pos, neg = defaultdict(list), defaultdict(list)
    for t in bags:
        if not t.endswith(":t"):
            continue
        art, tl = t.split(":")[0], langs[t]
        o = originals.get(art)
        if o is None:
            continue
        pair = f"{langs[o]}-{tl}"
        pos[pair].append(cosine(bags[o], bags[t]))
        for u in by_lang[tl]:
            if u.split(":")[0] != art:
                neg[pair].append(cosine(bags[o], bags[u]))

    print("\n### Translation vs other article (cosine of concept bags)\n")
    print("| original-translation | positives | negatives | mean cos pos | mean cos neg | ROC AUC |")
    print("|---|---:|---:|---:|---:|---:|")
    allp, alln, covp, covn = [], [], [], []
    for pair in sorted(pos, key=lambda p: -len(pos[p])):
        p, n = pos[pair], neg[pair]
        allp += p; alln += n
        if all(cov[l][4] for l in pair.split("-")):
            covp += p; covn += n
        mn = sum(n) / len(n) if n else float("nan")
        print(f"| {pair} | {len(p)} | {len(n)} | {sum(p) / len(p):.3f} | {mn:.3f} | {auc(p, n):.3f} |")
    for name, p, n in (("all, covered languages", covp, covn), ("all", allp, alln)):
        if p and n:
            print(f"| {name} | {len(p)} | {len(n)} | {sum(p) / len(p):.3f} | "
                  f"{sum(n) / len(n):.3f} | {auc(p, n):.3f} |")


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("texts", "score"):
        sys.exit(__doc__)
    (texts if sys.argv[1] == "texts" else score)(sys.argv[2], sys.argv[3])
