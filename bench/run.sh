#!/bin/sh
# run.sh -- every benchmark; tables go to stdout and bench/out/*.md.
set -eu
cd "$(dirname "$0")/.."
mkdir -p bench/out
for b in bench/ingest.sh bench/extract.sh bench/langid.sh bench/ner.sh bench/entities.sh bench/dict.sh bench/similarity.sh bench/dedup.sh bench/similar_scale.sh bench/stories.sh; do
    [ -f "$b" ] || continue
    name=$(basename "$b" .sh)
    echo "== $name"
    sh "$b" | tee "bench/out/$name.md"
done
