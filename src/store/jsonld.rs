//! Compact JSON-LD for the project's graphs: a `@context` with prefixes and short terms for the
//! vocabulary and entity IRIs relative to the entity namespace (`"@id": "onenet"`). Oxigraph's
//! JSON-LD serializer (oxjsonld) writes the triples as expanded JSON-LD; the `json-ld` processor
//! compacts that against the context (the JSON-LD 1.1 compaction algorithm, no remote contexts:
//! nothing is ever fetched). Compaction holds the document in memory several times over, so
//! graphs above [`COMPACT_LIMIT`] triples are written expanded, still with the prefixes.

use super::vocab::{NS, XSD, id_namespace, prefixes};
use json_ld::syntax::TryFromJson;
use json_ld::{JsonLdProcessor, NoLoader, Options, RemoteContext, RemoteContextReference, RemoteDocument};
use oxigraph::model::{GraphNameRef, NamedOrBlankNode, Term, Triple};
use oxjsonld::JsonLdSerializer;
use serde_json::{Map, Value, json};
use std::io::{self, Write};
use std::sync::OnceLock;

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// The largest graph written compact (a few seconds of compaction); larger ones are expanded.
pub const COMPACT_LIMIT: usize = 20_000;

/// Short names for the properties govgraph reuses from other vocabularies: (term, property,
/// whether its values are IRIs). Its own properties get theirs from the ontology ([`terms`]).
const REUSED_TERMS: &[(&str, &str, bool)] = &[
    ("label", "http://www.w3.org/2000/01/rdf-schema#label", false),
    ("aliases", "http://www.w3.org/2004/02/skos/core#altLabel", false),
    ("description", "http://purl.org/dc/terms/description", false),
    ("title", "http://purl.org/dc/terms/title", false),
    ("identifier", "http://purl.org/dc/terms/identifier", false),
    ("issued", "http://purl.org/dc/terms/issued", false),
    ("license", "http://purl.org/dc/terms/license", true),
    ("startDate", "http://schema.org/startDate", false),
    ("endDate", "http://schema.org/endDate", false),
    ("location", "http://schema.org/location", false),
    ("wasDerivedFrom", "http://www.w3.org/ns/prov#wasDerivedFrom", true),
];

const OWL_OBJECT_PROPERTY: &str = "http://www.w3.org/2002/07/owl#ObjectProperty";
const OWL_DATATYPE_PROPERTY: &str = "http://www.w3.org/2002/07/owl#DatatypeProperty";
const RDFS_RANGE: &str = "http://www.w3.org/2000/01/rdf-schema#range";
const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";

/// Every term definition: the reused properties, then each object or datatype property the
/// ontology declares in its own namespace, named by its local name (`coOrganizes`,
/// `confidence`, `dateStatus`); object properties take IRIs, datatype properties their range's
/// datatype (but `xsd:string`, which plain strings already are).
fn terms() -> &'static Map<String, Value> {
    static TERMS: OnceLock<Map<String, Value>> = OnceLock::new();
    TERMS.get_or_init(|| {
        let mut terms = Map::new();
        for (term, property, iri_valued) in REUSED_TERMS {
            terms.insert((*term).to_owned(), definition(property, iri_valued.then_some("@id")));
        }
        let statements = super::bundled::ontology_statements();
        let object = |subject: &NamedOrBlankNode, predicate: &str| {
            statements
                .iter()
                .find_map(|t| (t.subject == *subject && t.predicate.as_str() == predicate).then_some(&t.object))
        };
        for triple in &statements {
            let (NamedOrBlankNode::NamedNode(property), Term::NamedNode(class)) = (&triple.subject, &triple.object)
            else {
                continue;
            };
            let Some(local) = property.as_str().strip_prefix(NS) else {
                continue;
            };
            if triple.predicate.as_str() != RDF_TYPE || terms.contains_key(local) {
                continue;
            }
            let coerced = match class.as_str() {
                OWL_OBJECT_PROPERTY => Some("@id".to_owned()),
                OWL_DATATYPE_PROPERTY => match object(&triple.subject, RDFS_RANGE) {
                    Some(Term::NamedNode(range)) if range.as_str().starts_with(XSD) && range.as_str() != XSD_STRING => {
                        Some(range.as_str().to_owned())
                    }
                    _ => None,
                },
                _ => continue,
            };
            terms.insert(local.to_owned(), definition(property.as_str(), coerced.as_deref()));
        }
        terms
    })
}

fn definition(property: &str, coerced: Option<&str>) -> Value {
    match coerced {
        Some(datatype) => json!({ "@id": property, "@type": datatype }),
        None => json!(property),
    }
}

