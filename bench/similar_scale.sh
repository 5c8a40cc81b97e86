#!/bin/sh
# similar_scale.sh -- cost of the anchor index and translation linking at
# ingest, and of `herald similar`, as the database grows: a database is
# filled to each size with articles scaled up from real ones
# (similar_scale.py); then 1,000 more articles are ingested with the full
# pipeline (median time per article over those 1,000), and `similar` is
# asked for 20 of them (median latency).  SIZES can be set, e.g.
# SIZES="1000 10000 100000".
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
HERALD=${HERALD:-$(pwd)/herald}
SIZES=${SIZES:-"1000 10000"}
OUT=bench/out/similar_scale
CSV=$SHARED/data/similarity/semeval2022_task8_train_sample.csv
mkdir -p "$OUT"
echo "| stored | ingest ms/article (all stages) | similar ms (median of 20) | db bytes/article |"
echo "|---|---|---|---|"
for n in $SIZES; do
    db="$OUT/db-$n.db"
    rm -f "$db" "$db-wal" "$db-shm"
    /usr/bin/python3 bench/similar_scale.py "$CSV" "$n" 1 > "$OUT/fill.jsonl"
    "$HERALD" --db "$db" ingest "$OUT/fill.jsonl" 2> /dev/null || true
    /usr/bin/python3 bench/similar_scale.py "$CSV" 1000 "$((n + 7))" | sed 's/"id": "s/"id": "p/' > "$OUT/probe.jsonl"
    t0=$(date +%s.%N)
    "$HERALD" --db "$db" ingest "$OUT/probe.jsonl" 2> /dev/null || true
    t1=$(date +%s.%N)
    ids=$("$HERALD" --db "$db" export --json --no-text | grep '"ext_id":"p' | head -20 | sed 's/.*"id":"\([0-9a-f]*\)".*/\1/')
    times=""
    for id in $ids; do
        a=$(date +%s.%N); "$HERALD" --db "$db" similar "$id" > /dev/null; b=$(date +%s.%N)
        times="$times $(echo "$b - $a" | bc)"
    done
    med=$(echo "$times" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    size=$(stat -c %s "$db")
    total=$((n + 1000))
    echo "| $n | $(echo "($t1 - $t0) * 1000 / 1000" | bc -l | xargs printf '%.2f') | $(echo "$med * 1000" | bc -l | xargs printf '%.0f') | $((size / total)) |"
done
