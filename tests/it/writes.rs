//! Writes over real HTTP: who may write, what a write must carry, what it may not say, that
//! the next request sees it everywhere, that subscribers hear of it, that a `kill -9` loses no
//! acknowledged write, and that hostile requests change nothing.

use crate::util::{Server, Workspace, next_message, raw_request, subscribe};
use serde_json::{Value, json};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tungstenite::WebSocket;

pub const TOKEN: &str = "writer-token";

pub fn post(server: &Server, token: Option<&str>, query: &str, variables: Value) -> Value {
    let authorization = token.map(|token| format!("Bearer {token}"));
    let mut headers = vec![("content-type", "application/json")];
    if let Some(value) = authorization.as_deref() {
        headers.push(("authorization", value));
    }
    let body = json!({ "query": query, "variables": variables }).to_string();
    let response = server.request("POST", "/graphql", &headers, Some(&body));
    assert_eq!(response.status, 200, "{}", response.body);
    serde_json::from_str(&response.body).unwrap()
}

pub fn code(response: &Value) -> (&str, &str) {
    let extensions = &response["errors"][0]["extensions"];
    (
        extensions["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no error in {response}")),
        extensions["field"].as_str().unwrap_or(""),
    )
}

pub const CREATE: &str = "mutation($input: EntityInput!) { createEntity(input: $input) { id label kind startDate sources { document quote } } }";
pub const RELATE: &str =
    "mutation($input: RelationInput!) { createRelation(input: $input) { id kind label source { id } target { id } } }";

pub fn entity(label: &str) -> Value {
    json!({ "label": label, "kind": "MEETING", "startDate": "2015-03", "sources": [{ "document": "https://example.org/minutes", "quote": "it met" }] })
}

