//! Read-only SPARQL queries. The default graph is the union of all graphs (the data lives in
//! named graphs, one per source), unless the query names its dataset with FROM / FROM NAMED.

use super::StoreError;
use super::checked::CheckedQuery;
use super::vocab::prefixes;
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::Term;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use std::io::Write;
use std::sync::LazyLock;

crate::model::named_enum! {
    /// How `govgraph query` prints results.
    ResultsFormat ("results format") { Table => "table", Json => "json", Csv => "csv", Tsv => "tsv" }
}

impl ResultsFormat {
    pub fn description(self) -> &'static str {
        match self {
            Self::Table => "Aligned columns for reading; IRIs shortened with the project's prefixes",
            Self::Json => "SPARQL 1.1 Query Results JSON (graphs: JSON-LD)",
            Self::Csv => "SPARQL 1.1 Query Results CSV (graphs: N-Triples)",
            Self::Tsv => "SPARQL 1.1 Query Results TSV (graphs: N-Triples)",
        }
    }
}

/// The result of a query, to be written in a chosen format.
pub struct QueryOutput<'a>(QueryResults<'a>);

/// Prefixes every query may use without declaring them (a query's own PREFIX wins). Built once
/// and copied per query: building it parses every prefix's IRI and copies the evaluator once per
/// prefix, which was a sixth of the CPU time of a small SPARQL request.
pub fn evaluator() -> SparqlEvaluator {
    static PREFIXED: LazyLock<SparqlEvaluator> = LazyLock::new(|| {
        prefixes()
            .iter()
            .fold(SparqlEvaluator::new(), |evaluator, (prefix, iri)| {
                // The IRIs above are constants and valid.
                evaluator.clone().with_prefix(*prefix, *iri).unwrap_or(evaluator)
            })
    });
    PREFIXED.clone()
}

/// The evaluator for a checked text: without the optimiser for a text too large to plan.
pub fn evaluator_for(optimize: bool) -> SparqlEvaluator {
    if optimize {
        evaluator()
    } else {
        evaluator().without_optimizations()
    }
}

pub fn run(store: &Store, checked: CheckedQuery) -> Result<QueryOutput<'_>, StoreError> {
    let mut prepared = evaluator_for(checked.optimize).for_query(checked.query);
    if prepared.dataset().is_default_dataset() {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    let results = prepared
        .on_store(store)
        .execute()
        .map_err(|error| StoreError::QueryEvaluation(error.to_string()))?;
    Ok(QueryOutput(results))
}

impl QueryOutput<'_> {
    pub fn write(self, format: ResultsFormat, output: &mut dyn Write) -> Result<(), StoreError> {
        let results_format = match format {
            ResultsFormat::Table => return self.write_table(output),
            ResultsFormat::Json => QueryResultsFormat::Json,
            ResultsFormat::Csv => QueryResultsFormat::Csv,
            ResultsFormat::Tsv => QueryResultsFormat::Tsv,
        };
        let serializer = QueryResultsSerializer::from_format(results_format);
        match self.0 {
            QueryResults::Boolean(value) => {
                serializer
                    .serialize_boolean_to_writer(output, value)
                    .map_err(StoreError::Output)?;
            }
            QueryResults::Solutions(solutions) => {
                let mut writer = serializer
                    .serialize_solutions_to_writer(output, solutions.variables().to_vec())
                    .map_err(StoreError::Output)?;
                for solution in solutions {
                    let solution = solution.map_err(|e| StoreError::QueryEvaluation(e.to_string()))?;
                    writer.serialize(&solution).map_err(StoreError::Output)?;
                }
                writer.finish().map_err(StoreError::Output)?;
            }
            QueryResults::Graph(triples) => {
                let graph_format = if format == ResultsFormat::Json {
                    RdfFormat::JsonLd {
                        profile: JsonLdProfileSet::empty(),
                    }
                } else {
                    RdfFormat::NTriples
                };
                write_graph(triples, RdfSerializer::from_format(graph_format), output)?;
            }
        }
        Ok(())
    }

    fn write_table(self, output: &mut dyn Write) -> Result<(), StoreError> {
        match self.0 {
            QueryResults::Boolean(value) => writeln!(output, "{value}").map_err(StoreError::Output),
            QueryResults::Graph(triples) => {
                let mut serializer = RdfSerializer::from_format(RdfFormat::Turtle);
                for (prefix, iri) in prefixes() {
                    serializer = serializer
                        .with_prefix(*prefix, *iri)
                        .map_err(|e| StoreError::InvalidIri {
                            iri: (*iri).to_owned(),
                            message: e.to_string(),
                        })?;
                }
                write_graph(triples, serializer, output)
            }
            QueryResults::Solutions(solutions) => {
                let variables: Vec<String> = solutions.variables().iter().map(|v| v.as_str().to_owned()).collect();
                let mut rows = Vec::new();
                for solution in solutions {
                    let solution = solution.map_err(|e| StoreError::QueryEvaluation(e.to_string()))?;
                    rows.push(
                        variables
                            .iter()
                            .map(|variable| solution.get(variable.as_str()).map(display_term).unwrap_or_default())
                            .collect::<Vec<String>>(),
                    );
                }
                write_aligned(output, &variables, &rows).map_err(StoreError::Output)
            }
        }
    }
}

fn write_graph(
    triples: oxigraph::sparql::QueryTripleIter<'_>,
    serializer: RdfSerializer,
    output: &mut dyn Write,
) -> Result<(), StoreError> {
    let mut writer = serializer.for_writer(output);
    for triple in triples {
        let triple = triple.map_err(|e| StoreError::QueryEvaluation(e.to_string()))?;
        writer.serialize_triple(&triple).map_err(StoreError::Output)?;
    }
    writer.finish().map_err(StoreError::Output)?;
    Ok(())
}

/// A term as a person reads it: prefixed IRIs, bare literal values.
fn display_term(term: &Term) -> String {
    match term {
        Term::NamedNode(node) => prefixes()
            .iter()
            .find_map(|(prefix, iri)| node.as_str().strip_prefix(iri).map(|local| format!("{prefix}:{local}")))
            .unwrap_or_else(|| node.to_string()),
        Term::Literal(literal) => literal.value().to_owned(),
        other => other.to_string(),
    }
}

fn write_aligned(output: &mut dyn Write, header: &[String], rows: &[Vec<String>]) -> std::io::Result<()> {
    let single_line = |cell: &str| cell.replace(['\n', '\r', '\t'], " ");
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(single_line(cell).chars().count());
        }
    }
    let mut line = |cells: &[String]| -> std::io::Result<()> {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{:<width$}", single_line(cell), width = *width))
            .collect();
        writeln!(output, "{}", padded.join("  ").trim_end())
    };
    line(header)?;
    for row in rows {
        line(row)?;
    }
    writeln!(output, "({} row{})", rows.len(), if rows.len() == 1 { "" } else { "s" })
}
