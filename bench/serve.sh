#!/bin/sh
# serve.sh -- herald serve under load: requests per second and latency
# percentiles (wrk, 10 s per endpoint, 2 threads, 16 connections) on a
# database of the Google News headline stream (11,109 articles, built once
# into bench/out/serve/news.db), with the server's default 4 workers.
# Wall-clock numbers on a shared machine: for people, not a CI gate.
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
HERALD=${HERALD:-$(pwd)/herald}
OUT=bench/out/serve
DUR=${DUR:-10s}
command -v wrk > /dev/null || { echo "serve.sh: wrk not installed (tools/deps.sh)" >&2; exit 1; }
mkdir -p "$OUT"
DB=$OUT/news.db
if [ ! -f "$DB" ]; then
    /usr/bin/python3 - "$SHARED/data/stories/mstream_googlenews_News.jsonl" > "$OUT/news.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    print(json.dumps({"id": "gn" + d["Id"], "text": d["textCleaned"]}, ensure_ascii=False))
PY
    "$HERALD" --db "$DB.tmp" ingest "$OUT/news.jsonl" 2> "$OUT/ingest.log"
    mv "$DB.tmp" "$DB"; rm -f "$DB.tmp-wal" "$DB.tmp-shm"
fi
articles=$("$HERALD" --db "$DB" export --json --no-text | wc -l)

# serve DB [ARGS...]: start herald serve on DB on an ephemeral port; sets
# PID and PORT.
serve() {
    db=$1; shift
    "$HERALD" --db "$db" serve --port 0 --static web "$@" 2> "$OUT/serve.log" &
    PID=$!
    i=0
    while :; do
        PORT=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$OUT/serve.log")
        [ -n "$PORT" ] && break
        i=$((i + 1)); [ $i -lt 100 ] || { cat "$OUT/serve.log" >&2; exit 1; }
        sleep 0.1
    done
}
PID=
trap '[ -z "$PID" ] || { kill $PID 2> /dev/null; wait $PID 2> /dev/null; } || true' EXIT
serve "$DB"

# Warm every worker's engine (model loading) before measuring.
for _ in 1 2 3 4 5 6 7 8; do curl -s -o /dev/null "http://127.0.0.1:$PORT/api/stories?limit=1"; done

echo "herald serve, $articles articles, wrk -t2 -c16 -d$DUR, $(nproc) cores shared"
echo
echo "| request | requests/s | p50 ms | p99 ms | errors |"
echo "|---|---:|---:|---:|---:|"
for path in "/api/stories" "/api/stories?latest=1&limit=20" "/api/stories?q=obama" \
            "/api/stories?entity=Obama" "/api/stories/1" "/api/search?q=obama" \
            "/api/search?q=obama%20health" "/api/entities" "/api/status"; do
    wrk -t2 -c16 -d"$DUR" --latency "http://127.0.0.1:$PORT$path" > "$OUT/wrk.txt" 2>&1 || true
    rps=$(awk '/^Requests\/sec/ {print $2}' "$OUT/wrk.txt")
    ms() { awk -v p="$1" '$1 == p {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000}
        else if (v ~ /ms$/) sub(/ms/, "", v); else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}
        printf "%.1f", v}' "$OUT/wrk.txt"; }
    errs=$(awk '/Non-2xx|Socket errors/ {s = s $0 " "} END {print s == "" ? 0 : s}' "$OUT/wrk.txt")
    echo "| \`$path\` | ${rps:-?} | $(ms 50%) | $(ms 99%) | $errs |"
done

# Ingest over HTTP against herald ingest: the first 500 ECB+ news articles
# into a copy of the database, 5 POSTs of 100 (JSON Lines) with the token,
# and one herald ingest of the same file.
kill $PID 2> /dev/null; wait $PID 2> /dev/null || true
head -n 500 "$SHARED/data/stories/ecbplus_train_dev.jsonl" > "$OUT/post.jsonl"
split -l 100 -d "$OUT/post.jsonl" "$OUT/post-part-"
cp "$DB" "$OUT/post.db"; cp "$DB" "$OUT/cli.db"
TOKEN=bench-serve-token-0123456789
echo "$TOKEN" > "$OUT/token"
serve "$OUT/post.db" --token-file "$OUT/token"
t0=$(date +%s.%N)
for f in "$OUT"/post-part-*; do
    curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/x-ndjson' \
        --data-binary @"$f" "http://127.0.0.1:$PORT/api/articles"
done
t1=$(date +%s.%N)
"$HERALD" --db "$OUT/cli.db" ingest "$OUT/post.jsonl" 2> /dev/null
t2=$(date +%s.%N)
posted=$(curl -s "http://127.0.0.1:$PORT/api/status" | sed 's/.*"articles":\([0-9]*\).*/\1/')
echo
echo "| ingest of 500 ECB+ articles | seconds | articles/s |"
echo "|---|---:|---:|"
echo "$t0 $t1 $t2" | awk '{printf "| 5 POSTs of 100 to herald serve | %.2f | %.0f |\n| herald ingest (one process) | %.2f | %.0f |\n", $2-$1, 500/($2-$1), $3-$2, 500/($3-$2)}'
echo
echo "articles in the served database after the POSTs: $posted"
rm -f "$OUT"/post-part-* "$OUT/post.db"* "$OUT/cli.db"*
