# The memory a POST can make herald serve use is bounded: bodies in flight
# share a budget (three bodies of 16 MiB; a fourth is answered 503 with
# Retry-After, before its body is read), a JSON body is split into lines in
# place (no tree of the whole document), and a record with too many JSON
# values is refused before it is parsed.  Four 16 MiB bodies at once keep
# the server's peak resident memory far below what a tree of them costs.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"
command -v curl > /dev/null || skip "curl not installed"
command -v python3 > /dev/null || skip "python3 not installed"

"$HERALD" ingest "$SEEDS" 2> /dev/null || fail "ingest seeds"
TOKEN=memory-test-token-0123456789
printf '%s\n' "$TOKEN" > "$T/token"
start_server --token-file "$T/token"

# Three uploads that declare 16 MiB and send a little: the budget is held.
python3 - "$PORT" "$TOKEN" > "$T/hold.log" 2>&1 <<'PY' &
import socket, sys, time
port, token = int(sys.argv[1]), sys.argv[2]
held = []
for _ in range(3):
    s = socket.create_connection(("127.0.0.1", port))
    s.send(("POST /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
            "Content-Type: application/json\r\nContent-Length: 16000000\r\n\r\n[" % token).encode())
    for _ in range(40):
        s.send(b" " * 16384)
    held.append(s)
print("holding", flush=True)
time.sleep(4)
PY
HOLD=$!
i=0
until grep -q holding "$T/hold.log" 2> /dev/null; do
    i=$((i + 1)); [ $i -lt 100 ] || { cat "$T/hold.log"; fail "the holders did not start"; }
    sleep 0.1
done
sleep 0.3
python3 -c 'import sys; sys.stdout.write("[" + ",".join(["{\"text\": \"word\"}"] * 9000) + "]")' > "$T/small.json"
code=$(curl -s -m 10 -o "$T/busy" -w '%{http_code}' -D "$T/busy.h" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -H 'Content-Length: 16000000' --data-binary @"$T/small.json" \
    "$BASE/api/articles") || true
[ "$code" = 503 ] || { cat "$T/busy"; fail "a fourth 16 MB upload while three are held: status $code"; }
grep -qi '^Retry-After:' "$T/busy.h" || fail "503 without Retry-After"
wait $HOLD

# Four bodies of 16 MiB at once, each a JSON array whose records hold
# 70,000 values: refused record by record, the server stays small.
python3 - "$T/ints.json" <<'PY'
import sys
item = '{"text":"hello %d","x":[' + ','.join(['1'] * 70000) + ']}'
parts, n, i = [], 0, 0
while n < 16 * 1024 * 1024 - 200000:
    s = item % i; parts.append(s); n += len(s) + 1; i += 1
open(sys.argv[1], 'w').write('[' + ','.join(parts) + ']')
PY
for k in 1 2 3 4; do
    curl -s -m 300 -o "$T/r$k" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
        -H 'Content-Type: application/json' --data-binary @"$T/ints.json" "$BASE/api/articles" > "$T/c$k" &
done
for k in 1 2 3 4; do
    j=0
    until [ -s "$T/c$k" ]; do
        j=$((j + 1)); [ $j -lt 3000 ] || fail "upload $k not answered"
        sleep 0.1
    done
done
ok=0
for k in 1 2 3 4; do
    case $(cat "$T/c$k") in
    200) grep -q 'JSON values in one record' "$T/r$k" || fail "upload $k: $(head -c 300 "$T/r$k")"; ok=$((ok + 1));;
    503) ;;
    *) fail "upload $k: status $(cat "$T/c$k"): $(head -c 300 "$T/r$k")";;
    esac
done
[ $ok -ge 1 ] || fail "no upload was read"
peak=$(awk '/^VmHWM:/ { print $2 }' /proc/$PID/status)
echo "peak resident memory: $peak kB"
# Under AddressSanitizer resident memory says nothing about the program.
case ${BUILD:-build} in
*san*) ;;
*) [ "$peak" -lt 350000 ] || fail "peak resident memory $peak kB with four 16 MiB uploads";;
esac
kill -0 $PID 2> /dev/null || fail "serve died"
echo ok
