//! Every IRI govgraph mints dereferences, and the dataset describes itself: relations, the
//! vocabulary, graphs, Skolem IRIs and the dataset by content negotiation; the SPARQL Service
//! Description; VoID; the JSON-LD context; the pages browsers get. Requests as an outside client
//! makes them, answers read by outside parsers (rdflib, pyld) where it matters.

use crate::util::{HttpResponse, Server, Workspace, encode, raw_request, seed, seed_server};
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfParser};
use serde_json::{Value, json};
use std::process::Command;

const TOKEN: &str = "deref-token";
const RELATION: &str = "/rel/onenet--coOrganizes--netmundial-2014";
const W3ID: &str = "https://w3id.org/govgraph";

/// The subjects and objects (as N-Triples terms) of an RDF answer, which must parse.
fn terms(response: &HttpResponse, format: RdfFormat) -> Vec<String> {
    RdfParser::from_format(format)
        .for_slice(response.body.as_bytes())
        .flat_map(|quad| {
            let quad = quad.unwrap_or_else(|error| panic!("{error}\n{}", response.body));
            [quad.subject.to_string(), quad.object.to_string()]
        })
        .collect()
}

fn get(server: &Server, path: &str, accept: &str) -> HttpResponse {
    server.request("GET", path, &[("accept", accept)], None)
}

/// The first value of a SPARQL JSON result.
fn first_value(server: &Server, query: &str) -> String {
    let response = get(server, &format!("/sparql?query={}", encode(query)), "application/json");
    assert_eq!(response.status, 200, "{}", response.body);
    let results: Value = serde_json::from_str(&response.body).unwrap();
    let binding = &results["results"]["bindings"][0];
    binding.as_object().and_then(|b| b.values().next()).unwrap()["value"]
        .as_str()
        .unwrap_or_else(|| panic!("{results}"))
        .to_owned()
}

/// Runs a Python script (rdflib, pyld) with files; returns what it prints as JSON.
fn python(script: &str, files: &[(&str, &str)]) -> Value {
    let workspace = Workspace::new();
    let paths: Vec<String> = files
        .iter()
        .map(|(name, contents)| workspace.write(name, contents))
        .collect();
    let output = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(&paths)
        .output()
        .expect("python3 runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON from the script")
}

