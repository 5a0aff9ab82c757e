//! Shortest paths: the constraints a search runs under (the filter, plus the nodes, relations,
//! time state and hop budget that Yen's spurs and `via` segments inherit) and the bidirectional
//! BFS used when time does not matter. Time-respecting searches are in `temporal`. Every search
//! returns the first shortest path in the tie order of the module `graph`.

use super::filter::NO_DATE;
use super::marks::NodeMarks;
use super::{EdgeIndex, Filter, GraphPath, NodeIndex, Projection, temporal};

/// What a single search may use, beyond the filter.
pub(crate) struct Constraints<'f> {
    pub(crate) filter: &'f Filter,
    /// Sorted: a handful (a root path's nodes, the relations k paths take at one node), where a
    /// hash set would hash on every step of the search.
    blocked_nodes: Vec<NodeIndex>,
    blocked_edges: Vec<EdgeIndex>,
    /// The temporal state the path is in before its first node (see `Filter::advance`).
    pub(crate) state: i32,
    pub(crate) max_hops: Option<usize>,
    /// Nothing is filtered or blocked: the hot loops skip every check.
    unconstrained: bool,
    /// Nothing is filtered (things may be blocked): steps never read node or relation data.
    unfiltered: bool,
}

impl<'f> Constraints<'f> {
    /// Keeps the search off these nodes.
    pub(crate) fn block_nodes(&mut self, nodes: impl IntoIterator<Item = NodeIndex>) {
        self.blocked_nodes = nodes.into_iter().collect();
        self.blocked_nodes.sort_unstable();
        self.blocked_nodes.dedup();
        self.unconstrained &= self.blocked_nodes.is_empty();
    }

    /// Keeps the search off these relations.
    pub(crate) fn block_edges(&mut self, edges: impl IntoIterator<Item = EdgeIndex>) {
        self.blocked_edges = edges.into_iter().collect();
        self.blocked_edges.sort_unstable();
        self.blocked_edges.dedup();
        self.unconstrained &= self.blocked_edges.is_empty();
    }

    fn blocks_node(&self, n: NodeIndex) -> bool {
        self.blocked_nodes.binary_search(&n).is_ok()
    }

    fn blocks_edge(&self, e: EdgeIndex) -> bool {
        self.blocked_edges.binary_search(&e).is_ok()
    }

    pub(crate) fn new(filter: &'f Filter) -> Self {
        Self {
            filter,
            blocked_nodes: Vec::new(),
            blocked_edges: Vec::new(),
            state: NO_DATE,
            max_hops: filter.max_hops,
            unconstrained: filter.passes_everything(),
            unfiltered: filter.passes_everything(),
        }
    }
}

impl Projection {
    /// The first shortest path from `from` to `to` in the tie order, or `None` when there is none
    /// within the filter (an endpoint failing the node filters gives none). With `temporal` the
    /// path respects time (see `filter`); otherwise a bidirectional BFS finds it.
    pub fn shortest_path(&self, from: NodeIndex, to: NodeIndex, filter: &Filter) -> Option<GraphPath> {
        self.first_path(from, to, &Constraints::new(filter))
    }

    pub(crate) fn first_path(&self, from: NodeIndex, to: NodeIndex, c: &Constraints<'_>) -> Option<GraphPath> {
        if !self.usable(c, from) || !self.usable(c, to) {
            return None;
        }
        if c.filter.temporal {
            temporal::first_path(self, from, to, c)
        } else {
            self.bidirectional(from, to, c)
        }
    }

    pub(crate) fn usable(&self, c: &Constraints<'_>, n: NodeIndex) -> bool {
        self.contains(n) && !c.blocks_node(n) && c.filter.node_passes(self.node_data(n))
    }

    /// The steps a search may take from `n` (towards `n` when `backward`).
    pub(crate) fn moves(
        &self,
        n: NodeIndex,
        backward: bool,
        c: &Constraints<'_>,
    ) -> impl Iterator<Item = (EdgeIndex, NodeIndex)> {
        self.steps(n, c.filter.directed, backward)
            .filter(move |&(e, next)| self.allowed(c, e, next))
    }

