"""Turns a `govgraph generate` N-Triples file into the tab-separated tables the peers load, and
draws the query pairs (see bench/compare). Reads the file itself rather than asking govgraph, so
the peers' data does not depend on the system under test.

    python3 tables.py DATA.nt OUT_DIR PAIRS SEED

Writes OUT_DIR/entities.tsv (id label kind openness startDate), OUT_DIR/relations.tsv (id source
target predicate label kind), OUT_DIR/edges.tsv (source target) and OUT_DIR/pairs.tsv (from to).
"""

import random
import re
import sys

NS = "https://w3id.org/govgraph/ns#"
ID = "https://w3id.org/govgraph/id/"
REL = "https://w3id.org/govgraph/rel/"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
START = "http://schema.org/startDate"
KINDS = {
    NS + "Organization": "ORGANIZATION",
    NS + "Meeting": "MEETING",
    NS + "Document": "DOCUMENT",
    NS + "DiscussionSpace": "DISCUSSION_SPACE",
    NS + "Person": "PERSON",
}
TRIPLE = re.compile(r'<([^>]*)> <([^>]*)> (<[^>]*>|"(?:[^"\\]|\\.)*"(?:\^\^<[^>]*>|@[\w-]+)?) \.$')


def literal(term):
    text = term[1 : term.rindex('"')]
    return text.replace('\\"', '"').replace("\\\\", "\\").replace("\t", " ")


def main():
    data, out, pair_count, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    entities, relations = {}, {}
    with open(data, encoding="utf-8") as lines:
        for line in lines:
            match = TRIPLE.match(line.rstrip("\n"))
            if not match:
                continue
            subject, predicate, term = match.groups()
            if subject.startswith(ID) and "#" not in subject:
                entity = entities.setdefault(subject[len(ID) :], {})
                if predicate == TYPE and term[1:-1] in KINDS:
                    entity["kind"] = KINDS[term[1:-1]]
                elif predicate == LABEL:
                    entity["label"] = literal(term)
                elif predicate == NS + "openness":
                    entity["openness"] = term[1:-1][len(NS) :].upper()
                elif predicate == START:
                    entity["start"] = literal(term)
            elif subject.startswith(REL) and "#" not in subject and predicate.startswith(NS):
                relation = relations.setdefault(subject[len(REL) :], {})
                field = predicate[len(NS) :]
                if field in ("source", "target"):
                    relation[field] = term[1:-1][len(ID) :]
                elif field in ("predicate", "relationKind"):
                    relation[field] = term[1:-1][len(NS) :]
    entities = {id: e for id, e in entities.items() if "kind" in e}
    with open(f"{out}/entities.tsv", "w", encoding="utf-8") as table:
        for id, e in entities.items():
            table.write(f"{id}\t{e.get('label', id)}\t{e['kind']}\t{e.get('openness', '')}\t{e.get('start', '')}\n")
    with open(f"{out}/relations.tsv", "w", encoding="utf-8") as table, open(f"{out}/edges.tsv", "w") as edges:
        for id, r in relations.items():
            predicate = r.get("predicate", "relatedTo")
            table.write(f"{id}\t{r['source']}\t{r['target']}\t{predicate}\t{predicate}\t{r['relationKind'].upper()}\n")
            edges.write(f"{r['source']}\t{r['target']}\n")
    # Pairs among entities that take part in relations, like the ones a researcher asks about.
    linked = sorted({r["source"] for r in relations.values()} | {r["target"] for r in relations.values()})
    draw = random.Random(seed)
    with open(f"{out}/pairs.tsv", "w", encoding="utf-8") as pairs:
        for _ in range(pair_count):
            pairs.write("\t".join(draw.sample(linked, 2)) + "\n")
    print(f"{len(entities)} entities, {len(relations)} relations")


if __name__ == "__main__":
    main()
