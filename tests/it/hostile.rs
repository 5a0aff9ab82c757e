//! Hostile input, as an attacker would send it: texts nested 1 000, 10 000 and 100 000 levels
//! deep, chains of operators, entities that expand without end. Every endpoint that parses gets
//! them (SPARQL queries by GET, form POST and direct POST; updates by each way of sending them;
//! the Graph Store in each RDF format; GraphQL documents and variables), and so does `load`.
//! Each is refused with a 4xx naming the limit (or `FILE:LINE:COLUMN` and a non-zero exit), or
//! answered when it is within the limits; after each one the server still answers `/healthz`
//! and the store holds the same quads.

use crate::util::{Server, Workspace, govgraph, raw_request};
use serde_json::{Value, json};

const TOKEN: &str = "hostile-test-token";
const LEVELS: [usize; 3] = [1_000, 10_000, 100_000];

fn repeat(text: &str, times: usize) -> String {
    text.repeat(times)
}

/// SPARQL queries nested `n` levels deep, one per construct that nests.
fn nested_queries(n: usize) -> Vec<(&'static str, String)> {
    vec![
        (
            "groups",
            format!("SELECT * WHERE {{ {}?s ?p ?o{} }}", repeat("{ ", n), repeat(" }", n)),
        ),
        (
            "optional",
            format!(
                "SELECT * WHERE {{ ?s ?p ?o {} {} }}",
                repeat("OPTIONAL { ?s ?p ?o ", n),
                repeat("} ", n)
            ),
        ),
        (
            "parentheses",
            format!("ASK {{ FILTER({}1{}) }}", repeat("(", n), repeat(")", n)),
        ),
        (
            "path",
            format!("ASK {{ ?s {}gg:p{} ?o }}", repeat("(", n), repeat(")", n)),
        ),
        (
            "blank nodes",
            format!("ASK {{ ?s ?p {}?o{} }}", repeat("[ ?p ", n), repeat(" ]", n)),
        ),
        (
            "collections",
            format!("ASK {{ ?s ?p {}1{} }}", repeat("( ", n), repeat(" )", n)),
        ),
        (
            "sub-queries",
            format!(
                "SELECT * WHERE {{ {}?s ?p ?o{} }}",
                repeat("{ SELECT * WHERE { ", n),
                repeat(" } }", n)
            ),
        ),
        (
            "calls",
            format!("ASK {{ FILTER({}1{}) }}", repeat("STR(", n), repeat(")", n)),
        ),
        (
            "exists",
            format!(
                "ASK {{ FILTER({}1{}) }}",
                repeat("EXISTS { FILTER(", n),
                repeat(") }", n)
            ),
        ),
    ]
}

/// Chains that nest the parser or the algebra without brackets; `n` links each. Their patterns
/// match nothing, so that a chain within the limits is answered quickly.
fn chained_queries(n: usize) -> Vec<(&'static str, String)> {
    vec![
        ("negations", format!("ASK {{ FILTER({}true) }}", repeat("!", n))),
        (
            "or",
            format!("ASK {{ ?s <urn:x:none> ?o FILTER(?o{}) }}", repeat(" || ?o", n)),
        ),
        (
            "union",
            format!(
                "ASK {{ {{ ?s <urn:x:none> ?o }}{} }}",
                repeat(" UNION { ?s <urn:x:none> ?o }", n)
            ),
        ),
        (
            "path sequence",
            format!("ASK {{ ?s <urn:x:none>{} ?o }}", repeat("/<urn:x:none>", n)),
        ),
        (
            "triple patterns",
            format!("ASK {{ {} }}", repeat("?s <urn:x:none> ?o . ", n)),
        ),
        ("binds", {
            let binds: String = (0..n).map(|i| format!("BIND({i} AS ?v{i}) ")).collect();
            format!("ASK {{ ?s <urn:x:none> ?o {binds} }}")
        }),
    ]
}

