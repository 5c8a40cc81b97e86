#!/bin/sh
# entities.sh -- cost of the facts stage (tagger, gazetteer, linking,
# quotes, quantities, dates) per article, on the distinct articles of the
# SemEval-2022 Task 8 sample, one article per line.  `herald entities
# --each-line` runs normalize + segment + langid + facts on each line;
# `herald langid --each-line` runs langid alone on the same lines, so the
# difference is the facts stage (plus normalize and segment).  One thread.
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
HERALD=${HERALD:-$(pwd)/herald}
RUNS=${RUNS:-5}
OUT=bench/out
mkdir -p "$OUT"
[ -f "$OUT/similarity.lines" ] || /usr/bin/python3 bench/similarity_articles.py \
    "$SHARED/data/similarity/semeval2022_task8_train_sample.csv" "$OUT/similarity" 2> "$OUT/similarity.count"
N=$(wc -l < "$OUT/similarity.lines")
hyperfine -N --runs "$RUNS" --warmup 1 --export-json "$OUT/entities.json" \
    -n "entities" "$HERALD --db $OUT/none.db entities --each-line --json $OUT/similarity.lines" \
    -n "langid" "$HERALD langid --each-line $OUT/similarity.lines" > "$OUT/entities.hyperfine.txt" 2>&1
/usr/bin/time -f '%M' -o "$OUT/entities.rss" "$HERALD" --db "$OUT/none.db" entities --each-line --json \
    "$OUT/similarity.lines" > "$OUT/entities.jsonl"
/usr/bin/python3 - "$OUT" "$N" <<'PY'
import json, sys
out, n = sys.argv[1], int(sys.argv[2])
res = {r["command"]: r["median"] for r in json.load(open(out + "/entities.json"))["results"]}
mentions = sum(len(json.loads(l)) for l in open(out + "/entities.jsonl") if l.strip())
rss = int(open(out + "/entities.rss").read().split()[-1]) / 1024
e, l = res["entities"], res["langid"]
print("Entities benchmark: %d articles, %d mentions (median of runs, one thread)\n" % (n, mentions))
print("| command | median s | articles/s | ms/article |")
print("|---|---:|---:|---:|")
print("| herald entities --each-line (all stages) | %.3f | %.0f | %.2f |" % (e, n / e, 1000 * e / n))
print("| herald langid --each-line (langid only) | %.3f | %.0f | %.2f |" % (l, n / l, 1000 * l / n))
print("| difference: normalize + segment + facts | %.3f | %.0f | %.2f |" % (e - l, n / (e - l), 1000 * (e - l) / n))
print("\npeak RSS of the entities run: %.0f MiB (tagger models for 10 languages, gazetteer)" % rss)
PY