#[test]
fn every_minted_iri_dereferences_by_content_negotiation() {
    let server = seed();
    let evidence = first_value(server, "SELECT ?e WHERE { id:onenet gg:evidence ?e } LIMIT 1");
    let skolem = evidence
        .strip_prefix(W3ID)
        .unwrap_or_else(|| panic!("a Skolem IRI: {evidence}"))
        .to_owned();
    assert!(skolem.starts_with("/.well-known/genid/"), "{skolem}");
    let cases = [
        (RELATION, format!("{W3ID}/rel/onenet--coOrganizes--netmundial-2014")),
        ("/ns", format!("{W3ID}/ns")),
        ("/graph/icann-diagram-2014", format!("{W3ID}/graph/icann-diagram-2014")),
        ("/graph/meta", format!("{W3ID}/graph/meta")),
        (skolem.as_str(), evidence.clone()),
        ("/dataset", format!("{W3ID}/dataset")),
        ("/.well-known/void", format!("{W3ID}/dataset")),
        ("/id/onenet", format!("{W3ID}/id/onenet")),
    ];
    for (path, iri) in &cases {
        let turtle = server.request("GET", path, &[], None);
        assert_eq!(turtle.status, 200, "{path}: {}", turtle.body);
        assert!(turtle.content_type.starts_with("text/turtle"), "{path}");
        // RFC 8574: a resource's page says to cite its IRI, not the address it was read at.
        let links: Vec<&str> = turtle
            .headers
            .iter()
            .filter(|(name, _)| name.eq_ignore_ascii_case("link"))
            .map(|(_, value)| value.as_str())
            .collect();
        let cite_as = format!("<{iri}>; rel=\"cite-as\"");
        let resource = !matches!(*path, "/dataset" | "/.well-known/void");
        assert_eq!(
            links.iter().any(|link| link.contains(&cite_as)),
            resource,
            "{path}: {links:?}"
        );
        let named = terms(&turtle, RdfFormat::Turtle);
        assert!(
            named.contains(&format!("<{iri}>")),
            "{path} describes {iri}:\n{}",
            turtle.body
        );
        for (accept, format) in [
            (
                "application/ld+json",
                RdfFormat::JsonLd {
                    profile: JsonLdProfileSet::empty(),
                },
            ),
            ("application/n-triples", RdfFormat::NTriples),
            ("application/rdf+xml", RdfFormat::RdfXml),
        ] {
            let response = get(server, path, accept);
            assert_eq!(response.status, 200, "{path} {accept}");
            assert!(response.content_type.starts_with(accept), "{path} {accept}");
            assert_eq!(terms(&response, format).len(), named.len(), "{path} {accept}");
        }
        let page = get(server, path, "text/html,application/xhtml+xml,*/*;q=0.8");
        assert!(page.content_type.starts_with("text/html"), "{path}");
        assert!(page.body.contains("<script type=\"application/ld+json\">"), "{path}");
        assert_eq!(
            get(server, &format!("{path}?format=ntriples"), "text/html").content_type,
            "application/n-triples; charset=utf-8"
        );
        // HEAD, validators and revalidation, as for every answer that depends on the dataset.
        let head = server.request("HEAD", path, &[], None);
        assert_eq!(head.status, 200, "{path}");
        let tag = head
            .header("etag")
            .unwrap_or_else(|| panic!("{path} has an ETag"))
            .to_owned();
        let again = server.request("GET", path, &[("if-none-match", &tag)], None);
        assert_eq!(again.status, 304, "{path}");
        assert_eq!(get(server, path, "image/png").status, 406, "{path}");
    }

    // What a relation's description holds: its statements, its evidence, its ends' labels.
    let relation = get(server, RELATION, "application/n-triples").body;
    for expected in [
        "<https://w3id.org/govgraph/ns#source> <https://w3id.org/govgraph/id/onenet>",
        "<https://w3id.org/govgraph/ns#quote>",
        "<http://www.w3.org/2000/01/rdf-schema#label> \"/1net\"",
    ] {
        assert!(relation.contains(expected), "{expected}\n{relation}");
    }
    // The vocabulary declares the prefixes every query may use undeclared.
    let vocabulary = get(server, "/ns", "application/n-triples").body;
    assert!(
        vocabulary.contains("<http://www.w3.org/ns/shacl#prefix> \"id\""),
        "{vocabulary}"
    );
    assert!(vocabulary.contains("<https://w3id.org/govgraph/ns#coOrganizes>"));
    // A graph is described (its size, where to get it), its statements left to the Graph Store.
    let graph = get(server, "/graph/icann-diagram-2014", "application/n-triples").body;
    assert!(graph.contains("<http://rdfs.org/ns/void#triples>"), "{graph}");
    assert!(
        graph.contains("/store?graph=https%3A%2F%2Fw3id.org%2Fgovgraph%2Fgraph%2Ficann-diagram-2014>"),
        "{graph}"
    );

    for missing in [
        "/rel/no--such--relation",
        "/graph/no-such-graph",
        "/.well-known/genid/no-such-node",
        "/change/999999",
        "/import/nothing.csv",
        "/id/no-such-entity",
    ] {
        let response = server.request("GET", missing, &[], None);
        assert_eq!(response.status, 404, "{missing}");
        let error: Value = serde_json::from_str(&response.body).unwrap();
        assert_eq!(error["error"]["code"], json!("NOT_FOUND"), "{missing}: {error}");
    }
}

#[test]
fn hostile_paths_are_refused_without_a_crash() {
    let server = seed();
    let long = "x".repeat(20_000);
    let paths = [
        "/rel/..%2F..%2Fetc%2Fpasswd".to_owned(),
        "/graph/../../etc/passwd".to_owned(),
        "/rel/../id/onenet".to_owned(),
        "/graph/%FF%FE%00".to_owned(),
        "/rel/%ZZ".to_owned(),
        "/id/%00".to_owned(),
        "/.well-known/genid/%3Cscript%3E".to_owned(),
        "/import/%2e%2e%2f".to_owned(),
        "/change/-1".to_owned(),
        "/rel/a%20b{}|\\^`".to_owned(),
        format!("/rel/{long}"),
        format!("/graph/{}", "a/".repeat(3000)),
    ];
    for path in &paths {
        let (status, body) = raw_request(server, "GET", path, &[("Accept", "text/turtle")], None)
            .unwrap_or_else(|| panic!("an answer to {path}"));
        assert!([400, 404, 414, 431].contains(&status), "{path}: {status} {body}");
    }
    // A percent-encoding an IRI does not need names the same resource.
    assert_eq!(server.request("GET", "/id/one%6Eet", &[], None).status, 200);
    assert_eq!(server.get("/healthz").0, 200, "the server carries on");
}

