//! What govgraph publishes about its IRIs, its dataset and its service: the description each
//! minted IRI dereferences to, the VoID description of the dataset (its static part is
//! `ontology/dataset.ttl`, loaded with the ontology; the addresses and statistics are added
//! here), and the SPARQL 1.1 Service Description of `/sparql`, both declaring the prefixes every
//! query may use undeclared (SHACL `sh:declare`, as SHACL-SPARQL reads them).

use super::export::ExportFormat;
use super::vocab::{
    DATASET, GG_CHANGE, META_GRAPH, ONTOLOGY_GRAPH, RDF_TYPE, SD, SH, VOCABULARY, VOID, XSD, base, id_namespace,
    percent_encode, prefixes,
};
use super::{SparqlFormat, Store, StoreError, write_triples};
use oxigraph::model::{BlankNode, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Where the server is reached, for the addresses a description gives (its endpoint, its dumps).
#[derive(Clone, Debug)]
pub struct Site {
    /// The server's root, ending in `/`: `http://127.0.0.1:8080/`.
    pub root: String,
    /// Whether SPARQL Update is accepted (writes are enabled).
    pub updates: bool,
}

impl Site {
    fn at(&self, path: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}{path}", self.root))
    }
}

/// A description, ready to be written in any RDF format or shown as a page.
pub struct Described(Vec<Triple>);

/// One statement of a description, as a page shows it.
pub struct Statement {
    /// An IRI, or `_:label` for a blank node.
    pub subject: String,
    pub predicate: String,
    /// An IRI, or a literal's lexical form.
    pub object: String,
    pub object_is_iri: bool,
}

impl Described {
    /// Grouped by subject, each statement once, in the same order every time.
    fn new(triples: Vec<Triple>) -> Self {
        let keyed: BTreeMap<(String, String, String), Triple> = triples
            .into_iter()
            .map(|t| {
                (
                    (t.subject.to_string(), t.predicate.to_string(), t.object.to_string()),
                    t,
                )
            })
            .collect();
        Self(keyed.into_values().collect())
    }

    pub fn write(&self, format: SparqlFormat) -> Result<Vec<u8>, StoreError> {
        let mut output = Vec::new();
        write_triples(&self.0, format, &mut output)?;
        Ok(output)
    }

    pub fn statements(&self) -> Vec<Statement> {
        self.0
            .iter()
            .map(|triple| {
                let (object, object_is_iri) = match &triple.object {
                    Term::NamedNode(node) => (node.as_str().to_owned(), true),
                    Term::Literal(literal) => (literal.value().to_owned(), false),
                    other => (other.to_string(), false),
                };
                Statement {
                    subject: match &triple.subject {
                        NamedOrBlankNode::NamedNode(node) => node.as_str().to_owned(),
                        other => other.to_string(),
                    },
                    predicate: triple.predicate.as_str().to_owned(),
                    object,
                    object_is_iri,
                }
            })
            .collect()
    }
}

/// Counts over the dataset (the change log left out), for VoID. One pass over every quad, so
/// callers keep it for as long as the dataset version stays the same.
pub struct Statistics {
    triples: usize,
    entities: usize,
    /// Each class with the number of distinct instances.
    classes: BTreeMap<String, usize>,
    /// Each property with the number of statements using it.
    properties: BTreeMap<String, usize>,
}

impl Store {
    /// What a minted IRI dereferences to; `None` when the store says nothing about it.
    pub fn describe_iri(&self, iri: &str, site: &Site) -> Result<Option<Described>, StoreError> {
        let Ok(node) = NamedNode::new(iri) else {
            return Ok(None);
        };
        let node = node.as_ref();
        if node == VOCABULARY {
            return Ok(self.graph_contents(ONTOLOGY_GRAPH)?.map(|mut triples| {
                triples.extend(prefix_declarations(&VOCABULARY.into_owned().into()));
                Described::new(triples)
            }));
        }
        if iri.starts_with(id_namespace())
            && let Some(triples) = self.describe_entity(node)?
        {
            return Ok(Some(Described::new(triples)));
        }
        let mut triples = self.describe_node(node)?.unwrap_or_default();
        if self.inner.contains_named_graph(node)? {
            triples.extend(self.graph_summary(node, site)?);
        }
        Ok((!triples.is_empty()).then(|| Described::new(triples)))
    }

    /// A named graph: how many statements it holds, and where to get them (the Graph Store).
    fn graph_summary(&self, graph: NamedNodeRef<'_>, site: &Site) -> Result<Vec<Triple>, StoreError> {
        let count = self
            .inner
            .quads_for_pattern(None, None, None, Some(graph.into()))
            .count();
        let dump = site.at(&format!("store?graph={}", percent_encode(graph.as_str())));
        Ok(vec![
            Triple::new(graph, RDF_TYPE, sd("Graph")),
            Triple::new(graph, void("triples"), integer(count)),
            Triple::new(graph, void("dataDump"), dump),
        ])
    }

