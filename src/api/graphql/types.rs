//! The GraphQL output types: thin wrappers over model values whose resolvers load what they
//! point at through the request's data loaders. Doc comments become the schema's descriptions.

use super::cite::{Citation, cite};
use super::errors::internal;
use super::request;
use crate::model;
use crate::services::catalog::Catalog;
use crate::services::explore::{self, FoundPath, FoundSubgraph};
use crate::services::handles::{EntityHandle, RelationHandle};
use crate::services::packed::Summary;
use crate::store::vocab::{entity_iri, relation_iri};
use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Object, Result, SimpleObject};
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
    EntityKind = model::EntityKind {
        /// A body with members or staff (a UN organ, an agency, a government, a company, a
        /// foundation), or a standing process that acts like one (the WSIS process, the IGF).
        Organization,
        /// A meeting or event with a date (possibly still TBD): a conference, a session, a
        /// briefing; or a recurring series of them (the annual WSIS Forum).
        Meeting,
        /// A written artefact: a statement, a report, a resolution, a diagram. Its openness is how
        /// it was produced (who could take part), not whether it can be read.
        Document,
        /// A standing forum where stakeholders deliberate: a working group, a panel, a
        /// mailing-list movement, a coalition, an IGF best practice forum.
        DiscussionSpace,
        /// A person.
        Person,
    }
}

mirror_enum! {
    /// OPEN: "open or partially open"; CLOSED: "closed or partially closed".
    Openness = model::Openness {
        /// Open or partially open (the diagram's own words).
        Open,
        /// Closed or partially closed (the diagram's own words).
        Closed,
    }
}

mirror_enum! {
    /// DIRECT: one item organises, produces, prepares or continues the other. INDIRECT:
    /// influence, discussion or input.
    RelationKind = model::RelationKind {
        /// One item organises, produces, prepares or continues the other.
        Direct,
        /// One item influences the other, discusses it or gives input to it.
        Indirect,
    }
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
    /// Relations whose source is the entity; in a search, relations walked from source to target
    /// (downstream).
    Out,
    /// Relations whose target is the entity; in a search, relations walked from target to source
    /// (upstream).
    In,
    /// Relations whose source or target is the entity; in a search, relations walked either way.
    #[default]
    Both,
}

impl From<Direction> for explore::Direction {
    fn from(direction: Direction) -> Self {
        match direction {
            Direction::Out => Self::Out,
            Direction::In => Self::In,
            Direction::Both => Self::Both,
        }
    }
}