/// SPARQL updates nested `n` levels deep.
fn nested_updates(n: usize) -> Vec<(&'static str, String)> {
    vec![
        (
            "blank nodes",
            format!(
                "INSERT DATA {{ gg:a gg:p {}1{} }}",
                repeat("[ gg:p ", n),
                repeat(" ]", n)
            ),
        ),
        (
            "collections",
            format!("INSERT DATA {{ gg:a gg:p {}1{} }}", repeat("( ", n), repeat(" )", n)),
        ),
        (
            "groups",
            format!(
                "INSERT {{ gg:a gg:p 1 }} WHERE {{ {}?s ?p ?o{} }}",
                repeat("{ ", n),
                repeat(" }", n)
            ),
        ),
        (
            "negations",
            format!("INSERT {{ gg:a gg:p 1 }} WHERE {{ FILTER({}false) }}", repeat("!", n)),
        ),
    ]
}

/// RDF documents nested `n` levels deep: (what, media type, file extension, text).
fn nested_documents(n: usize) -> Vec<(&'static str, &'static str, &'static str, String)> {
    let xml = |inner: String| {
        format!(
            "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:e=\"https://example.org/\">{inner}</rdf:RDF>"
        )
    };
    vec![
        (
            "Turtle blank nodes",
            "text/turtle",
            "ttl",
            format!(
                "<https://example.org/a> <https://example.org/p> {}1{} .",
                repeat("[ <https://example.org/p> ", n),
                repeat(" ]", n)
            ),
        ),
        (
            "Turtle collections",
            "text/turtle",
            "ttl",
            format!(
                "<https://example.org/a> <https://example.org/p> {}1{} .",
                repeat("( ", n),
                repeat(" )", n)
            ),
        ),
        (
            "TriG",
            "application/trig",
            "trig",
            format!(
                "<https://example.org/g> {{ <https://example.org/a> <https://example.org/p> {}1{} . }}",
                repeat("[ <https://example.org/p> ", n),
                repeat(" ]", n)
            ),
        ),
        (
            "RDF/XML elements",
            "application/rdf+xml",
            "rdf",
            xml(format!(
                "{}<rdf:Description/>{}",
                repeat("<rdf:Description><e:p>", n),
                repeat("</e:p></rdf:Description>", n)
            )),
        ),
        (
            "JSON-LD objects",
            "application/ld+json",
            "jsonld",
            format!(
                "{}{{}}{}",
                repeat("{\"@id\":\"https://example.org/a\",\"https://example.org/p\":", n),
                repeat("}", n)
            ),
        ),
        (
            "JSON-LD arrays",
            "application/ld+json",
            "jsonld",
            format!(
                "{{\"@id\":\"https://example.org/a\",\"https://example.org/p\":{}1{}}}",
                repeat("[", n),
                repeat("]", n)
            ),
        ),
        (
            "JSON-LD lists",
            "application/ld+json",
            "jsonld",
            format!(
                "{{\"@id\":\"https://example.org/a\",\"https://example.org/p\":{}1{}}}",
                repeat("{\"@list\":[", n),
                repeat("]}", n)
            ),
        ),
        ("JSON-LD term chain", "application/ld+json", "jsonld", {
            // Each term defined through the one before: eleven chained terms for each level.
            let links = n * 11;
            let terms: String = (1..links).map(|i| format!(",\"t{i}\":\"t{}:x\"", i - 1)).collect();
            format!(
                "{{\"@context\":{{\"t0\":\"https://example.org/\"{terms}}},\"@id\":\"https://example.org/a\",\"t{}:p\":1}}",
                links - 1
            )
        }),
        ("RDF/XML entities", "application/rdf+xml", "rdf", {
            // Each entity ten times the one before: a billion characters by the tenth.
            let mut declarations = String::from("<!ENTITY a0 \"lol\">");
            let levels = (n / 100).clamp(10, 12);
            for level in 1..levels {
                declarations.push_str(&format!(
                    "<!ENTITY a{level} \"{}\">",
                    repeat(&format!("&a{};", level - 1), 10)
                ));
            }
            format!(
                "<!DOCTYPE rdf:RDF [{declarations}]>{}",
                xml(format!(
                    "<rdf:Description rdf:about=\"https://example.org/a\"><e:p>&a{};</e:p></rdf:Description>",
                    levels - 1
                ))
            )
        }),
    ]
}

