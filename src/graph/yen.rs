//! The k shortest loopless paths, by Yen's algorithm, in the tie order of the module `graph`.
//!
//! Yen's partition argument stays exact for the tie order: the next path `P` shares its longest
//! accepted prefix (the root) with some accepted path, and when the last accepted path with that
//! root was expanded, the spur search from the root's end (root nodes and the relations the
//! accepted paths take there removed, temporal state and hop budget left by the root) returned
//! the first spur in the tie order, which is no later than `P`'s own spur. Root plus spur is then
//! no later than `P`, since paths sharing a root compare as their spurs do.
//!
//! Lawler's refinement keeps that argument: a path's spurs are searched only from the node where
//! it left the path it was found from (its deviation) onwards. Let `j` be the root's last
//! position and, for each relation the accepted paths with this root take at `j`, `Q_e` the
//! first accepted path taking it. `Q_e` deviates at or before `j` (otherwise the path it was
//! found from would share the root and that relation, and was accepted earlier), so the last of
//! the `Q_e` to be accepted was expanded at `j`, with every one of those relations blocked.
//!
//! Folding parallel relations ([`Parallel::Fold`]) runs the same algorithm on the graph where the
//! relations a search may walk from one node straight to another are a single link: a spur
//! blocks every relation from the spur node to the next node of the paths sharing its root,
//! rather than the one relation each took. Whether a path is allowed depends only on its node
//! sequence once each hop has one relation the filter allows (nodes, time and hops are
//! properties of the sequence), and the first path a search returns takes the smallest such
//! relation at every hop; so every path found is its sequence's first in the tie order, paths
//! through the same nodes up to a spur also take the same relations there (the root test need
//! not change), and both arguments above hold link for link.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::constraints::Constraints;
use super::filter::NO_DATE;
use super::{Filter, GraphPath, NodeIndex, Projection};

/// What the k shortest paths make of relations that join the same two nodes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Parallel {
    /// One path per node sequence: of the paths through the same nodes in the same order, only
    /// the first in the tie order (the smallest relation id at every hop).
    #[default]
    Fold,
    /// Every choice of relations its own path.
    Expand,
}

/// A path's position in the tie order: hops, then node ranks, then relation ranks.
type OrderKey = (usize, Vec<super::Rank>, Vec<super::Rank>);

impl Projection {
    /// Up to `k` simple paths from `from` to `to`, shortest first, ties in the tie order; fewer
    /// when fewer exist within the filter. The filter applies as in [`Projection::shortest_path`].
    /// With [`Parallel::Fold`], paths through the same nodes in the same order count once.
    pub fn k_shortest_paths(
        &self,
        from: NodeIndex,
        to: NodeIndex,
        k: usize,
        filter: &Filter,
        parallel: Parallel,
    ) -> Vec<GraphPath> {
        let base = Constraints::new(filter);
        let Some(first) = (k > 0).then(|| self.first_path(from, to, &base)).flatten() else {
            return Vec::new();
        };
        let mut accepted = vec![first];
        // Where each accepted path left the one it was found from (0 for the first path).
        let mut deviations = vec![0];
        let mut candidates: BTreeMap<OrderKey, (GraphPath, usize)> = BTreeMap::new();
        while accepted.len() < k {
            if let (Some(last), Some(&deviation)) = (accepted.last(), deviations.last()) {
                // The spur searches of one path are independent: they run side by side, and
                // their candidates are kept in spur order, as a sequential loop would.
                let spurs: Vec<(usize, GraphPath)> = (deviation..last.hops())
                    .into_par_iter()
                    .filter_map(|spur| Some((spur, self.spur_candidate(&accepted, last, spur, filter, parallel)?)))
                    .collect();
                for (spur, candidate) in spurs {
                    candidates
                        .entry(self.order_key(&candidate))
                        .or_insert((candidate, spur));
                }
            }
            let Some((_, (next, deviation))) = candidates.pop_first() else {
                break;
            };
            accepted.push(next);
            deviations.push(deviation);
        }
        accepted
    }

