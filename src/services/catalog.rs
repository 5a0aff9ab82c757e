//! The read model the API answers from: the graph projection, the entities' summaries, the search
//! index and the dataset version, built together from the store so they always agree, and
//! replaced whole (never edited) when the data changes.

use crate::graph::{NodeData, Projection, ProjectionBuilder};
use crate::model::{EntitySummary, RelationKind, RelationSummary};
use crate::services::search::SearchIndex;
use crate::services::snapshot::{self, Snapshot};
use crate::services::summaries::{Summaries, Summary};
use crate::store::{Store, StoreError};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

/// A relation as the projection needs it, borrowed.
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub struct RelationEnds<'a> {
    pub id: &'a str,
    pub source: &'a str,
    pub target: &'a str,
    pub predicate: &'a str,
    pub kind: RelationKind,
}

impl<'a> RelationEnds<'a> {
    pub fn of(summary: &'a RelationSummary) -> Self {
        Self {
            id: &summary.id,
            source: &summary.source,
            target: &summary.target,
            predicate: &summary.predicate,
            kind: summary.kind,
        }
    }
}

pub struct Catalog {
    pub projection: Projection,
    /// Entity summaries, in the projection's node order (id order); shared with the next catalog
    /// when a write changed no entity.
    summaries: Arc<Summaries>,
    /// Documents are positions in `summaries`; shared like them.
    search: Arc<SearchIndex>,
    /// The dataset version the catalog was built from.
    pub version: String,
    /// Betweenness is costly (O(nodes x relations)): computed on first use, once per catalog.
    betweenness: OnceLock<Vec<f64>>,
    /// How each predicate of the projection reads, forwards and backwards.
    labels: HashMap<String, (String, String)>,
}

impl Catalog {
    pub fn load(store: &Store) -> Result<Self, StoreError> {
        let started = Instant::now();
        let version = store.dataset_version()?;
        let entities = store.entity_summaries()?;
        let read_entities = started.elapsed();
        let relations = store.relation_summaries()?;
        let read_relations = started.elapsed() - read_entities;
        let catalog = Self::build(entities, &relations, version).with_labels(store, HashMap::new())?;
        tracing::debug!(
            entities = catalog.summaries.len(),
            relations = relations.len(),
            read_entities_ms = read_entities.as_millis(),
            read_relations_ms = read_relations.as_millis(),
            build_ms = (started.elapsed() - read_entities - read_relations).as_millis(),
            "catalog loaded"
        );
        Ok(catalog)
    }

    /// The catalog a snapshot describes (see `services::snapshot`); labels of predicates the
    /// snapshot lacks are read from the store. `None` when the snapshot does not hang together
    /// (entities out of id order, a relation naming an entity or predicate it lacks): the caller
    /// then reads the store.
    pub fn from_snapshot(store: &Store, snapshot: Snapshot<'_>) -> Result<Option<Self>, StoreError> {
        let Snapshot {
            version,
            entities,
            predicates,
            relations,
            labels,
            ..
        } = snapshot;
        if !entities.in_id_order() {
            return Ok(None);
        }
        // A snapshot is written from a projection, which refuses nothing it holds: a relation the
        // builder refuses (an end or predicate out of range, a self-loop, an id twice) is damage.
        let mut refused = false;
        let catalog = Self::assemble(entities, version, |entities| {
            let mut builder = Self::builder_with_nodes(entities, relations.len());
            for relation in &relations {
                let added = predicates
                    .get(usize::from(relation.predicate))
                    .is_some_and(|&predicate| {
                        builder.add_edge_between(
                            relation.id,
                            relation.source as usize,
                            relation.target as usize,
                            predicate,
                            relation.kind,
                        )
                    });
                refused |= !added;
            }
            builder.build()
        });
        if refused {
            return Ok(None);
        }
        let labels = labels
            .into_iter()
            .map(|(iri, label, inverse)| (iri, (label, inverse)))
            .collect();
        catalog.with_labels(store, labels).map(Some)
    }

    /// The catalog of the store in `data_dir`: from its snapshot when that was taken at the
    /// store's dataset version, otherwise read from the store (and a fresh snapshot written in
    /// the background for the next start).
    pub fn open(store: &Store, data_dir: Option<&Path>) -> Result<Arc<Self>, StoreError> {
        let Some(data_dir) = data_dir else {
            return Ok(Arc::new(Self::load(store)?));
        };
        let file = snapshot::path(data_dir);
        let started = Instant::now();
        let found = snapshot::read(&file, &store.dataset_version()?, |found| {
            Self::from_snapshot(store, found)
        })
        .transpose()?;
        if let Some(None) = found {
            tracing::warn!(path = %file.display(), "catalog snapshot does not hang together: reading the store");
        }
        if let Some(Some(catalog)) = found {
            tracing::info!(
                entities = catalog.summaries.len(),
                relations = catalog.projection.edge_count(),
                ms = started.elapsed().as_millis(),
                "catalog read from its snapshot"
            );
            return Ok(Arc::new(catalog));
        }
        let catalog = Arc::new(Self::load(store)?);
        tracing::info!(
            entities = catalog.summaries.len(),
            relations = catalog.projection.edge_count(),
            ms = started.elapsed().as_millis(),
            "catalog read from the store"
        );
        let saved = Arc::clone(&catalog);
        std::thread::spawn(move || saved.save_snapshot(&file));
        Ok(catalog)
    }