mirror_enum! {
    /// What `paths` makes of relations that join the same two entities (parallel relations: the
    /// IGF `contributesTo` WSIS, which `produces` it).
    ParallelRelations = explore::Parallel {
        /// One path per sequence of entities (the default): paths that differ only in which of
        /// two parallel relations they take count once, as their first in the order of relation
        /// ids, and each hop lists every relation between its two entities that the query's
        /// filters and direction allow.
        Fold,
        /// Every choice of relation its own path, each hop listing only the path's own relation:
        /// the k shortest paths over relations, as `paths` gave them before folding.
        Expand,
    }
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
    /// Closeness over the relations taken undirected (parallel ones once), as networkx's
    /// `closeness_centrality`: `(r / d) * (r / (n - 1))` for an entity reaching `r` others at
    /// distances summing to `d`, `n` the entities ranked over; 0 for one that reaches none.
    Closeness,
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

// What the catalog holds (names, kind, openness, dates, relations) is answered from memory; the
// rest (provenance, notes, location) is loaded from the store, in batches, when asked for.
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

/// An organization, meeting, document, discussion space or person of the history of Internet
/// governance, with its relations and the sources that describe it.
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
    /// The entity's name as the sources give it, e.g. "NETmundial 2014".
    async fn label(&self) -> &str {
        self.summary().label()
    }
    /// Other names: acronyms and the spellings the sources use.
    async fn aliases(&self) -> Vec<&str> {
        self.summary().aliases().collect()
    }
    /// What kind of entity it is (the diagram's legend).
    async fn kind(&self) -> EntityKind {
        self.summary().kind().into()
    }
    /// Whether it is open or closed to participation; null where the sources do not say.
    async fn openness(&self) -> Option<Openness> {
        self.summary().openness().map(Into::into)
    }
    /// Why the entity is open or closed, and on what evidence; null when no note was recorded.
    async fn openness_note(&self, ctx: &Context<'_>) -> Option<Result<String>> {
        detail(self.details(ctx).await, |details| details.openness_note.clone())
    }
    /// A short description of the entity in plain text; null when there is none.
    async fn description(&self) -> Option<&str> {
        self.summary().description()
    }
    /// ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD); for a document, when it was issued; null if
    /// unknown or TBD (see dateStatus).
    async fn start_date(&self) -> Option<String> {
        self.summary().start().map(|date| date.to_string())
    }
    /// When it ended, for a meeting or event that spans several days or years (ISO 8601, as
    /// `startDate`); null for a single date, for one still going on, or when unknown.
    async fn end_date(&self) -> Option<String> {
        self.summary().end().map(|date| date.to_string())
    }
    /// Why there is no date, when the sources give none (TBD, ongoing, unknown); null when the
    /// entity is dated, or nothing was recorded.
    async fn date_status(&self, ctx: &Context<'_>) -> Option<Result<DateStatus>> {
        detail(self.details(ctx).await, |details| details.date_status.map(Into::into))
    }
    /// The sources' own words about the date, e.g. "TBD (late january)"; null when they have
    /// none beyond the date itself.
    async fn date_note(&self, ctx: &Context<'_>) -> Option<Result<String>> {
        detail(self.details(ctx).await, |details| details.date_note.clone())
    }
    /// Where a meeting or event took place, as the sources name it (e.g. "Montevideo, Uruguay");
    /// null when they do not say.
    async fn location(&self, ctx: &Context<'_>) -> Option<Result<String>> {
        detail(self.details(ctx).await, |details| details.location.clone())
    }
    /// A UN document symbol, for resolutions and reports (e.g. "A/RES/67/195"); null otherwise.
    async fn identifier(&self, ctx: &Context<'_>) -> Option<Result<String>> {
        detail(self.details(ctx).await, |details| details.identifier.clone())
    }
    /// The entity's relations, optionally of one kind and one direction, in the order of their ids.
    async fn relations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only relations of this kind; all \
                          kinds when absent.")]
        kind: Option<RelationKind>,
        #[graphql(
            default,
            desc = "Which side of the relations the entity is on: OUT (it is the source), IN (the \
                    target) or BOTH (the default)."
        )]
        direction: Direction,
    ) -> Result<Vec<Relation>> {
        let ids = self.catalog.relations_of(self.id_str(), kind.map(Into::into));
        let all = relations(ctx, &ids).await?;
        Ok(all
            .into_iter()
            .filter(|relation| {
                let (source, target) = relation.catalog.relation_ends(relation.relation);
                match direction {
                    Direction::Out => source == self.entity,
                    Direction::In => target == self.entity,
                    Direction::Both => true,
                }
            })
            .collect())
    }
    /// Number of its relations, outgoing and incoming, of every kind.
    async fn degree(&self) -> usize {
        self.catalog.relations_of(self.id_str(), None).len()
    }
    /// Where the entity is described: each document and the quote (provenance); empty when
    /// nothing was recorded.
    async fn sources(&self, ctx: &Context<'_>) -> Result<Vec<Source>> {
        Ok(self.details(ctx).await?.citations.iter().cloned().map(Source).collect())
    }
    /// Where each of its values comes from (openness, dates, date status, location), the
    /// values it states first: "why closed?" is `claims(property: "openness")`. Every value the
    /// entity states has at least one claim; a claim with `asserted: false` is another reading.
    async fn claims(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only claims about this property: \"openness\", \"startDate\", \"endDate\", \
                          \"issued\", \"location\" or \"dateStatus\"; another name is BAD_USER_INPUT.")]
        property: Option<String>,
    ) -> Result<Vec<Claim>> {
        claims_of(&self.details(ctx).await?.claims, property.as_deref())
    }
    /// The overarching theme a meeting gave itself, verbatim from its sources; null when none
    /// is recorded.
    async fn theme(&self, ctx: &Context<'_>) -> Option<Result<String>> {
        detail(self.details(ctx).await, |details| details.theme.clone())
    }
}