    /// `last`'s first `spur` relations followed by the first spur path from its node `spur`.
    fn spur_candidate(
        &self,
        accepted: &[GraphPath],
        last: &GraphPath,
        spur: usize,
        filter: &Filter,
        parallel: Parallel,
    ) -> Option<GraphPath> {
        let root_nodes = &last.nodes[..=spur];
        let root_edges = &last.edges[..spur];
        let mut c = Constraints::new(filter);
        c.block_nodes(root_nodes[..spur].iter().copied());
        // Only the spur node's relations are blocked; a simple spur path touches the spur node
        // through its first relation only, so blocking them everywhere changes nothing.
        let same_root = accepted
            .iter()
            .filter(|path| path.nodes.get(..=spur) == Some(root_nodes) && path.edges.get(..spur) == Some(root_edges));
        let blocked: Vec<_> = match parallel {
            Parallel::Expand => same_root.filter_map(|path| path.edges.get(spur).copied()).collect(),
            Parallel::Fold => {
                let unblocked = Constraints::new(filter);
                same_root
                    .filter_map(|path| path.nodes.get(spur + 1))
                    .flat_map(|&next| self.links(root_nodes[spur], next, &unblocked))
                    .collect()
            }
        };
        c.block_edges(blocked);
        c.state = root_nodes
            .iter()
            .try_fold(NO_DATE, |state, &n| filter.advance(state, self.node_data(n)))?;
        c.max_hops = filter.max_hops.map(|max| max.saturating_sub(spur));
        let tail = self.first_path(root_nodes[spur], *last.nodes.last()?, &c)?;
        let mut nodes = root_nodes.to_vec();
        nodes.extend_from_slice(tail.nodes.get(1..)?);
        let mut edges = root_edges.to_vec();
        edges.extend_from_slice(&tail.edges);
        Some(GraphPath { nodes, edges })
    }

    fn order_key(&self, path: &GraphPath) -> OrderKey {
        (
            path.hops(),
            path.nodes.iter().map(|&n| self.rank(n)).collect(),
            path.edges.iter().map(|&e| self.edge_rank(e)).collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::graph::oracle::{all_paths, build, first_per_sequence, hop_relations, ids, on, plain};
    use crate::graph::{Direction, Filter, Parallel, Projection};

    /// The k shortest paths as ids, every choice of relations its own path; the folded ones are
    /// checked against brute force on the way.
    fn k_shortest<'p>(
        projection: &'p Projection,
        from: &str,
        to: &str,
        k: usize,
        filter: &Filter,
    ) -> Vec<Vec<&'p str>> {
        k_shortest_in(projection, from, to, k, filter, Parallel::Expand)
    }

