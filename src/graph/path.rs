//! Shortest paths: the bidirectional BFS used when time does not matter (the constraints a search
//! runs under are in `constraints`). Time-respecting searches are in `temporal`. Every search
//! returns the first shortest path in the tie order of the module `graph`.

use super::constraints::{Constraints, Linking};
use super::marks::NodeMarks;
use super::{EdgeIndex, Filter, GraphPath, NodeIndex, Projection, Step, temporal};

impl Projection {
    /// The first shortest path from `from` to `to` in the tie order, or `None` when there is none
    /// within the filter (an endpoint failing the node filters gives none). With `temporal` the
    /// path respects time (see `filter`); otherwise a bidirectional BFS finds it.
    pub fn shortest_path(&self, from: NodeIndex, to: NodeIndex, filter: &Filter) -> Option<GraphPath> {
        self.first_path(from, to, &Constraints::new(filter))
    }

    /// As [`Self::shortest_path`], unless the search would walk more than `work` relations:
    /// then `Err(GaveUp)`, after about that much work. A temporal search is not bounded.
    pub fn path_within(
        &self,
        from: NodeIndex,
        to: NodeIndex,
        filter: &Filter,
        work: usize,
    ) -> Result<Option<GraphPath>, GaveUp> {
        let c = Constraints::new(filter).within(work);
        let path = self.first_path(from, to, &c);
        if c.gave_up() { Err(GaveUp) } else { Ok(path) }
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
        let mut forward = self.side(from, false);
        let mut backward = self.side(to, true);
        let meeting = self.meet(&mut forward, &mut backward, c)?;
        let good = self.good_nodes(&forward, meeting, c);
        let shortest = Shortest {
            meet_at: forward.depth,
            length: forward.depth + backward.depth,
            good: &good,
            backward: &backward,
        };
        self.walk(from, to, &shortest, c)
    }

    /// One side of the search, at depth 0: only `root` reached.
    fn side(&self, root: NodeIndex, backward: bool) -> Side {
        let mut marks = NodeMarks::new(self.node_bound());
        marks.set(root, 0);
        Side {
            layers: vec![vec![root]],
            marks,
            cost: self.layer_cost(&[root]),
            depth: 0,
            backward,
        }
    }

    /// Grows the cheaper side a layer at a time until the two meet: the nodes where they meet,
    /// or `None` when they cannot within the filter.
    fn meet(&self, forward: &mut Side, backward: &mut Side, c: &Constraints<'_>) -> Option<Vec<NodeIndex>> {
        loop {
            // Without a meeting so far, every path is longer than the two depths together.
            if c.max_hops
                .is_some_and(|max| (forward.depth + backward.depth) as usize >= max)
            {
                return None;
            }
            let grew = if forward.cost.work <= backward.cost.work {
                self.grow(forward, backward, c)
            } else {
                self.grow(backward, forward, c)
            };
            match grew {
                Grew::Layer => {}
                Grew::Met(meeting) => return Some(meeting),
                Grew::DeadEnd => return None,
            }
        }
    }

    /// Takes `side` one layer deeper: a new layer, or the nodes of `other`'s last layer where
    /// the two meet.
    fn grow(&self, side: &mut Side, other: &Side, c: &Constraints<'_>) -> Grew {
        side.depth += 1;
        // If the searches meet in this layer, they meet at nodes of the other side's last
        // layer (complete) that this frontier links to, which binary search may find for
        // less than the expansion walks: near hubs, often far less. Whether they meet is not
        // known beforehand, so the search is tried first only when it costs at most half the
        // expansion, which bounds what a miss wastes.
        let search_cost = Self::link_cost(&side.cost, &other.cost);
        if c.linking.searches(search_cost.saturating_mul(2), side.cost.work) {
            let meeting = self.meeting_nodes(side.frontier(), other.frontier(), !side.backward, c);
            if !meeting.is_empty() {
                return Grew::Met(meeting);
            }
        }
        // Once the searches meet, the rest of this layer only serves to find the other
        // meeting nodes, which binary search may find for less.
        let stop = Stop {
            work: side.cost.work,
            search_cost,
            linking: c.linking,
        };
        let grown = self.expand(side, &other.marks, c, &stop);
        if grown.stopped {
            return Grew::Met(self.meeting_nodes(side.frontier(), other.frontier(), !side.backward, c));
        }
        if grown.layer.is_empty() {
            return Grew::DeadEnd;
        }
        if !grown.meeting.is_empty() {
            return Grew::Met(grown.meeting);
        }
        // Only now: the layer where the searches meet is the largest, and needs no sum.
        side.cost = self.layer_cost(&grown.layer);
        side.layers.push(grown.layer);
        Grew::Layer
    }