/// The `@context` of every compact document govgraph writes, served at `/ns/context.jsonld`.
/// Its `@base` is the entity namespace, so entities are written by their ids (`"onenet"`).
pub fn context() -> Value {
    let mut context = compaction_context();
    if let Value::Object(map) = &mut context {
        map.insert("@base".to_owned(), json!(id_namespace()));
    }
    context
}

/// The context without `@base`: the processor would write every IRI relative to it, also
/// those elsewhere (`../.well-known/genid/…`); [`relativize`] shortens only entity IRIs.
fn compaction_context() -> Value {
    let mut context = Map::new();
    for (prefix, iri) in prefixes().iter().filter(|(prefix, _)| *prefix != "id") {
        context.insert((*prefix).to_owned(), json!(iri));
    }
    context.extend(terms().clone());
    Value::Object(context)
}

/// Writes entity IRIs as ids relative to `@base` where `@id` or an IRI-valued term holds them,
/// when the id is one path segment that cannot be mistaken for anything else.
fn relativize(value: &mut Value, iri_terms: &[&str]) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(|item| relativize(item, iri_terms)),
        Value::Object(node) => {
            for (key, item) in node.iter_mut() {
                if key == "@id" || iri_terms.contains(&key.as_str()) {
                    shorten(item);
                }
                relativize(item, iri_terms);
            }
        }
        _ => {}
    }
}

fn shorten(value: &mut Value) {
    match value {
        Value::String(iri) => {
            let short = iri
                .strip_prefix(id_namespace())
                .filter(|id| !id.is_empty() && !id.starts_with(['.', '@']) && !id.contains(['/', '?', '#', ':']));
            if let Some(short) = short {
                *iri = short.to_owned();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(shorten),
        _ => {}
    }
}

/// The terms whose values are IRIs.
fn iri_terms() -> Vec<&'static str> {
    terms()
        .iter()
        .filter(|(_, definition)| definition.get("@type") == Some(&json!("@id")))
        .map(|(term, _)| term.as_str())
        .collect()
}

/// Writes triples as one JSON-LD document: compact against [`context`] up to
/// [`COMPACT_LIMIT`] triples, expanded (with the prefixes in its context) beyond.
pub fn write(triples: &[Triple], output: &mut dyn Write) -> io::Result<()> {
    if triples.len() > COMPACT_LIMIT {
        return write_expanded(triples, output);
    }
    let document = compact(triples)?;
    serde_json::to_writer_pretty(&mut *output, &document)?;
    output.write_all(b"\n")
}

fn invalid(error: impl ToString) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, error.to_string())
}

/// The triples compacted against [`context`], which the document carries verbatim.
fn compact(triples: &[Triple]) -> io::Result<Value> {
    let expanded = json_ld::syntax::Value::from_serde_json(expanded(triples)?);
    let context_json = json_ld::syntax::Value::from_serde_json(compaction_context());
    let parsed_context = json_ld::syntax::context::Context::try_from_json(context_json).map_err(invalid)?;
    let context_reference = RemoteContextReference::Loaded(RemoteContext::new(None, None, parsed_context));
    let document = RemoteDocument::new(None, None, expanded);
    let options = Options {
        ordered: true,
        ..Options::default()
    };
    // The processor is async for remote documents; with no loader it never waits.
    let compacted =
        futures::executor::block_on(document.compact_using(context_reference, &NoLoader, options)).map_err(invalid)?;
    let mut compacted = compacted.into_serde_json();
    relativize(&mut compacted, &iri_terms());
    Ok(with_context(compacted, &context()))
}

/// Triples sorted by subject, so that each node is one node object.
fn sorted(triples: &[Triple]) -> Vec<&Triple> {
    let mut sorted: Vec<&Triple> = triples.iter().collect();
    sorted.sort_by(|a, b| {
        subject_key(a)
            .cmp(&subject_key(b))
            .then_with(|| a.predicate.as_str().cmp(b.predicate.as_str()))
    });
    sorted
}

fn subject_key(triple: &Triple) -> (bool, &str) {
    match &triple.subject {
        NamedOrBlankNode::NamedNode(node) => (false, node.as_str()),
        NamedOrBlankNode::BlankNode(node) => (true, node.as_str()),
    }
}

