//! The dataset version: the head of a chain of changes kept in the store. Every write records,
//! in its own commit, a change-log entry (a fingerprint of what it wrote) and a new head: the
//! number of changes so far and a hash of the previous head with this change. Reading the
//! version is one lookup whatever the size of the store, so replicas can poll it cheaply, and
//! two stores that saw the same writes in the same order show the same version.
//!
//! A transaction replaces the head; the bulk loader cannot remove anything, so a bulk load adds
//! a head with a higher count and the next transaction sweeps the old ones.
//!
//! The log is bounded: each entry is `"{count} {hash}"`, and the write whose count is a multiple
//! of [`LOG_KEPT`] removes the entries more than [`LOG_KEPT`] changes old (and any from before
//! entries were numbered), so the log holds between [`LOG_KEPT`] and twice as many. Nothing
//! reads further back: a replica compares heads.

use super::vocab::{DATASET, GG_CHANGE, GG_VERSION, META_GRAPH};
use super::{Store, StoreError};
use oxigraph::model::{Literal, NamedNodeRef, Quad, QuadRef, Term};
use oxigraph::store::Transaction;
use sha2::{Digest, Sha256};

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The number of changes in a head or log entry, `"{number} {hash}"`.
pub(super) fn change_number(value: &str) -> Option<u64> {
    value.split_once(' ')?.0.parse().ok()
}

/// Changes the log keeps (see the module's documentation).
pub(super) const LOG_KEPT: u64 = 1000;

/// The quad that records change number `count` in the log, identified by a fingerprint of what
/// it wrote.
fn change_quad(count: u64, fingerprint: &str) -> Quad {
    Quad::new(
        DATASET,
        GG_CHANGE,
        Literal::new_simple_literal(format!("{count} {}", change_hash(fingerprint))),
        META_GRAPH,
    )
}

/// Whether the log entry `term` is one the write numbered `count` compacts away.
fn stale(term: &Term, count: u64) -> bool {
    if !count.is_multiple_of(LOG_KEPT) {
        return false;
    }
    let Term::Literal(entry) = term else { return true };
    change_number(entry.value()).is_none_or(|number| number + LOG_KEPT <= count)
}

/// How a change appears in the log.
pub(super) fn change_hash(fingerprint: &str) -> String {
    hex(&Sha256::digest(fingerprint.as_bytes())[..16])
}

/// Where the chain of changes stands.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Head {
    changes: u64,
    hash: String,
}

impl Head {
    /// Reads `"{changes} {hash}"`.
    fn parse(term: &Term) -> Option<Self> {
        let Term::Literal(literal) = term else { return None };
        let (changes, hash) = literal.value().split_once(' ')?;
        Some(Self {
            changes: changes.parse().ok()?,
            hash: hash.to_owned(),
        })
    }

    fn quad(&self) -> Quad {
        let value = format!("{} {}", self.changes, self.hash);
        Quad::new(DATASET, GG_VERSION, Literal::new_simple_literal(value), META_GRAPH)
    }

    fn next(&self, fingerprint: &str) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(self.hash.as_bytes());
        hasher.update(b"\n");
        hasher.update(fingerprint.as_bytes());
        Self {
            changes: self.changes + 1,
            hash: hex(&hasher.finalize()[..8]),
        }
    }

    /// The latest of the heads in `heads`; for a store written before heads existed, one made
    /// from its change log (`log`), which is empty in a new store.
    fn latest(
        heads: impl Iterator<Item = Term>,
        log: impl FnOnce() -> Result<Vec<Term>, StoreError>,
    ) -> Result<Self, StoreError> {
        if let Some(head) = heads
            .filter_map(|term| Self::parse(&term))
            .max_by_key(|head| head.changes)
        {
            return Ok(head);
        }
        let mut changes: Vec<String> = log()?
            .into_iter()
            .filter_map(|term| match term {
                Term::Literal(literal) => Some(literal.value().to_owned()),
                _ => None,
            })
            .collect();
        changes.sort();
        changes.dedup();
        let mut hasher = Sha256::new();
        for change in &changes {
            hasher.update(change.as_bytes());
            hasher.update(b"\n");
        }
        Ok(Self {
            changes: changes.len() as u64,
            hash: hex(&hasher.finalize()[..8]),
        })
    }
}

fn objects(store: &oxigraph::store::Store, predicate: NamedNodeRef<'_>) -> Result<Vec<Term>, StoreError> {
    store
        .quads_for_pattern(Some(DATASET.into()), Some(predicate), None, Some(META_GRAPH.into()))
        .map(|quad| Ok(quad?.object))
        .collect()
}

fn head(store: &oxigraph::store::Store) -> Result<Head, StoreError> {
    Head::latest(objects(store, GG_VERSION)?.into_iter(), || objects(store, GG_CHANGE))
}

impl Store {
    /// The head as written in the store (`"{changes} {hash}"`), if there is one.
    pub(super) fn head_value(&self) -> Result<Option<String>, StoreError> {
        Ok(objects(&self.inner, GG_VERSION)?
            .iter()
            .filter_map(Head::parse)
            .max_by_key(|head| head.changes)
            .map(|head| format!("{} {}", head.changes, head.hash)))
    }

