"""serve.py ROOT PORTFILE LOG -- a small HTTP server on 127.0.0.1 for the
fetch tests (tests/cli/test_fetch.sh).

Files under ROOT are served as they are (robots.txt too; 404 when absent),
with a Content-Type from the extension.  Special paths play the servers a
crawler meets:

  /loop/a, /loop/b     redirect to each other
  /hop/N               redirects N times, then serves page.html
  /etag/FILE           FILE with an ETag and Last-Modified; 304 when asked
                       with If-None-Match
  /flaky/FILE          503 with Retry-After: 1 the first time, then FILE
  /always503           503 with Retry-After: 1, always
  /wait-long           503 with Retry-After: 3600
  /slow                an HTML page at one byte a second
  /big                 100 MB of HTML without a Content-Length
  /bigcl               a Content-Length of 100 MB
  /bomb                64 MB of zeros as 64 KB of gzip (Content-Encoding)

Every request is logged to LOG as "SECONDS PATH UA|IF-NONE-MATCH".  The
port chosen is written to PORTFILE once the server listens.
"""
import gzip
import http.server
import io
import os
import sys
import threading
import time
import zlib

ROOT, PORTFILE, LOG = sys.argv[1], sys.argv[2], sys.argv[3]
TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/rss+xml",
         ".atom": "application/atom+xml", ".txt": "text/plain", ".png": "image/png"}
lock = threading.Lock()
flaky_seen = set()
bomb = None


def gzip_zeros(n):
    out = io.BytesIO()
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1 << 20)
    for _ in range(n >> 20):
        out.write(z.compress(chunk))
    out.write(z.flush())
    return out.getvalue()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client hung up on purpose (size caps, timeouts)

    def log_request_line(self):
        with lock, open(LOG, "a") as f:
            f.write("%.3f %s %s|%s\n" % (time.time(), self.path,
                    self.headers.get("User-Agent", ""), self.headers.get("If-None-Match", "")))

    def send(self, status, body=b"", ctype="text/html", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def file(self, name, headers=()):
        path = os.path.join(ROOT, name.lstrip("/"))
        if ".." in name or not os.path.isfile(path):
            return self.send(404, b"not found", "text/plain")
        ext = os.path.splitext(path)[1]
        with open(path, "rb") as f:
            self.send(200, f.read(), TYPES.get(ext, "application/octet-stream"), headers)

    def stream(self, chunks, delay):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            for c in chunks:
                self.wfile.write(c)
                self.wfile.flush()
                if delay:
                    time.sleep(delay)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def do_GET(self):
        global bomb
        self.log_request_line()
        p = self.path
        if p == "/loop/a":
            return self.send(302, headers=[("Location", "/loop/b")])
        if p == "/loop/b":
            return self.send(302, headers=[("Location", "/loop/a")])
        if p.startswith("/hop/"):
            n = int(p[5:])
            if n > 0:
                return self.send(301, headers=[("Location", "/hop/%d" % (n - 1))])
            return self.file("page.html")
        if p.startswith("/etag/"):
            if self.headers.get("If-None-Match") == '"v1"':
                return self.send(304, headers=[("ETag", '"v1"')])
            return self.file(p[6:], [("ETag", '"v1"'),
                                     ("Last-Modified", "Sat, 08 Jan 2022 10:00:00 GMT")])
        if p.startswith("/flaky/"):
            with lock:
                first = p not in flaky_seen
                flaky_seen.add(p)
            if first:
                return self.send(503, b"busy", "text/plain", [("Retry-After", "1")])
            return self.file(p[7:])
        if p == "/always503":
            return self.send(503, b"busy", "text/plain", [("Retry-After", "1")])
        if p == "/wait-long":
            return self.send(503, b"busy", "text/plain", [("Retry-After", "3600")])
        if p == "/slow":
            return self.stream((b"<html><body><p>" + bytes([c]) for c in b"x" * 60), 1.0)
        if p == "/big":
            chunk = b"<p>" + b"big " * 16000 + b"</p>\n"
            return self.stream((chunk for _ in range((100 << 20) // len(chunk))), 0)
        if p == "/bigcl":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(100 << 20))
            self.end_headers()
            self.close_connection = True
            return
        if p == "/bomb":
            with lock:
                if bomb is None:
                    bomb = gzip_zeros(64 << 20)
            return self.send(200, bomb, "text/html", [("Content-Encoding", "gzip")])
        return self.file(p.split("?")[0])


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(PORTFILE + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(PORTFILE + ".tmp", PORTFILE)
server.serve_forever()