    /// Counts for VoID, in one pass over the quads.
    pub fn statistics(&self) -> Result<Statistics, StoreError> {
        let mut statistics = Statistics {
            triples: 0,
            entities: 0,
            classes: BTreeMap::new(),
            properties: BTreeMap::new(),
        };
        let mut instances: HashMap<String, BTreeSet<String>> = HashMap::new();
        for quad in self.inner.iter() {
            let quad = quad?;
            if quad.graph_name == META_GRAPH.into() {
                continue;
            }
            statistics.triples += 1;
            match statistics.properties.get_mut(quad.predicate.as_str()) {
                Some(count) => *count += 1,
                None => {
                    statistics.properties.insert(quad.predicate.as_str().to_owned(), 1);
                }
            }
            if quad.predicate == RDF_TYPE
                && let Term::NamedNode(class) = quad.object
            {
                instances
                    .entry(class.into_string())
                    .or_default()
                    .insert(quad.subject.to_string());
            }
        }
        statistics.classes = instances
            .into_iter()
            .map(|(class, members)| (class, members.len()))
            .collect();
        statistics.entities = statistics
            .classes
            .get(super::vocab::GG_ENTITY.as_str())
            .copied()
            .unwrap_or(0);
        Ok(statistics)
    }

    /// The VoID description of the dataset: what the store says of it (title, licence,
    /// vocabularies, examples) and its addresses and statistics.
    pub fn describe_dataset(&self, statistics: &Statistics, site: &Site) -> Result<Described, StoreError> {
        let mut triples = Vec::new();
        for quad in self.inner.quads_for_pattern(Some(DATASET.into()), None, None, None) {
            let triple = Triple::from(quad?);
            // The change log's entries are bookkeeping, and there is one per write.
            if triple.predicate != GG_CHANGE {
                triples.push(triple);
            }
        }
        let mut add = |predicate: NamedNode, object: Term| triples.push(Triple::new(DATASET, predicate, object));
        add(RDF_TYPE.into_owned(), void("Dataset").into());
        add(void("sparqlEndpoint"), site.at("sparql").into());
        add(void("uriSpace"), Literal::new_simple_literal(base()).into());
        add(void("triples"), integer(statistics.triples).into());
        add(void("entities"), integer(statistics.entities).into());
        add(void("classes"), integer(statistics.classes.len()).into());
        add(void("properties"), integer(statistics.properties.len()).into());
        for format in ExportFormat::ALL {
            let dump = site.at(&format!("export?format={}", format.name()));
            triples.push(Triple::new(DATASET, void("dataDump"), dump.clone()));
            triples.push(Triple::new(
                dump,
                NamedNode::new_unchecked("http://purl.org/dc/terms/format"),
                Literal::new_simple_literal(format.media_type()),
            ));
        }
        partitions(&mut triples, "class", &statistics.classes, "entities");
        partitions(&mut triples, "property", &statistics.properties, "triples");
        Ok(Described::new(triples))
    }

    /// The SPARQL 1.1 Service Description of `/sparql`.
    pub fn describe_service(&self, site: &Site) -> Result<Described, StoreError> {
        let service: NamedOrBlankNode = BlankNode::new_unchecked("service").into();
        let endpoint = site.at("sparql");
        let mut triples = vec![
            Triple::new(service.clone(), RDF_TYPE, sd("Service")),
            Triple::new(service.clone(), sd("endpoint"), endpoint),
            Triple::new(service.clone(), sd("supportedLanguage"), sd("SPARQL11Query")),
            // The default graph is the union of the named graphs unless a request names its own.
            Triple::new(service.clone(), sd("feature"), sd("UnionDefaultGraph")),
            Triple::new(
                service.clone(),
                sd("defaultEntailmentRegime"),
                NamedNode::new_unchecked("http://www.w3.org/ns/entailment/Simple"),
            ),
            Triple::new(service.clone(), sd("defaultDataset"), DATASET),
            Triple::new(DATASET, RDF_TYPE, sd("Dataset")),
            Triple::new(
                DATASET,
                NamedNode::new_unchecked("http://www.w3.org/2000/01/rdf-schema#seeAlso"),
                site.at(".well-known/void"),
            ),
        ];
        if site.updates {
            triples.push(Triple::new(
                service.clone(),
                sd("supportedLanguage"),
                sd("SPARQL11Update"),
            ));
        }
        for (format, _) in SparqlFormat::MEDIA_TYPES {
            triples.push(Triple::new(service.clone(), sd("resultFormat"), format_iri(*format)));
        }
        for (index, graph) in self.inner.named_graphs().enumerate() {
            let NamedOrBlankNode::NamedNode(graph) = graph? else {
                continue;
            };
            let named = BlankNode::new_unchecked(format!("graph{index}"));
            triples.push(Triple::new(DATASET, sd("namedGraph"), named.clone()));
            triples.push(Triple::new(named.clone(), RDF_TYPE, sd("NamedGraph")));
            triples.push(Triple::new(named, sd("name"), graph));
        }
        triples.extend(prefix_declarations(&service));
        Ok(Described::new(triples))
    }
}

