# herald compare: two files or stored ids rated on the seven dimensions with
# evidence; the seeds' German/Italian wire story (000/001) scores as a
# translation above every other pair of languages among the seeds;
# --pairs reads SemEval's CSV (quoted fields across lines, extra columns)
# and reports a bad row by number without losing the others.
. "$(dirname "$0")/lib.sh"
s0=$(ls "$SEEDS"/000_*); s1=$(ls "$SEEDS"/001_*); s3=$(ls "$SEEDS"/003_*)
expect_status 0 "$HERALD" compare "$s0" "$s1"
for d in Geography Entities Time Narrative Overall Style Tone; do
    contains "$T/out" "^  $d +[1-4]\.[0-9][0-9]$"
done
contains "$T/out" '^  entity +.*Tok'
contains "$T/out" '^  number '
# Translation scores across the seeds' language pairs: 000/001 is highest.
best=""; bestv=-1
for a in "$SEEDS"/*; do for b in "$SEEDS"/*; do
    [ "$a" \< "$b" ] || continue
    expect_status 0 "$HERALD" compare "$a" "$b" --json
    v=$(sed 's/.*"translation":\([0-9.]*\).*/\1/' "$T/out")
    if awk "BEGIN{exit !($v > $bestv)}"; then bestv=$v; best="$(basename "$a") $(basename "$b")"; fi
done; done
case "$best" in 000_*" "001_*) ;; *) fail "highest translation score should be 000/001, got $best ($bestv)";; esac
# The same comparison through stored ids.
expect_status 0 "$HERALD" ingest "$SEEDS"
id0=$("$HERALD" export --json | grep 000_ | sed 's/.*"id":"\([0-9a-f]*\)".*/\1/')
id3=$("$HERALD" export --json | grep 003_ | sed 's/.*"id":"\([0-9a-f]*\)".*/\1/')
expect_status 0 "$HERALD" compare "$id0" "$id3" --json
contains "$T/out" "^\{\"a\":\"$id0\",\"b\":\"$id3\",\"lang_a\":\"de\",\"lang_b\":\"en\""
contains "$T/out" '"Overall":[1-4]\.'
expect_status 1 "$HERALD" compare "$id0" no-such-article
contains "$T/err" "no-such-article"
# --pairs.
cat > "$T/pairs.csv" <<'CSV'
pair_id,lang1,lang2,text1,text2,url1,Overall
p1,de,it,"Kasachstan bittet Russland um Hilfe. Tokajew rief die OVKS.
Zweiter Absatz: 2.500 Soldaten kamen nach Almaty.","Il Kazakistan chiede aiuto alla Russia. Tokayev ha chiamato la Csto.
Secondo paragrafo: 2.500 soldati sono arrivati ad Almaty.",http://x,1
p2,en,en,"A bakery in Yorkshire won a bread award, the owners said.","Parliament passed the budget after a long debate on taxes.",,4
p3,en,en,"only one text"
CSV
expect_status 1 "$HERALD" compare --pairs "$T/pairs.csv"
contains "$T/out" '^pair_id,Geography,Entities,Time,Narrative,Overall,Style,Tone$'
contains "$T/out" '^p1(,[1-4]\.[0-9]+){7}$'
contains "$T/out" '^p2(,[1-4]\.[0-9]+){7}$'
lacks "$T/out" '^p3'
contains "$T/err" 'pairs.csv: row 4'
o1=$(grep '^p1,' "$T/out" | cut -d, -f6); o2=$(grep '^p2,' "$T/out" | cut -d, -f6)
awk "BEGIN{exit !($o1 < $o2)}" || fail "p1 ($o1) should be more similar than p2 ($o2)"
expect_status 2 "$HERALD" compare --pairs "$T/missing.csv"
contains "$T/err" 'missing.csv'
printf 'a,b\n1,2\n' > "$T/nohead.csv"
expect_status 2 "$HERALD" compare --pairs "$T/nohead.csv"
contains "$T/err" 'needs pair_id, text1 and text2'
expect_status 2 "$HERALD" compare only-one
exit 0
