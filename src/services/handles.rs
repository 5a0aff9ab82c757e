//! What the API holds of a catalog's entities and relations while it answers: an opaque place
//! in that catalog, found once by id, so a resolver reads a label or an end without looking the
//! id up again, and the projection's indices stay inside the services.

use crate::graph::{EdgeIndex, NodeIndex};
use crate::model::RelationKind;
use crate::services::catalog::Catalog;
use crate::services::packed::Summary;

/// An entity of one catalog: meaningful only with the catalog it was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntityHandle(NodeIndex);

/// A relation of one catalog: meaningful only with the catalog it was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RelationHandle(EdgeIndex);

impl Catalog {
    pub fn entity_handle(&self, id: &str) -> Option<EntityHandle> {
        self.projection.node(id).map(EntityHandle)
    }

    pub fn relation_handle(&self, id: &str) -> Option<RelationHandle> {
        self.projection.relation(id).map(RelationHandle)
    }

    pub fn entity_id(&self, entity: EntityHandle) -> &str {
        self.projection.node_id(entity.0)
    }

    pub fn entity_summary(&self, entity: EntityHandle) -> Summary<'_> {
        self.entity(entity.0)
    }

    pub fn relation_id(&self, relation: RelationHandle) -> &str {
        self.projection.relation_id(relation.0)
    }

    /// The relation's source and target.
    pub fn relation_ends(&self, relation: RelationHandle) -> (EntityHandle, EntityHandle) {
        let (source, target) = self.projection.endpoints(relation.0);
        (EntityHandle(source), EntityHandle(target))
    }

    pub fn relation_predicate(&self, relation: RelationHandle) -> &str {
        self.projection.predicate_iri(relation.0)
    }

    pub fn relation_kind(&self, relation: RelationHandle) -> RelationKind {
        self.projection.edge_data(relation.0).kind
    }

    pub fn relation_count(&self) -> usize {
        self.projection.edge_count()
    }

    /// Roughly what the projection holds on the heap (structure and ids), for `/metrics`.
    pub fn projection_bytes(&self) -> usize {
        self.projection.approximate_bytes()
    }
}
