# Stories: the five seeds are one story in three languages with 000/001 as
# a translation pair inside it; the grouping does not depend on how the
# input was split into runs; recluster rebuilds it (and keeps new
# parameters); the filters find the story by language, by any spelling of
# an entity and by text; an old event with the same actors becomes a story
# of its own; bad arguments get clear errors.
. "$(dirname "$0")/lib.sh"
command -v python3 > /dev/null || skip "python3 not installed"

# story_map DB: "source-basename story" per article, sorted.
story_map() {
    HERALD_DB=$1 "$HERALD" export --json --no-text | python3 -c '
import json, os, sys
for l in sys.stdin:
    d = json.loads(l)
    print(d["ext_id"] or os.path.basename(d["source"]), d["story"])
' | sort
}

expect_status 0 "$HERALD" ingest "$SEEDS"
expect_status 0 "$HERALD" stories --json
python3 - "$T/out" <<'PY' || fail "seeds: want one story of 5 articles in de, en, it: $(cat "$T/out")"
import json, sys
s = json.load(open(sys.argv[1]))
assert len(s) == 1, len(s)
assert s[0]["articles"] == 5 and s[0]["languages"] == {"de": 3, "en": 1, "it": 1}, s[0]
assert "Kazakhstan" in s[0]["entities"], s[0]["entities"]
PY
sid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$T/out")
id0=$("$HERALD" export --json | grep 000_ | sed 's/.*"id":"\([0-9a-f]*\)".*/\1/')
id1=$("$HERALD" export --json | grep 001_ | sed 's/.*"id":"\([0-9a-f]*\)".*/\1/')
expect_status 0 "$HERALD" story "$sid" --json --lang en
python3 - "$T/out" "$id0" "$id1" <<'PY' || fail "story $sid: $(cat "$T/out")"
import json, sys
s = json.load(open(sys.argv[1]))
a, b = sorted(sys.argv[2:])
assert len(s["members"]) == 5 and s["articles"] == 5
assert s["title_lang"] == "en", s["title_lang"]
kinds = {(l["a"], l["b"]): l["kind"] for l in s["links"]}
assert kinds.get((a, b)) == "translation", kinds
assert s["places"] and s["places"][0]["name"], s["places"][:1]
assert any(q["speaker"] for q in s["quotes"]), "no quote with a speaker"
assert sum(sum(d["articles"].values()) for d in s["timeline"]) == 5
PY
expect_status 0 "$HERALD" story "$sid"
contains "$T/out" '^story 1: '
contains "$T/out" 'translation'
story_map "$HERALD_DB" > "$T/one-run"
[ "$(awk '{print $2}' "$T/one-run" | sort -u | wc -l)" -eq 1 ] || fail "export: want one story"

