//! HTTP as the Web expects it: `HEAD` wherever `GET` is, `405` with `Allow` for a known path's
//! wrong method, `OPTIONS` (with and without CORS), validators from the dataset version, and
//! the client's request id kept.

use crate::util::{HttpResponse, Server};
use crate::writes::{CREATE, TOKEN, entity, post};
use serde_json::{Value, json};

const ORIGIN: &str = "https://client.example.org";

/// What the issue names, and one of each kind of GET route.
const GET_PATHS: &[&str] = &[
    "/id/onenet",
    "/rel/onenet--coOrganizes--netmundial-2014",
    "/ns",
    "/ns/context.jsonld",
    "/graph/icann-diagram-2014",
    "/.well-known/void",
    "/healthz",
    "/readyz",
    "/metrics",
    "/export?format=turtle",
    "/sparql",
    "/sparql?query=ASK%7B%7D",
    "/graphql?query=%7Bstats%7Bentities%7D%7D",
    "/subgraph?root=onenet&depth=1",
    "/playground",
];

/// Paths with what their `Allow` must say.
const ALLOWED: &[(&str, &str)] = &[
    ("/graphql", "GET, HEAD, POST, OPTIONS"),
    ("/healthz", "GET, HEAD, OPTIONS"),
    ("/sparql", "GET, HEAD, POST, OPTIONS"),
    ("/sparql/update", "POST, OPTIONS"),
    ("/store", "GET, HEAD, PUT, POST, DELETE, OPTIONS"),
    ("/id/onenet", "GET, HEAD, OPTIONS"),
    ("/export", "GET, HEAD, OPTIONS"),
];

fn error_code(response: &HttpResponse) -> String {
    serde_json::from_str::<Value>(&response.body).map_or_else(
        |_| format!("not JSON: {}", response.body),
        |body| body["error"]["code"].as_str().unwrap_or_default().to_owned(),
    )
}

#[test]
fn head_answers_like_get_without_a_body() {
    let server = Server::start(&["--memory"]);
    for path in GET_PATHS {
        let get = server.request("GET", path, &[], None);
        let head = server.request("HEAD", path, &[], None);
        assert_ne!(head.status, 404, "HEAD {path}");
        assert_eq!(head.status, get.status, "HEAD {path} and GET differ");
        assert_eq!(head.content_type, get.content_type, "HEAD {path}");
        assert!(head.body.is_empty(), "HEAD {path} has a body: {}", head.body);
        assert!(get.status != 200 || !get.body.is_empty(), "GET {path} has no body");
    }
    // A sized answer keeps its length: a client may size its download from a HEAD.
    let path = "/store?graph=https%3A%2F%2Fw3id.org%2Fgovgraph%2Fgraph%2Fontology";
    let (get, head) = (
        server.request("GET", path, &[], None),
        server.request("HEAD", path, &[], None),
    );
    assert_eq!(get.status, 200, "{}", get.body);
    let length = get.body.len().to_string();
    assert_eq!(head.header("content-length"), Some(length.as_str()), "HEAD {path}");
    let export = server.request("HEAD", "/export?format=turtle", &[], None);
    assert_eq!(export.status, 200);
    assert!(export.header("content-disposition").is_some());
}

#[test]
fn a_wrong_method_on_a_known_path_is_405_with_allow() {
    let server = Server::start(&["--memory", "--admin-token", TOKEN]);
    let response = server.request("DELETE", "/graphql", &[], None);
    assert_eq!(response.status, 405, "{}", response.body);
    assert_eq!(response.allow.as_deref(), Some("GET, HEAD, POST, OPTIONS"));
    assert_eq!(error_code(&response), "METHOD_NOT_ALLOWED");
    for (path, allow) in ALLOWED {
        let response = server.request("PATCH", path, &[], None);
        assert_eq!(response.status, 405, "PATCH {path}: {}", response.body);
        assert_eq!(response.allow.as_deref(), Some(*allow), "PATCH {path}");
        assert_eq!(error_code(&response), "METHOD_NOT_ALLOWED", "PATCH {path}");
        // What Allow names is served: no listed method is refused as not allowed.
        for method in allow.split(", ") {
            let answer = server.request(method, path, &[], None);
            assert_ne!(answer.status, 405, "{method} {path} is in Allow: {}", answer.body);
            assert_ne!(answer.status, 404, "{method} {path} is in Allow: {}", answer.body);
        }
    }
    // Unknown paths stay unknown, whatever the method.
    for method in ["GET", "DELETE", "HEAD"] {
        let response = server.request(method, "/no/such/path", &[], None);
        assert_eq!(response.status, 404, "{method}");
        assert!(response.allow.is_none());
    }
}

