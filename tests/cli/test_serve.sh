# herald serve: the seeds' story through the JSON API; parameter errors are
# 400 JSON, unknown ids 404, other methods 405; paths cannot climb out of
# the web folder; oversized URLs and headers are refused and the server
# keeps answering.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"
command -v curl > /dev/null || skip "curl not installed"
command -v python3 > /dev/null || skip "python3 not installed"

"$HERALD" ingest "$SEEDS" 2> /dev/null || fail "ingest seeds"
start_server

want 200 /api/stories
python3 - "$T/body" <<'PY' || fail "/api/stories: want one story of 5 articles in de, en, it: $(cat "$T/body")"
import json, sys
s = json.load(open(sys.argv[1]))
assert len(s) == 1 and s[0]["id"] == 1, s
assert s[0]["articles"] == 5 and sorted(s[0]["languages"]) == ["de", "en", "it"], s[0]
PY
id0=$("$HERALD" export --json --no-text | grep 000_ | sed 's/.*"id":"\([0-9a-f]*\)".*/\1/')
id1=$("$HERALD" export --json --no-text | grep 001_ | sed 's/.*"id":"\([0-9a-f]*\)".*/\1/')
[ -n "$id0" ] && [ -n "$id1" ] || fail "no ids for 000 and 001"

want 200 "/api/stories/1?lang=en"
python3 - "$T/body" "$id0" "$id1" <<'PY' || fail "/api/stories/1: $(head -c 600 "$T/body")"
import json, sys
s = json.load(open(sys.argv[1]))
a, b = sorted(sys.argv[2:])
assert len(s["members"]) == 5 and s["title_lang"] == "en", s["title_lang"]
assert any(l["a"] == a and l["b"] == b and l["kind"] == "translation" for l in s["links"]), s["links"]
PY

want 200 "/api/stories?entity=Tokayev"
python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1]))) == 1' "$T/body" || fail "entity=Tokayev"
want 200 "/api/stories?entity=No%20Such%20Person"
[ "$(cat "$T/body")" = "[]" ] || fail "entity=No Such Person: $(cat "$T/body")"
want 200 "/api/stories?lang=it&since=2000-01-01&latest=1&limit=5&offset=0&q=Fallschirmj%C3%A4ger"
python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1]))) == 1' "$T/body" || fail "filters"

want 200 "/api/search?q=Tokajew&limit=10"
python3 - "$T/body" <<'PY' || fail "/api/search?q=Tokajew: $(head -c 600 "$T/body")"
import json, sys
r = json.load(open(sys.argv[1]))
src = " ".join(a["source"] for a in r)
assert "000_" in src and "001_" in src and "004_" in src, src
assert all(a["story"] == 1 for a in r), r
PY
want 200 "/api/search?q=Tokajew&lang=it"
python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1]))) == 1' "$T/body" || fail "search lang=it"

want 200 "/api/articles/$id0"
python3 - "$T/body" "$id0" "$id1" <<'PY' || fail "/api/articles: $(head -c 600 "$T/body")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["id"] == sys.argv[2] and len(d["text"]) > 1000 and d["entities"], d.keys()
assert any(sys.argv[3] in (l["a"], l["b"]) and l["kind"] == "translation" for l in d["links"]), d["links"]
PY
want 200 "/api/similar/$id0?k=3"
python3 - "$T/body" "$id1" <<'PY' || fail "/api/similar: $(cat "$T/body")"
import json, sys
h = json.load(open(sys.argv[1]))
assert 1 <= len(h) <= 3 and h[0]["id"] == sys.argv[2], h
PY
want 200 "/api/compare?a=$id0&b=$id1"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert 1 <= d["dimensions"]["Overall"] <= 4' \
    "$T/body" || fail "/api/compare: $(cat "$T/body")"
want 200 /api/entities
eid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$T/body")
want 200 "/api/entities?id=$eid"

# Concurrent readers: every worker opens its own engine.
pids=""
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
    curl -s -o /dev/null -w '%{http_code}\n' "$BASE/api/stories/1" > "$T/par$i" &
    pids="$pids $!"
