//! Whole-graph measures: degree, PageRank, betweenness, closeness, articulation points (brokers)
//! and weakly connected components. Vectors of scores are indexed by `NodeIndex::index()`.

use std::collections::VecDeque;

use super::{Direction, NodeIndex, Projection};

impl Projection {
    /// Incoming plus outgoing relations, parallel ones each counted.
    pub fn degree(&self, n: NodeIndex) -> usize {
        if !self.contains(n) {
            return 0;
        }
        let (outgoing, incoming) = self.runs(n);
        outgoing.len() + incoming.len()
    }

    /// PageRank along relation directions, starting uniform. Each relation carries an equal share
    /// of its source's rank (parallel relations each carry one); the rank of nodes without
    /// outgoing relations is spread over all nodes, so the scores always sum to 1. `damping` is
    /// clamped to `[0, 1]`; 0.85 is the usual choice.
    pub fn pagerank(&self, damping: f64, iterations: usize) -> Vec<f64> {
        let count = self.node_count();
        if count == 0 {
            return Vec::new();
        }
        let damping = damping.clamp(0.0, 1.0);
        let share = 1.0 / count as f64;
        // Indexed by node; a removed node's entry stays 0 and counts for nothing.
        let live: Vec<NodeIndex> = self.nodes().collect();
        let mut out = vec![0_usize; self.node_bound()];
        for &n in &live {
            out[n.index()] = self.outgoing(n).len();
        }
        let mut rank = vec![0.0; self.node_bound()];
        for &n in &live {
            rank[n.index()] = share;
        }
        for _ in 0..iterations {
            let dangling: f64 = live
                .iter()
                .filter(|n| out[n.index()] == 0)
                .map(|n| rank[n.index()])
                .sum();
            let mut next = vec![0.0; self.node_bound()];
            for &n in &live {
                next[n.index()] = (1.0 - damping) * share + damping * dangling * share;
            }
            for edge in self.edges() {
                let (source, target) = self.endpoints(edge);
                let source = source.index();
                next[target.index()] += damping * rank[source] / out[source] as f64;
            }
            rank = next;
        }
        rank
    }

    /// Brandes' betweenness on the undirected simple graph underneath (directions ignored,
    /// parallel relations counted once), normalised by `(n - 1)(n - 2) / 2`, the number of pairs
    /// a node could lie between, so that the centre of a star scores 1.
    pub fn betweenness(&self) -> Vec<f64> {
        let count = self.node_bound();
        let neighbours = self.undirected_neighbours();
        let mut score = vec![0.0; count];
        let mut order = Vec::with_capacity(count);
        let mut queue = VecDeque::new();
        for source in self.nodes().map(NodeIndex::index) {
            let mut predecessors: Vec<Vec<usize>> = vec![Vec::new(); count];
            let mut paths = vec![0.0_f64; count];
            let mut distance = vec![usize::MAX; count];
            paths[source] = 1.0;
            distance[source] = 0;
            order.clear();
            queue.push_back(source);
            while let Some(n) = queue.pop_front() {
                order.push(n);
                for &next in &neighbours[n] {
                    if distance[next] == usize::MAX {
                        distance[next] = distance[n] + 1;
                        queue.push_back(next);
                    }
                    if distance[next] == distance[n] + 1 {
                        paths[next] += paths[n];
                        predecessors[next].push(n);
                    }
                }
            }
            let mut dependency = vec![0.0_f64; count];
            for &n in order.iter().rev() {
                for &before in &predecessors[n] {
                    dependency[before] += paths[before] / paths[n] * (1.0 + dependency[n]);
                }
                if n != source {
                    score[n] += dependency[n];
                }
            }
        }
        // Each unordered pair was counted from both ends.
        let count = self.node_count();
        let pairs = if count > 2 {
            ((count - 1) * (count - 2)) as f64
        } else {
            1.0
        };
        score.iter().map(|total| total / pairs).collect()
    }

    /// Closeness on the undirected simple graph underneath, as networkx's `closeness_centrality`
    /// (with `wf_improved`): for a node reaching `r` other nodes at distances summing to `d`,
    /// `(r / d) * (r / (n - 1))` with `n` the number of nodes; 0 when it reaches none.
    pub fn closeness(&self) -> Vec<f64> {
        let neighbours = self.undirected_neighbours();
        let count = self.node_count();
        let mut score = vec![0.0; self.node_bound()];
        let mut distance = vec![usize::MAX; self.node_bound()];
        let mut queue = VecDeque::new();
        for source in self.nodes().map(NodeIndex::index) {
            let mut reached = Vec::new();
            distance[source] = 0;
            queue.push_back(source);
            let (mut others, mut total) = (0_usize, 0_usize);
            while let Some(n) = queue.pop_front() {
                reached.push(n);
                for &next in &neighbours[n] {
                    if distance[next] == usize::MAX {
                        distance[next] = distance[n] + 1;
                        others += 1;
                        total += distance[next];
                        queue.push_back(next);
                    }
                }
            }
            for n in reached {
                distance[n] = usize::MAX;
            }
            if total > 0 && count > 1 {
                let others = others as f64;
                score[source] = others / total as f64 * (others / (count - 1) as f64);
            }
        }
        score
    }