    /// Whether a search may take relation `e` to `next`, the node at its other end.
    pub(crate) fn allowed(&self, c: &Constraints<'_>, e: EdgeIndex, next: NodeIndex) -> bool {
        if c.unconstrained {
            return true;
        }
        if c.blocks_edge(e) || c.blocks_node(next) {
            return false;
        }
        c.unfiltered || (c.filter.edge_passes(self.edge_data(e)) && c.filter.node_passes(self.node_data(next)))
    }

    /// Expands the smaller frontier (by relations to walk) a whole layer at a time until the two
    /// searches meet, which gives the length `L`. Forward layers are complete up to depth `a` and
    /// backward ones up to `b`, with `a + b >= L`, so every node on a shortest path is known to
    /// one side at its position. A forward node is on a shortest path if it lies on one within
    /// the explored layers ("good"); the path is then walked from `from`, taking at each step the
    /// smallest next node id among those on a shortest path, then the smallest relation id.
    fn bidirectional(&self, from: NodeIndex, to: NodeIndex, c: &Constraints<'_>) -> Option<GraphPath> {
        if from == to {
            return Some(GraphPath::single(from));
        }
        let mut forward = NodeMarks::new(self.node_count());
        let mut backward = NodeMarks::new(self.node_count());
        forward.set(from, 0);
        backward.set(to, 0);
        let mut forward_layers = vec![vec![from]];
        let mut backward_frontier = vec![to];
        let (mut a, mut b) = (0_u32, 0_u32);
        let work = |frontier: &[NodeIndex]| frontier.iter().map(|&n| self.adjacency.degree(n)).sum::<usize>();
        let length = loop {
            let forward_frontier = forward_layers.last().map_or(&[][..], Vec::as_slice);
            if forward_frontier.is_empty() || backward_frontier.is_empty() {
                return None;
            }
            // Without a meeting so far, every path is longer than a + b.
            if c.max_hops.is_some_and(|max| (a + b) as usize >= max) {
                return None;
            }
            let meeting = if work(forward_frontier) <= work(&backward_frontier) {
                a += 1;
                let layer = self.expand(forward_frontier, &mut forward, a, false, c);
                let meeting = layer
                    .iter()
                    .filter(|&&n| backward.is_set(n))
                    .map(|&n| a + backward.get(n))
                    .min();
                forward_layers.push(layer);
                meeting
            } else {
                b += 1;
                backward_frontier = self.expand(&backward_frontier, &mut backward, b, true, c);
                backward_frontier
                    .iter()
                    .filter(|&&n| forward.is_set(n))
                    .map(|&n| b + forward.get(n))
                    .min()
            };
            if let Some(length) = meeting {
                break length;
            }
        };

        // Goodness spreads backwards from the meeting nodes, one layer at a time, through the
        // relations of good nodes only: scanning every explored node's relations again would
        // cost as much as the search (hubs have tens of thousands).
        let mut good = NodeMarks::new(self.node_count());
        let mut good_below: Vec<NodeIndex> = Vec::new();
        for (depth, layer) in forward_layers.iter().enumerate().rev() {
            let depth = depth as u32;
            let mut good_here: Vec<NodeIndex> = layer
                .iter()
                .copied()
                .filter(|&n| backward.is_set(n) && depth + backward.get(n) == length)
                .collect();
            for &n in &good_here {
                good.set(n, 1);
            }
            for &next in &good_below {
                for (e, n) in self.steps(next, c.filter.directed, true) {
                    if forward.get(n) == depth && good.get(n) != 1 && self.allowed(c, e, next) {
                        good.set(n, 1);
                        good_here.push(n);
                    }
                }
            }
            good_below = good_here;
        }

        let mut path = GraphPath::single(from);
        let mut current = from;
        for position in 1..=length {
            let on_shortest = |next: NodeIndex| {
                if position <= a {
                    forward.get(next) == position && good.get(next) == 1
                } else {
                    backward.get(next) == length - position
                }
            };
            let (edge, next) = self
                .steps(current, c.filter.directed, false)
                .filter(|&(e, next)| on_shortest(next) && self.allowed(c, e, next))
                .min_by_key(|&(e, next)| (self.rank(next), self.edge_rank(e)))?;
            path.nodes.push(next);
            path.edges.push(edge);
            current = next;
        }
        (current == to).then_some(path)
    }

