# Bad input: each problem is one clear line naming the file (and line), the
# rest of the batch is stored, and the exit status says some inputs failed.
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/in"
printf 'Ein guter Artikel\n\nDie Regierung in Berlin hat am Montag neue Regeln beschlossen.\n' > "$T/in/good.txt"
: > "$T/in/empty.txt"
# NULs first: random bytes alone can pass for a legacy encoding now and then.
printf '\000\001\002binary\000\000\000' > "$T/in/junk.bin"
head -c 3000 /dev/urandom >> "$T/in/junk.bin"
{
    echo '{"id": "a1", "title": "First", "text": "The council met on Tuesday to discuss the budget for next year."}'
    echo '{"id": "a2", "text": "broken'
    echo '{"id": "a3", "title": "No text here"}'
    echo '[1, 2, 3]'
    echo '{"id": 4, "text": "La commissione si è riunita martedì per discutere il bilancio del prossimo anno.", "lang": "it", "published": "2022-01-08T10:00:00Z"}'
} > "$T/in/feed.jsonl"
# A Russian text in cp1251.
printf 'Правительство России в понедельник объявило о новых мерах поддержки экономики и граждан страны.\n' \
    | iconv -f UTF-8 -t CP1251 > "$T/in/russian-cp1251.txt"
head -c 5000 /dev/zero | tr '\0' 'a' > "$T/in/big.txt"

expect_status 1 "$HERALD" ingest "$T/in" --max-bytes 4096
cat "$T/err"
contains "$T/err" 'empty\.txt: .*empty'
contains "$T/err" 'junk\.bin: .*binary'
contains "$T/err" 'feed\.jsonl:2: '
contains "$T/err" 'feed\.jsonl:3: .*text'
contains "$T/err" 'feed\.jsonl:4: '
contains "$T/err" 'big\.txt: .*limit'
lacks "$T/err" 'good\.txt'
lacks "$T/err" 'russian'
expect_status 0 "$HERALD" export --json
[ "$(wc -l < "$T/out")" -eq 4 ] || { cat "$T/out"; fail "expected 4 stored articles"; }
contains "$T/out" '"ext_id":"a1"'
contains "$T/out" '"ext_id":"4".*"lang":"it".*"published":"2022-01-08T10:00:00Z"'
contains "$T/out" '"encoding":"windows-1251"'
contains "$T/out" 'Правительство России'
contains "$T/out" '"source":"[^"]*russian-cp1251.txt".*"lang":"ru"'
# A missing path is reported too, and named.
expect_status 1 "$HERALD" ingest "$T/does-not-exist"
contains "$T/err" 'does-not-exist: cannot'
exit 0
