"""Group the mentions of `herald export --json` by entity: one line per
entity, "TYPE | name | spelling / spelling ...", sorted, ids left out (they
are hashes; what matters is which spellings share one)."""
import collections
import json
import sys

groups = collections.defaultdict(set)
for line in sys.stdin:
    doc = json.loads(line)
    for m in doc.get("entities", []):
        if m.get("entity"):
            groups[(m["entity"], m["type"], m["name"])].add(m["text"])
for (_, typ, name), texts in sorted(groups.items(), key=lambda g: (g[0][1], g[0][2], sorted(g[1]))):
    print("%s | %s | %s" % (typ, name, " / ".join(sorted(texts))))
