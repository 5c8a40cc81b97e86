# Golden files: each input in tests/golden/input goes through every stage
# (reader, normalize, segment, langid, store) and its stored record must
# equal tests/golden/expected/<input>.json.  Language scores and ingest times are left out:
# they move with every retraining, the chosen language must not.
# GOLDEN_UPDATE=1 rewrites the expected files (review the diff!).
. "$(dirname "$0")/lib.sh"
G=$(cd "$(dirname "$0")/../golden" && pwd)
strip() { sed -E 's/"lang_score":[0-9.e-]+,?//; s/"score":[0-9.e-]+,?//g; s/"langs":\[[^]]*\],?//; s/"ingested":"[^"]*",?//' "$@"; }
status=0
for f in "$G"/input/*; do
    name=$(basename "$f")
    rm -f "$HERALD_DB"
    (cd "$G/input" && "$HERALD" ingest "$name") > "$T/out" 2> "$T/err" || { cat "$T/err"; fail "ingest $name"; }
    "$HERALD" export --json | strip > "$T/got.json"
    if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then cp "$T/got.json" "$G/expected/$name.json"; continue; fi
    if ! diff -u "$G/expected/$name.json" "$T/got.json"; then
        echo "FAIL golden $name"; status=1
    fi
done
exit $status
