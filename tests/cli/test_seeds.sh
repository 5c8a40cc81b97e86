# The README's main job: the five seeds are stored, identified, listed, and a
# second ingest stores nothing new.
. "$(dirname "$0")/lib.sh"
expect_status 0 "$HERALD" ingest "$SEEDS"
contains "$T/err" '5 articles: 5 stored, 0 already stored, 0 failed'
expect_status 0 "$HERALD" ls
[ "$(tail -n +2 "$T/out" | wc -l)" -eq 5 ] || fail "ls should list 5 articles"
# Languages as the seeds are written: German, Italian, German, English, German.
expect_status 0 "$HERALD" export --json
cp "$T/out" "$T/export.json"
[ "$(wc -l < "$T/out")" -eq 5 ] || fail "export should print 5 lines"
for pair in 000_:de 001_:it 002_:de 003_:en 004_:de; do
    file=${pair%%:*}; lang=${pair#*:}
    grep "$file" "$T/out" | grep -q "\"lang\":\"$lang\"" || { cat "$T/out"; fail "$file should be $lang"; }
done
contains "$T/out" '"title":"Putins kasachischer Schachzug'
contains "$T/out" '"words":[1-9][0-9]+'
contains "$T/out" '"sentences":[1-9]'
# Ids are 16 hex digits and distinct.
n=$(grep -o '"id":"[0-9a-f]\{16\}"' "$T/out" | sort -u | wc -l)
[ "$n" -eq 5 ] || fail "expected 5 distinct ids, got $n"
# Idempotent.
expect_status 0 "$HERALD" ingest "$SEEDS"
contains "$T/err" '5 articles: 0 stored, 5 already stored, 0 failed'
# show by a unique prefix of an id.
id=$(grep 001_ "$T/export.json" | sed 's/.*"id":"\([0-9a-f]*\)".*/\1/')
prefix=$(echo "$id" | cut -c1-6)
expect_status 0 "$HERALD" show "$prefix"
contains "$T/out" "^id +$id"
contains "$T/out" '^lang +it \(Italian\)'
expect_status 0 "$HERALD" show "$id" --json --text
contains "$T/out" '"text":"Putin ha impegnato'
expect_status 1 "$HERALD" show ffffffffffff
contains "$T/err" "show 'ffffffffffff': no article with that id"
exit 0
