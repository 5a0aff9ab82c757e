//! Reading the graph back as model values: the summaries the projection and the search index are
//! built from, full entities and relations (fetched in batches, for the API's data loaders), and
//! the dataset version. Reads go straight to Oxigraph's indexes, not through SPARQL.

use super::description::Description;
use super::vocab::*;
use super::{Store, StoreError};
use crate::model::{
    Citation, Claim, ClaimProperty, ClaimValue, DateStatus, Entity, EvidenceType, Openness, Relation, RelationSummary,
};
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term};
use std::collections::HashMap;

impl Store {
    /// The id of the seed document whose text is the file `name` (under `seed/sources/`).
    pub fn seed_document(&self, name: &str) -> Result<Option<String>, StoreError> {
        let literal = oxigraph::model::Literal::new_simple_literal(name);
        for quad in self
            .inner
            .quads_for_pattern(None, Some(GG_SEED_FILE), Some(literal.as_ref().into()), None)
        {
            if let oxigraph::model::NamedOrBlankNode::NamedNode(node) = quad?.subject
                && let Some(id) = node.as_str().strip_prefix(id_namespace())
            {
                return Ok(Some(id.to_owned()));
            }
        }
        Ok(None)
    }

    /// Full entities by id; unknown ids are left out.
    pub fn entities(&self, ids: &[String]) -> Result<HashMap<String, Entity>, StoreError> {
        let mut documents = DocumentCache::default();
        let mut entities = HashMap::new();
        for id in ids {
            let iri = NamedNode::new_unchecked(entity_iri(id));
            let description = self.describe(iri.as_ref().into())?;
            let Some(kind) = description.kind() else { continue };
            let date_status = description.named(GG_DATE_STATUS).and_then(|status| {
                DateStatus::ALL
                    .iter()
                    .copied()
                    .find(|s| date_status_iri(*s) == status.as_ref())
            });
            entities.insert(
                id.clone(),
                Entity {
                    id: id.clone(),
                    iri: iri.as_str().to_owned(),
                    label: description.text(RDFS_LABEL).unwrap_or_else(|| id.clone()),
                    aliases: description.texts(SKOS_ALT_LABEL),
                    kind,
                    openness: description.openness(),
                    openness_note: description.text(GG_OPENNESS_NOTE),
                    description: description.text(DCTERMS_DESCRIPTION),
                    start_date: description.start(),
                    end_date: description.date(SCHEMA_END_DATE),
                    date_status,
                    date_note: description.text(GG_DATE_NOTE),
                    location: description.text(SCHEMA_LOCATION),
                    identifier: description.text(DCTERMS_IDENTIFIER),
                    theme: description.text(GG_THEME),
                    citations: self.citations(&description, &mut documents)?,
                    claims: self.claims(&description, &mut documents)?,
                },
            );
        }
        Ok(entities)
    }

    /// Full relations by id; unknown ids are left out.
    pub fn relations(&self, ids: &[String]) -> Result<HashMap<String, Relation>, StoreError> {
        let mut documents = DocumentCache::default();
        let mut labels: HashMap<String, (String, String)> = HashMap::new();
        let mut relations = HashMap::new();
        for id in ids {
            let iri = NamedNode::new_unchecked(relation_iri(id));
            let description = self.describe(iri.as_ref().into())?;
            let Some(summary) = relation_summary(&iri, &description) else {
                continue;
            };
            if !labels.contains_key(&summary.predicate) {
                labels.insert(summary.predicate.clone(), self.predicate_label(&summary.predicate)?);
            }
            let (predicate_label, inverse_label) = labels.get(&summary.predicate).cloned().unwrap_or_default();
            let evidence_type = description.named(GG_EVIDENCE_TYPE).and_then(|value| {
                EvidenceType::ALL
                    .iter()
                    .copied()
                    .find(|e| evidence_type_iri(*e) == value.as_ref())
            });
            relations.insert(
                id.clone(),
                Relation {
                    id: id.clone(),
                    iri: iri.as_str().to_owned(),
                    source: summary.source,
                    target: summary.target,
                    predicate: summary.predicate,
                    predicate_label,
                    inverse_label,
                    kind: summary.kind,
                    evidence_type,
                    confidence: description.text(GG_CONFIDENCE).and_then(|c| c.parse().ok()),
                    inference_reason: description.text(GG_INFERENCE_REASON),
                    start_date: description.date(SCHEMA_START_DATE),
                    end_date: description.date(SCHEMA_END_DATE),
                    citations: self.citations(&description, &mut documents)?,
                },
            );
        }
        Ok(relations)
    }

