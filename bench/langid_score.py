"""Score the systems' outputs (bench/langid.sh): per-language accuracy and
the mean over languages, as markdown.

Usage: langid_score.py OUT_DIR SET[,SET...] SYSTEM[,SYSTEM...]

Reads OUT_DIR/<set>.lab and OUT_DIR/<set>.<system>.  Codes are mapped to
ISO 639-1 before comparing: zh-* -> zh, iw -> he, in -> id, jw -> jv,
and the macrolanguage "no" (Norwegian) -> nb.
"""
import os
import sys

ALIAS = {"iw": "he", "in": "id", "jw": "jv", "no": "nb"}


def norm(code):
    code = code.strip().replace("__label__", "").lower()
    if code.startswith("zh"):
        return "zh"
    return ALIAS.get(code, code)


def main():
    out, sets, systems = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(",")
    means = {}
    per = {}
    named = {}  # codes a system ever answered, on any set
    for s in sets:
        with open(os.path.join(out, s + ".lab")) as f:
            labels = f.read().split()
        for sy in systems:
            p = os.path.join(out, "%s.%s" % (s, sy))
            if not os.path.exists(p):
                continue
            with open(p, encoding="utf-8", errors="replace") as f:
                got = [norm(x) for x in f.read().split("\n")[:len(labels)]]
            if len(got) != len(labels):
                sys.exit("%s: %d answers for %d lines" % (p, len(got), len(labels)))
            ok, tot = {}, {}
            for l, g in zip(labels, got):
                tot[l] = tot.get(l, 0) + 1
                ok[l] = ok.get(l, 0) + (l == g)
            acc = {l: ok[l] / tot[l] for l in tot}
            per[(s, sy)] = acc
            means[(s, sy)] = sum(acc.values()) / len(acc)
            named.setdefault(sy, set()).update(got)
    present = [sy for sy in systems if any((s, sy) in means for s in sets)]
    print("## Mean accuracy over languages (evaluation fold, i % 5 == 0)\n")
    print("| set | " + " | ".join(present) + " |")
    print("|---|" + "---:|" * len(present))
    for s in sets:
        row = ["%.1f" % (100 * means[(s, sy)]) if (s, sy) in means else "-"
               for sy in present]
        print("| %s | %s |" % (s, " | ".join(row)))
    print("\nA set's mean is over the languages it has lines for (pairs: "
          "languages written without spaces have none).\n")
    print("## The same, only over the languages each system can name\n")
    print("(a language counts as nameable when the system answered its code "
          "at least once on any set; an approximation of its language list)\n")
    print("| set | " + " | ".join(present) + " |")
    print("|---|" + "---:|" * len(present))
    for s in sets:
        row = []
        for sy in present:
            acc = per.get((s, sy))
            if acc is None:
                row.append("-")
                continue
            sub = [v for l, v in acc.items() if l in named[sy]]
            row.append("%.1f (%d)" % (100 * sum(sub) / len(sub), len(sub)))
        print("| %s | %s |" % (s, " | ".join(row)))
    langs = sorted({l for acc in per.values() for l in acc})
    print("\n## Accuracy per language (%)\n")
    cols = [(s, sy) for s in sets for sy in present if (s, sy) in per]
    print("| lang | " + " | ".join("%s %s" % c for c in cols) + " |")
    print("|---|" + "---:|" * len(cols))
    for l in langs:
        print("| %s | %s |" % (l, " | ".join(
            "%.0f" % (100 * per[c][l]) if l in per[c] else "-" for c in cols)))


main()
