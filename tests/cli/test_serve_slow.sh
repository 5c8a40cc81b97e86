# Slow and greedy clients do not take herald serve down: 600 connections
# from one address that send half a request header and then nothing are
# held to the per-address limit, and a client from another address is
# answered at once meanwhile; once they give up, the server answers them
# again too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"
command -v curl > /dev/null || skip "curl not installed"
command -v python3 > /dev/null || skip "python3 not installed"
python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.2", 0))' 2> /dev/null ||
    skip "no 127.0.0.2 on the loopback interface"

"$HERALD" ingest "$SEEDS" 2> /dev/null || fail "ingest seeds"
start_server

# The slow clients: connect from 127.0.0.2, send part of a request, wait.
python3 - "$PORT" > "$T/slow.log" 2>&1 <<'PY' &
import socket, sys, time
port = int(sys.argv[1])
held = []
for _ in range(600):
    s = socket.socket()
    s.bind(("127.0.0.2", 0))
    try:
        s.connect(("127.0.0.1", port))
        s.send(b"GET /api/stories HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        held.append(s)
    except OSError:
        s.close()
print("connected", len(held), flush=True)
time.sleep(8)
PY
SLOW=$!
i=0
until grep -q connected "$T/slow.log" 2> /dev/null; do
    i=$((i + 1)); [ $i -lt 100 ] || { cat "$T/slow.log"; fail "slow clients did not start"; }
    sleep 0.1
done
# Another client is answered at once.
for _ in 1 2 3; do
    code=$(curl -s -m 3 -o /dev/null -w '%{http_code}' "$BASE/api/stories") || code=000
    [ "$code" = 200 ] || fail "with 600 slow clients: status $code"
done
kill $SLOW 2> /dev/null; wait $SLOW 2> /dev/null
# And the slow address is served again once its connections are gone.
sleep 0.5
code=$(curl -s -m 3 --interface 127.0.0.2 -o /dev/null -w '%{http_code}' "$BASE/api/status") || code=000
[ "$code" = 200 ] || fail "after the slow clients left: status $code"
kill -0 $PID 2> /dev/null || fail "serve died"
echo ok
