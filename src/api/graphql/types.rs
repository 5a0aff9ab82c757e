//! The GraphQL output types: thin wrappers over model values whose resolvers load what they
//! point at through the request's data loaders. Doc comments become the schema's descriptions.

use super::errors::internal;
use super::request;
use crate::model;
use crate::services::catalog::Catalog;
use crate::services::explore::{FoundPath, FoundSubgraph};
use crate::services::handles::{EntityHandle, RelationHandle};
use crate::services::packed::Summary;
use crate::store::vocab::{entity_iri, relation_iri};
use async_graphql::{ComplexObject, Context, Enum, ID, Object, Result, SimpleObject};
use std::sync::Arc;

macro_rules! mirror_enum {
    ($(#[$meta:meta])* $name:ident = $model:path { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl From<$model> for $name {
            fn from(value: $model) -> Self {
                match value { $(<$model>::$variant => $name::$variant),+ }
            }
        }

        impl From<$name> for $model {
            fn from(value: $name) -> Self {
                match value { $($name::$variant => <$model>::$variant),+ }
            }
        }
    };
}

mirror_enum! {
    /// The diagram's legend: meeting / event, document, discussion space; plus organizations
    /// and persons.
    EntityKind = model::EntityKind { Organization, Meeting, Document, DiscussionSpace, Person }
}

mirror_enum! {
    /// OPEN: "open or partially open"; CLOSED: "closed or partially closed".
    Openness = model::Openness { Open, Closed }
}

mirror_enum! {
    /// DIRECT: one item organises, produces, prepares or continues the other. INDIRECT:
    /// influence, discussion or input.
    RelationKind = model::RelationKind { Direct, Indirect }
}

mirror_enum! {
    /// How a relation is known.
    EvidenceType = model::EvidenceType {
        /// Quoted from a source document described in the graph (one of the seed documents).
        SeedQuote,
        /// Quoted from a public web page.
        PublicSource,
        /// Inferred, with a reason and a confidence.
        Inferred,
        /// Stated by a curator without a quote.
        Asserted,
    }
}

mirror_enum! {
    /// Why an entity has no ISO date.
    DateStatus = model::DateStatus {
        /// The sources say the date is still to be determined.
        #[graphql(name = "TBD")]
        Tbd,
        /// The sources describe the activity as ongoing.
        Ongoing,
        /// No cited source gives the date.
        Unknown,
    }
}

/// Which relations of an entity to list.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq, Default)]
pub enum Direction {
    /// Relations whose source is the entity.
    Outgoing,
    /// Relations whose target is the entity.
    Incoming,
    /// Both.
    #[default]
    Both,
}

/// A centrality measure.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum CentralityMetric {
    /// Number of relations (in and out).
    Degree,
    /// PageRank over the directed relations (damping 0.85).
    Pagerank,
    /// Betweenness over the relations taken undirected, normalised to [0, 1].
    Betweenness,
}

/// The entities with these ids, in the order given; ids the catalog does not know are left out.
pub async fn entities(ctx: &Context<'_>, ids: &[String]) -> Result<Vec<Entity>> {
    let catalog = request(ctx).catalog();
    Ok(ids
        .iter()
        .filter_map(|id| catalog.entity_handle(id))
        .map(|entity| Entity {
            catalog: catalog.clone(),
            entity,
        })
        .collect())
}

/// The relations with these ids, in the order given; unknown ids are left out.
pub async fn relations(ctx: &Context<'_>, ids: &[String]) -> Result<Vec<Relation>> {
    let catalog = request(ctx).catalog();
    Ok(ids
        .iter()
        .filter_map(|id| catalog.relation_handle(id))
        .map(|relation| Relation {
            catalog: catalog.clone(),
            relation,
        })
        .collect())
}

async fn entity(ctx: &Context<'_>, id: &str) -> Result<Entity> {
    entities(ctx, &[id.to_owned()])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| internal(format!("entity {id} is not in the projection")))
}

/// A nullable field read from an entity's or relation's details: an error nulls this field only,
/// as GraphQL asks (async-graphql carries a `Result<Option<_>>`'s error up to the parent).
fn detail<M, T>(details: Result<Arc<M>>, pick: impl FnOnce(&M) -> Option<T>) -> Option<Result<T>> {
    details.map(|details| pick(&details)).transpose()
}

/// An organization, meeting, document, discussion space or person.
///
/// What the catalog holds (names, kind, openness, dates, relations) is answered from memory;
/// the rest (provenance, notes, location) is loaded from the store, in batches, when asked for.
pub struct Entity {
    catalog: Arc<Catalog>,
    entity: EntityHandle,
}

impl Entity {
    fn id_str(&self) -> &str {
        self.catalog.entity_id(self.entity)
    }

    fn summary(&self) -> Summary<'_> {
        self.catalog.entity_summary(self.entity)
    }

    async fn details(&self, ctx: &Context<'_>) -> Result<Arc<model::Entity>> {
        let id = self.id_str();
        request(ctx)
            .entities
            .load_one(id.to_owned())
            .await
            .map_err(internal)?
            .ok_or_else(|| internal(format!("entity {id} is in the projection but not in the store")))
    }
}

