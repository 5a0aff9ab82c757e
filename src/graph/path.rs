//! Shortest paths: the bidirectional BFS used when time does not matter (the constraints a search
//! runs under are in `constraints`). Time-respecting searches are in `temporal`. Every search
//! returns the first shortest path in the tie order of the module `graph`.

use super::constraints::{Constraints, Linking};
use super::marks::NodeMarks;
use super::{EdgeIndex, Filter, GraphPath, NodeIndex, Projection, temporal};

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

    /// Expands the smaller frontier (by relations to walk) a whole layer at a time until the two
    /// searches meet. With forward layers complete to depth `a` and backward ones to `b`, the
    /// length is then exactly `a + b` (had a shorter path existed, a node on it would have been
    /// known to both sides one expansion earlier), and the nodes where they met are the nodes of
    /// shortest paths at position `a`. A forward node at depth `d < a` is on a shortest path
    /// ("good") if it links to a good node at `d + 1`; a node beyond `a` is on one if its
    /// backward distance fits. The path is then walked from `from`, taking at each step the
    /// smallest next node id among those on a shortest path, then the smallest relation id.
    ///
    /// Hubs make the walk and the spread of goodness costly if done by scanning relations (a
    /// hub has hundreds of thousands at a million entities), so both look for links between the
    /// few candidates instead when that is cheaper: a node's relations are sorted by the node at
    /// their other end, and a link is found by binary search.
    fn bidirectional(&self, from: NodeIndex, to: NodeIndex, c: &Constraints<'_>) -> Option<GraphPath> {
        if from == to {
            return Some(GraphPath::single(from));
        }
        let mut forward = NodeMarks::new(self.node_bound());
        let mut backward = NodeMarks::new(self.node_bound());
        forward.set(from, 0);
        backward.set(to, 0);
        let mut forward_layers = vec![vec![from]];
        let mut backward_layers = vec![vec![to]];
        let (mut forward_cost, mut backward_cost) = (self.layer_cost(&[from]), self.layer_cost(&[to]));
        let (mut a, mut b) = (0_u32, 0_u32);
        let meeting = loop {
            // Without a meeting so far, every path is longer than a + b.
            if c.max_hops.is_some_and(|max| (a + b) as usize >= max) {
                return None;
            }
            let forward_side = forward_cost.work <= backward_cost.work;
            let (layers, marks, other, other_layers, depth, cost, other_cost) = if forward_side {
                a += 1;
                (
                    &mut forward_layers,
                    &mut forward,
                    &backward,
                    &backward_layers,
                    a,
                    &mut forward_cost,
                    &backward_cost,
                )
            } else {
                b += 1;
                (
                    &mut backward_layers,
                    &mut backward,
                    &forward,
                    &forward_layers,
                    b,
                    &mut backward_cost,
                    &forward_cost,
                )
            };
            let frontier = layers.last().map_or(&[][..], Vec::as_slice);
            let other_layer = other_layers.last().map_or(&[][..], Vec::as_slice);
            // If the searches meet in this layer, they meet at nodes of the other side's last
            // layer (complete) that this frontier links to, which binary search may find for
            // less than the expansion walks: near hubs, often far less. Whether they meet is not
            // known beforehand, so the search is tried first only when it costs at most half the
            // expansion, which bounds what a miss wastes.
            let search_cost = Self::link_cost(cost, other_cost);
            if c.linking.searches(search_cost.saturating_mul(2), cost.work) {
                let meeting = self.meeting_nodes(frontier, other_layer, forward_side, c);
                if !meeting.is_empty() {
                    break meeting;
                }
            }
            // Once the searches meet, the rest of this layer only serves to find the other
            // meeting nodes, which binary search may find for less.
            let stop = Stop {
                work: cost.work,
                search_cost,
                linking: c.linking,
            };
            let grown = self.expand(frontier, marks, other, depth, !forward_side, c, &stop);
            if grown.stopped {
                break self.meeting_nodes(frontier, other_layer, forward_side, c);
            }
            if grown.layer.is_empty() {
                return None;
            }
            if !grown.meeting.is_empty() {
                break grown.meeting;
            }
            // Only now: the layer where the searches meet is the largest, and needs no sum.
            *cost = self.layer_cost(&grown.layer);
            layers.push(grown.layer);
        };
        let length = a + b;

        // good[d]: the forward nodes at depth d on a shortest path, in no particular order.
        let mut good_marks = NodeMarks::new(self.node_bound());
        let mut good: Vec<Vec<NodeIndex>> = vec![Vec::new(); a as usize + 1];
        // A good node's mark is its depth.
        for &n in &meeting {
            good_marks.set(n, a);
        }
        good[a as usize] = meeting;
        for depth in (0..a as usize).rev() {
            let (here, above) = (&forward_layers[depth], &good[depth + 1]);
            let (here_cost, above_cost) = (self.layer_cost(here), self.layer_cost(above));
            let search_cost = Self::link_cost(&here_cost, &above_cost);
            let scan_cost = here_cost.work.min(above_cost.work);
            let found: Vec<NodeIndex> = if c.linking.searches(search_cost, scan_cost) {
                here.iter()
                    .copied()
                    .filter(|&n| above.iter().any(|&m| self.links(n, m, c).next().is_some()))
                    .collect()
            } else if here_cost.work <= above_cost.work {
                // Good nodes are marked: a scan reads marks, never another node's relations.
                let above_depth = depth as u32 + 1;
                here.iter()
                    .copied()
                    .filter(|&n| {
                        self.steps(n, c.filter.directed, false)
                            .any(|(e, m)| good_marks.get(m) == above_depth && self.allowed(c, e, m))
                    })
                    .collect()
            } else {
                let mut found = Vec::new();
                for &m in above {
                    for (e, n) in self.steps(m, c.filter.directed, true) {
                        if forward.get(n) == depth as u32 && !good_marks.is_set(n) && self.allowed(c, e, m) {
                            good_marks.set(n, depth as u32);
                            found.push(n);
                        }
                    }
                }
                found
            };
            for &n in &found {
                good_marks.set(n, depth as u32);
            }
            good[depth] = found;
        }

        let mut path = GraphPath::single(from);
        let mut current = from;
        for position in 1..=length {
            let candidates = if position <= a {
                &good[position as usize]
            } else {
                &backward_layers[(length - position) as usize]
            };
            let current_cost = self.layer_cost(&[current]);
            // The candidates may be a whole layer of the backward search: reading their degrees
            // would cost what the search saves, and with one node on this side it needs none.
            let search_cost = Self::link_cost(&current_cost, &LayerCost::unmeasured(candidates.len()));
            let best = if c.linking.searches(search_cost, current_cost.work) {
                candidates
                    .iter()
                    .flat_map(|&next| self.links(current, next, c).map(move |e| (e, next)))
                    .min_by_key(|&(e, next)| (self.rank(next), self.edge_rank(e)))
            } else {
                let on_shortest = |next: NodeIndex| {
                    if position <= a {
                        good_marks.get(next) == position
                    } else {
                        backward.get(next) == length - position
                    }
                };
                self.steps(current, c.filter.directed, false)
                    .filter(|&(e, next)| on_shortest(next) && self.allowed(c, e, next))
                    .min_by_key(|&(e, next)| (self.rank(next), self.edge_rank(e)))
            };
            let (edge, next) = best?;
            path.nodes.push(next);
            path.edges.push(edge);
            current = next;
        }
        (current == to).then_some(path)
    }

    /// What the layer costs to expand, and to search for links in.
    fn layer_cost(&self, nodes: &[NodeIndex]) -> LayerCost {
        let mut cost = LayerCost {
            nodes: nodes.len(),
            ..LayerCost::default()
        };
        for &n in nodes {
            let degree = self.degree(n);
            cost.work += degree;
            cost.search_depths += degree.max(1).ilog2() as usize + 1;
        }
        cost
    }

    /// About what finding every link between two sets of nodes by binary search costs, in
    /// relations walked: each pair searches the shorter of its two runs (so at most either
    /// side's), and each run is read into cache about once.
    fn link_cost(nodes: &LayerCost, targets: &LayerCost) -> usize {
        let comparisons = targets
            .nodes
            .saturating_mul(nodes.search_depths)
            .min(nodes.nodes.saturating_mul(targets.search_depths));
        // A comparison in a run in cache costs a fraction of a step to a node out of cache.
        (nodes.nodes + targets.nodes).saturating_mul(2) + comparisons / 4
    }

    /// The nodes of the other side's last layer that `frontier` links to.
    fn meeting_nodes(
        &self,
        frontier: &[NodeIndex],
        other_layer: &[NodeIndex],
        forward_side: bool,
        c: &Constraints<'_>,
    ) -> Vec<NodeIndex> {
        other_layer
            .iter()
            .copied()
            .filter(|&m| {
                frontier.iter().any(|&n| {
                    let (near, far) = if forward_side { (n, m) } else { (m, n) };
                    self.links(near, far, c).next().is_some()
                })
            })
            .collect()
    }

    /// The relations a search may take from `n` straight to `m` (in the search's direction),
    /// in the order of `n`'s run.
    fn links<'a>(&'a self, n: NodeIndex, m: NodeIndex, c: &'a Constraints<'_>) -> impl Iterator<Item = EdgeIndex> + 'a {
        // A relation from n to m is in n's outgoing run under m and in m's incoming run under n
        // (the other way round for relations against the direction): searching the shorter run
        // finds the same relations in the same order, and a hub's run is left alone.
        let directed = c.filter.directed;
        let (along, against, other) = if self.degree(m) < self.degree(n) {
            (self.incoming(m), self.outgoing(m), n)
        } else {
            (self.outgoing(n), self.incoming(n), m)
        };
        let against = if directed { &[][..] } else { against };
        [along, against]
            .into_iter()
            .flat_map(move |run| {
                let first = run.partition_point(|&(_, at)| at < other);
                run[first..].iter().take_while(move |&&(_, at)| at == other)
            })
            .filter(move |&&(e, _)| self.allowed(c, e, m))
            .map(|&(e, _)| e)
    }

    /// The nodes first reached at `depth` from `frontier`, recorded in `distance`, and the ones
    /// among them the other side knows (where the searches meet). A node already reached is skipped before the filters are asked: on a
    /// large graph most steps lead to one.
    #[allow(clippy::too_many_arguments, reason = "the state of one side of the search")]
    fn expand(
        &self,
        frontier: &[NodeIndex],
        distance: &mut NodeMarks,
        other: &NodeMarks,
        depth: u32,
        backward: bool,
        c: &Constraints<'_>,
        stop: &Stop,
    ) -> Grown {
        let mut grown = Grown::default();
        let mut walked = 0;
        for &n in frontier {
            let met_before = !grown.meeting.is_empty();
            for (e, next) in self.steps(n, c.filter.directed, backward) {
                if !distance.is_set(next) && self.allowed(c, e, next) {
                    distance.set(next, depth);
                    grown.layer.push(next);
                    if other.is_set(next) {
                        grown.meeting.push(next);
                    }
                }
            }
            walked += self.degree(n);
            if !met_before && !grown.meeting.is_empty() && stop.now(walked) {
                grown.stopped = true;
                return grown;
            }
        }
        grown
    }
}

