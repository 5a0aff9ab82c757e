//! The write path, in one place. Every write (a GraphQL mutation, a SPARQL Update, a Graph Store
//! request) and every catch-up of a replica with its store goes through here: the data is
//! brought up to the store first (a replica writes on top of the store's latest version, not its
//! last poll), the write's own work checks and commits it, the catalog is refreshed from what the
//! write touched and swapped in (so the very next request sees it), and its changes go to the
//! live subscribers. Callers run one write at a time, on a blocking thread.

use crate::model::RelationSummary;
use crate::services::catalog::Catalog;
use crate::services::changes::{ChangeOp, GraphChange, Touched};
use crate::services::explore::QueryError;
use crate::store::{Store, StoreError, Synced};
use arc_swap::ArcSwap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
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
    // Logged before the swap, so whoever sees the new catalog also finds the line (the
    // replica tests count catch-ups by it).
    tracing::info!(version = %catalog.version, from, ms = started.elapsed().as_millis(), "caught up with the store");
    current.store(catalog.clone());
    publish(events, changes(&before, &catalog));
    Ok(catalog)
}

fn publish(events: &Sender<GraphChange>, changes: Vec<GraphChange>) {
    for change in changes {
        // No subscriber is not an error; a slow one misses events rather than slowing writers.
        let _ = events.send(change);
    }
}

/// Folds the catalog's delta into a new base once it has grown past its bound
/// ([`Catalog::needs_folding`]), on a thread of its own so that no write waits for it: the fold
/// reads only the catalog it starts from; then, holding the write lock, it is brought up to the
/// catalog current by then (the writes made meanwhile, read from that catalog) and swapped in.
/// One fold at a time; a fold overtaken by a full reload is dropped.
pub fn fold_when_due(current: &Arc<ArcSwap<Catalog>>, lock: &Arc<tokio::sync::Mutex<()>>, folding: &Arc<AtomicBool>) {
    if !current.load().needs_folding() || folding.swap(true, Ordering::AcqRel) {
        return;
    }
    let (current, lock, folding) = (Arc::clone(current), Arc::clone(lock), Arc::clone(folding));
    std::thread::spawn(move || {
        let started = std::time::Instant::now();
        let from = current.load_full();
        let folded = from.folded();
        let folded_ms = started.elapsed().as_millis();
        let _guard = lock.blocking_lock();
        let now = current.load_full();
        if now.same_base(&from) {
            match now.rebase(&folded) {
                Ok(catalog) => {
                    current.store(Arc::new(catalog));
                    tracing::info!(
                        version = %now.version,
                        folded_ms,
                        ms = started.elapsed().as_millis(),
                        "catalog delta folded into a new base"
                    );
                }
                Err(error) => tracing::warn!(%error, "catalog fold not applied"),
            }
        }
        folding.store(false, Ordering::Release);
    });
}

/// The changes between two catalogs, for writes that do not say what they touched (SPARQL
/// Update, the Graph Store Protocol). Never empty: a write that changed nothing the catalog
/// shows is still reported, as an update of nothing in particular.
fn changes(old: &Catalog, new: &Catalog) -> Vec<GraphChange> {
    let mut changes = Vec::new();
    for entity in new.entities() {
        match old.summary(entity.id()) {
            None => changes.push(GraphChange::entity(ChangeOp::Created, entity.id())),
            Some(before) if before != entity => changes.push(GraphChange::entity(ChangeOp::Updated, entity.id())),
            Some(_) => {}
        }
    }
    for entity in old.entities() {
        if new.summary(entity.id()).is_none() {
            changes.push(GraphChange::entity(ChangeOp::Deleted, entity.id()));
        }
    }
    let relations = |catalog: &Catalog| -> std::collections::HashMap<String, RelationSummary> {
        let summaries = catalog.projection.edges().map(|edge| catalog.relation_summary(edge));
        summaries.map(|summary| (summary.id.clone(), summary)).collect()
    };
    let (before, after) = (relations(old), relations(new));
    for (id, shape) in &after {
        match before.get(id) {
            None => changes.push(GraphChange::relation(ChangeOp::Created, id)),
            Some(previous) if previous != shape => changes.push(GraphChange::relation(ChangeOp::Updated, id)),
            Some(_) => {}
        }
    }
    for id in before.keys() {
        if !after.contains_key(id) {
            changes.push(GraphChange::relation(ChangeOp::Deleted, id));
        }
    }
    if changes.is_empty() {
        changes.push(GraphChange {
            op: ChangeOp::Updated,
            entity_id: None,
            relation_id: None,
        });
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::curate::{EntityInput, SourceInput, write};
    use crate::store::NoProgress;

    #[test]
    fn a_grown_delta_is_folded_in_the_background_and_loses_no_write() {
        let store = Store::memory().unwrap();
        store.initialize(false, &NoProgress).unwrap();
        let current = Arc::new(ArcSwap::new(Arc::new(Catalog::load(&store).unwrap())));
        let (events, _) = tokio::sync::broadcast::channel(16);
        let (lock, folding) = (Arc::new(tokio::sync::Mutex::new(())), Arc::new(AtomicBool::new(false)));
        let create = |n: usize| {
            let input = EntityInput {
                label: format!("Folded {n}"),
                kind: Some(crate::model::EntityKind::Meeting),
                sources: vec![SourceInput {
                    document: "https://example.org/minutes".to_owned(),
                    quote: None,
                }],
                ..EntityInput::default()
            };
            apply(&store, &current, &events, |store, catalog| {
                write::create_entity(store, catalog, &input)
            })
            .unwrap();
        };
        let mut n = 0;
        while !current.load().needs_folding() {
            create(n);
            n += 1;
        }
        let before = current.load_full();
        fold_when_due(&current, &lock, &folding);
        // Writes go on while it folds; each takes the lock, as the server's do.
        for _ in 0..50 {
            let _guard = lock.blocking_lock();
            create(n);
            n += 1;
        }
        while folding.load(Ordering::Acquire) {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let folded = current.load_full();
        assert!(!folded.same_base(&before), "a new base was swapped in");
        assert!(folded.projection.delta_len() <= 50, "{}", folded.projection.delta_len());
        let loaded = Catalog::load(&store).unwrap();
        assert_eq!(folded.version, loaded.version);
        assert!(folded.entities().eq(loaded.entities()), "no write lost");
        assert_eq!(folded.entity_count(), loaded.entity_count());
        assert!(folded.summary(&format!("folded-{}", n - 1)).is_some());
    }
}
