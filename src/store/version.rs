//! The dataset version: a hash of an append-only change log kept in the store. Every write adds
//! a change (a fingerprint of what it wrote) in the same commit, so the version changes whenever
//! the data does, writing the same thing twice keeps it, and it costs nothing to compute at
//! start-up however large the store is.

use super::vocab::{DATASET, GG_CHANGE, META_GRAPH};
use super::{Store, StoreError};
use oxigraph::model::{Literal, Quad, Term};
use sha2::{Digest, Sha256};

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The quad that records one change, identified by a fingerprint of what it wrote.
pub fn change_quad(fingerprint: impl AsRef<[u8]>) -> Quad {
    let change = hex(&Sha256::digest(fingerprint.as_ref())[..16]);
    Quad::new(DATASET, GG_CHANGE, Literal::new_simple_literal(change), META_GRAPH)
}

impl Store {
    /// A short hash of the change log: cite it with a result to say which data produced it.
    pub fn dataset_version(&self) -> Result<String, StoreError> {
        let mut changes: Vec<String> = Vec::new();
        for quad in self
            .inner
            .quads_for_pattern(Some(DATASET.into()), Some(GG_CHANGE), None, None)
        {
            if let Term::Literal(literal) = quad?.object {
                changes.push(literal.value().to_owned());
            }
        }
        changes.sort();
        changes.dedup();
        let mut hasher = Sha256::new();
        for change in &changes {
            hasher.update(change.as_bytes());
            hasher.update(b"\n");
        }
        Ok(hex(&hasher.finalize()[..8]))
    }
}
