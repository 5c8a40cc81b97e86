// extract_readability.mjs -- peer for bench/extract.sh: Mozilla's
// readability.js on a linkedom DOM, for each file named on stdin; one JSON
// object per line: source, title, text, published, author, lang, site.
// The bytes are decoded as the page declares (meta charset), else as UTF-8
// with windows-1252 as the fallback.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { createInterface } from "node:readline";
import { parseHTML } from "linkedom";
import { Readability } from "@mozilla/readability";

const BLOCKS = "p,div,br,li,tr,td,th,h1,h2,h3,h4,h5,h6,blockquote,pre,section,article,table,ul,ol,dd,dt";

function decode(buf) {
  const head = buf.subarray(0, 4096).toString("latin1");
  const m = head.match(/charset\s*=\s*["']?([\w:.-]+)/i);
  const labels = m ? [m[1], "utf-8"] : ["utf-8"];
  for (const label of labels) {
    try {
      return new TextDecoder(label, { fatal: true }).decode(buf);
    } catch (e) { /* next */ }
  }
  return new TextDecoder("windows-1252").decode(buf);
}

function textOf(html) {
  const { document } = parseHTML("<!DOCTYPE html><html><body>" + html + "</body></html>");
  for (const el of document.querySelectorAll(BLOCKS)) el.after(document.createTextNode("\n"));
  return document.body.textContent;
}

const rl = createInterface({ input: process.stdin });
for await (const path of rl) {
  const rec = { source: path, title: null, text: null };
  try {
    let buf = readFileSync(path);
    if (path.endsWith(".gz")) buf = gunzipSync(buf);
    const { document } = parseHTML(decode(buf));
    const art = new Readability(document).parse();
    if (art) {
      rec.title = art.title || null;
      rec.text = textOf(art.content || "");
      rec.published = art.publishedTime || null;
      rec.author = art.byline || null;
      rec.lang = art.lang || null;
      rec.site = art.siteName || null;
    }
  } catch (e) {
    process.stderr.write(`${path}: ${e}\n`);
  }
  process.stdout.write(JSON.stringify(rec) + "\n");
}
