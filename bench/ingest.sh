#!/bin/sh
# ingest.sh -- throughput of ingest + normalise + segment + language
# identification + store on the distinct articles of the SemEval-2022 Task 8
# sample (../shared/data/similarity), and the language-identification stage
# side by side with the fastText CLI on the same texts.
#
# Prints a markdown table; medians of RUNS runs (hyperfine).  herald runs on
# one thread, so its figures are per core.  Needs: hyperfine, /usr/bin/time,
# fasttext (tools/deps.sh installs them).
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
HERALD=${HERALD:-$(pwd)/herald}
RUNS=${RUNS:-5}
OUT=bench/out
mkdir -p "$OUT"
CSV=$SHARED/data/similarity/semeval2022_task8_train_sample.csv
/usr/bin/python3 bench/similarity_articles.py "$CSV" "$OUT/similarity" 2> "$OUT/similarity.count"
N=$(cat "$OUT/similarity.count")
BYTES=$(wc -c < "$OUT/similarity.jsonl")
MODEL=${HERALD_DATA:-build/data}/lid.176.ftz
DB=$OUT/bench.db

hyperfine -N --runs "$RUNS" --warmup 1 --export-json "$OUT/ingest.json" \
    --prepare "rm -f $DB $DB-wal $DB-shm" \
    -n "herald ingest" "$HERALD --db $DB ingest $OUT/similarity.jsonl" \
    -n "herald langid --each-line" "$HERALD langid --each-line $OUT/similarity.lines" \
    -n "fasttext predict (lid.176)" "fasttext predict $MODEL $OUT/similarity.lines" \
    > "$OUT/ingest.hyperfine.txt" 2>&1
rm -f "$DB" "$DB-wal" "$DB-shm"
/usr/bin/time -f '%M' -o "$OUT/ingest.rss" "$HERALD" --db "$DB" ingest "$OUT/similarity.jsonl" 2>/dev/null
/usr/bin/time -f '%M' -o "$OUT/langid.rss" "$HERALD" langid --each-line "$OUT/similarity.lines" > /dev/null
/usr/bin/time -f '%M' -o "$OUT/fasttext.rss" fasttext predict "$MODEL" "$OUT/similarity.lines" > /dev/null

/usr/bin/python3 - "$OUT" "$N" "$BYTES" <<'PY'
import json, sys
out, n, nbytes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
res = {r["command"]: r for r in json.load(open(out + "/ingest.json"))["results"]}
rss = {k: int(open("%s/%s.rss" % (out, k)).read().split()[-1]) for k in ("ingest", "langid", "fasttext")}
print("Ingest benchmark: %d distinct articles, %.1f MB of JSON Lines (median of %d runs)\n"
      % (n, nbytes / 1e6, len(next(iter(res.values()))["times"])))
print("| command | median s | articles/s | MB/s | peak RSS MiB |")
print("|---|---:|---:|---:|---:|")
for name, key in (("herald ingest", "ingest"), ("herald langid --each-line", "langid"),
                  ("fasttext predict (lid.176)", "fasttext")):
    m = res[name]["median"]
    print("| %s | %.3f | %.0f | %.2f | %.1f |" % (name, m, n / m, nbytes / 1e6 / m, rss[key] / 1024))
lid, ft = res["herald langid --each-line"]["median"], res["fasttext predict (lid.176)"]["median"]
print("\nherald langid / fastText CLI time ratio: %.2f" % (lid / ft))
PY