    /// Writes this catalog's snapshot, logging the outcome (a snapshot only saves time).
    pub fn save_snapshot(&self, file: &Path) {
        match snapshot::write(file, self) {
            Ok(()) => tracing::info!(path = %file.display(), version = %self.version, "catalog snapshot written"),
            Err(error) => tracing::warn!(path = %file.display(), %error, "catalog snapshot not written"),
        }
    }

    /// Each predicate with its label and inverse label.
    pub fn labels(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.labels
            .iter()
            .map(|(iri, (label, inverse))| (iri.as_str(), label.as_str(), inverse.as_str()))
    }

    /// Reads the labels of the predicates this catalog lacks (`known` are reused).
    fn with_labels(mut self, store: &Store, mut known: HashMap<String, (String, String)>) -> Result<Self, StoreError> {
        for iri in self.projection.predicate_iris() {
            if !known.contains_key(iri) {
                known.insert(iri.to_owned(), store.predicate_label(iri)?);
            }
        }
        self.labels = known;
        Ok(self)
    }

    /// How a relation predicate reads from source to target, and back.
    pub fn predicate_labels<'a>(&'a self, iri: &'a str) -> (&'a str, &'a str) {
        self.labels
            .get(iri)
            .map_or((iri, iri), |(label, inverse)| (label.as_str(), inverse.as_str()))
    }

    /// The catalog after a write: rebuilt from the store, or, when the write says what it
    /// touched, from this catalog with only those entities and relations read again (and the
    /// relations of touched entities, which a deletion takes along). Either way it equals
    /// `Catalog::load` on the store as it now is.
    pub fn refresh(&self, store: &Store, touched: &Touched) -> Result<Self, StoreError> {
        let Touched::Only { entities, relations } = touched else {
            return Self::load(store);
        };
        let projection = &self.projection;
        let touched_entities: HashSet<&str> = entities.iter().map(String::as_str).collect();
        let mut touched_relations: HashSet<&str> = relations.iter().map(String::as_str).collect();
        for node in touched_entities.iter().filter_map(|id| projection.node(id)) {
            touched_relations.extend(projection.edges_of(node).map(|edge| projection.relation_id(edge)));
        }
        let mut relation_summaries: Vec<RelationSummary> = projection
            .edges()
            .filter(|&edge| !touched_relations.contains(projection.relation_id(edge)))
            .map(|edge| {
                let (source, target) = projection.endpoints(edge);
                RelationSummary {
                    id: projection.relation_id(edge).to_owned(),
                    source: projection.node_id(source).to_owned(),
                    target: projection.node_id(target).to_owned(),
                    predicate: projection.predicate_iri(edge).to_owned(),
                    kind: projection.edge_data(edge).kind,
                }
            })
            .collect();
        for id in &touched_relations {
            relation_summaries.extend(store.relation_summary_by_id(id)?);
        }
        relation_summaries.sort_by(|a, b| a.id.cmp(&b.id));
        let version = store.dataset_version()?;
        if touched_entities.is_empty() {
            // No entity changed: the summaries and the search index stay as they are, shared;
            // only the projection is rebuilt.
            let catalog = Self {
                projection: project(&self.summaries, relation_summaries.iter().map(RelationEnds::of)),
                summaries: Arc::clone(&self.summaries),
                search: Arc::clone(&self.search),
                version,
                betweenness: OnceLock::new(),
                labels: HashMap::new(),
            };
            return catalog.with_labels(store, self.labels.clone());
        }
        let mut summaries: Vec<EntitySummary> = self
            .summaries
            .iter()
            .filter(|summary| !touched_entities.contains(summary.id()))
            .map(|summary| summary.to_owned())
            .collect();
        for id in &touched_entities {
            summaries.extend(store.entity_summary(id)?);
        }
        summaries.sort_by(|a, b| a.id.cmp(&b.id));
        Self::build(summaries, &relation_summaries, version).with_labels(store, self.labels.clone())
    }

    pub fn build(entities: Vec<EntitySummary>, relations: &[RelationSummary], version: String) -> Self {
        Self::build_from(in_id_order(entities), relations.iter().map(RelationEnds::of), version)
    }

    /// [`Catalog::build`] from relations borrowed from elsewhere.
    fn build_from<'r>(entities: Summaries, relations: impl Iterator<Item = RelationEnds<'r>>, version: String) -> Self {
        // One order for the summaries, the projection's nodes and the search index's documents.
        let entities = if entities.in_id_order() {
            entities
        } else {
            in_id_order(entities.iter().map(|summary| summary.to_owned()).collect())
        };
        Self::assemble(entities, version, |entities| project(entities, relations))
    }

    /// The catalog of `entities` (in id order) with the projection `project` makes of them.
    fn assemble(entities: Summaries, version: String, project: impl FnOnce(&Summaries) -> Projection) -> Self {
        // The search index and the projection do not depend on each other: build them at once.
        let (projection, search) = std::thread::scope(|scope| {
            let search = scope.spawn(|| SearchIndex::new(&entities));
            let projection = project(&entities);
            let search = search.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (projection, search)
        });
        tracing::debug!(
            projection_bytes = projection.approximate_bytes(),
            summary_bytes = entities.bytes(),
            search_bytes = search.bytes(),
            "catalog built"
        );
        Self {
            projection,
            summaries: Arc::new(entities),
            search: Arc::new(search),
            version,
            betweenness: OnceLock::new(),
            labels: HashMap::new(),
        }
    }

    /// A projection builder holding `entities` as its nodes, in their order (node `i` is summary
    /// `i`), with room for `relations` relations.
    fn builder_with_nodes(entities: &Summaries, relations: usize) -> ProjectionBuilder {
        let mut builder = ProjectionBuilder::with_capacity(entities.len(), relations);
        for entity in entities.iter() {
            builder.add_node(
                entity.id(),
                NodeData {
                    kind: entity.kind(),
                    openness: entity.openness(),
                    start: entity.start().map(|date| date.day_range()),
                    end: entity.end().map(|date| date.day_range()),
                },
            );
        }
        builder
    }

    /// An entity's summary by id.
    pub fn summary(&self, id: &str) -> Option<Summary<'_>> {
        self.projection
            .node(id)
            .and_then(|node| self.summaries.get(node.index()))
    }

    /// In the projection's node order, which is id order.
    pub fn summaries(&self) -> &Summaries {
        &self.summaries
    }

    /// Entities whose names look most like `text`, best first, as (id, label).
    pub fn suggest(&self, text: &str, limit: usize) -> Vec<(String, String)> {
        self.search.suggest(&self.summaries, text, limit)
    }

    /// Entities matching every word of `text`, best first, as (id, score).
    pub fn search(&self, text: &str) -> Vec<(String, f64)> {
        self.search.search(&self.summaries, text)
    }

    /// The id a ref names (see [`SearchIndex::resolve`]).
    pub fn resolve_ref(&self, reference: &str) -> Result<String, crate::services::search::RefError> {
        self.search.resolve(&self.summaries, reference)
    }

    pub fn betweenness(&self) -> &[f64] {
        self.betweenness.get_or_init(|| self.projection.betweenness())
    }
}