/// The triples as expanded JSON-LD, with `rdf:type` as `@type`.
fn expanded(triples: &[Triple]) -> io::Result<Value> {
    let mut serializer = JsonLdSerializer::new().for_writer(Vec::new());
    for triple in sorted(triples) {
        serializer.serialize_quad(triple.as_ref().in_graph(GraphNameRef::DefaultGraph))?;
    }
    let mut value: Value = serde_json::from_slice(&serializer.finish()?)?;
    let nodes = match &mut value {
        Value::Array(nodes) => nodes.iter_mut().collect(),
        Value::Object(document) => match document.get_mut("@graph") {
            Some(Value::Array(nodes)) => nodes.iter_mut().collect(),
            _ => vec![],
        },
        _ => vec![],
    };
    for node in nodes {
        if let Value::Object(node) = node {
            rdf_type_to_keyword(node);
        }
    }
    Ok(value)
}

/// Moves IRI values of `rdf:type` to `@type`, as the JSON-LD "RDF to object" algorithm does
/// (oxjsonld keeps them as a property), so that compaction writes `"@type": "gg:Meeting"`.
fn rdf_type_to_keyword(node: &mut Map<String, Value>) {
    let Some(Value::Array(objects)) = node.remove(RDF_TYPE) else {
        return;
    };
    let (types, literals): (Vec<Value>, Vec<Value>) = objects.into_iter().partition(|object| {
        object
            .as_object()
            .is_some_and(|object| object.len() == 1 && object.get("@id").is_some_and(Value::is_string))
    });
    if !types.is_empty() {
        let ids = types
            .into_iter()
            .filter_map(|mut object| object.as_object_mut().and_then(|object| object.remove("@id")))
            .collect();
        node.insert("@type".to_owned(), Value::Array(ids));
    }
    if !literals.is_empty() {
        node.insert(RDF_TYPE.to_owned(), Value::Array(literals));
    }
}

/// Puts `context` under `@context` as given (the processor writes back its own rendering), and
/// the nodes under `@graph` whatever their number.
fn with_context(compacted: Value, context: &Value) -> Value {
    let mut document = Map::new();
    document.insert("@context".to_owned(), context.clone());
    match compacted {
        Value::Object(mut object) => {
            object.remove("@context");
            if object.contains_key("@graph") {
                document.extend(object);
            } else if object.is_empty() {
                document.insert("@graph".to_owned(), json!([]));
            } else {
                document.insert("@graph".to_owned(), json!([object]));
            }
        }
        Value::Array(nodes) => {
            document.insert("@graph".to_owned(), Value::Array(nodes));
        }
        _ => {
            document.insert("@graph".to_owned(), json!([]));
        }
    }
    Value::Object(document)
}