#[test]
fn options_without_cors_lists_the_methods() {
    let server = Server::start(&["--memory", "--no-seed"]);
    let response = server.request("OPTIONS", "/graphql", &[("origin", ORIGIN)], None);
    assert_eq!(response.status, 204, "{}", response.body);
    assert_eq!(response.allow.as_deref(), Some("GET, HEAD, POST, OPTIONS"));
    assert!(response.cors_origin.is_none(), "no CORS unless it is configured");
    let preflight = server.request(
        "OPTIONS",
        "/graphql",
        &[("origin", ORIGIN), ("access-control-request-method", "POST")],
        None,
    );
    assert_eq!(preflight.status, 204);
    assert!(preflight.cors_origin.is_none());
}

#[test]
fn the_cors_preflight_for_graphql_is_answered_when_cors_is_on() {
    let server = Server::start(&["--memory", "--no-seed", "--cors-origin", ORIGIN]);
    let preflight = server.request(
        "OPTIONS",
        "/graphql",
        &[
            ("origin", ORIGIN),
            ("access-control-request-method", "POST"),
            (
                "access-control-request-headers",
                "content-type, if-none-match, x-request-id",
            ),
        ],
        None,
    );
    assert!(preflight.status < 300, "{} {}", preflight.status, preflight.body);
    assert_eq!(preflight.cors_origin.as_deref(), Some(ORIGIN));
    let methods = preflight.header("access-control-allow-methods").unwrap_or_default();
    assert!(methods.contains("POST"), "{methods}");
    // A plain OPTIONS is not a preflight: it is answered like any other request.
    let plain = server.request("OPTIONS", "/graphql", &[("origin", ORIGIN)], None);
    assert_eq!(plain.status, 204);
    assert_eq!(plain.allow.as_deref(), Some("GET, HEAD, POST, OPTIONS"));
    // A script on the allowed origin can read the validator and the request id.
    let get = server.request("GET", "/healthz", &[("origin", ORIGIN)], None);
    let exposed = get
        .header("access-control-expose-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(
        exposed.contains("etag") && exposed.contains("x-request-id"),
        "{exposed}"
    );
}

/// The routes whose answers depend only on the data (and the URL).
const VERSIONED: &[&str] = &[
    "/id/onenet",
    "/export?format=turtle",
    "/subgraph?root=onenet&depth=1",
    "/graphql?query=%7Bstats%7Bentities%7D%7D",
];

fn etag(response: &HttpResponse) -> String {
    response.header("etag").unwrap_or_default().to_owned()
}

/// Whether the response's `Vary` (over all its lines) names `name`.
fn varies_on(response: &crate::util::HttpResponse, name: &str) -> bool {
    response
        .headers
        .iter()
        .filter(|(key, _)| key.eq_ignore_ascii_case("vary"))
        .flat_map(|(_, value)| value.split(','))
        .any(|listed| listed.trim().eq_ignore_ascii_case(name))
}

#[test]
fn versioned_routes_answer_304_until_a_write_changes_the_tag() {
    let server = Server::start(&["--memory", "--admin-token", TOKEN]);
    let mut tags = Vec::new();
    for path in VERSIONED {
        let first = server.request("GET", path, &[], None);
        assert_eq!(first.status, 200, "{path}: {}", first.body);
        let tag = etag(&first);
        assert!(tag.starts_with("W/\"") && tag.ends_with('"'), "{path}: {tag:?}");
        assert_eq!(first.header("cache-control"), Some("no-cache"), "{path}");
        for condition in [tag.clone(), format!("\"other\", {tag}"), "*".to_owned()] {
            let again = server.request("GET", path, &[("if-none-match", &condition)], None);
            assert_eq!(again.status, 304, "{path} with {condition}");
            assert!(again.body.is_empty(), "{path}");
            assert_eq!(etag(&again), tag, "{path}");
            for name in ["accept", "authorization"] {
                assert!(
                    varies_on(&again, name) && varies_on(&first, name),
                    "{path}: Vary lacks {name}"
                );
            }
        }
        let head = server.request("HEAD", path, &[("if-none-match", &tag)], None);
        assert_eq!(head.status, 304, "HEAD {path}");
        let other = server.request("GET", path, &[("if-none-match", "W/\"other\"")], None);
        assert_eq!(other.status, 200, "{path}");
        tags.push(tag);
    }
    // One tag per URL: a tag is no good for another route's answer.
    let distinct: std::collections::HashSet<&String> = tags.iter().collect();
    assert_eq!(distinct.len(), tags.len(), "{tags:?}");
    let created = post(&server, Some(TOKEN), CREATE, json!({ "input": entity("Cache Forum") }));
    assert!(created["errors"].is_null(), "{created}");
    for (path, old) in VERSIONED.iter().zip(&tags) {
        let after = server.request("GET", path, &[("if-none-match", old)], None);
        assert_eq!(after.status, 200, "{path}: the old tag still matches after a write");
        assert_ne!(&etag(&after), old, "{path}");
    }
}

