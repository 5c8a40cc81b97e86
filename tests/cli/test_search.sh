# Full-text search: every language through one FTS5 index; a name finds
# the articles that spell it otherwise through the entity registry (the
# German seeds write Tokajew, the Italian 001 and German 004 Tokayev);
# punctuation and FTS5 syntax in a query are inert; a query without words
# is a usage error; a schema 6 database is migrated and searchable.
. "$(dirname "$0")/lib.sh"
command -v python3 > /dev/null || skip "python3 not installed"

# sources FILE: the seed file names of the results, sorted.
sources() {
    python3 -c '
import json, os, sys
print(" ".join(sorted(os.path.basename(a["source"])[:4] for a in json.load(open(sys.argv[1])))))' "$1"
}

expect_status 0 "$HERALD" ingest "$SEEDS"
expect_status 0 "$HERALD" search Tokajew --json
got=$(sources "$T/out")
[ "$got" = "000_ 001_ 004_" ] || fail "search Tokajew: want 000_ 001_ 004_, got '$got'"
grep -q Tokajew "$SEEDS"/001_* "$SEEDS"/004_* && fail "001 and 004 should spell it Tokayev"
# The text matches (000 spells it Tokajew) come first.
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert "000_" in r[0]["source"] and r[0]["story"] == 1, r[0]' \
    "$T/out" || fail "search Tokajew: the text match is not first"

expect_status 0 "$HERALD" search achtstündigen --json
got=$(sources "$T/out")
[ "$got" = "002_" ] || fail "search achtstündigen: want 002_, got '$got'"
# Diacritics are folded, words are ANDed, --lang filters.
expect_status 0 "$HERALD" search "fallschirmjager" --json
contains "$T/out" '"lang":"de"'
expect_status 0 "$HERALD" search "achtstundigen Tokayev" --json
[ "$(cat "$T/out")" = "[]" ] || fail "words are not all required: $(cat "$T/out")"
expect_status 0 "$HERALD" search Tokajew --lang it --json
got=$(sources "$T/out")
[ "$got" = "001_" ] || fail "search Tokajew --lang it: got '$got'"
expect_status 0 "$HERALD" search Tokajew
contains "$T/out" 'Tokajew|Putin'

# FTS5 syntax is only text.
for q in '"Tokajew' 'Tokajew*' 'Tokajew NEAR Putin' '-Tokajew' 'title:Tokajew' 'Tokajew OR AND NOT' \
         '^Tokajew (' "$(python3 -c 'print("x " * 40)')"; do
    expect_status 0 "$HERALD" search "$q" --json
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out" || fail "search '$q': not JSON"
done
expect_status 0 "$HERALD" search 'Tokajew*:' --json
[ "$(sources "$T/out")" = "000_ 001_ 004_" ] || fail "punctuation changed the result"

# No words: a usage error that says so.
expect_status 2 "$HERALD" search '"*:-()'
contains "$T/err" 'no letters or digits'
expect_status 2 "$HERALD" search ''
expect_status 2 "$HERALD" search

# A schema 6 database (no search index) is migrated and its articles found.
command -v sqlite3 > /dev/null || exit 0
sqlite3 "$HERALD_DB" "DROP TRIGGER articles_fts_ai; DROP TRIGGER articles_fts_ad;
    DROP TRIGGER articles_fts_au; DROP TABLE articles_fts; PRAGMA user_version=6;" \
    || fail "cannot make a version 6 database"
expect_status 0 "$HERALD" search achtstündigen --json
[ "$(sources "$T/out")" = "002_" ] || fail "migrated: search achtstündigen: $(cat "$T/out")"
[ "$(sqlite3 "$HERALD_DB" 'PRAGMA user_version')" -ge 7 ] || fail "schema not migrated to 7"
exit 0
