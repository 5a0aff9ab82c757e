//! The IRIs govgraph reads and writes: its own namespaces and the terms it reuses.

use crate::model::{DateStatus, EntityKind, EvidenceType, Openness, RelationKind};
use oxigraph::model::NamedNodeRef;

pub const BASE: &str = "https://w3id.org/govgraph/";
pub const NS: &str = "https://w3id.org/govgraph/ns#";
pub const ID: &str = "https://w3id.org/govgraph/id/";
pub const REL: &str = "https://w3id.org/govgraph/rel/";
pub const GRAPH: &str = "https://w3id.org/govgraph/graph/";
pub const IMPORT: &str = "https://w3id.org/govgraph/import/";
/// RDF 1.1 §3.5: blank nodes are replaced by IRIs under this path, so that loading a file twice
/// does not duplicate its blank nodes.
pub const GENID: &str = "https://w3id.org/govgraph/.well-known/genid/";

pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

macro_rules! iris {
    ($($(#[$meta:meta])* $name:ident = $iri:expr;)+) => {
        $($(#[$meta])* pub const $name: NamedNodeRef<'static> = NamedNodeRef::new_unchecked($iri);)+
    };
}

iris! {
    RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
    RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label";
    RDFS_SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf";
    SKOS_ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel";
    DCTERMS_DESCRIPTION = "http://purl.org/dc/terms/description";
    DCTERMS_TITLE = "http://purl.org/dc/terms/title";
    PROV_WAS_DERIVED_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom";
    SCHEMA_START_DATE = "http://schema.org/startDate";
    SCHEMA_END_DATE = "http://schema.org/endDate";
    SCHEMA_LOCATION = "http://schema.org/location";

    GG_ENTITY = "https://w3id.org/govgraph/ns#Entity";
    GG_ORGANIZATION = "https://w3id.org/govgraph/ns#Organization";
    GG_MEETING = "https://w3id.org/govgraph/ns#Meeting";
    GG_DOCUMENT = "https://w3id.org/govgraph/ns#Document";
    GG_DISCUSSION_SPACE = "https://w3id.org/govgraph/ns#DiscussionSpace";
    GG_PERSON = "https://w3id.org/govgraph/ns#Person";
    GG_RELATION = "https://w3id.org/govgraph/ns#Relation";
    GG_EVIDENCE = "https://w3id.org/govgraph/ns#Evidence";
    GG_IMPORTED_FILE = "https://w3id.org/govgraph/ns#ImportedFile";
    GG_PUBLIC_SOURCE = "https://w3id.org/govgraph/ns#PublicSource";

    GG_OPENNESS = "https://w3id.org/govgraph/ns#openness";
    GG_DATE_NOTE = "https://w3id.org/govgraph/ns#dateNote";
    GG_SEED_FILE = "https://w3id.org/govgraph/ns#seedFile";
    GG_INVERSE_LABEL = "https://w3id.org/govgraph/ns#inverseLabel";
    GG_CHANGE = "https://w3id.org/govgraph/ns#change";
    GG_VERSION = "https://w3id.org/govgraph/ns#version";
    DCTERMS_IDENTIFIER = "http://purl.org/dc/terms/identifier";
    DCTERMS_ISSUED = "http://purl.org/dc/terms/issued";
    /// The dataset itself, subject of the change log.
    DATASET = "https://w3id.org/govgraph/dataset";
    /// The named graph of the change log.
    META_GRAPH = "https://w3id.org/govgraph/graph/meta";
    GG_OPENNESS_NOTE = "https://w3id.org/govgraph/ns#opennessNote";
    GG_DATE_STATUS = "https://w3id.org/govgraph/ns#dateStatus";
    GG_EVIDENCE_PROP = "https://w3id.org/govgraph/ns#evidence";
    GG_DOCUMENT_PROP = "https://w3id.org/govgraph/ns#document";
    GG_QUOTE = "https://w3id.org/govgraph/ns#quote";
    GG_SOURCE = "https://w3id.org/govgraph/ns#source";
    GG_TARGET = "https://w3id.org/govgraph/ns#target";
    GG_PREDICATE = "https://w3id.org/govgraph/ns#predicate";
    GG_RELATION_KIND = "https://w3id.org/govgraph/ns#relationKind";
    GG_EVIDENCE_TYPE = "https://w3id.org/govgraph/ns#evidenceType";
    GG_CONFIDENCE = "https://w3id.org/govgraph/ns#confidence";
    GG_INFERENCE_REASON = "https://w3id.org/govgraph/ns#inferenceReason";
    GG_RELATED_TO = "https://w3id.org/govgraph/ns#relatedTo";
    GG_DIRECTLY_RELATED_TO = "https://w3id.org/govgraph/ns#directlyRelatedTo";
    GG_INDIRECTLY_RELATED_TO = "https://w3id.org/govgraph/ns#indirectlyRelatedTo";
    GG_DIRECT = "https://w3id.org/govgraph/ns#Direct";
    GG_INDIRECT = "https://w3id.org/govgraph/ns#Indirect";

    /// The named graph holding the ontology and its shapes.
    ONTOLOGY_GRAPH = "https://w3id.org/govgraph/graph/ontology";
}

pub fn kind_class(kind: EntityKind) -> NamedNodeRef<'static> {
    match kind {
        EntityKind::Organization => GG_ORGANIZATION,
        EntityKind::Meeting => GG_MEETING,
        EntityKind::Document => GG_DOCUMENT,
        EntityKind::DiscussionSpace => GG_DISCUSSION_SPACE,
        EntityKind::Person => GG_PERSON,
    }
}

pub fn openness_iri(openness: Openness) -> NamedNodeRef<'static> {
    match openness {
        Openness::Open => NamedNodeRef::new_unchecked("https://w3id.org/govgraph/ns#Open"),
        Openness::Closed => NamedNodeRef::new_unchecked("https://w3id.org/govgraph/ns#Closed"),
    }
}

pub fn relation_kind_iri(kind: RelationKind) -> NamedNodeRef<'static> {
    match kind {
        RelationKind::Direct => GG_DIRECT,
        RelationKind::Indirect => GG_INDIRECT,
    }
}

pub fn evidence_type_iri(evidence: EvidenceType) -> NamedNodeRef<'static> {
    NamedNodeRef::new_unchecked(match evidence {
        EvidenceType::SeedQuote => "https://w3id.org/govgraph/ns#SeedQuote",
        EvidenceType::PublicSource => "https://w3id.org/govgraph/ns#PublicSourceQuote",
        EvidenceType::Inferred => "https://w3id.org/govgraph/ns#Inferred",
        EvidenceType::Asserted => "https://w3id.org/govgraph/ns#Asserted",
    })
}

