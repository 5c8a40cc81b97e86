#!/usr/bin/python3
"""Build the labelled duplicate set for bench/dedup.sh from real articles.

Usage: dedup_pairs.py SEMEVAL_CSV ECB_JSONL OUTDIR [N_BASE]

Articles: every distinct text of the SemEval-2022 Task 8 sample (ten
languages) and of ECB+ (English, 35 topics of two similar events each).
From N_BASE of them (seeded sample, at least 80 words or 300 characters)
come edited copies, the way sites edit what they take over:
  headline   a new headline, same text                       -> duplicate
  footer     a copyright/boilerplate footer added            -> duplicate
  byline     new headline, a byline before, a footer after   -> duplicate
  typo       1-2 % of the words replaced                     -> duplicate
  reorder    blocks of sentences (paragraphs) shuffled       -> duplicate
  cut        the first 50-80 % of the sentences              -> near-duplicate
  extend     30-60 % more text taken from another article    -> near-duplicate
  rewrite    5-10 % of the words replaced, one sentence gone -> near-duplicate
The line between the two kinds is the one herald draws: a duplicate is the
same text, or nearly all of it (a footer, a byline, a word, the same
paragraphs in another order); a near-duplicate lacks or adds a good part
(a cut to 80 % or less, an extension by 30 % or more, a rewrite).
Writes OUTDIR/dedup.jsonl (every article and every copy, ext id in `id`),
OUTDIR/dedup.gold.tsv (base ext id, copy ext id, edit, kind),
OUTDIR/dedup.donors.tsv (extended copy, the article its new text is from),
OUTDIR/dedup.same.tsv (the SemEval pairs rated Overall <= 1.5: the same
event written up twice, which must not be linked)."""
import csv
import json
import random
import re
import sys

csv.field_size_limit(1 << 30)
csv_path, ecb_path, out = sys.argv[1], sys.argv[2], sys.argv[3]
n_base = int(sys.argv[4]) if len(sys.argv) > 4 else 300
rng = random.Random(20220108)

texts = {}   # ext id -> (lang, text)
by_text = {}
same = []
with open(csv_path, newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        ids = []
        for k in ("1", "2"):
            t = row["text" + k]
            if not t.strip():
                ids.append(None)
                continue
            if t not in by_text:
                by_text[t] = "s%d" % len(by_text)
                texts[by_text[t]] = (row["lang" + k], t)
            ids.append(by_text[t])
        if None not in ids and ids[0] != ids[1] and float(row["Overall"]) <= 1.5:
            same.append((ids[0], ids[1], row["lang1"] + "-" + row["lang2"]))
with open(ecb_path, encoding="utf-8") as f:
    for line in f:
        d = json.loads(line)
        t = d["text"]
        if t.strip() and t not in by_text:
            by_text[t] = "e" + d["doc_id"]
            texts[by_text[t]] = ("en", t)

SENT = re.compile(r"(?<=[.!?。！？])\s+|\n+")


def sentences(t):
    return [s for s in SENT.split(t) if s.strip()]


def words_of(t):
    return t.split()


vocab = {}
for lang, t in texts.values():
    vocab.setdefault(lang, []).extend(w for w in words_of(t)[:200] if w.isalpha())


def replace_words(t, lang, share):
    w = words_of(t)
    for i in rng.sample(range(len(w)), max(1, int(len(w) * share))):
        w[i] = rng.choice(vocab[lang])
    return " ".join(w)


FOOTERS = [
    "Copyright {y} {s}. All rights reserved. This material may not be published, "
    "broadcast, rewritten or redistributed without permission.",
    "Follow {s} on Twitter and Facebook for the latest news. Sign up for our newsletter "
    "to receive the day's top stories in your inbox.",
    "(Reporting by staff of {s}; editing by the {s} desk) Our Standards: The Trust "
    "Principles.",
    "Related articles: more on this story at {s}. Leave a comment below and share this "
    "article with your friends.",
]
SITES = ["Example Wire", "Daily Courier", "Nachrichtenportal24", "El Diario Digital",
         "Il Quotidiano Online", "Global Press Agency"]


def footer():
    return rng.choice(FOOTERS).format(y=rng.choice([2019, 2020, 2021]), s=rng.choice(SITES))


def headline(lang):
    return " ".join(rng.choice(vocab[lang]) for _ in range(rng.randint(5, 10))).capitalize()


def long_enough(lang, t):
    return len(sentences(t)) >= 5 and (len(words_of(t)) >= 80 or
                                       (lang in ("zh", "ja") and len(t) >= 300))


eligible = sorted(k for k, (lang, t) in texts.items() if long_enough(lang, t))
bases = rng.sample(eligible, min(n_base, len(eligible)))
copies = []
donors = []   # (extended copy, the article its added text comes from)
for b in bases:
    lang, t = texts[b]
    s = sentences(t)
    donor = rng.choice([k for k in rng.sample(eligible, 3) if k != b])
    other = texts[donor][1]
    ed = {
        "headline": (headline(lang), t),
        "footer": ("", t + "\n\n" + footer()),
        "byline": (headline(lang), "By a staff reporter | " + rng.choice(SITES) + "\n\n" + t +
                   "\n\n" + footer()),
        "typo": ("", replace_words(t, lang, rng.uniform(0.01, 0.02))),
        "cut": ("", "\n".join(s[:max(1, round(len(s) * rng.uniform(0.5, 0.8)))])),
        "extend": ("", t + "\n\n" + "\n".join(
            sentences(other)[:max(1, round(len(s) * rng.uniform(0.3, 0.6)))])),
        "rewrite": ("", None),
        "reorder": ("", None),
    }
    drop = s[:]
    del drop[rng.randrange(len(drop))]
    ed["rewrite"] = ("", replace_words("\n".join(drop), lang, rng.uniform(0.05, 0.10)))
    size = max(2, len(s) // 5)
    blocks = [s[i:i + size] for i in range(0, len(s), size)]
    order = list(range(len(blocks)))
    while order == sorted(order):
        rng.shuffle(order)
    ed["reorder"] = ("", "\n\n".join(" ".join(blocks[i]) for i in order))
    kind = {"headline": "duplicate", "footer": "duplicate", "byline": "duplicate",
            "typo": "duplicate", "reorder": "duplicate"}
    for e, (title, text) in ed.items():
        copies.append((b, "%s~%s" % (b, e), e, kind.get(e, "near-duplicate"), lang, title, text))
        if e == "extend":
            donors.append(("%s~%s" % (b, e), donor))

with open(out + "/dedup.jsonl", "w", encoding="utf-8") as f:
    for k, (lang, t) in texts.items():
        f.write(json.dumps({"id": k, "lang": lang, "text": t}, ensure_ascii=False) + "\n")
    for b, k, e, kind, lang, title, text in copies:
        d = {"id": k, "lang": lang, "text": text}
        if title:
            d["title"] = title
        f.write(json.dumps(d, ensure_ascii=False) + "\n")
with open(out + "/dedup.gold.tsv", "w", encoding="utf-8") as f:
    for b, k, e, kind, *_ in copies:
        f.write("%s\t%s\t%s\t%s\n" % (b, k, e, kind))
with open(out + "/dedup.donors.tsv", "w", encoding="utf-8") as f:
    for c, d in donors:
        f.write("%s\t%s\n" % (c, d))
with open(out + "/dedup.same.tsv", "w", encoding="utf-8") as f:
    for a, b, lp in same:
        f.write("%s\t%s\t%s\n" % (a, b, lp))
print("%d articles, %d copies of %d bases, %d same-story pairs" %
      (len(texts), len(copies), len(bases), len(same)), file=sys.stderr)
