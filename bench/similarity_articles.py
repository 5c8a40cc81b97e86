#!/usr/bin/python3
"""Write the distinct articles of the SemEval-2022 Task 8 sample as JSON Lines
(one article per line: id, lang, text) and as one-article-per-line text, for
the ingest and langid benchmarks.  Reads the CSV given as argv[1], writes
argv[2].jsonl and argv[2].lines."""
import csv
import json
import sys

csv.field_size_limit(1 << 30)
seen = set()
with open(sys.argv[1], newline="", encoding="utf-8") as f, \
        open(sys.argv[2] + ".jsonl", "w", encoding="utf-8") as out, \
        open(sys.argv[2] + ".lines", "w", encoding="utf-8") as lines:
    for row in csv.DictReader(f):
        for k in ("1", "2"):
            text = row["text" + k]
            if not text.strip() or text in seen:
                continue
            seen.add(text)
            out.write(json.dumps({"id": "%s/%s" % (row["pair_id"], k),
                                  "lang": row["lang" + k], "text": text},
                                 ensure_ascii=False) + "\n")
            lines.write(" ".join(text.split()) + "\n")
print(len(seen), file=sys.stderr)
