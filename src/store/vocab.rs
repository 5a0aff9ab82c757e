//! The IRIs govgraph reads and writes: its own namespaces and the terms it reuses.

use crate::model::{ClaimProperty, DateStatus, EntityKind, EvidenceType, Openness, RelationKind};
use oxigraph::model::NamedNodeRef;
use std::sync::OnceLock;

/// The default base of the data IRIs: entities are `{base}id/{slug}`, relations
/// `{base}rel/{id}`. A deployment can choose its own (`--base-iri`); the vocabulary and the named
/// graphs keep their w3id IRIs whatever the base, since they name the ontology, not the data.
pub const DEFAULT_BASE: &str = "https://w3id.org/govgraph/";
pub const NS: &str = "https://w3id.org/govgraph/ns#";
/// The entity and relation namespaces under the default base: bundled and imported files use
/// them, and loading rewrites them to the configured base.
const DEFAULT_ID: &str = "https://w3id.org/govgraph/id/";
const DEFAULT_REL: &str = "https://w3id.org/govgraph/rel/";
pub const GRAPH: &str = "https://w3id.org/govgraph/graph/";
pub const IMPORT: &str = "https://w3id.org/govgraph/import/";
/// RDF 1.1 §3.5: blank nodes are replaced by IRIs under this path, so that loading a file twice
/// does not duplicate its blank nodes.
pub const GENID: &str = "https://w3id.org/govgraph/.well-known/genid/";

pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
/// The entries of the change feed are `{CHANGE}{number}`, in the meta graph.
pub const CHANGE: &str = "https://w3id.org/govgraph/change/";

