//! The summaries the graph projection and the search index are built from, read with one scan
//! of Oxigraph's predicate index per property instead of one lookup per entity: a dozen
//! sequential scans whatever the size of the store. (A lookup per subject costs a RocksDB
//! iterator each, about 100 µs: 80 ms for the seed, minutes at a million entities.)
//!
//! `entity_summary` and `relation_summary_by_id` read one subject the same way, for writes that
//! know what they changed; a test checks that both ways agree on the seed.

use super::description::Description;
use super::vocab::*;
use super::{Store, StoreError};
use crate::model::{
    DateStatus, EntityKind, EntitySummary, EvidenceType, Openness, PartialDate, RelationKind, RelationSummary,
};
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Term};
use std::collections::{BTreeSet, HashMap};

/// Values gathered for one entity, in no particular order until `finish`.
#[derive(Default)]
struct EntityValues {
    kind: Option<EntityKind>,
    openness: Vec<String>,
    labels: Vec<String>,
    aliases: Vec<String>,
    descriptions: Vec<String>,
    starts: Vec<String>,
    issued: Vec<String>,
    ends: Vec<String>,
    statuses: Vec<String>,
}

/// The first of the sorted, distinct values: what a value stated twice, or in two graphs, reads as.
fn first(mut values: Vec<String>) -> Option<String> {
    values.sort();
    values.into_iter().next()
}

fn sorted(mut values: Vec<String>) -> Vec<String> {
    values.sort();
    values.dedup();
    values
}

fn date(values: Vec<String>) -> Option<PartialDate> {
    sorted(values).iter().find_map(|text| text.parse().ok())
}

fn openness(values: Vec<String>) -> Option<Openness> {
    sorted(values).iter().find_map(|value| {
        Openness::ALL
            .iter()
            .copied()
            .find(|o| openness_iri(*o).as_str() == value)
    })
}

impl EntityValues {
    fn finish(self, id: &str) -> Option<EntitySummary> {
        Some(EntitySummary {
            id: id.to_owned(),
            kind: self.kind?,
            openness: openness(self.openness),
            start: date(self.starts).or_else(|| date(self.issued)),
            end: date(self.ends),
            // The smallest status, as the full read (`Store::entities`) takes it.
            ongoing: first(self.statuses).is_some_and(|status| status == date_status_iri(DateStatus::Ongoing).as_str()),
            label: first(self.labels).unwrap_or_else(|| id.to_owned()),
            aliases: sorted(self.aliases),
            description: first(self.descriptions),
        })
    }
}

#[derive(Default)]
struct RelationValues {
    sources: Vec<String>,
    targets: Vec<String>,
    predicates: Vec<String>,
    kinds: Vec<String>,
    evidence_types: Vec<String>,
    confidences: Vec<String>,
    /// From the derived `dcterms:isReferencedBy`, which names each document cited as evidence
    /// (see `materialize`): one scan instead of a join through the evidence nodes.
    documents: Vec<String>,
}

impl RelationValues {
    fn finish(self, id: &str) -> Option<RelationSummary> {
        let source = first(self.sources)?.strip_prefix(id_namespace())?.to_owned();
        let target = first(self.targets)?.strip_prefix(id_namespace())?.to_owned();
        let kind = first(self.kinds)?;
        let kind = RelationKind::ALL
            .iter()
            .copied()
            .find(|k| relation_kind_iri(*k).as_str() == kind)?;
        let evidence_type = first(self.evidence_types).and_then(|value| {
            EvidenceType::ALL
                .iter()
                .copied()
                .find(|e| evidence_type_iri(*e).as_str() == value)
        });
        Some(RelationSummary {
            id: id.to_owned(),
            source,
            target,
            predicate: first(self.predicates)?,
            kind,
            evidence_type,
            confidence: first(self.confidences).and_then(|value| value.parse().ok()),
            documents: sorted(self.documents),
        })
    }
}

