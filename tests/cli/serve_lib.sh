# serve_lib.sh -- helpers for tests that run `herald serve` (source after
# lib.sh).  start_server [ARGS...] starts it on an ephemeral loopback port
# with ARGS and sets PID, PORT and BASE; get PATH [CURL-ARGS...] leaves the
# body in $T/body and the status in $CODE; want CODE PATH [CURL-ARGS...]
# fails unless the status is CODE; is_error_json NAME checks for a JSON
# {"error": "..."} body.
WEB=$(cd "$(dirname "$0")/../../web" 2> /dev/null && pwd) || WEB=/nonexistent

start_server() {
    "$HERALD" serve --port 0 --static "$WEB" --threads 2 "$@" 2> "$T/serve.log" &
    PID=$!
    trap 'kill $PID 2> /dev/null; wait $PID 2> /dev/null; rm -rf "$T"' EXIT
    i=0
    while :; do
        PORT=$(sed -n -E 's#.*http://(127\.0\.0\.1|\[::1\]):([0-9]+)/.*#\2#p' "$T/serve.log")
        [ -n "$PORT" ] && break
        kill -0 $PID 2> /dev/null || { cat "$T/serve.log"; fail "serve exited"; }
        i=$((i + 1)); [ $i -lt 100 ] || fail "serve did not start"
        sleep 0.1
    done
    BASE=http://127.0.0.1:$PORT
    grep -q '\[::1\]' "$T/serve.log" && BASE="http://[::1]:$PORT"
    return 0
}
stop_server() {
    kill $PID 2> /dev/null; wait $PID 2> /dev/null
    trap 'rm -rf "$T"' EXIT
}
get() {
    p=$1; shift
    CODE=$(curl -s -g --path-as-is -o "$T/body" -w '%{http_code}' "$@" "$BASE$p") || CODE=000
}
want() {
    w=$1; shift
    get "$@"
    [ "$CODE" = "$w" ] || { cat "$T/body"; echo; fail "$1: status $CODE, wanted $w"; }
}
is_error_json() {
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert isinstance(d["error"], str) and d["error"]' \
        "$T/body" || fail "$1: not a JSON error: $(cat "$T/body")"
}