# The same input in five runs, and in two: the same stories.
for f in "$SEEDS"/*; do HERALD_DB="$T/five.db" "$HERALD" ingest "$f" 2> /dev/null || fail "ingest $f"; done
story_map "$T/five.db" > "$T/five-runs"
cmp -s "$T/one-run" "$T/five-runs" || { diff "$T/one-run" "$T/five-runs"; fail "five runs differ from one"; }
mkdir "$T/a" "$T/b"
cp "$SEEDS"/000_* "$SEEDS"/003_* "$T/a"; cp "$SEEDS"/001_* "$SEEDS"/002_* "$SEEDS"/004_* "$T/b"
HERALD_DB="$T/two.db" "$HERALD" ingest "$T/a" "$T/b" 2> /dev/null || fail "ingest a b"
HERALD_DB="$T/two2.db" "$HERALD" ingest "$T/a" 2> /dev/null || fail "ingest a"
HERALD_DB="$T/two2.db" "$HERALD" ingest "$T/b" 2> /dev/null || fail "ingest b"
story_map "$T/two.db" > "$T/two-a"; story_map "$T/two2.db" > "$T/two-b"
cmp -s "$T/two-a" "$T/two-b" || { diff "$T/two-a" "$T/two-b"; fail "two runs differ from one"; }

# recluster: the same stories again; new parameters are kept.
expect_status 0 "$HERALD" recluster
story_map "$HERALD_DB" > "$T/again"
cmp -s "$T/one-run" "$T/again" || { diff "$T/one-run" "$T/again"; fail "recluster changed the stories"; }
expect_status 0 "$HERALD" recluster --threshold 0.999
contains "$T/err" '5 stories'
expect_status 0 "$HERALD" recluster
contains "$T/err" '5 stories \(threshold 0.999'
expect_status 0 "$HERALD" recluster --defaults
contains "$T/err" '1 stories'

# Filters.
count() { python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$T/out"; }
expect_status 0 "$HERALD" stories --json --lang it;          [ "$(count)" -eq 1 ] || fail "--lang it"
expect_status 0 "$HERALD" stories --json --lang fr;          [ "$(count)" -eq 0 ] || fail "--lang fr"
expect_status 0 "$HERALD" stories --json --entity Tokayev;   [ "$(count)" -eq 1 ] || fail "--entity Tokayev"
expect_status 0 "$HERALD" stories --json --entity "No Such Person"; [ "$(count)" -eq 0 ] || fail "--entity none"
expect_status 0 "$HERALD" stories --json --place Kazakhstan; [ "$(count)" -eq 1 ] || fail "--place"
expect_status 0 "$HERALD" stories --json --search Fallschirmjäger; [ "$(count)" -eq 1 ] || fail "--search"
expect_status 0 "$HERALD" stories --json --search zzzqqq;    [ "$(count)" -eq 0 ] || fail "--search none"
expect_status 0 "$HERALD" stories --json --since 2100-01-01; [ "$(count)" -eq 0 ] || fail "--since"
expect_status 0 "$HERALD" stories --json --until 2000-01-01; [ "$(count)" -eq 0 ] || fail "--until"
expect_status 0 "$HERALD" stories --latest
contains "$T/out" 'de:3 en:1 it:1'

# Time: the same report a day later joins the story; two months later it
# is a new event with the same actors.
python3 - "$SEEDS/000_7aee1d6ab33e6622.txt" > "$T/dated.jsonl" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
paras = text.split("\n\n")
for i, (day, cut) in enumerate((("2022-01-07", 1), ("2022-01-08", 2), ("2022-03-10", 3))):
    body = "\n\n".join(paras[:-cut])
    print(json.dumps({"id": "d%d" % i, "published": day, "text": body}, ensure_ascii=False))
PY
HERALD_DB="$T/dated.db" "$HERALD" ingest "$T/dated.jsonl" 2> /dev/null || fail "ingest dated"
story_map "$T/dated.db" > "$T/dated"
s0=$(awk '$1 == "d0" {print $2}' "$T/dated"); s1=$(awk '$1 == "d1" {print $2}' "$T/dated")
s2=$(awk '$1 == "d2" {print $2}' "$T/dated")
[ "$s0" = "$s1" ] || fail "a day apart: want one story ($(cat "$T/dated"))"
[ "$s0" != "$s2" ] || fail "two months apart: want two stories ($(cat "$T/dated"))"

# A database whose articles are in no story (written before stories
# existed) is told to recluster, and recluster puts them in one.
if command -v sqlite3 > /dev/null; then
    cp "$HERALD_DB" "$T/old.db"
    sqlite3 "$T/old.db" "DELETE FROM stories; DELETE FROM story_articles; DELETE FROM story_keys;"
    expect_status 0 "$HERALD" --db "$T/old.db" stories
    contains "$T/err" "run 'herald recluster'"
    expect_status 0 "$HERALD" --db "$T/old.db" recluster
    contains "$T/err" '^herald: 1 stories'
fi

# A schema 8 database (no per-language story summary) is migrated: the
# list has the same titles and language counts.
if command -v sqlite3 > /dev/null; then
    "$HERALD" stories --json > "$T/before.json" || fail "stories before"
    cp "$HERALD_DB" "$T/v7.db"
    sqlite3 "$T/v7.db" "DROP TRIGGER story_langs_ai; DROP TRIGGER story_langs_ad;
        DROP TRIGGER story_langs_au; DROP TABLE story_langs; DROP INDEX stories_size;
        DROP INDEX stories_last; PRAGMA user_version=8;" || fail "cannot make a version 8 database"
    expect_status 0 "$HERALD" --db "$T/v7.db" stories --json
    cmp -s "$T/out" "$T/before.json" || fail "stories after migration: $(cat "$T/out")"
    [ "$(sqlite3 "$T/v7.db" 'SELECT count(*) FROM story_langs')" -eq 3 ] || fail "story_langs not filled"
fi

# Bad arguments.
expect_status 1 "$HERALD" story 999
contains "$T/err" 'story 999: no such story'
expect_status 2 "$HERALD" story abc
expect_status 2 "$HERALD" story
expect_status 2 "$HERALD" recluster --threshold 2
contains "$T/err" 'threshold'
expect_status 2 "$HERALD" recluster --window 0
expect_status 2 "$HERALD" stories --since yesterday
contains "$T/err" 'YYYY-MM-DD'
expect_status 2 "$HERALD" stories --db "$T/none.db"
contains "$T/err" 'no database'
echo ok