#[Object]
impl Entity {
    /// Short stable slug, e.g. "montevideo-statement-2013".
    async fn id(&self) -> ID {
        ID(self.id_str().to_owned())
    }
    /// The entity's IRI (its linked-data name).
    async fn iri(&self) -> String {
        entity_iri(self.id_str())
    }
    async fn label(&self) -> &str {
        self.summary().label()
    }
    /// Other names: acronyms and the spellings the sources use.
    async fn aliases(&self) -> Vec<&str> {
        self.summary().aliases().collect()
    }
    async fn kind(&self) -> EntityKind {
        self.summary().kind().into()
    }
    /// Null where the sources do not say.
    async fn openness(&self) -> Option<Openness> {
        self.summary().openness().map(Into::into)
    }
    /// Why the entity is open or closed, and on what evidence.
    async fn openness_note(&self, ctx: &Context<'_>) -> Option<Result<String>> {
        detail(self.details(ctx).await, |details| details.openness_note.clone())
    }
    async fn description(&self) -> Option<&str> {
        self.summary().description()
    }
    /// ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD); for a document, when it was issued; null if
    /// unknown or TBD (see dateStatus).
    async fn start_date(&self) -> Option<String> {
        self.summary().start().map(|date| date.to_string())
    }
    async fn end_date(&self) -> Option<String> {
        self.summary().end().map(|date| date.to_string())
    }
    /// Set when the sources give no date (TBD, ongoing, unknown).
    async fn date_status(&self, ctx: &Context<'_>) -> Option<Result<DateStatus>> {
        detail(self.details(ctx).await, |details| details.date_status.map(Into::into))
    }
    /// The sources' own words about the date, e.g. "TBD (late january)".
    async fn date_note(&self, ctx: &Context<'_>) -> Option<Result<String>> {
        detail(self.details(ctx).await, |details| details.date_note.clone())
    }
    async fn location(&self, ctx: &Context<'_>) -> Option<Result<String>> {
        detail(self.details(ctx).await, |details| details.location.clone())
    }
    /// A UN document symbol, for resolutions and reports.
    async fn identifier(&self, ctx: &Context<'_>) -> Option<Result<String>> {
        detail(self.details(ctx).await, |details| details.identifier.clone())
    }
    /// The entity's relations, optionally of one kind and one direction, by relation id.
    async fn relations(
        &self,
        ctx: &Context<'_>,
        kind: Option<RelationKind>,
        #[graphql(default)] direction: Direction,
    ) -> Result<Vec<Relation>> {
        let ids = self.catalog.relations_of(self.id_str(), kind.map(Into::into));
        let all = relations(ctx, &ids).await?;
        Ok(all
            .into_iter()
            .filter(|relation| {
                let (source, target) = relation.catalog.relation_ends(relation.relation);
                match direction {
                    Direction::Outgoing => source == self.entity,
                    Direction::Incoming => target == self.entity,
                    Direction::Both => true,
                }
            })
            .collect())
    }
    /// Number of relations (in and out).
    async fn degree(&self) -> usize {
        self.catalog.relations_of(self.id_str(), None).len()
    }
    /// Where the entity is described: each document and the quote.
    async fn sources(&self, ctx: &Context<'_>) -> Result<Vec<Source>> {
        Ok(self.details(ctx).await?.citations.iter().cloned().map(Source).collect())
    }
}

/// A qualified relation between two entities, with its provenance. Its ends, kind and
/// predicate come from memory; evidence and provenance from the store when asked for.
pub struct Relation {
    catalog: Arc<Catalog>,
    relation: RelationHandle,
}

impl Relation {
    fn id_str(&self) -> &str {
        self.catalog.relation_id(self.relation)
    }

    fn end(&self, entity: EntityHandle) -> Entity {
        Entity {
            catalog: self.catalog.clone(),
            entity,
        }
    }

    async fn details(&self, ctx: &Context<'_>) -> Result<Arc<model::Relation>> {
        let id = self.id_str();
        request(ctx)
            .relations
            .load_one(id.to_owned())
            .await
            .map_err(internal)?
            .ok_or_else(|| internal(format!("relation {id} is in the projection but not in the store")))
    }
}