pub fn version(server: &Server) -> String {
    let (_, body) = server.get("/healthz");
    serde_json::from_str::<Value>(&body).unwrap()["datasetVersion"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn mutations_need_the_admin_token() {
    let server = Server::start(&["--memory", "--admin-token", TOKEN]);
    let before = version(&server);
    for token in [None, Some("wrong-token")] {
        let response = post(&server, token, CREATE, json!({ "input": entity("Nobody's Forum") }));
        assert_eq!(code(&response).0, "UNAUTHENTICATED", "{response}");
        for mutation in [
            "mutation { deleteEntity(id: \"onenet\") }",
            "mutation { deleteRelation(id: \"montevideo-statement-2013--inspired--onenet\") }",
        ] {
            assert_eq!(code(&post(&server, token, mutation, json!({}))).0, "UNAUTHENTICATED");
        }
    }
    assert_eq!(version(&server), before, "a refused mutation changed the data");
    let created = post(
        &server,
        Some(TOKEN),
        CREATE,
        json!({ "input": entity("Somebody's Forum") }),
    );
    assert_eq!(created["data"]["createEntity"]["id"], "somebody-s-forum", "{created}");
    assert_ne!(version(&server), before);
    // A server without a token, or read-only, takes no writes at all.
    let no_token = Server::start(&["--memory", "--no-seed"]);
    assert_eq!(
        code(&post(&no_token, Some(TOKEN), CREATE, json!({ "input": entity("X") }))).0,
        "UNAUTHENTICATED"
    );
    let read_only = Server::start(&["--memory", "--no-seed", "--admin-token", TOKEN, "--read-only"]);
    assert_eq!(
        code(&post(&read_only, Some(TOKEN), CREATE, json!({ "input": entity("X") }))).0,
        "READ_ONLY"
    );
    let update = [
        ("content-type", "application/sparql-update"),
        ("authorization", "Bearer writer-token"),
    ];
    assert_eq!(
        read_only
            .request(
                "POST",
                "/sparql/update",
                &update,
                Some("INSERT DATA { <a:b> <a:c> <a:d> }")
            )
            .status,
        403
    );
}

#[test]
fn every_write_is_checked_field_by_field() {
    let server = Server::start(&["--memory", "--admin-token", TOKEN]);
    let before = version(&server);
    let with = |changes: Value| {
        let mut input = entity("Checked Forum");
        for (key, value) in changes.as_object().unwrap() {
            input[key] = value.clone();
        }
        post(&server, Some(TOKEN), CREATE, json!({ "input": input }))
    };
    let cases = [
        (json!({ "sources": [] }), "sources"),
        (
            json!({ "sources": [{ "document": "no such document anywhere" }] }),
            "sources.document",
        ),
        (json!({ "id": "Not A Slug" }), "id"),
        (json!({ "id": "onenet" }), "id"),
        (json!({ "kind": "VENUE" }), "kind"),
        (json!({ "startDate": "2014-13-45" }), "startDate"),
        (json!({ "startDate": "2014-05-02", "endDate": "2014-05-01" }), "endDate"),
        (json!({ "label": "   " }), "label"),
        (json!({ "label": null }), "label"),
        (json!({ "aliases": [""] }), "aliases"),
    ];
    for (change, field) in cases {
        let response = with(change.clone());
        assert_eq!(code(&response), ("BAD_USER_INPUT", field), "{change}: {response}");
    }
    let relation = |changes: Value| {
        let mut input = json!({ "source": "/1net", "target": "NETmundial", "kind": "DIRECT", "predicate": "feedsInto",
            "sources": [{ "document": "000_05a3b9857162009c.txt", "quote": "a partnership between CGI and 1Net" }] });
        for (key, value) in changes.as_object().unwrap() {
            input[key] = value.clone();
        }
        post(&server, Some(TOKEN), RELATE, json!({ "input": input }))
    };
    for (change, field) in [
        (json!({ "source": "Nobody At All" }), "source"),
        (json!({ "target": "onenet" }), "target"),
        (json!({ "predicate": "likes" }), "predicate"),
        (json!({ "predicate": "coOrganizes" }), "predicate"),
        (json!({ "sources": [] }), "sources"),
        (json!({ "kind": "SIDEWAYS" }), "kind"),
    ] {
        let response = relation(change.clone());
        assert_eq!(code(&response), ("BAD_USER_INPUT", field), "{change}: {response}");
    }
    let patch = post(
        &server,
        Some(TOKEN),
        "mutation { updateEntity(id: \"igf-2014-istanbul\", patch: { endDate: \"2014-01\" }) { id } }",
        json!({}),
    );
    assert_eq!(code(&patch), ("BAD_USER_INPUT", "endDate"));
    let missing = post(
        &server,
        Some(TOKEN),
        "mutation { updateEntity(id: \"no-such-entity\", patch: { label: \"X\" }) { id } }",
        json!({}),
    );
    assert_eq!(code(&missing).0, "NOT_FOUND");
    let cited = post(
        &server,
        Some(TOKEN),
        "mutation { deleteEntity(id: \"icann-diagram-2014\") }",
        json!({}),
    );
    assert_eq!(
        code(&cited),
        ("BAD_USER_INPUT", "id"),
        "a document cited as a source is kept: {cited}"
    );
    assert_eq!(version(&server), before, "a rejected write changed the data");
}

#[test]
fn the_next_request_sees_a_write_everywhere() {
    let server = Server::start(&["--memory", "--admin-token", TOKEN]);
    let created = post(
        &server,
        Some(TOKEN),
        CREATE,
        json!({ "input": {
        "id": "lisbon-dialogue-2015", "label": "Lisbon Dialogue", "kind": "MEETING", "openness": "OPEN",
        "aliases": ["LD15"], "startDate": "2015-06-01", "endDate": "2015-06-02", "location": "Lisbon",
        "sources": [{ "document": "IGF 2020 Annual Progress Report", "quote": "a made-up quote" }] } }),
    );
    assert!(created["errors"].is_null(), "{created}");
    assert_eq!(
        created["data"]["createEntity"]["sources"][0]["document"],
        "002_d6137ce73c82849c.txt"
    );
    let related = post(
        &server,
        Some(TOKEN),
        RELATE,
        json!({ "input": {
        "source": "LD15", "target": "/1net", "kind": "INDIRECT", "predicate": "contributesTo",
        "sources": [{ "document": "https://example.org/lisbon", "quote": "input to 1net" }] } }),
    );
    assert_eq!(
        related["data"]["createRelation"]["id"], "lisbon-dialogue-2015--contributesTo--onenet",
        "{related}"
    );
    // GraphQL, paths, SPARQL (with the loader's rules applied), the entity's IRI.
    let path = post(
        &server,
        None,
        "{ path(from: \"Lisbon Dialogue\", to: \"Sao Paulo meeting\") { nodes { id } } }",
        json!({}),
    );
    let nodes: Vec<&str> = path["data"]["path"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert_eq!(nodes, ["lisbon-dialogue-2015", "onenet", "netmundial-2014"]);
    let ask = "ASK { id:lisbon-dialogue-2015 gg:contributesTo id:onenet ; gg:indirectlyRelatedTo id:onenet ; a gg:Entity ; rdfs:label \"Lisbon Dialogue\" }";
    let sparql = server.request("GET", &format!("/sparql?query={}", crate::util::encode(ask)), &[], None);
    assert!(sparql.body.contains("true"), "{}", sparql.body);
    assert_eq!(server.request("GET", "/id/lisbon-dialogue-2015", &[], None).status, 200);
    // Updates and deletions, seen at once.
    let updated = post(
        &server,
        Some(TOKEN),
        "mutation { updateEntity(id: \"lisbon-dialogue-2015\", patch: { label: \"Lisbon Forum\", location: null, openness: CLOSED }) { label location openness } }",
        json!({}),
    );
    assert_eq!(
        updated["data"]["updateEntity"],
        json!({ "label": "Lisbon Forum", "location": null, "openness": "CLOSED" })
    );
    let closed = post(
        &server,
        None,
        "{ entities(openness: CLOSED, search: \"lisbon\") { totalCount } }",
        json!({}),
    );
    assert_eq!(closed["data"]["entities"]["totalCount"], 1);
    assert_eq!(
        post(
            &server,
            Some(TOKEN),
            "mutation { deleteRelation(id: \"lisbon-dialogue-2015--contributesTo--onenet\") }",
            json!({})
        )["data"]["deleteRelation"],
        true
    );
    let ask = "ASK { id:lisbon-dialogue-2015 gg:indirectlyRelatedTo ?anything }";
    let sparql = server.request("GET", &format!("/sparql?query={}", crate::util::encode(ask)), &[], None);
    assert!(
        sparql.body.contains("false"),
        "the shortcut outlived its relation: {}",
        sparql.body
    );
    assert_eq!(
        post(
            &server,
            Some(TOKEN),
            "mutation { deleteEntity(id: \"lisbon-dialogue-2015\") }",
            json!({})
        )["data"]["deleteEntity"],
        true
    );
    assert_eq!(server.request("GET", "/id/lisbon-dialogue-2015", &[], None).status, 404);
    // The data still passes every constraint.
    let violations = post(&server, None, "{ stats { entities } }", json!({}));
    assert!(violations["errors"].is_null());
}

/// What every subscriber in these tests listens to.
pub const GRAPH_CHANGED: &str = "subscription { graphChanged { op entityId relationId missed } }";

pub fn next_change(socket: &mut WebSocket<TcpStream>) -> Value {
    let message = next_message(socket);
    assert_eq!(message["type"], "next", "{message}");
    message["payload"]["data"]["graphChanged"].clone()
}

#[test]
fn subscribers_hear_of_every_acknowledged_write() {
    let server = Server::start(&["--memory", "--admin-token", TOKEN]);
    let mut socket = subscribe(&server, GRAPH_CHANGED);
    std::thread::sleep(Duration::from_millis(200));
    post(&server, Some(TOKEN), CREATE, json!({ "input": entity("Heard Forum") }));
    assert_eq!(
        next_change(&mut socket),
        json!({ "op": "CREATED", "entityId": "heard-forum", "relationId": null, "missed": 0 })
    );
    post(
        &server,
        Some(TOKEN),
        RELATE,
        json!({ "input": { "source": "heard-forum", "target": "onenet", "kind": "DIRECT",
        "sources": [{ "document": "https://example.org/x" }] } }),
    );
    assert_eq!(next_change(&mut socket)["relationId"], "heard-forum--relatedTo--onenet");
    // Writes through SPARQL Update are heard too.
    let update = "DELETE { GRAPH ?g { id:heard-forum rdfs:label ?old } } INSERT { GRAPH ?g { id:heard-forum rdfs:label \"Heard Forum, renamed\" } } \
        WHERE { GRAPH ?g { id:heard-forum rdfs:label ?old } }";
    let headers = [
        ("content-type", "application/sparql-update"),
        ("authorization", "Bearer writer-token"),
    ];
    assert_eq!(
        server.request("POST", "/sparql/update", &headers, Some(update)).status,
        204
    );
    let change = next_change(&mut socket);
    assert_eq!(
        (change["op"].as_str(), change["entityId"].as_str()),
        (Some("UPDATED"), Some("heard-forum")),
        "{change}"
    );
    post(
        &server,
        Some(TOKEN),
        "mutation { deleteEntity(id: \"heard-forum\") }",
        json!({}),
    );
    assert_eq!(next_change(&mut socket)["op"], "DELETED");
    let (_, metrics) = server.get("/metrics");
    assert!(metrics.contains("govgraph_subscribers 1"), "{metrics}");
}

#[test]
fn a_kill_9_loses_no_acknowledged_write() {
    let workspace = Workspace::new();
    let mut server = Server::start(&["--data", &workspace.data(), "--admin-token", TOKEN]);
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let base = server.base.clone();
    let writers: Vec<_> = (0..4)
        .map(|writer| {
            let (acknowledged, stop, base) = (acknowledged.clone(), stop.clone(), base.clone());
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
                let mut count = 0;
                while !stop.load(Ordering::Relaxed) {
                    let id = format!("durable-{writer}-{count}");
                    let body = json!({ "query": CREATE, "variables": { "input": {
                        "id": id, "label": format!("Durable {writer} {count}"), "kind": "DOCUMENT",
                        "sources": [{ "document": "https://example.org/durability" }] } } });
                    let Ok(mut response) = agent
                        .post(&format!("{base}/graphql"))
                        .header("authorization", "Bearer writer-token")
                        .send_json(&body)
                    else {
                        break;
                    };
                    let Ok(text) = response.body_mut().read_to_string() else {
                        break;
                    };
                    if text.contains("\"createEntity\":{") {
                        acknowledged.lock().unwrap().push(id);
                    }
                    count += 1;
                }
            })
        })
        .collect();
    let started = Instant::now();
    while acknowledged.lock().unwrap().len() < 40 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    // Kill without warning while writes are in flight.
    server.kill_9();
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.join().unwrap();
    }
    drop(server);
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= 40,
        "only {} writes were acknowledged",
        acknowledged.len()
    );
    let server = Server::start(&["--data", &workspace.data()]);
    let ids: Vec<String> = acknowledged.clone();
    let found = post(
        &server,
        None,
        "{ entities(search: \"durable\", first: 500) { totalCount edges { node { id } } } }",
        json!({}),
    );
    let present: std::collections::HashSet<&str> = found["data"]["entities"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap())
        .collect();
    let lost: Vec<&String> = ids.iter().filter(|id| !present.contains(id.as_str())).collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged writes were lost after kill -9: {lost:?}",
        lost.len()
    );
}