// Its ends, kind and predicate come from memory; evidence and provenance from the store when
// asked for.
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

/// A relation between two entities, read from `source` to `target` (e.g. a meeting `inspired`
/// a document), with its kind, evidence and provenance.
#[Object]
impl Relation {
    /// `{source}--{property}--{target}`, e.g. "onenet--coOrganizes--netmundial-2014".
    async fn id(&self) -> ID {
        ID(self.id_str().to_owned())
    }
    /// The relation's IRI (its linked-data name, under `/rel/`).
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
    /// Whether the relation is direct (organises, produces, continues) or indirect (influence,
    /// discussion, input), as the diagram draws it.
    async fn kind(&self) -> RelationKind {
        self.catalog.relation_kind(self.relation).into()
    }
    /// How the relation is known (a quote from a seed document or a public page, an inference,
    /// a curator's assertion); null when not recorded.
    async fn evidence_type(&self, ctx: &Context<'_>) -> Option<Result<EvidenceType>> {
        detail(self.details(ctx).await, |details| details.evidence_type.map(Into::into))
    }
    /// The curator's confidence that the relation holds, from 0 to 1; null when not given.
    async fn confidence(&self, ctx: &Context<'_>) -> Option<Result<f64>> {
        detail(self.details(ctx).await, |details| details.confidence)
    }
    /// Why an inferred relation is believed; null for relations that are not inferred.
    async fn inference_reason(&self, ctx: &Context<'_>) -> Option<Result<String>> {
        detail(self.details(ctx).await, |details| details.inference_reason.clone())
    }
    /// When the role or activity the relation states began (ISO 8601, e.g. a chair's first
    /// year); null when the sources do not say.
    async fn start_date(&self, ctx: &Context<'_>) -> Option<Result<String>> {
        detail(self.details(ctx).await, |details| {
            details.start_date.map(|d| d.to_string())
        })
    }
    /// When it ended; null when the sources do not bound it.
    async fn end_date(&self, ctx: &Context<'_>) -> Option<Result<String>> {
        detail(self.details(ctx).await, |details| {
            details.end_date.map(|d| d.to_string())
        })
    }
    /// The entity the relation starts from (its subject: the one that, e.g., `inspired`).
    async fn source(&self) -> Entity {
        self.end(self.catalog.relation_ends(self.relation).0)
    }
    /// The entity the relation points to (its object: the one that, e.g., was inspired).
    async fn target(&self) -> Entity {
        self.end(self.catalog.relation_ends(self.relation).1)
    }
    /// Provenance: each document that states this relation, with its quote.
    async fn sources(&self, ctx: &Context<'_>) -> Result<Vec<Source>> {
        Ok(self.details(ctx).await?.citations.iter().cloned().map(Source).collect())
    }
    /// How to cite this relation: its own source documents, the query and the dataset version,
    /// as CSL-JSON and BibTeX.
    async fn cite(&self, ctx: &Context<'_>) -> Result<Citation> {
        let (source, target) = self.catalog.relation_ends(self.relation);
        let (label, _) = self
            .catalog
            .predicate_labels(self.catalog.relation_predicate(self.relation));
        let title = format!(
            "{} {label} {} (govgraph knowledge graph)",
            self.catalog.entity_summary(source).label(),
            self.catalog.entity_summary(target).label()
        );
        cite(ctx, title, &[], &[self.id_str().to_owned()]).await
    }
}

pub struct Claim(pub model::Claim);