    /// The forward nodes on a shortest path, from the meeting nodes at the forward side's depth
    /// back to `from` at depth 0.
    fn good_nodes(&self, forward: &Side, meeting: Vec<NodeIndex>, c: &Constraints<'_>) -> Good {
        let meet_at = forward.depth;
        let mut good = Good {
            marks: NodeMarks::new(self.node_bound()),
            layers: vec![Vec::new(); meet_at as usize + 1],
        };
        for &n in &meeting {
            good.marks.set(n, meet_at);
        }
        good.layers[meet_at as usize] = meeting;
        for depth in (0..meet_at as usize).rev() {
            let found = self.good_at(depth, forward, &mut good, c);
            for &n in &found {
                good.marks.set(n, depth as u32);
            }
            good.layers[depth] = found;
        }
        good
    }

    /// The forward nodes at `depth` that link to a good node one deeper, found the cheapest way.
    fn good_at(&self, depth: usize, forward: &Side, good: &mut Good, c: &Constraints<'_>) -> Vec<NodeIndex> {
        let (here, above) = (&forward.layers[depth], &good.layers[depth + 1]);
        let (here_cost, above_cost) = (self.layer_cost(here), self.layer_cost(above));
        let search_cost = Self::link_cost(&here_cost, &above_cost);
        let scan_cost = here_cost.work.min(above_cost.work);
        if c.linking.searches(search_cost, scan_cost) {
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
                    self.steps(n, c.filter.direction, false)
                        .any(|(e, m)| good.marks.get(m) == above_depth && self.allowed(c, e, m))
                })
                .collect()
        } else {
            self.good_below(above, depth as u32, &forward.marks, &mut good.marks, c)
        }
    }

    /// The forward nodes at `depth` that the good nodes `above` are reached from, walking their
    /// relations backwards; each is marked good as found, so that it is listed once.
    fn good_below(
        &self,
        above: &[NodeIndex],
        depth: u32,
        forward: &NodeMarks,
        good: &mut NodeMarks,
        c: &Constraints<'_>,
    ) -> Vec<NodeIndex> {
        let mut found = Vec::new();
        for &m in above {
            for (e, n) in self.steps(m, c.filter.direction, true) {
                if forward.get(n) == depth && !good.is_set(n) && self.allowed(c, e, m) {
                    good.set(n, depth);
                    found.push(n);
                }
            }
        }
        found
    }

    /// The first shortest path in the tie order: from `from`, at each position the smallest
    /// next node on a shortest path, then the smallest relation to it.
    fn walk(&self, from: NodeIndex, to: NodeIndex, shortest: &Shortest<'_>, c: &Constraints<'_>) -> Option<GraphPath> {
        let mut path = GraphPath::single(from);
        let mut current = from;
        for position in 1..=shortest.length {
            let (edge, next) = self.next_step(current, position, shortest, c)?;
            path.nodes.push(next);
            path.edges.push(edge);
            current = next;
        }
        (current == to).then_some(path)
    }

    /// The smallest step from `current` to a node of a shortest path at `position`.
    fn next_step(
        &self,
        current: NodeIndex,
        position: u32,
        shortest: &Shortest<'_>,
        c: &Constraints<'_>,
    ) -> Option<(EdgeIndex, NodeIndex)> {
        let candidates = shortest.candidates(position);
        let current_cost = self.layer_cost(&[current]);
        // The candidates may be a whole layer of the backward search: reading their degrees
        // would cost what the search saves, and with one node on this side it needs none.
        let search_cost = Self::link_cost(&current_cost, &LayerCost::unmeasured(candidates.len()));
        if c.linking.searches(search_cost, current_cost.work) {
            candidates
                .iter()
                .flat_map(|&next| self.links(current, next, c).map(move |e| (e, next)))
                .min_by_key(|&(e, next)| (self.rank(next), self.edge_rank(e)))
        } else {
            self.steps(current, c.filter.direction, false)
                .filter(|&(e, next)| shortest.holds(next, position) && self.allowed(c, e, next))
                .min_by_key(|&(e, next)| (self.rank(next), self.edge_rank(e)))
        }
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

    /// Every relation a search under `filter` may walk from `n` straight to `m` (the relations a
    /// path folds into one hop, see [`super::Parallel`]), in relation id order: none when `m`
    /// fails the filter.
    pub fn parallel_relations(&self, n: NodeIndex, m: NodeIndex, filter: &Filter) -> Vec<EdgeIndex> {
        if !self.contains(n) || !self.contains(m) {
            return Vec::new();
        }
        let mut relations: Vec<EdgeIndex> = self.links(n, m, &Constraints::new(filter)).collect();
        relations.sort_unstable_by_key(|&e| self.edge_rank(e));
        relations
    }

    /// The relations a search may take from `n` straight to `m` (in the search's direction),
    /// in the order of `n`'s run.
    pub(super) fn links<'a>(
        &'a self,
        n: NodeIndex,
        m: NodeIndex,
        c: &'a Constraints<'_>,
    ) -> impl Iterator<Item = EdgeIndex> + 'a {
        // A relation from n to m is in n's outgoing run under m and in m's incoming run under n
        // (the other way round for relations against the direction): searching the shorter run
        // finds the same relations in the same order, and a hub's run is left alone.
        // Seen from m, a step of the search from n is a step backwards: m's runs swap roles.
        let ((along, against, symmetric_only), other) = if self.degree(m) < self.degree(n) {
            (self.oriented(m, c.filter.direction, true), n)
        } else {
            (self.oriented(n, c.filter.direction, false), m)
        };
        let under = move |run: &'a [Step]| {
            let first = run.partition_point(|&(_, at)| at < other);
            run[first..].iter().take_while(move |&&(_, at)| at == other)
        };
        under(along)
            .chain(under(against).filter(move |&&(e, _)| !symmetric_only || self.is_symmetric(e)))
            .filter(move |&&(e, _)| self.allowed(c, e, m))
            .map(|&(e, _)| e)
    }

    /// Reaches the nodes one step beyond `side`'s frontier, marking them with its depth, and
    /// notes the ones `other` has reached (where the searches meet). A node already reached is
    /// skipped before the filters are asked: on a large graph most steps lead to one.
    fn expand(&self, side: &mut Side, other: &NodeMarks, c: &Constraints<'_>, stop: &Stop) -> Grown {
        let frontier = side.layers.last().map_or(&[][..], Vec::as_slice);
        let mut grown = Grown::default();
        let mut walked = 0;
        for &n in frontier {
            if !c.charge(self.degree(n)) {
                // Given up: an empty layer ends the search, which reports it gave up.
                return Grown::default();
            }
            let met_before = !grown.meeting.is_empty();
            for (e, next) in self.steps(n, c.filter.direction, side.backward) {
                if !side.marks.is_set(next) && self.allowed(c, e, next) {
                    side.marks.set(next, side.depth);
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

/// A bounded search ([`Projection::path_within`]) reached its budget before an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GaveUp;

/// One side of a bidirectional search.
struct Side {
    /// The nodes first reached at each depth; the last layer is the frontier.
    layers: Vec<Vec<NodeIndex>>,
    /// The depth each reached node was reached at.
    marks: NodeMarks,
    /// What the frontier costs to expand, and to search for links in.
    cost: LayerCost,
    /// The depth of the newest layer (during a step, of the one being grown).
    depth: u32,
    /// Whether the side walks relations against their direction (from `to`).
    backward: bool,
}

impl Side {
    fn frontier(&self) -> &[NodeIndex] {
        self.layers.last().map_or(&[][..], Vec::as_slice)
    }
}

/// What growing a side by a layer came to.
enum Grew {
    Layer,
    Met(Vec<NodeIndex>),
    /// Nothing new was reached: no path.
    DeadEnd,
}

/// The forward nodes on a shortest path ("good"), by depth; a good node's mark is its depth.
struct Good {
    layers: Vec<Vec<NodeIndex>>,
    marks: NodeMarks,
}

/// Where the nodes of shortest paths are once the searches have met: the good forward nodes up
/// to the meeting depth, and beyond it the backward nodes at the distance left to `to` (a step
/// from a node of a shortest path to one of them stays on a shortest path).
struct Shortest<'s> {
    meet_at: u32,
    length: u32,
    good: &'s Good,
    backward: &'s Side,
}

impl Shortest<'_> {
    fn candidates(&self, position: u32) -> &[NodeIndex] {
        if position <= self.meet_at {
            &self.good.layers[position as usize]
        } else {
            &self.backward.layers[(self.length - position) as usize]
        }
    }

    fn holds(&self, n: NodeIndex, position: u32) -> bool {
        if position <= self.meet_at {
            self.good.marks.get(n) == position
        } else {
            self.backward.marks.get(n) == self.length - position
        }
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
    use crate::graph::Direction;
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
            direction: Direction::Out,
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
            direction: Direction::Out,
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
            direction: Direction::Out,
            ..Filter::default()
        };
        assert_eq!(relations(&graph, "b", "a", &directed), ["b--p--a"]);
        assert_eq!(relations(&graph, "a", "b", &directed), ["a--q--b"]);
    }

    #[test]
    fn upstream_walks_relations_backwards_and_symmetric_ones_either_way() {
        // a feeds b feeds c; d is kept apart from c (symmetric), e from d (stored e -> d).
        let graph = build(
            &[],
            &[
                ("a", "p", "b"),
                ("b", "p", "c"),
                ("d", "kept-apart", "c"),
                ("d", "kept-apart", "e"),
            ],
        );
        let towards = |direction| Filter {
            direction,
            ..Filter::default()
        };
        let (out, upstream) = (towards(Direction::Out), towards(Direction::In));
        assert_eq!(shortest(&graph, "a", "c", &out).unwrap(), ["a", "b", "c"]);
        assert_eq!(shortest(&graph, "c", "a", &out), None);
        assert_eq!(shortest(&graph, "c", "a", &upstream).unwrap(), ["c", "b", "a"]);
        assert_eq!(shortest(&graph, "a", "c", &upstream), None);
        // The symmetric relations are no flow: either way, whatever the direction.
        for filter in [&out, &upstream] {
            assert_eq!(shortest(&graph, "c", "e", filter).unwrap(), ["c", "d", "e"]);
            assert_eq!(shortest(&graph, "e", "c", filter).unwrap(), ["e", "d", "c"]);
        }
        assert_eq!(shortest(&graph, "a", "e", &out).unwrap(), ["a", "b", "c", "d", "e"]);
        assert_eq!(
            shortest(&graph, "e", "a", &upstream).unwrap(),
            ["e", "d", "c", "b", "a"]
        );
        assert_eq!(shortest(&graph, "e", "a", &out), None);
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
    fn a_bounded_search_gives_up_past_its_budget_and_only_then() {
        // A line of 20: each side walks one relation per step before they meet in the middle.
        let ids: Vec<String> = (0..20).map(|i| format!("n{i:02}")).collect();
        let edges: Vec<(&str, &str, &str)> = ids.windows(2).map(|w| (w[0].as_str(), "p", w[1].as_str())).collect();
        let line = build(&[], &edges);
        let (from, to) = (line.node("n00").unwrap(), line.node("n19").unwrap());
        let filter = Filter::default();
        let full = line.shortest_path(from, to, &filter);
        assert_eq!(full.as_ref().map(|path| path.edges.len()), Some(19));
        assert_eq!(line.path_within(from, to, &filter, 5), Err(GaveUp));
        assert_eq!(line.path_within(from, to, &filter, 1_000), Ok(full));
        // No path, found within the budget, is an answer too.
        let apart = build(&[], &[("a", "p", "b"), ("c", "p", "d")]);
        let (a, d) = (apart.node("a").unwrap(), apart.node("d").unwrap());
        assert_eq!(apart.path_within(a, d, &filter, 1_000), Ok(None));
    }

    #[test]
    fn a_stale_index_gives_no_path() {
        let line = build(&[], &[("a", "p", "b")]);
        let a = line.node("a").unwrap();
        assert_eq!(line.shortest_path(a, NodeIndex::new(7), &Filter::default()), None);
    }
}
