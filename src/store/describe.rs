//! What `/id/{id}` returns: an entity's own statements, its evidence, its qualified relations
//! (in both directions) with their evidence, and the labels of the entities at their other ends,
//! so that the document reads on its own.

use super::description::Typed;
use super::vocab::{GG_ENTITY, GG_EVIDENCE_PROP, GG_SOURCE, GG_TARGET, RDFS_LABEL, entity_iri};
use super::{Store, StoreError};
use oxigraph::model::{NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Term, Triple};
use std::collections::BTreeSet;

impl Store {
    /// The description of one entity written in `format`, or `None` if there is no such entity.
    pub fn entity_document(&self, id: &str, format: super::SparqlFormat) -> Result<Option<Vec<u8>>, StoreError> {
        let Some(triples) = self.describe_entity(id)? else {
            return Ok(None);
        };
        let mut output = Vec::new();
        super::write_triples(&triples, format, &mut output)?;
        Ok(Some(output))
    }

    /// Entities and relations with their evidence, as one document (a subgraph for tools).
    pub fn resources_document(
        &self,
        entities: &[String],
        relations: &[String],
        format: super::SparqlFormat,
    ) -> Result<Vec<u8>, StoreError> {
        let mut triples = BTreeSet::new();
        for id in entities {
            self.statements_with_evidence(NamedNode::new_unchecked(entity_iri(id)).as_ref().into(), &mut triples)?;
        }
        for id in relations {
            self.statements_with_evidence(
                NamedNode::new_unchecked(super::vocab::relation_iri(id)).as_ref().into(),
                &mut triples,
            )?;
        }
        let triples: Vec<Triple> = triples.into_iter().map(|key| key.0).collect();
        let mut output = Vec::new();
        super::write_triples(&triples, format, &mut output)?;
        Ok(output)
    }

    /// The description of one entity, or `None` if there is no such entity.
    fn describe_entity(&self, id: &str) -> Result<Option<Vec<Triple>>, StoreError> {
        let entity = NamedNode::new_unchecked(entity_iri(id));
        let is_entity = self.inner.has_type(entity.as_ref(), GG_ENTITY)?;
        if !is_entity {
            return Ok(None);
        }
        let mut triples = BTreeSet::new();
        self.statements_with_evidence(entity.as_ref().into(), &mut triples)?;
        let mut neighbours = BTreeSet::new();
        for role in [GG_SOURCE, GG_TARGET] {
            for quad in self
                .inner
                .quads_for_pattern(None, Some(role), Some(entity.as_ref().into()), None)
            {
                let relation = quad?.subject;
                self.statements_with_evidence(relation.as_ref(), &mut triples)?;
                let other = if role == GG_SOURCE { GG_TARGET } else { GG_SOURCE };
                for end in self
                    .inner
                    .quads_for_pattern(Some(relation.as_ref()), Some(other), None, None)
                {
                    if let Term::NamedNode(node) = end?.object {
                        neighbours.insert(node);
                    }
                }
            }
        }
        for neighbour in neighbours {
            for quad in self
                .inner
                .quads_for_pattern(Some(neighbour.as_ref().into()), Some(RDFS_LABEL), None, None)
            {
                triples.insert(Triple::from(quad?).to_string_key());
            }
        }
        Ok(Some(triples.into_iter().map(|key| key.0).collect()))
    }

    /// A subject's statements, and those of its evidence nodes.
    fn statements_with_evidence(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
        triples: &mut BTreeSet<Keyed>,
    ) -> Result<(), StoreError> {
        for quad in self.inner.quads_for_pattern(Some(subject), None, None, None) {
            let triple = Triple::from(quad?);
            if triple.predicate.as_ref() == GG_EVIDENCE_PROP {
                let evidence: Option<NamedOrBlankNode> = match &triple.object {
                    Term::NamedNode(node) => Some(node.clone().into()),
                    Term::BlankNode(node) => Some(node.clone().into()),
                    Term::Literal(_) => None,
                };
                if let Some(evidence) = evidence {
                    for quad in self.inner.quads_for_pattern(Some(evidence.as_ref()), None, None, None) {
                        triples.insert(Triple::from(quad?).to_string_key());
                    }
                }
            }
            triples.insert(triple.to_string_key());
        }
        Ok(())
    }
}

/// A triple ordered by its N-Triples form, so descriptions come out the same every time.
#[derive(PartialEq, Eq)]
struct Keyed(Triple, String);

impl Ord for Keyed {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.1.cmp(&other.1)
    }
}

impl PartialOrd for Keyed {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

trait ToKey {
    fn to_string_key(self) -> Keyed;
}

impl ToKey for Triple {
    fn to_string_key(self) -> Keyed {
        let key = self.to_string();
        Keyed(self, key)
    }
}
