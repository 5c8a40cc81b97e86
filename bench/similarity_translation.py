#!/usr/bin/python3
"""Translation detection on pairs built from SemEval-2022 Task 8's sample.

  similarity_translation.py GOLD.csv HERALD OUTDIR

The sample's augmented rows carry machine translations: in pair id
`A_Bfr`, text2 is article B translated into French.  Positives: an
article's original text (a row where its id has no suffix) against each of
its translations.  Controls: pairs of two different articles in two
languages, the same story (rated Overall <= 1.5) and different stories.
herald rates every pair (`compare --pairs --features`, column translation);
printed: precision and recall at the engine's link threshold, ROC AUC, and
the mean score per class.
"""
import csv
import re
import subprocess
import sys

THRESHOLD = 0.25  # the engine's link threshold (src/compare.h HD_TRANSLATION_MIN)


def main():
    gold, herald, out = sys.argv[1], sys.argv[2], sys.argv[3]
    rows = list(csv.DictReader(open(gold, encoding="utf-8")))
    orig, trans = {}, []
    for r in rows:
        for side, lang in (("1", r["lang1"]), ("2", r["lang2"])):
            pid = r["pair_id"].split("_")[int(side) - 1]
            m = re.match(r"^(\d+)([a-z]*)$", pid)
            if not m:
                continue
            aid, suffix = m.group(1), m.group(2)
            text = r["text" + side]
            if suffix:
                trans.append((aid, suffix, text))
            else:
                orig.setdefault(aid, (lang, text))
    pairs = []
    for aid, lang, text in trans:
        if aid in orig and orig[aid][0] != lang:
            pairs.append(("pos", orig[aid], (lang, text)))
    for r in rows:
        ids = [re.sub(r"[a-z]+$", "", x) for x in r["pair_id"].split("_")]
        if r["lang1"] == r["lang2"] or ids[0] == ids[1]:
            continue
        kind = "same" if float(r["Overall"]) <= 1.5 else "diff"
        pairs.append((kind, (r["lang1"], r["text1"]), (r["lang2"], r["text2"])))
    path = out + "/translation_pairs.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["pair_id", "lang1", "lang2", "text1", "text2"])
        for i, (kind, a, b) in enumerate(pairs):
            w.writerow(["%s%d" % (kind, i), a[0], b[0], a[1], b[1]])
    res = subprocess.run([herald, "compare", "--pairs", path, "--features"],
                         capture_output=True, text=True, check=False)
    scores = {}
    for r in csv.DictReader(res.stdout.splitlines()):
        scores[r["pair_id"]] = float(r["translation"])
    cls = {"pos": [], "same": [], "diff": []}
    for i, (kind, _, _) in enumerate(pairs):
        s = scores.get("%s%d" % (kind, i))
        if s is not None:
            cls[kind].append(s)
    pos, neg = cls["pos"], cls["same"] + cls["diff"]
    tp = sum(s >= THRESHOLD for s in pos)
    fp = sum(s >= THRESHOLD for s in neg)
    fps = sum(s >= THRESHOLD for s in cls["same"])
    auc = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / max(1, len(pos) * len(neg))
    auc_s = sum((p > n) + 0.5 * (p == n) for p in pos for n in cls["same"]) / max(
        1, len(pos) * len(cls["same"]))
    print("Translation detection: %d translation pairs, %d same-story controls, "
          "%d different-story controls (all across languages)" % (len(pos), len(cls["same"]),
                                                                  len(cls["diff"])))
    print()
    print("| threshold | precision | recall | false links among same-story | ROC AUC (all) | ROC AUC (vs same-story) |")
    print("|---|---|---|---|---|---|")
    prec = tp / (tp + fp) if tp + fp else float("nan")
    print("| %.2f | %.3f | %.3f | %d of %d | %.3f | %.3f |" % (
        THRESHOLD, prec, tp / max(1, len(pos)), fps, len(cls["same"]), auc, auc_s))
    print()
    for k in ("pos", "same", "diff"):
        v = cls[k]
        print("mean score %-5s %.3f (n=%d)" % (k, sum(v) / max(1, len(v)), len(v)))


if __name__ == "__main__":
    main()