done
for p in $pids; do wait "$p"; done
[ "$(cat "$T"/par* | sort -u)" = "200" ] || fail "parallel requests: $(cat "$T"/par*)"

# Every route is in the OpenAPI description.
API=$(dirname "$0")/../../docs/openapi.yaml
for r in /api/stories: /api/stories/{id}: /api/articles/{id}: /api/entities: \
         /api/similar/{id}: /api/compare: /api/search:; do
    grep -q "^  $r\$" "$API" || fail "docs/openapi.yaml lacks $r"
done

# Parameter errors: 400 with a JSON message.
for p in "/api/stories?nope=1" "/api/stories?limit=0" "/api/stories?limit=abc" \
         "/api/stories?since=yesterday" "/api/stories?lang=EN;" "/api/stories?latest=2" \
         "/api/stories/abc" "/api/stories/0" "/api/similar/$id0?k=999" "/api/compare?a=$id0" \
         "/api/articles/a%27b" "/api/stories?%ff%fe=1" "/api/stories?lang=%ff" "/api/search" "/api/search?q=%22*%3A" "/api/search?q=x&limit=0" "/api/stories?q=$(python3 -c 'print("x" * 300)')"; do
    want 400 "$p"; is_error_json "$p"
done
# Unknown ids and paths: 404.
for p in /api/stories/999 /api/articles/ffffffffffffffff /api/similar/ffffffffffffffff \
         /api/entities?id=ffffffff /api/nothing /nothing.html; do
    want 404 "$p"; is_error_json "$p"
done
# No way out of the web folder.
for p in /../../etc/passwd /%2e%2e/%2e%2e/etc/passwd /%2e%2e/ /..%2f..%2fetc%2fpasswd \
         /web/../README.md "/%5c..%5c..%5cetc%5cpasswd"; do
    get "$p"
    case $CODE in 400|404) ;; *) fail "GET $p: status $CODE";; esac
    lacks "$T/body" 'root:'
done
# Other methods: 405.
want 405 /api/stories -X POST -d 'x=1'
want 405 /api/stories -X DELETE
want 405 / -X PUT -d ''
# Oversized request line and header: refused, and the server lives on.
long=$(python3 -c 'print("a" * 100000)')
get "/api/stories?q=$long"
case $CODE in 400|414|431) ;; *) fail "100 KB URL: status $CODE";; esac
get /api/stories -H "X-Filler: $long"
case $CODE in 400|413|431|000) ;; *) fail "100 KB header: status $CODE";; esac
kill -0 $PID 2> /dev/null || fail "serve died"
want 200 /api/stories

# The web page, when the folder is there.
if [ -f "$WEB/index.html" ]; then
    want 200 /
    contains "$T/body" '<script src="app.js"'
    want 200 /app.js
    want 200 /style.css
    curl -s -D "$T/head" -o /dev/null "$BASE/" || fail "headers of /"
    contains "$T/head" '^Content-Type: text/html'
    lacks "$T/head" 'Access-Control'
fi

# The story page's map: map.js and the base map web/world.svg, which
# tools/deps.sh builds with node (tools/world_map.mjs) before the tests run.
if ! command -v node > /dev/null; then
    echo "test_serve: node not installed, so no web/world.svg: /world.svg not checked"
elif [ -f "$WEB/index.html" ]; then
    [ -f "$WEB/world.svg" ] || fail "no $WEB/world.svg: run tools/deps.sh (node tools/world_map.mjs builds it)"
    want 200 /map.js
    want 200 /world.svg
    contains "$T/body" '<svg'
    curl -s -D "$T/head" -o /dev/null "$BASE/world.svg" || fail "headers of /world.svg"
    contains "$T/head" '^Content-Type: image/svg\+xml'
fi

# A missing database: a clear error, no server.
expect_status 2 "$HERALD" serve --db "$T/none.db" --port 0
contains "$T/err" 'no database'
expect_status 2 "$HERALD" serve --port 99999
contains "$T/err" 'port'

# SIGTERM stops it cleanly.
kill $PID; wait $PID; rc=$?
[ $rc -eq 0 ] || fail "serve exited $rc on SIGTERM"
contains "$T/serve.log" 'stopping'
echo ok