    /// A short hash naming the data as it is: cite it with a result to say which data produced
    /// it. It changes with every write.
    pub fn dataset_version(&self) -> Result<String, StoreError> {
        Ok(head(&self.inner)?.hash)
    }
}

/// The quads with which a bulk load records a change (it cannot remove the previous head, nor
/// compact the log: the next transaction does).
pub(super) fn bulk_change_quads(store: &oxigraph::store::Store, fingerprint: &str) -> Result<[Quad; 2], StoreError> {
    let next = head(store)?.next(fingerprint);
    Ok([change_quad(next.changes, fingerprint), next.quad()])
}

/// Records a change inside a transaction: the log entry and the new head, replacing the old.
/// Returns the new head, `"{changes} {hash}"`.
pub(super) fn record_change(transaction: &mut Transaction<'_>, fingerprint: &str) -> Result<String, StoreError> {
    let objects = |transaction: &Transaction<'_>, predicate| -> Result<Vec<Term>, StoreError> {
        transaction
            .quads_for_pattern(Some(DATASET.into()), Some(predicate), None, Some(META_GRAPH.into()))
            .map(|quad| Ok(quad?.object))
            .collect()
    };
    let heads = objects(transaction, GG_VERSION)?;
    let head = Head::latest(heads.iter().cloned(), || objects(transaction, GG_CHANGE))?;
    for old in &heads {
        transaction.remove(QuadRef::new(DATASET, GG_VERSION, old.as_ref(), META_GRAPH));
    }
    let next = head.next(fingerprint);
    if next.changes.is_multiple_of(LOG_KEPT) {
        for entry in objects(transaction, GG_CHANGE)? {
            if stale(&entry, next.changes) {
                transaction.remove(QuadRef::new(DATASET, GG_CHANGE, entry.as_ref(), META_GRAPH));
            }
        }
    }
    transaction.insert(&change_quad(next.changes, fingerprint));
    transaction.insert(&next.quad());
    Ok(format!("{} {}", next.changes, next.hash))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NoProgress;

    #[test]
    fn the_log_keeps_between_one_and_two_bounds_of_entries() {
        let store = Store::memory().unwrap();
        store.initialize(false, &NoProgress).unwrap();
        let mut transaction = store.inner.start_transaction().unwrap();
        // An entry from before entries were numbered goes at the first compaction.
        transaction.insert(QuadRef::new(
            DATASET,
            GG_CHANGE,
            Literal::new_simple_literal("0123abcd").as_ref(),
            META_GRAPH,
        ));
        transaction.commit().unwrap();
        let mut most = 0;
        for n in 0..(3 * LOG_KEPT + 10) {
            let mut transaction = store.inner.start_transaction().unwrap();
            record_change(&mut transaction, &format!("change {n}")).unwrap();
            transaction.commit().unwrap();
            let entries = objects(&store.inner, GG_CHANGE).unwrap();
            most = most.max(entries.len() as u64);
            let changes = head(&store.inner).unwrap().changes;
            assert!(
                entries.len() as u64 <= 2 * LOG_KEPT + 1,
                "{} entries after {changes} changes",
                entries.len()
            );
            if changes.is_multiple_of(LOG_KEPT) {
                assert_eq!(entries.len() as u64, LOG_KEPT, "after {changes} changes");
            }
        }
        assert!(most >= 2 * LOG_KEPT - 1, "the log filled up to {most} entries");
        let entries = objects(&store.inner, GG_CHANGE).unwrap();
        assert!(entries.iter().all(|entry| !stale(entry, LOG_KEPT * 1000 + 1)));
        assert!(!entries.iter().any(|entry| entry.to_string().contains("0123abcd")));
    }

    #[test]
    fn every_write_moves_the_head_and_the_same_writes_give_the_same_version() {
        let versions = || {
            let store = Store::memory().unwrap();
            store.initialize(false, &NoProgress).unwrap();
            let mut seen = vec![store.dataset_version().unwrap()];
            for _ in 0..2 {
                // The same write twice still moves the version: the data may differ in between.
                let mut transaction = store.inner.start_transaction().unwrap();
                record_change(&mut transaction, "delete entity x").unwrap();
                transaction.commit().unwrap();
                seen.push(store.dataset_version().unwrap());
            }
            let bulk = bulk_change_quads(&store.inner, "load").unwrap();
            let mut loader = store.inner.bulk_loader();
            loader.load_quads(bulk).unwrap();
            loader.commit().unwrap();
            seen.push(store.dataset_version().unwrap());
            let mut transaction = store.inner.start_transaction().unwrap();
            record_change(&mut transaction, "after the load").unwrap();
            transaction.commit().unwrap();
            seen.push(store.dataset_version().unwrap());
            assert_eq!(
                objects(&store.inner, GG_VERSION).unwrap().len(),
                1,
                "old heads are swept"
            );
            assert_eq!(head(&store.inner).unwrap().changes, 5);
            seen
        };
        let first = versions();
        let mut distinct = first.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), first.len(), "{first:?}");
        assert_eq!(first, versions(), "deterministic");
    }
}