/// When a layer expansion that has met the other side stops early.
struct Stop {
    /// Relations the whole layer walks.
    work: usize,
    /// What finding the meeting nodes by binary search costs instead.
    search_cost: usize,
    linking: Linking,
}

impl Stop {
    fn now(&self, walked: usize) -> bool {
        self.linking
            .searches(self.search_cost, self.work.saturating_sub(walked))
    }
}

/// What expanding a layer, or searching it for links, costs.
#[derive(Clone, Copy, Debug, Default)]
struct LayerCost {
    nodes: usize,
    /// Relations its nodes have.
    work: usize,
    /// Steps of a binary search through each node's relations, summed.
    search_depths: usize,
}

impl LayerCost {
    /// `nodes` nodes whose degrees are not known: the cost of links to them is bounded by the
    /// other side's searches alone.
    fn unmeasured(nodes: usize) -> Self {
        Self {
            nodes,
            work: usize::MAX,
            search_depths: usize::MAX,
        }
    }
}

/// A new layer of a bidirectional search.
#[derive(Default)]
struct Grown {
    /// The layer stopped at its first meeting: `layer` and `meeting` are incomplete.
    stopped: bool,
    layer: Vec<NodeIndex>,
    /// The layer's nodes the other side has reached.
    meeting: Vec<NodeIndex>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::oracle::{build, closed, plain, shortest};
    use crate::model::{Openness, RelationKind};

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
