//! The one mapping from service errors to GraphQL errors: a message and `extensions.code`, plus
//! what a client needs to recover (suggestions, candidates, the limit that was hit).

use crate::error_code::ErrorCode;
use crate::services::explore::QueryError;
use crate::store::StoreError;
use async_graphql::{Error, ErrorExtensions, ServerError, Value};

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
        if let QueryError::Store(error) = self {
            return store_error(error);
        }
        coded(self.to_string(), self.code()).extend_with(|_, extensions| match self {
            QueryError::NotFound { reference, suggestions } => {
                extensions.set("ref", reference.as_str());
                extensions.set("suggestions", entities(suggestions));
            }
            QueryError::Ambiguous { reference, candidates } => {
                extensions.set("ref", reference.as_str());
                extensions.set("candidates", entities(candidates));
            }
            QueryError::BadInput { field, .. } => extensions.set("field", *field),
            QueryError::LimitExceeded { limit, max, asked } => {
                extensions.set("limit", *limit);
                extensions.set("max", *max as u64);
                extensions.set("asked", *asked as u64);
            }
            QueryError::Store(_) => {}
        })
    }
}

/// An error with its `extensions.code`: the one place GraphQL errors get their codes.
pub fn coded(message: impl Into<String>, code: ErrorCode) -> Error {
    Error::new(message).extend_with(|_, extensions| extensions.set("code", code.as_str()))
}

/// A store error: its message and code, or, for a failure of ours, no details.
pub fn store_error(error: &StoreError) -> Error {
    match error.code() {
        ErrorCode::Internal => internal(error),
        code => coded(error.to_string(), code),
    }
}

/// An internal failure, logged here and shown to the client without details.
pub fn internal(error: impl std::fmt::Display) -> Error {
    tracing::error!(%error, "GraphQL resolver failed");
    coded("internal error", ErrorCode::Internal)
}

/// An error naming a limit, for limits checked outside the services (batch size, aliases, time).
pub fn limit_exceeded(limit: &str, max: usize, message: String) -> Error {
    coded(message, ErrorCode::LimitExceeded).extend_with(|_, extensions| {
        extensions.set("limit", limit);
        extensions.set("max", max as u64);
    })
}

/// Gives an error async-graphql raised the code of its kind, unless it has one already.
pub fn with_code(mut error: ServerError, code: ErrorCode) -> ServerError {
    let extensions = error.extensions.get_or_insert_with(Default::default);
    if extensions.get("code").is_none() {
        extensions.set("code", code.as_str());
    }
    error
}
