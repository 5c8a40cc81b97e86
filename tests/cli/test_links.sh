# Duplicates at ingest and `herald links`: copies of a real article made
# here (a new headline and a footer, a cut with head) are linked to it with
# the right kind; the seeds (one translation pair, three commentaries) are
# not; re-ingesting adds nothing; the earlier publication date is `first`;
# a version 2 database is migrated to version 3 with its articles intact.
. "$(dirname "$0")/lib.sh"
G=$(cd "$(dirname "$0")/../golden" && pwd)
command -v python3 > /dev/null || skip "python3 not installed"

# The seeds among themselves: no duplicates; one translation, 000 (German)
# and 001 (Italian), the same wire story.
expect_status 0 "$HERALD" ingest "$SEEDS"
expect_status 0 "$HERALD" links --json
lacks "$T/out" 'duplicate'
[ "$(grep -c . "$T/out")" -eq 1 ] || { cat "$T/out"; fail "links among the seeds: want one"; }
id0=$("$HERALD" export --json | grep 000_ | sed 's/.*"id":"\([0-9a-f]*\)".*/\1/')
id1=$("$HERALD" export --json | grep 001_ | sed 's/.*"id":"\([0-9a-f]*\)".*/\1/')
contains "$T/out" '"kind": "translation"'
grep -q "\"$id0\"" "$T/out" && grep -q "\"$id1\"" "$T/out" || { cat "$T/out"; fail "the translation link should join 000 and 001"; }
# herald similar: 001 is the nearest to 000, and the translation.
expect_status 0 "$HERALD" similar "$id0" --json
head -1 "$T/out" | grep -q "\"id\":\"$id1\"" || { cat "$T/out"; fail "001 should be nearest to 000"; }
[ "$(grep -c . "$T/out")" -ge 3 ] || { cat "$T/out"; fail "similar should find the other seeds"; }
expect_status 1 "$HERALD" similar no-such-id
contains "$T/err" 'no-such-id'
expect_status 0 "$HERALD" links --json

# A real article, a syndicated copy and a cut version.
export HERALD_DB="$T/copies.db"
SRC=$SEEDS/004_37a9f0fd4c7ad207.txt
mkdir "$T/in"
{ echo "Kazakhstan: what the CSTO deployment means"; echo; cat "$SRC"; } > "$T/in/a_orig.txt"
{ echo "Russia's troops in Kazakhstan, explained"; echo; cat "$SRC"
  echo; echo "Copyright 2022 Example Wire. All rights reserved. Do not redistribute."; } > "$T/in/b_copy.txt"
n=$(wc -l < "$T/in/a_orig.txt")
head -n $((n * 6 / 10)) "$T/in/a_orig.txt" > "$T/in/c_cut.txt"
cp "$SEEDS/002_a97b60a4f45f6530.txt" "$T/in/d_other.txt"
expect_status 0 "$HERALD" ingest "$T/in"
contains "$T/err" "4 stored"
expect_status 0 "$HERALD" ls --json
python3 - "$T/out" > "$T/ids" <<'PY' || fail "cannot read ls --json"
import json, sys, os
for line in open(sys.argv[1]):
    d = json.loads(line)
    print(os.path.basename(d["source"])[0], d["id"])
PY
id_of() { awk -v k="$1" '$1 == k { print $2 }' "$T/ids"; }
A=$(id_of a); B=$(id_of b); C=$(id_of c); D=$(id_of d)
[ -n "$A" ] && [ -n "$B" ] && [ -n "$C" ] && [ -n "$D" ] || fail "missing ids: $(cat "$T/ids")"

expect_status 0 "$HERALD" links --json
cp "$T/out" "$T/links"
python3 - "$T/links" "$A" "$B" "$C" "$D" <<'PY' || fail "wrong links: $(cat "$T/links")"
import json, sys
path, a, b, c, d = sys.argv[1:]
links = [json.loads(l) for l in open(path)]
got = {(frozenset((l["a"], l["b"])), l["kind"]): l for l in links}
want = {(frozenset((a, b)), "duplicate"), (frozenset((a, c)), "near-duplicate"),
        (frozenset((b, c)), "near-duplicate")}
