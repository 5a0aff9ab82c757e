//! The W3C SPARQL Protocol test cases, each a test of ours under the manifest's own name (the 48
//! of the rdf-tests `sparql12` protocol manifest: the SPARQL 1.1 cases, the 1.2 additions and
//! the revisions' two). The cases are written from the manifest's descriptions against data of
//! our own: three graphs, each typing one document. The score is in README.md's Development section
//! and in docs/linked-data.md's "Conformance".

use crate::util::{HttpResponse, OxigraphServer, Server, Workspace, encode, serve_backend};
use serde_json::Value;
use std::sync::OnceLock;

const TOKEN: &str = "s3cret-token";
const BEARER: &str = "Bearer s3cret-token";
const FOAF: &str = "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\n";

/// The data graph `n` (1 to 3), which types the document `doc{n}` as a `foaf:Document`.
fn data(n: u8) -> String {
    format!("https://example.org/protocol/data{n}")
}

fn doc(n: u8) -> String {
    format!("<https://example.org/protocol/doc{n}>")
}

/// One server on the seed for every case here, with the three data graphs put through the
/// Graph Store Protocol, as the suite's runner sets them up. Updates write graphs of their own.
fn server() -> &'static Server {
    static SERVER: OnceLock<(Workspace, Option<OxigraphServer>, Server)> = OnceLock::new();
    let (_, _, server) = SERVER.get_or_init(|| {
        let workspace = Workspace::new();
        let (store, server) = serve_backend(&workspace, None, &["--admin-token", TOKEN]);
        for n in 1..=3 {
            let triple = format!(
                "{} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://xmlns.com/foaf/0.1/Document> .",
                doc(n)
            );
            let put = server.request(
                "PUT",
                &format!("/store?graph={}", encode(&data(n))),
                &[("content-type", "application/n-triples"), ("authorization", BEARER)],
                Some(&triple),
            );
            assert_eq!(put.status, 201, "{}", put.body);
        }
        (workspace, store, server)
    });
    server
}

/// `name=value&...`, URL-encoded.
fn params(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

fn get(pairs: &[(&str, &str)]) -> HttpResponse {
    server().request("GET", &format!("/sparql?{}", params(pairs)), &[], None)
}

fn form(pairs: &[(&str, &str)]) -> HttpResponse {
    server().request(
        "POST",
        "/sparql",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("authorization", BEARER),
        ],
        Some(&params(pairs)),
    )
}

fn direct(content_type: &str, url: &[(&str, &str)], body: &str) -> HttpResponse {
    server().request(
        "POST",
        &format!("/sparql?{}", params(url)),
        &[("content-type", content_type), ("authorization", BEARER)],
        Some(body),
    )
}

fn success(response: &HttpResponse) {
    assert!(
        (200..400).contains(&response.status),
        "expected 2XX or 3XX, got {}: {}",
        response.status,
        response.body
    );
}

fn client_error(response: &HttpResponse) {
    assert!(
        (400..500).contains(&response.status),
        "expected 4XX, got {}: {}",
        response.status,
        response.body
    );
}

/// The answer of an ASK, from SPARQL JSON or SPARQL XML.
fn boolean(response: &HttpResponse) -> bool {
    success(response);
    if response.content_type.starts_with("application/sparql-results+xml") {
        let body = response.body.replace(char::is_whitespace, "");
        assert!(body.contains("<boolean>"), "{}", response.body);
        return body.contains("<boolean>true</boolean>");
    }
    let results: Value = serde_json::from_str(&response.body).expect("SPARQL JSON");
    results["boolean"].as_bool().expect("a boolean result")
}