    fn k_shortest_in<'p>(
        projection: &'p Projection,
        from: &str,
        to: &str,
        k: usize,
        filter: &Filter,
        parallel: Parallel,
    ) -> Vec<Vec<&'p str>> {
        let (from, to) = (projection.node(from).unwrap(), projection.node(to).unwrap());
        let all = all_paths(projection, from, to, filter);
        for mode in [Parallel::Expand, Parallel::Fold] {
            let paths = projection.k_shortest_paths(from, to, k, filter, mode);
            let mut expected = match mode {
                Parallel::Expand => all.clone(),
                Parallel::Fold => first_per_sequence(all.clone()),
            };
            expected.truncate(k);
            assert_eq!(paths, expected, "{mode:?} against brute force");
        }
        let paths = projection.k_shortest_paths(from, to, k, filter, parallel);
        paths.iter().map(|path| ids(projection, path)).collect()
    }

    /// The relation ids each hop of the first folded path may take.
    fn first_hops<'p>(projection: &'p Projection, from: &str, to: &str, filter: &Filter) -> Vec<Vec<&'p str>> {
        let (from, to) = (projection.node(from).unwrap(), projection.node(to).unwrap());
        let paths = projection.k_shortest_paths(from, to, 1, filter, Parallel::Fold);
        let hops: Vec<Vec<&str>> = paths[0]
            .nodes
            .windows(2)
            .map(|hop| {
                let relations = projection.parallel_relations(hop[0], hop[1], filter);
                relations.into_iter().map(|e| projection.relation_id(e)).collect()
            })
            .collect();
        assert_eq!(
            hops,
            hop_relations(projection, &paths[0], &all_paths(projection, from, to, filter))
        );
        hops
    }

    #[test]
    fn a_diamond_lists_its_paths_in_tie_order() {
        let diamond = build(
            &[],
            &[
                ("s", "p", "b"),
                ("s", "p", "a"),
                ("b", "p", "t"),
                ("a", "p", "t"),
                ("a", "q", "t"),
                ("s", "p", "t"),
            ],
        );
        let filter = Filter::default();
        let paths = k_shortest(&diamond, "s", "t", 10, &filter);
        assert_eq!(
            paths,
            [
                vec!["s", "t"],
                vec!["s", "a", "t"],
                vec!["s", "a", "t"],
                vec!["s", "b", "t"]
            ]
        );
        assert_eq!(
            paths.len(),
            all_paths(
                &diamond,
                diamond.node("s").unwrap(),
                diamond.node("t").unwrap(),
                &filter
            )
            .len()
        );
        assert_eq!(k_shortest(&diamond, "s", "t", 2, &filter).len(), 2);
        assert!(k_shortest(&diamond, "s", "t", 0, &filter).is_empty());
        assert_eq!(k_shortest(&diamond, "s", "s", 3, &filter), [vec!["s"]]);
    }

    #[test]
    fn folding_lists_each_node_sequence_once_with_its_smallest_relations() {
        // a and t are joined three ways (q is walked back against its direction), b twice.
        let graph = build(
            &[],
            &[
                ("s", "p", "a"),
                ("s", "r", "a"),
                ("a", "p", "t"),
                ("t", "q", "a"),
                ("a", "kept-apart", "t"),
                ("s", "p", "b"),
                ("b", "p", "t"),
            ],
        );
        let filter = Filter::default();
        let fold = |k| k_shortest_in(&graph, "s", "t", k, &filter, Parallel::Fold);
        assert_eq!(fold(10), [vec!["s", "a", "t"], vec!["s", "b", "t"]]);
        assert_eq!(fold(1), [vec!["s", "a", "t"]]);
        assert_eq!(
            k_shortest(&graph, "s", "t", 10, &filter).len(),
            7,
            "2 × 3 through a, 1 through b"
        );
        assert_eq!(
            first_hops(&graph, "s", "t", &filter),
            [
                vec!["s--p--a", "s--r--a"],
                vec!["a--kept-apart--t", "a--p--t", "t--q--a"]
            ]
        );
        // Downstream, q cannot be walked back; the symmetric relation still can.
        let out = Filter {
            direction: Direction::Out,
            ..Filter::default()
        };
        assert_eq!(
            first_hops(&graph, "s", "t", &out),
            [vec!["s--p--a", "s--r--a"], vec!["a--kept-apart--t", "a--p--t"]]
        );
        let direct = Filter {
            kinds: Some(vec![crate::model::RelationKind::Indirect]),
            ..Filter::default()
        };
        assert!(k_shortest_in(&graph, "s", "t", 10, &direct, Parallel::Fold).is_empty());
    }

    #[test]
    fn a_dense_multigraph_matches_brute_force_under_every_mode() {
        let mut edges = Vec::new();
        let names = ["a", "b", "c", "d", "e", "f"];
        for (i, from) in names.iter().enumerate() {
            for to in &names[i + 1..] {
                edges.push((*from, "p", *to));
            }
        }
        edges.extend([("b", "q", "a"), ("e", "influenced", "c"), ("d", "q", "f")]);
        let nodes = [
            ("b", on("2012")),
            ("c", on("2011")),
            ("d", on("2013-06")),
            ("e", plain()),
            ("f", on("2013")),
        ];
        let graph = build(&nodes, &edges);
        for direction in [Direction::Both, Direction::Out, Direction::In] {
            for temporal in [false, true] {
                for max_hops in [None, Some(2), Some(3)] {
                    let filter = Filter {
                        direction,
                        temporal,
                        max_hops,
                        ..Filter::default()
                    };
                    k_shortest(&graph, "a", "f", 40, &filter);
                    k_shortest(&graph, "f", "b", 40, &filter);
                }
            }
        }
    }

    #[test]
    fn spurs_inherit_the_time_of_their_root() {
        // The second path must not reach z through `late` after passing 2012 at `b`.
        let graph = build(
            &[
                ("a", plain()),
                ("b", on("2012")),
                ("c", plain()),
                ("late", on("2010")),
                ("z", plain()),
            ],
            &[
                ("a", "p", "b"),
                ("b", "p", "c"),
                ("c", "p", "z"),
                ("b", "p", "late"),
                ("late", "p", "z"),
                ("a", "p", "late"),
            ],
        );
        let filter = Filter {
            temporal: true,
            direction: Direction::Out,
            ..Filter::default()
        };
        assert_eq!(
            k_shortest(&graph, "a", "z", 5, &filter),
            [vec!["a", "late", "z"], vec!["a", "b", "c", "z"]]
        );
    }
}
