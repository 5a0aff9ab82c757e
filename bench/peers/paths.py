"""In-process shortest paths with igraph and networkx, on the same relations and pairs as the
govgraph run (see bench/compare). Prints one `name mean_ms found` line per library.

    python3 paths.py RELATIONS.tsv PAIRS.tsv

RELATIONS.tsv: `source<TAB>target` per line (entity ids). PAIRS.tsv: `from<TAB>to` per line.
Paths are undirected, as govgraph's `path` is by default. Only the query is timed, not the
graph construction, which a caller would do once.
"""

import sys
import time

import igraph
import networkx


def read_pairs(path):
    with open(path, encoding="utf-8") as lines:
        return [tuple(line.rstrip("\n").split("\t")[:2]) for line in lines if line.strip()]


def main():
    relations_path, pairs_path = sys.argv[1], sys.argv[2]
    edges = read_pairs(relations_path)
    pairs = read_pairs(pairs_path)

    # Pairs may be drawn from every entity (bench/compare's uniform shape): one without relations
    # is a node too, with no path to anything.
    index = {}
    for source, target in edges + pairs:
        index.setdefault(source, len(index))
        index.setdefault(target, len(index))
    graph = igraph.Graph(n=len(index), edges=[(index[s], index[t]) for s, t in edges], directed=False)
    lengths = []
    started = time.perf_counter()
    for source, target in pairs:
        path = graph.get_shortest_path(index[source], index[target], mode="all")
        lengths.append(len(path) - 1 if path else -1)
    elapsed = time.perf_counter() - started
    print(f"igraph {elapsed * 1000 / len(pairs):.3f} {sum(1 for n in lengths if n >= 0)}")

    nx_graph = networkx.Graph()
    nx_graph.add_nodes_from(index)
    nx_graph.add_edges_from(edges)
    nx_lengths = []
    started = time.perf_counter()
    for source, target in pairs:
        try:
            nx_lengths.append(len(networkx.bidirectional_shortest_path(nx_graph, source, target)) - 1)
        except networkx.NetworkXNoPath:
            nx_lengths.append(-1)
    elapsed = time.perf_counter() - started
    print(f"networkx {elapsed * 1000 / len(pairs):.3f} {sum(1 for n in nx_lengths if n >= 0)}")

    # Both answer shortest paths: their lengths must agree, or the comparison is meaningless.
    if lengths != nx_lengths:
        sys.exit("igraph and networkx disagree on path lengths")
    with open(pairs_path + ".lengths", "w", encoding="utf-8") as out:
        out.writelines(f"{n}\n" for n in lengths)


if __name__ == "__main__":
    main()