#[test]
fn the_service_description_and_void_describe_the_dataset() {
    let with_token = seed_server(&["--admin-token", TOKEN]);
    for (server, updates) in [(seed(), false), (&*with_token, true)] {
        let description = get(server, "/sparql", "text/turtle");
        assert_eq!(description.status, 200, "{}", description.body);
        assert!(description.content_type.starts_with("text/turtle"));
        let void = get(server, "/.well-known/void", "text/turtle");
        assert_eq!(void.status, 200);
        let checked = python(
            r##"
import json, sys, rdflib
from rdflib.namespace import Namespace, RDF, DCTERMS
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
SH = Namespace("http://www.w3.org/ns/shacl#")
sd = rdflib.Graph().parse(sys.argv[1], format="turtle")
void = rdflib.Graph().parse(sys.argv[2], format="turtle")
service = next(sd.subjects(RDF.type, SD.Service))
dataset = rdflib.URIRef("https://w3id.org/govgraph/dataset")
prefixes = {str(sd.value(d, SH.prefix)): str(sd.value(d, SH.namespace)) for d in sd.objects(service, SH.declare)}
print(json.dumps({
  "endpoint": str(sd.value(service, SD.endpoint)),
  "languages": sorted(str(l).rsplit("#", 1)[1] for l in sd.objects(service, SD.supportedLanguage)),
  "features": sorted(str(f).rsplit("#", 1)[1] for f in sd.objects(service, SD.feature)),
  "formats": len(list(sd.objects(service, SD.resultFormat))),
  "default": str(sd.value(service, SD.defaultDataset)),
  "prefixes": prefixes,
  "license": str(void.value(dataset, DCTERMS.license)),
  "title": str(void.value(dataset, DCTERMS.title)),
  "triples": int(void.value(dataset, VOID.triples).toPython()),
  "entities": int(void.value(dataset, VOID.entities).toPython()),
  "endpoint_in_void": str(void.value(dataset, VOID.sparqlEndpoint)),
  "dumps": sorted(str(d) for d in void.objects(dataset, VOID.dataDump)),
  "examples": sorted(str(e) for e in void.objects(dataset, VOID.exampleResource)),
  "uri_space": str(void.value(dataset, VOID.uriSpace)),
  "classes": len(list(void.objects(dataset, VOID.classPartition))),
  "vocabularies": len(list(void.objects(dataset, VOID.vocabulary))),
}))
"##,
            &[("sd.ttl", &description.body), ("void.ttl", &void.body)],
        );
        let endpoint = format!("{}/sparql", server.base);
        assert_eq!(checked["endpoint"], json!(endpoint), "{checked}");
        let languages = if updates {
            json!(["SPARQL11Query", "SPARQL11Update"])
        } else {
            json!(["SPARQL11Query"])
        };
        assert_eq!(checked["languages"], languages, "{checked}");
        assert_eq!(checked["features"], json!(["UnionDefaultGraph"]));
        assert_eq!(checked["formats"], json!(8));
        assert_eq!(checked["default"], json!(format!("{W3ID}/dataset")));
        assert_eq!(checked["prefixes"]["id"], json!(format!("{W3ID}/id/")), "{checked}");
        assert_eq!(checked["prefixes"]["gg"], json!(format!("{W3ID}/ns#")));
        assert_eq!(
            checked["license"],
            json!("https://creativecommons.org/licenses/by-nc-sa/4.0/")
        );
        assert!(checked["title"].as_str().unwrap().starts_with("govgraph"));
        assert!(checked["triples"].as_i64().unwrap() > 1000, "{checked}");
        assert!(checked["entities"].as_i64().unwrap() > 50, "{checked}");
        assert_eq!(checked["endpoint_in_void"], json!(endpoint));
        assert!(
            checked["dumps"]
                .as_array()
                .unwrap()
                .contains(&json!(format!("{}/export?format=turtle", server.base))),
            "{checked}"
        );
        assert!(checked["examples"].as_array().unwrap().len() >= 3, "{checked}");
        assert_eq!(checked["uri_space"], json!(format!("{W3ID}/")));
        assert!(checked["classes"].as_i64().unwrap() > 5);
        assert!(checked["vocabularies"].as_i64().unwrap() > 3);
    }
    let server = seed();
    // The static description is data: SPARQL reads the licence.
    assert_eq!(
        first_value(
            server,
            "SELECT ?licence WHERE { <https://w3id.org/govgraph/dataset> dcterms:license ?licence }"
        ),
        "https://creativecommons.org/licenses/by-nc-sa/4.0/"
    );
    // A browser gets a page; a client that wants only query results was missing its query.
    let page = get(server, "/sparql", "text/html,*/*;q=0.8");
    assert!(page.content_type.starts_with("text/html") && page.body.contains("SPARQL endpoint"));
    assert_eq!(get(server, "/sparql", "application/sparql-results+json").status, 400);
    let head = server.request("HEAD", "/.well-known/void", &[], None);
    let tag = head.header("etag").unwrap().to_owned();
    assert_eq!(
        server
            .request("GET", "/.well-known/void", &[("if-none-match", &tag)], None)
            .status,
        304
    );
}

