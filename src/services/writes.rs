//! The write path, in one place. Every write (a GraphQL mutation, a SPARQL Update, a Graph Store
//! request) and every catch-up of a replica with its store goes through here: the data is
//! brought up to the store first (a replica writes on top of the store's latest version, not its
//! last poll), the write's own work checks and commits it, the catalog is refreshed from what the
//! write touched and swapped in (so the very next request sees it), and its changes go to the
//! live subscribers. Callers run one write at a time, on a blocking thread.

use crate::services::catalog::{Catalog, GraphChange, Touched, changes};
use crate::services::explore::QueryError;
use crate::store::{Store, StoreError, Synced};
use arc_swap::ArcSwap;
use std::sync::Arc;
use tokio::sync::broadcast::Sender;

/// What a write did.
pub struct Written<T> {
    /// What the caller answers with.
    pub value: T,
    /// What the catalog is refreshed from.
    pub touched: Touched,
    /// The changes as subscribers see them; `None`: whatever differs between the catalogs
    /// before and after (for writes that cannot say, such as a SPARQL Update).
    pub changes: Option<Vec<GraphChange>>,
}

impl<T> Written<T> {
    /// A write that touched only what `changes` name.
    pub fn described(value: T, touched: Touched, changes: Vec<GraphChange>) -> Self {
        Self {
            value,
            touched,
            changes: Some(changes),
        }
    }

    /// A write whose changes are found by comparing the catalogs.
    pub fn compared(value: T, touched: Touched) -> Self {
        Self {
            value,
            touched,
            changes: None,
        }
    }
}

/// Why a write failed: the store, or a check made inside the write.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Query(#[from] QueryError),
}

impl WriteError {
    /// Why the disk refused the write, if it is full.
    pub fn storage_full(&self) -> Option<&str> {
        match self {
            WriteError::Store(StoreError::StorageFull(reason))
            | WriteError::Query(QueryError::Store(StoreError::StorageFull(reason))) => Some(reason),
            _ => None,
        }
    }
}

/// Runs one write: catch up with the store, `work`, refresh and swap the catalog, publish the
/// changes. Returns the write's value and the catalog it made.
pub fn apply<T>(
    store: &Store,
    current: &ArcSwap<Catalog>,
    events: &Sender<GraphChange>,
    work: impl FnOnce(&Store, &Catalog) -> Result<Written<T>, WriteError>,
) -> Result<(T, Arc<Catalog>), WriteError> {
    let before = catch_up(store, current, events)?;
    let started = std::time::Instant::now();
    let written = work(store, &before)?;
    let committed = started.elapsed();
    let catalog = Arc::new(before.refresh(store, &written.touched)?);
    tracing::debug!(?committed, refreshed = ?(started.elapsed() - committed), "write and catalog refresh");
    current.store(catalog.clone());
    publish(events, written.changes.unwrap_or_else(|| changes(&before, &catalog)));
    Ok((written.value, catalog))
}

/// Brings a replica's data and catalog up to its store, and returns the catalog to work from:
/// changes applied from the store's feed refresh only what they touched; a full pull rebuilds
/// the catalog. The embedded store is always current.
pub fn catch_up(
    store: &Store,
    current: &ArcSwap<Catalog>,
    events: &Sender<GraphChange>,
) -> Result<Arc<Catalog>, StoreError> {
    let before = current.load_full();
    let started = std::time::Instant::now();
    let (catalog, from) = match store.sync()? {
        Synced::Current => return Ok(before),
        Synced::Applied(changed) => (before.refresh(store, &Touched::from(changed))?, "the change feed"),
        Synced::Pulled => (Catalog::load(store)?, "a full pull"),
    };
    let catalog = Arc::new(catalog);
    current.store(catalog.clone());
    publish(events, changes(&before, &catalog));
    tracing::info!(version = %catalog.version, from, ms = started.elapsed().as_millis(), "caught up with the store");
    Ok(catalog)
}

fn publish(events: &Sender<GraphChange>, changes: Vec<GraphChange>) {
    for change in changes {
        // No subscriber is not an error; a slow one misses events rather than slowing writers.
        let _ = events.send(change);
    }
}
