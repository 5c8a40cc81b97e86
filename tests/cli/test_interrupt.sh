# Killing herald in the middle of an ingest leaves the database consistent;
# running the same command again completes the work without duplicates.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || skip "sqlite3 shell not installed"
mkdir -p "$T/in"
i=0
while [ $i -lt 12 ]; do
    j=0
    while [ $j -lt 400 ]; do
        echo "{\"id\":\"f$i-$j\",\"text\":\"Bericht Nummer $j aus Datei $i: Die Stadt hat am Montag den Haushalt für das Jahr $((2000 + j)) beschlossen und neue Schulen geplant.\"}"
        j=$((j + 1))
    done > "$T/in/part$i.jsonl"
    i=$((i + 1))
done
"$HERALD" ingest "$T/in" > /dev/null 2>&1 &
pid=$!
sleep 0.4
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
[ "$(sqlite3 "$HERALD_DB" 'PRAGMA integrity_check')" = ok ] || fail "database damaged after kill"
expect_status 0 "$HERALD" ingest "$T/in"
n=$(sqlite3 "$HERALD_DB" 'SELECT count(*) FROM articles')
d=$(sqlite3 "$HERALD_DB" 'SELECT count(DISTINCT ext_id) FROM articles')
[ "$n" -eq 4800 ] || fail "expected 4800 articles after the rerun, got $n"
[ "$d" -eq 4800 ] || fail "duplicates after the rerun: $d distinct of $n"
exit 0
