//! Setting a store up: the base of its data IRIs, settled once per process before anything is
//! read, and an empty store seeded with the bundled ontology (and seed).

use super::load::{self, LoadReport, RdfDocument};
use super::{Progress, Store, StoreError, bundled, vocab};
use oxigraph::model::NamedNode;

impl Store {
    /// Fixes the base of the data IRIs for this process, before anything reads or writes data:
    /// the base the store's data was written with, or `requested` (else the default) for an
    /// empty store. A base that contradicts the store's is refused: the data would not match.
    pub fn settle_base(&self, requested: Option<&str>) -> Result<&'static str, StoreError> {
        if let Some(requested) = requested {
            vocab::check_base(requested)?;
        }
        let recorded = self.recorded_base()?;
        let base = match (recorded, requested) {
            (Some(recorded), Some(requested)) if recorded != requested => {
                return Err(StoreError::BaseMismatch {
                    recorded,
                    requested: requested.to_owned(),
                });
            }
            (Some(recorded), _) => recorded,
            (None, requested) => requested.unwrap_or(vocab::DEFAULT_BASE).to_owned(),
        };
        vocab::use_base(&base)?;
        Ok(vocab::base())
    }

    /// The base recorded in the store; a store written before bases were recorded used the
    /// default one. `None` for an empty store.
    fn recorded_base(&self) -> Result<Option<String>, StoreError> {
        let recorded = self
            .inner
            .quads_for_pattern(
                Some(vocab::DATASET.into()),
                Some(vocab::GG_BASE_IRI),
                None,
                Some(vocab::META_GRAPH.into()),
            )
            .next()
            .transpose()?;
        Ok(match recorded {
            Some(quad) => match quad.object {
                oxigraph::model::Term::NamedNode(base) => Some(base.into_string()),
                _ => None,
            },
            None if self.is_empty()? => None,
            None => Some(vocab::DEFAULT_BASE.to_owned()),
        })
    }

    /// On an empty store, loads the ontology and, if `with_seed`, the seed, and records the base
    /// of the data IRIs; returns whether it did. A store that holds anything is left alone, so
    /// restarting never duplicates data.
    pub fn initialize(&self, with_seed: bool, progress: &dyn Progress) -> Result<Option<LoadReport>, StoreError> {
        if !self.is_empty()? {
            return Ok(None);
        }
        let mut checked = Self::check(Self::bundled_documents(with_seed), progress)?;
        checked.add_quad(oxigraph::model::Quad::new(
            vocab::DATASET,
            vocab::GG_BASE_IRI,
            NamedNode::new_unchecked(vocab::base()),
            vocab::META_GRAPH,
        ));
        let report = load::load(&self.inner, &checked, false, progress)?;
        if let Some(remote) = &self.remote {
            remote.push(&self.inner)?;
        }
        Ok(Some(report))
    }

    /// The bundled ontology and seed documents, for `govgraph validate` with no files.
    pub fn bundled_documents(with_seed: bool) -> Vec<RdfDocument> {
        let mut documents = bundled::ontology();
        if with_seed {
            documents.extend(bundled::seed());
        }
        documents
    }

    /// The bundled ontology only (always loaded before user files are validated).
    pub fn bundled_ontology() -> Vec<RdfDocument> {
        bundled::ontology()
    }
}
