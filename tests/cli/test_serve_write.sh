# herald serve beyond reading stories: entities (a page, one entity with its
# spellings by language), the status the page follows, and ingest by POST:
# refused on a read-only server, without the token, with a wrong type, an
# oversized or malformed body; accepted with the token (JSON object, array,
# JSON Lines, HTML), after which the articles are stored, grouped into
# stories and counted.  Also an IPv6 loopback bind and an opt-in CORS origin.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"
command -v curl > /dev/null || skip "curl not installed"
command -v python3 > /dev/null || skip "python3 not installed"

"$HERALD" ingest "$SEEDS" 2> /dev/null || fail "ingest seeds"
py() { python3 - "$T/body" "$@" || fail "$(head -c 800 "$T/body")"; }

# ---- read-only ----
start_server
want 200 "/api/entities?q=tokay"
py <<'PY'
import json, sys
l = json.load(open(sys.argv[1]))
assert len(l) == 1 and l[0]["type"] == "PER" and l[0]["languages"] == ["de", "it"], l
PY
tok=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$T/body")
want 200 "/api/entities?type=LOC&limit=2"
py <<'PY'
import json, sys
l = json.load(open(sys.argv[1]))
assert len(l) == 2 and all(e["type"] == "LOC" for e in l), l
assert l[0]["articles"] >= l[1]["articles"], l
PY
want 200 "/api/entities?type=LOC&limit=2&offset=2"
py <<'PY'
import json, sys
assert len(json.load(open(sys.argv[1]))) == 2
PY
want 200 "/api/entities?q=100%25_"
[ "$(cat "$T/body")" = "[]" ] || fail "LIKE wildcards are not literal: $(cat "$T/body")"
# One entity: its spellings by language, its story, the articles naming it.
want 200 "/api/entities/$(echo "$tok" | cut -c1-6)"
py <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
de = [v["name"] for v in e["languages"]["de"]]
it = [v["name"] for v in e["languages"]["it"]]
assert "Tokajew" in de and "Tokayev" in it, e["languages"]
assert e["stories"][0]["id"] == 1 and e["stories"][0]["naming"] == 3, e["stories"]
assert len(e["recent"]) == 3 and e["articles"] == 3, e["recent"]
PY
for p in "/api/entities/ffffffffffff" ; do want 404 "$p"; is_error_json "$p"; done
for p in "/api/entities/a%27b" "/api/entities?type=CAT" "/api/entities?limit=0" "/api/entities?lang=X"; do
    want 400 "$p"; is_error_json "$p"
done
want 200 /api/status
py <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["articles"] == 5 and s["stories"] == 1 and s["ingest"] is False, s
PY
# Read-only: POST is refused before the body is read.
want 403 /api/articles -X POST -H 'Content-Type: application/json' -d '{"text":"x"}'
is_error_json "POST read-only"
contains "$T/body" 'read-only'
stop_server

# ---- a token opens ingest ----
echo "short" > "$T/short"
expect_status 2 "$HERALD" serve --port 0 --token-file "$T/short"
contains "$T/err" 'token'
expect_status 2 "$HERALD" serve --port 0 --token-file "$T/missing"
TOKEN=serve-test-token-0123456789abcdef
printf '%s\n' "$TOKEN" > "$T/token"
start_server --token-file "$T/token"
auth="Authorization: Bearer $TOKEN"
json='Content-Type: application/json'
want 401 /api/articles -X POST -H "$json" -d '{"text":"x"}'
is_error_json "POST without a token"
want 401 /api/articles -X POST -H "$json" -H "Authorization: Bearer ${TOKEN}x" -d '{"text":"x"}'
want 401 /api/articles -X POST -H "$json" -H "Authorization: Basic $TOKEN" -d '{"text":"x"}'
want 415 /api/articles -X POST -H "$auth" -H 'Content-Type: image/png' -d 'x'
want 400 /api/articles -X POST -H "$auth" -H "$json" -d '{"text": '
is_error_json "malformed JSON"
want 400 /api/articles -X POST -H "$auth" -H "$json" -d '[]'
want 400 /api/articles -X POST -H "$auth" -H "$json" -d '"text"'
want 400 /api/articles -X POST -H "$auth" -H "$json" --data-binary ''
want 405 /api/stories -X POST -H "$auth" -H "$json" -d '{}'
# A body over the cap: refused by its length before it is read ...
want 413 /api/articles -X POST -H "$auth" -H "$json" -H 'Content-Length: 999999999' -d '{}'
# ... or as it arrives (chunked, no length).
python3 -c 'import sys; sys.stdout.write("{\"text\": \"" + "a" * (17 << 20) + "\"}")' > "$T/big.json"
want 413 /api/articles -X POST -H "$auth" -H "$json" -H 'Transfer-Encoding: chunked' --data-binary @"$T/big.json"
rm -f "$T/big.json"
kill -0 $PID 2> /dev/null || fail "serve died on a bad POST"

# One article as a JSON object: stored, in a story, found by id.
want 201 /api/articles -X POST -H "$auth" -H "$json" --data-binary @- <<'EOF2'
{"id": "post-1", "lang": "en", "title": "Tokayev thanks Putin for the troops",
 "text": "Kazakhstan's President Kassym-Jomart Tokayev thanked Vladimir Putin on Friday for sending Russian paratroopers to Almaty as part of a peacekeeping force of former Soviet states, after the worst unrest since the country's independence from Moscow in 1991."}
