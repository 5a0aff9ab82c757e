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
