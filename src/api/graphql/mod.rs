//! The GraphQL API: schema, request data, limits, and the HTTP transport (GraphQL over HTTP).

mod errors;
mod extension;
pub mod http;
mod loaders;
mod query;
mod types;

use crate::config::Limits;
use crate::services::catalog::Catalog;
use crate::store::Store;
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, EmptyMutation, EmptySubscription, Schema};
use loaders::{EntityLoader, RelationLoader};
use std::sync::Arc;

pub type GovSchema = Schema<query::Query, EmptyMutation, EmptySubscription>;

/// What every resolver of one request sees: one catalog snapshot (so a request never mixes two
/// versions of the data), the store, the limits and the request's data loaders.
pub struct RequestData {
    pub catalog: Arc<Catalog>,
    pub limits: Limits,
    entities: DataLoader<EntityLoader>,
    relations: DataLoader<RelationLoader>,
}

impl RequestData {
    pub fn new(catalog: Arc<Catalog>, store: Store, limits: Limits) -> Self {
        Self {
            catalog,
            limits,
            entities: DataLoader::new(EntityLoader(store.clone()), tokio::spawn),
            relations: DataLoader::new(RelationLoader(store), tokio::spawn),
        }
    }
}

/// The request's data; present in every request the HTTP layer executes.
fn request<'a>(ctx: &Context<'a>) -> &'a RequestData {
    ctx.data_unchecked::<RequestData>()
}

/// The schema with its limits. Introspection stays on: researchers explore the schema.
pub fn schema(limits: Limits) -> GovSchema {
    Schema::build(query::Query, EmptyMutation, EmptySubscription)
        .limit_depth(limits.max_query_depth)
        .limit_complexity(limits.max_complexity)
        .extension(extension::Governance {
            max_aliases: limits.max_aliases,
        })
        .finish()
}

/// The schema in SDL, for the snapshot test and `govgraph schema`-like tooling.
pub fn sdl() -> String {
    schema(Limits::default()).sdl()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_schema_changes_only_deliberately() {
        insta::assert_snapshot!("schema", super::sdl());
    }
}