/// The rows of a SELECT, each as `variable=value` pairs in variable order.
fn rows(response: &HttpResponse) -> Vec<String> {
    success(response);
    let results: Value = serde_json::from_str(&response.body).expect("SPARQL JSON");
    let variables: Vec<&str> = results["head"]["vars"]
        .as_array()
        .expect("variables")
        .iter()
        .map(|v| v.as_str().expect("a name"))
        .collect();
    let mut rows: Vec<String> = results["results"]["bindings"]
        .as_array()
        .expect("bindings")
        .iter()
        .map(|binding| {
            variables
                .iter()
                .map(|name| format!("{name}={}", binding[*name]["value"].as_str().unwrap_or("")))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    rows.sort();
    rows
}

fn media_type(response: &HttpResponse) -> String {
    response
        .content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

fn ask_both_documents() -> String {
    format!(
        "{FOAF}ASK {{ {} a foaf:Document . {} a foaf:Document }}",
        doc(1),
        doc(2)
    )
}

fn ask_both_in_named_graphs() -> String {
    format!(
        "{FOAF}ASK {{ GRAPH ?g1 {{ {} a foaf:Document }} GRAPH ?g2 {{ {} a foaf:Document }} }}",
        doc(1),
        doc(2)
    )
}

// Queries.

#[test]
fn query_get() {
    assert!(boolean(&get(&[("query", "ASK {}")])));
}

#[test]
fn query_post_form() {
    let response = form(&[("query", "ASK {}")]);
    assert!(boolean(&response));
    assert!(
        media_type(&response).starts_with("application/sparql-results+"),
        "{}",
        response.content_type
    );
}

#[test]
fn query_post_form_dataset() {
    let ask = format!("{FOAF}ASK {{ {} a foaf:Document }}", doc(1));
    assert!(boolean(&form(&[("query", &ask), ("default-graph-uri", &data(1))])));
    assert!(!boolean(&form(&[("query", &ask), ("default-graph-uri", &data(2))])));
}

#[test]
fn query_post_direct() {
    let ask = format!("{FOAF}ASK {{ {} a foaf:Document }}", doc(1));
    let response = direct("application/sparql-query", &[("default-graph-uri", &data(1))], &ask);
    assert!(boolean(&response));
    let elsewhere = direct("application/sparql-query", &[("default-graph-uri", &data(3))], &ask);
    assert!(!boolean(&elsewhere));
}

#[test]
fn query_get_with_version() {
    assert!(boolean(&get(&[("query", "ASK {}"), ("version", "1.2")])));
}

#[test]
fn query_post_direct_with_version_param() {
    assert!(boolean(&direct("application/sparql-query; version=1.2", &[], "ASK {}")));
}

#[test]
fn query_dataset_default_graph() {
    let ask = format!("{FOAF}ASK {{ {} a foaf:Document }}", doc(1));
    assert!(boolean(&get(&[("query", &ask), ("default-graph-uri", &data(1))])));
    assert!(!boolean(&get(&[("query", &ask), ("default-graph-uri", &data(2))])));
}

#[test]
fn query_dataset_default_graphs_get() {
    let both = [
        ("query", ask_both_documents()),
        ("default-graph-uri", data(1)),
        ("default-graph-uri", data(2)),
    ];
    let pairs: Vec<(&str, &str)> = both.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert!(boolean(&get(&pairs)), "the default graph is the merge of both");
    assert!(!boolean(&get(&pairs[..2])), "one of them alone is not enough");
}

#[test]
fn query_dataset_default_graphs_post() {
    let ask = ask_both_documents();
    let (one, two) = (data(1), data(2));
    assert!(boolean(&form(&[
        ("query", &ask),
        ("default-graph-uri", &one),
        ("default-graph-uri", &two)
    ])));
    assert!(!boolean(&form(&[("query", &ask), ("default-graph-uri", &two)])));
}

#[test]
fn query_dataset_named_graphs_get() {
    let ask = ask_both_in_named_graphs();
    let (one, two) = (data(1), data(2));
    assert!(boolean(&get(&[
        ("query", &ask),
        ("named-graph-uri", &one),
        ("named-graph-uri", &two)
    ])));
    assert!(!boolean(&get(&[("query", &ask), ("named-graph-uri", &one)])));
}

#[test]
fn query_dataset_named_graphs_post() {
    let ask = ask_both_in_named_graphs();
    let (one, two) = (data(1), data(2));
    assert!(boolean(&form(&[
        ("query", &ask),
        ("named-graph-uri", &one),
        ("named-graph-uri", &two)
    ])));
    assert!(!boolean(&form(&[("query", &ask), ("named-graph-uri", &two)])));
}

#[test]
fn query_dataset_full() {
    let select = format!("{FOAF}SELECT ?x ?g ?y WHERE {{ ?x a foaf:Document GRAPH ?g {{ ?y a foaf:Document }} }}");
    let (one, two, three) = (data(1), data(2), data(3));
    let response = get(&[
        ("query", &select),
        ("default-graph-uri", &three),
        ("named-graph-uri", &one),
        ("named-graph-uri", &two),
    ]);
    let x = "x=https://example.org/protocol/doc3";
    assert_eq!(
        rows(&response),
        [
            format!("{x} g={one} y=https://example.org/protocol/doc1"),
            format!("{x} g={two} y=https://example.org/protocol/doc2"),
        ]
    );
}

#[test]
fn query_multiple_dataset() {
    // The protocol's dataset wins over the query's own FROM.
    let ask = format!("{FOAF}ASK FROM <{}> {{ {} a foaf:Document }}", data(2), doc(1));
    assert!(boolean(&get(&[("query", &ask), ("default-graph-uri", &data(1))])));
    assert!(!boolean(&get(&[("query", &ask)])), "without it, the query's own FROM");
}

#[test]
fn query_content_type_select() {
    let response = get(&[("query", "SELECT (1 AS ?one) WHERE {}")]);
    success(&response);
    let results = [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ];
    assert!(
        results.contains(&media_type(&response).as_str()),
        "{}",
        response.content_type
    );
}

#[test]
fn query_content_type_ask() {
    let response = get(&[("query", "ASK {}")]);
    success(&response);
    let results = ["application/sparql-results+json", "application/sparql-results+xml"];
    assert!(
        results.contains(&media_type(&response).as_str()),
        "{}",
        response.content_type
    );
}

const RDF_TYPES: [&str; 5] = [
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "application/ld+json",
    "application/n-quads",
];

#[test]
fn query_content_type_describe() {
    let response = get(&[("query", &format!("DESCRIBE {}", doc(1)))]);
    success(&response);
    assert!(
        RDF_TYPES.contains(&media_type(&response).as_str()),
        "{}",
        response.content_type
    );
    assert!(response.body.contains("doc1"), "{}", response.body);
}

#[test]
fn query_content_type_construct() {
    let construct = format!("{FOAF}CONSTRUCT {{ ?d a foaf:Document }} WHERE {{ ?d a foaf:Document }}");
    let response = get(&[("query", &construct)]);
    success(&response);
    assert!(
        RDF_TYPES.contains(&media_type(&response).as_str()),
        "{}",
        response.content_type
    );
    assert!(response.body.contains("doc3"), "{}", response.body);
}

#[test]
fn query_content_negotiation_xml() {
    let accept = [("accept", "application/sparql-results+xml")];
    let response = server().request(
        "GET",
        &format!("/sparql?{}", params(&[("query", "ASK {}")])),
        &accept,
        None,
    );
    assert_eq!(media_type(&response), "application/sparql-results+xml");
    assert!(boolean(&response));
}

#[test]
fn query_content_negotiation_json() {
    let accept = [("accept", "application/sparql-results+json")];
    let response = server().request(
        "GET",
        &format!("/sparql?{}", params(&[("query", "ASK {}")])),
        &accept,
        None,
    );
    assert_eq!(media_type(&response), "application/sparql-results+json");
    assert!(boolean(&response));
}

#[test]
fn query_base_uri() {
    let graph = "https://example.org/protocol/query_base_uri";
    let insert = format!(
        "INSERT DATA {{ GRAPH <{graph}> {{ <http://example.org/s> <http://example.org/p> <http://example.org/o> }} }}"
    );
    success(&direct("application/sparql-update", &[], &insert));
    let ask = format!("BASE <http://example.org/> ASK {{ GRAPH <{graph}> {{ <s> <p> <o> }} }}");
    assert!(boolean(&get(&[("query", &ask)])));
}

// Updates: each writes a graph of its own, then reads it back.

/// The documents in `graph`, by a query.
fn documents_in(graph: &str) -> Vec<String> {
    let select = format!("{FOAF}SELECT ?d WHERE {{ GRAPH <{graph}> {{ ?d a foaf:Document }} }}");
    rows(&get(&[("query", &select)]))
}

fn insert_into(graph: &str) -> String {
    format!(
        "INSERT DATA {{ GRAPH <{graph}> {{ <https://example.org/protocol/written> a <http://xmlns.com/foaf/0.1/Document> }} }}"
    )
}

const WRITTEN: &str = "d=https://example.org/protocol/written";

#[test]
fn update_post_form() {
    let graph = "https://example.org/protocol/update_post_form";
    success(&form(&[("update", &insert_into(graph))]));
    assert_eq!(documents_in(graph), [WRITTEN]);
}

#[test]
fn update_post_direct() {
    let graph = "https://example.org/protocol/update_post_direct";
    success(&direct("application/sparql-update", &[], &insert_into(graph)));
    assert_eq!(documents_in(graph), [WRITTEN]);
}

#[test]
fn update_post_form_with_version() {
    let graph = "https://example.org/protocol/update_post_form_with_version";
    success(&form(&[("update", &insert_into(graph)), ("version", "1.2")]));
    assert_eq!(documents_in(graph), [WRITTEN]);
}

#[test]
fn update_post_direct_with_version_param() {
    let graph = "https://example.org/protocol/update_post_direct_with_version_param";
    success(&direct(
        "application/sparql-update; version=1.2",
        &[],
        &insert_into(graph),
    ));
    assert_eq!(documents_in(graph), [WRITTEN]);
}

#[test]
fn update_base_uri() {
    let graph = "https://example.org/protocol/update_base_uri";
    let insert =
        format!("INSERT DATA {{ GRAPH <{graph}> {{ <http://example.org/s> <http://example.org/p> <test> }} }}");
    success(&direct("application/sparql-update", &[], &insert));
    // The service resolved `<test>` against a base of its own: an absolute IRI, not "test".
    let select = format!("SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}");
    let stored = rows(&get(&[("query", &select)]));
    assert_eq!(stored.len(), 1);
    let object = stored[0].trim_start_matches("o=");
    assert!(object.ends_with("/test") && object.contains("://"), "{object}");
}

/// Copies the documents the update's dataset shows into `graph`.
fn copy_documents(graph: &str, pattern: &str, dataset: &[(&str, &str)]) {
    let update = format!("{FOAF}INSERT {{ GRAPH <{graph}> {{ ?d a foaf:Document }} }} WHERE {{ {pattern} }}");
    let mut pairs = vec![("update", update.as_str())];
    pairs.extend_from_slice(dataset);
    success(&form(&pairs));
}

fn docs(numbers: &[u8]) -> Vec<String> {
    numbers
        .iter()
        .map(|n| format!("d=https://example.org/protocol/doc{n}"))
        .collect()
}

#[test]
fn update_dataset_default_graph() {
    let graph = "https://example.org/protocol/update_dataset_default_graph";
    copy_documents(graph, "?d a foaf:Document", &[("using-graph-uri", &data(1))]);
    assert_eq!(documents_in(graph), docs(&[1]));
}

#[test]
fn update_dataset_default_graphs() {
    let graph = "https://example.org/protocol/update_dataset_default_graphs";
    let (one, two) = (data(1), data(2));
    copy_documents(
        graph,
        "?d a foaf:Document",
        &[("using-graph-uri", &one), ("using-graph-uri", &two)],
    );
    assert_eq!(documents_in(graph), docs(&[1, 2]));
}

#[test]
fn update_dataset_named_graphs() {
    let graph = "https://example.org/protocol/update_dataset_named_graphs";
    let (one, two) = (data(1), data(2));
    copy_documents(
        graph,
        "GRAPH ?g { ?d a foaf:Document }",
        &[("using-named-graph-uri", &one), ("using-named-graph-uri", &two)],
    );
    assert_eq!(documents_in(graph), docs(&[1, 2]));
}

#[test]
fn update_dataset_full() {
    let graph = "https://example.org/protocol/update_dataset_full";
    let (one, two, three) = (data(1), data(2), data(3));
    // Named graphs 1 and 2, read only while the default graph (3) has a document.
    copy_documents(
        graph,
        "?x a foaf:Document GRAPH ?g { ?d a foaf:Document }",
        &[
            ("using-graph-uri", &three),
            ("using-named-graph-uri", &one),
            ("using-named-graph-uri", &two),
        ],
    );
    assert_eq!(documents_in(graph), docs(&[1, 2]));
}

// Requests the protocol forbids: each is a 4XX, and none changes anything.

fn untouched(graph: &str) {
    assert!(documents_in(graph).is_empty(), "{graph} was written");
}

#[test]
fn bad_query_method() {
    let response = server().request("PUT", &format!("/sparql?{}", params(&[("query", "ASK {}")])), &[], None);
    client_error(&response);
}

#[test]
fn bad_multiple_queries() {
    client_error(&get(&[("query", "ASK {}"), ("query", "SELECT * {}")]));
}

#[test]
fn bad_multiple_queries_form() {
    client_error(&form(&[("query", "ASK {}"), ("query", "SELECT * {}")]));
}

#[test]
fn bad_query_wrong_media_type() {
    client_error(&direct("text/plain", &[], "ASK {}"));
}

#[test]
fn bad_query_missing_form_type() {
    let response = server().request("POST", "/sparql", &[], Some(&params(&[("query", "ASK {}")])));
    client_error(&response);
}

#[test]
fn bad_query_missing_direct_type() {
    client_error(&server().request("POST", "/sparql", &[], Some("ASK {}")));
}

#[test]
fn bad_query_non_utf8() {
    // The same text in UTF-16, announced as such: only UTF-8 is valid.
    let utf16: Vec<u8> = "ASK {}".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let response = crate::util::raw_request(
        server(),
        "POST",
        "/sparql",
        &[("content-type", "application/sparql-query; charset=UTF-16LE")],
        Some(&utf16),
    )
    .expect("an answer");
    assert!((400..500).contains(&response.0), "{response:?}");
}

#[test]
fn bad_query_syntax() {
    client_error(&get(&[("query", "ASK {XXXXXX")]));
}

#[test]
fn bad_query_multiple_versions() {
    client_error(&get(&[("query", "ASK {}"), ("version", "1.2"), ("version", "1.1")]));
}

#[test]
fn bad_query_get_with_body() {
    let response = server().request(
        "GET",
        &format!("/sparql?{}", params(&[("query", "ASK {}")])),
        &[("content-type", "application/sparql-query")],
        Some("ASK {}"),
    );
    client_error(&response);
}

#[test]
fn bad_update_get() {
    let graph = "https://example.org/protocol/bad_update_get";
    let response = server().request(
        "GET",
        &format!("/sparql?{}", params(&[("update", &insert_into(graph))])),
        &[("authorization", BEARER)],
        None,
    );
    client_error(&response);
    untouched(graph);
}

#[test]
fn bad_multiple_updates() {
    let (first, second) = (
        "https://example.org/protocol/bad_multiple_updates/1",
        "https://example.org/protocol/bad_multiple_updates/2",
    );
    client_error(&form(&[
        ("update", &insert_into(first)),
        ("update", &insert_into(second)),
    ]));
    untouched(first);
    untouched(second);
}

#[test]
fn bad_update_wrong_media_type() {
    let graph = "https://example.org/protocol/bad_update_wrong_media_type";
    let response = server().request(
        "POST",
        "/sparql/update",
        &[("content-type", "text/plain"), ("authorization", BEARER)],
        Some(&insert_into(graph)),
    );
    client_error(&response);
    untouched(graph);
}

#[test]
fn bad_update_missing_form_type() {
    let graph = "https://example.org/protocol/bad_update_missing_form_type";
    let body = params(&[("update", &insert_into(graph))]);
    let response = server().request("POST", "/sparql/update", &[("authorization", BEARER)], Some(&body));
    client_error(&response);
    untouched(graph);
}

#[test]
fn bad_update_non_utf8() {
    let graph = "https://example.org/protocol/bad_update_non_utf8";
    let utf16: Vec<u8> = insert_into(graph).encode_utf16().flat_map(u16::to_le_bytes).collect();
    let response = crate::util::raw_request(
        server(),
        "POST",
        "/sparql/update",
        &[
            ("content-type", "application/sparql-update; charset=UTF-16LE"),
            ("authorization", BEARER),
        ],
        Some(&utf16),
    )
    .expect("an answer");
    assert!((400..500).contains(&response.0), "{response:?}");
    untouched(graph);
}

#[test]
fn bad_update_syntax() {
    client_error(&form(&[("update", "CLEAR XYZ")]));
}

#[test]
fn bad_update_dataset_conflict() {
    let graph = "https://example.org/protocol/bad_update_dataset_conflict";
    let update = format!(
        "{FOAF}INSERT {{ GRAPH <{graph}> {{ ?d a foaf:Document }} }} USING <{}> WHERE {{ ?d a foaf:Document }}",
        data(1)
    );
    client_error(&form(&[("update", &update), ("using-graph-uri", &data(2))]));
    untouched(graph);
}

#[test]
fn bad_update_form_body_missing() {
    let graph = "https://example.org/protocol/bad_update_form_body_missing";
    let response = server().request(
        "POST",
        &format!("/sparql?{}", params(&[("update", &insert_into(graph))])),
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("authorization", BEARER),
        ],
        None,
    );
    client_error(&response);
    untouched(graph);
}

#[test]
fn bad_update_multiple_versions() {
    let graph = "https://example.org/protocol/bad_update_multiple_versions";
    client_error(&form(&[
        ("update", &insert_into(graph)),
        ("version", "1.2"),
        ("version", "1.1"),
    ]));
    untouched(graph);
}