/// One value of an entity with where it comes from, as a relation carries its provenance:
/// "why closed?" is the openness claim's sources, evidence type and reason.
#[Object]
impl Claim {
    /// The property the claim is about: "openness", "startDate", "endDate", "issued",
    /// "location" or "dateStatus".
    async fn property(&self) -> &str {
        self.0.property.name()
    }
    /// The value claimed, as the entity's field shows it: "open"/"closed", an ISO date, a place,
    /// "tbd"/"ongoing"/"unknown"; null when the stored value is not one of these.
    async fn value(&self) -> Option<&str> {
        self.0.value.as_deref()
    }
    /// Whether the entity states this value as its own. False for another reading the sources
    /// give: a date a later page states for a box the diagram leaves TBD.
    async fn asserted(&self) -> bool {
        self.0.asserted
    }
    /// How the value is known: quoted from a seed document, quoted from a public page,
    /// inferred, or stated by a curator.
    async fn evidence_type(&self) -> Option<EvidenceType> {
        self.0.evidence_type.map(Into::into)
    }
    /// The curator's confidence from 0 to 1; null when none was stated (a quoted value).
    async fn confidence(&self) -> Option<f64> {
        self.0.confidence
    }
    /// Why an inferred value is believed; null for a quoted one.
    async fn inference_reason(&self) -> Option<&str> {
        self.0.inference_reason.as_deref()
    }
    /// The documents and quotes the value rests on.
    async fn sources(&self) -> Vec<Source> {
        self.0.citations.iter().cloned().map(Source).collect()
    }
}

/// The claims of an entity, of one property when `property` names one.
pub fn claims_of(claims: &[model::Claim], property: Option<&str>) -> Result<Vec<Claim>> {
    let property = property
        .map(|name| {
            name.parse::<model::ClaimProperty>()
                .map_err(|message| super::errors::coded(message, crate::error_code::ErrorCode::BadUserInput))
        })
        .transpose()?;
    Ok(claims
        .iter()
        .filter(|claim| property.is_none_or(|wanted| claim.property == wanted))
        .cloned()
        .map(Claim)
        .collect())
}

pub struct Source(pub model::Citation);

/// One piece of provenance: a document and what it says.
#[Object]
impl Source {
    /// A seed file name (the text under seed/sources/), a URL, or an imported file's name.
    async fn document(&self) -> &str {
        &self.0.document
    }
    /// The words the document says, verbatim; "..." marks an omission; null when the source is
    /// cited without a quote.
    async fn quote(&self) -> Option<&str> {
        self.0.quote.as_deref()
    }
    /// The document's title; null when not known.
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }
    /// The IRI the document is recorded under: a document entity's IRI, a web page's URL, or the
    /// IRI given to a file.
    async fn document_iri(&self) -> &str {
        &self.0.document_iri
    }
    /// The document as an entity of the graph; null when it is not one (a web page, a file).
    async fn document_entity(&self, ctx: &Context<'_>) -> Option<Result<Entity>> {
        let id = self.0.document_entity.as_ref()?;
        entities(ctx, std::slice::from_ref(id))
            .await
            .map(|found| found.into_iter().next())
            .transpose()
    }
}

pub struct Path(pub FoundPath);