pub fn date_status_iri(status: DateStatus) -> NamedNodeRef<'static> {
    NamedNodeRef::new_unchecked(match status {
        DateStatus::Tbd => "https://w3id.org/govgraph/ns#TBD",
        DateStatus::Ongoing => "https://w3id.org/govgraph/ns#Ongoing",
        DateStatus::Unknown => "https://w3id.org/govgraph/ns#Unknown",
    })
}

/// The shortcut property materialised for a relation of this kind.
pub fn shortcut(kind: RelationKind) -> NamedNodeRef<'static> {
    match kind {
        RelationKind::Direct => GG_DIRECTLY_RELATED_TO,
        RelationKind::Indirect => GG_INDIRECTLY_RELATED_TO,
    }
}

pub fn entity_iri(slug: &str) -> String {
    format!("{ID}{slug}")
}

pub fn relation_iri(id: &str) -> String {
    format!("{REL}{id}")
}

/// The id of a relation written by govgraph: `{source}--{property}--{target}`, readable and
/// unique per (source, property, target).
pub fn relation_id(source: &str, predicate_iri: &str, target: &str) -> String {
    let property = predicate_iri
        .rsplit(['#', '/'])
        .next()
        .filter(|name| !name.is_empty())
        .unwrap_or("relatedTo");
    format!("{source}--{property}--{target}")
}

/// RFC 3986 percent-encoding of everything but unreserved characters.
pub fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_keeps_unreserved_characters() {
        assert_eq!(percent_encode("my data (v2).csv"), "my%20data%20%28v2%29.csv");
        assert_eq!(percent_encode("é"), "%C3%A9");
    }

    #[test]
    fn relation_ids_name_their_ends_and_property() {
        assert_eq!(
            relation_id("a", "https://w3id.org/govgraph/ns#inspired", "b"),
            "a--inspired--b"
        );
        assert_eq!(
            relation_id("a", "http://example.org/p/organizer", "b"),
            "a--organizer--b"
        );
    }
}