/// Method, path, headers and optional body of one request a hostile client might send.
type HostileRequest = (&'static str, String, Vec<(&'static str, &'static str)>, Option<Vec<u8>>);

#[test]
fn hostile_requests_are_4xx_and_change_nothing() {
    let server = Server::start(&["--memory", "--admin-token", TOKEN, "--max-body", "100000"]);
    let before = version(&server);
    let json_type = [("content-type", "application/json")];
    let deep = format!(
        "{{ entity(ref: \"onenet\") {}id{} }}",
        "{ relations { source ".repeat(10),
        " } }".repeat(10)
    );
    let wide = format!(
        "{{ {} }}",
        (0..40)
            .map(|i| format!("a{i}: stats {{ entities }}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let batch = format!("[{}]", vec![r#"{"query":"{ stats { entities } }"}"#; 50].join(","));
    let cases: Vec<HostileRequest> = vec![
        (
            "POST",
            "/graphql".into(),
            json_type.to_vec(),
            Some(b"{\"query\": ".to_vec()),
        ),
        ("POST", "/graphql".into(), json_type.to_vec(), Some(vec![b'{'; 200_000])),
        (
            "POST",
            "/graphql".into(),
            json_type.to_vec(),
            Some(json!({ "query": deep }).to_string().into_bytes()),
        ),
        (
            "POST",
            "/graphql".into(),
            json_type.to_vec(),
            Some(json!({ "query": wide }).to_string().into_bytes()),
        ),
        ("POST", "/graphql".into(), json_type.to_vec(), Some(batch.into_bytes())),
        (
            "POST",
            "/graphql".into(),
            json_type.to_vec(),
            Some(vec![0xff, 0xfe, b'{', 0x80]),
        ),
        (
            "POST",
            "/graphql".into(),
            json_type.to_vec(),
            Some(
                json!({ "query": "{ paths(from: \"onenet\", to: \"igf\", k: 100000) { length } }" })
                    .to_string()
                    .into_bytes(),
            ),
        ),
        (
            "POST",
            "/graphql".into(),
            json_type.to_vec(),
            Some(
                json!({ "query": "{ path(from: \"onenet\", to: \"igf\", maxHops: 100000) { length } }" })
                    .to_string()
                    .into_bytes(),
            ),
        ),
        (
            "POST",
            "/graphql".into(),
            json_type.to_vec(),
            Some(
                json!({ "query": "{ subgraph(roots: [\"onenet\"], depth: 1000, limit: 1000000) { truncated } }" })
                    .to_string()
                    .into_bytes(),
            ),
        ),
        ("GET", "/playground/..%2f..%2fCargo.toml".into(), vec![], None),
        ("GET", "/playground/%2e%2e/%2e%2e/etc/passwd".into(), vec![], None),
        ("GET", "/id/..%2f..%2fetc%2fpasswd".into(), vec![], None),
        (
            "POST",
            "/sparql/update".into(),
            vec![("content-type", "application/sparql-update")],
            Some(b"DROP ALL".to_vec()),
        ),
        (
            "PUT",
            "/store?graph=https%3A%2F%2Fexample.org%2Fg".into(),
            vec![("content-type", "text/turtle")],
            Some(b"<a:a> <a:b> <a:c> .".to_vec()),
        ),
        ("GET", "/sparql?query=%FF%FE".into(), vec![], None),
        (
            "GET",
            "/subgraph?root=onenet&depth=99999999999999999999".into(),
            vec![],
            None,
        ),
    ];
    for (method, path, headers, body) in cases {
        let response = raw_request(&server, method, &path, &headers, body.as_deref());
        let description = format!("{method} {path}");
        match response {
            Some((status, body)) => {
                // A GraphQL refusal: errors, and no field answered (a nullable field is null).
                let answer: Value = serde_json::from_str(&body).unwrap_or_default();
                let nothing_answered = answer["data"]
                    .as_object()
                    .is_none_or(|data| data.values().all(Value::is_null));
                let graphql_error = status == 200 && answer.get("errors").is_some() && nothing_answered;
                assert!(
                    (400..500).contains(&status) || graphql_error,
                    "{description}: {status} {}",
                    &body[..body.len().min(300)]
                );
                assert!(
                    body.trim_start().starts_with('{') || body.trim_start().starts_with('['),
                    "{description}: not JSON: {body}"
                );
            }
            None => panic!("{description}: no response"),
        }
    }
    assert_eq!(version(&server), before, "a hostile request changed the data");
    assert_eq!(server.get("/healthz").0, 200);
}
