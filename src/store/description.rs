//! The statements about one subject, read straight from Oxigraph's indexes, and the typed
//! values the readers (`read`, `summaries`) take from them.

use super::vocab::*;
use super::{Store, StoreError};
use crate::model::{EntityKind, Openness, PartialDate};
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad, Term};
use oxigraph::store::StorageError;
use std::collections::HashMap;

/// The statements about one subject, across all graphs, each value once.
pub(super) struct Description {
    values: HashMap<String, Vec<Term>>,
}

impl Description {
    pub(super) fn all(&self, predicate: NamedNodeRef<'_>) -> &[Term] {
        self.values.get(predicate.as_str()).map_or(&[], Vec::as_slice)
    }

    /// The least IRI value, so that a value stated twice reads the same whatever the index order.
    pub(super) fn named(&self, predicate: NamedNodeRef<'_>) -> Option<&NamedNode> {
        self.all(predicate)
            .iter()
            .filter_map(|term| match term {
                Term::NamedNode(node) => Some(node),
                _ => None,
            })
            .min_by(|a, b| a.as_str().cmp(b.as_str()))
    }

    pub(super) fn text(&self, predicate: NamedNodeRef<'_>) -> Option<String> {
        self.texts(predicate).into_iter().next()
    }

    /// Literal values, sorted so that a value stated twice or in two graphs reads the same.
    pub(super) fn texts(&self, predicate: NamedNodeRef<'_>) -> Vec<String> {
        let mut texts: Vec<String> = self
            .all(predicate)
            .iter()
            .filter_map(|term| match term {
                Term::Literal(literal) => Some(literal.value().to_owned()),
                _ => None,
            })
            .collect();
        texts.sort();
        texts.dedup();
        texts
    }

    pub(super) fn date(&self, predicate: NamedNodeRef<'_>) -> Option<PartialDate> {
        self.texts(predicate).iter().find_map(|text| text.parse().ok())
    }

    /// When it starts; for a document without a start date, when it was issued.
    pub(super) fn start(&self) -> Option<PartialDate> {
        self.date(SCHEMA_START_DATE).or_else(|| self.date(DCTERMS_ISSUED))
    }

    /// Every value, a literal's lexical form or an IRI (blank nodes left out).
    pub(super) fn strings(&self, predicate: NamedNodeRef<'_>) -> Vec<String> {
        self.all(predicate)
            .iter()
            .filter_map(|term| match term {
                Term::Literal(literal) => Some(literal.value().to_owned()),
                Term::NamedNode(node) => Some(node.as_str().to_owned()),
                Term::BlankNode(_) => None,
            })
            .collect()
    }

    pub(super) fn has_type(&self, class: NamedNodeRef<'_>) -> bool {
        self.all(RDF_TYPE)
            .iter()
            .any(|t| matches!(t, Term::NamedNode(n) if n.as_ref() == class))
    }

    pub(super) fn kind(&self) -> Option<EntityKind> {
        EntityKind::ALL
            .iter()
            .copied()
            .find(|kind| self.has_type(kind_class(*kind)))
    }

    pub(super) fn openness(&self) -> Option<Openness> {
        let value = self.named(GG_OPENNESS)?;
        Openness::ALL
            .iter()
            .copied()
            .find(|o| openness_iri(*o) == value.as_ref())
    }
}

impl Store {
    pub(super) fn describe(&self, subject: NamedOrBlankNodeRef<'_>) -> Result<Description, StoreError> {
        let mut values: HashMap<String, Vec<Term>> = HashMap::new();
        for quad in self.inner.quads_for_pattern(Some(subject), None, None, None) {
            let quad = quad?;
            let entry = values.entry(quad.predicate.into_string()).or_default();
            if !entry.contains(&quad.object) {
                entry.push(quad.object);
            }
        }
        Ok(Description { values })
    }
}

/// Where "does this node have this type" is asked: the store, or a transaction (which sees its
/// own writes).
pub(super) trait Typed {
    fn first_quad(
        &self,
        subject: NamedNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
        object: NamedNodeRef<'_>,
    ) -> Option<Result<Quad, StorageError>>;

    /// Whether `node` has `rdf:type` `class`, in any graph.
    fn has_type(&self, node: NamedNodeRef<'_>, class: NamedNodeRef<'_>) -> Result<bool, StoreError> {
        Ok(self.first_quad(node, RDF_TYPE, class).transpose()?.is_some())
    }
}

/// Oxigraph's store and transaction have the same `quads_for_pattern` but no trait in common.
macro_rules! typed {
    ($($source:ty),*) => {$(
        impl Typed for $source {
            fn first_quad(
                &self,
                subject: NamedNodeRef<'_>,
                predicate: NamedNodeRef<'_>,
                object: NamedNodeRef<'_>,
            ) -> Option<Result<Quad, StorageError>> {
                self.quads_for_pattern(Some(subject.into()), Some(predicate), Some(object.into()), None)
                    .next()
            }
        }
    )*};
}

typed!(oxigraph::store::Store, oxigraph::store::Transaction<'_>);
