# herald fetch and watch against a server on loopback (tests/cli/serve.py):
# robots.txt, rate limits, conditional GET, feeds and their item links,
# redirects, retries, and the servers that misbehave.
. "$(dirname "$0")/lib.sh"
command -v python3 > /dev/null || skip "python3 not installed"
HERE=$(cd "$(dirname "$0")" && pwd)
W=$T/www
mkdir -p "$W/two" "$W/private"

cat > "$W/robots.txt" <<'EOF'
# Everyone else stays out; herald may read all but /private/.
User-agent: *
Disallow: /

User-agent: Herald
Disallow: /private/
Allow: /private/open.html
EOF
page() { # FILE TITLE TEXT
    printf '<html lang="en"><head><title>%s</title></head><body><p>%s</p></body></html>\n' "$2" "$3" > "$W/$1"
}
page page.html "Troops arrive in Almaty" "Troops from the CSTO arrived in Almaty on Friday after days of unrest across Kazakhstan, the government said."
page a1.html "Peacekeepers sent" "The Collective Security Treaty Organization sent peacekeepers to Kazakhstan after President Tokayev asked for help."
page private/open.html "Open" "A page inside a closed folder that robots.txt opens again for herald explicitly."
printf '<html><body><p>Russian paratroopers landed in Almaty on Thursday, officials in Moscow said, as the unrest went on.</p></body></html>\n' > "$W/a2.html"
printf '\211PNG\r\n' > "$W/image.png"
full=$(python3 -c "print('Full text of the article, carried by the feed itself. ' * 30)")
cat > "$W/feed.xml" <<EOF
<?xml version="1.0"?>
<rss version="2.0"><channel><title>Loopback News</title><link>/</link><language>en</language>
<item><title>Full item</title><link>/not-on-the-server.html</link><guid>full-1</guid><description>$full</description></item>
<item><title>Teaser item</title><link>/a1.html</link><pubDate>Sat, 08 Jan 2022 10:00:00 GMT</pubDate><description>Short teaser.</description></item>
<item><title>Item two</title><link>../a2.html</link><guid>id-2</guid><pubDate>Sun, 09 Jan 2022 10:00:00 GMT</pubDate></item>
</channel></rss>
EOF
# A second host (another port) whose robots.txt asks for a Crawl-delay.
printf 'User-agent: *\nCrawl-delay: 1\n' > "$W/two/robots.txt"
cp "$W/page.html" "$W/a1.html" "$W/two/"

SERVERS=""
serve() { # ROOT NAME: start a server, wait for its port
    python3 "$HERE/serve.py" "$1" "$T/$2.port" "$T/$2.log" 2> "$T/$2.err" &
    SERVERS="$SERVERS $!"
    i=0
    while [ ! -f "$T/$2.port" ]; do
        i=$((i + 1)); [ $i -lt 100 ] || fail "server $2 did not start: $(cat "$T/$2.err")"; sleep 0.1
    done
    touch "$T/$2.log"
}
trap 'for p in $SERVERS; do kill "$p" 2> /dev/null; done; rm -rf "$T"' EXIT
serve "$W" one
serve "$W/two" two
U=http://127.0.0.1:$(cat "$T/one.port")
U2=http://127.0.0.1:$(cat "$T/two.port")
LOG=$T/one.log
F="--allow-private --delay 0.02 --retry-delay 0.1 --timeout 20"
requests() { grep -c " $1 " "$LOG"; }

# Loopback is refused unless allowed, before any byte is sent.
expect_status 1 "$HERALD" fetch "$U/page.html"
contains "$T/err" 'page\.html: not fetched: .* resolves to 127\.0\.0\.1, a private, loopback, link-local or multicast address'
[ ! -s "$LOG" ] || fail "a request reached the server: $(cat "$LOG")"
expect_status 1 "$HERALD" fetch ftp://example.org/file "$U/x" --retries 0
contains "$T/err" 'ftp://example\.org/file: not an http or https URL'

# A page: robots.txt first, an honest User-Agent, the article stored.
expect_status 0 "$HERALD" fetch "$U/page.html" $F
sed -n 1p "$LOG" | grep -q ' /robots.txt herald/[0-9.]* (+[a-z]*://[^ ]*)|$' || fail "robots.txt not first: $(cat "$LOG")"
sed -n 2p "$LOG" | grep -q ' /page.html ' || fail "page not second"
contains "$T/err" '2 requests: 1 pages, .*; 1 articles: 1 stored'
expect_status 0 "$HERALD" export --json --no-text
contains "$T/out" '"source":"http://127\.0\.0\.1:[0-9]+/page\.html","url":"http://127\.0\.0\.1:[0-9]+/page\.html".*"title":"Troops arrive in Almaty","lang":"en"'
[ "$(sqlite3 "$HERALD_DB" 'PRAGMA user_version' 2> /dev/null || echo 8)" -eq 8 ] || fail "schema not 8"

# robots.txt: the longest rule wins; disallowed pages are never asked for.
expect_status 1 "$HERALD" fetch "$U/private/x.html" "$U/private/open.html" $F
contains "$T/err" 'private/x\.html: robots\.txt of http://127\.0\.0\.1:[0-9]+ does not allow /private/x\.html'
contains "$T/err" '1 refused by robots\.txt'
[ "$(requests /private/x.html)" -eq 0 ] || fail "a disallowed page was requested"
[ "$(requests /private/open.html)" -eq 1 ] || fail "an allowed page was not requested"

