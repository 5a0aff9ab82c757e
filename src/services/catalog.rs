//! The read model the API answers from: the graph projection, the entities' summaries, the search
//! index and the dataset version, built together from the store so they always agree, and
//! replaced whole (never edited) when the data changes.

use crate::graph::{NodeData, Projection, ProjectionBuilder};
use crate::model::EntitySummary;
use crate::services::search::SearchIndex;
use crate::store::{Store, StoreError};
use std::sync::OnceLock;

pub struct Catalog {
    pub projection: Projection,
    /// Entity summaries, in the projection's node order.
    summaries: Vec<EntitySummary>,
    pub search: SearchIndex,
    /// The dataset version the catalog was built from.
    pub version: String,
    /// Betweenness is costly (O(nodes x relations)): computed on first use, once per catalog.
    betweenness: OnceLock<Vec<f64>>,
}

impl Catalog {
    pub fn load(store: &Store) -> Result<Self, StoreError> {
        let version = store.dataset_version()?;
        let entities = store.entity_summaries()?;
        let relations = store.relation_summaries()?;
        Ok(Self::build(entities, &relations, version))
    }

    pub fn build(entities: Vec<EntitySummary>, relations: &[crate::model::RelationSummary], version: String) -> Self {
        let mut builder = ProjectionBuilder::new();
        for entity in &entities {
            builder.add_node(
                &entity.id,
                NodeData {
                    kind: entity.kind,
                    openness: entity.openness,
                    start: entity.start.map(|date| date.day_range()),
                    end: entity.end.map(|date| date.day_range()),
                },
            );
        }
        for relation in relations {
            builder.add_edge(
                &relation.id,
                &relation.source,
                &relation.target,
                &relation.predicate,
                relation.kind,
            );
        }
        let projection = builder.build();
        let search = SearchIndex::new(&entities);
        let mut summaries = entities;
        // The projection keeps the first of duplicate ids: align the summaries with its nodes.
        summaries.sort_by_key(|summary| projection.node(&summary.id).map(|node| node.index()));
        summaries.dedup_by(|a, b| a.id == b.id);
        Self {
            projection,
            summaries,
            search,
            version,
            betweenness: OnceLock::new(),
        }
    }

    /// An entity's summary by id.
    pub fn summary(&self, id: &str) -> Option<&EntitySummary> {
        self.projection
            .node(id)
            .and_then(|node| self.summaries.get(node.index()))
    }

    pub fn summaries(&self) -> &[EntitySummary] {
        &self.summaries
    }

    pub fn betweenness(&self) -> &[f64] {
        self.betweenness.get_or_init(|| self.projection.betweenness())
    }
}

/// What a write changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeOp {
    Created,
    Updated,
    Deleted,
}

/// One change, as live subscribers see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphChange {
    pub op: ChangeOp,
    pub entity_id: Option<String>,
    pub relation_id: Option<String>,
}

impl GraphChange {
    pub fn entity(op: ChangeOp, id: impl Into<String>) -> Self {
        Self {
            op,
            entity_id: Some(id.into()),
            relation_id: None,
        }
    }

    pub fn relation(op: ChangeOp, id: impl Into<String>) -> Self {
        Self {
            op,
            entity_id: None,
            relation_id: Some(id.into()),
        }
    }
}

/// The changes between two catalogs, for writes that do not say what they touched (SPARQL
/// Update, the Graph Store Protocol). Never empty: a write that changed nothing the catalog
/// shows is still reported, as an update of nothing in particular.
pub fn changes(old: &Catalog, new: &Catalog) -> Vec<GraphChange> {
    let mut changes = Vec::new();
    for entity in new.summaries() {
        match old.summary(&entity.id) {
            None => changes.push(GraphChange::entity(ChangeOp::Created, &entity.id)),
            Some(before) if before != entity => changes.push(GraphChange::entity(ChangeOp::Updated, &entity.id)),
            Some(_) => {}
        }
    }
    for entity in old.summaries() {
        if new.summary(&entity.id).is_none() {
            changes.push(GraphChange::entity(ChangeOp::Deleted, &entity.id));
        }
    }
    let relation = |catalog: &Catalog, edge| {
        let projection = &catalog.projection;
        let (source, target) = projection.endpoints(edge);
        (
            projection.relation_id(edge).to_owned(),
            (
                projection.node_id(source).to_owned(),
                projection.node_id(target).to_owned(),
                projection.predicate_iri(edge).to_owned(),
                projection.edge_data(edge).kind,
            ),
        )
    };
    let before: std::collections::HashMap<String, _> = old.projection.edges().map(|edge| relation(old, edge)).collect();
    let after: std::collections::HashMap<String, _> = new.projection.edges().map(|edge| relation(new, edge)).collect();
    for (id, shape) in &after {
        match before.get(id) {
            None => changes.push(GraphChange::relation(ChangeOp::Created, id)),
            Some(previous) if previous != shape => changes.push(GraphChange::relation(ChangeOp::Updated, id)),
            Some(_) => {}
        }
    }
    for id in before.keys() {
        if !after.contains_key(id) {
            changes.push(GraphChange::relation(ChangeOp::Deleted, id));
        }
    }
    if changes.is_empty() {
        changes.push(GraphChange {
            op: ChangeOp::Updated,
            entity_id: None,
            relation_id: None,
        });
    }
    changes
}
