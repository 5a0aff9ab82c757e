"""A uniform random graph in the CSV import contract, for the shape `govgraph generate` does not
draw (see bench/compare): N entities, about N*K/2 relations between endpoints drawn uniformly
(no hubs, so a search's frontier grows by about K per node at every layer), and query pairs
drawn uniformly from all entities, linked or not. Written from here, not by govgraph, so the
data is not one the system under test chose.

    python3 uniform.py OUT_DIR NODES DEGREE PAIRS SEED

Writes OUT_DIR/entities.csv and OUT_DIR/relations.csv (for `govgraph import`), OUT_DIR/edges.tsv
(source target, for igraph and networkx) and OUT_DIR/pairs.tsv (from to).
"""

import csv
import random
import sys

KINDS = ("organization", "meeting", "document", "discussion_space")
OPENNESS = ("open", "closed", "")


def main():
    out, nodes, degree, pair_count, seed = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    draw = random.Random(seed)
    ids = [f"u{n}" for n in range(nodes)]
    with open(f"{out}/entities.csv", "w", encoding="utf-8", newline="") as table:
        rows = csv.writer(table)
        rows.writerow(("id", "label", "kind", "openness", "start_date"))
        for n, id in enumerate(ids):
            kind = draw.choice(KINDS)
            start = f"{draw.randrange(1990, 2026)}-{draw.randrange(1, 13):02d}" if kind == "meeting" else ""
            rows.writerow((id, f"Entity {n}", kind, draw.choice(OPENNESS), start))
    # A relation's IRI is its source, property and target: a pair drawn twice is drawn again.
    wanted = round(nodes * degree / 2)
    seen = set()
    with open(f"{out}/relations.csv", "w", encoding="utf-8", newline="") as table, open(
        f"{out}/edges.tsv", "w", encoding="utf-8"
    ) as edges:
        rows = csv.writer(table)
        rows.writerow(("source", "target", "kind"))
        while len(seen) < wanted:
            source, target = draw.randrange(nodes), draw.randrange(nodes)
            if source == target or (source, target) in seen:
                continue
            seen.add((source, target))
            rows.writerow((ids[source], ids[target], draw.choice(("direct", "indirect"))))
            edges.write(f"{ids[source]}\t{ids[target]}\n")
    with open(f"{out}/pairs.tsv", "w", encoding="utf-8") as pairs:
        for _ in range(pair_count):
            pairs.write("\t".join(draw.sample(ids, 2)) + "\n")
    print(f"{nodes} entities, {wanted} relations (uniform)")


if __name__ == "__main__":
    main()