/// A path: every entity and every relation along it, in order.
#[Object]
impl Path {
    /// Number of relations along the path (one fewer than its entities).
    async fn length(&self) -> usize {
        self.0.relations.len()
    }
    /// The entities along the path, from the start to the end.
    async fn nodes(&self, ctx: &Context<'_>) -> Result<Vec<Entity>> {
        entities(ctx, &self.0.nodes).await
    }
    /// The relations along the path: relations[i] joins nodes[i] and nodes[i+1] (walked the way
    /// the query's `direction` says; a symmetric relation either way).
    async fn relations(&self, ctx: &Context<'_>) -> Result<Vec<Relation>> {
        relations(ctx, &self.0.relations).await
    }
    /// The steps of the path, one per relation: hops[i] goes from nodes[i] to nodes[i+1] and
    /// lists the relations between them that the step stands for (see `ParallelRelations`).
    async fn hops(&self) -> Vec<Hop<'_>> {
        let ends = self.0.nodes.windows(2);
        ends.zip(&self.0.hops)
            .map(|(ends, relations)| Hop {
                from: &ends[0],
                to: &ends[1],
                relations,
            })
            .collect()
    }
    /// How to cite this path: the source documents of its entities and relations, the query
    /// and the dataset version, as CSL-JSON and BibTeX.
    async fn cite(&self, ctx: &Context<'_>) -> Result<Citation> {
        let catalog = request(ctx).catalog();
        let label = |id: Option<&String>| {
            id.and_then(|id| catalog.entity_handle(id))
                .map(|entity| catalog.entity_summary(entity).label().to_owned())
                .unwrap_or_default()
        };
        let title = format!(
            "Path from {} to {} (govgraph knowledge graph)",
            label(self.0.nodes.first()),
            label(self.0.nodes.last())
        );
        cite(ctx, title, &self.0.nodes, &self.0.relations).await
    }
}

pub struct Hop<'p> {
    from: &'p str,
    to: &'p str,
    relations: &'p [String],
}

/// One step of a path, from one entity to the next, with the relations between them it stands
/// for.
#[Object]
impl Hop<'_> {
    /// The entity the step leaves.
    async fn from(&self, ctx: &Context<'_>) -> Result<Entity> {
        entity(ctx, self.from).await
    }
    /// The entity the step reaches.
    async fn to(&self, ctx: &Context<'_>) -> Result<Entity> {
        entity(ctx, self.to).await
    }
    /// The relations between the two entities that the step stands for, in the order of their
    /// ids, the path's own relation first: with `parallel: FOLD` (and for `path`) every relation
    /// the query's filters and direction allow; with `parallel: EXPAND` the path's own relation
    /// only. A relation appears under its stored source and target, whichever way it was walked.
    async fn relations(&self, ctx: &Context<'_>) -> Result<Vec<Relation>> {
        relations(ctx, self.relations).await
    }
}

pub struct Subgraph(pub FoundSubgraph);

/// A neighbourhood: entities and every relation between them.
#[Object]
impl Subgraph {
    /// The entities reached, breadth-first: the roots first, then by distance from them.
    async fn nodes(&self, ctx: &Context<'_>) -> Result<Vec<Entity>> {
        entities(ctx, &self.0.nodes).await
    }
    /// Every relation between two of the entities returned (that the query's filters keep).
    async fn relations(&self, ctx: &Context<'_>) -> Result<Vec<Relation>> {
        relations(ctx, &self.0.relations).await
    }
    /// True when the node limit left reachable entities out.
    async fn truncated(&self) -> bool {
        self.0.truncated
    }
    /// How to cite this subgraph: the source documents of its entities and relations, the
    /// query and the dataset version, as CSL-JSON and BibTeX.
    async fn cite(&self, ctx: &Context<'_>) -> Result<Citation> {
        let catalog = request(ctx).catalog();
        let around = self
            .0
            .nodes
            .first()
            .and_then(|id| catalog.entity_handle(id))
            .map(|entity| catalog.entity_summary(entity).label().to_owned())
            .unwrap_or_default();
        let title = format!(
            "Subgraph of {} entities and {} relations around {around} (govgraph knowledge graph)",
            self.0.nodes.len(),
            self.0.relations.len()
        );
        cite(ctx, title, &self.0.nodes, &self.0.relations).await
    }
}

pub struct Ranked {
    pub id: String,
    pub score: f64,
}

/// An entity and its score by a centrality measure.
#[Object]
impl Ranked {
    /// The entity ranked.
    async fn entity(&self, ctx: &Context<'_>) -> Result<Entity> {
        entity(ctx, &self.id).await
    }
    /// Its score by the measure asked for (see `CentralityMetric` for each one's scale).
    async fn score(&self) -> f64 {
        self.score
    }
}

