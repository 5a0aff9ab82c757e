//! The quotes of the graph as text to search: every `gg:quote` with what holds it (an entity, a
//! relation, or an entity's claim) and the document it is from. Read straight from Oxigraph's
//! indexes: one scan of the quotes, or the evidence of a few holders.

use super::read::DocumentCache;
use super::vocab::*;
use super::{Store, StoreError};
use crate::model::{Citation, ClaimProperty};
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Term, TermRef};
use std::collections::BTreeSet;

/// What holds a quote.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Holder {
    Entity(String),
    Relation(String),
    /// A claim of the entity, about the property.
    Claim {
        entity: String,
        property: ClaimProperty,
    },
}

impl Holder {
    /// The entity or relation a write touches when it changes this quote.
    pub fn entity(&self) -> Option<&str> {
        match self {
            Self::Entity(id) | Self::Claim { entity: id, .. } => Some(id),
            Self::Relation(_) => None,
        }
    }
}

/// A quote, who holds it and the document (IRI) it is from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Passage {
    pub holder: Holder,
    pub document: String,
    pub quote: String,
}

fn iri_of(term: &NamedOrBlankNode) -> Option<&str> {
    match term {
        NamedOrBlankNode::NamedNode(node) => Some(node.as_str()),
        NamedOrBlankNode::BlankNode(_) => None,
    }
}

impl Store {
    /// Every quote of the graph, each (holder, document, quote) once, in that order.
    pub fn passages(&self) -> Result<Vec<Passage>, StoreError> {
        let mut found = BTreeSet::new();
        for quad in self.inner.quads_for_pattern(None, Some(GG_QUOTE), None, None) {
            let quad = quad?;
            let Term::Literal(quote) = &quad.object else {
                continue;
            };
            let evidence = Term::from(quad.subject);
            let Some(document) = self.evidence_document(evidence.as_ref())? else {
                continue;
            };
            // Evidence nodes are named by their content, so one may serve several holders.
            for holder in self
                .inner
                .quads_for_pattern(None, Some(GG_EVIDENCE_PROP), Some(evidence.as_ref()), None)
            {
                if let Some(holder) = self.quote_holder(&holder?.subject)? {
                    found.insert(Passage {
                        holder,
                        document: document.clone(),
                        quote: quote.value().to_owned(),
                    });
                }
            }
        }
        Ok(found.into_iter().collect())
    }

