# Slow clients from several addresses do not take herald serve offline.
# 600 connections from six loopback addresses (100 each, within the
# per-address limit) send half a request and then drip one byte every
# second; one client posts a body at a byte a second.  Meanwhile a client
# from a seventh address must be answered at once, again and again, and
# the server must close the drippers by their deadlines (headers within
# 10 s, a body at 16 KiB/s after 5 s) instead of waiting for them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"
command -v curl > /dev/null || skip "curl not installed"
command -v python3 > /dev/null || skip "python3 not installed"
python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.8", 0))' 2> /dev/null ||
    skip "no 127.0.0.0/8 addresses on the loopback interface"
ulimit -n 4096 2> /dev/null || true
[ "$(ulimit -n)" -ge 1400 ] || skip "needs 1400 open files (ulimit -n is $(ulimit -n))"

"$HERALD" ingest "$SEEDS" 2> /dev/null || fail "ingest seeds"
printf 'drip-test-token-0123456789\n' > "$T/token"
start_server --token-file "$T/token"

python3 - "$PORT" > "$T/drip.log" 2>&1 <<'PY' &
import socket, sys, time
port = int(sys.argv[1])
conns = []
for a in range(2, 8):
    for _ in range(100):
        s = socket.socket()
        s.bind(("127.0.0.%d" % a, 0))
        try:
            s.connect(("127.0.0.1", port))
            s.send(b"GET /api/stories HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            s.setblocking(False)
            conns.append(s)
        except OSError:
            s.close()
# One slow body: the headers at once, then a byte a second.
b = socket.socket()
b.bind(("127.0.0.2", 0))
b.connect(("127.0.0.1", port))
b.send(b"POST /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer drip-test-token-0123456789\r\n"
       b"Content-Type: text/plain\r\nContent-Length: 100000\r\n\r\nx")
b.setblocking(False)
print("connected", len(conns), flush=True)
start = time.time()
open_ = set(range(len(conns)))
body_closed = None
while time.time() - start < 15 and (open_ or body_closed is None):
    for i in list(open_):
        try:
            conns[i].send(b"x")
        except OSError:
            open_.discard(i)
            continue
        try:
            if conns[i].recv(4096) == b"":
                open_.discard(i)
        except BlockingIOError:
            pass
        except OSError:
            open_.discard(i)
    if body_closed is None:
        try:
            b.send(b"x")
            if b.recv(4096) == b"":
                body_closed = time.time() - start
        except BlockingIOError:
            pass
        except OSError:
            body_closed = time.time() - start
    time.sleep(1)
print("still open", len(open_), "after", round(time.time() - start, 1), "s", flush=True)
print("body closed", body_closed, flush=True)
PY
DRIP=$!
i=0
until grep -q connected "$T/drip.log" 2> /dev/null; do
    i=$((i + 1)); [ $i -lt 150 ] || { cat "$T/drip.log"; fail "slow clients did not start"; }
    sleep 0.1
done
# A client from another address is answered at once, throughout.
for k in 1 2 3 4 5 6; do
    code=$(curl -s -m 3 --interface 127.0.0.8 -o /dev/null -w '%{http_code}' "$BASE/api/stories") || code=000
    [ "$code" = 200 ] || { cat "$T/drip.log"; fail "with 600 dripping clients, try $k: status $code"; }
    sleep 2
done
wait $DRIP
cat "$T/drip.log"
grep -q "^still open 0 " "$T/drip.log" || fail "the server kept dripping clients open"
grep -q "^body closed None" "$T/drip.log" && fail "the server kept a body dripping at 1 byte/s"
kill -0 $PID 2> /dev/null || fail "serve died"
grep -q "closed slow connections" "$T/serve.log" || { cat "$T/serve.log"; fail "the server did not report the slow clients"; }
echo ok
