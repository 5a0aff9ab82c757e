//! Stateless replicas over a real SPARQL store (an Oxigraph server process): the first replica
//! fills an empty store with the seed, writes through one replica reach the others' GraphQL,
//! paths and subscriptions, and a store that goes away and comes back costs readiness for a
//! while, never an acknowledged write or a replica. Replicas catch up through the store's change
//! feed, and pull everything only when the feed cannot bring them up to date.

use crate::util::subscribe;
use crate::util::{OxigraphServer, Server, Workspace, eventually};
use crate::writes::{CREATE, GRAPH_CHANGED, RELATE, TOKEN, entity, next_change, post, version};
use serde_json::{Value, json};

fn replica(store: &OxigraphServer, extra: &[&str]) -> Server {
    polling_every(store, "0.2", extra)
}

fn polling_every(store: &OxigraphServer, interval: &str, extra: &[&str]) -> Server {
    let mut args: Vec<String> = store.replica_args();
    args.extend(["--admin-token", TOKEN, "--poll-interval", interval].map(str::to_owned));
    args.extend(extra.iter().map(|arg| (*arg).to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    Server::start(&args)
}

fn label_of(server: &Server, reference: &str) -> Option<String> {
    let response = server.graphql(
        "query($ref: String!) { entity(ref: $ref) { label } }",
        json!({ "ref": reference }),
    );
    response["data"]["entity"]["label"].as_str().map(str::to_owned)
}

fn readiness(server: &Server) -> (u16, Value) {
    let (status, body) = server.get("/readyz");
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

#[test]
fn a_write_through_one_replica_reaches_the_others_queries_paths_and_subscribers() {
    let workspace = Workspace::new();
    let store = OxigraphServer::start(&workspace.path("oxigraph"));
    let first = replica(&store, &[]);
    let second = replica(&store, &[]);
    assert_eq!(
        label_of(&second, "onenet").as_deref(),
        Some("/1net"),
        "the seed reached the store"
    );
    assert_eq!(version(&first), version(&second));
    assert_eq!(readiness(&second).0, 200);

    let mut socket = subscribe(&second, GRAPH_CHANGED);
    std::thread::sleep(std::time::Duration::from_millis(300));
    create(&first, "Replicated Forum");
    relate(&first, "replicated-forum", "onenet");

    assert!(
        eventually(|| label_of(&second, "replicated-forum").is_some()),
        "the second replica sees the entity"
    );
    let change = next_change(&mut socket);
    assert_eq!(change["entityId"], "replicated-forum", "{change}");
    let path = second.graphql(
        r#"{ path(from: "replicated-forum", to: "netmundial-2014") { nodes { id } } }"#,
        json!({}),
    );
    let nodes = path["data"]["path"]["nodes"].as_array().cloned().unwrap_or_default();
    assert_eq!(nodes.get(1).map(|node| &node["id"]), Some(&json!("onenet")), "{path}");
    assert!(
        eventually(|| version(&first) == version(&second)),
        "one version everywhere"
    );

    // SPARQL Update through the second, seen by the first.
    sparql_update(
        &second,
        "INSERT DATA { GRAPH <https://w3id.org/govgraph/graph/curated> { id:replicated-forum skos:altLabel \"RF\" } }",
    );
    assert!(
        eventually(|| first
            .graphql(r#"{ entity(ref: "replicated-forum") { aliases } }"#, json!({}))
            .to_string()
            .contains("\"RF\"")),
        "the first replica sees the update"
    );
    // A third replica started now pulls everything, not the seed again.
    let third = replica(&store, &[]);
    assert_eq!(
        label_of(&third, "replicated-forum").as_deref(),
        Some("Replicated Forum")
    );
    assert_eq!(version(&third), version(&second));
}

#[test]
fn a_replica_goes_unready_while_its_store_is_away_and_loses_no_acknowledged_write() {
    let workspace = Workspace::new();
    let mut store = OxigraphServer::start(&workspace.path("oxigraph"));
    let server = replica(&store, &[]);
    let created = post(
        &server,
        Some(TOKEN),
        CREATE,
        json!({ "input": entity("Durable Forum") }),
    );
    assert!(created["errors"].is_null(), "{created}");

    store.stop();
    assert!(
        eventually(|| readiness(&server).0 == 503),
        "not ready without the store"
    );
    let (_, body) = readiness(&server);
    assert_eq!(body["status"], "unavailable");
    assert!(body["reason"].as_str().unwrap_or("").contains("unavailable"), "{body}");
    // Writes fail at once with a clear error; reads still answer from the last pull.
    let refused = post(&server, Some(TOKEN), CREATE, json!({ "input": entity("Lost Forum") }));
    assert_eq!(refused["errors"][0]["extensions"]["code"], "UNAVAILABLE", "{refused}");
    assert_eq!(label_of(&server, "durable-forum").as_deref(), Some("Durable Forum"));
    assert!(server.get("/healthz").0 == 200, "alive, though not ready");

    store.restart();
    assert!(eventually(|| readiness(&server).0 == 200), "ready again");
    assert_eq!(label_of(&server, "durable-forum").as_deref(), Some("Durable Forum"));
    assert_eq!(
        label_of(&server, "lost-forum"),
        None,
        "the refused write was not half made"
    );
    let again = post(&server, Some(TOKEN), CREATE, json!({ "input": entity("Later Forum") }));
    assert!(again["errors"].is_null(), "{again}");
    // A fresh replica finds both acknowledged writes in the store itself.
    let fresh = replica(&store, &[]);
    assert_eq!(label_of(&fresh, "durable-forum").as_deref(), Some("Durable Forum"));
    assert_eq!(label_of(&fresh, "later-forum").as_deref(), Some("Later Forum"));
}

/// How many times a replica caught up from the feed and from a full pull, by its log.
fn catch_ups(server: &Server) -> (usize, usize) {
    let log = server.stderr();
    let lines = || log.lines().filter(|line| line.contains("caught up with the store"));
    (
        lines().filter(|line| line.contains("the change feed")).count(),
        lines().filter(|line| line.contains("a full pull")).count(),
    )
}

fn create(server: &Server, label: &str) {
    let created = post(server, Some(TOKEN), CREATE, json!({ "input": entity(label) }));
    assert!(created["errors"].is_null(), "{created}");
}

fn sparql_update(server: &Server, update: &str) {
    let headers = [
        ("content-type", "application/sparql-update"),
        ("authorization", "Bearer writer-token"),
    ];
    let response = server.request("POST", "/sparql/update", &headers, Some(update));
    assert_eq!(response.status, 204, "{}", response.body);
}

fn relate(server: &Server, source: &str, target: &str) {
    let input = json!({ "input": { "source": source, "target": target, "kind": "DIRECT",
        "sources": [{ "document": "https://example.org/minutes" }] } });
    let related = post(server, Some(TOKEN), RELATE, input);
    assert!(related["errors"].is_null(), "{related}");
}

#[test]
fn replicas_apply_the_change_feed_and_pull_only_when_it_cannot_bring_them_up_to_date() {
    let workspace = Workspace::new();
    let mut store = OxigraphServer::start(&workspace.path("oxigraph"));
    let writer = replica(&store, &[]);
    let reader = replica(&store, &[]);
    // Curated writes reach the other replica through the feed, not a pull.
    create(&writer, "Fed Forum");
    relate(&writer, "fed-forum", "onenet");
    assert!(
        eventually(|| version(&reader) == version(&writer)),
        "the reader caught up"
    );
    assert_eq!(label_of(&reader, "fed-forum").as_deref(), Some("Fed Forum"));
    let path = reader.graphql(r#"{ path(from: "fed-forum", to: "onenet") { length } }"#, json!({}));
    assert_eq!(path["data"]["path"]["length"], 1, "{path}");
    assert!(eventually(|| catch_ups(&reader).0 >= 1), "{}", reader.stderr());
    let (fed, pulled) = catch_ups(&reader);
    assert!(
        fed >= 1 && pulled == 0,
        "fed {fed} times, pulled {pulled} times:\n{}",
        reader.stderr()
    );

    // The store restarts: its feed is on its disk, and the reader still follows it.
    store.stop();
    store.restart();
    assert!(eventually(|| readiness(&writer).0 == 200 && readiness(&reader).0 == 200));
    create(&writer, "After Restart Forum");
    assert!(eventually(|| label_of(&reader, "after-restart-forum").is_some()));
    assert_eq!(
        catch_ups(&reader).1,
        0,
        "no pull after the restart:\n{}",
        reader.stderr()
    );

    // A SPARQL Update runs operations a patch cannot state: it leaves a gap, and a full pull.
    sparql_update(
        &writer,
        "INSERT DATA { GRAPH <https://w3id.org/govgraph/graph/curated> { id:fed-forum skos:altLabel \"FF\" } }",
    );
    assert!(eventually(|| reader
        .graphql(r#"{ entity(ref: "fed-forum") { aliases } }"#, json!({}))
        .to_string()
        .contains("\"FF\"")));
    // The log reaches the test through a pipe and a reader thread: give it a moment.
    assert!(eventually(|| catch_ups(&reader).1 >= 1), "{}", reader.stderr());
    assert_eq!(catch_ups(&reader).1, 1, "one pull for the gap:\n{}", reader.stderr());
    assert_eq!(version(&reader), version(&writer));
}

#[test]
fn a_replica_further_behind_than_the_feed_reaches_pulls_everything() {
    let workspace = Workspace::new();
    let store = OxigraphServer::start(&workspace.path("oxigraph"));
    let writer = replica(&store, &[]);
    // It polls once an hour: only its own writes bring it up to date first.
    let behind = polling_every(&store, "3600", &[]);
    // The feed keeps the last 1 000 changes; 1 001 leave the laggard out of its reach.
    let count = 1_001;
    for n in 0..count {
        create(&writer, &format!("Lag {n}"));
    }
    create(&behind, "Laggard Forum");
    assert!(eventually(|| catch_ups(&behind).1 >= 1), "{}", behind.stderr());
    assert_eq!(catch_ups(&behind), (0, 1), "{}", behind.stderr());
    for n in [0, count / 2, count - 1] {
        assert_eq!(label_of(&behind, &format!("lag-{n}")), Some(format!("Lag {n}")));
    }
    assert!(eventually(|| label_of(&writer, "laggard-forum").is_some()));
    assert!(eventually(|| version(&writer) == version(&behind)));
}

#[test]
fn a_replica_refuses_to_start_without_its_store() {
    let port = crate::util::free_port();
    crate::util::govgraph(["serve", "--sparql-endpoint", &format!("http://127.0.0.1:{port}/query")])
        .failure()
        .stderr_contains(&format!(
            "the SPARQL store at http://127.0.0.1:{port}/query is unavailable"
        ));
    crate::util::govgraph(["serve", "--sparql-endpoint", "ftp://example.org/sparql"])
        .failure()
        .stderr_contains("is not an http(s) URL");
}
