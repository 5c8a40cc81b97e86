# The web page in a headless browser (tests/web/test_web.mjs): the story
# list, a story page with its translation link, an entity's spellings, the
# compare view, and a POSTed article appearing live.  Needs node, Debian's
# chromium and npm's playwright-core (tools/deps.sh installs them).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
command -v node > /dev/null || skip "node not installed"
[ -x "$CHROMIUM" ] || skip "chromium not installed"
[ -f "$ROOT/node_modules/playwright-core/package.json" ] || skip "playwright-core not installed (tools/deps.sh)"
command -v curl > /dev/null || skip "curl not installed"

"$HERALD" ingest "$SEEDS" 2> /dev/null || fail "ingest seeds"
id0=$("$HERALD" export --json --no-text | grep 000_ | sed 's/.*"id":"\([0-9a-f]*\)".*/\1/')
id1=$("$HERALD" export --json --no-text | grep 001_ | sed 's/.*"id":"\([0-9a-f]*\)".*/\1/')

TOKEN=web-test-token-$$-0123456789
echo "$TOKEN" > "$T/token"
start_server --token-file "$T/token"

CHROMIUM=$CHROMIUM HOME=$T timeout 120 node "$ROOT/tests/web/test_web.mjs" \
    "$BASE" "$id0" "$id1" "$TOKEN" > "$T/web.log" 2>&1
rc=$?
cat "$T/web.log"
[ $rc -eq 0 ] || fail "test_web.mjs exited $rc"
grep -q '^ok$' "$T/web.log" || fail "test_web.mjs did not finish"
kill -0 $PID 2> /dev/null || fail "serve died"
echo ok
