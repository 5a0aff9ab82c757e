//! The GraphQL API: schema, request data, limits, and the HTTP transport (GraphQL over HTTP).

mod arguments;
mod cite;
mod errors;
mod extension;
pub mod http;
mod loaders;
mod mutation;
mod page;
pub mod parsed;
pub mod persisted;
mod query;
mod rankings;
mod relations;
mod search;
mod types;
mod variables;

use crate::config::Limits;
use crate::services::catalog::Catalog;
use crate::services::warnings::Warning;
use crate::store::Store;
use arc_swap::ArcSwap;
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, MergedObject, Schema};
use loaders::{EntityLoader, RelationLoader};
use std::sync::Arc;

pub type GovSchema = Schema<Query, mutation::Mutation, mutation::Subscription>;

/// What can be read: entities, the paths and neighbourhoods between them, counts and rankings.
#[derive(MergedObject, Default)]
pub struct Query(query::Explore, rankings::Rankings, search::TextSearch);

/// What every resolver of one request sees: one catalog snapshot (so a request never mixes two
/// versions of the data), the store, the limits and the request's data loaders.
pub struct RequestData {
    catalog: ArcSwap<Catalog>,
    pub limits: Limits,
    /// For what the catalog does not hold (a document's name, as a `source` filter gives it).
    pub store: Store,
    /// The application, for mutations (which write, then move this request to the new catalog).
    pub(super) state: Option<crate::api::AppState>,
    /// Whether the request may write, and if not why.
    pub(super) authorization: Result<(), crate::api::write::Refusal>,
    /// Why some answers are empty, with the path of the field each is about (`warn`).
    warnings: std::sync::Mutex<Vec<(Vec<String>, Warning)>>,
    /// What the request tells the citations of its answers (`cite`).
    pub(super) citing: cite::Citing,
    entities: DataLoader<EntityLoader>,
    relations: DataLoader<RelationLoader>,
    /// Where the request's time goes (`Server-Timing`); also in the request's data, for the
    /// schema extension.
    pub timing: Arc<crate::api::timing::Timing>,
}

impl RequestData {
    pub fn new(catalog: Arc<Catalog>, store: Store, limits: Limits) -> Self {
        Self {
            catalog: ArcSwap::new(catalog),
            limits,
            store: store.clone(),
            state: None,
            authorization: Err(crate::api::write::Refusal::NoToken),
            citing: cite::Citing::default(),
            warnings: std::sync::Mutex::default(),
            entities: DataLoader::new(EntityLoader(store.clone()), tokio::spawn),
            relations: DataLoader::new(RelationLoader(store), tokio::spawn),
            timing: Arc::default(),
        }
    }
}

impl RequestData {
    /// The catalog this request reads: the one current when it started, or the one its own
    /// mutation made (read-your-writes).
    pub fn catalog(&self) -> Arc<Catalog> {
        self.catalog.load_full()
    }

    fn move_to(&self, catalog: Arc<Catalog>) {
        self.catalog.store(catalog);
    }
}

impl RequestData {
    /// The warnings the resolvers gave, as `extensions.warnings` lists them: `{ code, message,
    /// path }`.
    pub fn take_warnings(&self) -> Vec<serde_json::Value> {
        let taken = match self.warnings.lock() {
            Ok(mut warnings) => std::mem::take(&mut *warnings),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        };
        taken
            .into_iter()
            .map(
                |(path, warning)| serde_json::json!({ "code": warning.code, "message": warning.message, "path": path }),
            )
            .collect()
    }
}

/// Adds `warnings` about the field `ctx` resolves to the response's `extensions.warnings`.
fn warn(ctx: &Context<'_>, warnings: Vec<Warning>) {
    if warnings.is_empty() {
        return;
    }
    let path = ctx.path_node.map(|node| node.to_string_vec()).unwrap_or_default();
    let mut kept = match request(ctx).warnings.lock() {
        Ok(kept) => kept,
        Err(poisoned) => poisoned.into_inner(),
    };
    kept.extend(warnings.into_iter().map(|warning| (path.clone(), warning)));
}

/// The request's data; present in every request the HTTP layer executes.
fn request<'a>(ctx: &Context<'a>) -> &'a RequestData {
    ctx.data_unchecked::<Arc<RequestData>>()
}

/// The schema with its limits. Introspection stays on: researchers explore the schema.
pub fn schema(
    limits: Limits,
    events: tokio::sync::broadcast::Sender<crate::services::changes::GraphChange>,
) -> GovSchema {
    Schema::build(Query::default(), mutation::Mutation, mutation::Subscription)
        .data(events)
        .limit_depth(limits.max_query_depth)
        .limit_complexity(limits.max_complexity)
        .extension(extension::Governance {
            max_aliases: limits.max_aliases,
        })
        .finish()
}

/// The schema in SDL, for the snapshot test and `govgraph schema`-like tooling.
pub fn sdl() -> String {
    schema(Limits::default(), tokio::sync::broadcast::channel(1).0).sdl()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_schema_changes_only_deliberately() {
        insta::assert_snapshot!("schema", super::sdl());
    }
}
