# Entities on the seeds: one identity per real-world entity across the three
# languages (golden list, reviewed by hand; see tests/golden/README), and the
# entities commands.
. "$(dirname "$0")/lib.sh"
G=$(cd "$(dirname "$0")/../golden" && pwd)
[ -f "$HERALD_DATA/ner-en.bin" ] || skip "no tagger models in $HERALD_DATA"
expect_status 0 "$HERALD" ingest "$SEEDS"
"$HERALD" export --json | /usr/bin/python3 "$(dirname "$0")/group_entities.py" > "$T/groups.txt"
if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then cp "$T/groups.txt" "$G/seeds-entities.txt"; fi
diff -u "$G/seeds-entities.txt" "$T/groups.txt" || fail "seed entities differ from the golden list"
# The identities the mission names, whatever the golden file says.
one_id() { # TYPE "SPELLING|SPELLING...": all in one group of TYPE
    t=$1
    awk -F ' [|] ' -v t="$t" -v want="$2" '
        BEGIN { n = split(want, w, "|") }
        $1 == t { m = split($3, s, " / "); delete have
                  for (i = 1; i <= m; i++) have[s[i]] = 1
                  ok = 1; for (i = 1; i <= n; i++) if (!(w[i] in have)) ok = 0
                  if (ok) found = 1 }
        END { exit !found }' "$T/groups.txt" || fail "not one $t entity: $2"
}
one_id PER "Tokajew|Tokayev|Kassym-Jomart Tokajew|Kassym-Jomart Tokayev"
one_id PER "Alexander Lukaschenko|Alexander Lukashenko"
one_id PER "Putin|Putins|Wladimir Putin|Vladimir Putin"
one_id LOC "Kasachstan|Kazakhstan|Kazakistan|Kasachstans"
one_id LOC "Russland|Russia|Russlands"
one_id LOC "Belarus|Bielorussia"
one_id LOC "Mosca|Moscow|Moskau"
# entities on a stored article, on a file, and line by line.
id=$("$HERALD" export --json --no-text | grep 003_ | sed 's/.*"id":"\([0-9a-f]*\)".*/\1/')
expect_status 0 "$HERALD" entities "$id" --json
contains "$T/out" '"text":"Kazakhstan","type":"LOC"'
printf 'Angela Merkel traf Emmanuel Macron in Paris.\n\nThe CSTO sent troops to Almaty.\n' > "$T/lines.txt"
expect_status 0 "$HERALD" entities --each-line --json "$T/lines.txt"
[ "$(wc -l < "$T/out")" -eq 3 ] || fail "one output line per input line"
sed -n 1p "$T/out" | grep -q '"text":"Angela Merkel","type":"PER"' || fail "Merkel not found"
sed -n 2p "$T/out" | grep -q '^\[\]$' || fail "an empty line gives []"
sed -n 3p "$T/out" | grep -q '"country":"KZ"' || fail "Almaty not placed in KZ"
expect_status 0 "$HERALD" entities --all
contains "$T/out" '"name":"Kazakhstan","country":"KZ"'
tok=$(grep -o '"id":"[0-9a-f]*","type":"PER","name":"Kassym-Jomart Tokajew"' "$T/out" | cut -d'"' -f4)
[ -n "$tok" ] || fail "Tokajew not in --all"
expect_status 0 "$HERALD" entity "$tok"
contains "$T/out" 'bis zum Ende'
# Ingesting the same articles again learns nothing twice.
before=$("$HERALD" entities --all | md5sum)
expect_status 0 "$HERALD" ingest "$SEEDS"
contains "$T/err" '0 stored, 5 already stored'
[ "$("$HERALD" entities --all | md5sum)" = "$before" ] || fail "a re-ingest changed the registry"
# Nothing was learned by the read-only commands.
before=$("$HERALD" entities --all | wc -c)
"$HERALD" entities --each-line "$T/lines.txt" > /dev/null
[ "$("$HERALD" entities --all | wc -c)" -eq "$before" ] || fail "entities --each-line changed the registry"
exit 0
