#!/usr/bin/python3
"""Write N articles as JSON Lines, scaled up from the SemEval sample's real
texts: each copy has its sentences shuffled, one word in ten replaced by a
word from another article and its numbers changed, so copies are neither
duplicates of each other nor all on one story.

  similar_scale.py GOLD.csv N SEED > out.jsonl
"""
import csv
import json
import random
import re
import sys


def main():
    rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
    n, rnd = int(sys.argv[2]), random.Random(int(sys.argv[3]))
    texts = sorted({(r["lang1"], r["text1"]) for r in rows} | {(r["lang2"], r["text2"]) for r in rows})
    vocab = [w for _, t in texts[:400] for w in t.split()[:50]]
    for i in range(n):
        lang, t = texts[i % len(texts)]
        sents = re.split(r"(?<=[.!?])\s+", t)
        rnd.shuffle(sents)
        words = " ".join(sents).split()
        for j in range(len(words)):
            if rnd.random() < 0.1:
                words[j] = rnd.choice(vocab)
        text = re.sub(r"\d+", lambda m: str(rnd.randint(1, 99999)), " ".join(words))
        print(json.dumps({"id": "s%d" % i, "title": "Article %d" % i, "text": text, "lang": lang},
                         ensure_ascii=False))


if __name__ == "__main__":
    main()
