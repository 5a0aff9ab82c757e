//! The W3C SPARQL Graph Store Protocol test cases (the rdf-tests `http-rdf-update` manifest's 22
//! requests), each written here as a test of ours: a write and the `GET` that checks it form one
//! test, named after both. Graphs come back equal to what was written up to blank-node names
//! (blank nodes are stored as Skolem IRIs, RDF 1.1 Concepts 3.5, and compared as blank nodes).

use crate::util::{HttpResponse, OxigraphServer, Server, Workspace, serve_backend};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{BlankNode, Graph, NamedOrBlankNode, Term, Triple};
use std::collections::HashMap;
use std::sync::OnceLock;

const TOKEN: &str = "s3cret-token";
const BEARER: &str = "Bearer s3cret-token";

/// One server for every case; each case writes graphs of its own.
fn server() -> &'static Server {
    static SERVER: OnceLock<(Workspace, Option<OxigraphServer>, Server)> = OnceLock::new();
    let (_, _, server) = SERVER.get_or_init(|| {
        let workspace = Workspace::new();
        let (store, server) = serve_backend(&workspace, None, &["--admin-token", TOKEN]);
        (workspace, store, server)
    });
    server
}

fn at(graph: &str) -> String {
    format!("/store?graph={}", crate::util::encode(graph))
}

fn write(method: &str, path: &str, content_type: &str, body: &str) -> HttpResponse {
    server().request(
        method,
        path,
        &[("content-type", content_type), ("authorization", BEARER)],
        Some(body),
    )
}

fn read(path: &str) -> HttpResponse {
    server().request("GET", path, &[("accept", "text/turtle")], None)
}

/// A Turtle document as a canonical graph, Skolem IRIs read as blank nodes.
fn graph(turtle: &str) -> Graph {
    let mut blanks = HashMap::new();
    let mut as_blank = |term: Term| -> Term {
        match term {
            Term::NamedNode(node) if node.as_str().contains("/.well-known/genid/") => blanks
                .entry(node.into_string())
                .or_insert_with(BlankNode::default)
                .clone()
                .into(),
            other => other,
        }
    };
    let mut graph = Graph::new();
    for triple in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle.as_bytes()) {
        let triple = Triple::from(triple.expect("valid Turtle"));
        let subject = match as_blank(triple.subject.into()) {
            Term::NamedNode(node) => NamedOrBlankNode::NamedNode(node),
            Term::BlankNode(node) => NamedOrBlankNode::BlankNode(node),
            other => panic!("a subject, not {other}"),
        };
        graph.insert(&Triple::new(subject, triple.predicate, as_blank(triple.object)));
    }
    graph.canonicalize(CanonicalizationAlgorithm::Unstable);
    graph
}

/// `GET path` is 200 in Turtle and holds exactly `expected`.
fn holds(path: &str, expected: &str) {
    let response = read(path);
    assert_eq!(response.status, 200, "{}", response.body);
    assert!(
        response.content_type.starts_with("text/turtle"),
        "{}",
        response.content_type
    );
    assert_eq!(graph(&response.body), graph(expected), "{}", response.body);
}

const PERSON: &str = r#"
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix v: <http://www.w3.org/2006/vcard/ns#> .
<https://example.org/person/1> a foaf:Person ;
    foaf:businessCard [ a v:VCard ; v:fn "John Doe" ] .
"#;

const RENAMED: &str = r#"
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix v: <http://www.w3.org/2006/vcard/ns#> .
<https://example.org/person/1> a foaf:Person ;
    foaf:businessCard [ a v:VCard ; v:fn "Jane Doe" ] .
"#;

const GIVEN_NAME: &str = r#"
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://example.org/person/1> foaf:givenName "Jane" .
"#;

const FAMILY_NAME: &str = r#"
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://example.org/person/1> foaf:familyName "Doe" .
"#;

#[test]
fn put_initial_state_and_get_of_it() {
    let path = at("https://example.org/gsp/initial-state");
    assert_eq!(write("PUT", &path, "text/turtle; charset=utf-8", PERSON).status, 201);
    holds(&path, PERSON);
}

#[test]
fn put_graph_already_in_store_and_get_of_it() {
    let path = at("https://example.org/gsp/already-in-store");
    assert_eq!(write("PUT", &path, "text/turtle", PERSON).status, 201);
    let replaced = write("PUT", &path, "text/turtle", RENAMED);
    assert_eq!(replaced.status, 204, "{}", replaced.body);
    holds(&path, RENAMED);
}

#[test]
fn put_default_graph_and_get_of_it() {
    // The only case on the default graph, which `?default` both writes and reads.
    let written = write("PUT", "/store?default", "text/turtle", PERSON);
    assert!(matches!(written.status, 201 | 204), "{}", written.body);
    holds("/store?default", PERSON);
}

