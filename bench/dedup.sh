#!/bin/sh
# dedup.sh -- duplicate detection: quality on a labelled set built from real
# articles (bench/dedup_pairs.py: the SemEval-2022 Task 8 sample and ECB+,
# with copies edited the way sites edit wire copy), measured through
# `herald ingest` and `herald links --json` (bench/dedup_score.py); then
# the time and memory of the duplicate stage per article at 1k, 10k and
# 100k stored articles, against a full scan of the stored sketches as the
# peer (bench/dedup_scale.c).  Medians; one thread.
#
# Environment: SHARED (../shared), HERALD (./herald), SIZES (1000,10000,
# 100000), PROBES (1000 articles looked up at each size).
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
HERALD=${HERALD:-$(pwd)/herald}
SIZES=${SIZES:-1000,10000,100000}
PROBES=${PROBES:-1000}
OUT=bench/out
mkdir -p "$OUT"
CSV=$SHARED/data/similarity/semeval2022_task8_train_sample.csv
ECB=$SHARED/data/stories/ecbplus_train_dev.jsonl

# Quality.
/usr/bin/python3 bench/dedup_pairs.py "$CSV" "$ECB" "$OUT" 2> "$OUT/dedup.count"
DB=$OUT/dedup.db
rm -f "$DB" "$DB-wal" "$DB-shm"
"$HERALD" --db "$DB" ingest "$OUT/dedup.jsonl" 2> /dev/null
"$HERALD" --db "$DB" links --json > "$OUT/dedup.links.jsonl"
"$HERALD" --db "$DB" ls --json > "$OUT/dedup.ls.jsonl"
/usr/bin/python3 bench/dedup_score.py "$OUT"
rm -f "$DB" "$DB-wal" "$DB-shm"

# Speed and scale: the stage alone, built against the library.
PKGS="icu-uc icu-i18n libutf8proc sqlite3 jansson gumbo uchardet libxxhash"
cc -std=c11 -O2 -g -Iinclude -Isrc -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
    $(pkg-config --cflags $PKGS) -o "$OUT/dedup_scale" bench/dedup_scale.c build/libherald.a \
    $(pkg-config --libs $PKGS) -lfasttext -lstdc++ -lpthread -lm
/usr/bin/python3 bench/similarity_articles.py "$CSV" "$OUT/similarity" 2> /dev/null
echo
echo "Duplicate stage per article, $PROBES probe articles at each size (half of them"
echo "copies of stored ones with 2 % of the words changed); stored articles: real texts with 40 % of the"
echo "words replaced; medians (the full scan: median of 40 probes)"
echo
"$OUT/dedup_scale" scale "$OUT/similarity.lines" "$OUT/dedup-scale.db" "$SIZES" "$PROBES"
rm -f "$OUT/dedup-scale.db" "$OUT/dedup-scale.db-wal" "$OUT/dedup-scale.db-shm"
