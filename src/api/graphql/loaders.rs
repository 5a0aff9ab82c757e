//! Batched lookups: every entity and relation a query touches is fetched from the store in one
//! blocking call per batch, never one call per field.

use crate::model;
use crate::store::Store;
use async_graphql::dataloader::Loader;
use std::collections::HashMap;
use std::sync::Arc;

/// Entities by id.
pub struct EntityLoader(pub Store);

/// Relations by id.
pub struct RelationLoader(pub Store);

/// The error a loader reports: the store's message (the store logged nothing yet).
pub type LoadError = Arc<String>;

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, crate::store::StoreError> + Send + 'static,
) -> Result<T, LoadError> {
    match crate::api::blocking::on_pool(work).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(Arc::new(error.to_string())),
        Err(error) => Err(Arc::new(error.to_string())),
    }
}

impl Loader<String> for EntityLoader {
    type Value = Arc<model::Entity>;
    type Error = LoadError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Self::Value>, Self::Error> {
        let (store, keys) = (self.0.clone(), keys.to_vec());
        let entities = blocking(move || store.entities(&keys)).await?;
        Ok(entities
            .into_iter()
            .map(|(id, entity)| (id, Arc::new(entity)))
            .collect())
    }
}

impl Loader<String> for RelationLoader {
    type Value = Arc<model::Relation>;
    type Error = LoadError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Self::Value>, Self::Error> {
        let (store, keys) = (self.0.clone(), keys.to_vec());
        let relations = blocking(move || store.relations(&keys)).await?;
        Ok(relations
            .into_iter()
            .map(|(id, relation)| (id, Arc::new(relation)))
            .collect())
    }
}