macro_rules! iris {
    ($($(#[$meta:meta])* $name:ident = $iri:expr;)+) => {
        $($(#[$meta])* pub const $name: NamedNodeRef<'static> = NamedNodeRef::new_unchecked($iri);)+
    };
}

iris! {
    RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
    RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label";
    RDFS_SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf";
    RDFS_SUBPROPERTY_OF = "http://www.w3.org/2000/01/rdf-schema#subPropertyOf";
    OWL_INVERSE_OF = "http://www.w3.org/2002/07/owl#inverseOf";
    OWL_SYMMETRIC_PROPERTY = "http://www.w3.org/2002/07/owl#SymmetricProperty";
    SKOS_ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel";
    DCTERMS_DESCRIPTION = "http://purl.org/dc/terms/description";
    DCTERMS_TITLE = "http://purl.org/dc/terms/title";
    PROV_WAS_DERIVED_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom";
    DCTERMS_IS_REFERENCED_BY = "http://purl.org/dc/terms/isReferencedBy";
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
    GG_CLAIM = "https://w3id.org/govgraph/ns#Claim";

    GG_OPENNESS = "https://w3id.org/govgraph/ns#openness";
    GG_DATE_NOTE = "https://w3id.org/govgraph/ns#dateNote";
    GG_SEED_FILE = "https://w3id.org/govgraph/ns#seedFile";
    GG_INVERSE_LABEL = "https://w3id.org/govgraph/ns#inverseLabel";
    GG_CHANGE = "https://w3id.org/govgraph/ns#change";
    GG_VERSION = "https://w3id.org/govgraph/ns#version";
    /// A change-feed entry's number, the patch it applies and the fingerprint it was logged with.
    GG_CHANGE_NUMBER = "https://w3id.org/govgraph/ns#changeNumber";
    GG_PATCH = "https://w3id.org/govgraph/ns#patch";
    GG_FINGERPRINT = "https://w3id.org/govgraph/ns#fingerprint";
    DCTERMS_IDENTIFIER = "http://purl.org/dc/terms/identifier";
    DCTERMS_ISSUED = "http://purl.org/dc/terms/issued";
    /// The dataset itself, subject of the change log.
    DATASET = "https://w3id.org/govgraph/dataset";
    /// The named graph of the change log.
    META_GRAPH = "https://w3id.org/govgraph/graph/meta";
    GG_OPENNESS_NOTE = "https://w3id.org/govgraph/ns#opennessNote";
    GG_DATE_STATUS = "https://w3id.org/govgraph/ns#dateStatus";
    GG_EVIDENCE_PROP = "https://w3id.org/govgraph/ns#evidence";
    GG_CLAIM_PROP = "https://w3id.org/govgraph/ns#claim";
    GG_FIXED_KIND = "https://w3id.org/govgraph/ns#fixedKind";
    GG_PROPERTY = "https://w3id.org/govgraph/ns#property";
    GG_VALUE = "https://w3id.org/govgraph/ns#value";
    GG_THEME = "https://w3id.org/govgraph/ns#theme";
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
    /// The base IRI the store's data was written with (in the meta graph).
    GG_BASE_IRI = "https://w3id.org/govgraph/ns#baseIri";
}

iris! {
    /// The ontology itself: the vocabulary's document, served at `/ns` (`/ns#term` arrives there).
    VOCABULARY = "https://w3id.org/govgraph/ns";
}

/// The vocabulary's namespaces for describing the dataset and the service (VoID, SPARQL 1.1
/// Service Description, SHACL prefix declarations).
pub const VOID: &str = "http://rdfs.org/ns/void#";
pub const SD: &str = "http://www.w3.org/ns/sparql-service-description#";
pub const SH: &str = "http://www.w3.org/ns/shacl#";

/// The namespaces of the data, fixed for the life of the process: every IRI govgraph mints or
/// recognises as an entity or a relation depends on them, so they are set once at start-up
/// (from `--base-iri` and what the store recorded) before anything reads them.
struct DataNamespaces {
    base: &'static str,
    id: &'static str,
    rel: &'static str,
    prefixes: Vec<(&'static str, &'static str)>,
}

static DATA: OnceLock<DataNamespaces> = OnceLock::new();

fn data() -> &'static DataNamespaces {
    DATA.get_or_init(|| DataNamespaces::new(DEFAULT_BASE))
}

impl DataNamespaces {
    /// Made once per process, so its strings live as long as the process.
    fn new(base: &str) -> Self {
        let base: &'static str = Box::leak(base.to_owned().into_boxed_str());
        let id: &'static str = Box::leak(format!("{base}id/").into_boxed_str());
        let rel: &'static str = Box::leak(format!("{base}rel/").into_boxed_str());
        let mut prefixes = vec![("gg", NS), ("id", id), ("rel", rel), ("graph", GRAPH)];
        prefixes.extend_from_slice(&[
            ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
            ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
            ("xsd", XSD),
            ("skos", "http://www.w3.org/2004/02/skos/core#"),
            ("dcterms", "http://purl.org/dc/terms/"),
            ("prov", "http://www.w3.org/ns/prov#"),
            ("schema", "http://schema.org/"),
            ("owl", "http://www.w3.org/2002/07/owl#"),
            ("foaf", "http://xmlns.com/foaf/0.1/"),
            ("org", "http://www.w3.org/ns/org#"),
            ("sh", "http://www.w3.org/ns/shacl#"),
        ]);
        Self {
            base,
            id,
            rel,
            prefixes,
        }
    }
}

/// Why a base IRI cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaseIriError {
    #[error("invalid base IRI `{iri}`: {message}")]
    Invalid { iri: String, message: String },
    #[error("the base IRI is already {current}; it cannot change to {requested} while govgraph runs")]
    AlreadySet { current: String, requested: String },
}

/// Checks that `iri` can be the base of the data: an absolute http(s) IRI with no query or
/// fragment, ending in `/` (so that `{base}id/{slug}` reads naturally).
pub fn check_base(iri: &str) -> Result<(), BaseIriError> {
    let invalid = |message: &str| BaseIriError::Invalid {
        iri: iri.to_owned(),
        message: message.to_owned(),
    };
    let parsed = oxigraph::model::NamedNode::new(iri).map_err(|error| invalid(&error.to_string()))?;
    let text = parsed.as_str();
    if !(text.starts_with("http://") || text.starts_with("https://")) {
        return Err(invalid("it must start with http:// or https://"));
    }
    if text.contains(['?', '#']) {
        return Err(invalid("it may not have a query or a fragment"));
    }
    if !text.ends_with('/') {
        return Err(invalid("it must end with `/`, e.g. https://govgraph.example.org/"));
    }
    Ok(())
}

/// Sets the base of the data IRIs for this process. Setting the same base again is harmless.
pub fn use_base(base: &str) -> Result<(), BaseIriError> {
    check_base(base)?;
    let current = DATA.get_or_init(|| DataNamespaces::new(base));
    if current.base == base {
        Ok(())
    } else {
        Err(BaseIriError::AlreadySet {
            current: current.base.to_owned(),
            requested: base.to_owned(),
        })
    }
}

/// The base of the data IRIs (by default https://w3id.org/govgraph/).
pub fn base() -> &'static str {
    data().base
}

/// The entity namespace, `{base}id/`.
pub fn id_namespace() -> &'static str {
    data().id
}

