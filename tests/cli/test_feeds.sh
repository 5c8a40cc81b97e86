# Feeds and web archives through `herald ingest`: what each format gives,
# and what broken or hostile input costs (the file or the record, named;
# never the rest of the batch).
. "$(dirname "$0")/lib.sh"
command -v python3 > /dev/null || skip "python3 not installed"
mkdir -p "$T/in" "$T/bad"

cat > "$T/in/news.rss" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Kasachstan Nachrichten</title><link>https://news.example.de/</link><language>de</language>
<item><title>Truppen in Almaty</title><link>politik/almaty.html</link><guid isPermaLink="false">kz-1</guid>
<pubDate>Sat, 08 Jan 2022 11:00:00 +0100</pubDate>
<content:encoded><![CDATA[<p>Die Truppen der OVKS sind am Freitag in Almaty eingetroffen, teilte die Regierung in Nur-Sultan mit.</p>]]></content:encoded></item>
</channel></rss>
EOF
cat > "$T/in/notizie.atom" <<'EOF'
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="it" xml:base="https://esempio.it/notizie/">
<title>La Stampa</title>
<entry><title>Le truppe russe in Kazakistan</title><link href="kazakistan.html"/><id>urn:x:1</id>
<updated>2022-01-08T10:00:00Z</updated>
<content type="html">&lt;p&gt;Le truppe della CSTO sono arrivate ad Almaty venerdì, ha detto il governo kazako.&lt;/p&gt;</content></entry>
</feed>
EOF
# RSS 1.0 (RDF), sniffed: no telling extension.
cat > "$T/in/rdf-feed" <<'EOF'
<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://wire.example/"><title>Wire</title><link>https://wire.example/</link></channel>
<item rdf:about="https://wire.example/kz"><title>Kazakhstan</title><dc:date>2022-01-08T10:00:00Z</dc:date>
<description>Peacekeepers from the Collective Security Treaty Organization arrived in Kazakhstan on Friday.</description></item>
</rdf:RDF>
EOF
# Web archives: every kind of record, one gzip member per record, and the
# same records plain; an archive larger than --max-bytes is streamed.
python3 - "$T/in" <<'EOF'
import gzip, sys
d = sys.argv[1]
def rec(t, uri, ct, block):
    h = ("WARC/1.0\r\nWARC-Type: %s\r\nWARC-Target-URI: %s\r\nWARC-Date: 2022-01-08T10:00:00Z\r\n"
         "WARC-Record-ID: <urn:uuid:%s-%s>\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
         % (t, uri, t, uri, ct, len(block))).encode()
    return h + block + b"\r\n\r\n"
def page(title, text):
    return ("<html><head><title>%s</title></head><body><p>%s</p></body></html>" % (title, text)).encode("cp1252")
def resp(uri, body, ct="text/html; charset=windows-1252", status="200 OK"):
    return rec("response", uri, "application/http; msgtype=response",
               ("HTTP/1.1 %s\r\nContent-Type: %s\r\n\r\n" % (status, ct)).encode() + body)
recs = [rec("warcinfo", "", "application/warc-fields", b"software: test\r\n"),
        rec("request", "https://a.example/kz", "application/http; msgtype=request", b"GET /kz HTTP/1.1\r\n\r\n"),
        resp("https://a.example/kz", page("Präsident Tokajew", "Präsident Tokajew bat das Bündnis am Mittwoch um Hilfe gegen die Unruhen im Land.")),
        resp("https://a.example/gone", b"gone", status="404 Not Found"),
        resp("https://a.example/logo.png", b"\x89PNG", ct="image/png"),
        resp("https://b.example/ru", page("Almaty", "Russian paratroopers landed in Almaty on Thursday, officials in Moscow said.")),
        rec("metadata", "https://a.example/kz", "application/warc-fields", b"via: x\r\n")]
open(d + "/cc-news.warc.gz", "wb").write(b"".join(gzip.compress(r) for r in recs))
filler = [resp("https://c.example/%d" % i, page("Filler %d" % i, "Filler text number %d about the weather in Astana." % i + " pad" * 400)) for i in range(1000)]
open(d + "/../big.warc", "wb").write(b"".join(filler))
EOF