/// Large graphs: oxjsonld's streaming output, its context declaring the prefixes.
fn write_expanded(triples: &[Triple], output: &mut dyn Write) -> io::Result<()> {
    let mut serializer = JsonLdSerializer::new();
    for (prefix, namespace) in prefixes() {
        serializer = serializer.with_prefix(*prefix, *namespace).map_err(invalid)?;
    }
    let mut writer = serializer.for_writer(output);
    for triple in sorted(triples) {
        writer.serialize_quad(triple.as_ref().in_graph(GraphNameRef::DefaultGraph))?;
    }
    writer.finish()?.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfParser};
    use oxigraph::model::{BlankNode, Literal, NamedNode};
    use std::collections::HashSet;

    #[test]
    fn compact_documents_parse_back_to_the_same_triples() {
        let entity = NamedNode::new_unchecked(format!("{}onenet", id_namespace()));
        let evidence = BlankNode::new_unchecked("e1");
        let triples = vec![
            Triple::new(
                entity.clone(),
                NamedNode::new_unchecked(RDF_TYPE),
                NamedNode::new_unchecked(format!("{NS}DiscussionSpace")),
            ),
            Triple::new(
                entity.clone(),
                NamedNode::new_unchecked("http://www.w3.org/2000/01/rdf-schema#label"),
                Literal::new_simple_literal("/1net"),
            ),
            Triple::new(
                entity.clone(),
                NamedNode::new_unchecked("http://www.w3.org/2004/02/skos/core#altLabel"),
                Literal::new_simple_literal("1net"),
            ),
            Triple::new(
                entity.clone(),
                NamedNode::new_unchecked("http://www.w3.org/2004/02/skos/core#altLabel"),
                Literal::new_simple_literal("1Net"),
            ),
            Triple::new(
                entity.clone(),
                NamedNode::new_unchecked(format!("{NS}openness")),
                NamedNode::new_unchecked(format!("{NS}Open")),
            ),
            Triple::new(
                entity.clone(),
                NamedNode::new_unchecked("http://schema.org/startDate"),
                Literal::new_typed_literal(
                    "2013-10",
                    NamedNode::new_unchecked("http://www.w3.org/2001/XMLSchema#gYearMonth"),
                ),
            ),
            Triple::new(
                entity.clone(),
                NamedNode::new_unchecked(format!("{NS}evidence")),
                evidence.clone(),
            ),
            Triple::new(
                evidence.clone(),
                NamedNode::new_unchecked(format!("{NS}document")),
                NamedNode::new_unchecked("https://example.org/page?x=1"),
            ),
            Triple::new(
                evidence,
                NamedNode::new_unchecked(format!("{NS}quote")),
                Literal::new_language_tagged_literal_unchecked("« an open movement »", "en"),
            ),
            Triple::new(
                entity,
                NamedNode::new_unchecked("https://example.org/unknown#prop"),
                NamedNode::new_unchecked(format!("{}a--b--c", super::super::vocab::rel_namespace())),
            ),
        ];
        let mut output = Vec::new();
        write(&triples, &mut output).unwrap();
        let document: Value = serde_json::from_slice(&output).unwrap();
        assert_eq!(document["@context"], context());
        let node = document["@graph"]
            .as_array()
            .unwrap()
            .iter()
            .find(|node| node["@id"] == "onenet")
            .unwrap_or_else(|| panic!("an entity relative to @base: {document}"));
        assert_eq!(node["@type"], json!("gg:DiscussionSpace"), "{node}");
        assert_eq!(node["label"], json!("/1net"), "{node}");
        assert_eq!(node["openness"], json!("gg:Open"), "{node}");
        assert_eq!(node["aliases"].as_array().map(Vec::len), Some(2), "{node}");
        let parsed: HashSet<String> = RdfParser::from_format(RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        })
        .for_slice(&output)
        .map(|quad| Triple::from(quad.unwrap()))
        .map(|triple| triple.to_string().replace("_:e1", "_:b"))
        .collect();
        let parsed: HashSet<String> = parsed.into_iter().map(|t| normalise_blank(&t)).collect();
        let expected: HashSet<String> = triples.iter().map(|t| normalise_blank(&t.to_string())).collect();
        assert_eq!(parsed, expected);
    }

    #[test]
    fn large_graphs_are_written_expanded_and_parse_back() {
        let triples: Vec<Triple> = (0..=COMPACT_LIMIT)
            .map(|n| {
                Triple::new(
                    NamedNode::new_unchecked(format!("{}e{n}", id_namespace())),
                    NamedNode::new_unchecked("http://www.w3.org/2000/01/rdf-schema#label"),
                    Literal::new_simple_literal(format!("entity {n}")),
                )
            })
            .collect();
        let mut output = Vec::new();
        write(&triples, &mut output).unwrap();
        let parsed = RdfParser::from_format(RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        })
        .for_slice(&output)
        .count();
        assert_eq!(parsed, triples.len());
    }

    #[test]
    fn only_entity_iris_are_relative_and_the_ontology_gives_the_terms() {
        let genid = format!("{}x1", super::super::vocab::GENID);
        let entity = NamedNode::new_unchecked(format!("{}onenet", id_namespace()));
        let triples = vec![
            Triple::new(
                entity.clone(),
                NamedNode::new_unchecked(format!("{NS}evidence")),
                NamedNode::new_unchecked(&genid),
            ),
            Triple::new(
                entity.clone(),
                NamedNode::new_unchecked(format!("{NS}coOrganizes")),
                NamedNode::new_unchecked(format!("{}netmundial-2014", id_namespace())),
            ),
            Triple::new(
                entity,
                NamedNode::new_unchecked(format!("{NS}dateStatus")),
                NamedNode::new_unchecked(format!("{NS}TBD")),
            ),
        ];
        let mut output = Vec::new();
        write(&triples, &mut output).unwrap();
        let document: Value = serde_json::from_slice(&output).unwrap();
        let node = &document["@graph"][0];
        assert_eq!(node["@id"], json!("onenet"), "{document}");
        assert_eq!(node["evidence"], json!(genid), "absolute, not ../: {document}");
        assert_eq!(node["coOrganizes"], json!("netmundial-2014"), "{document}");
        assert_eq!(node["dateStatus"], json!("gg:TBD"), "{document}");
        for term in ["confidence", "quote", "inferenceReason", "precedes", "startDate"] {
            assert!(
                document["@context"][term].is_object() || document["@context"][term].is_string(),
                "{term}"
            );
        }
    }

    /// Blank node labels are not kept by a parser: compare with every label replaced.
    fn normalise_blank(triple: &str) -> String {
        triple
            .split(' ')
            .map(|part| if part.starts_with("_:") { "_:b" } else { part })
            .collect::<Vec<_>>()
            .join(" ")
    }
}
