//! The one mapping from service errors to GraphQL errors: a message and `extensions.code`, plus
//! what a client needs to recover (suggestions, candidates, the limit that was hit).

use crate::services::explore::QueryError;
use async_graphql::{Error, ErrorExtensions, Value};

/// `extensions.code` values, documented in the README.
pub const NOT_FOUND: &str = "NOT_FOUND";
pub const AMBIGUOUS: &str = "AMBIGUOUS";
pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
pub const LIMIT_EXCEEDED: &str = "LIMIT_EXCEEDED";
pub const INTERNAL: &str = "INTERNAL";
/// A replica's SPARQL store cannot be reached; retrying later may succeed.
pub const UNAVAILABLE: &str = "UNAVAILABLE";
/// The disk holding the store is full: writes fail until space is freed; reads go on.
pub const STORAGE_FULL: &str = "STORAGE_FULL";
pub const GRAPHQL_PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
pub const GRAPHQL_VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";
pub const BAD_REQUEST: &str = "BAD_REQUEST";

fn entities(pairs: &[(String, String)]) -> Value {
    Value::List(
        pairs
            .iter()
            .map(|(id, label)| {
                let mut entry = async_graphql::indexmap::IndexMap::new();
                entry.insert(async_graphql::Name::new("id"), Value::from(id.as_str()));
                entry.insert(async_graphql::Name::new("label"), Value::from(label.as_str()));
                Value::Object(entry)
            })
            .collect(),
    )
}

impl ErrorExtensions for QueryError {
    fn extend(&self) -> Error {
        Error::new(self.to_string()).extend_with(|_, extensions| match self {
            QueryError::NotFound { reference, suggestions } => {
                extensions.set("code", NOT_FOUND);
                extensions.set("ref", reference.as_str());
                extensions.set("suggestions", entities(suggestions));
            }
            QueryError::Ambiguous { reference, candidates } => {
                extensions.set("code", AMBIGUOUS);
                extensions.set("ref", reference.as_str());
                extensions.set("candidates", entities(candidates));
            }
            QueryError::BadInput { field, .. } => {
                extensions.set("code", BAD_USER_INPUT);
                extensions.set("field", *field);
            }
            QueryError::LimitExceeded { limit, max, asked } => {
                extensions.set("code", LIMIT_EXCEEDED);
                extensions.set("limit", *limit);
                extensions.set("max", *max as u64);
                extensions.set("asked", *asked as u64);
            }
            QueryError::Store(crate::store::StoreError::Remote { .. }) => {
                extensions.set("code", UNAVAILABLE);
            }
            QueryError::Store(crate::store::StoreError::StorageFull(_)) => {
                extensions.set("code", STORAGE_FULL);
            }
            QueryError::Store(error) => {
                tracing::error!(%error, "store error in a GraphQL resolver");
                extensions.set("code", INTERNAL);
            }
        })
    }
}

/// An internal failure, logged here and shown to the client without details.
pub fn internal(error: impl std::fmt::Display) -> Error {
    tracing::error!(%error, "GraphQL resolver failed");
    Error::new("internal error").extend_with(|_, extensions| extensions.set("code", INTERNAL))
}

/// An error naming a limit, for limits checked outside the services (batch size, aliases, time).
pub fn limit_exceeded(limit: &str, max: usize, message: String) -> Error {
    Error::new(message).extend_with(|_, extensions| {
        extensions.set("code", LIMIT_EXCEEDED);
        extensions.set("limit", limit);
        extensions.set("max", max as u64);
    })
}
