//! A part of the projection as a projection of its own: what a scoped ranking is computed over
//! ("centrality as the ICANN diagram states it", "in 2013", "around NETmundial"), so that every
//! whole-graph measure applies to it unchanged.

use super::{Filter, NodeIndex, Projection};

impl Projection {
    /// The projection of `nodes` and the relations between them that `filter` lets through
    /// (its direction and node conditions aside: the caller chose the nodes). Nodes keep their
    /// ids and data, relations all they hold; nodes are added in id order, as a build adds them.
    pub fn part(&self, nodes: &[NodeIndex], filter: &Filter) -> Projection {
        let mut chosen = vec![false; self.node_bound()];
        for &n in nodes {
            chosen[n.index()] = true;
        }
        let edges = nodes
            .iter()
            .flat_map(|&n| self.outgoing(n).iter())
            .filter(|&&(e, target)| chosen[target.index()] && filter.edge_passes(self.edge_data(e)))
            .map(|&(e, _)| e)
            .collect();
        self.rebuilt(nodes.to_vec(), edges)
    }
}

#[cfg(test)]
mod tests {
    use super::super::oracle::{build, plain};
    use super::*;
    use crate::model::RelationKind;

    #[test]
    fn a_part_is_the_projection_built_from_its_nodes_and_kept_relations() {
        let whole = build(
            &[("e", plain())],
            &[
                ("a", "p", "b"),
                ("b", "influenced", "c"),
                ("c", "p", "a"),
                ("c", "p", "d"),
                ("a", "q", "b"),
            ],
        );
        let nodes: Vec<NodeIndex> = ["c", "a", "b", "a"].iter().map(|id| whole.node(id).unwrap()).collect();
        let direct = Filter {
            kinds: Some(vec![RelationKind::Direct]),
            ..Filter::default()
        };
        let part = whole.part(&nodes, &direct);
        let expected = build(&[], &[("a", "p", "b"), ("a", "q", "b"), ("c", "p", "a")]);
        assert_eq!(format!("{part:?}"), format!("{expected:?}"));
        assert_eq!(whole.part(&[], &Filter::default()).node_count(), 0);
    }
}