#[test]
fn put_mismatched_payload() {
    let path = at("https://example.org/gsp/mismatched");
    let rdf_xml = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:foaf="http://xmlns.com/foaf/0.1/">
  <foaf:Person rdf:about="https://example.org/person/1"/>
</rdf:RDF>"#;
    assert_eq!(write("PUT", &path, "text/turtle", rdf_xml).status, 400);
    assert_eq!(read(&path).status, 404, "nothing was written");
}

#[test]
fn put_empty_graph_and_get_of_it() {
    let path = at("https://example.org/gsp/empty");
    assert_eq!(write("PUT", &path, "text/turtle", "").status, 201);
    holds(&path, "");
}

#[test]
fn delete_existing_graph_and_get_of_it() {
    let path = at("https://example.org/gsp/deleted");
    assert_eq!(write("PUT", &path, "text/turtle", PERSON).status, 201);
    let deleted = server().request("DELETE", &path, &[("authorization", BEARER)], None);
    assert_eq!(deleted.status, 204, "{}", deleted.body);
    assert_eq!(read(&path).status, 404);
}

#[test]
fn delete_non_existent_graph() {
    let path = at("https://example.org/gsp/never-written");
    let deleted = server().request("DELETE", &path, &[("authorization", BEARER)], None);
    assert_eq!(deleted.status, 404, "{}", deleted.body);
}

#[test]
fn post_existing_graph_and_get_of_it() {
    let path = at("https://example.org/gsp/posted");
    assert_eq!(write("PUT", &path, "text/turtle", PERSON).status, 201);
    assert_eq!(write("POST", &path, "text/turtle", GIVEN_NAME).status, 204);
    holds(&path, &format!("{PERSON}\n{GIVEN_NAME}"));
}

#[test]
fn post_multipart_form_data_and_get_of_it() {
    let path = at("https://example.org/gsp/multipart");
    assert_eq!(write("PUT", &path, "text/turtle", PERSON).status, 201);
    let boundary = "a6fe4cd636164618814be9f8d3d1a0de";
    // One part by its media type, one by its file name only.
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"first\"; filename=\"given.ttl\"\r\n\
         Content-Type: text/turtle; charset=utf-8\r\n\r\n{GIVEN_NAME}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"second\"; filename=\"family.ttl\"\r\n\r\n\
         {FAMILY_NAME}\r\n--{boundary}--\r\n"
    );
    let posted = write(
        "POST",
        &path,
        &format!("multipart/form-data; boundary={boundary}"),
        &body,
    );
    assert_eq!(posted.status, 204, "{}", posted.body);
    holds(&path, &format!("{PERSON}\n{GIVEN_NAME}\n{FAMILY_NAME}"));
    // A part in no format we read is refused whole.
    let unreadable = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"first\"\r\nContent-Type: text/turtle\r\n\r\n\
         {GIVEN_NAME}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"x\"; filename=\"x.csv\"\r\n\
         Content-Type: text/csv\r\n\r\na,b\r\n--{boundary}--\r\n"
    );
    let refused = write(
        "POST",
        &path,
        &format!("multipart/form-data; boundary={boundary}"),
        &unreadable,
    );
    assert_eq!(refused.status, 415, "{}", refused.body);
    holds(&path, &format!("{PERSON}\n{GIVEN_NAME}\n{FAMILY_NAME}"));
}

#[test]
fn post_create_new_graph_and_get_of_it() {
    let created = write("POST", "/store", "text/turtle", PERSON);
    assert_eq!(created.status, 201, "{}", created.body);
    let location = created.header("location").expect("a Location").to_owned();
    assert!(location.starts_with("/store?graph="), "{location}");
    holds(&location, PERSON);
    let another = write("POST", "/store", "text/turtle", PERSON);
    assert_ne!(
        another.header("location"),
        Some(location.as_str()),
        "each POST makes a new graph"
    );
}

#[test]
fn post_empty_graph_to_existing_graph_and_get_of_it_after_noop() {
    let created = write("POST", "/store", "text/turtle", RENAMED);
    let location = created.header("location").expect("a Location").to_owned();
    assert_eq!(write("POST", &location, "text/turtle", "").status, 204);
    holds(&location, RENAMED);
}

#[test]
fn head_on_an_existing_graph() {
    let path = at("https://example.org/gsp/head");
    assert_eq!(write("PUT", &path, "text/turtle", PERSON).status, 201);
    let head = server().request("HEAD", &path, &[("accept", "text/turtle")], None);
    assert_eq!(head.status, 200);
    assert!(head.content_type.starts_with("text/turtle"), "{}", head.content_type);
    assert!(head.body.is_empty());
}

#[test]
fn head_on_a_non_existing_graph() {
    let head = server().request("HEAD", &at("https://example.org/gsp/nothing"), &[], None);
    assert_eq!(head.status, 404);
}
