#!/bin/sh
# ner.sh -- named-entity recognition quality and speed (docs/internals/NER.md).
#
# Entity-level exact match (type and token span) per language, through
# hd_ner_tag_tokens on the gold tokens of each evaluation set: the CoNLL
# validation sets for en/de/es/nl (and WikiNEuRal as out-of-domain data for
# those models), the held-out fifth (every 5th sentence) of BSNLP +
# WikiNEuRal for pl/ru and of WikiNEuRal for fr/it/pt; then the "xx"
# fallback model on every language, and tagging speed on raw text.
# Prints a markdown table to stdout and bench/out/ner.md.
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-$(cd .. && pwd)/shared}
DATA=${HERALD_DATA:-build/data}
OUT=bench/out
mkdir -p "$OUT"
make --no-print-directory -s build/tools/ner_eval build/tools/train_ner >&2
if ! ls "$DATA"/ner-*.bin > /dev/null 2>&1; then
    mkdir -p "$DATA"
    build/tools/train_ner "$SHARED" "$DATA" >&2
fi
{
    echo "## Named entities (entity-level exact match, gold tokens)"
    echo
    build/tools/ner_eval "$SHARED" "$DATA"
} > "$OUT/ner.md.tmp"
mv "$OUT/ner.md.tmp" "$OUT/ner.md"
cat "$OUT/ner.md"
