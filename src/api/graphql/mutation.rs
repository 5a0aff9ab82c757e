//! The curation mutations (docs/curating.md) and the `graphChanged` subscription. Every mutation needs the
//! admin token, checks its input field by field (`BAD_USER_INPUT` naming the field), writes in
//! one transaction, and answers from the catalog it made (read-your-writes).

use super::errors::{coded, internal, store_error};
use super::request;
use super::types::{Entity, EntityKind, Openness, Relation, RelationKind};
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
    pub document: String,
    pub quote: Option<String>,
}

/// A new entity. `id` is a slug, derived from the label when absent; `sources` may not be empty.
#[derive(InputObject, Clone)]
pub struct EntityInput {
    pub id: Option<ID>,
    pub label: String,
    pub kind: EntityKind,
    pub openness: Option<Openness>,
    pub aliases: Option<Vec<String>>,
    pub description: Option<String>,
    /// ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD.
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub location: Option<String>,
    pub sources: Vec<SourceInput>,
}

/// Changes to an entity: a field left out is kept; a field set to null is removed.
#[derive(InputObject, Clone)]
pub struct EntityPatch {
    pub label: Option<String>,
    pub openness: MaybeUndefined<Openness>,
    pub aliases: Option<Vec<String>>,
    pub description: MaybeUndefined<String>,
    pub start_date: MaybeUndefined<String>,
    pub end_date: MaybeUndefined<String>,
    pub location: MaybeUndefined<String>,
}

/// A new relation between two refs; `predicate` is a property of the ontology (e.g. `inspired`)
/// or its IRI, "related to" when absent; `sources` may not be empty.
#[derive(InputObject, Clone)]
pub struct RelationInput {
    pub source: String,
    pub target: String,
    pub kind: RelationKind,
    pub predicate: Option<String>,
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

#[Object]
impl Mutation {
    /// Creates an entity, with its provenance, in the curated graph.
    async fn create_entity(&self, ctx: &Context<'_>, input: EntityInput) -> Result<Entity> {
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
        };
        let id = mutate(ctx, move |store, catalog| {
            curate::write::create_entity(store, catalog, &input)
        })
        .await?;
        load_entity(ctx, id).await
    }

    /// Changes an entity's own fields.
    async fn update_entity(&self, ctx: &Context<'_>, id: ID, patch: EntityPatch) -> Result<Entity> {
        let patch = (|| -> Result<ModelPatch, QueryError> {
            Ok(ModelPatch {
                label: patch.label.clone(),
                openness: change(&patch.openness, |o| Ok(o.into()))?,
                aliases: patch.aliases.clone(),
                description: change(&patch.description, |d| curate::patch_text("description", &d))?,
                start_date: change(&patch.start_date, |d| curate::patch_date("startDate", &d))?,
                end_date: change(&patch.end_date, |d| curate::patch_date("endDate", &d))?,
                location: change(&patch.location, |l| curate::patch_text("location", &l))?,
            })
        })()
        .map_err(|error| error.extend())?;
        let id = id.0;
        let target = id.clone();
        mutate(ctx, move |store, catalog| {
            curate::write::update_entity(store, catalog, &target, &patch)
        })
        .await?;
        load_entity(ctx, id).await
    }

    /// Deletes an entity and its relations. A document still cited as a source cannot be
    /// deleted.
    async fn delete_entity(&self, ctx: &Context<'_>, id: ID) -> Result<bool> {
        mutate(ctx, move |store, catalog| {
            curate::write::delete_entity(store, catalog, &id.0)
        })
        .await
    }

    /// Creates a relation between two refs, with its provenance, in the curated graph.
    async fn create_relation(&self, ctx: &Context<'_>, input: RelationInput) -> Result<Relation> {
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
    async fn delete_relation(&self, ctx: &Context<'_>, id: ID) -> Result<bool> {
        mutate(ctx, move |store, catalog| {
            curate::write::delete_relation(store, catalog, &id.0)
        })
        .await
    }
}

/// What a write did to an entity or a relation.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum ChangeOp {
    Created,
    Updated,
    Deleted,
}

/// One change made by an acknowledged write.
#[derive(SimpleObject)]
pub struct GraphChange {
    pub op: ChangeOp,
    pub entity_id: Option<ID>,
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