/// The relation namespace, `{base}rel/`.
pub fn rel_namespace() -> &'static str {
    data().rel
}

/// The prefixes govgraph declares in what it writes and lets every query use undeclared.
pub fn prefixes() -> &'static [(&'static str, &'static str)] {
    &data().prefixes
}

/// An entity or relation IRI written under the default base, moved under the configured one;
/// `None` for every other IRI, and always when the base is the default.
pub fn rebase(iri: &str) -> Option<String> {
    let data = data();
    if data.base == DEFAULT_BASE {
        return None;
    }
    if let Some(slug) = iri.strip_prefix(DEFAULT_ID) {
        Some(format!("{}{slug}", data.id))
    } else {
        iri.strip_prefix(DEFAULT_REL).map(|id| format!("{}{id}", data.rel))
    }
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

pub fn claim_property_iri(property: ClaimProperty) -> NamedNodeRef<'static> {
    match property {
        ClaimProperty::Openness => GG_OPENNESS,
        ClaimProperty::StartDate => SCHEMA_START_DATE,
        ClaimProperty::EndDate => SCHEMA_END_DATE,
        ClaimProperty::Issued => DCTERMS_ISSUED,
        ClaimProperty::Location => SCHEMA_LOCATION,
        ClaimProperty::DateStatus => GG_DATE_STATUS,
    }
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
    format!("{}{slug}", id_namespace())
}

