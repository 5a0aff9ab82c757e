//! The SPARQL 1.1 Protocol's store side: queries with a protocol dataset, results in the format
//! the client accepts, a time budget that really stops evaluation, and no outbound requests
//! (SERVICE has no HTTP client behind it).

use super::checked::CheckedQuery;
use super::query::evaluator_for;
use super::{StoreError, jsonld};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults};

/// What a query returns, which decides the formats it can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryForm {
    /// SELECT and ASK: a results table or a boolean.
    Results,
    /// CONSTRUCT and DESCRIBE: an RDF graph.
    Graph,
}

/// The formats of SPARQL results and graphs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SparqlFormat {
    Json,
    Xml,
    Csv,
    Tsv,
    Turtle,
    NTriples,
    RdfXml,
    JsonLd,
}

impl SparqlFormat {
    /// Every format with its media types, the first of each being the one it is served as.
    pub const MEDIA_TYPES: &'static [(SparqlFormat, &'static [&'static str])] = &[
        (
            SparqlFormat::Json,
            &["application/sparql-results+json", "application/json"],
        ),
        (
            SparqlFormat::Xml,
            &["application/sparql-results+xml", "application/xml", "text/xml"],
        ),
        (SparqlFormat::Csv, &["text/csv"]),
        (SparqlFormat::Tsv, &["text/tab-separated-values"]),
        (SparqlFormat::Turtle, &["text/turtle", "application/x-turtle"]),
        (SparqlFormat::NTriples, &["application/n-triples", "text/plain"]),
        (SparqlFormat::RdfXml, &["application/rdf+xml"]),
        (SparqlFormat::JsonLd, &["application/ld+json"]),
    ];

    pub fn form(self) -> QueryForm {
        match self {
            SparqlFormat::Json | SparqlFormat::Xml | SparqlFormat::Csv | SparqlFormat::Tsv => QueryForm::Results,
            _ => QueryForm::Graph,
        }
    }

    pub fn media_type(self) -> &'static str {
        Self::MEDIA_TYPES
            .iter()
            .find(|(format, _)| *format == self)
            .map_or("application/octet-stream", |(_, types)| types[0])
    }

    /// What a client gets when it accepts anything.
    pub fn default_for(form: QueryForm) -> SparqlFormat {
        match form {
            QueryForm::Results => SparqlFormat::Json,
            QueryForm::Graph => SparqlFormat::Turtle,
        }
    }
}

/// Stops a running query from another thread.
#[derive(Clone, Default)]
pub struct Cancellation(CancellationToken);

impl Cancellation {
    pub fn cancel(&self) {
        self.0.cancel();
    }
}

/// The dataset a request names with `default-graph-uri` / `named-graph-uri`.
#[derive(Clone, Debug, Default)]
pub struct ProtocolDataset {
    pub default_graphs: Vec<String>,
    pub named_graphs: Vec<String>,
}

fn iri(text: &str) -> Result<NamedNode, StoreError> {
    NamedNode::new(text).map_err(|error| StoreError::InvalidIri {
        iri: text.to_owned(),
        message: error.to_string(),
    })
}

fn evaluation_error(error: QueryEvaluationError) -> StoreError {
    match error {
        QueryEvaluationError::Cancelled => StoreError::Cancelled,
        QueryEvaluationError::Service(_)
        | QueryEvaluationError::UnsupportedService(_)
        | QueryEvaluationError::UnboundService => {
            StoreError::Refused("SERVICE is disabled: govgraph never sends requests to other servers".to_owned())
        }
        other => StoreError::QueryEvaluation(other.to_string()),
    }
}

impl super::Store {
    /// Runs a query and writes its results in the format `choose` picks for its form (`None`:
    /// the client accepts nothing this query can return).
    pub fn sparql_query(
        &self,
        checked: CheckedQuery,
        dataset: &ProtocolDataset,
        choose: &dyn Fn(QueryForm) -> Option<SparqlFormat>,
        cancellation: &Cancellation,
    ) -> Result<(SparqlFormat, Vec<u8>), StoreError> {
        let mut prepared = evaluator_for(checked.optimize)
            .with_cancellation_token(cancellation.0.clone())
            .for_query(checked.query);
        if !dataset.default_graphs.is_empty() || !dataset.named_graphs.is_empty() {
            let defaults = dataset
                .default_graphs
                .iter()
                .map(|g| iri(g).map(GraphName::from))
                .collect::<Result<_, _>>()?;
            prepared.dataset_mut().set_default_graph(defaults);
            if !dataset.named_graphs.is_empty() {
                let named = dataset
                    .named_graphs
                    .iter()
                    .map(|g| iri(g).map(NamedOrBlankNode::from))
                    .collect::<Result<_, _>>()?;
                prepared.dataset_mut().set_available_named_graphs(named);
            }
        } else if prepared.dataset().is_default_dataset() {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        let results = prepared.on_store(&self.inner).execute().map_err(evaluation_error)?;
        let form = if matches!(results, QueryResults::Graph(_)) {
            QueryForm::Graph
        } else {
            QueryForm::Results
        };
        let format = choose(form).ok_or(StoreError::NotAcceptable(form))?;
        let mut output = Vec::new();
        match results {
            QueryResults::Boolean(value) => {
                QueryResultsSerializer::from_format(results_format(format))
                    .serialize_boolean_to_writer(&mut output, value)
                    .map_err(StoreError::Output)?;
            }
            QueryResults::Solutions(solutions) => {
                let mut writer = QueryResultsSerializer::from_format(results_format(format))
                    .serialize_solutions_to_writer(&mut output, solutions.variables().to_vec())
                    .map_err(StoreError::Output)?;
                for solution in solutions {
                    writer
                        .serialize(&solution.map_err(evaluation_error)?)
                        .map_err(StoreError::Output)?;
                }
                writer.finish().map_err(StoreError::Output)?;
            }
            QueryResults::Graph(triples) => {
                let triples: Vec<Triple> = triples.collect::<Result<_, _>>().map_err(evaluation_error)?;
                write_triples(&triples, format, &mut output)?;
            }
        }
        Ok((format, output))
    }
}

fn results_format(format: SparqlFormat) -> QueryResultsFormat {
    match format {
        SparqlFormat::Xml => QueryResultsFormat::Xml,
        SparqlFormat::Csv => QueryResultsFormat::Csv,
        SparqlFormat::Tsv => QueryResultsFormat::Tsv,
        _ => QueryResultsFormat::Json,
    }
}

/// Writes triples as an RDF graph; JSON-LD is written compact, with the project's context.
pub fn write_triples(triples: &[Triple], format: SparqlFormat, output: &mut Vec<u8>) -> Result<(), StoreError> {
    let rdf_format = match format {
        SparqlFormat::JsonLd => return jsonld::write(triples, output).map_err(StoreError::Output),
        SparqlFormat::NTriples => RdfFormat::NTriples,
        SparqlFormat::RdfXml => RdfFormat::RdfXml,
        _ => RdfFormat::Turtle,
    };
    let mut serializer = RdfSerializer::from_format(rdf_format);
    if rdf_format != RdfFormat::NTriples {
        for (prefix, namespace) in super::vocab::prefixes() {
            serializer = serializer
                .with_prefix(*prefix, *namespace)
                .map_err(|e| StoreError::InvalidIri {
                    iri: (*namespace).to_owned(),
                    message: e.to_string(),
                })?;
        }
    }
    let mut writer = serializer.for_writer(output);
    for triple in triples {
        writer.serialize_triple(triple).map_err(StoreError::Output)?;
    }
    writer.finish().map_err(StoreError::Output)?;
    Ok(())
}
