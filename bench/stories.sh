#!/bin/sh
# stories.sh -- story clustering quality and scale.
#
# Quality: ECB+ (BCubed and pairwise P/R/F1), the Google News headline
# stream (NMI), and same-story pairs of SemEval-2022 Task 8 (Overall <= 1.5
# same, >= 3.5 different; within and across languages), each ingested
# whole into a fresh database with the default parameters; beside herald,
# the textbook peer (stories_peer.py: single-pass TF-IDF, best of a few
# thresholds on each set, which flatters it).  Scale: story_scale on a
# stream scaled up from the SemEval articles, at SCALE_SIZES articles
# (default 10000,100000; the note quotes 1000000 too).
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
HERALD=${HERALD:-$(pwd)/herald}
OUT=bench/out/stories
SCALE_SIZES=${SCALE_SIZES:-10000,100000}
mkdir -p "$OUT"
/usr/bin/python3 bench/stories_data.py "$SHARED/data" "$OUT" 2> /dev/null
for n in ecb gnews semeval; do
    rm -f "$OUT/$n.db" "$OUT/$n.db-wal" "$OUT/$n.db-shm"
    t0=$(date +%s.%N)
    "$HERALD" --db "$OUT/$n.db" ingest "$OUT/$n.jsonl" 2> "$OUT/$n.log" || true
    t1=$(date +%s.%N)
    echo "$n $(echo "$t1 - $t0" | bc)" >> "$OUT/times"
    "$HERALD" --db "$OUT/$n.db" export --json --no-text > "$OUT/$n.out"
done
best_peer() { # set mode gold: the peer's best F1 (or NMI) over thresholds
    best=""
    for t in 0.1 0.2 0.3 0.4 0.5; do
        /usr/bin/python3 bench/stories_peer.py "$OUT/$1.jsonl" $t "$OUT/$1.peer"
        /usr/bin/python3 bench/stories_score.py "$2" "$OUT/$1.$3" "$OUT/$1.peer" > "$OUT/$1.peer.$t.json"
    done
}
best_peer ecb clusters gold
best_peer gnews clusters gold
best_peer semeval pairs gold
/usr/bin/python3 - "$OUT" <<'PY'
import glob, json, sys
out = sys.argv[1]
def score(mode, n):
    import subprocess
    return json.loads(subprocess.check_output(["/usr/bin/python3", "bench/stories_score.py", mode,
                                               "%s/%s.gold" % (out, n), "%s/%s.out" % (out, n)]))
def peers(n, key):
    runs = [(json.load(open(f)), f.split(".peer.")[1][:-5]) for f in glob.glob("%s/%s.peer.*.json" % (out, n))]
    return max(runs, key=lambda r: key(r[0]))
e, g, s = score("clusters", "ecb"), score("clusters", "gnews"), score("pairs", "semeval")
pe, te = peers("ecb", lambda d: d["bcubed"]["F1"])
pg, tg = peers("gnews", lambda d: d["nmi"])
ps, ts = peers("semeval", lambda d: d["all"]["F1"])
print("| set | metric | herald P | herald R | herald F1 | peer (TF-IDF single pass, best threshold) | goal |")
print("|---|---|---:|---:|---:|---|---:|")
b, pb = e["bcubed"], pe["bcubed"]
print("| ECB+ (%d articles, %d events; herald %d stories) | BCubed | %.3f | %.3f | **%.3f** | P %.3f R %.3f F1 %.3f (t=%s) | 0.95 |" % (e["articles"], e["gold_clusters"], e["stories"], b["P"], b["R"], b["F1"], pb["P"], pb["R"], pb["F1"], te))
b, pb = e["pairwise"], pe["pairwise"]
print("| ECB+ | pairwise | %.3f | %.3f | %.3f | P %.3f R %.3f F1 %.3f | |" % (b["P"], b["R"], b["F1"], pb["P"], pb["R"], pb["F1"]))
print("| Google News (%d headlines stored, %d clusters; herald %d stories) | NMI | | | **%.3f** | %.3f (t=%s) | > 0.90 |" % (g["articles"], g["gold_clusters"], g["stories"], g["nmi"], pg["nmi"], tg))
for k, name in (("mono", "within a language"), ("cross", "across languages")):
    b, pb = s[k], ps[k]
    print("| SemEval same story, %s (%d pairs) | pairwise | %.3f | %.3f | **%.3f** | P %.3f R %.3f F1 %.3f (t=%s) | 0.95 |" % (name, b["pairs"], b["P"], b["R"], b["F1"], pb["P"], pb["R"], pb["F1"], ts))
PY
echo
echo "Ingest of each set, whole pipeline (seconds): $(tr '\n' ' ' < "$OUT/times")"
rm -f "$OUT/times"
echo
echo "Scale (story stage alone, build/bench/story_scale):"
echo '```'
build/bench/story_scale "$OUT/semeval.db" "$OUT/scale.db" "$SCALE_SIZES"
echo '```'
rm -f "$OUT/scale.db" "$OUT/scale.db-wal" "$OUT/scale.db-shm"
