//! The curation mutations (docs/curating.md) and the `graphChanged` subscription. Every mutation needs the
//! admin token, checks its input field by field (`BAD_USER_INPUT` naming the field), writes in
//! one transaction, and answers from the catalog it made (read-your-writes).

use super::errors::{coded, internal, store_error};
use super::request;
use super::types::{Entity, EntityKind, EvidenceType, Openness, Relation, RelationKind};
use crate::api::write::{Refusal, WriteError, write};
use crate::error_code::ErrorCode;
use crate::model::{Change, EntityPatch as ModelPatch};
use crate::services::catalog::Catalog;
use crate::services::changes::{ChangeOp as ModelChangeOp, GraphChange as ModelChange};
use crate::services::curate::{
    self, EntityInput as ModelEntityInput, RelationInput as ModelRelationInput, SourceInput as ModelSource,
};
use crate::services::explore::QueryError;
use crate::services::writes::{self, Written};
use crate::store::{Store, StoreError};
use async_graphql::futures_util::Stream;
use async_graphql::{
    Context, Enum, Error, ErrorExtensions, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject, Subscription,
};
use tokio::sync::broadcast;

/// Where a statement comes from: a document — a URL, a document entity's id or label, or a seed
/// file name — and the words it says.
#[derive(InputObject, Clone)]
pub struct SourceInput {
    /// The document: a URL, a document entity's id or label, or a seed file name; anything else
    /// is BAD_USER_INPUT.
    pub document: String,
    /// The words the document says, verbatim ("..." marks an omission); optional.
    pub quote: Option<String>,
}

/// A new entity. `id` is a slug, derived from the label when absent; `sources` may not be empty.
#[derive(InputObject, Clone)]
pub struct EntityInput {
    /// The new entity's id, a slug (e.g. "netmundial-2014"); one in use is BAD_USER_INPUT. When
    /// absent, made from the label, with "-2", "-3"... if that one is taken.
    pub id: Option<ID>,
    /// Its name; not blank.
    pub label: String,
    /// What kind of entity it is.
    pub kind: EntityKind,
    /// Whether it is open or closed; leave it out when the sources do not say.
    pub openness: Option<Openness>,
    /// Other names: acronyms and other spellings; none when absent.
    pub aliases: Option<Vec<String>>,
    /// A short description in plain text.
    pub description: Option<String>,
    /// ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD.
    pub start_date: Option<String>,
    /// When it ended, in the same format; not before `startDate`.
    pub end_date: Option<String>,
    /// Where it took place, e.g. "Montevideo, Uruguay".
    pub location: Option<String>,
    /// Where the entity is described (provenance): at least one source.
    pub sources: Vec<SourceInput>,
    /// Where its values come from (openness, dates, location): a value without a claim of its
    /// own is ASSERTED on `sources`.
    #[graphql(default)]
    pub claims: Vec<ClaimInput>,
}

/// Changes to an entity: a field left out is kept; a field set to null is removed.
#[derive(InputObject, Clone)]
pub struct EntityPatch {
    /// A new label; an entity always has one, so null keeps it.
    pub label: Option<String>,
    /// A new openness; null removes it (the sources do not say).
    pub openness: MaybeUndefined<Openness>,
    /// The aliases, replacing all of them (`[]` removes them); null keeps them.
    pub aliases: Option<Vec<String>>,
    /// A new description; null removes it.
    pub description: MaybeUndefined<String>,
    /// A new start date (ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD); null removes it.
    pub start_date: MaybeUndefined<String>,
    /// A new end date, not before the start date; null removes it.
    pub end_date: MaybeUndefined<String>,
    /// A new location; null removes it.
    pub location: MaybeUndefined<String>,
    /// Claims replacing every claim of their properties. A value changed without one loses the
    /// claims of the old value and is ASSERTED.
    #[graphql(default)]
    pub claims: Vec<ClaimInput>,
}

/// Where a value comes from, given with it.
#[derive(InputObject, Clone)]
pub struct ClaimInput {
    /// "openness", "startDate", "endDate", "issued", "location" or "dateStatus".
    pub property: String,
    /// The value, as the entity's field takes it ("closed", "2014-04-23", "London", "tbd").
    pub value: String,
    /// How the value is known; INFERRED needs `inferenceReason` and a `confidence` below 1,
    /// SEED_QUOTE and PUBLIC_SOURCE a quote from a document of the graph or a web page.
    pub evidence_type: EvidenceType,
    /// From 0 to 1.
    pub confidence: Option<f64>,
    /// Why an inferred value is believed.
    pub inference_reason: Option<String>,
    /// The documents (entity ids or URLs) and quotes the value rests on.
    #[graphql(default)]
    pub sources: Vec<SourceInput>,
}

