#!/usr/bin/python3
"""Write the story benchmarks' inputs as herald JSON Lines, with the gold
labels beside them.  argv[1]: ../shared/data, argv[2]: output folder.

  ecb.jsonl       ECB+ articles (id, title, text); ecb.gold: id -> cluster
  gnews.jsonl     Google News headlines in stream order; gnews.gold
  semeval.jsonl   the distinct SemEval-2022 Task 8 articles, keyed by the
                  article ids in pair_id; semeval.pairs: id1, id2, same
                  (Overall <= 1.5: 1; >= 3.5: 0; others left out), mono
"""
import csv
import json
import os
import sys

data, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)


def dump(name, rows, gold):
    with open(os.path.join(out, name + ".jsonl"), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(os.path.join(out, name + ".gold"), "w", encoding="utf-8") as f:
        json.dump(gold, f)


rows, gold = [], {}
with open(os.path.join(data, "stories/ecbplus_train_dev.jsonl"), encoding="utf-8") as f:
    for line in f:
        a = json.loads(line)
        # The first line of the text repeats the title (or is a URL).
        rows.append({"id": a["doc_id"], "lang": a["lang"], "title": a["title"],
                     "text": a["text"]})
        gold[a["doc_id"]] = a["cluster"]
dump("ecb", rows, gold)

rows, gold = [], {}
with open(os.path.join(data, "stories/mstream_googlenews_News.jsonl"), encoding="utf-8") as f:
    for line in f:
        a = json.loads(line)
        rows.append({"id": "g" + a["Id"], "text": a["textCleaned"]})
        gold["g" + a["Id"]] = a["clusterNo"]
dump("gnews", rows, gold)

csv.field_size_limit(1 << 30)
rows, pairs, seen = [], [], set()
with open(os.path.join(data, "similarity/semeval2022_task8_train_sample.csv"),
          newline="", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        ids = r["pair_id"].split("_")
        for k, i in (("1", ids[0]), ("2", ids[1])):
            if i not in seen and r["text" + k].strip():
                seen.add(i)
                rows.append({"id": "s" + i, "lang": r["lang" + k], "text": r["text" + k]})
        o = float(r["Overall"])
        if o <= 1.5 or o >= 3.5:
            pairs.append(["s" + ids[0], "s" + ids[1], int(o <= 1.5), int(r["lang1"] == r["lang2"])])
dump("semeval", rows, pairs)
print("ecb, gnews, semeval written to", out, file=sys.stderr)