/// A weakly connected component.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Component {
    /// Number of entities in the component.
    pub size: usize,
    #[graphql(skip)]
    pub members: Vec<String>,
}

#[ComplexObject]
impl Component {
    /// Its entities, in the order of their ids, at most `first`.
    async fn entities(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default = 20,
            desc = "How many entities to return (default 20); more than the server's page limit \
                    (`--max-page`, 500 by default) returns that many."
        )]
        first: usize,
    ) -> Result<Vec<Entity>> {
        let first = first.min(request(ctx).limits.max_page);
        entities(ctx, &self.members[..first.min(self.members.len())]).await
    }
}

/// A partition of the graph into communities.
pub struct CommunityReport {
    pub report: Arc<crate::services::catalog::CommunityReport>,
    pub first: usize,
}

/// Communities of the graph (Leiden, maximising modularity), taken undirected with parallel
/// relations as one edge.
#[Object]
impl CommunityReport {
    /// Newman-Girvan modularity of the whole partition at the resolution asked for (0 when
    /// there are no relations).
    async fn modularity(&self) -> f64 {
        self.report.modularity
    }
    /// How many communities the partition has (an entity without relations is one of its own).
    async fn count(&self) -> usize {
        self.report.communities.len()
    }
    /// The communities, largest first, then by smallest member id; at most `first`.
    async fn communities(&self) -> Vec<Community> {
        (0..self.report.communities.len().min(self.first))
            .map(|id| Community {
                report: Arc::clone(&self.report),
                id,
            })
            .collect()
    }
}

/// `first`, or `default` without it; negative is BAD_USER_INPUT.
fn how_many(first: Option<i32>, default: usize) -> Result<usize> {
    first.map_or(Ok(default), |first| {
        usize::try_from(first).map_err(|_| {
            async_graphql::ErrorExtensions::extend(&explore::QueryError::BadInput {
                field: "first",
                message: "must not be negative".to_owned(),
            })
        })
    })
}

/// One community of a partition.
pub struct Community {
    pub report: Arc<crate::services::catalog::CommunityReport>,
    pub id: usize,
}

impl Community {
    fn part(&self) -> Option<&crate::services::catalog::CommunityIds> {
        self.report.communities.get(self.id)
    }
}

/// One community of a partition: its place, size, members and most connected members.
#[Object]
impl Community {
    /// Its place in the report's order (0 is the largest); stable for the same arguments and
    /// dataset version.
    async fn id(&self) -> usize {
        self.id
    }
    /// Number of entities in it.
    async fn size(&self) -> usize {
        self.part().map_or(0, |part| part.members.len())
    }
    /// Its entities, in the order of their ids, at most `first`.
    async fn members(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default_with = "Some(50)",
            desc = "How many entities (default 50); more than the server's page limit \
                    (`--max-page`, 500 by default) returns that many."
        )]
        first: Option<i32>,
    ) -> Result<Vec<Entity>> {
        let first = how_many(first, 50)?.min(request(ctx).limits.max_page);
        let members = self.part().map_or(&[][..], |part| &part.members[..]);
        entities(ctx, &members[..first.min(members.len())]).await
    }
    /// Its most connected entities: most neighbours inside the community first (relations
    /// taken undirected, parallel ones once), ties by id; at most `first`.
    async fn central(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default_with = "Some(5)",
            desc = "How many entities (default 5); more than the server's page limit \
                    (`--max-page`, 500 by default) returns that many."
        )]
        first: Option<i32>,
    ) -> Result<Vec<Entity>> {
        let first = how_many(first, 5)?.min(request(ctx).limits.max_page);
        let central = self.part().map_or(&[][..], |part| &part.central[..]);
        entities(ctx, &central[..first.min(central.len())]).await
    }
}

/// How many entities are of one kind.
#[derive(SimpleObject)]
pub struct KindCount {
    /// The kind.
    pub kind: EntityKind,
    /// Number of entities of that kind.
    pub count: usize,
}

