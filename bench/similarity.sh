#!/bin/sh
# similarity.sh -- herald compare on SemEval-2022 Task 8's training sample:
# Pearson r of each dimension (5-fold cross-validation by article groups,
# and the shipped model on its held-out fold), Overall per language pair,
# the translation score on pairs built from the sample's machine-translated
# rows, and the time to rate every pair.
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
HERALD=${HERALD:-$(pwd)/herald}
RUNS=${RUNS:-3}
OUT=bench/out
CSV=$SHARED/data/similarity/semeval2022_task8_train_sample.csv
mkdir -p "$OUT"
"$HERALD" compare --pairs "$CSV" --features > "$OUT/similarity.features.csv"
echo "SemEval-2022 Task 8 training sample, $(($(wc -l < "$OUT/similarity.features.csv") - 1)) pairs"
echo
/usr/bin/python3 bench/similarity_fit.py "$CSV" "$OUT/similarity.features.csv"
echo
/usr/bin/python3 bench/similarity_translation.py "$CSV" "$HERALD" "$OUT"
echo
hyperfine -N --runs "$RUNS" --warmup 1 --export-json "$OUT/similarity.json" \
    -n compare "$HERALD compare --pairs $CSV" > "$OUT/similarity.hyperfine.txt" 2>&1
/usr/bin/python3 - "$OUT" <<'PY'
import json, sys
r = json.load(open(sys.argv[1] + "/similarity.json"))["results"][0]
print("Time to analyse and rate all 1,212 pairs (2,424 texts): median %.2f s, %.2f ms per pair"
      % (r["median"], r["median"] / 1212 * 1000))
PY
