# Full-text search: every language through one FTS5 index; a name finds
# the articles that spell it otherwise through the entity registry (the
# German seeds write Tokajew, the Italian 001 and German 004 Tokayev);
# punctuation and FTS5 syntax in a query are inert; a query without words
# is a usage error; words are stemmed with Snowball in the article's
# language, so another inflected form finds them; schema 6 and schema 7
# (unstemmed) databases are migrated and searchable.
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

# Stemming: each form below occurs only in the first article listed, the
# other article has another form of the same word (000 says Staatschef,
# Krise, Möglichkeit; 002 Staatschefs; 004 Krisen, Möglichkeiten).
for qw in "Staatschef:000_ 002_" "Staatschefs:000_ 002_" "Krisen:000_ 004_" \
          "Möglichkeit:000_ 004_" "moglichkeiten:000_ 004_" \
          "paracadutista:001_" "trattativa:001_" "soldier:003_" "deployments:003_"; do
    q=${qw%%:*} forms=${qw#*:}
    expect_status 0 "$HERALD" search "$q" --json
    got=$(sources "$T/out")
    [ "$got" = "$forms" ] || fail "search $q (stemmed): want '$forms', got '$got'"
done
# The exact forms still match, all words are still required, and --lang
# stems in that language only (German 'Krisen' is not an Italian word).
expect_status 0 "$HERALD" search "Krisen heimgesucht" --json
[ "$(sources "$T/out")" = "004_" ] || fail "search 'Krisen heimgesucht': $(cat "$T/out")"
expect_status 0 "$HERALD" search Krisen --lang de --json
[ "$(sources "$T/out")" = "000_ 004_" ] || fail "search Krisen --lang de: $(cat "$T/out")"
expect_status 0 "$HERALD" search Krisen --lang it --json
[ "$(cat "$T/out")" = "[]" ] || fail "search Krisen --lang it: $(cat "$T/out")"
expect_status 0 "$HERALD" search paracadutista --lang it --json
[ "$(sources "$T/out")" = "001_" ] || fail "search paracadutista --lang it: $(cat "$T/out")"
# A snippet from the start of the text has no language marker (\x1f de \x1f).
expect_status 0 "$HERALD" search verpflichtete --json
python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))[0]["snippet"]
assert s.startswith("Putin verpflichtete am"), repr(s)
assert "\x1f" not in s, repr(s)' "$T/out" || fail "snippet keeps the language marker"
# The story list's text filter uses the same index.
expect_status 0 "$HERALD" stories --search Staatschefs --json
contains "$T/out" '"articles":5'

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

# Older databases.  The sqlite3 shell has no "herald" tokenizer, so it
# cannot drop the index: unlink its objects from the schema instead and
# let VACUUM reclaim their pages.
command -v sqlite3 > /dev/null || exit 0
unindex() {
    sqlite3 "$HERALD_DB" "PRAGMA writable_schema=ON;
        DELETE FROM sqlite_schema WHERE name LIKE 'articles\\_fts%' ESCAPE '\\';
        PRAGMA writable_schema=OFF;" && sqlite3 "$HERALD_DB" VACUUM
}
# A schema 7 database (unstemmed index) is migrated and stemmed.
unindex || fail "cannot drop the search index"
sqlite3 "$HERALD_DB" "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text,
    content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');
    INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
    CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
      INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text); END;
    CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
      INSERT INTO articles_fts(articles_fts, rowid, title, text)
      VALUES ('delete', old.seq, old.title, old.text); END;
    CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN
      INSERT INTO articles_fts(articles_fts, rowid, title, text)
      VALUES ('delete', old.seq, old.title, old.text);
      INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text); END;
    PRAGMA user_version=7;" || fail "cannot make a version 7 database"
[ "$(sqlite3 "$HERALD_DB" "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'krisen'")" -eq 1 ] \
    || fail "the version 7 index is not the unstemmed one"
expect_status 0 "$HERALD" search Krisen --json
[ "$(sources "$T/out")" = "000_ 004_" ] || fail "migrated from 7: search Krisen: $(cat "$T/out")"
[ "$(sqlite3 "$HERALD_DB" 'PRAGMA user_version')" -ge 8 ] || fail "schema not migrated to 8"

# A schema 6 database (no search index) is migrated and its articles found.
unindex && sqlite3 "$HERALD_DB" "PRAGMA user_version=6;" || fail "cannot make a version 6 database"
expect_status 0 "$HERALD" search achtstündigen --json
[ "$(sources "$T/out")" = "002_" ] || fail "migrated: search achtstündigen: $(cat "$T/out")"
expect_status 0 "$HERALD" search Staatschef --json
[ "$(sources "$T/out")" = "000_ 002_" ] || fail "migrated from 6: search Staatschef: $(cat "$T/out")"
[ "$(sqlite3 "$HERALD_DB" 'PRAGMA user_version')" -ge 8 ] || fail "schema not migrated to 8"
[ "$(sqlite3 "$HERALD_DB" 'PRAGMA integrity_check')" = ok ] || fail "database damaged by the migration"
exit 0
