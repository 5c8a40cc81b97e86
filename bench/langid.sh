#!/bin/sh
# bench/langid.sh -- language identification accuracy and speed.
#
#   sh bench/langid.sh            (env: SHARED, HERALD, HERALD_DATA)
#
# Evaluates on the EVALUATION fold only (lines with 0-based index i % 5 == 0;
# herald's own model never trains on them) of ../shared/data/langid, sets
# built by bench/langid_sets.py (rules documented there and in
# docs/internals/LANGID.md).  Systems side by side on the same lines:
#   herald      $HERALD langid --each-line
#   fasttext    fasttext predict lid.176.ftz (Debian package fasttext)
#   langdetect  python3-langdetect, DetectorFactory.seed = 0
#   cld2        libcld2 through bench/cld2_lines.cc
# A system whose tool is missing is skipped with a note.  Results go to
# bench/out/langid/ (langid.md, timing.md); the summary is printed.
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
HERALD=${HERALD:-./herald}
HERALD_DATA=${HERALD_DATA:-build/data}
export HERALD_DATA
PY=${PY:-/usr/bin/python3}
OUT=bench/out/langid
FT_MODEL=$HERALD_DATA/lid.176.ftz
mkdir -p "$OUT"

if [ ! -x "$HERALD" ] || [ ! -f "$HERALD_DATA/herald-langid.bin" ]; then
    echo "langid bench: building herald and its data" >&2
    make herald data >&2
fi

SETS="sentences pairs words lingua-pairs lingua-words"
echo "langid bench: evaluation sets (fold i % 5 == 0)"
"$PY" bench/langid_sets.py "$SHARED/data/langid" "$OUT"

SYSTEMS=herald
have_ft=0; have_ld=0; have_cld2=0
if command -v fasttext >/dev/null 2>&1 && [ -f "$FT_MODEL" ]; then
    have_ft=1; SYSTEMS="$SYSTEMS,fasttext"
else
    echo "note: fasttext CLI or $FT_MODEL missing; skipped" >&2
fi
if "$PY" -c 'import langdetect' 2>/dev/null; then
    have_ld=1; SYSTEMS="$SYSTEMS,langdetect"
else
    echo "note: python3-langdetect missing; skipped" >&2
fi
if ${CXX:-g++} -O2 -o "$OUT/cld2_lines" bench/cld2_lines.cc -lcld2 2>"$OUT/cld2_build.log"; then
    have_cld2=1; SYSTEMS="$SYSTEMS,cld2"
else
    echo "note: libcld2-dev missing (see $OUT/cld2_build.log); skipped" >&2
fi

for s in $SETS; do
    in=$OUT/$s.txt
    echo "  running $s"
    "$HERALD" langid --each-line "$in" > "$OUT/$s.herald"
    [ $have_ft = 1 ] && fasttext predict "$FT_MODEL" - < "$in" > "$OUT/$s.fasttext"
    [ $have_ld = 1 ] && "$PY" bench/langid_langdetect.py < "$in" > "$OUT/$s.langdetect"
    [ $have_cld2 = 1 ] && "$OUT/cld2_lines" < "$in" > "$OUT/$s.cld2"
done

"$PY" bench/langid_score.py "$OUT" "$(echo $SETS | tr ' ' ',')" "$SYSTEMS" > "$OUT/langid.md"

# Speed: the sentence lines, herald against the fastText CLI (both load
# their models once per run, so this includes start-up).
S=$OUT/sentences.txt
{
    echo "## Time for $(wc -l < "$S") sentence lines"
    echo
    ft_cmd=""
    [ $have_ft = 1 ] && ft_cmd="fasttext predict $FT_MODEL $S"
    if command -v hyperfine >/dev/null 2>&1; then
        hyperfine -N --warmup 1 --runs 5 --export-markdown "$OUT/hyperfine.md" \
            "$HERALD langid --each-line $S" ${ft_cmd:+"$ft_cmd"} >/dev/null 2>&1
        cat "$OUT/hyperfine.md"
    else
        for cmd in "$HERALD langid --each-line $S" ${ft_cmd:+"$ft_cmd"}; do
            for r in 1 2 3; do
                t0=$(date +%s.%N); $cmd > /dev/null; t1=$(date +%s.%N)
                echo "$t1 $t0" | awk '{ printf "%.3f\n", $1 - $2 }'
            done | sort -n | sed -n 2p | sed "s|^|median of 3: |; s|\$| s  ($cmd)|"
        done
    fi
} > "$OUT/timing.md"

sed -n '1,/^## Accuracy per language/p' "$OUT/langid.md" | sed '$d'
cat "$OUT/timing.md"
echo
echo "full tables: $OUT/langid.md"