#[test]
fn only_successful_reads_carry_a_tag() {
    let server = Server::start(&["--memory"]);
    let missing = server.request("GET", "/id/no-such-entity", &[("if-none-match", "*")], None);
    assert_eq!(missing.status, 404);
    assert!(missing.header("etag").is_none());
    let mutation = server.request("GET", "/graphql?query=mutation%7Bx%7D", &[("if-none-match", "*")], None);
    assert_eq!(mutation.status, 405);
    assert!(mutation.header("etag").is_none());
    let failing = server.request("GET", "/graphql?query=%7Bnope%7D", &[("if-none-match", "*")], None);
    assert_eq!(failing.status, 200, "{}", failing.body);
    assert!(
        failing.header("etag").is_none(),
        "an answer with errors is not revalidated"
    );
    let posted = server.request(
        "POST",
        "/graphql",
        &[("content-type", "application/json")],
        Some("{\"query\":\"{stats{entities}}\"}"),
    );
    assert!(posted.header("etag").is_none());
    let health = server.request("GET", "/healthz", &[], None);
    assert!(health.header("etag").is_none(), "health is not the data");
}

#[test]
fn a_sane_request_id_is_kept_and_logged_with_the_trace() {
    let server = Server::start(&["--memory", "--admin-token", TOKEN]);
    let kept = server.request("GET", "/healthz", &[("x-request-id", "req-42.abc")], None);
    assert_eq!(kept.header("x-request-id"), Some("req-42.abc"));
    let long = "x".repeat(129);
    for bad in ["has space", long.as_str()] {
        let replaced = server.request("GET", "/healthz", &[("x-request-id", bad)], None);
        let id = replaced.header("x-request-id").unwrap_or_default();
        assert!(!id.is_empty() && id != bad, "{bad:?} was kept");
    }
    let fresh = server.request("GET", "/healthz", &[], None);
    assert!(!fresh.header("x-request-id").unwrap_or_default().is_empty());
    let trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    let body = json!({ "query": CREATE, "variables": { "input": entity("Traced Forum") } }).to_string();
    let traceparent = format!("00-{trace}-00f067aa0ba902b7-01");
    let authorization = format!("Bearer {TOKEN}");
    let response = server.request(
        "POST",
        "/graphql",
        &[
            ("content-type", "application/json"),
            ("authorization", &authorization),
            ("x-request-id", "write-7"),
            ("traceparent", &traceparent),
        ],
        Some(&body),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(response.header("x-request-id"), Some("write-7"));
    // The log is read from the process's standard error, which may trail the response.
    let committed = || {
        server
            .stderr()
            .lines()
            .find(|line| line.contains("write committed"))
            .map(str::to_owned)
    };
    assert!(crate::util::eventually(|| committed().is_some()), "{}", server.stderr());
    let logged = committed().unwrap_or_default();
    assert!(logged.contains("request_id=write-7"), "{}", server.stderr());
    assert!(logged.contains(&format!("trace_id={trace}")), "{}", server.stderr());
}

/// A WebSocket upgrade to `/graphql` with the given `Origin`: the handshake's status.
fn upgrade_status(server: &Server, origin: &str) -> u16 {
    use tungstenite::client::IntoClientRequest;
    let address = server.base.trim_start_matches("http://");
    let stream = std::net::TcpStream::connect(address).unwrap();
    let mut request = format!("ws://{address}/graphql").into_client_request().unwrap();
    let headers = request.headers_mut();
    headers.insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse().unwrap());
    headers.insert("Origin", origin.parse().unwrap());
    match tungstenite::client(request, stream) {
        Ok((_, response)) => response.status().as_u16(),
        Err(tungstenite::HandshakeError::Failure(tungstenite::Error::Http(response))) => response.status().as_u16(),
        Err(other) => panic!("the handshake failed: {other}"),
    }
}

#[test]
fn the_websocket_upgrade_follows_the_cors_policy() {
    let closed = Server::start(&["--memory", "--no-seed"]);
    assert_eq!(upgrade_status(&closed, ORIGIN), 403, "another site, CORS closed");
    assert_eq!(upgrade_status(&closed, &closed.base), 101, "the server's own pages");
    let open = Server::start(&["--memory", "--no-seed", "--cors-origin", ORIGIN]);
    assert_eq!(upgrade_status(&open, ORIGIN), 101, "an allowed origin");
    assert_eq!(upgrade_status(&open, "https://elsewhere.example"), 403);
    let any = Server::start(&["--memory", "--no-seed", "--cors-origin", "*"]);
    assert_eq!(upgrade_status(&any, "https://elsewhere.example"), 101);
    // Clients that are not pages send no Origin and are not affected.
    let mut socket = crate::util::subscribe(&closed, "subscription { graphChanged { op } }");
    socket.close(None).unwrap();
}
