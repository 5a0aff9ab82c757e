//! The read model the API answers from: the graph projection, the entities' summaries, the search
//! index and the dataset version, built together from the store so they always agree.
//!
//! A catalog is an immutable *base* (the projection's compressed graph, the packed summaries and
//! the search index, shared through `Arc`s) plus a small *delta* of what writes changed since
//! (the projection's own delta, and the summaries and search documents of the entities added or
//! changed). A write never edits a catalog: it derives the next one, at the cost of what it
//! touched, and swaps it in. When the delta grows past [`Catalog::needs_folding`], the write path
//! folds it into a new base in the background (`services::writes`).

use crate::graph::{EdgeFacts, NodeData, NodeIndex, Projection, ProjectionBuilder, RelationChange};
use crate::model::{EntitySummary, RelationSummary};
use crate::services::changes::Touched;
use crate::services::packed::{Summaries, Summary};
use crate::services::quotes::PassageIndex;
use crate::services::search::{Corpus, Document, SearchIndex};
use crate::services::snapshot::{self, Snapshot};
use crate::store::{Store, StoreError};
use lru::LruCache;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

/// What the projection keeps of a relation, borrowed from its summary.
fn facts(relation: &RelationSummary) -> EdgeFacts<'_> {
    EdgeFacts {
        predicate: &relation.predicate,
        kind: relation.kind,
        evidence: relation.evidence_type,
        confidence: relation.confidence,
        documents: &relation.documents,
    }
}

/// The summaries of the projection's base nodes (summary `i` is base node `i`, in id order) and
/// their search index.
struct Base {
    summaries: Summaries,
    search: SearchIndex,
    /// The quotes' index, read from the store the first time the base is searched for text.
    passages: Mutex<Option<Arc<PassageIndex>>>,
    /// Every base node in each order by what its summary says that was asked for (see
    /// `Catalog::base_order`), by the order's name.
    orders: Mutex<HashMap<String, Arc<[NodeIndex]>>>,
}

/// An entity added or changed since the base: its summary (one entry) and search document.
struct Changed {
    summary: Summaries,
    document: Document,
}

/// What the catalog's entities changed since the base.
#[derive(Clone, Default)]
struct Delta {
    /// Entities added or changed, by node index.
    entities: HashMap<u32, Arc<Changed>, foldhash::fast::RandomState>,
    /// The same, by id, for walks in id order.
    by_id: BTreeMap<Arc<str>, u32>,
    /// Every entity and relation id a write set or removed since the base: what a fold replays.
    touched_entities: BTreeSet<Arc<str>>,
    touched_relations: BTreeSet<Arc<str>>,
}

/// Where a refresh reads the entities and relations a write touched: the store, or (when a
/// fold replays the writes made while it ran) the catalog they were written to.
pub trait Source {
    fn entity(&self, id: &str) -> Result<Option<EntitySummary>, StoreError>;
    fn relation(&self, id: &str) -> Result<Option<RelationSummary>, StoreError>;
    fn predicate_label(&self, iri: &str) -> Result<(String, String), StoreError>;
}

impl Source for Store {
    fn entity(&self, id: &str) -> Result<Option<EntitySummary>, StoreError> {
        self.entity_summary(id)
    }

    fn relation(&self, id: &str) -> Result<Option<RelationSummary>, StoreError> {
        self.relation_summary_by_id(id)
    }

    fn predicate_label(&self, iri: &str) -> Result<(String, String), StoreError> {
        Store::predicate_label(self, iri)
    }
}

impl Source for Catalog {
    fn entity(&self, id: &str) -> Result<Option<EntitySummary>, StoreError> {
        Ok(self.summary(id).map(|summary| summary.to_owned()))
    }

    fn relation(&self, id: &str) -> Result<Option<RelationSummary>, StoreError> {
        Ok(self.projection.relation(id).map(|edge| self.relation_summary(edge)))
    }

    fn predicate_label(&self, iri: &str) -> Result<(String, String), StoreError> {
        let (label, inverse) = self.predicate_labels(iri);
        Ok((label.to_owned(), inverse.to_owned()))
    }
}