/// How many entities have one openness.
#[derive(SimpleObject)]
pub struct OpennessCount {
    /// The openness; null counts the entities whose openness the sources do not give.
    pub openness: Option<Openness>,
    /// Number of entities with that openness.
    pub count: usize,
}

/// How many relations are of one kind.
#[derive(SimpleObject)]
pub struct RelationKindCount {
    /// The kind.
    pub kind: RelationKind,
    /// Number of relations of that kind.
    pub count: usize,
}

/// How many relations have one predicate.
#[derive(SimpleObject)]
pub struct PredicateCount {
    /// The predicate as the `predicates` filter takes it: its name in the ontology
    /// (`feedsInto`), or its IRI when it is not the ontology's.
    pub predicate: String,
    /// The predicate's IRI.
    pub iri: String,
    /// How the predicate reads from source to target.
    pub label: String,
    /// Number of relations with that predicate.
    pub count: usize,
}

/// How many relations are known by one kind of evidence.
#[derive(SimpleObject)]
pub struct EvidenceTypeCount {
    /// The evidence type; null for relations that state none.
    pub evidence_type: Option<EvidenceType>,
    /// Number of relations with that evidence type.
    pub count: usize,
}

/// Counts over the whole graph.
#[derive(SimpleObject)]
pub struct Stats {
    /// Number of entities.
    pub entities: usize,
    /// Number of relations.
    pub relations: usize,
    /// Entities by kind; kinds with no entity are left out.
    pub by_kind: Vec<KindCount>,
    /// Entities by openness, with null for those the sources do not rate.
    pub by_openness: Vec<OpennessCount>,
    /// Relations by kind; kinds with no relation are left out.
    pub by_relation_kind: Vec<RelationKindCount>,
    /// Relations by predicate, in IRI order; predicates no relation has are left out.
    pub by_predicate: Vec<PredicateCount>,
    /// Relations by evidence type, with null for those that state none.
    pub by_evidence_type: Vec<EvidenceTypeCount>,
    /// The dataset version these counts describe.
    pub dataset_version: String,
}

/// Which way an order runs.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq, Default)]
pub enum OrderDirection {
    /// Smallest first (A to Z, earliest, least central).
    #[default]
    Asc,
    /// Largest first (Z to A, latest, most central).
    Desc,
}

/// What `entities` can be ordered by.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum EntityOrderField {
    /// The label, ignoring case and accents.
    Label,
    /// The start (or issue) date, by its first day; undated entities come last either way.
    StartDate,
    /// Number of relations (in and out), over the whole graph.
    Degree,
    /// PageRank over the whole graph.
    Pagerank,
    /// Betweenness over the whole graph.
    Betweenness,
    /// Closeness over the whole graph.
    Closeness,
}

/// An order for `entities`; ties are broken by id (ascending), so pages stay stable.
#[derive(InputObject, Copy, Clone, Debug)]
pub struct EntityOrder {
    /// What to order by.
    pub field: EntityOrderField,
    /// Which way: ASC by default.
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// How many entities start in one year.
#[derive(SimpleObject)]
pub struct YearCount {
    /// The year of the start (or issue) date.
    pub year: i32,
    /// Number of entities starting that year.
    pub count: usize,
}

/// How many entities one document states.
#[derive(SimpleObject)]
pub struct SourceCount {
    /// The document, as `Source.document` shows it (a seed file name, a URL, an imported file's name).
    pub document: String,
    /// Number of entities whose evidence or claims cite it.
    pub count: usize,
}

/// A document cited as evidence, with how much of the graph it states.
#[derive(SimpleObject)]
pub struct SourceDocument {
    /// As `Source.document` shows it: a seed file name, a URL, or an imported file's name; give
    /// it as a `source` argument.
    pub document: String,
    /// Its title; null when not known.
    pub label: Option<String>,
    /// Number of entities whose evidence, or the evidence of whose claims, cites it.
    pub entities: usize,
    /// Number of relations whose evidence cites it.
    pub relations: usize,
}