    /// The articulation points of the undirected simple graph underneath (nodes whose removal
    /// disconnects their component), each with how many nodes its removal cuts off from the
    /// largest part left of its component: `size - 1 - largest part`, so at least 1. Most
    /// separating first, ties by id.
    pub fn brokers(&self) -> Vec<(NodeIndex, usize)> {
        let neighbours = self.undirected_neighbours();
        let bound = self.node_bound();
        const UNSEEN: usize = usize::MAX;
        let mut discovered = vec![UNSEEN; bound];
        let mut low = vec![0_usize; bound];
        let mut below = vec![1_usize; bound];
        // For each node: the sizes of the subtrees its removal separates.
        let mut separated: Vec<Vec<usize>> = vec![Vec::new(); bound];
        let mut found = Vec::new();
        let mut clock = 0;
        for root in self.nodes().map(NodeIndex::index) {
            if discovered[root] != UNSEEN {
                continue;
            }
            let mut members = Vec::new();
            // Iterative depth-first search: (node, parent, next neighbour to look at).
            let mut stack = vec![(root, UNSEEN, 0_usize)];
            discovered[root] = clock;
            low[root] = clock;
            clock += 1;
            while let Some(top) = stack.last_mut() {
                let (n, parent, next) = *top;
                if let Some(&child) = neighbours[n].get(next) {
                    top.2 += 1;
                    if discovered[child] == UNSEEN {
                        discovered[child] = clock;
                        low[child] = clock;
                        clock += 1;
                        stack.push((child, n, 0));
                    } else if child != parent {
                        low[n] = low[n].min(discovered[child]);
                    }
                    continue;
                }
                stack.pop();
                members.push(n);
                if parent != UNSEEN {
                    low[parent] = low[parent].min(low[n]);
                    below[parent] += below[n];
                    if low[n] >= discovered[parent] {
                        separated[parent].push(below[n]);
                    }
                }
            }
            let size = members.len();
            for n in members {
                let pieces = &separated[n];
                // The root separates every subtree; any other node also leaves the part above it.
                let is_broker = if n == root {
                    pieces.len() > 1
                } else {
                    !pieces.is_empty()
                };
                if is_broker {
                    let above = size - 1 - pieces.iter().sum::<usize>();
                    let largest = pieces.iter().copied().max().unwrap_or(0).max(above);
                    found.push((NodeIndex::new(n), size - 1 - largest));
                }
            }
        }
        found.sort_by_key(|&(n, cut)| (std::cmp::Reverse(cut), self.rank(n)));
        found
    }

    /// Weakly connected components, largest first, ties by smallest node id; each component's
    /// nodes sorted by id.
    pub fn components(&self) -> Vec<Vec<NodeIndex>> {
        let neighbours = self.undirected_neighbours();
        let mut component = vec![usize::MAX; self.node_bound()];
        let mut components: Vec<Vec<NodeIndex>> = Vec::new();
        for start in self.nodes().map(NodeIndex::index) {
            if component[start] != usize::MAX {
                continue;
            }
            let id = components.len();
            component[start] = id;
            let mut members = vec![start];
            let mut next = 0;
            while let Some(&n) = members.get(next) {
                next += 1;
                for &neighbour in &neighbours[n] {
                    if component[neighbour] == usize::MAX {
                        component[neighbour] = id;
                        members.push(neighbour);
                    }
                }
            }
            let mut members: Vec<NodeIndex> = members.into_iter().map(NodeIndex::new).collect();
            members.sort_unstable_by_key(|&n| self.rank(n));
            components.push(members);
        }
        components.sort_by_key(|members| (std::cmp::Reverse(members.len()), members.first().map(|&n| self.rank(n))));
        components
    }

    /// Each node's distinct neighbours, either direction, by node index (none for a removed
    /// node).
    pub(super) fn undirected_neighbours(&self) -> Vec<Vec<usize>> {
        let mut neighbours = vec![Vec::new(); self.node_bound()];
        for n in self.nodes() {
            let mut next: Vec<usize> = self
                .steps(n, Direction::Both, false)
                .map(|(_, next)| next.index())
                .collect();
            next.sort_unstable();
            next.dedup();
            neighbours[n.index()] = next;
        }
        neighbours
    }
}

#[cfg(test)]
mod tests {
    use crate::graph::oracle::build;
    use crate::graph::{NodeIndex, Projection};

