//! Writes: who may make them (the admin bearer token, compared in constant time; nobody on a
//! `--read-only` server), and how they run — one at a time, on a blocking thread, followed by a
//! new catalog swapped in before the response (so the very next request sees the change and no
//! reader ever waits) and by events for live subscribers.

use super::{ApiError, AppState};
use crate::services::catalog::{Catalog, GraphChange, Touched};
use crate::store::{Store, StoreError};
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

/// Runs a write and refreshes the catalog, holding the write lock throughout; then tells the
/// subscribers what changed (`describe` sees the result and both catalogs). `work` says what it
/// touched, so that the catalog is refreshed from that alone.
///
/// Everything after taking the lock runs to the end on a blocking thread even if the client
/// goes away: a committed write always gets its catalog and its events, and the lock is held
/// until then, so catalogs are swapped in the order of the commits.
pub async fn write<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&Store, &Catalog) -> Result<(T, Touched), WriteError> + Send + 'static,
    describe: impl FnOnce(&T, &Catalog, &Catalog) -> Vec<GraphChange> + Send + 'static,
) -> Result<(T, Arc<Catalog>), WriteError> {
    let guard = state.write_lock.clone().lock_owned().await;
    let store = state.store.clone();
    let current = state.catalog.clone();
    let events = state.events.clone();
    let outcome: Result<(T, Arc<Catalog>), WriteError> = super::blocking::run(state.evaluation_stack, move || {
        let _guard = guard;
        // A replica writes on top of the store's latest version, not of its last poll.
        let before = super::replica::resync(&store, &current, &events)?;
        let started = std::time::Instant::now();
        let (result, touched) = work(&store, &before)?;
        let written = started.elapsed();
        let catalog = Arc::new(before.refresh(&store, &touched)?);
        tracing::debug!(?written, refreshed = ?(started.elapsed() - written), "write and catalog refresh");
        current.store(catalog.clone());
        for change in describe(&result, &before, &catalog) {
            // No subscriber is not an error; a slow one misses events rather than slowing writers.
            let _ = events.send(change);
        }
        Ok((result, catalog))
    })
    .await?;
    // Logged here, in the request's span, so that the line carries the request's id.
    if let Ok((_, catalog)) = &outcome {
        tracing::info!(version = %catalog.version, "write committed");
    }
    // A full disk is said where operators look: the log, and `/readyz` until a write succeeds.
    state.readiness.writes_refused(match &outcome {
        Err(error) => error.storage_full().map(str::to_owned),
        Ok(_) => None,
    });
    outcome
}

/// Why a write failed: the store, or a check made inside the write.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Query(#[from] crate::services::explore::QueryError),
    #[error(transparent)]
    Panicked(#[from] super::compute::Panicked),
}

impl WriteError {
    /// Why the disk refused the write, if it is full.
    pub fn storage_full(&self) -> Option<&str> {
        match self {
            WriteError::Store(StoreError::StorageFull(reason))
            | WriteError::Query(crate::services::explore::QueryError::Store(StoreError::StorageFull(reason))) => {
                Some(reason)
            }
            _ => None,
        }
    }
}

impl From<WriteError> for ApiError {
    fn from(error: WriteError) -> Self {
        match error {
            WriteError::Store(error) => ApiError::Store(error),
            WriteError::Query(error) => ApiError::Query(error),
            WriteError::Panicked(error) => ApiError::Compute(error),
        }
    }
}