impl ClaimInput {
    /// The claim as the curators' service takes it.
    pub fn to_service(&self) -> curate::ClaimInput {
        curate::ClaimInput {
            property: self.property.clone(),
            value: self.value.clone(),
            evidence_type: self.evidence_type.into(),
            confidence: self.confidence,
            inference_reason: self.inference_reason.clone(),
            sources: sources(&self.sources),
        }
    }
}

/// A new relation between two refs; `predicate` is a property of the ontology (e.g. `inspired`)
/// or its IRI, "related to" when absent; `sources` may not be empty.
#[derive(InputObject, Clone)]
pub struct RelationInput {
    /// The entity the relation starts from: a ref (id, IRI, label or alias).
    pub source: String,
    /// The entity it points to: a ref, not the source itself.
    pub target: String,
    /// Whether the relation is direct or indirect.
    pub kind: RelationKind,
    /// A relation property of the ontology, by name (e.g. `inspired`, `partOf`) or IRI; "related
    /// to" when absent.
    pub predicate: Option<String>,
    /// Where the relation is stated (provenance): at least one source. The first one sets the
    /// evidence type: a quote from a URL is PUBLIC_SOURCE, from a document of the graph
    /// SEED_QUOTE; without a quote, ASSERTED.
    pub sources: Vec<SourceInput>,
}

fn sources(inputs: &[SourceInput]) -> Vec<ModelSource> {
    inputs
        .iter()
        .map(|s| ModelSource {
            document: s.document.clone(),
            quote: s.quote.clone(),
        })
        .collect()
}

fn change<T: Clone, U>(
    value: &MaybeUndefined<T>,
    convert: impl FnOnce(T) -> Result<U, QueryError>,
) -> Result<Change<U>, QueryError> {
    Ok(match value {
        MaybeUndefined::Undefined => Change::Keep,
        MaybeUndefined::Null => Change::Clear,
        MaybeUndefined::Value(value) => Change::Set(convert(value.clone())?),
    })
}

fn refused(refusal: Refusal) -> Error {
    let code = match refusal {
        Refusal::NoToken | Refusal::WrongToken => ErrorCode::Unauthenticated,
        Refusal::ReadOnly => ErrorCode::ReadOnly,
    };
    coded(refusal.message(), code)
}

fn failed(error: WriteError) -> Error {
    match error {
        WriteError::Write(writes::WriteError::Query(error)) => error.extend(),
        WriteError::Write(writes::WriteError::Store(error)) => {
            if let StoreError::Remote { .. } = error {
                tracing::warn!(%error, "write refused: the store is unavailable");
            }
            store_error(&error)
        }
        WriteError::Panicked(error) => internal(error),
    }
}

/// Checks the token, runs the write through the write path, moves this request to the new
/// catalog (read-your-writes).
async fn mutate<T: Send + 'static>(
    ctx: &Context<'_>,
    work: impl FnOnce(&Store, &Catalog) -> Result<Written<T>, writes::WriteError> + Send + 'static,
) -> Result<T> {
    let data = request(ctx);
    data.authorization.map_err(refused)?;
    let Some(state) = &data.state else {
        return Err(internal("a mutation without the application state"));
    };
    let (result, catalog) = write(state, work).await.map_err(failed)?;
    data.move_to(catalog);
    Ok(result)
}

async fn load_entity(ctx: &Context<'_>, id: String) -> Result<Entity> {
    super::types::entities(ctx, &[id])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| internal("a written entity is missing"))
}

pub struct Mutation;