    /// The quotes of these entities (their own and their claims') and relations, by id, in
    /// the order of [`Store::passages`].
    pub fn passages_of<'a>(
        &self,
        entities: impl IntoIterator<Item = &'a str>,
        relations: impl IntoIterator<Item = &'a str>,
    ) -> Result<Vec<Passage>, StoreError> {
        let mut found = BTreeSet::new();
        for id in entities {
            let entity = NamedNode::new_unchecked(entity_iri(id));
            self.quotes_of(entity.as_ref().into(), &Holder::Entity(id.to_owned()), &mut found)?;
            for claim in self
                .inner
                .quads_for_pattern(Some(entity.as_ref().into()), Some(GG_CLAIM_PROP), None, None)
            {
                let claim = claim?.object;
                let property = match &claim {
                    Term::NamedNode(node) => self.claim_property(node.as_ref().into())?,
                    Term::BlankNode(node) => self.claim_property(node.as_ref().into())?,
                    Term::Literal(_) => None,
                };
                if let Some(property) = property {
                    let holder = Holder::Claim {
                        entity: id.to_owned(),
                        property,
                    };
                    self.quotes_of(claim.as_ref(), &holder, &mut found)?;
                }
            }
        }
        for id in relations {
            let relation = NamedNode::new_unchecked(relation_iri(id));
            self.quotes_of(relation.as_ref().into(), &Holder::Relation(id.to_owned()), &mut found)?;
        }
        Ok(found.into_iter().collect())
    }

    /// A quote's document as `Source` shows it.
    pub fn quote_citation(&self, document: &str, quote: &str) -> Result<Citation, StoreError> {
        let iri = NamedNode::new_unchecked(document);
        let (shown, title) = DocumentCache::default().get(self, &iri)?;
        Ok(Citation {
            document: shown,
            document_iri: document.to_owned(),
            document_entity: document.strip_prefix(id_namespace()).map(str::to_owned),
            title,
            quote: Some(quote.to_owned()),
        })
    }

    fn quotes_of(
        &self,
        holder: TermRef<'_>,
        as_holder: &Holder,
        found: &mut BTreeSet<Passage>,
    ) -> Result<(), StoreError> {
        let subject = match holder {
            TermRef::NamedNode(node) => node.into(),
            TermRef::BlankNode(node) => node.into(),
            TermRef::Literal(_) => return Ok(()),
        };
        for evidence in self
            .inner
            .quads_for_pattern(Some(subject), Some(GG_EVIDENCE_PROP), None, None)
        {
            let evidence = evidence?.object;
            let Some(document) = self.evidence_document(evidence.as_ref())? else {
                continue;
            };
            let evidence_node = match &evidence {
                Term::NamedNode(node) => node.as_ref().into(),
                Term::BlankNode(node) => node.as_ref().into(),
                Term::Literal(_) => continue,
            };
            for quote in self
                .inner
                .quads_for_pattern(Some(evidence_node), Some(GG_QUOTE), None, None)
            {
                if let Term::Literal(quote) = quote?.object {
                    found.insert(Passage {
                        holder: as_holder.clone(),
                        document: document.clone(),
                        quote: quote.value().to_owned(),
                    });
                }
            }
        }
        Ok(())
    }

    fn evidence_document(&self, evidence: TermRef<'_>) -> Result<Option<String>, StoreError> {
        let subject = match evidence {
            TermRef::NamedNode(node) => node.into(),
            TermRef::BlankNode(node) => node.into(),
            TermRef::Literal(_) => return Ok(None),
        };
        for quad in self
            .inner
            .quads_for_pattern(Some(subject), Some(GG_DOCUMENT_PROP), None, None)
        {
            if let Term::NamedNode(document) = quad?.object {
                return Ok(Some(document.into_string()));
            }
        }
        Ok(None)
    }

    /// The entity, relation or claim that holds a piece of evidence.
    fn quote_holder(&self, holder: &NamedOrBlankNode) -> Result<Option<Holder>, StoreError> {
        let Some(iri) = iri_of(holder) else {
            return Ok(None);
        };
        if let Some(id) = iri.strip_prefix(id_namespace())
            && !id.contains('#')
        {
            return Ok(Some(Holder::Entity(id.to_owned())));
        }
        if let Some(id) = iri.strip_prefix(rel_namespace()) {
            return Ok(Some(Holder::Relation(id.to_owned())));
        }
        let Some(property) = self.claim_property(holder.as_ref())? else {
            return Ok(None);
        };
        let claim = Term::from(holder.clone());
        for quad in self
            .inner
            .quads_for_pattern(None, Some(GG_CLAIM_PROP), Some(claim.as_ref()), None)
        {
            if let Some(entity) = iri_of(&quad?.subject).and_then(|iri| iri.strip_prefix(id_namespace())) {
                return Ok(Some(Holder::Claim {
                    entity: entity.to_owned(),
                    property,
                }));
            }
        }
        Ok(None)
    }

    fn claim_property(
        &self,
        claim: oxigraph::model::NamedOrBlankNodeRef<'_>,
    ) -> Result<Option<ClaimProperty>, StoreError> {
        for quad in self.inner.quads_for_pattern(Some(claim), Some(GG_PROPERTY), None, None) {
            if let Term::NamedNode(iri) = quad?.object {
                let iri: NamedNodeRef<'_> = iri.as_ref();
                return Ok(ClaimProperty::ALL
                    .iter()
                    .copied()
                    .find(|property| claim_property_iri(*property) == iri));
            }
        }
        Ok(None)
    }
}