impl Store {
    /// Subjects typed `class` in any graph, each once, in IRI order.
    pub(super) fn instances(&self, class: NamedNodeRef<'_>) -> Result<BTreeSet<NamedNode>, StoreError> {
        let mut subjects = BTreeSet::new();
        for quad in self
            .inner
            .quads_for_pattern(None, Some(RDF_TYPE), Some(class.into()), None)
        {
            if let NamedOrBlankNode::NamedNode(node) = quad?.subject {
                subjects.insert(node);
            }
        }
        Ok(subjects)
    }

    /// Calls `found(subject IRI, object)` for every statement with `predicate`, in any graph.
    fn scan(&self, predicate: NamedNodeRef<'_>, mut found: impl FnMut(&str, Term)) -> Result<(), StoreError> {
        for quad in self.inner.quads_for_pattern(None, Some(predicate), None, None) {
            let quad = quad?;
            if let NamedOrBlankNode::NamedNode(subject) = &quad.subject {
                found(subject.as_str(), quad.object);
            }
        }
        Ok(())
    }

    /// Every entity (an IRI under the entity namespace with a kind), in IRI order, for the
    /// projection and the search index.
    pub fn entity_summaries(&self) -> Result<Vec<EntitySummary>, StoreError> {
        let entities = self.instances(GG_ENTITY)?;
        let mut values: HashMap<&str, EntityValues> = entities
            .iter()
            .filter(|node| node.as_str().starts_with(id_namespace()))
            .map(|node| (node.as_str(), EntityValues::default()))
            .collect();
        for kind in EntityKind::ALL {
            for node in self.instances(kind_class(*kind))? {
                if let Some(entity) = values.get_mut(node.as_str())
                    && entity.kind.is_none()
                {
                    entity.kind = Some(*kind);
                }
            }
        }
        type Field = fn(&mut EntityValues) -> &mut Vec<String>;
        let fields: [(NamedNodeRef<'_>, Field); 8] = [
            (GG_OPENNESS, |v| &mut v.openness),
            (RDFS_LABEL, |v| &mut v.labels),
            (SKOS_ALT_LABEL, |v| &mut v.aliases),
            (DCTERMS_DESCRIPTION, |v| &mut v.descriptions),
            (SCHEMA_START_DATE, |v| &mut v.starts),
            (DCTERMS_ISSUED, |v| &mut v.issued),
            (SCHEMA_END_DATE, |v| &mut v.ends),
            (GG_DATE_STATUS, |v| &mut v.statuses),
        ];
        for (predicate, field) in fields {
            self.scan(predicate, |subject, object| {
                if let Some(entity) = values.get_mut(subject) {
                    let value = match object {
                        Term::Literal(literal) => literal.destruct().0,
                        Term::NamedNode(node) => node.into_string(),
                        Term::BlankNode(_) => return,
                    };
                    field(entity).push(value);
                }
            })?;
        }
        Ok(entities
            .iter()
            .filter_map(|node| {
                let id = node.as_str().strip_prefix(id_namespace())?;
                values.remove(node.as_str())?.finish(id)
            })
            .collect())
    }

    /// Every complete relation node, in IRI order, for the projection.
    pub fn relation_summaries(&self) -> Result<Vec<RelationSummary>, StoreError> {
        let relations = self.instances(GG_RELATION)?;
        let mut values: HashMap<&str, RelationValues> = relations
            .iter()
            .map(|node| (node.as_str(), RelationValues::default()))
            .collect();
        type Field = fn(&mut RelationValues) -> &mut Vec<String>;
        let fields: [(NamedNodeRef<'_>, Field); 7] = [
            (GG_SOURCE, |v| &mut v.sources),
            (GG_TARGET, |v| &mut v.targets),
            (GG_PREDICATE, |v| &mut v.predicates),
            (GG_RELATION_KIND, |v| &mut v.kinds),
            (GG_EVIDENCE_TYPE, |v| &mut v.evidence_types),
            (GG_CONFIDENCE, |v| &mut v.confidences),
            (DCTERMS_IS_REFERENCED_BY, |v| &mut v.documents),
        ];
        for (predicate, field) in fields {
            self.scan(predicate, |subject, object| {
                if let Some(relation) = values.get_mut(subject) {
                    let value = match object {
                        Term::NamedNode(node) => node.into_string(),
                        Term::Literal(literal) => literal.destruct().0,
                        Term::BlankNode(_) => return,
                    };
                    field(relation).push(value);
                }
            })?;
        }
        Ok(relations
            .iter()
            .filter_map(|node| {
                let id = node.as_str().strip_prefix(rel_namespace())?;
                values.remove(node.as_str())?.finish(id)
            })
            .collect())
    }

    /// One entity's summary, read like `entity_summaries` reads them all.
    pub fn entity_summary(&self, id: &str) -> Result<Option<EntitySummary>, StoreError> {
        let iri = NamedNode::new_unchecked(entity_iri(id));
        let description = self.describe(iri.as_ref().into())?;
        if !description.has_type(GG_ENTITY) {
            return Ok(None);
        }
        let values = EntityValues {
            kind: description.kind(),
            openness: description.strings(GG_OPENNESS),
            labels: description.strings(RDFS_LABEL),
            aliases: description.strings(SKOS_ALT_LABEL),
            descriptions: description.strings(DCTERMS_DESCRIPTION),
            starts: description.strings(SCHEMA_START_DATE),
            issued: description.strings(DCTERMS_ISSUED),
            ends: description.strings(SCHEMA_END_DATE),
            statuses: description.strings(GG_DATE_STATUS),
        };
        Ok(values.finish(id))
    }

    /// One relation's summary, read like `relation_summaries` reads them all.
    pub fn relation_summary_by_id(&self, id: &str) -> Result<Option<RelationSummary>, StoreError> {
        let iri = NamedNode::new_unchecked(relation_iri(id));
        let description = self.describe(iri.as_ref().into())?;
        if !description.has_type(GG_RELATION) {
            return Ok(None);
        }
        Ok(relation_from(id, &description))
    }
}

/// A relation node's summary from its description, read like `relation_summaries` reads them.
pub(super) fn relation_from(id: &str, description: &Description) -> Option<RelationSummary> {
    RelationValues {
        sources: description.strings(GG_SOURCE),
        targets: description.strings(GG_TARGET),
        predicates: description.strings(GG_PREDICATE),
        kinds: description.strings(GG_RELATION_KIND),
        evidence_types: description.strings(GG_EVIDENCE_TYPE),
        confidences: description.strings(GG_CONFIDENCE),
        documents: description.strings(DCTERMS_IS_REFERENCED_BY),
    }
    .finish(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NoProgress;

    #[test]
    fn scanning_and_reading_one_by_one_agree_on_the_seed() {
        let store = Store::memory().unwrap();
        store.initialize(true, &NoProgress).unwrap();
        let entities = store.entity_summaries().unwrap();
        assert!(entities.len() > 200, "{} entities", entities.len());
        for summary in &entities {
            assert_eq!(store.entity_summary(&summary.id).unwrap().as_ref(), Some(summary));
        }
        let relations = store.relation_summaries().unwrap();
        assert!(relations.len() > 400, "{} relations", relations.len());
        for summary in &relations {
            assert_eq!(
                store.relation_summary_by_id(&summary.id).unwrap().as_ref(),
                Some(summary)
            );
        }
        assert_eq!(store.entity_summary("no-such-entity").unwrap(), None);
        assert_eq!(store.relation_summary_by_id(&relations[0].source).unwrap(), None);
        let netmundial = entities.iter().find(|e| e.id == "netmundial-2014").unwrap();
        assert_eq!(netmundial.kind, EntityKind::Meeting);
        assert_eq!(netmundial.openness, Some(Openness::Open));
        assert_eq!(netmundial.start.map(|d| d.to_string()).as_deref(), Some("2014-04-23"));
        assert!(!netmundial.ongoing);
        let wgec = entities.iter().find(|e| e.id == "cstd-wgec").unwrap();
        assert!(wgec.ongoing, "gg:dateStatus gg:Ongoing");
    }
}
