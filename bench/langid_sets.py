"""Build the language identification evaluation sets (bench/langid.sh).

Usage: langid_sets.py LANGID_DIR OUT_DIR

Only the EVALUATION fold is used: lines whose 0-based index i has i % 5 == 0
(herald's own model trains on the other lines, see tools/train_langid.c).
Writes OUT_DIR/<set>.txt (one text a line) and OUT_DIR/<set>.lab (labels):

  sentences   the held-out lines of sentences/XX.txt, as they are
  pairs       from each held-out sentence: its first two words, joined by
              one space (lines with fewer than two words are skipped)
  words       from each held-out sentence: its first word of at least three
              code points (lines without one are skipped)
  lingua-pairs, lingua-words
              the same fold (i % 5 == 0) of Lingua's own word-pairs/ and
              single-words/ files; they were drawn from the same corpus as
              the sentences, so some overlap herald's training text

A "word" is a whitespace-separated token with leading and trailing
characters that are not letters or marks (Unicode L*, M*) removed; tokens
left without a letter are dropped.  Scripts written without spaces (Chinese,
Japanese, Thai) yield long "words": a known bias of this rule.
"""
import os
import sys
import unicodedata


def is_letter(ch):
    return unicodedata.category(ch)[0] in "LM"


def words_of(line):
    out = []
    for tok in line.split():
        a, b = 0, len(tok)
        while a < b and not is_letter(tok[a]):
            a += 1
        while b > a and not is_letter(tok[b - 1]):
            b -= 1
        w = tok[a:b]
        if any(is_letter(c) for c in w):
            out.append(w)
    return out


def held_out(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [s.rstrip("\r") for i, s in enumerate(lines) if i % 5 == 0]


def main():
    src, out = sys.argv[1], sys.argv[2]
    langs = sorted(f[:-4] for f in os.listdir(os.path.join(src, "sentences"))
                   if f.endswith(".txt"))
    sets = {k: [] for k in ("sentences", "pairs", "words", "lingua-pairs",
                            "lingua-words")}
    for lang in langs:
        for s in held_out(os.path.join(src, "sentences", lang + ".txt")):
            s = " ".join(s.split())
            if not s:
                continue
            sets["sentences"].append((lang, s))
            w = words_of(s)
            if len(w) >= 2:
                sets["pairs"].append((lang, w[0] + " " + w[1]))
            long_words = [x for x in w if len(x) >= 3]
            if long_words:
                sets["words"].append((lang, long_words[0]))
        for name, sub in (("lingua-pairs", "word-pairs"),
                          ("lingua-words", "single-words")):
            p = os.path.join(src, sub, lang + ".txt")
            if os.path.exists(p):
                for s in held_out(p):
                    s = " ".join(s.split())
                    if s:
                        sets[name].append((lang, s))
    for name, rows in sets.items():
        with open(os.path.join(out, name + ".txt"), "w", encoding="utf-8") as f:
            f.writelines(t + "\n" for _, t in rows)
        with open(os.path.join(out, name + ".lab"), "w") as f:
            f.writelines(l + "\n" for l, _ in rows)
        print("  %-13s %5d lines" % (name, len(rows)))


main()
