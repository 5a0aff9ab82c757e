//! The statements a dereferenced IRI is described by. An entity (`/id/{id}`): its own
//! statements, its evidence, its qualified relations (in both directions) with their evidence,
//! and the labels of the entities at their other ends, so that the document reads on its own.
//! Any other node (a relation, an evidence node's Skolem IRI, a change, an imported file): its
//! statements, its evidence, and the labels of what it points to; a Skolem IRI also what points
//! to it. The ontology graph (`/ns`): its contents.

use super::description::Typed;
use super::vocab::{GENID, GG_CLAIM_PROP, GG_ENTITY, GG_EVIDENCE_PROP, GG_SOURCE, GG_TARGET, RDFS_LABEL, entity_iri};
use super::{Store, StoreError};
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term, Triple};
use std::collections::BTreeSet;

impl Store {
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

    /// The description of one entity, or `None` if `entity` is none.
    pub(super) fn describe_entity(&self, entity: NamedNodeRef<'_>) -> Result<Option<Vec<Triple>>, StoreError> {
        let is_entity = self.inner.has_type(entity, GG_ENTITY)?;
        if !is_entity {
            return Ok(None);
        }
        let mut triples = BTreeSet::new();
        self.statements_with_evidence(entity.into(), &mut triples)?;
        let mut neighbours = BTreeSet::new();
        for role in [GG_SOURCE, GG_TARGET] {
            for quad in self
                .inner
                .quads_for_pattern(None, Some(role), Some(entity.into()), None)
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
        self.labels(neighbours, &mut triples)?;
        Ok(Some(triples.into_iter().map(|key| key.0).collect()))
    }

    /// The description of any other node, or `None` if nothing is said of it.
    pub(super) fn describe_node(&self, node: NamedNodeRef<'_>) -> Result<Option<Vec<Triple>>, StoreError> {
        let mut triples = BTreeSet::new();
        self.statements_with_evidence(node.into(), &mut triples)?;
        // An evidence node is read from what it supports; anything else could be cited by
        // thousands of statements (an imported file), so only its own are given.
        if node.as_str().starts_with(GENID) {
            for quad in self.inner.quads_for_pattern(None, None, Some(node.into()), None) {
                let quad = quad?;
                self.statements_with_evidence(quad.subject.as_ref(), &mut triples)?;
            }
        }
        if triples.is_empty() {
            return Ok(None);
        }
        let mentioned: BTreeSet<NamedNode> = triples
            .iter()
            .flat_map(|key| {
                let subject = match &key.0.subject {
                    NamedOrBlankNode::NamedNode(subject) => Some(subject.clone()),
                    NamedOrBlankNode::BlankNode(_) => None,
                };
                let object = match &key.0.object {
                    Term::NamedNode(object) => Some(object.clone()),
                    _ => None,
                };
                subject.into_iter().chain(object)
            })
            .collect();
        self.labels(mentioned, &mut triples)?;
        Ok(Some(triples.into_iter().map(|key| key.0).collect()))
    }

    /// The triples of one graph, or `None` if the store has no such graph.
    pub(super) fn graph_contents(&self, graph: NamedNodeRef<'_>) -> Result<Option<Vec<Triple>>, StoreError> {
        if !self.inner.contains_named_graph(graph)? {
            return Ok(None);
        }
        let mut triples = BTreeSet::new();
        for quad in self.inner.quads_for_pattern(None, None, None, Some(graph.into())) {
            triples.insert(Triple::from(quad?).to_string_key());
        }
        Ok(Some(triples.into_iter().map(|key| key.0).collect()))
    }

    /// The labels of `nodes`, so that a description names what it links to.
    fn labels(
        &self,
        nodes: impl IntoIterator<Item = NamedNode>,
        triples: &mut BTreeSet<Keyed>,
    ) -> Result<(), StoreError> {
        for node in nodes {
            for quad in self
                .inner
                .quads_for_pattern(Some(node.as_ref().into()), Some(RDFS_LABEL), None, None)
            {
                triples.insert(Triple::from(quad?).to_string_key());
            }
        }
        Ok(())
    }

    /// A subject's statements, and those of its evidence nodes and of its claims (with theirs).
    fn statements_with_evidence(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
        triples: &mut BTreeSet<Keyed>,
    ) -> Result<(), StoreError> {
        self.statements_with(subject, true, triples)
    }

    /// `claims`: whether to follow `gg:claim` (one level only: data may point a claim at
    /// anything, itself included).
    fn statements_with(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
        claims: bool,
        triples: &mut BTreeSet<Keyed>,
    ) -> Result<(), StoreError> {
        for quad in self.inner.quads_for_pattern(Some(subject), None, None, None) {
            let triple = Triple::from(quad?);
            if claims && triple.predicate.as_ref() == GG_CLAIM_PROP {
                match &triple.object {
                    Term::NamedNode(claim) => self.statements_with(claim.as_ref().into(), false, triples)?,
                    Term::BlankNode(claim) => self.statements_with(claim.as_ref().into(), false, triples)?,
                    Term::Literal(_) => {}
                }
            } else if triple.predicate.as_ref() == GG_EVIDENCE_PROP {
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
