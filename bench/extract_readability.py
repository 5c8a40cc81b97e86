#!/usr/bin/python3
# extract_readability.py -- peer for bench/extract.sh: readability-lxml
# (Debian python3-readability) on each file named on stdin, one JSON object
# per line: source, title, text.  Gzipped pages are read as they are.
# Run with /usr/bin/python3 (Debian's packages live there).
import gzip
import json
import sys

import lxml.html
from readability import Document

BLOCKS = {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
          "blockquote", "pre", "section", "article", "table", "ul", "ol", "dd", "dt"}


def text_of(html):
    """Visible text of readability's HTML, a line break after each block."""
    root = lxml.html.fromstring(html)
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag in BLOCKS:
            el.tail = "\n" + (el.tail or "")
    return root.text_content()


def main():
    for line in sys.stdin:
        path = line.rstrip("\n")
        rec = {"source": path, "title": None, "text": None}
        try:
            opener = gzip.open if path.endswith(".gz") else open
            with opener(path, "rb") as f:
                raw = f.read()
            doc = Document(raw)
            rec["text"] = text_of(doc.summary(html_partial=True))
            rec["title"] = doc.short_title()
        except Exception as e:  # a failure scores as an empty result
            print("%s: %s" % (path, e), file=sys.stderr)
        print(json.dumps(rec, ensure_ascii=False))


main()