    fn close(actual: f64, expected: f64) -> bool {
        (actual - expected).abs() < 1e-9
    }

    fn star() -> Projection {
        build(
            &[],
            &[
                ("hub", "p", "a"),
                ("hub", "p", "b"),
                ("c", "p", "hub"),
                ("hub", "p", "d"),
                ("hub", "q", "d"),
            ],
        )
    }

    fn line() -> Projection {
        build(&[], &[("a", "p", "b"), ("b", "p", "c"), ("c", "p", "d")])
    }

    #[test]
    fn degree_counts_both_directions_and_parallel_relations() {
        let star = star();
        assert_eq!(star.degree(star.node("hub").unwrap()), 5);
        assert_eq!(star.degree(star.node("d").unwrap()), 2);
        assert_eq!(star.degree(NodeIndex::new(99)), 0);
    }

    #[test]
    fn betweenness_is_one_at_the_centre_of_a_star() {
        let star = star();
        let scores = star.betweenness();
        assert!(close(scores[star.node("hub").unwrap().index()], 1.0), "{scores:?}");
        assert!(close(scores[star.node("a").unwrap().index()], 0.0));
        let line = line();
        let scores = line.betweenness();
        let score = |id: &str| scores[line.node(id).unwrap().index()];
        assert!(close(score("a"), 0.0) && close(score("d"), 0.0));
        assert!(
            close(score("b"), 2.0 / 3.0) && close(score("c"), 2.0 / 3.0),
            "{scores:?}"
        );
    }

    #[test]
    fn pagerank_sums_to_one_and_flows_along_relations() {
        let line = line();
        let scores = line.pagerank(0.85, 50);
        assert!(close(scores.iter().sum(), 1.0), "{scores:?}");
        let score = |id: &str| scores[line.node(id).unwrap().index()];
        assert!(
            score("a") < score("b") && score("b") < score("c") && score("c") < score("d"),
            "{scores:?}"
        );
        let cycle = build(&[], &[("a", "p", "b"), ("b", "p", "c"), ("c", "p", "a")]);
        assert!(cycle.pagerank(0.85, 20).iter().all(|&score| close(score, 1.0 / 3.0)));
        assert!(build(&[], &[]).pagerank(0.85, 10).is_empty());
    }

    #[test]
    fn components_come_largest_first_then_by_smallest_id() {
        let graph = build(
            &[("lone", crate::graph::oracle::plain())],
            &[("z", "p", "y"), ("b", "p", "c"), ("m", "p", "n"), ("x", "p", "y")],
        );
        let components: Vec<Vec<&str>> = graph
            .components()
            .iter()
            .map(|members| members.iter().map(|&n| graph.node_id(n)).collect())
            .collect();
        assert_eq!(
            components,
            [vec!["x", "y", "z"], vec!["b", "c"], vec!["m", "n"], vec!["lone"]]
        );
    }

    #[test]
    fn closeness_is_networkx_s_with_its_scaling_for_parts() {
        let line = line();
        let scores = line.closeness();
        let score = |id: &str| scores[line.node(id).unwrap().index()];
        // networkx: a path of 4 gives 0.5 at the ends and 0.75 inside.
        assert!(close(score("a"), 0.5) && close(score("b"), 0.75), "{scores:?}");
        // Two parts: a-b and a lone node; a reaches 1 of 2 others at distance 1: 1 * 1/2.
        let parts = build(&[("lone", crate::graph::oracle::plain())], &[("a", "p", "b")]);
        let scores = parts.closeness();
        assert!(close(scores[parts.node("a").unwrap().index()], 0.5));
        assert!(close(scores[parts.node("lone").unwrap().index()], 0.0));
    }

    #[test]
    fn brokers_are_articulation_points_ranked_by_what_they_cut_off() {
        let line = line();
        let brokers: Vec<(&str, usize)> = line.brokers().iter().map(|&(n, cut)| (line.node_id(n), cut)).collect();
        assert_eq!(brokers, [("b", 1), ("c", 1)]);
        // hub joins a, b, c, d (d also by a second relation); x-y-z hang off c; a triangle has none.
        let graph = build(
            &[],
            &[
                ("hub", "p", "a"),
                ("hub", "p", "b"),
                ("c", "p", "hub"),
                ("hub", "p", "d"),
                ("hub", "q", "d"),
                ("c", "p", "x"),
                ("x", "p", "y"),
                ("y", "p", "z"),
                ("t1", "p", "t2"),
                ("t2", "p", "t3"),
                ("t3", "p", "t1"),
            ],
        );
        let brokers: Vec<(&str, usize)> = graph
            .brokers()
            .iter()
            .map(|&(n, cut)| (graph.node_id(n), cut))
            .collect();
        assert_eq!(brokers, [("c", 3), ("hub", 3), ("x", 2), ("y", 1)]);
    }
}
