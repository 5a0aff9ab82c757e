//! A part of the projection as a projection of its own: what a scoped ranking is computed over
//! ("centrality as the ICANN diagram states it", "in 2013", "around NETmundial"), so that every
//! whole-graph measure applies to it unchanged.

use super::{EdgeFacts, Filter, NodeIndex, Projection, ProjectionBuilder};

impl Projection {
    /// The projection of `nodes` and the relations between them that `filter` lets through
    /// (its direction and node conditions aside: the caller chose the nodes). Nodes keep their
    /// ids and data, relations all they hold; nodes are added in id order, as a build adds them.
    pub fn part(&self, nodes: &[NodeIndex], filter: &Filter) -> Projection {
        let mut nodes = nodes.to_vec();
        nodes.sort_unstable_by_key(|&n| self.rank(n));
        nodes.dedup();
        let mut position = vec![usize::MAX; self.node_bound()];
        let mut builder = ProjectionBuilder::with_capacity(nodes.len(), nodes.len());
        builder.symmetric(self.symmetric_predicates());
        for (at, &n) in nodes.iter().enumerate() {
            position[n.index()] = at;
            builder.add_node(self.node_id(n), *self.node_data(n));
        }
        let mut edges: Vec<_> = nodes
            .iter()
            .flat_map(|&n| self.outgoing(n).iter().map(|&(e, _)| e))
            .filter(|&e| {
                let (_, target) = self.endpoints(e);
                position[target.index()] != usize::MAX && filter.edge_passes(self.edge_data(e))
            })
            .collect();
        edges.sort_unstable_by_key(|&e| self.edge_rank(e));
        for e in edges {
            let (source, target) = self.endpoints(e);
            let data = self.edge_data(e);
            let documents: Vec<String> = self.documents(e).map(str::to_owned).collect();
            let facts = EdgeFacts {
                predicate: self.predicate_iri(e),
                kind: data.kind,
                evidence: data.evidence,
                confidence: Some(f64::from(data.confidence) / 10_000.0),
                documents: &documents,
            };
            builder.add_edge_between(
                self.relation_id(e),
                position[source.index()],
                position[target.index()],
                facts,
            );
        }
        builder.build()
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
