//! Compact JSON-LD for the project's graphs: a fixed `@context` with prefixes and short terms for
//! the vocabulary, entity IRIs relative to the entity namespace (`"@id": "onenet"`), values
//! coerced where the context says so. Oxigraph's JSON-LD writer emits expanded documents only; the
//! tests parse this output back with Oxigraph's JSON-LD parser and compare the triples.

use super::vocab::{id_namespace, prefixes};
use oxigraph::model::{NamedOrBlankNode, Term, Triple};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::io::{self, Write};

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";

/// Short names for the properties every govgraph document uses: (term, property, whether its
/// values are IRIs written as strings).
const TERMS: &[(&str, &str, bool)] = &[
    ("label", "http://www.w3.org/2000/01/rdf-schema#label", false),
    ("aliases", "http://www.w3.org/2004/02/skos/core#altLabel", false),
    ("description", "http://purl.org/dc/terms/description", false),
    ("openness", "https://w3id.org/govgraph/ns#openness", true),
    ("opennessNote", "https://w3id.org/govgraph/ns#opennessNote", false),
    ("location", "http://schema.org/location", false),
    ("evidence", "https://w3id.org/govgraph/ns#evidence", true),
    ("document", "https://w3id.org/govgraph/ns#document", true),
    ("quote", "https://w3id.org/govgraph/ns#quote", false),
    ("source", "https://w3id.org/govgraph/ns#source", true),
    ("target", "https://w3id.org/govgraph/ns#target", true),
    ("predicate", "https://w3id.org/govgraph/ns#predicate", true),
    ("relationKind", "https://w3id.org/govgraph/ns#relationKind", true),
    ("evidenceType", "https://w3id.org/govgraph/ns#evidenceType", true),
    ("wasDerivedFrom", "http://www.w3.org/ns/prov#wasDerivedFrom", true),
];

/// The `@context` of every compact document govgraph writes.
pub fn context() -> Value {
    let mut context = Map::new();
    context.insert("@base".to_owned(), json!(id_namespace()));
    for (prefix, iri) in prefixes().iter().filter(|(prefix, _)| *prefix != "id") {
        context.insert((*prefix).to_owned(), json!(iri));
    }
    for (term, property, iri_valued) in TERMS {
        let definition = if *iri_valued {
            json!({ "@id": property, "@type": "@id" })
        } else {
            json!(property)
        };
        context.insert((*term).to_owned(), definition);
    }
    Value::Object(context)
}

/// An IRI as short as the context allows: relative to the entity namespace, or prefixed.
fn compact(iri: &str) -> String {
    if let Some(local) = iri
        .strip_prefix(id_namespace())
        .filter(|local| !local.is_empty() && !local.contains([':', '/', '#', '?']))
    {
        return local.to_owned();
    }
    prefixes()
        .iter()
        .filter(|(prefix, _)| *prefix != "id")
        .find_map(|(prefix, namespace)| {
            iri.strip_prefix(namespace)
                .filter(|local| !local.is_empty() && !local.contains(['/', '#', '?']))
                .map(|local| format!("{prefix}:{local}"))
        })
        .unwrap_or_else(|| iri.to_owned())
}

/// A vocabulary IRI (for keys and types): prefixed, never relative to `@base`.
fn compact_vocabulary(iri: &str) -> String {
    let short = compact(iri);
    if short.contains(':') { short } else { iri.to_owned() }
}

fn subject_id(subject: &NamedOrBlankNode) -> String {
    match subject {
        NamedOrBlankNode::NamedNode(node) => compact(node.as_str()),
        NamedOrBlankNode::BlankNode(node) => format!("_:{}", node.as_str()),
    }
}

fn value(object: &Term, iri_valued: bool) -> Value {
    match object {
        Term::NamedNode(node) if iri_valued => json!(compact(node.as_str())),
        Term::NamedNode(node) => json!({ "@id": compact(node.as_str()) }),
        Term::BlankNode(node) if iri_valued => json!(format!("_:{}", node.as_str())),
        Term::BlankNode(node) => json!({ "@id": format!("_:{}", node.as_str()) }),
        Term::Literal(literal) => match literal.language() {
            Some(language) => json!({ "@value": literal.value(), "@language": language }),
            None if literal.datatype().as_str() == XSD_STRING => json!(literal.value()),
            None => json!({ "@value": literal.value(), "@type": compact_vocabulary(literal.datatype().as_str()) }),
        },
        #[allow(unreachable_patterns)]
        _ => Value::Null,
    }
}

/// Writes triples as one compact JSON-LD document, a node object per subject.
pub fn write(triples: &[Triple], output: &mut dyn Write) -> io::Result<()> {
    let mut nodes: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for triple in triples {
        let node = nodes.entry(subject_id(&triple.subject)).or_default();
        let predicate = triple.predicate.as_str();
        let (key, entry) = if predicate == RDF_TYPE {
            let Term::NamedNode(class) = &triple.object else {
                continue;
            };
            ("@type".to_owned(), json!(compact_vocabulary(class.as_str())))
        } else if let Some((term, _, iri_valued)) = TERMS.iter().find(|(_, property, _)| *property == predicate) {
            ((*term).to_owned(), value(&triple.object, *iri_valued))
        } else {
            (compact_vocabulary(predicate), value(&triple.object, false))
        };
        match node.get_mut(&key) {
            Some(Value::Array(values)) => values.push(entry),
            Some(existing) => *existing = Value::Array(vec![existing.take(), entry]),
            None => {
                node.insert(key, entry);
            }
        }
    }
    let graph: Vec<Value> = nodes
        .into_iter()
        .map(|(id, mut properties)| {
            properties.insert("@id".to_owned(), json!(id));
            Value::Object(properties)
        })
        .collect();
    let document = json!({ "@context": context(), "@graph": graph });
    serde_json::to_writer_pretty(&mut *output, &document)?;
    output.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::vocab::NS;
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
        let text = String::from_utf8(output.clone()).unwrap();
        assert!(text.contains("\"@id\": \"onenet\""), "{text}");
        assert!(text.contains("\"openness\": \"gg:Open\""), "{text}");
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

    /// Blank node labels are not kept by a parser: compare with every label replaced.
    fn normalise_blank(triple: &str) -> String {
        triple
            .split(' ')
            .map(|part| if part.starts_with("_:") { "_:b" } else { part })
            .collect::<Vec<_>>()
            .join(" ")
    }
}