/// The curators' writes: each needs the admin token (`Authorization: Bearer ...`; without it
/// UNAUTHENTICATED, READ_ONLY on a server started without writes), checks its input field by
/// field (BAD_USER_INPUT naming the field) and answers from the data it wrote.
#[Object]
impl Mutation {
    /// Creates an entity, with its provenance, in the curated graph.
    async fn create_entity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new entity and its sources.")] input: EntityInput,
    ) -> Result<Entity> {
        let input = ModelEntityInput {
            id: input.id.map(|id| id.0),
            label: input.label,
            kind: Some(input.kind.into()),
            openness: input.openness.map(Into::into),
            aliases: input.aliases.unwrap_or_default(),
            description: input.description,
            start_date: input.start_date,
            end_date: input.end_date,
            location: input.location,
            sources: sources(&input.sources),
            claims: input.claims.iter().map(ClaimInput::to_service).collect(),
        };
        let id = mutate(ctx, move |store, catalog| {
            curate::write::create_entity(store, catalog, &input)
        })
        .await?;
        load_entity(ctx, id).await
    }

    /// Changes an entity's own fields.
    async fn update_entity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The entity's id (not a label or alias).")] id: ID,
        #[graphql(desc = "The fields to change; those left out are kept.")] patch: EntityPatch,
    ) -> Result<Entity> {
        let given: Vec<_> = patch.claims.iter().map(ClaimInput::to_service).collect();
        let patch = (|| -> Result<ModelPatch, QueryError> {
            Ok(ModelPatch {
                label: patch.label.clone(),
                openness: change(&patch.openness, |o| Ok(o.into()))?,
                aliases: patch.aliases.clone(),
                description: change(&patch.description, |d| curate::patch_text("description", &d))?,
                start_date: change(&patch.start_date, |d| curate::patch_date("startDate", &d))?,
                end_date: change(&patch.end_date, |d| curate::patch_date("endDate", &d))?,
                location: change(&patch.location, |l| curate::patch_text("location", &l))?,
                claims: Vec::new(),
            })
        })()
        .map_err(|error| error.extend())?;
        let id = id.0;
        let target = id.clone();
        mutate(ctx, move |store, catalog| {
            curate::write::update_entity(store, catalog, &target, &patch, &given)
        })
        .await?;
        load_entity(ctx, id).await
    }

    /// Deletes an entity and its relations. A document still cited as a source cannot be
    /// deleted.
    async fn delete_entity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The entity's id (not a label or alias); an \
                          unknown one is NOT_FOUND.")]
        id: ID,
    ) -> Result<bool> {
        mutate(ctx, move |store, catalog| {
            curate::write::delete_entity(store, catalog, &id.0)
        })
        .await
    }

    /// Creates a relation between two refs, with its provenance, in the curated graph.
    async fn create_relation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new relation and its sources.")] input: RelationInput,
    ) -> Result<Relation> {
        let input = ModelRelationInput {
            source: input.source,
            target: input.target,
            kind: Some(input.kind.into()),
            predicate: input.predicate,
            sources: sources(&input.sources),
        };
        let id = mutate(ctx, move |store, catalog| {
            curate::write::create_relation(store, catalog, &input)
        })
        .await?;
        super::types::relations(ctx, std::slice::from_ref(&id))
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| internal("a written relation is missing"))
    }

    /// Deletes a relation, and the triples it alone implied.
    async fn delete_relation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The relation's id, \
                          `{source}--{property}--{target}`; an unknown one is NOT_FOUND.")]
        id: ID,
    ) -> Result<bool> {
        mutate(ctx, move |store, catalog| {
            curate::write::delete_relation(store, catalog, &id.0)
        })
        .await
    }
}

/// What a write did to an entity or a relation.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum ChangeOp {
    /// It was created.
    Created,
    /// Its fields changed.
    Updated,
    /// It was deleted (an entity's relations are deleted with it, each with its own event).
    Deleted,
}

/// One change made by an acknowledged write.
#[derive(SimpleObject)]
pub struct GraphChange {
    /// What the write did.
    pub op: ChangeOp,
    /// The entity changed; null when the change is to a relation.
    pub entity_id: Option<ID>,
    /// The relation changed; null when the change is to an entity.
    pub relation_id: Option<ID>,
    /// How many events this subscriber missed just before this one, because it read too slowly
    /// (writers never wait for subscribers). Refetch what you show when it is not 0.
    pub missed: u64,
}

fn event(change: ModelChange, missed: u64) -> GraphChange {
    GraphChange {
        op: match change.op {
            ModelChangeOp::Created => ChangeOp::Created,
            ModelChangeOp::Updated => ChangeOp::Updated,
            ModelChangeOp::Deleted => ChangeOp::Deleted,
        },
        entity_id: change.entity_id.map(ID),
        relation_id: change.relation_id.map(ID),
        missed,
    }
}

pub struct Subscription;

/// Live events, over the graphql-transport-ws protocol on `/graphql`; no token needed.
#[Subscription]
impl Subscription {
    /// The changes of every acknowledged write — mutations, SPARQL Update, Graph Store writes —
    /// as they happen.
    async fn graph_changed(&self, ctx: &Context<'_>) -> impl Stream<Item = GraphChange> {
        let receiver = ctx.data_unchecked::<broadcast::Sender<ModelChange>>().subscribe();
        async_graphql::futures_util::stream::unfold((receiver, 0_u64), |(mut receiver, mut missed)| async move {
            loop {
                match receiver.recv().await {
                    Ok(change) => return Some((event(change, missed), (receiver, 0))),
                    Err(broadcast::error::RecvError::Lagged(count)) => missed += count,
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        })
    }
}