pub struct Catalog {
    pub projection: Projection,
    /// Shared with every catalog derived from the same base.
    base: Arc<Base>,
    delta: Arc<Delta>,
    /// The dataset version the catalog was built from.
    pub version: String,
    /// Betweenness is costly (O(nodes x relations)): computed on first use, once per catalog.
    betweenness: OnceLock<Vec<f64>>,
    /// Closeness costs as much: computed on first use, once per catalog.
    closeness: OnceLock<Vec<f64>>,
    /// PageRank (a hundred passes over the relations at most): once per catalog, for orders.
    pagerank: OnceLock<Vec<f64>>,
    /// Community reports by their arguments, for this catalog (so this dataset version) only:
    /// the few most recently asked for.
    communities: Mutex<LruCache<String, Arc<CommunityReport>>>,
    /// Every entity in each order asked for so far (by the order's name), for this catalog only.
    orders: Mutex<HashMap<String, Arc<[NodeIndex]>>>,
    /// How each predicate of the projection reads, forwards and backwards.
    labels: HashMap<String, (String, String)>,
}

/// A catalog shares its parts: a clone costs its labels and the delta's bookkeeping.
impl Clone for Catalog {
    fn clone(&self) -> Self {
        Self {
            projection: self.projection.clone(),
            base: Arc::clone(&self.base),
            delta: Arc::clone(&self.delta),
            version: self.version.clone(),
            betweenness: OnceLock::new(),
            closeness: OnceLock::new(),
            pagerank: OnceLock::new(),
            communities: community_cache(),
            orders: Mutex::default(),
            labels: self.labels.clone(),
        }
    }
}

/// How big a delta may grow before it is folded into a new base: a write costs a little more
/// with each change the delta holds (it is copied), a fold costs the whole graph.
const FOLD_AT_LEAST: usize = 2_000;
const FOLD_PER_NODES: usize = 200;

/// What the projection keeps of an entity.
fn node_data(entity: &Summary<'_>) -> NodeData {
    NodeData {
        kind: entity.kind(),
        openness: entity.openness(),
        start: entity.start().map(|date| date.day_range()),
        end: entity.end().map(|date| date.day_range()),
        ongoing: entity.ongoing(),
    }
}

/// A catalog as a start found it.
pub struct Opened {
    pub catalog: Arc<Catalog>,
    /// Built by reading the whole store, not from a snapshot.
    pub read_the_store: bool,
}