    /// The IRI of the document a user names as a relation's `source`, as `Source.document` shows
    /// it: a URL, a document entity's id, a seed document's file name or an imported file's
    /// name. `None` when no evidence cites a document by that name.
    pub fn document_iri(&self, name: &str) -> Result<Option<String>, StoreError> {
        let name = name.trim();
        let cited = |iri: &NamedNode| -> Result<bool, StoreError> {
            let term = Term::from(iri.clone());
            Ok(self
                .inner
                .quads_for_pattern(None, Some(GG_DOCUMENT_PROP), Some(term.as_ref()), None)
                .next()
                .transpose()?
                .is_some())
        };
        let direct = if name.contains("://") {
            NamedNode::new(name).ok()
        } else {
            NamedNode::new(entity_iri(name)).ok()
        };
        if let Some(iri) = direct
            && cited(&iri)?
        {
            return Ok(Some(iri.into_string()));
        }
        // A file name: a seed document's, or an imported file's label.
        let literal = oxigraph::model::Literal::new_simple_literal(name);
        for predicate in [GG_SEED_FILE, RDFS_LABEL] {
            for quad in self
                .inner
                .quads_for_pattern(None, Some(predicate), Some(literal.as_ref().into()), None)
            {
                if let NamedOrBlankNode::NamedNode(document) = quad?.subject
                    && cited(&document)?
                {
                    return Ok(Some(document.into_string()));
                }
            }
        }
        Ok(None)
    }

    /// The IRIs of the properties the ontology (or any graph) declares `owl:SymmetricProperty`,
    /// sorted: relations with these predicates read the same both ways.
    pub fn symmetric_predicates(&self) -> Result<Vec<String>, StoreError> {
        let mut iris = Vec::new();
        for quad in self
            .inner
            .quads_for_pattern(None, Some(RDF_TYPE), Some(OWL_SYMMETRIC_PROPERTY.into()), None)
        {
            if let NamedOrBlankNode::NamedNode(property) = quad?.subject {
                iris.push(property.into_string());
            }
        }
        iris.sort_unstable();
        iris.dedup();
        Ok(iris)
    }

    /// How a relation property reads from source to target and back: its label (else its local
    /// name) and its inverse label (else "inverse of" the label).
    pub fn predicate_label(&self, iri: &str) -> Result<(String, String), StoreError> {
        let property = self.describe(NamedNodeRef::new_unchecked(iri).into())?;
        let local = iri.rsplit(['#', '/']).next().unwrap_or_default().to_owned();
        let label = property.text(RDFS_LABEL).unwrap_or(local);
        let inverse = property
            .text(GG_INVERSE_LABEL)
            .unwrap_or_else(|| format!("inverse of {label}"));
        Ok((label, inverse))
    }

    /// An entity's claims, those about the values it states first, then by property and value.
    fn claims(&self, entity: &Description, documents: &mut DocumentCache) -> Result<Vec<Claim>, StoreError> {
        let mut claims = Vec::new();
        for node in entity.all(GG_CLAIM_PROP) {
            let node = match node {
                Term::NamedNode(node) => NamedOrBlankNodeRef::from(node.as_ref()),
                Term::BlankNode(node) => NamedOrBlankNodeRef::from(node.as_ref()),
                Term::Literal(_) => continue,
            };
            let claim = self.describe(node)?;
            let Some(Term::NamedNode(property_iri)) = claim.all(GG_PROPERTY).first().cloned() else {
                continue;
            };
            let Some(property) = ClaimProperty::ALL
                .iter()
                .copied()
                .find(|p| claim_property_iri(*p) == property_iri.as_ref())
            else {
                continue;
            };
            let value = claim.all(GG_VALUE).first().cloned();
            let asserted = value
                .as_ref()
                .is_some_and(|value| entity.all(property_iri.as_ref()).iter().any(|stated| stated == value));
            claims.push(Claim {
                property,
                value: value
                    .as_ref()
                    .and_then(|v| claim_value(property, v))
                    .map(|v| v.to_string()),
                asserted,
                evidence_type: claim.named(GG_EVIDENCE_TYPE).and_then(|value| {
                    EvidenceType::ALL
                        .iter()
                        .copied()
                        .find(|e| evidence_type_iri(*e) == value.as_ref())
                }),
                confidence: claim.text(GG_CONFIDENCE).and_then(|c| c.parse().ok()),
                inference_reason: claim.text(GG_INFERENCE_REASON),
                citations: self.citations(&claim, documents)?,
            });
        }
        claims.sort_by(|a, b| (!a.asserted, a.property, &a.value).cmp(&(!b.asserted, b.property, &b.value)));
        Ok(claims)
    }