assert set(got) == want, sorted(map(str, got))
for l in links:
    assert l["a"] < l["b"], l
    assert 0.8 <= l["score"] <= 1.0, l
    assert l["first"] is None, l          # text files carry no dates
    assert d not in (l["a"], l["b"]), l
assert got[(frozenset((a, b)), "duplicate")]["score"] >= 0.85
PY

# Re-ingesting stores nothing and links nothing twice.
expect_status 0 "$HERALD" ingest "$T/in"
contains "$T/err" "0 stored, 4 already stored"
expect_status 0 "$HERALD" links --json
cmp -s "$T/out" "$T/links" || fail "links changed on re-ingest"

# --kind, one article's links, plain output.
expect_status 0 "$HERALD" links --json --kind duplicate
[ "$(wc -l < "$T/out")" -eq 1 ] || fail "--kind duplicate: $(cat "$T/out")"
expect_status 0 "$HERALD" links "$A" --json
[ "$(wc -l < "$T/out")" -eq 2 ] || fail "links of A: $(cat "$T/out")"
expect_status 0 "$HERALD" links "$D"
[ "$(wc -l < "$T/out")" -eq 1 ] || fail "links of D (header only): $(cat "$T/out")"
expect_status 0 "$HERALD" links
contains "$T/out" "^[0-9a-f]{16}  [0-9a-f]{16}  duplicate +[01]\.[0-9]{3}  -$"
expect_status 2 "$HERALD" links --kind

# One batch: the later line of a JSON Lines file finds the earlier one,
# and `first` is the one published first.
export HERALD_DB="$T/batch.db"
python3 - "$SRC" > "$T/batch.jsonl" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
print(json.dumps({"id": "late", "title": "Late copy", "published": "2022-01-12", "text": text}))
print(json.dumps({"id": "early", "title": "Early original", "published": "2022-01-10",
                  "text": text + "\n\nRead more at example.org."}))
PY
expect_status 0 "$HERALD" ingest "$T/batch.jsonl"
expect_status 0 "$HERALD" show early --json
E=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' < "$T/out")
expect_status 0 "$HERALD" links --json
[ "$(wc -l < "$T/out")" -eq 1 ] || fail "batch links: $(cat "$T/out")"
contains "$T/out" "\"kind\": \"duplicate\".*\"first\": \"$E\"}"

# A version 2 database moves to the current version with its articles intact.
command -v sqlite3 > /dev/null || skip "sqlite3 CLI not installed"
export HERALD_DB="$T/v2.db"
sqlite3 "$HERALD_DB" < "$G/schema-v2.sql" || fail "cannot build a version 2 database"
sqlite3 "$HERALD_DB" "PRAGMA user_version=2; INSERT INTO articles (id, source, title, text, lang,
    lang_score, lang_reliable, langs, chars, words, sentences, ingested, encoding, invalid_bytes,
    problems, facts) VALUES ('00000000000000bb', 'old.txt', 'Old', 'Old text kept', 'en', 0.9, 1,
    '[]', 13, 3, 1, 0, 'UTF-8', 0, '[]', NULL);" || fail "cannot fill the version 2 database"
expect_status 0 "$HERALD" ingest "$T/in/a_orig.txt" "$T/in/b_copy.txt"
[ "$(sqlite3 "$HERALD_DB" 'PRAGMA user_version')" -ge 3 ] || fail "schema not migrated"
expect_status 0 "$HERALD" show 00000000000000bb --json --text
contains "$T/out" '"text":"Old text kept"'
expect_status 0 "$HERALD" export --json --no-text
[ "$(wc -l < "$T/out")" -eq 3 ] || fail "expected the old and the two new articles"
expect_status 0 "$HERALD" links --json
[ "$(wc -l < "$T/out")" -eq 1 ] || fail "links after migration: $(cat "$T/out")"
exit 0