expect_status 0 "$HERALD" ingest "$T/in"
contains "$T/err" '4 files, 5 articles: 5 stored, 0 already stored, 0 failed; 5 archive records skipped'
expect_status 0 "$HERALD" export --json --no-text
[ "$(wc -l < "$T/out")" -eq 5 ] || { cat "$T/out"; fail "expected 5 articles"; }
contains "$T/out" '"ext_id":"kz-1","source":"[^"]*news.rss","line":4,"url":"https://news.example.de/politik/almaty.html","site":"Kasachstan Nachrichten","title":"Truppen in Almaty","lang":"de".*"published":"2022-01-08T10:00:00Z"'
contains "$T/out" '"url":"https://esempio.it/notizie/kazakistan.html","site":"La Stampa","title":"Le truppe russe in Kazakistan","lang":"it"'
contains "$T/out" '"source":"[^"]*rdf-feed".*"url":"https://wire.example/kz","site":"Wire"'
contains "$T/out" '"source":"[^"]*cc-news.warc.gz","line":3,"url":"https://a.example/kz","site":null,"title":"Präsident Tokajew","lang":"de".*"published":"2022-01-08T10:00:00Z"'
contains "$T/out" '"url":"https://b.example/ru".*"lang":"en"'
# The same archive from stdin (sniffed by its gzip magic), nothing new.
expect_status 0 "$HERALD" ingest - < "$T/in/cc-news.warc.gz"
contains "$T/err" '2 articles: 0 stored, 2 already stored'
# Streamed: a 2 MB archive with a 100 kB file limit.
expect_status 0 "$HERALD" ingest "$T/big.warc" --max-bytes 100000
contains "$T/err" '1 files, 1000 articles: 1000 stored'

# Bad input: each reported with the file's name, the rest stored.
{ sed '/<\/channel>/,$d' "$T/in/news.rss"; printf '<item><title>Cut short</title><description>Die Verbindung bri'; } \
    > "$T/bad/truncated.rss"
printf '<?xml version="1.0"?>\n<html><body><p>Not a feed at all.</p></body></html>\n' > "$T/bad/page.xml"
cat > "$T/bad/laughs.rss" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<rss><channel><title>&i;</title><item><title>&i;</title><description>Laughing &i; at you.</description></item></channel></rss>
EOF
python3 -c "print('<rss><channel><item><title>Deep</title><description>' + '<b>' * 10000 + '</description></item></channel></rss>')" > "$T/bad/deep.rss"
# Bytes that are not what the declaration says: libxml2 must not print.
printf '<?xml version="1.0" encoding="ISO-2022-JP"?><rss><channel><item><title>\033$B\377\377</title></item></channel></rss>' \
    > "$T/bad/mislabelled.rss"
python3 - "$T/bad" <<'EOF'
import gzip, sys, zlib
d = sys.argv[1]
def rec(uri, html):
    block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + html
    return (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: %s\r\nContent-Type: application/http\r\n"
            b"Content-Length: %d\r\n\r\n" % (uri.encode(), len(block))) + block + b"\r\n\r\n"
good = rec("https://ok.example/1", b"<html><head><title>Kept</title></head><body><p>This record was read before the archive broke off.</p></body></html>")
last = gzip.compress(rec("https://ok.example/2", b"<html><body><p>Lost to the truncation.</p></body></html>"))
open(d + "/truncated.warc.gz", "wb").write(gzip.compress(good) + last[:len(last) // 2])
# A gzip member that inflates to 256 MB of zeros, then a good record.
head = b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: https://bomb.example/\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % (256 << 20)
z = zlib.compressobj(9, zlib.DEFLATED, 31)
bomb = z.compress(head) + b"".join(z.compress(bytes(1 << 20)) for _ in range(256)) + z.flush()
after = rec("https://ok.example/after", b"<html><head><title>After the bomb</title></head><body><p>This record follows a decompression bomb.</p></body></html>")
open(d + "/bomb.warc.gz", "wb").write(bomb + gzip.compress(after))
# A page over the 16 MiB article limit, then a good record.
huge = rec("https://huge.example/", b"<html><body><p>" + b"huge " * (4 << 20) + b"</p></body></html>")
open(d + "/huge.warc", "wb").write(huge + rec("https://ok.example/after-huge", b"<html><body><p>This record follows a page over the article limit.</p></body></html>"))
EOF
start=$(date +%s)
expect_status 1 "$HERALD" ingest "$T/bad"
end=$(date +%s)
[ $((end - start)) -lt 30 ] || fail "bad input took $((end - start)) s"
cat "$T/err"
contains "$T/err" 'truncated\.rss:7: malformed XML: the document ends inside an element \(truncated\) \(1 item read\)'
contains "$T/err" ' 1 already stored' # its first item, read before the cut
contains "$T/err" 'page\.xml: not a feed: the root element is <html>'
contains "$T/err" 'deep\.rss: XML nested deeper than 128 elements'
contains "$T/err" 'mislabelled\.rss: malformed XML: input conversion failed'
lacks "$T/err" '^[^h]|^h[^e]' # every line is herald's own
contains "$T/err" 'truncated\.warc\.gz:2: the gzip data breaks off'
contains "$T/err" 'bomb\.warc\.gz:1: a gzip member expands more than 200-fold \(a decompression bomb\)'
contains "$T/err" 'huge\.warc:1: archived page https://huge.example/ is larger than the 16777216-byte article limit'
expect_status 0 "$HERALD" export --json
lacks "$T/out" 'aaaaaaaaaaaaaaaaaaaa'
contains "$T/out" '"url":"https://ok.example/1".*"title":"Kept"'
contains "$T/out" '"url":"https://ok.example/after".*"title":"After the bomb"'
contains "$T/out" '"url":"https://ok.example/after-huge"'
lacks "$T/out" 'Lost to the truncation'
exit 0
