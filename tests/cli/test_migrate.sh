# A database written by schema version 1 (the first release) is carried
# forward: its articles stay, new articles get facts, the version moves on.
. "$(dirname "$0")/lib.sh"
G=$(cd "$(dirname "$0")/../golden" && pwd)
command -v sqlite3 > /dev/null || skip "sqlite3 CLI not installed"
sqlite3 "$HERALD_DB" < "$G/schema-v1.sql" || fail "cannot build a version 1 database"
sqlite3 "$HERALD_DB" "PRAGMA user_version=1; INSERT INTO articles (id, source, title, text, lang,
    lang_score, lang_reliable, langs, chars, words, sentences, ingested, encoding, invalid_bytes,
    problems) VALUES ('00000000000000aa', 'old.txt', 'Old', 'Old text kept', 'en', 0.9, 1, '[]',
    13, 3, 1, 0, 'UTF-8', 0, '[]');" || fail "cannot fill the version 1 database"
expect_status 0 "$HERALD" ingest "$SEEDS/003_33082b2dbb3316dc.txt"
[ "$(sqlite3 "$HERALD_DB" 'PRAGMA user_version')" -ge 2 ] || fail "schema not migrated"
expect_status 0 "$HERALD" show 00000000000000aa --json --text
contains "$T/out" '"text":"Old text kept"'
expect_status 0 "$HERALD" export --json
[ "$(wc -l < "$T/out")" -eq 2 ] || fail "expected the old and the new article"
contains "$T/out" '"source":"[^"]*003_33082b2dbb3316dc.txt".*"entities":\[\{'
exit 0
