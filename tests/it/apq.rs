//! Automatic persisted queries over real HTTP, as Apollo's persisted-query link sends them: a
//! hash alone, then the query with its hash, then the hash alone again, by POST and by GET; and
//! every way a hostile or broken client can get them wrong.

use crate::util::{HttpResponse, Server, encode, seed_server};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const JSON: [(&str, &str); 1] = [("content-type", "application/json")];
const GRAPHQL_RESPONSE: [(&str, &str); 2] = [
    ("content-type", "application/json"),
    ("accept", "application/graphql-response+json"),
];

fn sha256(query: &str) -> String {
    Sha256::digest(query.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn extension(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

fn post(server: &Server, headers: &[(&str, &str)], body: Value) -> (HttpResponse, Value) {
    let response = server.request("POST", "/graphql", headers, Some(&body.to_string()));
    let answer = serde_json::from_str(&response.body).unwrap_or_else(|_| panic!("JSON: {}", response.body));
    (response, answer)
}

fn get(server: &Server, query: Option<&str>, extensions: &Value) -> (HttpResponse, Value) {
    let mut path = format!("/graphql?extensions={}", encode(&extensions.to_string()));
    if let Some(query) = query {
        path.push_str(&format!("&query={}", encode(query)));
    }
    let response = server.request("GET", &path, &[], None);
    let answer = serde_json::from_str(&response.body).unwrap_or_else(|_| panic!("JSON: {}", response.body));
    (response, answer)
}

fn code(answer: &Value) -> &str {
    answer["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {answer:#}"))
}

/// Whether the server knows `hash` (asking for it alone).
fn known(server: &Server, hash: &str) -> bool {
    let (_, answer) = post(server, &JSON, json!({ "extensions": extension(hash) }));
    answer.get("errors").is_none()
}

#[test]
fn a_hash_alone_runs_the_query_registered_with_it_by_post_and_by_get() {
    let server = seed_server(&[]);
    let query = "query Count($kind: EntityKind) { entities(kind: $kind) { totalCount } }";
    let hash = sha256(query);
    let variables = json!({ "kind": "ORGANIZATION" });
    // Unknown: Apollo's code and message, 200 whatever the client accepts (as Apollo Server
    // answers, so that the link sends the text instead of giving up), never cached, no data.
    for headers in [&JSON[..], &GRAPHQL_RESPONSE[..]] {
        let (response, answer) = post(
            &server,
            headers,
            json!({ "variables": variables, "extensions": extension(&hash) }),
        );
        assert_eq!(response.status, 200, "{}", response.body);
        assert_eq!(code(&answer), "PERSISTED_QUERY_NOT_FOUND");
        assert_eq!(answer["errors"][0]["message"], "PersistedQueryNotFound");
        assert!(answer.get("data").is_none(), "{answer}");
        assert_eq!(response.header("cache-control"), Some("no-store"));
    }
    let (response, answer) = get(&server, None, &extension(&hash));
    assert_eq!(response.status, 200);
    assert_eq!(code(&answer), "PERSISTED_QUERY_NOT_FOUND");
    // The text with its hash runs and is kept.
    let (response, registered) = post(
        &server,
        &JSON,
        json!({ "query": query, "variables": variables, "extensions": extension(&hash) }),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    let count = registered["data"]["entities"]["totalCount"].as_u64().unwrap();
    assert!(count > 0, "{registered}");
    // Now the hash alone is enough, with other variables too.
    let (_, answer) = post(
        &server,
        &JSON,
        json!({ "variables": variables, "extensions": extension(&hash) }),
    );
    assert_eq!(answer["data"], registered["data"], "{answer}");
    let (_, answer) = post(
        &server,
        &JSON,
        json!({ "variables": { "kind": "MEETING" }, "extensions": extension(&hash) }),
    );
    let meetings = answer["data"]["entities"]["totalCount"].as_u64().unwrap();
    assert_ne!(meetings, count, "the variables given with the hash are used");
    // GET, as the link sends hashed queries with `useGETForHashedQueries`, uppercase hex too.
    let path = format!(
        "/graphql?extensions={}&variables={}",
        encode(&extension(&hash.to_uppercase()).to_string()),
        encode(&variables.to_string())
    );
    let response = server.request("GET", &path, &[], None);
    assert_eq!(response.status, 200, "{}", response.body);
    let answer: Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(answer["data"], registered["data"], "{answer}");
    // A GET can register a query too.
    let other = "{ stats { relations } }";
    let (response, answer) = get(&server, Some(other), &extension(&sha256(other)));
    assert_eq!(response.status, 200, "{}", response.body);
    assert!(answer["data"]["stats"]["relations"].as_u64().unwrap() > 0);
    let (_, answer) = get(&server, None, &extension(&sha256(other)));
    assert!(answer["data"]["stats"]["relations"].as_u64().unwrap() > 0, "{answer}");
    // In a batch, an unknown hash is that operation's error only.
    let unknown = sha256("{ stats { entities } } # never sent");
    let (response, answers) = post(
        &server,
        &JSON,
        json!([{ "extensions": extension(&unknown) }, { "extensions": extension(&sha256(other)) }]),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(code(&answers[0]), "PERSISTED_QUERY_NOT_FOUND");
    assert!(answers[1]["data"]["stats"]["relations"].as_u64().is_some(), "{answers}");
}

#[test]
fn wrong_hashes_versions_and_shapes_are_refused_precisely_and_nothing_is_kept() {
    let server = seed_server(&["--max-persisted-query-length", "200"]);
    let query = "{ stats { entities } }";
    let hash = sha256(query);
    let refused = |headers: &[(&str, &str)], body: Value, expected_code: &str, expected_message: &str| {
        let (response, answer) = post(&server, headers, body.clone());
        assert_eq!(response.status, 400, "{body}: {}", response.body);
        assert_eq!(code(&answer), expected_code, "{body}");
        let message = answer["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(expected_message), "{body}: {message}");
        assert!(answer.get("data").is_none(), "{answer}");
    };
    for headers in [&JSON[..], &GRAPHQL_RESPONSE[..]] {
        // The text does not hash to the hash: not run, and not kept under either.
        let other = "{ stats { relations } }";
        let body = json!({ "query": other, "extensions": extension(&hash) });
        refused(headers, body, "BAD_REQUEST", "provided sha does not match query");
        let body = json!({ "query": query, "extensions": { "persistedQuery": { "version": 2, "sha256Hash": hash } } });
        refused(headers, body, "BAD_REQUEST", "version 2 is not supported");
        for absurd in ["not-a-hash".to_owned(), "z".repeat(64), "0".repeat(100_000)] {
            let body = json!({ "extensions": extension(&absurd) });
            refused(headers, body, "BAD_REQUEST", "64 hexadecimal digits");
        }
        for shape in [json!("abc"), json!(null), json!([hash]), json!({ "sha256Hash": hash })] {
            let body = json!({ "extensions": { "persistedQuery": shape } });
            refused(headers, body, "BAD_REQUEST", "must be an object");
        }
        // A huge text with its (right) hash: the cache's bound, not a crash or a 200.
        let huge = format!("{query} # {}", "x".repeat(1_000_000));
        let body = json!({ "query": huge, "extensions": extension(&sha256(&huge)) });
        refused(headers, body, "LIMIT_EXCEEDED", "at most 200 bytes");
    }
    assert!(!known(&server, &hash));
    // `extensions` must be JSON in a GET too.
    let response = server.request("GET", "/graphql?extensions=%7Bnope", &[], None);
    assert_eq!(response.status, 400);
    // A text that does not parse or validate runs (and fails) as usual, and is not kept.
    for broken in ["{ stats { ", "{ noSuchField }"] {
        let (_, answer) = post(
            &server,
            &JSON,
            json!({ "query": broken, "extensions": extension(&sha256(broken)) }),
        );
        assert!(code(&answer).starts_with("GRAPHQL_"), "{answer}");
        assert!(!known(&server, &sha256(broken)), "{broken}");
    }
    // A mutation is never run by GET, by its text or by its hash.
    let mutation = "mutation { deleteEntity(id: \"onenet\") }";
    let (response, _) = get(&server, Some(mutation), &extension(&sha256(mutation)));
    assert_eq!(response.status, 405);
    // The server is fine afterwards.
    assert_eq!(server.get("/healthz").0, 200);
}

#[test]
fn the_cache_forgets_the_least_recently_used_query_past_its_bound() {
    let server = seed_server(&["--max-persisted-queries", "2"]);
    let queries = [
        "{ a: stats { entities } }",
        "{ b: stats { entities } }",
        "{ c: stats { entities } }",
    ];
    let register = |query: &str| {
        let (_, answer) = post(
            &server,
            &JSON,
            json!({ "query": query, "extensions": extension(&sha256(query)) }),
        );
        assert!(answer.get("errors").is_none(), "{answer}");
    };
    register(queries[0]);
    register(queries[1]);
    // Using the first makes the second the least recently used: the third pushes it out.
    assert!(known(&server, &sha256(queries[0])));
    register(queries[2]);
    assert!(known(&server, &sha256(queries[0])));
    assert!(!known(&server, &sha256(queries[1])));
    assert!(known(&server, &sha256(queries[2])));
    // The client's answer to that is to send the text again, which works.
    register(queries[1]);
    assert!(known(&server, &sha256(queries[1])));
}
