//! What the catalog does not hold of entities: their locations, and the documents their evidence
//! and claims cite (a relation's documents are in the projection). Read straight from Oxigraph's
//! indexes: one scan of a predicate, or the few quads that name one document.

use super::read::DocumentCache;
use super::vocab::*;
use super::{Store, StoreError};
use oxigraph::model::{NamedNodeRef, NamedOrBlankNode, Term};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A document cited as evidence, as `sources` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CitedDocument {
    /// As `Source.document` shows it: a seed file name, an imported file's name, or the IRI.
    pub document: String,
    pub iri: String,
    /// Its title (`dcterms:title`, else `rdfs:label`), when known.
    pub label: Option<String>,
    /// Entities whose evidence, or the evidence of whose claims, cites it.
    pub entities: usize,
    /// Relations whose evidence cites it.
    pub relations: usize,
}

/// (holder id, document IRI) pairs.
type Citations = BTreeSet<(String, String)>;

/// Who a piece of evidence belongs to.
enum Holder {
    Entity(String),
    Relation(String),
}

fn node_iri(term: &NamedOrBlankNode) -> Option<&str> {
    match term {
        NamedOrBlankNode::NamedNode(node) => Some(node.as_str()),
        NamedOrBlankNode::BlankNode(_) => None,
    }
}

impl Store {
    /// Every entity's `schema:location`, as (id, location); an entity with several has each.
    pub fn entity_locations(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut found = BTreeSet::new();
        for quad in self.inner.quads_for_pattern(None, Some(SCHEMA_LOCATION), None, None) {
            let quad = quad?;
            if let (Some(id), Term::Literal(location)) = (
                node_iri(&quad.subject).and_then(|iri| iri.strip_prefix(id_namespace())),
                &quad.object,
            ) {
                found.insert((id.to_owned(), location.value().to_owned()));
            }
        }
        Ok(found.into_iter().collect())
    }

    /// The holder (an entity or a relation) of evidence, or of the claim the evidence is of;
    /// `claims` maps claim nodes to their entities.
    fn holder(
        &self,
        holder: &NamedOrBlankNode,
        claims: &mut HashMap<String, Option<String>>,
    ) -> Result<Option<Holder>, StoreError> {
        let Some(iri) = node_iri(holder) else {
            return Ok(None);
        };
        if let Some(id) = iri.strip_prefix(id_namespace()) {
            return Ok(Some(Holder::Entity(id.to_owned())));
        }
        if let Some(id) = iri.strip_prefix(rel_namespace()) {
            return Ok(Some(Holder::Relation(id.to_owned())));
        }
        if let Some(entity) = claims.get(iri) {
            return Ok(entity.clone().map(Holder::Entity));
        }
        let mut entity = None;
        let claim = Term::from(holder.clone());
        for quad in self
            .inner
            .quads_for_pattern(None, Some(GG_CLAIM_PROP), Some(claim.as_ref()), None)
        {
            if let Some(id) = node_iri(&quad?.subject).and_then(|iri| iri.strip_prefix(id_namespace())) {
                entity = Some(id.to_owned());
                break;
            }
        }
        claims.insert(iri.to_owned(), entity.clone());
        Ok(entity.map(Holder::Entity))
    }

    /// Every (holder, document IRI) citation, each once: a claim's counts for its entity.
    fn citations_by_holder(&self) -> Result<(Citations, Citations), StoreError> {
        // evidence node -> documents
        let mut documents: HashMap<Term, Vec<String>> = HashMap::new();
        for quad in self.inner.quads_for_pattern(None, Some(GG_DOCUMENT_PROP), None, None) {
            let quad = quad?;
            if let Term::NamedNode(document) = quad.object {
                documents
                    .entry(Term::from(quad.subject))
                    .or_default()
                    .push(document.into_string());
            }
        }
        let mut claims = HashMap::new();
        let (mut entities, mut relations) = (BTreeSet::new(), BTreeSet::new());
        for quad in self.inner.quads_for_pattern(None, Some(GG_EVIDENCE_PROP), None, None) {
            let quad = quad?;
            let Some(cited) = documents.get(&quad.object) else {
                continue;
            };
            match self.holder(&quad.subject, &mut claims)? {
                // Nothing cites itself (as `materialize` derives `dcterms:isReferencedBy`).
                Some(Holder::Entity(id)) => entities.extend(
                    cited
                        .iter()
                        .filter(|document| document.strip_prefix(id_namespace()) != Some(id.as_str()))
                        .map(|document| (id.clone(), document.clone())),
                ),
                Some(Holder::Relation(id)) => {
                    relations.extend(cited.iter().map(|document| (id.clone(), document.clone())));
                }
                None => {}
            }
        }
        Ok((entities, relations))
    }

    /// Every (entity id, document as `Source.document` shows it) where the entity's evidence or
    /// the evidence of one of its claims cites the document. One scan of the evidence.
    pub fn entity_documents(&self) -> Result<Vec<(String, String)>, StoreError> {
        let (entities, _) = self.citations_by_holder()?;
        let mut shown = DocumentCache::default();
        let mut pairs = Vec::with_capacity(entities.len());
        for (id, iri) in entities {
            let (document, _) = shown.get(self, &oxigraph::model::NamedNode::new_unchecked(iri))?;
            pairs.push((id, document));
        }
        Ok(pairs)
    }

    /// The ids of the entities whose evidence, or the evidence of whose claims, cites the
    /// document `iri` (see [`Store::document_iri`]): the quads naming it, not a scan.
    pub fn entities_citing(&self, iri: &str) -> Result<BTreeSet<String>, StoreError> {
        let document = Term::from(NamedNodeRef::new_unchecked(iri).into_owned());
        let mut claims = HashMap::new();
        let mut found = BTreeSet::new();
        for evidence in self
            .inner
            .quads_for_pattern(None, Some(GG_DOCUMENT_PROP), Some(document.as_ref()), None)
        {
            let evidence = Term::from(evidence?.subject);
            for holder in self
                .inner
                .quads_for_pattern(None, Some(GG_EVIDENCE_PROP), Some(evidence.as_ref()), None)
            {
                if let Some(Holder::Entity(id)) = self.holder(&holder?.subject, &mut claims)?
                    && iri.strip_prefix(id_namespace()) != Some(id.as_str())
                {
                    found.insert(id);
                }
            }
        }
        Ok(found)
    }

    /// Every document cited as evidence, by how it is shown, with how many entities and
    /// relations cite it. One scan of the evidence.
    pub fn cited_documents(&self) -> Result<Vec<CitedDocument>, StoreError> {
        let (entities, relations) = self.citations_by_holder()?;
        let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for (_, iri) in &entities {
            counts.entry(iri.clone()).or_default().0 += 1;
        }
        for (_, iri) in &relations {
            counts.entry(iri.clone()).or_default().1 += 1;
        }
        let mut shown = DocumentCache::default();
        let mut documents = Vec::with_capacity(counts.len());
        for (iri, (entities, relations)) in counts {
            let (document, label) = shown.get(self, &oxigraph::model::NamedNode::new_unchecked(&iri))?;
            documents.push(CitedDocument {
                document,
                iri,
                label,
                entities,
                relations,
            });
        }
        documents.sort_by(|a, b| (&a.document, &a.iri).cmp(&(&b.document, &b.iri)));
        Ok(documents)
    }
}