#[test]
fn json_ld_round_trips_through_pyld_and_its_context_has_a_stable_address() {
    let server = seed();
    let context = get(server, "/ns/context.jsonld", "application/ld+json");
    assert_eq!(context.status, 200);
    let context_json: Value = serde_json::from_str(&context.body).unwrap();
    for term in [
        "startDate",
        "confidence",
        "dateStatus",
        "quote",
        "evidenceType",
        "coOrganizes",
        "precedes",
    ] {
        assert!(!context_json["@context"][term].is_null(), "{term}: {context_json}");
    }
    let evidence = first_value(server, "SELECT ?e WHERE { id:onenet gg:evidence ?e } LIMIT 1");
    let skolem = evidence.strip_prefix(W3ID).unwrap().to_owned();
    for path in ["/id/onenet", RELATION, skolem.as_str(), "/.well-known/void"] {
        let jsonld = get(server, path, "application/ld+json");
        assert!(
            !jsonld.body.contains("\"../"),
            "{path}: ids are absolute or simple: {}",
            jsonld.body
        );
        let link = jsonld.header("link").unwrap_or_default();
        assert!(
            link.contains("/ns/context.jsonld>") && link.contains("http://www.w3.org/ns/json-ld#context"),
            "{path}: {link}"
        );
        let turtle = get(server, path, "text/turtle");
        let checked = python(
            r##"
import json, sys, rdflib
from pyld import jsonld
document = json.load(open(sys.argv[1]))
context = json.load(open(sys.argv[3]))
turtle = rdflib.Graph().parse(sys.argv[2], format="turtle")
def graph(doc):
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    return rdflib.Graph().parse(data=nquads, format="nt")
from rdflib.compare import isomorphic
expanded = jsonld.expand(document)
# The served context, with the @base that a remote context cannot carry (JSON-LD 1.1 §4.1.3).
inline = dict(context["@context"]); inline["@base"] = document["@context"]["@base"]
compacted = jsonld.compact(expanded, {"@context": inline})
print(json.dumps({
  "direct": isomorphic(graph(document), turtle),
  "round_trip": isomorphic(graph(compacted), turtle),
  "size": len(turtle),
}))
"##,
            &[
                ("doc.jsonld", &jsonld.body),
                ("doc.ttl", &turtle.body),
                ("context.jsonld", &context.body),
            ],
        );
        assert_eq!(checked["direct"], json!(true), "{path}: {checked}");
        assert_eq!(checked["round_trip"], json!(true), "{path}: {checked}");
        assert!(checked["size"].as_i64().unwrap() > 3, "{path}: {checked}");
    }
}

