#!/bin/sh
# bench/extract.sh -- article extraction: quality and speed against peers.
#
#   sh bench/extract.sh           (env: SHARED, HERALD, SPEED_N, RUNS)
#
# Quality: every page of trafilatura's evaluation set
# ($SHARED/data/extraction/trafilatura_eval, 990 gzipped pages) through
#   herald            $HERALD extract --json (all pages in one process)
#   readability-lxml  Debian python3-readability (bench/extract_readability.py,
#                     run with /usr/bin/python3)
#   readability.js    npm @mozilla/readability on linkedom
#                     (bench/extract_readability.mjs)
# scored by bench/extract_score.py (the metric of docs/BENCHMARKS.md).
# Speed: the first SPEED_N pages (default 200), the whole batch timed RUNS
# times (default 3) per system, each pinned to one core when taskset exists;
# the median gives pages per second.  A peer whose tool is missing is
# skipped with a note.  Outputs go to bench/out/extract/.
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
HERALD=${HERALD:-./herald}
PY=${PY:-/usr/bin/python3}
SPEED_N=${SPEED_N:-200}
RUNS=${RUNS:-3}
EVAL=$SHARED/data/extraction/trafilatura_eval
OUT=bench/out/extract
mkdir -p "$OUT"
[ -x "$HERALD" ] || make herald >&2

# The pages, in evaldata.json's order.
python3 - "$EVAL" > "$OUT/pages.txt" <<'PYEOF'
import json, os, sys
ev = sys.argv[1]
for item in json.load(open(os.path.join(ev, "evaldata.json"), encoding="utf-8")).values():
    for sub in ("cache", "eval"):
        p = os.path.join(ev, "html", sub, item["file"] + ".gz")
        if os.path.exists(p):
            print(os.path.abspath(p))
            break
PYEOF
head -n "$SPEED_N" "$OUT/pages.txt" > "$OUT/speed.txt"
PIN=""
command -v taskset >/dev/null 2>&1 && PIN="taskset -c 0"

run_herald() { xargs -d '\n' $PIN "$HERALD" extract --json -- < "$1"; }
run_rlxml() { $PIN "$PY" bench/extract_readability.py < "$1"; }
run_rjs() { $PIN node bench/extract_readability.mjs < "$1"; }

SYSTEMS="herald"
if "$PY" -c "import readability" 2>/dev/null; then SYSTEMS="$SYSTEMS rlxml"
else echo "note: python3-readability missing (tools/deps.sh); readability-lxml skipped" >&2; fi
if [ -f node_modules/@mozilla/readability/package.json ] && [ -f node_modules/linkedom/package.json ]
then SYSTEMS="$SYSTEMS rjs"
else echo "note: node_modules lack readability/linkedom (tools/deps.sh); readability.js skipped" >&2; fi
label() { case $1 in herald) echo herald;; rlxml) echo readability-lxml;; rjs) echo readability.js;; esac; }

args=""
for s in $SYSTEMS; do
    run_$s "$OUT/pages.txt" > "$OUT/$s.jsonl" 2> "$OUT/$s.err" || true
    args="$args $(label $s)=$OUT/$s.jsonl"
done
echo "## Quality ($(wc -l < "$OUT/pages.txt") pages of trafilatura's evaluation set)"
echo
python3 bench/extract_score.py "$EVAL/evaldata.json" $args
echo

echo "## Speed ($SPEED_N pages, whole batch, one core, median of $RUNS runs)"
echo
echo "| extractor | seconds | pages/s | herald's speed-up |"
echo "|---|---|---|---|"
for s in $SYSTEMS; do
    times=""
    for r in $(seq "$RUNS"); do
        t0=$(date +%s.%N)
        run_$s "$OUT/speed.txt" > /dev/null 2>&1 || true
        t1=$(date +%s.%N)
        times="$times $(echo "$t1 - $t0" | bc)"
    done
    echo "$s $(echo $times | tr ' ' '\n' | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")"
done > "$OUT/times.txt"
hsec=$(awk '$1 == "herald" {print $2}' "$OUT/times.txt")
while read -r s sec; do
    printf '| %s | %.2f | %.0f | %s |\n' "$(label "$s")" "$sec" "$(echo "$SPEED_N / $sec" | bc -l)" \
        "$(if [ "$s" = herald ]; then echo -; else printf '%.1fx' "$(echo "$sec / $hsec" | bc -l)"; fi)"
done < "$OUT/times.txt"
