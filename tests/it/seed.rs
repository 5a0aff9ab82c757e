//! The bundled seed: its quotes are verbatim, its coverage is the research notes', its required
//! path exists, and its sources are named graphs.

use crate::util::project_file;
use govgraph::model::quote::{find_in as quote_in, normalize};
use govgraph::store::{InputLimits, NoProgress, ResultsFormat, Store, parse_query};
use serde_json::Value;
use std::sync::OnceLock;

/// The seed loaded once into memory, as `govgraph serve --memory` would load it.
fn seeded() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| {
        let store = Store::memory().expect("an in-memory store");
        store.initialize(true, &NoProgress).expect("the bundled seed loads");
        store
    })
}

const PREFIXES: &str = "PREFIX gg: <https://w3id.org/govgraph/ns#> PREFIX id: <https://w3id.org/govgraph/id/> \
     PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ";

/// Rows of a SELECT as maps from variable to the bound value's lexical form.
fn select(sparql: &str) -> Vec<serde_json::Map<String, Value>> {
    let mut output = Vec::new();
    seeded()
        .query(parse_query(&format!("{PREFIXES}{sparql}"), &InputLimits::DEFAULT).expect("a valid query"))
        .expect("a valid query")
        .write(ResultsFormat::Json, &mut output)
        .expect("serialisable results");
    let json: Value = serde_json::from_slice(&output).expect("SPARQL JSON");
    json["results"]["bindings"]
        .as_array()
        .expect("bindings")
        .iter()
        .map(|row| {
            row.as_object()
                .expect("a row")
                .iter()
                .map(|(k, v)| (k.clone(), v["value"].clone()))
                .collect()
        })
        .collect()
}

fn ask(sparql: &str) -> bool {
    let mut output = Vec::new();
    seeded()
        .query(parse_query(&format!("{PREFIXES}{sparql}"), &InputLimits::DEFAULT).expect("a valid query"))
        .expect("a valid query")
        .write(ResultsFormat::Json, &mut output)
        .expect("serialisable results");
    let json: Value = serde_json::from_slice(&output).expect("SPARQL JSON");
    json["boolean"].as_bool().expect("an ASK result")
}

fn count(sparql: &str) -> usize {
    let rows = select(sparql);
    rows[0]["n"].as_str().and_then(|n| n.parse().ok()).expect("a count")
}