/// The number of quads in the store, change log included.
fn quads(server: &Server) -> u64 {
    let response = server.request(
        "POST",
        "/sparql",
        &[
            ("content-type", "application/sparql-query"),
            ("accept", "application/sparql-results+json"),
        ],
        Some("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    let results: Value = serde_json::from_str(&response.body).unwrap();
    results["results"]["bindings"][0]["n"]["value"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// A server on the seed that takes writes, and the quads it holds.
fn hostile_server() -> (Server, u64) {
    let server = Server::start(&["--memory", "--admin-token", TOKEN]);
    let count = quads(&server);
    (server, count)
}

/// Sends one hostile request; the answer must be a refusal (`refused`) or an answer, never a
/// dead server or a changed store.
fn send(
    server: &mut Server,
    quads_before: u64,
    what: &str,
    (method, path): (&str, &str),
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> (u16, String) {
    let answer = raw_request(&*server, method, path, headers, body);
    server.assert_alive();
    let (status, body) = answer.unwrap_or_else(|| panic!("{what}: no answer"));
    assert!(status < 500, "{what}: {status} {}", &body[..body.len().min(400)]);
    assert_eq!(server.get("/healthz").0, 200, "{what}: not healthy after it");
    assert_eq!(quads(server), quads_before, "{what}: changed the store");
    (status, body)
}

/// A refusal names its limit: a 4xx whose JSON error says which option sets it. Requests whose
/// line or headers are too long for the HTTP layer itself get its 4xx with no body.
#[track_caller]
fn assert_refused(what: &str, (status, body): &(u16, String), limit: &str) {
    assert!(
        (400..500).contains(status),
        "{what}: {status} {}",
        &body[..body.len().min(400)]
    );
    if body.is_empty() {
        assert!(matches!(status, 400 | 414 | 431), "{what}: {status} without a body");
        return;
    }
    let error: Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("{what}: not JSON: {body}"));
    let message = error["error"]["message"].as_str().unwrap_or_default();
    assert!(
        error["error"]["limit"] == limit || message.contains(limit),
        "{what}: refused without naming {limit}: {body}"
    );
}

/// A query either refused for a limit or answered.
#[track_caller]
fn assert_refused_or_answered(what: &str, answer: &(u16, String)) {
    let (status, body) = answer;
    if *status == 200 {
        return;
    }
    let error: Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("{what}: not JSON: {status} {body}"));
    let code = error["error"]["code"].as_str().unwrap_or_default();
    assert!(
        matches!(code, "LIMIT_EXCEEDED" | "PAYLOAD_TOO_LARGE" | "SYNTAX_ERROR"),
        "{what}: {status} {body}"
    );
}

fn form(name: &str, value: &str) -> Vec<u8> {
    form_urlencoded::Serializer::new(String::new())
        .append_pair(name, value)
        .finish()
        .into_bytes()
}

#[test]
fn nested_sparql_queries_are_refused_by_every_way_of_sending_them() {
    let (mut server, before) = hostile_server();
    for n in LEVELS {
        for (construct, query) in nested_queries(n) {
            let what = format!("{construct} nested {n} deep");
            // A request line of megabytes is past any server's limits; the POSTs carry those.
            if n <= 10_000 {
                let get = format!("/sparql?{}", String::from_utf8(form("query", &query)).unwrap());
                let answer = send(&mut server, before, &format!("GET {what}"), ("GET", &get), &[], None);
                assert_refused(&what, &answer, "--max-");
            }
            let answer = send(
                &mut server,
                before,
                &format!("form POST {what}"),
                ("POST", "/sparql"),
                &[("content-type", "application/x-www-form-urlencoded")],
                Some(&form("query", &query)),
            );
            assert_refused(&what, &answer, "--max-");
            let answer = send(
                &mut server,
                before,
                &format!("direct POST {what}"),
                ("POST", "/sparql"),
                &[("content-type", "application/sparql-query")],
                Some(query.as_bytes()),
            );
            assert_refused(&what, &answer, "--max-");
        }
    }
    // The exact refusal for the common case: where, and which limit.
    let (_, body) = send(
        &mut server,
        before,
        "groups",
        ("POST", "/sparql"),
        &[("content-type", "application/sparql-query")],
        Some(nested_queries(1_000)[0].1.as_bytes()),
    );
    let error: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(error["error"]["code"], "LIMIT_EXCEEDED");
    assert_eq!(error["error"]["max"], 256);
    assert_eq!(
        error["error"]["message"],
        "nested deeper than 256 levels at line 1, column 528 (--max-nesting)"
    );
    server.stop();
}

#[test]
fn chains_of_operators_are_answered_within_the_limits_and_refused_past_them() {
    let (mut server, before) = hostile_server();
    for n in LEVELS {
        for (construct, query) in chained_queries(n) {
            let what = format!("a chain of {n} {construct}");
            let answer = send(
                &mut server,
                before,
                &what,
                ("POST", "/sparql"),
                &[("content-type", "application/sparql-query")],
                Some(query.as_bytes()),
            );
            assert_refused_or_answered(&what, &answer);
            if n >= 10_000 {
                assert_ne!(answer.0, 200, "{what} was run");
            }
        }
    }
    // Within the limits, a long group runs (without the optimiser) and answers.
    let query = format!("ASK {{ {} }}", repeat("?s <urn:x:none> ?o . ", 300));
    let (status, body) = send(
        &mut server,
        before,
        "300 patterns",
        ("POST", "/sparql"),
        &[
            ("content-type", "application/sparql-query"),
            ("accept", "application/sparql-results+json"),
        ],
        Some(query.as_bytes()),
    );
    assert_eq!((status, body.contains("false")), (200, true), "{body}");
    server.stop();
}

#[test]
fn nested_sparql_updates_are_refused_by_every_way_of_sending_them() {
    let (mut server, before) = hostile_server();
    let bearer = format!("Bearer {TOKEN}");
    for n in LEVELS {
        for (construct, update) in nested_updates(n) {
            let what = format!("update with {construct} nested {n} deep");
            let ways: [(&str, &str, Vec<u8>); 3] = [
                (
                    "/sparql/update",
                    "application/sparql-update",
                    update.clone().into_bytes(),
                ),
                ("/sparql", "application/sparql-update", update.clone().into_bytes()),
                ("/sparql", "application/x-www-form-urlencoded", form("update", &update)),
            ];
            for (path, media_type, body) in ways {
                let headers = [("content-type", media_type), ("authorization", bearer.as_str())];
                let answer = send(&mut server, before, &what, ("POST", path), &headers, Some(&body));
                if construct == "negations" {
                    // Not nested past a limit: the parser finds it malformed.
                    assert_refused_or_answered(&what, &answer);
                } else {
                    assert_refused(&what, &answer, "--max-");
                }
            }
        }
    }
    server.stop();
}

#[test]
fn nested_rdf_sent_to_the_graph_store_is_refused_in_every_format() {
    let (mut server, before) = hostile_server();
    let bearer = format!("Bearer {TOKEN}");
    for n in LEVELS {
        for (what, media_type, _, document) in nested_documents(n) {
            if media_type == "application/trig" {
                continue; // a graph's address takes triples, not datasets
            }
            let what = format!("{what} nested {n} deep");
            for method in ["PUT", "POST"] {
                let headers = [("content-type", media_type), ("authorization", bearer.as_str())];
                let answer = send(
                    &mut server,
                    before,
                    &what,
                    (method, "/store?graph=https%3A%2F%2Fexample.org%2Fhostile"),
                    &headers,
                    Some(document.as_bytes()),
                );
                assert_refused(&what, &answer, "--max-");
                if answer.1.contains("LIMIT_EXCEEDED") {
                    assert!(answer.1.contains("request body:"), "{what}: no position: {}", answer.1);
                }
            }
        }
    }
    server.stop();
}

#[test]
fn nested_graphql_documents_and_variables_are_refused() {
    let (mut server, before) = hostile_server();
    let json_type = [("content-type", "application/json")];
    for n in LEVELS {
        let selections = format!("{{ stats {}entities{} }}", repeat("{ stats ", n), repeat(" }", n));
        let lists = format!(
            "{{ entity(ref: {}\"onenet\"{}) {{ id }} }}",
            repeat("[", n),
            repeat("]", n)
        );
        let objects = format!("{{ entity(ref: {}1{}) {{ id }} }}", repeat("{a: ", n), repeat("}", n));
        let fragments: String = (0..n.min(20_000))
            .map(|i| format!("fragment F{i} on Query {{ ...F{} }} ", i + 1))
            .collect();
        let fragments = format!(
            "{{ ...F0 }} {fragments} fragment F{} on Query {{ stats {{ entities }} }}",
            n.min(20_000)
        );
        for (construct, document) in [
            ("selections", selections),
            ("list values", lists),
            ("object values", objects),
            ("fragments", fragments),
        ] {
            let what = format!("GraphQL {construct} nested {n} deep");
            let body = json!({ "query": document }).to_string();
            let (status, body) = send(
                &mut server,
                before,
                &what,
                ("POST", "/graphql"),
                &json_type,
                Some(body.as_bytes()),
            );
            let answer: Value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("{what}: {status} {body}"));
            let code = &answer["errors"][0]["extensions"]["code"];
            assert!(
                answer["data"].is_null() && code.is_string(),
                "{what}: {status} {}",
                &body[..body.len().min(300)]
            );
        }
        let variables = format!(
            "{{\"query\":\"query Q($r: String!) {{ entity(ref: $r) {{ id }} }}\",\"variables\":{{\"r\":{}\"onenet\"{}}}}}",
            repeat("[", n),
            repeat("]", n)
        );
        let what = format!("GraphQL variables nested {n} deep");
        let (status, body) = send(
            &mut server,
            before,
            &what,
            ("POST", "/graphql"),
            &json_type,
            Some(variables.as_bytes()),
        );
        // serde_json stops at 128 levels, before anything recurses further.
        let answer: Value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("{what}: {status} {body}"));
        assert_eq!(status, 400, "{what}: {body}");
        assert_eq!(
            answer["errors"][0]["extensions"]["code"], "BAD_REQUEST",
            "{what}: {body}"
        );
        assert!(body.contains("recursion limit"), "{what}: {body}");
    }
    server.stop();
}

#[test]
fn load_refuses_nested_files_with_their_position_and_leaves_the_store_alone() {
    let workspace = Workspace::new();
    let seed = workspace.write("seed.ttl", "<https://example.org/a> <https://example.org/p> 1 .\n");
    govgraph(["load", "--data", &workspace.data(), &seed]).success();
    let before = workspace.stored_quad_count();
    for n in LEVELS {
        for (what, _, extension, document) in nested_documents(n) {
            let file = workspace.write(&format!("deep.{extension}"), &document);
            let run = govgraph(["load", "--data", &workspace.data(), &file]).failure();
            let located = run
                .stderr
                .lines()
                .any(|line| line.contains(&format!("{file}:")) && line.contains("(--max-"));
            assert!(located, "{what} nested {n} deep: {}", run.stderr);
        }
    }
    assert_eq!(workspace.stored_quad_count(), before);
    // A query given on the command line is checked the same way.
    let deep = nested_queries(1_000).remove(0).1;
    govgraph(["query", "--data", &workspace.data(), &deep])
        .failure()
        .stderr_contains("(--max-nesting)");
}