EOF2
py <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["stored"] == 1 and r["failed"] == 0 and len(r["articles"]) == 1, r
a = r["articles"][0]
assert a["lang"] == "en" and a["story"] >= 1, a
PY
pid1=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["articles"][0]["id"])' "$T/body")
want 200 "/api/articles/$pid1"
contains "$T/body" 'paratroopers'
# The same again: already stored, 200.
want 200 /api/articles -X POST -H "$auth" -H "$json" --data-binary @- <<'EOF2'
{"id": "post-1", "lang": "en", "title": "Tokayev thanks Putin for the troops",
 "text": "Kazakhstan's President Kassym-Jomart Tokayev thanked Vladimir Putin on Friday for sending Russian paratroopers to Almaty as part of a peacekeeping force of former Soviet states, after the worst unrest since the country's independence from Moscow in 1991."}
EOF2
py <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["stored"] == 0 and r["existing"] == 1, r
PY
# An array with a bad item: the good one is stored, the bad one reported.
want 201 /api/articles -X POST -H "$auth" -H "$json" \
    -d '[{"id":"post-2","text":"Schwere Regenfälle haben in Norditalien Überschwemmungen ausgelöst; Hunderte Menschen mussten ihre Häuser verlassen."},{"id":"post-3","text":""}]'
py <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["stored"] == 1 and r["failed"] == 1 and len(r["problems"]) == 1, r
assert r["problems"][0]["line"] == 2 and r["problems"][0]["message"], r
PY
# JSON Lines and an HTML page.
printf '%s\n' '{"id":"post-4","text":"Le gouvernement français a annoncé mardi un nouveau plan pour les hôpitaux publics."}' \
    '{"id":"post-5","text":"Il governo italiano ha approvato mercoledì il bilancio dello Stato per il prossimo anno."}' > "$T/lines"
want 201 "/api/articles?source=feed-test" -X POST -H "$auth" -H 'Content-Type: application/x-ndjson' --data-binary @"$T/lines"
contains "$T/body" '"stored":2'
want 201 /api/articles -X POST -H "$auth" -H 'Content-Type: text/html; charset=utf-8' --data-binary @- <<'EOF2'
<!doctype html><html lang="en"><head><title>Floods in Valencia</title></head><body><nav>Home</nav>
<article><h1>Floods in Valencia</h1><p>Flash floods swept through the region of Valencia on Tuesday, killing at least
twelve people and cutting road and rail links to the city, the regional government said.</p>
<p>Rescue teams worked through the night to reach villages cut off by the water.</p></article></body></html>
EOF2
contains "$T/body" '"title":"Floods in Valencia"'
want 200 /api/status
py <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["articles"] == 10 and s["ingest"] is True, s
PY
"$HERALD" export --json --no-text > "$T/all" || fail "export after POST"
[ "$(wc -l < "$T/all")" -eq 10 ] || fail "want 10 stored articles, got $(wc -l < "$T/all")"
contains "$T/all" '"source":"feed-test"'
# Another writer meanwhile: the server's next ingest sees its articles and stories.
printf '%s\n' '{"id":"cli-1","text":"Ein Erdbeben der Stärke 6,1 hat am Morgen die Westtürkei erschüttert, berichten die Behörden."}' > "$T/cli.jsonl"
"$HERALD" ingest "$T/cli.jsonl" 2> /dev/null || fail "ingest beside the server"
want 201 /api/articles -X POST -H "$auth" -H "$json" \
    -d '{"id":"post-6","text":"Ein Erdbeben der Stärke 6,1 hat am Morgen die Westtürkei erschüttert; Gebäude stürzten ein, berichten die Behörden."}'
"$HERALD" export --json --no-text > "$T/all" || fail "export"
python3 - "$T/all" <<'PY' || fail "the server's ingest did not see the other writer's story: $(cat "$T/all")"
import json, sys
story = {}
for line in open(sys.argv[1]):
    a = json.loads(line)
    story[a.get("ext_id") or a["id"]] = a["story"]
assert story["cli-1"] == story["post-6"], story
assert story["cli-1"] not in (story["post-2"], story["post-4"]), story
PY
# A story without titles is shown by the start of its first article.
want 200 "/api/stories?latest=1&limit=1"
py <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))[0]
assert s["title"] == "" and s["lead"].startswith("Ein Erdbeben der Stärke 6,1"), s
PY
kill -0 $PID 2> /dev/null || fail "serve died"
stop_server

# ---- CORS on request, IPv6 loopback ----
start_server --cors https://desk.example.org
want 200 /api/status
curl -s -D "$T/head" -o /dev/null "$BASE/api/status" || fail "headers"
contains "$T/head" '^Access-Control-Allow-Origin: https://desk.example.org'
want 204 /api/stories -X OPTIONS
stop_server
expect_status 2 "$HERALD" serve --port 0 --cors 'javascript:x'
if python3 -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2> /dev/null; then
    start_server --bind ::1
    want 200 /api/status
    contains "$T/serve.log" 'http://\[::1\]:'
    stop_server
fi
expect_status 2 "$HERALD" serve --port 0 --bind localhost
contains "$T/err" 'IPv4 or IPv6'
echo ok