    /// The nodes first reached at `depth` from `frontier`, recorded in `distance`. A node already
    /// reached is skipped before the filters are asked: on a large graph most steps lead to one.
    fn expand(
        &self,
        frontier: &[NodeIndex],
        distance: &mut NodeMarks,
        depth: u32,
        backward: bool,
        c: &Constraints<'_>,
    ) -> Vec<NodeIndex> {
        let mut layer = Vec::new();
        for &n in frontier {
            for (e, next) in self.steps(n, c.filter.directed, backward) {
                if !distance.is_set(next) && self.allowed(c, e, next) {
                    distance.set(next, depth);
                    layer.push(next);
                }
            }
        }
        layer
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::oracle::{all_paths, build, closed, ids, plain};
    use crate::model::{Openness, RelationKind};

    fn shortest<'p>(projection: &'p Projection, from: &str, to: &str, filter: &Filter) -> Option<Vec<&'p str>> {
        let (from, to) = (projection.node(from).unwrap(), projection.node(to).unwrap());
        let path = projection.shortest_path(from, to, filter);
        assert_eq!(
            path,
            all_paths(projection, from, to, filter).into_iter().next(),
            "against brute force"
        );
        path.map(|path| ids(projection, &path))
    }

    fn relations(projection: &Projection, from: &str, to: &str, filter: &Filter) -> Vec<String> {
        let (from, to) = (projection.node(from).unwrap(), projection.node(to).unwrap());
        let path = projection.shortest_path(from, to, filter).unwrap();
        path.edges
            .iter()
            .map(|&e| projection.relation_id(e).to_owned())
            .collect()
    }

    #[test]
    fn a_diamond_resolves_its_tie_by_node_ids() {
        let diamond = build(
            &[],
            &[("s", "p", "b"), ("s", "p", "a"), ("b", "p", "t"), ("a", "p", "t")],
        );
        let filter = Filter::default();
        assert_eq!(shortest(&diamond, "s", "t", &filter).unwrap(), ["s", "a", "t"]);
        assert_eq!(shortest(&diamond, "t", "s", &filter).unwrap(), ["t", "a", "s"]);
        let directed = Filter {
            directed: true,
            ..Filter::default()
        };
        assert_eq!(shortest(&diamond, "s", "t", &directed).unwrap(), ["s", "a", "t"]);
        assert_eq!(shortest(&diamond, "t", "s", &directed), None);
    }

    #[test]
    fn a_long_diamond_picks_the_smallest_ids_at_every_position() {
        // Two disjoint routes of length 4 meet only at the ends, and the second node decides.
        let graph = build(
            &[],
            &[
                ("s", "p", "x1"),
                ("x1", "p", "a2"),
                ("a2", "p", "a3"),
                ("a3", "p", "t"),
                ("s", "p", "y1"),
                ("y1", "p", "b2"),
                ("b2", "p", "b3"),
                ("b3", "p", "t"),
                ("y1", "p", "a2"),
            ],
        );
        assert_eq!(
            shortest(&graph, "s", "t", &Filter::default()).unwrap(),
            ["s", "x1", "a2", "a3", "t"]
        );
        assert_eq!(
            shortest(&graph, "t", "s", &Filter::default()).unwrap(),
            ["t", "a3", "a2", "x1", "s"]
        );
    }

    #[test]
    fn a_cycle_is_walked_the_short_way() {
        let cycle = build(
            &[],
            &[
                ("a", "p", "b"),
                ("b", "p", "c"),
                ("c", "p", "d"),
                ("d", "p", "e"),
                ("e", "p", "a"),
            ],
        );
        assert_eq!(shortest(&cycle, "a", "d", &Filter::default()).unwrap(), ["a", "e", "d"]);
        let directed = Filter {
            directed: true,
            ..Filter::default()
        };
        assert_eq!(shortest(&cycle, "a", "d", &directed).unwrap(), ["a", "b", "c", "d"]);
        assert_eq!(shortest(&cycle, "a", "a", &directed).unwrap(), ["a"]);
    }

    #[test]
    fn disconnected_nodes_have_no_path() {
        let pair = build(&[], &[("a", "p", "b"), ("c", "p", "d")]);
        assert_eq!(shortest(&pair, "a", "d", &Filter::default()), None);
        assert_eq!(shortest(&pair, "a", "b", &Filter::default()).unwrap(), ["a", "b"]);
    }

    #[test]
    fn parallel_edges_resolve_their_tie_by_relation_id() {
        let graph = build(
            &[],
            &[("a", "q", "b"), ("b", "p", "a"), ("a", "r", "b"), ("b", "p", "c")],
        );
        assert_eq!(relations(&graph, "a", "c", &Filter::default()), ["a--q--b", "b--p--c"]);
        let directed = Filter {
            directed: true,
            ..Filter::default()
        };
        assert_eq!(relations(&graph, "b", "a", &directed), ["b--p--a"]);
        assert_eq!(relations(&graph, "a", "b", &directed), ["a--q--b"]);
    }

    #[test]
    fn a_closed_node_blocks_the_only_short_path() {
        let graph = build(
            &[("m", closed())],
            &[
                ("a", "p", "m"),
                ("m", "p", "z"),
                ("a", "p", "x"),
                ("x", "p", "y"),
                ("y", "p", "z"),
            ],
        );
        assert_eq!(shortest(&graph, "a", "z", &Filter::default()).unwrap(), ["a", "m", "z"]);
        let open = Filter {
            openness: Some(Openness::Open),
            ..Filter::default()
        };
        assert_eq!(shortest(&graph, "a", "z", &open).unwrap(), ["a", "x", "y", "z"]);
        let closed_only = Filter {
            openness: Some(Openness::Closed),
            ..Filter::default()
        };
        assert_eq!(shortest(&graph, "a", "z", &closed_only), None, "the endpoints are open");
        let untagged = build(
            &[(
                "a",
                crate::graph::NodeData {
                    openness: None,
                    ..plain()
                },
            )],
            &[("a", "p", "b")],
        );
        assert_eq!(shortest(&untagged, "a", "b", &open), None);
    }

    #[test]
    fn relation_kinds_choose_between_direct_and_indirect_routes() {
        let graph = build(&[], &[("a", "influenced", "z"), ("a", "p", "b"), ("b", "p", "z")]);
        assert_eq!(shortest(&graph, "a", "z", &Filter::default()).unwrap(), ["a", "z"]);
        let direct = Filter {
            kinds: Some(vec![RelationKind::Direct]),
            ..Filter::default()
        };
        assert_eq!(shortest(&graph, "a", "z", &direct).unwrap(), ["a", "b", "z"]);
        let indirect = Filter {
            kinds: Some(vec![RelationKind::Indirect]),
            ..Filter::default()
        };
        assert_eq!(shortest(&graph, "a", "b", &indirect), None);
    }

    #[test]
    fn max_hops_cuts_longer_paths() {
        let line = build(&[], &[("a", "p", "b"), ("b", "p", "c"), ("c", "p", "d")]);
        let hops = |max| Filter {
            max_hops: Some(max),
            ..Filter::default()
        };
        assert_eq!(shortest(&line, "a", "d", &hops(3)).unwrap(), ["a", "b", "c", "d"]);
        assert_eq!(shortest(&line, "a", "d", &hops(2)), None);
        assert_eq!(shortest(&line, "a", "a", &hops(0)).unwrap(), ["a"]);
        assert_eq!(shortest(&line, "a", "b", &hops(0)), None);
    }

    #[test]
    fn a_stale_index_gives_no_path() {
        let line = build(&[], &[("a", "p", "b")]);
        let a = line.node("a").unwrap();
        assert_eq!(line.shortest_path(a, NodeIndex::new(7), &Filter::default()), None);
    }
}