/// The JSON-LD a page embeds, parsed.
fn embedded(page: &str) -> Value {
    let start = page
        .find("<script type=\"application/ld+json\">")
        .expect("embedded JSON-LD");
    let rest = &page[start..];
    let body = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
    serde_json::from_str(body).unwrap_or_else(|error| panic!("{error}: {body}"))
}

#[test]
fn pages_link_their_iri_and_sources_and_embed_their_json_ld_safely() {
    let server = seed_server(&["--admin-token", TOKEN]);
    let page = get(&server, "/id/onenet", "text/html").body;
    assert!(
        page.contains("class=\"iri\" href=\"https://w3id.org/govgraph/id/onenet\""),
        "{page}"
    );
    assert!(
        page.contains("href=\"/id/icann-diagram-2014\""),
        "a seed source links to its document: {page}"
    );
    assert!(
        page.contains(&format!("href=\"{RELATION}\"")),
        "relations link to their pages"
    );
    assert!(
        embedded(&page)["@graph"]
            .as_array()
            .unwrap()
            .iter()
            .any(|node| node["@id"] == "onenet")
    );

    let relation = get(&server, RELATION, "text/html").body;
    for expected in [
        "href=\"/id/onenet\"",
        "href=\"/id/netmundial-2014\"",
        "href=\"/id/icann-diagram-2014\"",
        "<blockquote>",
    ] {
        assert!(relation.contains(expected), "{expected}\n{relation}");
    }
    assert!(!embedded(&relation)["@graph"].as_array().unwrap().is_empty());

    // Data that tries to close the script element stays inside it.
    let hostile = "</script><script>alert(1)</script><!--";
    let mutation = json!({
        "query": "mutation($label: String!) { createEntity(input: { id: \"hostile-label\", label: $label, kind: ORGANIZATION, \
                  sources: [{ document: \"https://example.org/\", quote: $label }] }) { id } }",
        "variables": { "label": hostile },
    });
    let authorization = format!("Bearer {TOKEN}");
    let created = server.request(
        "POST",
        "/graphql",
        &[("content-type", "application/json"), ("authorization", &authorization)],
        Some(&mutation.to_string()),
    );
    assert!(created.body.contains("hostile-label"), "{}", created.body);
    let page = get(&server, "/id/hostile-label", "text/html").body;
    assert_eq!(page.matches("</script>").count(), 1, "{page}");
    assert!(!page.contains("<script>alert"), "{page}");
    let label = embedded(&page)["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .find(|node| node["@id"] == "hostile-label")
        .map(|node| node["label"].clone());
    assert_eq!(label, Some(json!(hostile)));
}

#[test]
fn with_a_configured_base_relations_and_the_vocabulary_dereference_at_their_iris() {
    let port = crate::util::free_port();
    let base = format!("http://127.0.0.1:{port}/");
    let server = Server::start(&["--memory", "--bind", &format!("127.0.0.1:{port}"), "--base-iri", &base]);
    let relation = format!("{base}rel/onenet--coOrganizes--netmundial-2014");
    let response = ureq::get(&relation)
        .header("accept", "application/n-triples")
        .call()
        .expect("the relation IRI dereferences");
    let body = response.into_body().read_to_string().unwrap();
    assert!(
        body.contains(&format!(
            "<{relation}> <https://w3id.org/govgraph/ns#source> <{base}id/onenet>"
        )),
        "{body}"
    );
    // The vocabulary and the graphs keep their w3id IRIs and are served at the same paths.
    let vocabulary = get(&server, "/ns", "application/n-triples").body;
    assert!(
        vocabulary.contains(&format!("\"{base}id/\"^^")),
        "the prefixes follow the base: {vocabulary}"
    );
    assert_eq!(get(&server, "/graph/icann-diagram-2014", "text/turtle").status, 200);
    let void = get(&server, "/.well-known/void", "application/n-triples").body;
    assert!(
        void.contains(&format!("<http://rdfs.org/ns/void#uriSpace> \"{base}\"")),
        "{void}"
    );
    assert!(
        void.contains(&format!("<http://rdfs.org/ns/void#exampleResource> <{base}id/onenet>")),
        "{void}"
    );
    let jsonld = get(&server, RELATION, "application/ld+json").body;
    assert!(!jsonld.contains("\"../"), "{jsonld}");
    server.stop();
}