# A feed: the full item is stored from the feed, the others by their links.
expect_status 0 "$HERALD" fetch "$U/etag/feed.xml" $F
contains "$T/err" ': 2 pages, 1 feeds, .*; 3 articles: 3 stored'
[ "$(requests /not-on-the-server.html)" -eq 0 ] || fail "a full item's link was fetched"
[ "$(requests /a1.html)" -eq 1 ] && [ "$(requests /a2.html)" -eq 1 ] || fail "item links not fetched"
expect_status 0 "$HERALD" export --json --no-text
contains "$T/out" '"ext_id":"full-1","source":"http://[^"]*/etag/feed\.xml".*"site":"Loopback News","title":"Full item"'
contains "$T/out" '"url":"http://[^"]*/a1\.html","site":"Loopback News","title":"Peacekeepers sent".*"published":"2022-01-08T10:00:00Z"'
contains "$T/out" '"ext_id":"id-2","source":"http://[^"]*/a2\.html".*"title":"Item two".*"published":"2022-01-09T10:00:00Z"'
# Again: the feed answers 304 to its ETag; nothing else is asked for.
expect_status 0 "$HERALD" fetch "$U/etag/feed.xml" $F
contains "$T/err" '2 requests: 0 pages, 0 feeds, 1 not modified'
tail -n 1 "$LOG" | grep -q '/etag/feed.xml .*|"v1"$' || fail "no If-None-Match: $(tail -n 1 "$LOG")"
# Without an ETag the feed is read again, but its links are known.
expect_status 0 "$HERALD" fetch "$U/feed.xml" $F
contains "$T/err" ': 0 pages, 1 feeds, 0 not modified, 2 links known'
[ "$(requests /a1.html)" -eq 1 ] || fail "a known link was fetched again"

# watch --once: the feeds file, comments and blank lines skipped.
printf '# feeds\n\n  %s/feed.xml  \n' "$U" > "$T/feeds.txt"
expect_status 0 "$HERALD" watch "$T/feeds.txt" --once $F
contains "$T/err" ': 0 pages, 1 feeds, .*2 links known'
expect_status 2 "$HERALD" watch "$T/feeds.txt" --interval 0

# Redirects: a loop fails at once; more than 5 hops fail; 2 hops are fine.
expect_status 1 "$HERALD" fetch "$U/loop/a" "$U/hop/7" "$U/hop/2" $F
contains "$T/err" 'loop/a: redirect loop: http://[^ ]*/loop/b leads back to http://[^ ]*/loop/a'
contains "$T/err" 'hop/7: more than 5 redirects'
contains "$T/err" '1 failed|2 failed'
[ "$(requests /loop/a)" -eq 1 ] || fail "the loop went round"
[ "$(requests /hop/0)" -eq 1 ] || fail "two redirects not followed"

# Retries: 503 + Retry-After: 1 is waited for; a long Retry-After, or 503
# on every try, is given up.
expect_status 1 "$HERALD" fetch "$U/flaky/a2.html" "$U/always503" "$U/wait-long" $F --retries 1
contains "$T/err" '1 retries|2 retries'
contains "$T/err" 'always503: HTTP 503 on every try'
contains "$T/err" 'wait-long: HTTP 503, and the server asks to wait 3600 s'
python3 - "$LOG" <<'EOF' || fail "Retry-After not honoured"
import sys
t = [float(l.split()[0]) for l in open(sys.argv[1]) if " /flaky/a2.html " in l]
assert len(t) == 2 and t[1] - t[0] >= 0.95, t
EOF

# Size caps: a 100 MB page (with and without Content-Length) and a gzip
# bomb (64 MB of zeros as Content-Encoding) stop at --max-bytes.
expect_status 1 "$HERALD" fetch "$U/big" "$U/bigcl" "$U/bomb" $F --max-bytes 1000000
for p in big bigcl bomb; do
    contains "$T/err" "/$p: larger than the 1000000-byte limit \\(after decompression\\)"
done
# A server sending one byte a second is cut off by the low-speed limit.
start=$(date +%s)
expect_status 1 "$HERALD" fetch "$U/slow" $F --low-speed 100 --low-speed-time 1 --retries 0
[ $(($(date +%s) - start)) -lt 15 ] || fail "the slow server was not cut off"
contains "$T/err" '/slow: Operation too slow'
# Not a page, not a feed; a 404.
expect_status 1 "$HERALD" fetch "$U/image.png" "$U/missing.html" $F
contains "$T/err" 'image\.png: neither an HTML page nor a feed \(Content-Type image/png\)'
contains "$T/err" 'missing\.html: HTTP 404'

# Rate limits: --delay between requests to one host, and the robots.txt
# Crawl-delay of another when it is longer.
: > "$T/two.log"
expect_status 0 "$HERALD" fetch "$U/page.html" "$U/a1.html" "$U/a2.html" "$U2/page.html" "$U2/a1.html" \
    --allow-private --delay 0.4
python3 - "$LOG" "$T/two.log" <<'EOF' || fail "rate limits not kept"
import sys
def times(path, paths):
    return [float(l.split()[0]) for l in open(path) if l.split()[1] in paths]
one = times(sys.argv[1], ("/page.html", "/a1.html", "/a2.html"))[-3:]
two = times(sys.argv[2], ("/robots.txt", "/page.html", "/a1.html"))
gaps1 = [b - a for a, b in zip(one, one[1:])]
gaps2 = [b - a for a, b in zip(two, two[1:])]
assert len(one) == 3 and min(gaps1) >= 0.38, gaps1
assert len(two) == 3 and min(gaps2[1:]) >= 0.95, gaps2
EOF
exit 0