impl Catalog {
    pub fn load(store: &Store) -> Result<Self, StoreError> {
        let started = Instant::now();
        let version = store.dataset_version()?;
        let entities = store.entity_summaries()?;
        let read_entities = started.elapsed();
        let relations = store.relation_summaries()?;
        let symmetric = store.symmetric_predicates()?;
        let read_relations = started.elapsed() - read_entities;
        let catalog = Self::build(entities, &relations, &symmetric, version).with_labels(store, HashMap::new())?;
        tracing::debug!(
            entities = catalog.entity_count(),
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
            documents,
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
        // Which predicates are symmetric is the ontology's to say, read now rather than kept.
        let symmetric = store.symmetric_predicates()?;
        let catalog = Self::assemble(entities, version, |entities| {
            let mut builder = Self::builder_with_nodes(entities, relations.len(), &symmetric);
            for relation in &relations {
                let cited: Option<Vec<String>> = relation
                    .documents
                    .iter()
                    .map(|&at| documents.get(at as usize).map(|&iri| iri.to_owned()))
                    .collect();
                let predicate = predicates.get(usize::from(relation.predicate));
                let added = predicate.zip(cited.as_deref()).is_some_and(|(&predicate, cited)| {
                    let facts = EdgeFacts {
                        predicate,
                        kind: relation.kind,
                        evidence: relation.evidence,
                        confidence: Some(f64::from(relation.confidence) / 10_000.0),
                        documents: cited,
                    };
                    builder.add_edge_between(relation.id, relation.source as usize, relation.target as usize, facts)
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
    pub fn open(store: &Store, data_dir: Option<&Path>) -> Result<Opened, StoreError> {
        let read_the_store = |catalog| Opened {
            catalog: Arc::new(catalog),
            read_the_store: true,
        };
        let Some(data_dir) = data_dir else {
            return Ok(read_the_store(Self::load(store)?));
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
                entities = catalog.entity_count(),
                relations = catalog.projection.edge_count(),
                ms = started.elapsed().as_millis(),
                "catalog read from its snapshot"
            );
            return Ok(Opened {
                catalog: Arc::new(catalog),
                read_the_store: false,
            });
        }
        let opened = read_the_store(Self::load(store)?);
        let catalog = &opened.catalog;
        tracing::info!(
            entities = catalog.entity_count(),
            relations = catalog.projection.edge_count(),
            ms = started.elapsed().as_millis(),
            "catalog read from the store"
        );
        let saved = Arc::clone(catalog);
        std::thread::spawn(move || saved.save_snapshot(&file));
        Ok(opened)
    }

    /// Writes this catalog's snapshot (of its folded form: a snapshot has no delta).
    pub fn write_snapshot(&self, file: &Path) -> std::io::Result<()> {
        let folded;
        let catalog = if self.is_folded() {
            self
        } else {
            folded = self.folded();
            &folded
        };
        let parts = snapshot::Parts {
            version: &catalog.version,
            entities: &catalog.base.summaries,
            projection: &catalog.projection,
            labels: catalog.labels().collect(),
        };
        snapshot::write(file, parts)
    }

    /// [`Catalog::write_snapshot`], logging the outcome (a snapshot only saves time).
    pub fn save_snapshot(&self, file: &Path) {
        match self.write_snapshot(file) {
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
    fn with_labels(
        mut self,
        source: &impl Source,
        mut known: HashMap<String, (String, String)>,
    ) -> Result<Self, StoreError> {
        for iri in self.projection.predicate_iris() {
            if !known.contains_key(iri) {
                known.insert(iri.to_owned(), source.predicate_label(iri)?);
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
    /// touched, this catalog with only those entities and relations read again (and the
    /// relations of touched entities, which a deletion takes along). Either way it equals
    /// `Catalog::load` on the store as it now is.
    pub fn refresh(&self, store: &Store, touched: &Touched) -> Result<Self, StoreError> {
        let Touched::Only { entities, relations } = touched else {
            return Self::load(store);
        };
        let version = store.dataset_version()?;
        self.reread(
            store,
            entities.iter().map(String::as_str),
            relations.iter().map(String::as_str),
            version,
        )
    }

    /// This catalog with `entities` and `relations` (and the relations of those entities) set
    /// to what `source` says of them now, at `version`. Costs what they are, not the graph.
    fn reread<'a>(
        &self,
        source: &impl Source,
        entities: impl Iterator<Item = &'a str>,
        relations: impl Iterator<Item = &'a str>,
        version: String,
    ) -> Result<Self, StoreError> {
        let projection = &self.projection;
        let entities: BTreeSet<&str> = entities.collect();
        let mut relations: BTreeSet<&str> = relations.collect();
        for node in entities.iter().filter_map(|id| projection.node(id)) {
            relations.extend(projection.edges_of(node).map(|edge| projection.relation_id(edge)));
        }
        // An entity the packed summaries cannot hold (over 65 535 aliases) is left out, as a
        // build leaves it out.
        let mut entity_values: Vec<(&str, Option<Summaries>)> = Vec::with_capacity(entities.len());
        for &id in &entities {
            let packed = source.entity(id)?.and_then(|entity| {
                let mut one = Summaries::default();
                one.push(&entity).then_some(one)
            });
            entity_values.push((id, packed));
        }
        let mut relation_values = Vec::with_capacity(relations.len());
        for &id in &relations {
            relation_values.push((id, source.relation(id)?));
        }
        let projection = projection.with_changes(
            entity_values.iter().map(|(id, packed)| {
                let data = packed.as_ref().map(|one| node_data(&one.at(0)));
                (*id, data)
            }),
            relation_values.iter().map(|(id, relation)| {
                let change = relation.as_ref().map(|relation| RelationChange {
                    source: &relation.source,
                    target: &relation.target,
                    facts: facts(relation),
                });
                (*id, change)
            }),
        );
        let mut delta = (*self.delta).clone();
        for (id, packed) in entity_values {
            delta.touched_entities.insert(Arc::from(id));
            if let Some(node) = delta.by_id.remove(id) {
                delta.entities.remove(&node);
            }
            let (Some(one), Some(node)) = (packed, projection.node(id)) else {
                continue;
            };
            let unchanged = self
                .base
                .summaries
                .get(node.index())
                .is_some_and(|base| base == one.at(0));
            if unchanged {
                continue;
            }
            let document = Document::new(&one.at(0));
            let node = node.index() as u32;
            delta.by_id.insert(Arc::from(id), node);
            delta
                .entities
                .insert(node, Arc::new(Changed { summary: one, document }));
        }
        delta
            .touched_relations
            .extend(relations.iter().map(|&id| Arc::from(id)));
        let catalog = Self {
            projection,
            base: Arc::clone(&self.base),
            delta: Arc::new(delta),
            version,
            betweenness: OnceLock::new(),
            closeness: OnceLock::new(),
            pagerank: OnceLock::new(),
            communities: community_cache(),
            orders: Mutex::default(),
            labels: HashMap::new(),
        };
        catalog.with_labels(source, self.labels.clone())
    }

    /// How many ids writes set or removed since the base: what each write copies, and what a
    /// fold replays. (An entity whose label alone changed is in it, though not in the
    /// projection's delta.)
    fn delta_len(&self) -> usize {
        self.delta.touched_entities.len() + self.delta.touched_relations.len()
    }

    /// Whether the delta has grown enough to fold (see [`Catalog::folded`]).
    pub fn needs_folding(&self) -> bool {
        self.delta_len() > FOLD_AT_LEAST.max(self.entity_count() / FOLD_PER_NODES)
    }

    /// Whether the two catalogs derive from the same base (a full reload starts a new one).
    pub fn same_base(&self, other: &Catalog) -> bool {
        Arc::ptr_eq(&self.base, &other.base)
    }

    fn is_folded(&self) -> bool {
        self.delta_len() == 0
    }

    /// The same catalog as a new base without a delta: what `Catalog::load` would build from the
    /// same data. Costs the whole graph, and reads only this catalog.
    pub fn folded(&self) -> Self {
        let entities: Summaries = self.entities().map(|entity| entity.to_owned()).collect();
        // Both in id order: node `i` of the folded projection is summary `i`.
        let projection = self.projection.folded();
        let catalog = Self::assemble(entities, self.version.clone(), |_| projection);
        Self {
            labels: self.labels.clone(),
            ..catalog
        }
    }

    /// `folded` (a fold of an earlier catalog of this lineage) brought up to this catalog: the
    /// entities and relations written since the base are read again, from this catalog.
    pub fn rebase(&self, folded: &Catalog) -> Result<Self, StoreError> {
        let delta = &self.delta;
        folded.reread(
            self,
            delta.touched_entities.iter().map(|id| &**id),
            delta.touched_relations.iter().map(|id| &**id),
            self.version.clone(),
        )
    }

    /// The catalog of `entities` and `relations`, the predicates `symmetric` (IRIs) walked either
    /// way by every search.
    pub fn build(
        entities: Vec<EntitySummary>,
        relations: &[RelationSummary],
        symmetric: &[String],
        version: String,
    ) -> Self {
        // One order for the summaries, the projection's nodes and the search index's documents.
        Self::assemble(in_id_order(entities), version, |entities| {
            project(entities, relations, symmetric)
        })
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
            base: Arc::new(Base {
                summaries: entities,
                search,
                passages: Mutex::default(),
                orders: Mutex::default(),
            }),
            delta: Arc::default(),
            version,
            betweenness: OnceLock::new(),
            closeness: OnceLock::new(),
            pagerank: OnceLock::new(),
            communities: community_cache(),
            orders: Mutex::default(),
            labels: HashMap::new(),
        }
    }

    /// A projection builder holding `entities` as its nodes, in their order (node `i` is summary
    /// `i`), with room for `relations` relations, the predicates `symmetric` declared symmetric.
    fn builder_with_nodes(entities: &Summaries, relations: usize, symmetric: &[String]) -> ProjectionBuilder {
        let mut builder = ProjectionBuilder::with_capacity(entities.len(), relations);
        builder.symmetric(symmetric.iter().map(String::as_str));
        for entity in entities.iter() {
            builder.add_node(entity.id(), node_data(&entity));
        }
        builder
    }

    /// An entity's summary by id.
    pub fn summary(&self, id: &str) -> Option<Summary<'_>> {
        self.projection.node(id).map(|node| self.entity(node))
    }

    /// A relation of this catalog's projection, as the store would summarise it.
    pub fn relation_summary(&self, edge: crate::graph::EdgeIndex) -> RelationSummary {
        let projection = &self.projection;
        let (source, target) = projection.endpoints(edge);
        let data = projection.edge_data(edge);
        let mut documents: Vec<String> = projection.documents(edge).map(str::to_owned).collect();
        documents.sort_unstable();
        RelationSummary {
            id: projection.relation_id(edge).to_owned(),
            source: projection.node_id(source).to_owned(),
            target: projection.node_id(target).to_owned(),
            predicate: projection.predicate_iri(edge).to_owned(),
            kind: data.kind,
            evidence_type: data.evidence,
            // The projection keeps ten-thousandths, and certainty for a relation stating none.
            confidence: (data.confidence != 10_000).then(|| f64::from(data.confidence) / 10_000.0),
            documents,
        }
    }

    /// The summary of a node of this catalog's projection (it panics on a node of another, as
    /// slice indexing does).
    pub fn entity(&self, node: NodeIndex) -> Summary<'_> {
        match self.delta.entities.get(&(node.index() as u32)) {
            Some(changed) => changed.summary.at(0).placed_at(node.index()),
            None => self.base.summaries.at(node.index()),
        }
    }

    /// Whether the base summary at `position` is still the entity's.
    fn base_current(&self, position: usize) -> bool {
        let node = NodeIndex::new(position);
        !self.projection.changed_since_base(node)
            || (self.projection.contains(node) && !self.delta.entities.contains_key(&(position as u32)))
    }

    /// Whether `node` is a base node whose base summary is still its own (neither changed nor
    /// removed since the base).
    pub fn base_current_node(&self, node: NodeIndex) -> bool {
        node.index() < self.base.summaries.len() && self.base_current(node.index())
    }

    /// The entities added or changed since the base (not the removed ones).
    pub fn changed_entities(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        self.delta
            .entities
            .keys()
            .map(|&node| NodeIndex::new(node as usize))
            .filter(|&node| self.projection.contains(node))
    }

    /// Every base node (changed and removed ones too), sorted by `key` of its base summary, ties
    /// by id: sorted once per base, under `name`, and shared by every catalog derived from it,
    /// so that a write does not cost a sort of the whole graph.
    pub fn base_order<K: Ord>(&self, name: &str, key: impl Fn(&Summary<'_>) -> K) -> Arc<[NodeIndex]> {
        if let Some(found) = self
            .base
            .orders
            .lock()
            .ok()
            .and_then(|orders| orders.get(name).cloned())
        {
            return found;
        }
        let mut keyed: Vec<(K, crate::graph::Rank, NodeIndex)> = self
            .base
            .summaries
            .iter()
            .map(|summary| {
                let node = NodeIndex::new(summary.position());
                (key(&summary), self.projection.rank(node), node)
            })
            .collect();
        keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        let order: Arc<[NodeIndex]> = keyed.into_iter().map(|(.., node)| node).collect();
        if let Ok(mut orders) = self.base.orders.lock() {
            orders.insert(name.to_owned(), Arc::clone(&order));
        }
        order
    }

    /// Every entity, in id order.
    pub fn entities(&self) -> impl Iterator<Item = Summary<'_>> {
        let base = self
            .base
            .summaries
            .iter()
            .filter(|summary| self.base_current(summary.position()));
        let changed = self
            .delta
            .by_id
            .values()
            .map(|&node| self.entity(NodeIndex::new(node as usize)));
        let (mut base, mut changed) = (base.peekable(), changed.peekable());
        // Two walks in id order, merged (an id is in one of them only).
        std::iter::from_fn(move || match (base.peek(), changed.peek()) {
            (Some(a), Some(b)) if b.id() < a.id() => changed.next(),
            (Some(_), _) => base.next(),
            (None, _) => changed.next(),
        })
    }

    pub fn entity_count(&self) -> usize {
        self.projection.node_count()
    }

    fn corpus(&self) -> Corpus<'_> {
        Corpus {
            index: &self.base.search,
            base: &self.base.summaries,
            current: Box::new(|position| self.base_current(position)),
            added: self
                .delta
                .entities
                .iter()
                .map(|(&node, changed)| (changed.summary.at(0).placed_at(node as usize), &changed.document))
                .collect(),
            count: self.entity_count(),
        }
    }

    /// Entities whose names look most like `text`, best first, as (id, label).
    pub fn suggest(&self, text: &str, limit: usize) -> Vec<(String, String)> {
        self.corpus().suggest(text, limit)
    }

    /// Entities matching every word of `text`, best first, as (id, score).
    pub fn search(&self, text: &str) -> Vec<(String, f64)> {
        self.corpus().search(text)
    }

    /// The id a ref names (see [`Corpus::resolve`]).
    pub fn resolve_ref(&self, reference: &str) -> Result<String, crate::services::search::RefError> {
        self.corpus().resolve(reference)
    }

    /// The index of the quotes of this catalog's base, built from `store` on first use (one
    /// scan of the quotes) and shared by every catalog of the base. The quotes of what writes
    /// touched since the base ([`Catalog::touched_since_base`]) may be out of step in it.
    pub fn passage_index(&self, store: &Store) -> Result<Arc<PassageIndex>, StoreError> {
        // Held while building, so that concurrent first searches build it once.
        let mut slot = self
            .base
            .passages
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(index) = slot.as_ref() {
            return Ok(Arc::clone(index));
        }
        let started = Instant::now();
        let index = Arc::new(PassageIndex::new(store.passages()?));
        tracing::info!(
            quotes = index.len(),
            ms = started.elapsed().as_millis(),
            "quote index built"
        );
        *slot = Some(Arc::clone(&index));
        Ok(index)
    }

    /// The entity and relation ids writes set or removed since the base.
    pub fn touched_since_base(&self) -> (std::collections::HashSet<&str>, std::collections::HashSet<&str>) {
        (
            self.delta.touched_entities.iter().map(|id| &**id).collect(),
            self.delta.touched_relations.iter().map(|id| &**id).collect(),
        )
    }

    pub fn betweenness(&self) -> &[f64] {
        self.betweenness.get_or_init(|| self.projection.betweenness())
    }

    /// PageRank at 0.85 over the whole graph, as `centrality(metric: PAGERANK)` computes it.
    pub fn pagerank(&self) -> &[f64] {
        self.pagerank.get_or_init(|| self.projection.pagerank(0.85, 100))
    }

    pub fn closeness(&self) -> &[f64] {
        self.closeness.get_or_init(|| self.projection.closeness())
    }

    /// The community report cached under `key` in this catalog, or `compute`'s, then cached.
    pub fn communities_cached<E>(
        &self,
        key: String,
        compute: impl FnOnce() -> Result<CommunityReport, E>,
    ) -> Result<Arc<CommunityReport>, E> {
        if let Some(found) = self
            .communities
            .lock()
            .ok()
            .and_then(|mut cache| cache.get(&key).cloned())
        {
            return Ok(found);
        }
        // Computed outside the lock: another request may compute the same report meanwhile, and
        // both answers are equal.
        let report = Arc::new(compute()?);
        if let Ok(mut cache) = self.communities.lock() {
            cache.put(key, Arc::clone(&report));
        }
        Ok(report)
    }

    /// The order cached under `key` in this catalog, or `compute`'s, then cached.
    pub fn order_cached(&self, key: String, compute: impl FnOnce() -> Arc<[NodeIndex]>) -> Arc<[NodeIndex]> {
        if let Some(found) = self.orders.lock().ok().and_then(|orders| orders.get(&key).cloned()) {
            return found;
        }
        // Sorted outside the lock, as communities are computed.
        let order = compute();
        if let Ok(mut orders) = self.orders.lock() {
            orders.insert(key, Arc::clone(&order));
        }
        order
    }
}

/// How many community reports a catalog keeps.
const COMMUNITY_REPORTS: NonZeroUsize = NonZeroUsize::MIN.saturating_add(15);

fn community_cache() -> Mutex<LruCache<String, Arc<CommunityReport>>> {
    Mutex::new(LruCache::new(COMMUNITY_REPORTS))
}

/// A partition of (a part of) the graph into communities, as ids.
#[derive(Clone, Debug, PartialEq)]
pub struct CommunityReport {
    /// Newman-Girvan modularity at the resolution asked for.
    pub modularity: f64,
    /// Largest first, then by smallest member id.
    pub communities: Vec<CommunityIds>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CommunityIds {
    /// In id order.
    pub members: Vec<String>,
    /// Most neighbours inside the community first, ties by id.
    pub central: Vec<String>,
}

/// The projection of `entities` (in id order) and `relations`.
fn project(entities: &Summaries, relations: &[RelationSummary], symmetric: &[String]) -> Projection {
    let mut builder = Catalog::builder_with_nodes(entities, relations.len(), symmetric);
    for relation in relations {
        builder.add_edge(&relation.id, &relation.source, &relation.target, facts(relation));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::snapshot::{PlacedRelation, path, read};
    use std::fs;

    #[test]
    fn a_snapshot_rebuilds_the_same_catalog_and_only_at_its_version() {
        let store = Store::memory().unwrap();
        store.initialize(true, &crate::store::NoProgress).unwrap();
        let catalog = Catalog::load(&store).unwrap();
        let directory = tempfile::tempdir().unwrap();
        let file = path(directory.path());
        catalog.write_snapshot(&file).unwrap();

        let restored = read(&file, &catalog.version, |snapshot| {
            Catalog::from_snapshot(&store, snapshot)
        })
        .expect("the snapshot of this version")
        .unwrap()
        .expect("a snapshot that hangs together");
        assert_eq!(restored.version, catalog.version);
        assert!(restored.entities().eq(catalog.entities()));
        assert_eq!(
            format!("{:?}", restored.projection),
            format!("{:?}", catalog.projection)
        );
        let sorted = |catalog: &Catalog| {
            let mut labels: Vec<_> = catalog
                .labels()
                .map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned()))
                .collect();
            labels.sort();
            labels
        };
        assert_eq!(sorted(&restored), sorted(&catalog));

        // A relation naming an entity or a predicate the snapshot lacks: the store is read instead.
        for damage in [
            (|relation: &mut PlacedRelation<'_>| relation.source = u32::MAX) as fn(&mut PlacedRelation<'_>),
            |relation| relation.target = relation.target.wrapping_add(1 << 30),
            |relation| relation.predicate = u16::MAX,
        ] {
            let rebuilt = read(&file, &catalog.version, |mut snapshot| {
                damage(&mut snapshot.relations[0]);
                Catalog::from_snapshot(&store, snapshot)
            });
            assert!(matches!(rebuilt, Some(Ok(None))), "a damaged relation is noticed");
        }

        let opened = |file: &Path, version: &str| read(file, version, |_| ()).is_some();
        assert!(!opened(&file, "another version"), "stale");
        fs::write(&file, b"\x01garbage").unwrap();
        assert!(!opened(&file, &catalog.version), "damaged");
        fs::write(&file, b"\x07").unwrap();
        assert!(!opened(&file, &catalog.version), "another format");
        assert!(!opened(&directory.path().join("missing"), &catalog.version));
    }
}
