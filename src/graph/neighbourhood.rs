//! The neighbourhood of a set of nodes: what a breadth-first search reaches within a depth, cut at
//! a node limit, with the relations among the nodes kept.

use super::{EdgeIndex, Filter, NodeIndex, Projection};

/// The nodes reached, in BFS order, and the relations between them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Neighbourhood {
    /// Roots first, then layer by layer; within a layer by node id.
    pub nodes: Vec<NodeIndex>,
    /// Every relation between two returned nodes that passes the kind filter, by relation id.
    pub edges: Vec<EdgeIndex>,
    /// Whether some node within `depth` was left out because of `limit`.
    pub truncated: bool,
}

impl Projection {
    /// A BFS from all `roots` at once, `depth` layers deep, along relations in the filter's
    /// direction (symmetric ones either way), using only the nodes and relations the filter lets through; its
    /// `temporal` and `max_hops` do not apply. Roots failing the node filters are left out. At
    /// most `limit` nodes are returned: a layer that does not fit whole is cut by node id.
    pub fn neighbourhood(&self, roots: &[NodeIndex], depth: usize, filter: &Filter, limit: usize) -> Neighbourhood {
        let usable = |n: NodeIndex| self.contains(n) && filter.node_passes(self.node_data(n));
        let mut member = vec![false; self.node_bound()];
        let mut nodes = Vec::new();
        let mut truncated = false;
        let mut layer: Vec<NodeIndex> = roots.iter().copied().filter(|&n| usable(n)).collect();
        for level in 0..=depth {
            layer.sort_unstable_by_key(|&n| self.rank(n));
            layer.dedup();
            let room = limit.saturating_sub(nodes.len());
            if layer.len() > room {
                layer.truncate(room);
                truncated = true;
            }
            for &n in &layer {
                member[n.index()] = true;
            }
            nodes.extend_from_slice(&layer);
            if truncated || level == depth {
                break;
            }
            layer = layer
                .iter()
                .flat_map(|&n| self.steps(n, filter.direction, false))
                .filter(|&(e, next)| !member[next.index()] && filter.edge_passes(self.edge_data(e)) && usable(next))
                .map(|(_, next)| next)
                .collect();
            if layer.is_empty() {
                break;
            }
        }

        let mut edges: Vec<EdgeIndex> = nodes
            .iter()
            .flat_map(|&n| self.outgoing(n).iter().copied())
            .filter(|&(e, next)| member[next.index()] && filter.edge_passes(self.edge_data(e)))
            .map(|(e, _)| e)
            .collect();
        edges.sort_unstable_by_key(|&e| self.edge_rank(e));
        Neighbourhood {
            nodes,
            edges,
            truncated,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::graph::oracle::{build, closed};
    use crate::graph::{Direction, Filter, Projection};
    use crate::model::RelationKind;

    fn around(
        projection: &Projection,
        roots: &[&str],
        depth: usize,
        filter: &Filter,
        limit: usize,
    ) -> (Vec<String>, Vec<String>, bool) {
        let roots: Vec<_> = roots.iter().map(|id| projection.node(id).unwrap()).collect();
        let found = projection.neighbourhood(&roots, depth, filter, limit);
        let nodes = found.nodes.iter().map(|&n| projection.node_id(n).to_owned()).collect();
        let edges = found
            .edges
            .iter()
            .map(|&e| projection.relation_id(e).to_owned())
            .collect();
        (nodes, edges, found.truncated)
    }

    fn graph() -> Projection {
        build(
            &[("shut", closed())],
            &[
                ("r", "p", "b"),
                ("a", "p", "r"),
                ("b", "p", "c"),
                ("a", "influenced", "c"),
                ("c", "p", "d"),
                ("r", "p", "shut"),
            ],
        )
    }

    #[test]
    fn layers_come_in_bfs_order_then_by_id() {
        let (nodes, edges, truncated) = around(&graph(), &["r"], 1, &Filter::default(), 10);
        assert_eq!(nodes, ["r", "a", "b", "shut"]);
        assert_eq!(edges, ["a--p--r", "r--p--b", "r--p--shut"]);
        assert!(!truncated);
        let (nodes, edges, _) = around(&graph(), &["r"], 2, &Filter::default(), 10);
        assert_eq!(nodes, ["r", "a", "b", "shut", "c"]);
        assert_eq!(
            edges,
            ["a--influenced--c", "a--p--r", "b--p--c", "r--p--b", "r--p--shut"]
        );
        let (nodes, _, _) = around(&graph(), &["r"], 0, &Filter::default(), 10);
        assert_eq!(nodes, ["r"]);
        let (nodes, _, _) = around(&graph(), &["d", "r", "d"], 1, &Filter::default(), 10);
        assert_eq!(nodes, ["d", "r", "a", "b", "c", "shut"], "roots first, deduplicated");
    }

    #[test]
    fn the_limit_cuts_a_layer_by_id_and_says_so() {
        let (nodes, edges, truncated) = around(&graph(), &["r"], 2, &Filter::default(), 3);
        assert_eq!(
            (nodes, truncated),
            (vec!["r".to_owned(), "a".to_owned(), "b".to_owned()], true)
        );
        assert_eq!(edges, ["a--p--r", "r--p--b"]);
        let (_, _, truncated) = around(&graph(), &["r"], 1, &Filter::default(), 4);
        assert!(!truncated, "everything within depth 1 fits");
        let (nodes, _, truncated) = around(&graph(), &["r"], 2, &Filter::default(), 4);
        assert_eq!((nodes.len(), truncated), (4, true), "c did not fit");
        let (nodes, _, truncated) = around(&graph(), &["r"], 3, &Filter::default(), 0);
        assert_eq!((nodes.len(), truncated), (0, true));
    }

    #[test]
    fn filters_and_direction_restrict_the_search() {
        let directed = Filter {
            direction: Direction::Out,
            ..Filter::default()
        };
        let (nodes, _, _) = around(&graph(), &["r"], 3, &directed, 10);
        assert_eq!(nodes, ["r", "b", "shut", "c", "d"]);
        let open = Filter {
            openness: Some(crate::model::Openness::Open),
            ..Filter::default()
        };
        let (nodes, _, _) = around(&graph(), &["r", "shut"], 1, &open, 10);
        assert_eq!(nodes, ["r", "a", "b"]);
        let direct = Filter {
            kinds: Some(vec![RelationKind::Direct]),
            ..Filter::default()
        };
        let (_, edges, _) = around(&graph(), &["a"], 2, &direct, 10);
        assert!(!edges.contains(&"a--influenced--c".to_owned()));
    }
}
