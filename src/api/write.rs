//! Writes over HTTP: who may make them (the admin bearer token, compared in constant time; nobody
//! on a `--read-only` server), and how they reach the write path (`services::writes`): one at a
//! time, on a blocking thread, the new catalog swapped in before the response.

use super::{ApiError, AppState};
use crate::services::catalog::Catalog;
use crate::services::writes::{self, Written};
use crate::store::Store;
use actix_web::HttpRequest;
use actix_web::http::header;
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// Why a request may not write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No `Authorization: Bearer` header.
    NoToken,
    /// A token that is not the admin token.
    WrongToken,
    /// The server takes no writes at all.
    ReadOnly,
}

impl Refusal {
    pub fn message(self) -> &'static str {
        match self {
            Refusal::NoToken => "writing needs the admin token: send `Authorization: Bearer TOKEN`",
            Refusal::WrongToken => "the token does not allow writing",
            Refusal::ReadOnly => "this server is read-only (started with --read-only)",
        }
    }
}

/// Whether the request carries the admin token.
pub fn authorize(request: &HttpRequest, state: &AppState) -> Result<(), Refusal> {
    let Some(credentials) = request.headers().get(header::AUTHORIZATION) else {
        return Err(Refusal::NoToken);
    };
    if state.read_only {
        return Err(Refusal::ReadOnly);
    }
    let presented = credentials
        .to_str()
        .ok()
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim);
    match (&state.admin_token, presented) {
        (Some(expected), Some(presented)) if bool::from(expected.as_bytes().ct_eq(presented.as_bytes())) => Ok(()),
        // Without --admin-token no token is right.
        _ => Err(Refusal::WrongToken),
    }
}

/// Allows the request only with `Authorization: Bearer <admin token>` (401 without, 403 with a
/// wrong one or on a read-only server).
pub fn require_admin(request: &HttpRequest, state: &AppState) -> Result<(), ApiError> {
    authorize(request, state).map_err(|refusal| match refusal {
        Refusal::NoToken => ApiError::Unauthenticated(refusal.message().to_owned()),
        Refusal::WrongToken | Refusal::ReadOnly => ApiError::Forbidden(refusal.message().to_owned()),
    })
}

/// Runs a write through the write path (`services::writes`) on a blocking thread, holding the
/// write lock throughout.
///
/// Everything after taking the lock runs to the end even if the client goes away: a committed
/// write always gets its catalog and its events, and the lock is held until then, so catalogs are
/// swapped in the order of the commits.
pub async fn write<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&Store, &Catalog) -> Result<Written<T>, writes::WriteError> + Send + 'static,
) -> Result<(T, Arc<Catalog>), WriteError> {
    let guard = state.write_lock.clone().lock_owned().await;
    let store = state.store.clone();
    let current = state.catalog.clone();
    let events = state.events.clone();
    let outcome = super::blocking::run(state.evaluation_stack, move || {
        let _guard = guard;
        writes::apply(&store, &current, &events, work)
    })
    .await
    .map_err(WriteError::from)
    .and_then(|written| written.map_err(WriteError::from));
    // Logged here, in the request's span, so that the line carries the request's id.
    if let Ok((_, catalog)) = &outcome {
        tracing::info!(version = %catalog.version, "write committed");
        writes::fold_when_due(&state.catalog, &state.write_lock, &state.folding);
    }
    // A full disk is said where operators look: the log, and `/readyz` until a write succeeds.
    state.readiness.writes_refused(match &outcome {
        Err(WriteError::Write(error)) => error.storage_full().map(str::to_owned),
        _ => None,
    });
    outcome
}

/// Why a write failed: the write itself, or the thread it ran on.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    Write(#[from] writes::WriteError),
    #[error(transparent)]
    Panicked(#[from] super::compute::Panicked),
}

impl From<WriteError> for ApiError {
    fn from(error: WriteError) -> Self {
        match error {
            WriteError::Write(writes::WriteError::Store(error)) => ApiError::Store(error),
            WriteError::Write(writes::WriteError::Query(error)) => ApiError::Query(error),
            WriteError::Panicked(error) => ApiError::Compute(error),
        }
    }
}