    fn citations(&self, holder: &Description, documents: &mut DocumentCache) -> Result<Vec<Citation>, StoreError> {
        let mut citations = Vec::new();
        for evidence in holder.all(GG_EVIDENCE_PROP) {
            let node = match evidence {
                Term::NamedNode(node) => NamedOrBlankNodeRef::from(node.as_ref()),
                Term::BlankNode(node) => NamedOrBlankNodeRef::from(node.as_ref()),
                Term::Literal(_) => continue,
            };
            let evidence = self.describe(node)?;
            let Some(document) = evidence.named(GG_DOCUMENT_PROP) else {
                continue;
            };
            let (shown, title) = documents.get(self, document)?;
            citations.push(Citation {
                document: shown,
                document_iri: document.as_str().to_owned(),
                document_entity: document.as_str().strip_prefix(id_namespace()).map(str::to_owned),
                title,
                quote: evidence.text(GG_QUOTE),
            });
        }
        citations.sort_by(|a, b| (&a.document, &a.quote).cmp(&(&b.document, &b.quote)));
        citations.dedup();
        Ok(citations)
    }
}

/// A stored value read as a value of `property`; `None` for a term that is not one.
pub(super) fn claim_value(property: ClaimProperty, term: &Term) -> Option<ClaimValue> {
    match (property, term) {
        (ClaimProperty::Openness, Term::NamedNode(node)) => Openness::ALL
            .iter()
            .copied()
            .find(|o| openness_iri(*o) == node.as_ref())
            .map(ClaimValue::Openness),
        (ClaimProperty::DateStatus, Term::NamedNode(node)) => DateStatus::ALL
            .iter()
            .copied()
            .find(|s| date_status_iri(*s) == node.as_ref())
            .map(ClaimValue::DateStatus),
        (ClaimProperty::Location, Term::Literal(literal)) => Some(ClaimValue::Text(literal.value().to_owned())),
        (_, Term::Literal(literal)) => literal.value().parse().ok().map(ClaimValue::Date),
        _ => None,
    }
}

fn relation_summary(node: &NamedNode, description: &Description) -> Option<RelationSummary> {
    super::summaries::relation_from(node.as_str().strip_prefix(rel_namespace())?, description)
}

/// How each cited document is shown, looked up once per batch.
#[derive(Default)]
pub(super) struct DocumentCache {
    shown: HashMap<String, (String, Option<String>)>,
}

impl DocumentCache {
    pub(super) fn get(&mut self, store: &Store, document: &NamedNode) -> Result<(String, Option<String>), StoreError> {
        if let Some(found) = self.shown.get(document.as_str()) {
            return Ok(found.clone());
        }
        let description = store.describe(document.as_ref().into())?;
        let title = description.text(DCTERMS_TITLE).or_else(|| description.text(RDFS_LABEL));
        // A seed document is shown by its file name, an imported file by its name, and anything
        // else by its IRI (a URL for public sources).
        let shown = description
            .text(GG_SEED_FILE)
            .or_else(|| {
                if description.has_type(GG_IMPORTED_FILE) {
                    description.text(RDFS_LABEL)
                } else {
                    None
                }
            })
            .unwrap_or_else(|| document.as_str().to_owned());
        self.shown
            .insert(document.as_str().to_owned(), (shown.clone(), title.clone()));
        Ok((shown, title))
    }
}