/// The projection of `entities` (in id order) and `relations`.
fn project<'r>(entities: &Summaries, relations: impl Iterator<Item = RelationEnds<'r>>) -> Projection {
    let mut builder = Catalog::builder_with_nodes(entities, relations.size_hint().0);
    for relation in relations {
        builder.add_edge(
            relation.id,
            relation.source,
            relation.target,
            relation.predicate,
            relation.kind,
        );
    }
    builder.build()
}

/// Summaries in id order, the first of duplicate ids kept (the sort is stable).
fn in_id_order(mut entities: Vec<EntitySummary>) -> Summaries {
    if !entities.is_sorted_by(|a, b| a.id < b.id) {
        entities.sort_by(|a, b| a.id.cmp(&b.id));
        entities.dedup_by(|later, first| later.id == first.id);
    }
    entities.into_iter().collect()
}

/// What a write touched, so that the catalog can be refreshed from those alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Touched {
    /// Anything may have changed (SPARQL Update, the Graph Store Protocol): reload it all.
    Everything,
    /// These entities and relations, by id, and nothing else.
    Only {
        entities: Vec<String>,
        relations: Vec<String>,
    },
}

impl From<crate::store::Changed> for Touched {
    fn from(changed: crate::store::Changed) -> Self {
        if changed.everything {
            return Touched::Everything;
        }
        Touched::Only {
            entities: changed.entities.into_iter().collect(),
            relations: changed.relations.into_iter().collect(),
        }
    }
}

impl Touched {
    pub fn entity(id: impl Into<String>) -> Self {
        Self::Only {
            entities: vec![id.into()],
            relations: Vec::new(),
        }
    }

    pub fn relation(id: impl Into<String>) -> Self {
        Self::Only {
            entities: Vec::new(),
            relations: vec![id.into()],
        }
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
    for entity in new.summaries().iter() {
        match old.summary(entity.id()) {
            None => changes.push(GraphChange::entity(ChangeOp::Created, entity.id())),
            Some(before) if before != entity => changes.push(GraphChange::entity(ChangeOp::Updated, entity.id())),
            Some(_) => {}
        }
    }
    for entity in old.summaries().iter() {
        if new.summary(entity.id()).is_none() {
            changes.push(GraphChange::entity(ChangeOp::Deleted, entity.id()));
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