#[test]
fn every_seed_quote_is_verbatim_in_its_source_text() {
    let rows = select(
        "SELECT ?holder ?file ?quote WHERE { GRAPH ?g { ?holder gg:evidence ?e . ?e gg:document ?doc ; gg:quote ?quote } ?doc gg:seedFile ?file }",
    );
    assert!(rows.len() > 300, "only {} quotes from seed documents", rows.len());
    let mut failures = Vec::new();
    for row in &rows {
        let file = row["file"].as_str().expect("a file name");
        let text = std::fs::read_to_string(project_file(&format!("seed/sources/{file}")))
            .unwrap_or_else(|e| panic!("seed/sources/{file}: {e}"));
        if let Err(fragment) = quote_in(row["quote"].as_str().expect("a quote"), &normalize(&text)) {
            failures.push(format!("{} cites {file}: not found: {fragment:?}", row["holder"]));
        }
    }
    assert!(
        failures.is_empty(),
        "{} quote(s) are not in their source:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn montevideo_inspires_onenet_which_co_organizes_sao_paulo() {
    // Inspiration is influence (indirect); co-organizing is direct.
    assert!(ask(
        "ASK { id:montevideo-statement-2013 gg:indirectlyRelatedTo id:onenet . id:onenet gg:directlyRelatedTo id:netmundial-2014 }"
    ));
    assert!(ask(
        "ASK { id:montevideo-statement-2013 gg:inspired id:onenet . id:onenet gg:coOrganizes id:netmundial-2014 }"
    ));
    assert!(ask(
        "ASK { id:montevideo-statement-2013 gg:relatedTo+ id:netmundial-2014 }"
    ));
    // The relation nodes behind the shortcuts cite the diagram, with quotes.
    let rows = select(
        "SELECT ?quote WHERE { ?r gg:source id:onenet ; gg:predicate gg:coOrganizes ; gg:target id:netmundial-2014 ; \
         gg:relationKind gg:Direct ; gg:evidence ?e . ?e gg:document id:icann-diagram-2014 ; gg:quote ?quote }",
    );
    assert!(rows.iter().any(|row| {
        row["quote"]
            .as_str()
            .is_some_and(|q| q.contains("partnership between CGI and 1Net"))
    }));
}

#[test]
fn the_seed_covers_the_research_notes() {
    let entities = count("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a gg:Entity }");
    let relations = count("SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a gg:Relation }");
    assert!(entities >= 150, "{entities} entities");
    assert!(relations >= 170, "{relations} relations");
    // The 18 boxes of the diagram, each with its openness.
    assert_eq!(
        count("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e gg:depictedIn id:icann-diagram-2014 ; gg:openness ?o }"),
        18
    );
    // Both kinds of relation, and every kind of evidence.
    for concept in ["Direct", "Indirect"] {
        assert!(
            count(&format!(
                "SELECT (COUNT(?r) AS ?n) WHERE {{ ?r gg:relationKind gg:{concept} }}"
            )) > 20
        );
    }
    for concept in ["SeedQuote", "PublicSourceQuote", "Inferred"] {
        assert!(
            count(&format!(
                "SELECT (COUNT(?r) AS ?n) WHERE {{ ?r gg:evidenceType gg:{concept} }}"
            )) > 5
        );
    }
    // Every inferred relation says why.
    assert_eq!(
        count(
            "SELECT (COUNT(?r) AS ?n) WHERE { ?r gg:evidenceType gg:Inferred FILTER NOT EXISTS { ?r gg:inferenceReason ?why } }"
        ),
        0
    );
}

#[test]
fn every_entity_with_a_date_note_has_a_date_or_a_date_status() {
    let rows = select(
        "PREFIX schema: <http://schema.org/> PREFIX dcterms: <http://purl.org/dc/terms/> \
         SELECT ?e WHERE { ?e a gg:Entity ; gg:dateNote ?note \
         FILTER NOT EXISTS { ?e schema:startDate|schema:endDate|dcterms:issued|gg:dateStatus ?any } } ORDER BY ?e",
    );
    let undated: Vec<&str> = rows.iter().filter_map(|row| row["e"].as_str()).collect();
    assert!(undated.is_empty(), "a date note but no date nor status: {undated:?}");
    assert!(
        count("SELECT (COUNT(?e) AS ?n) WHERE { ?e gg:dateNote ?note }") > 20,
        "the check saw notes"
    );
}

#[test]
fn the_five_source_documents_are_entities_that_provenance_points_at() {
    let rows = select("SELECT ?doc ?file WHERE { ?doc a gg:SeedDocument , gg:Document ; gg:seedFile ?file }");
    let mut files: Vec<&str> = rows.iter().filter_map(|row| row["file"].as_str()).collect();
    files.sort_unstable();
    let mut expected: Vec<String> = std::fs::read_dir(project_file("seed/sources"))
        .expect("seed/sources")
        .map(|entry| entry.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    expected.sort_unstable();
    assert_eq!(files, expected);
    for row in &rows {
        let doc = row["doc"].as_str().expect("an IRI");
        assert!(
            count(&format!("SELECT (COUNT(?x) AS ?n) WHERE {{ ?x gg:document <{doc}> }}")) >= 10,
            "{doc} is rarely cited"
        );
    }
}

#[test]
fn each_source_has_its_own_named_graph() {
    let rows = select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }");
    let graphs: Vec<&str> = rows.iter().filter_map(|row| row["g"].as_str()).collect();
    for name in [
        "ontology",
        "icann-diagram-2014",
        "wgigf-implementation-deck-2013",
        "igf-2020-progress-report",
        "mag-virtual-vi-2016-summary",
        "wsis10-c11-exec-summary",
        "public-sources",
        "meta",
    ] {
        let graph = format!("https://w3id.org/govgraph/graph/{name}");
        assert!(
            graphs.contains(&graph.as_str()),
            "missing graph {graph}; have {graphs:?}"
        );
    }
    assert_eq!(graphs.len(), 8, "unexpected graphs: {graphs:?}");
}
