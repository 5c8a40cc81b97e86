# A read-only server answers while another process writes: comparisons
# (and every other GET) read a snapshot and never wait for the write lock.
# A writer holds the database's write lock for 8 s; four comparisons at
# once and a story list must all be answered meanwhile.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"
command -v curl > /dev/null || skip "curl not installed"
command -v python3 > /dev/null || skip "python3 not installed"

"$HERALD" ingest "$SEEDS" 2> /dev/null || fail "ingest seeds"
"$HERALD" export --json > "$T/all.jsonl" || fail "export"
A=$(sed -n 1p "$T/all.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
B=$(sed -n 2p "$T/all.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
start_server
want 200 "/api/compare?a=$A&b=$B"

# The writer: takes the write lock (BEGIN IMMEDIATE), says so, holds it.
python3 - "$HERALD_DB" > "$T/writer.log" 2>&1 <<'PY' &
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
con.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(8)
con.execute("ROLLBACK")
PY
WRITER=$!
i=0
until grep -q locked "$T/writer.log" 2> /dev/null; do
    i=$((i + 1)); [ $i -lt 100 ] || { cat "$T/writer.log"; fail "the writer did not start"; }
    sleep 0.1
done
for k in 1 2 3 4; do
    curl -s -m 3 -o "$T/cmp$k" -w '%{http_code}' "$BASE/api/compare?a=$A&b=$B" > "$T/code$k" &
done
code=$(curl -s -m 3 -o /dev/null -w '%{http_code}' "$BASE/api/stories") || code=000
[ "$code" = 200 ] || fail "story list while a writer holds the lock: status $code"
wait_for() { # the curl jobs, not the writer
    for k in 1 2 3 4; do
        j=0
        until [ -s "$T/code$k" ]; do
            j=$((j + 1)); [ $j -lt 40 ] || fail "comparison $k not answered within 4 s"
            sleep 0.1
        done
    done
}
wait_for
for k in 1 2 3 4; do
    [ "$(cat "$T/code$k")" = 200 ] || fail "comparison $k while a writer holds the lock: status $(cat "$T/code$k")"
    grep -q '"dimensions"' "$T/cmp$k" || fail "comparison $k: $(cat "$T/cmp$k")"
done
kill -0 $WRITER 2> /dev/null || fail "the writer let go of the lock too early (test not meaningful)"
wait $WRITER
echo ok
