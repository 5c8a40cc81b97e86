#!/bin/sh
# dict.sh -- the concept table (docs/internals/DICT.md): coverage of news
# text per language, how well concept bags tell an article's translation
# from other articles in the translation's language (SemEval-2022 task 8
# sample, machine-translated rows), load time and look-ups per second.
# Prints markdown to stdout and bench/out/dict.md.
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-$(cd .. && pwd)/shared}
DATA=${HERALD_DATA:-build/data}
CSV="$SHARED/data/similarity/semeval2022_task8_train_sample.csv"
OUT=bench/out
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"
make --no-print-directory -s build/bench/dict_bench >&2
[ -f "$DATA/herald-dict.bin" ] || make --no-print-directory -s data >&2
/usr/bin/python3 bench/dict_eval.py texts "$CSV" "$TMP/texts.tsv"
build/bench/dict_bench "$DATA" < "$TMP/texts.tsv" > "$TMP/bags.tsv" 2> "$TMP/speed"
{
    echo "## Dictionary concepts (herald-dict.bin)"
    echo
    /usr/bin/python3 bench/dict_eval.py score "$CSV" "$TMP/bags.tsv"
    echo
    echo "### Speed (one thread, medians of 5)"
    echo
    echo "| file | load | look-ups | found | look-ups per second |"
    echo "|---|---:|---:|---:|---:|"
    awk -v size="$(du -m "$DATA/herald-dict.bin" | cut -f1)" '
        { v[$1] = $2 }
        END { printf "| %s MB | %s ms | %s | %s | %.2f M |\n", size, v["load_ms"],
              v["lookups"], v["found"], v["lookups_per_s"] / 1e6 }' "$TMP/speed"
} > "$OUT/dict.md.tmp"
mv "$OUT/dict.md.tmp" "$OUT/dict.md"
cat "$OUT/dict.md"