/// `void:classPartition` / `void:propertyPartition`, one per counted class or property.
fn partitions(triples: &mut Vec<Triple>, kind: &str, counts: &BTreeMap<String, usize>, measure: &str) {
    for (index, (iri, count)) in counts.iter().enumerate() {
        let Ok(member) = NamedNode::new(iri) else { continue };
        let partition = BlankNode::new_unchecked(format!("{kind}{index}"));
        triples.push(Triple::new(
            DATASET,
            void(&format!("{kind}Partition")),
            partition.clone(),
        ));
        triples.push(Triple::new(partition.clone(), void(kind), member));
        triples.push(Triple::new(partition, void(measure), integer(*count)));
    }
}

/// The prefixes every query may use undeclared, as SHACL prefix declarations of `subject`.
fn prefix_declarations(subject: &NamedOrBlankNode) -> Vec<Triple> {
    let mut triples = Vec::new();
    for (prefix, namespace) in prefixes() {
        let declaration = BlankNode::new_unchecked(format!("prefix-{prefix}"));
        triples.push(Triple::new(subject.clone(), sh("declare"), declaration.clone()));
        triples.push(Triple::new(
            declaration.clone(),
            sh("prefix"),
            Literal::new_simple_literal(*prefix),
        ));
        triples.push(Triple::new(
            declaration,
            sh("namespace"),
            Literal::new_typed_literal(*namespace, NamedNode::new_unchecked(format!("{XSD}anyURI"))),
        ));
    }
    triples
}

/// The W3C format IRI of a result format (https://www.w3.org/ns/formats/).
fn format_iri(format: SparqlFormat) -> NamedNode {
    let name = match format {
        SparqlFormat::Json => "SPARQL_Results_JSON",
        SparqlFormat::Xml => "SPARQL_Results_XML",
        SparqlFormat::Csv => "SPARQL_Results_CSV",
        SparqlFormat::Tsv => "SPARQL_Results_TSV",
        SparqlFormat::Turtle => "Turtle",
        SparqlFormat::NTriples => "N-Triples",
        SparqlFormat::RdfXml => "RDF_XML",
        SparqlFormat::JsonLd => "JSON-LD",
    };
    NamedNode::new_unchecked(format!("http://www.w3.org/ns/formats/{name}"))
}

fn sd(name: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SD}{name}"))
}

fn void(name: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{VOID}{name}"))
}

fn sh(name: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SH}{name}"))
}

fn integer(count: usize) -> Literal {
    Literal::from(i64::try_from(count).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vocabulary_the_service_and_the_dataset_are_described() {
        let store = Store::memory().unwrap();
        store.initialize(true, &super::super::NoProgress).unwrap();
        let site = Site {
            root: "http://example.org/".to_owned(),
            updates: false,
        };
        let vocabulary = store.describe_iri(VOCABULARY.as_str(), &site).unwrap().unwrap();
        assert!(
            vocabulary
                .statements()
                .iter()
                .any(|s| s.predicate == format!("{SH}declare"))
        );
        let service = store.describe_service(&site).unwrap().statements();
        assert!(service.iter().any(|s| s.object == "http://example.org/sparql"));
        assert!(!service.iter().any(|s| s.object.ends_with("SPARQL11Update")));
        let statistics = store.statistics().unwrap();
        assert!(statistics.entities > 50 && statistics.triples > statistics.entities);
        let dataset = store.describe_dataset(&statistics, &site).unwrap().statements();
        assert!(
            dataset
                .iter()
                .any(|s| s.predicate == "http://purl.org/dc/terms/license")
        );
        assert!(dataset.iter().any(|s| s.predicate.ends_with("title")));
        let graph = store.describe_iri(META_GRAPH.as_str(), &site).unwrap().unwrap();
        assert!(
            graph
                .statements()
                .iter()
                .any(|s| s.predicate == format!("{VOID}triples"))
        );
        assert!(
            store
                .describe_iri("https://w3id.org/govgraph/rel/nothing", &site)
                .unwrap()
                .is_none()
        );
        assert!(store.describe_iri("not an iri", &site).unwrap().is_none());
    }
}
