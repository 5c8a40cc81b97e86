#!/usr/bin/env python3
"""extract_score.py -- score article extractors on trafilatura's evaluation set.

usage: extract_score.py EVALDATA.json NAME=RESULTS.jsonl...

Each RESULTS.jsonl holds one object per page: source (the page's path),
text, and optionally title, published, author.  The metric is the one of
docs/BENCHMARKS.md: whitespace-normalised substring matching, counts pooled
over all documents (TP: a `with` segment present, FN: missing, FP: a
`without` segment present, TN: absent); a page with no result or an empty
text counts as all misses.  Title, date and author are scored where the
evaluation data has them (non-empty): exact match after whitespace and case
normalisation (a list of authors: each name present); for the date, the day (YYYY-MM-DD) of `published`.
With --failures NAME, print that extractor's misses per page.
"""
import json
import os
import re
import sys

WS = re.compile(r"\s+")


def norm(s):
    return WS.sub(" ", s or "").strip()


def same(got, want):
    """Equal after normalisation; a list of names matches when each is there."""
    got = norm(got).casefold()
    if isinstance(want, list):
        return all(norm(w).casefold() in got for w in want)
    return got == norm(want).casefold()


def page_key(path):
    base = os.path.basename(path)
    return base[:-3] if base.endswith(".gz") else base


def load(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            rec = json.loads(line)
            out[page_key(rec["source"])] = rec
    return out


def score(evaldata, results, failures=None):
    tp = fn = fp = tn = 0
    meta = {k: [0, 0] for k in ("title", "date", "author")}
    for url, item in evaldata.items():
        rec = results.get(item["file"]) or {}
        text = norm(rec.get("text"))
        for seg in item["with"]:
            if text and norm(seg) in text:
                tp += 1
            else:
                fn += 1
                if failures is not None:
                    failures.append((item["file"], "missing", seg))
        for seg in item["without"]:
            if text and norm(seg) in text:
                fp += 1
                if failures is not None:
                    failures.append((item["file"], "present", seg))
            else:
                tn += 1
        for key, got in (("title", rec.get("title")), ("author", rec.get("author")),
                         ("date", (rec.get("published") or "")[:10])):
            want = item.get(key)
            if not want:
                continue
            meta[key][1] += 1
            if got and same(got, want):
                meta[key][0] += 1
            elif failures is not None:
                failures.append((item["file"], key, "%r != %r" % (got, want)))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1, meta


def main(argv):
    show = None
    if "--failures" in argv:
        i = argv.index("--failures")
        show = argv[i + 1]
        del argv[i:i + 2]
    with open(argv[1], encoding="utf-8") as f:
        evaldata = json.load(f)
    print("| extractor | precision | recall | F1 | title | date | author |")
    print("|---|---|---|---|---|---|---|")
    for arg in argv[2:]:
        name, path = arg.split("=", 1)
        fails = [] if name == show else None
        p, r, f1, meta = score(evaldata, load(path), fails)
        cells = ["%.1f%% (%d/%d)" % (100.0 * a / b if b else 0, a, b)
                 for a, b in (meta["title"], meta["date"], meta["author"])]
        print("| %s | %.3f | %.3f | %.3f | %s |" % (name, p, r, f1, " | ".join(cells)))
        if fails is not None:
            for page, kind, what in fails:
                print("%s\t%s\t%s" % (page, kind, what), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
