//! Writes over HTTP: SPARQL 1.1 Update and the Graph Store Protocol. Each write is one
//! transaction that also adds what the new data implies (as loading does) and a change to the
//! dataset's change log, so it is atomic, keeps SPARQL property paths and the graph projection
//! consistent, and bumps the dataset version.

use super::checked::CheckedUpdate;
use super::load::{RdfDocument, Skolemizer};
use super::materialize::{Materializer, Schema};
use super::query::evaluator_for;
use super::sparql::{SparqlFormat, write_triples};
use super::vocab::{GRAPH, ONTOLOGY_GRAPH};
use super::writer::Writer;
use super::{Changed, Store, StoreError};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, Triple};
use oxigraph::sparql::UpdateEvaluationError;
use std::sync::LazyLock;

/// What an update implies, added after every SPARQL update: the same derivations as
/// `materialize::Materializer` (a replica's remote store runs these rules too, so they stay
/// SPARQL). They never delete: a relation removed by SPARQL leaves what it implied unless the
/// update removes that too.
const MATERIALIZE: &str = "
PREFIX gg: <https://w3id.org/govgraph/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
INSERT { GRAPH ?g { ?s ?p ?o . ?s ?shortcut ?o . ?s gg:relatedTo ?o } }
WHERE { GRAPH ?g { ?r gg:source ?s ; gg:predicate ?p ; gg:target ?o ; gg:relationKind ?kind }
        BIND(IF(?kind = gg:Direct, gg:directlyRelatedTo, gg:indirectlyRelatedTo) AS ?shortcut) } ;
INSERT { ?s ?p ?o . ?s ?shortcut ?o . ?s gg:relatedTo ?o }
WHERE { ?r gg:source ?s ; gg:predicate ?p ; gg:target ?o ; gg:relationKind ?kind
        BIND(IF(?kind = gg:Direct, gg:directlyRelatedTo, gg:indirectlyRelatedTo) AS ?shortcut) } ;
