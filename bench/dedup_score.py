#!/usr/bin/python3
"""Score `herald links --json` against the labelled set of dedup_pairs.py.

Usage: dedup_score.py OUTDIR   (reads dedup.links.jsonl, dedup.ls.jsonl,
dedup.gold.tsv, dedup.same.tsv and dedup.jsonl from OUTDIR)

A gold pair is an article and an edited copy of it, labelled duplicate or
near-duplicate by the edit.  Pairs of two copies of one article, and an
extended copy with the article its added text comes from, are related but
unlabelled: links between them are neither counted right nor wrong.  Any other link joins two different source articles; it is a false
link unless the two source texts (of which they are, or are copies) really
are copies of each other, which
the data has (the SemEval sample holds the same article scraped twice and
back-translated augmentations): that is checked independently of herald,
by aligning the two word sequences (difflib), and such links are reported
apart.  Prints markdown tables."""
import difflib
import json
import re
import sys
from collections import Counter, defaultdict

out = sys.argv[1]
ext = {}
for line in open(out + "/dedup.ls.jsonl", encoding="utf-8"):
    d = json.loads(line)
    ext[d["id"]] = d["ext_id"]
text = {}
for line in open(out + "/dedup.jsonl", encoding="utf-8"):
    d = json.loads(line)
    text[d["id"]] = d["text"]
gold = {}
edit_of = {}
for line in open(out + "/dedup.gold.tsv", encoding="utf-8"):
    b, c, e, kind = line.rstrip("\n").split("\t")
    gold[frozenset((b, c))] = kind
    edit_of[frozenset((b, c))] = e
same = [tuple(l.rstrip("\n").split("\t")) for l in open(out + "/dedup.same.tsv", encoding="utf-8")]
links = {}
for line in open(out + "/dedup.links.jsonl", encoding="utf-8"):
    l = json.loads(line)
    if l["kind"] not in ("duplicate", "near-duplicate"):
        continue
    links[frozenset((ext[l["a"]], ext[l["b"]]))] = l


sources = defaultdict(set)  # copy -> the articles whose text it holds
for line in open(out + "/dedup.donors.tsv", encoding="utf-8"):
    c, d = line.rstrip("\n").split("\t")
    sources[c].add(d)


def base(x):
    return x.split("~")[0]


def sources_of(x):
    return {base(x)} | sources[x]


WORD = re.compile(r"\w+")


def real_copy(a, b):
    """Share of the shorter text's words found, in order, in the other."""
    wa, wb = WORD.findall(text[a].lower()), WORD.findall(text[b].lower())
    if not wa or not wb:
        return 0.0
    m = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    return sum(x.size for x in m.get_matching_blocks()) / min(len(wa), len(wb))


# Per edit: how each kind of copy was linked.
per_edit = defaultdict(Counter)
for pair, kind in gold.items():
    l = links.get(pair)
    per_edit[edit_of[pair]][l["kind"] if l else "none"] += 1
# Per kind: precision and recall over gold pairs and every other link.
tp, fp, fn = Counter(), Counter(), Counter()
cross, source_copies = [], []
for pair, kind in gold.items():
    l = links.get(pair)
    if l and l["kind"] == kind:
        tp[kind] += 1
    else:
        fn[kind] += 1
        if l:
            fp[l["kind"]] += 1
for pair, l in links.items():
    if pair in gold:
        continue
    a, b = sorted(pair)
    if sources_of(a) & sources_of(b):
        continue  # copies of one article, or holding text of it: related
    if any(real_copy(x, y) >= 0.5 for x in sources_of(a) for y in sources_of(b)):
        source_copies.append((a, b, l))
        continue
    fp[l["kind"]] += 1
    cross.append((a, b, l))
linked_same = [p for p in same if frozenset(p[:2]) in links]

print("Duplicate detection: %d articles, %d labelled copies, %d links "
      "(herald ingest + herald links)\n" % (len(ext), len(gold), len(links)))
print("| edit | gold kind | pairs | linked duplicate | linked near-duplicate | not linked |")
print("|---|---|---:|---:|---:|---:|")
order = ["headline", "footer", "byline", "typo", "reorder", "cut", "extend", "rewrite"]
kind_of = {edit_of[p]: k for p, k in gold.items()}
for e in order:
    c = per_edit[e]
    n = sum(c.values())
    print("| %s | %s | %d | %d | %d | %d |" % (e, kind_of[e], n, c["duplicate"],
                                              c["near-duplicate"], c["none"]))
print("\n| kind | precision | recall | F1 | TP | FP | FN |")
print("|---|---:|---:|---:|---:|---:|---:|")
for k in ("duplicate", "near-duplicate"):
    p = tp[k] / (tp[k] + fp[k]) if tp[k] + fp[k] else 0.0
    r = tp[k] / (tp[k] + fn[k]) if tp[k] + fn[k] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print("| %s | %.3f | %.3f | %.3f | %d | %d | %d |" % (k, p, r, f, tp[k], fp[k], fn[k]))
any_tp = sum(1 for p in gold if p in links)
any_fp = len(cross)
print("| any link (kind ignored) | %.3f | %.3f | | %d | %d | %d |" % (
    any_tp / (any_tp + any_fp) if any_tp + any_fp else 0.0, any_tp / len(gold), any_tp, any_fp,
    len(gold) - any_tp))
print("\nSame-story pairs (SemEval Overall <= 1.5, different texts): %d of %d linked."
      % (len(linked_same), len(same)))
for a, b, lp in linked_same:
    print("  - %s %s (%s): %s, %.2f of the words shared in order" % (
        a, b, lp, links[frozenset((a, b))]["kind"], real_copy(a, b)))
print("Links between different source articles that are real copies in the data "
      "(>= 50 %% of the shorter text's words in order): %d." % len(source_copies))
print("False links between unrelated articles: %d." % len(cross))
for a, b, l in cross[:10]:
    print("  - %s %s %s %.3f (%.2f of the words shared in order)" % (
        a, b, l["kind"], l["score"], real_copy(a, b)))