pub fn relation_iri(id: &str) -> String {
    format!("{}{id}", rel_namespace())
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

/// Where each namespace govgraph mints is served, as a path under the server's root. The data
/// namespaces follow the base; the others keep their w3id IRIs, whatever the base, and are
/// served at the same paths.
fn served_namespaces() -> [(&'static str, &'static str); 6] {
    let data = data();
    [
        ("/id/", data.id),
        ("/rel/", data.rel),
        ("/graph/", GRAPH),
        ("/.well-known/genid/", GENID),
        ("/change/", CHANGE),
        ("/import/", IMPORT),
    ]
}

/// The IRI a request path names: `/id/x` is `{base}id/x`, `/graph/x` is
/// `https://w3id.org/govgraph/graph/x`, `/ns` the vocabulary, `/dataset` the dataset. `path` is
/// the raw (still percent-encoded) path; encodings that IRIs do not need are undone, so that
/// `/id/one%6Eet` and `/id/onenet` name one IRI. `None` for a path under no namespace.
pub fn iri_for_path(path: &str) -> Option<String> {
    let path = normalise_percent_encoding(path);
    match path.as_str() {
        "/ns" => return Some(VOCABULARY.as_str().to_owned()),
        "/dataset" => return Some(DATASET.as_str().to_owned()),
        _ => {}
    }
    served_namespaces().into_iter().find_map(|(prefix, namespace)| {
        let rest = path.strip_prefix(prefix)?;
        (!rest.is_empty()).then(|| format!("{namespace}{rest}"))
    })
}

/// The path a minted IRI is served at on this server (the inverse of [`iri_for_path`]), for
/// links that work wherever the server runs; `None` for any other IRI.
pub fn path_for_iri(iri: &str) -> Option<String> {
    if iri == VOCABULARY.as_str() || iri.starts_with(NS) {
        return Some("/ns".to_owned());
    }
    if iri == DATASET.as_str() {
        return Some("/dataset".to_owned());
    }
    served_namespaces().into_iter().find_map(|(prefix, namespace)| {
        let rest = iri.strip_prefix(namespace)?;
        (!rest.is_empty()).then(|| format!("{prefix}{rest}"))
    })
}

/// RFC 3987 §3.2: percent-encoded octets that spell unreserved ASCII or non-ASCII characters
/// are decoded (an IRI writes them as they are); every other escape is kept, in upper case.
fn normalise_percent_encoding(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut output = String::with_capacity(path.len());
    let mut index = 0;
    while index < bytes.len() {
        let mut decoded = Vec::new();
        while let Some(byte) = escaped_byte(bytes, index) {
            decoded.push(byte);
            index += 3;
        }
        if decoded.is_empty() {
            let next = path[index..].chars().next().unwrap_or('\u{fffd}');
            output.push(next);
            index += next.len_utf8().max(1);
            continue;
        }
        for chunk in decoded.utf8_chunks() {
            for character in chunk.valid().chars() {
                if character.is_ascii_alphanumeric() || "-._~".contains(character) || !character.is_ascii() {
                    output.push(character);
                } else {
                    output.push_str(&format!("%{:02X}", character as u32));
                }
            }
            for byte in chunk.invalid() {
                output.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    output
}

/// The byte of a `%XX` escape at `index`.
fn escaped_byte(bytes: &[u8], index: usize) -> Option<u8> {
    if bytes.get(index) != Some(&b'%') {
        return None;
    }
    let hex = std::str::from_utf8(bytes.get(index + 1..index + 3)?).ok()?;
    u8::from_str_radix(hex, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_iris_must_be_absolute_http_and_end_with_a_slash() {
        assert!(check_base("https://govgraph.example.org/").is_ok());
        assert!(check_base("http://127.0.0.1:8080/data/").is_ok());
        for bad in [
            "govgraph.example.org/",
            "https://example.org",
            "ftp://example.org/",
            "https://example.org/?a=b/",
            "https://exa mple.org/",
        ] {
            assert!(check_base(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn the_default_base_rewrites_nothing() {
        // Unit tests never configure a base, so the process runs with the default.
        assert_eq!(base(), DEFAULT_BASE);
        assert_eq!(rebase("https://w3id.org/govgraph/id/onenet"), None);
        assert_eq!(entity_iri("onenet"), "https://w3id.org/govgraph/id/onenet");
        assert!(use_base(DEFAULT_BASE).is_ok());
        assert!(matches!(
            use_base("https://example.org/"),
            Err(BaseIriError::AlreadySet { .. })
        ));
    }

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

    #[test]
    fn request_paths_name_minted_iris_and_back() {
        assert_eq!(
            iri_for_path("/id/onenet").as_deref(),
            Some("https://w3id.org/govgraph/id/onenet")
        );
        assert_eq!(
            iri_for_path("/id/one%6Eet").as_deref(),
            Some("https://w3id.org/govgraph/id/onenet")
        );
        assert_eq!(
            iri_for_path("/id/caf%C3%A9").as_deref(),
            Some("https://w3id.org/govgraph/id/café")
        );
        assert_eq!(
            iri_for_path("/import/a%20b").as_deref(),
            Some("https://w3id.org/govgraph/import/a%20b")
        );
        assert_eq!(
            iri_for_path("/id/%2F%ff%").as_deref(),
            Some("https://w3id.org/govgraph/id/%2F%FF%")
        );
        assert_eq!(iri_for_path("/ns").as_deref(), Some("https://w3id.org/govgraph/ns"));
        assert_eq!(iri_for_path("/graph/meta").as_deref(), Some(META_GRAPH.as_str()));
        assert_eq!(iri_for_path("/id/"), None);
        assert_eq!(iri_for_path("/elsewhere"), None);
        for iri in [
            "https://w3id.org/govgraph/rel/a--b--c",
            "https://w3id.org/govgraph/.well-known/genid/x",
        ] {
            let path = path_for_iri(iri).unwrap();
            assert_eq!(iri_for_path(&path).as_deref(), Some(iri));
        }
        assert_eq!(
            path_for_iri("https://w3id.org/govgraph/ns#Meeting").as_deref(),
            Some("/ns")
        );
        assert_eq!(path_for_iri("https://example.org/x"), None);
    }
}