#[Object]
impl Relation {
    /// `{source}--{property}--{target}`.
    async fn id(&self) -> ID {
        ID(self.id_str().to_owned())
    }
    async fn iri(&self) -> String {
        relation_iri(self.id_str())
    }
    /// IRI of the relation's property, e.g. https://w3id.org/govgraph/ns#inspired.
    async fn predicate(&self) -> &str {
        self.catalog.relation_predicate(self.relation)
    }
    /// The property read from source to target, e.g. "inspired".
    async fn label(&self) -> &str {
        self.catalog
            .predicate_labels(self.catalog.relation_predicate(self.relation))
            .0
    }
    /// The property read from target to source, e.g. "was inspired by".
    async fn inverse_label(&self) -> &str {
        self.catalog
            .predicate_labels(self.catalog.relation_predicate(self.relation))
            .1
    }
    async fn kind(&self) -> RelationKind {
        self.catalog.relation_kind(self.relation).into()
    }
    async fn evidence_type(&self, ctx: &Context<'_>) -> Option<Result<EvidenceType>> {
        detail(self.details(ctx).await, |details| details.evidence_type.map(Into::into))
    }
    /// The curator's confidence, from 0 to 1.
    async fn confidence(&self, ctx: &Context<'_>) -> Option<Result<f64>> {
        detail(self.details(ctx).await, |details| details.confidence)
    }
    /// Why an inferred relation is believed.
    async fn inference_reason(&self, ctx: &Context<'_>) -> Option<Result<String>> {
        detail(self.details(ctx).await, |details| details.inference_reason.clone())
    }
    async fn source(&self) -> Entity {
        self.end(self.catalog.relation_ends(self.relation).0)
    }
    async fn target(&self) -> Entity {
        self.end(self.catalog.relation_ends(self.relation).1)
    }
    /// Provenance: where this relation is stated.
    async fn sources(&self, ctx: &Context<'_>) -> Result<Vec<Source>> {
        Ok(self.details(ctx).await?.citations.iter().cloned().map(Source).collect())
    }
}

/// One piece of provenance.
pub struct Source(pub model::Citation);

#[Object]
impl Source {
    /// A seed file name (the text under seed/sources/), a URL, or an imported file's name.
    async fn document(&self) -> &str {
        &self.0.document
    }
    /// The words the document says, verbatim; "..." marks an omission.
    async fn quote(&self) -> Option<&str> {
        self.0.quote.as_deref()
    }
    /// The document's title, when known.
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }
    /// The document's IRI.
    async fn document_iri(&self) -> &str {
        &self.0.document_iri
    }
    /// The document as an entity of the graph, when it is one.
    async fn document_entity(&self, ctx: &Context<'_>) -> Option<Result<Entity>> {
        let id = self.0.document_entity.as_ref()?;
        entities(ctx, std::slice::from_ref(id))
            .await
            .map(|found| found.into_iter().next())
            .transpose()
    }
}

/// A path: every entity and every relation along it, in order.
pub struct Path(pub FoundPath);

#[Object]
impl Path {
    /// Number of relations.
    async fn length(&self) -> usize {
        self.0.relations.len()
    }
    /// The entities along the path, from the start to the end.
    async fn nodes(&self, ctx: &Context<'_>) -> Result<Vec<Entity>> {
        entities(ctx, &self.0.nodes).await
    }
    /// The relations along the path: relations[i] joins nodes[i] and nodes[i+1] (in either
    /// direction unless the query was directed).
    async fn relations(&self, ctx: &Context<'_>) -> Result<Vec<Relation>> {
        relations(ctx, &self.0.relations).await
    }
}

/// A neighbourhood: entities and every relation between them.
pub struct Subgraph(pub FoundSubgraph);

#[Object]
impl Subgraph {
    async fn nodes(&self, ctx: &Context<'_>) -> Result<Vec<Entity>> {
        entities(ctx, &self.0.nodes).await
    }
    async fn relations(&self, ctx: &Context<'_>) -> Result<Vec<Relation>> {
        relations(ctx, &self.0.relations).await
    }
    /// True when the node limit left reachable entities out.
    async fn truncated(&self) -> bool {
        self.0.truncated
    }
}

/// An entity and its score.
pub struct Ranked {
    pub id: String,
    pub score: f64,
}

#[Object]
impl Ranked {
    async fn entity(&self, ctx: &Context<'_>) -> Result<Entity> {
        entity(ctx, &self.id).await
    }
    async fn score(&self) -> f64 {
        self.score
    }
}

/// A weakly connected component.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Component {
    /// Number of entities.
    pub size: usize,
    #[graphql(skip)]
    pub members: Vec<String>,
}

#[ComplexObject]
impl Component {
    /// Its entities, by id, at most `first`.
    async fn entities(&self, ctx: &Context<'_>, #[graphql(default = 20)] first: usize) -> Result<Vec<Entity>> {
        let first = first.min(request(ctx).limits.max_page);
        entities(ctx, &self.members[..first.min(self.members.len())]).await
    }
}

#[derive(SimpleObject)]
pub struct KindCount {
    pub kind: EntityKind,
    pub count: usize,
}

#[derive(SimpleObject)]
pub struct OpennessCount {
    /// Null counts the entities whose openness the sources do not give.
    pub openness: Option<Openness>,
    pub count: usize,
}

#[derive(SimpleObject)]
pub struct RelationKindCount {
    pub kind: RelationKind,
    pub count: usize,
}

/// Counts over the whole graph.
#[derive(SimpleObject)]
pub struct Stats {
    pub entities: usize,
    pub relations: usize,
    pub by_kind: Vec<KindCount>,
    pub by_openness: Vec<OpennessCount>,
    pub by_relation_kind: Vec<RelationKindCount>,
    /// The dataset version these counts describe.
    pub dataset_version: String,
}