INSERT { GRAPH ?g { ?s ?super ?o } }
WHERE { GRAPH ?g { ?r gg:source ?s ; gg:predicate ?p ; gg:target ?o ; gg:relationKind ?kind }
        GRAPH <https://w3id.org/govgraph/graph/ontology> { ?p rdfs:subPropertyOf+ ?super }
        FILTER(isIRI(?super) && !STRSTARTS(STR(?super), \"https://w3id.org/govgraph/.well-known/genid/\")) } ;
INSERT { ?s ?super ?o }
WHERE { ?r gg:source ?s ; gg:predicate ?p ; gg:target ?o ; gg:relationKind ?kind
        GRAPH <https://w3id.org/govgraph/graph/ontology> { ?p rdfs:subPropertyOf+ ?super }
        FILTER(isIRI(?super) && !STRSTARTS(STR(?super), \"https://w3id.org/govgraph/.well-known/genid/\")) } ;
INSERT { GRAPH ?g { ?o ?inverse ?s } }
WHERE { GRAPH ?g { ?r gg:source ?s ; gg:predicate ?p ; gg:target ?o ; gg:relationKind ?kind FILTER(!isLiteral(?o)) }
        GRAPH <https://w3id.org/govgraph/graph/ontology> { ?p rdfs:subPropertyOf+ ?super . ?super owl:inverseOf ?inverse } } ;
INSERT { ?o ?inverse ?s }
WHERE { ?r gg:source ?s ; gg:predicate ?p ; gg:target ?o ; gg:relationKind ?kind FILTER(!isLiteral(?o))
        GRAPH <https://w3id.org/govgraph/graph/ontology> { ?p rdfs:subPropertyOf+ ?super . ?super owl:inverseOf ?inverse } } ;
INSERT { GRAPH ?g { ?evidence a gg:Evidence } }
WHERE { GRAPH ?g { ?x gg:evidence ?evidence FILTER(!isLiteral(?evidence)) } } ;
INSERT { ?evidence a gg:Evidence }
WHERE { ?x gg:evidence ?evidence FILTER(!isLiteral(?evidence)) } ;
INSERT { GRAPH ?g { ?x a ?super } }
WHERE { GRAPH ?g { ?x a ?class } GRAPH <https://w3id.org/govgraph/graph/ontology> { ?class rdfs:subClassOf+ ?super } } ;
INSERT { ?x a ?super }
WHERE { ?x a ?class GRAPH <https://w3id.org/govgraph/graph/ontology> { ?class rdfs:subClassOf+ ?super } } ;
INSERT { GRAPH ?g { ?x dcterms:isReferencedBy ?document } }
WHERE { GRAPH ?g { ?x gg:evidence ?evidence . ?evidence gg:document ?document FILTER(?x != ?document) } } ;
INSERT { ?x dcterms:isReferencedBy ?document }
WHERE { ?x gg:evidence ?evidence . ?evidence gg:document ?document FILTER(?x != ?document) } ;
INSERT { GRAPH ?g { ?x prov:wasDerivedFrom ?document } }
WHERE { GRAPH ?g { ?x gg:source ?source ; gg:evidence ?evidence . ?evidence gg:document ?document
                   FILTER(?x != ?document) } } ;
INSERT { ?x prov:wasDerivedFrom ?document }
WHERE { ?x gg:source ?source ; gg:evidence ?evidence . ?evidence gg:document ?document FILTER(?x != ?document) }
";

/// The graph a Graph Store Protocol request addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GraphTarget {
    /// `?default`: the store's own default graph, read and written alike (so a `GET` returns what
    /// a `PUT` wrote). SPARQL queries see the union of all graphs as their default graph instead.
    Default,
    /// `?graph=IRI`.
    Named(NamedNode),
}

impl GraphTarget {
    pub fn named(iri: &str) -> Result<Self, StoreError> {
        Store::graph_name(iri).map(GraphTarget::Named)
    }

    /// A new graph's name, for a `POST` to the graph store itself (Graph Store Protocol 5.5).
    pub fn minted() -> Self {
        let name = format!("{GRAPH}store/{:032x}", rand::random::<u128>());
        GraphTarget::Named(NamedNode::new_unchecked(name))
    }

    pub(super) fn graph_name(&self) -> GraphName {
        match self {
            GraphTarget::Default => GraphName::DefaultGraph,
            GraphTarget::Named(node) => GraphName::NamedNode(node.clone()),
        }
    }
}

impl std::fmt::Display for GraphTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GraphTarget::Default => f.write_str("the default graph"),
            GraphTarget::Named(node) => write!(f, "{node}"),
        }
    }
}

fn update_error(error: UpdateEvaluationError) -> StoreError {
    match error {
        UpdateEvaluationError::Service(_)
        | UpdateEvaluationError::UnsupportedService(_)
        | UpdateEvaluationError::UnboundService => {
            StoreError::Refused("SERVICE is disabled: govgraph never sends requests to other servers".to_owned())
        }
        UpdateEvaluationError::GraphAlreadyExists(_) | UpdateEvaluationError::GraphDoesNotExist(_) => {
            StoreError::Refused(error.to_string())
        }
        UpdateEvaluationError::Storage(error) => error.into(),
        other => StoreError::QueryEvaluation(other.to_string()),
    }
}

impl Store {
    /// Runs a SPARQL 1.1 Update atomically, with what it implies and a change-log entry.
    pub fn sparql_update(&self, checked: CheckedUpdate) -> Result<(), StoreError> {
        // LOAD fetches a URL: refused before anything runs.
        if checked.loads() {
            return Err(StoreError::Refused(
                "LOAD is disabled: govgraph never fetches URLs; send the data with the Graph Store Protocol instead"
                    .to_owned(),
            ));
        }
        let CheckedUpdate { update, text, optimize } = checked;
        let mut transaction = self.begin()?;
        let operations = transaction.for_update(&update.operations);
        evaluator_for(optimize)
            .for_update(update)
            .on_transaction(operations)
            .execute()
            .map_err(update_error)?;
        materialize(&mut transaction)?;
        transaction.record_change(&format!("update\n{text}"))?;
        transaction.commit()?;
        Ok(())
    }

    /// Whether the target graph exists (the default graph always does).
    pub fn graph_exists(&self, target: &GraphTarget) -> Result<bool, StoreError> {
        Ok(match target {
            GraphTarget::Default => true,
            GraphTarget::Named(node) => self.inner.contains_named_graph(node.as_ref())?,
        })
    }

    /// The triples of a graph, sorted; `None` for a named graph that does not exist.
    fn graph_triples(&self, target: &GraphTarget) -> Result<Option<Vec<Triple>>, StoreError> {
        if !self.graph_exists(target)? {
            return Ok(None);
        }
        let graph = target.graph_name();
        let mut triples: Vec<Triple> = self
            .inner
            .quads_for_pattern(None, None, None, Some(graph.as_ref()))
            .map(|quad| quad.map(Triple::from))
            .collect::<Result<_, _>>()?;
        triples.sort_by_cached_key(ToString::to_string);
        Ok(Some(triples))
    }

    /// A graph written in `format`; `None` for a named graph that does not exist.
    pub fn graph_document(&self, target: &GraphTarget, format: SparqlFormat) -> Result<Option<Vec<u8>>, StoreError> {
        let Some(triples) = self.graph_triples(target)? else {
            return Ok(None);
        };
        let mut output = Vec::new();
        write_triples(&triples, format, &mut output)?;
        Ok(Some(output))
    }

    /// Writes RDF documents (one body, or the parts of a multipart one) into a graph: replacing
    /// it (PUT) or adding to it (POST). Returns whether the graph was created, and what the
    /// write touched.
    pub fn write_graph(
        &self,
        target: &GraphTarget,
        documents: &[RdfDocument],
        replace: bool,
    ) -> Result<(bool, Changed), StoreError> {
        // Parse whole before the transaction starts, so a syntax error changes nothing.
        let mut quads = Vec::new();
        for document in documents {
            let mut skolemizer = Skolemizer::new(document);
            for quad in document.quads() {
                quads.push(skolemizer.quad(quad?));
            }
        }
        let created = !self.graph_exists(target)?;
        let mut schema = Schema::from_store(&self.inner)?;
        for quad in &quads {
            schema.observe(quad);
        }
        let mut materializer = Materializer::new(schema.closure());
        for quad in &quads {
            materializer.observe(quad);
        }
        let graph = target.graph_name();
        let mut transaction = self.begin()?;
        if replace {
            transaction.clear_graph(graph.as_ref())?;
        }
        if let GraphName::NamedNode(node) = &graph {
            transaction.insert_named_graph(node.as_ref());
        }
        transaction.extend(&quads);
        transaction.extend(&materializer.finish());
        let fingerprints: Vec<String> = documents.iter().map(RdfDocument::fingerprint).collect();
        let change = format!(
            "graph-store {} {graph}\n{}",
            if replace { "put" } else { "post" },
            fingerprints.join("\n")
        );
        transaction.record_change(&change)?;
        Ok((created, transaction.commit()?))
    }

    /// Removes a graph (`?default`: empties the store's own default graph). Returns whether it
    /// existed, and what the removal touched. The ontology graph cannot be removed: everything
    /// else depends on it.
    pub fn delete_graph(&self, target: &GraphTarget) -> Result<(bool, Changed), StoreError> {
        if *target == GraphTarget::Named(ONTOLOGY_GRAPH.into_owned()) {
            return Err(StoreError::Refused("the ontology graph cannot be deleted".to_owned()));
        }
        if !self.graph_exists(target)? {
            return Ok((false, Changed::default()));
        }
        let mut transaction = self.begin()?;
        match target {
            GraphTarget::Default => transaction.clear_graph(GraphNameRef::DefaultGraph)?,
            GraphTarget::Named(node) => transaction.remove_named_graph(node.as_ref())?,
        }
        transaction.record_change(&format!("graph-store delete {}", target.graph_name()))?;
        Ok((true, transaction.commit()?))
    }
}

/// The materialisation rules, parsed once.
static RULES: LazyLock<Option<spargebra::Update>> =
    LazyLock::new(|| spargebra::SparqlParser::new().parse_update(MATERIALIZE).ok());

/// Adds, inside the transaction, what the data now implies.
fn materialize(transaction: &mut Writer<'_>) -> Result<(), StoreError> {
    let rules = RULES
        .clone()
        .ok_or_else(|| StoreError::QueryEvaluation("the materialisation rules do not parse".to_owned()))?;
    let operations = transaction.for_update(&rules.operations);
    evaluator_for(true)
        .for_update(rules)
        .on_transaction(operations)
        .execute()
        .map_err(update_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_materialisation_update_parses() {
        assert!(RULES.is_some());
        // Anonymous super-properties (`[ owl:inverseOf P ]`) are skolemised under GENID.
        assert!(MATERIALIZE.contains(&format!("\"{}\"", crate::store::vocab::GENID)));
    }

    #[test]
    fn load_is_refused_before_anything_runs() {
        let store = Store::memory().unwrap();
        for text in [
            "LOAD <http://127.0.0.1:9/x.ttl>",
            "LOAD SILENT <http://127.0.0.1:9/x.ttl> INTO GRAPH <g:x>",
        ] {
            let checked = crate::store::parse_update(text, &crate::store::InputLimits::DEFAULT).unwrap();
            assert!(matches!(store.sparql_update(checked), Err(StoreError::Refused(_))));
        }
        assert!(store.is_empty().unwrap());
    }
}
