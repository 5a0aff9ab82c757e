//! `govgraph serve`: seeds an empty store once, never twice, keeps the data across restarts,
//! refuses a second writer, and answers errors in JSON.

use crate::util::{Server, Workspace, govgraph, project_file};
use serde_json::Value;

/// What the server says it serves: (entities, relations, dataset version).
fn health(server: &Server) -> (u64, u64, String) {
    let (status, body) = server.get("/healthz");
    assert_eq!(status, 200, "{body}");
    let health: Value = serde_json::from_str(&body).expect("JSON health");
    assert_eq!(health["status"], "ok");
    (
        health["entities"].as_u64().expect("an entity count"),
        health["relations"].as_u64().expect("a relation count"),
        health["datasetVersion"].as_str().expect("a version").to_owned(),
    )
}

#[test]
fn the_seed_is_loaded_once_and_survives_restarts_without_duplicates() {
    let workspace = Workspace::new();
    let data = workspace.data();
    let server = Server::start(&["--data", &data]);
    assert!(server.base.starts_with("http://127.0.0.1:"), "{}", server.base);
    let seeded = health(&server);
    assert!(seeded.0 > 150 && seeded.1 > 170, "the seed has only {seeded:?}");
    server.stop();
    let quads = workspace.quad_count();
    assert!(quads > 5_000, "the seed has only {quads} quads");

    let server = Server::start(&["--data", &data]);
    assert_eq!(health(&server), seeded, "a restart changed the graph");
    server.stop();
    assert_eq!(workspace.quad_count(), quads, "a restart changed the store");
    let chain = "PREFIX gg: <https://w3id.org/govgraph/ns#> PREFIX id: <https://w3id.org/govgraph/id/> \
        ASK { id:montevideo-statement-2013 gg:indirectlyRelatedTo id:onenet . id:onenet gg:directlyRelatedTo id:netmundial-2014 }";
    govgraph(["query", "--data", &data, chain])
        .success()
        .stdout_contains("true");
}

#[test]
fn no_seed_loads_only_the_ontology() {
    let workspace = Workspace::new();
    let server = Server::start(&["--data", &workspace.data(), "--no-seed"]);
    let (entities, relations, _) = health(&server);
    assert_eq!((entities, relations), (0, 0));
    server.stop();
    let ontology_only = workspace.quad_count();
    let graphs = govgraph([
        "query",
        "--data",
        &workspace.data(),
        "--format",
        "tsv",
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
    ])
    .success();
    let mut graphs: Vec<&str> = graphs.stdout.lines().skip(1).collect();
    graphs.sort_unstable();
    // The ontology, and the change log that versions the dataset.
    assert_eq!(
        graphs,
        [
            "<https://w3id.org/govgraph/graph/meta>",
            "<https://w3id.org/govgraph/graph/ontology>"
        ]
    );
    assert!(ontology_only > 100 && ontology_only < 2_000, "{ontology_only}");
}

#[test]
fn memory_mode_writes_nothing_to_disk() {
    let workspace = Workspace::new();
    let server = Server::start(&["--memory", "--data", &workspace.data()]);
    assert!(health(&server).0 > 150);
    server.stop();
    assert!(!workspace.path("data").exists(), "--memory created the data directory");
}

#[test]
fn a_data_directory_held_by_a_server_is_refused_with_one_clear_line() {
    let workspace = Workspace::new();
    let server = Server::start(&["--data", &workspace.data()]);
    let before = health(&server);
    let file = workspace.write(
        "extra.nt",
        "<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n",
    );
    let csv = workspace.write("entities.csv", "id,label,kind\nextra,Extra,meeting\n");
    for args in [
        vec!["load", "--data", &workspace.data(), &file],
        vec!["import", "--data", &workspace.data(), "--entities", &csv],
        vec!["query", "--data", &workspace.data(), "ASK { ?s ?p ?o }"],
        vec!["export", "--data", &workspace.data(), "--format", "nquads"],
    ] {
        let run = govgraph(&args)
            .failure()
            .stderr_contains("is in use by another govgraph process");
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    }
    assert_eq!(health(&server), before, "the server is unaffected");
    server.stop();
    assert!(workspace.quad_count() > 5_000, "the store is intact");
}

#[test]
fn unknown_routes_are_json_errors() {
    let server = Server::start(&["--memory", "--no-seed"]);
    let (status, body) = server.get("/no/such/route");
    assert_eq!(status, 404);
    let error: Value = serde_json::from_str(&body).expect("a JSON error");
    assert_eq!(error["error"]["code"], "NOT_FOUND");
    assert!(
        error["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("/no/such/route"))
    );
}

#[test]
fn bad_addresses_are_refused_clearly() {
    govgraph(["serve", "--memory", "--bind", "not-an-address"])
        .failure()
        .stderr_contains("invalid value 'not-an-address'");
    let server = Server::start(&["--memory", "--no-seed"]);
    let taken = server.base.trim_start_matches("http://").to_owned();
    govgraph(["serve", "--memory", "--no-seed", "--bind", &taken])
        .failure()
        .stderr_contains("Address already in use");
}

#[test]
fn metrics_report_the_graph_and_the_requests() {
    let server = Server::start(&["--memory"]);
    let stats = server.graphql("{ stats { entities relations } }", serde_json::json!({}));
    let (status, metrics) = server.get("/metrics");
    assert_eq!(status, 200);
    let gauge = |name: &str| -> f64 {
        metrics
            .lines()
            .find_map(|line| line.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')))
            .and_then(|value| value.trim().parse().ok())
            .unwrap_or_else(|| panic!("{name} in\n{metrics}"))
    };
    assert_eq!(
        gauge("govgraph_entities"),
        stats["data"]["stats"]["entities"].as_f64().unwrap()
    );
    assert_eq!(
        gauge("govgraph_relations"),
        stats["data"]["stats"]["relations"].as_f64().unwrap()
    );
    // Each relation costs at least its id and its edge.
    assert!(
        gauge("govgraph_projection_bytes") > 20.0 * gauge("govgraph_relations"),
        "{metrics}"
    );
    assert_eq!(gauge("govgraph_store_disk_bytes"), 0.0, "in memory");
    assert!(
        metrics.contains("govgraph_http_requests_total{method=\"POST\",route=\"/graphql\",status=\"200\"} 1"),
        "{metrics}"
    );
}

#[test]
fn metrics_count_errors_by_code_and_name_the_build_and_the_dataset() {
    let server = Server::start(&["--memory", "--sparql-timeout", "0.05"]);
    let missing = server.graphql(
        r#"{ a: stats { entities } b: entity(ref: "nonexistentzzz") { id } }"#,
        serde_json::json!({}),
    );
    assert_eq!(missing["errors"][0]["extensions"]["code"], "NOT_FOUND", "{missing}");
    server.graphql("{ nosuchfield }", serde_json::json!({}));
    let explosive = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let (status, _) = server.get(&format!("/sparql?query={}", crate::util::encode(explosive)));
    assert_eq!(status, 503);
    let (status, _) = server.get("/id/nonexistentzzz");
    assert_eq!(status, 404);
    let (_, metrics) = server.get("/metrics");
    let version = server.graphql("{ stats { entities } }", serde_json::json!({}))["extensions"]["datasetVersion"]
        .as_str()
        .unwrap()
        .to_owned();
    for line in [
        "govgraph_graphql_errors_total{code=\"NOT_FOUND\"} 1".to_owned(),
        "govgraph_graphql_errors_total{code=\"GRAPHQL_VALIDATION_FAILED\"} 1".to_owned(),
        "govgraph_http_error_codes_total{route=\"/sparql\",code=\"TIMEOUT\"} 1".to_owned(),
        "govgraph_http_error_codes_total{route=\"/id/{id}\",code=\"NOT_FOUND\"} 1".to_owned(),
        format!("govgraph_build_info{{version=\"{}\"}} 1", env!("CARGO_PKG_VERSION")),
        format!("govgraph_dataset_info{{version=\"{version}\"}} 1"),
    ] {
        assert!(metrics.lines().any(|l| l == line), "{line} in\n{metrics}");
    }
}

/// Waits until the server has logged `expected` (the start-up snapshot is written in the
/// background).
fn wait_for_log(server: &Server, expected: &str) {
    for _ in 0..600 {
        if server.stderr().contains(expected) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the server never logged {expected:?}\n{}", server.stderr());
}

/// Creates an entity with the admin token `t` through GraphQL; the write must succeed.
fn create_entity(server: &Server, id: &str, label: &str) -> crate::util::HttpResponse {
    let query = format!(
        r#"mutation {{ createEntity(input: {{ id: "{id}", label: "{label}", kind: MEETING, sources: [{{ document: "https://example.org/s", quote: "s" }}] }}) {{ id }} }}"#
    );
    let created = server.request(
        "POST",
        "/graphql",
        &[("content-type", "application/json"), ("authorization", "Bearer t")],
        Some(&serde_json::json!({ "query": query }).to_string()),
    );
    assert!(!created.body.contains("errors"), "{}", created.body);
    created
}

#[test]
fn restarts_read_the_catalog_snapshot_only_when_it_is_current() {
    let workspace = Workspace::new();
    let data = workspace.data();
    let server = Server::start(&["--data", &data, "--admin-token", "t"]);
    wait_for_log(&server, "catalog read from the store");
    wait_for_log(&server, "catalog snapshot written");
    create_entity(&server, "snapshot-check", "Snapshot check");
    let counts = health(&server);
    server.stop(); // a graceful stop saves the catalog as it now is

    let server = Server::start(&["--data", &data]);
    wait_for_log(&server, "catalog read from its snapshot");
    assert_eq!(health(&server), counts, "the write is in the snapshot");
    let found = server.graphql(r#"{ entity(ref: "snapshot-check") { label } }"#, serde_json::json!({}));
    assert_eq!(found["data"]["entity"]["label"], "Snapshot check");
    server.stop();

    // `load` leaves the snapshot of what it wrote: the next start reads it, not the store.
    let snapshot = std::path::Path::new(&data).join("govgraph-catalog.snapshot");
    let before_load = std::fs::read(&snapshot).unwrap();
    govgraph([
        "load",
        "--data",
        &data,
        &project_file("tests/fixtures/graph.trig").display().to_string(),
    ])
    .success();
    let server = Server::start(&["--data", &data]);
    wait_for_log(&server, "catalog read from its snapshot");
    let loaded = health(&server);
    assert!(loaded.0 > counts.0, "the loaded entities are there");
    server.stop();

    // A snapshot from before the load is stale: the store is read instead.
    std::fs::write(&snapshot, &before_load).unwrap();
    let server = Server::start(&["--data", &data]);
    wait_for_log(&server, "catalog snapshot is stale");
    wait_for_log(&server, "catalog read from the store");
    assert_eq!(health(&server), loaded);
    wait_for_log(&server, "catalog snapshot written");
    server.stop();

    // A damaged snapshot (cut short, as by a full disk) is reported and ignored.
    let whole = std::fs::read(&snapshot).unwrap();
    std::fs::write(&snapshot, &whole[..whole.len() / 2]).unwrap();
    let server = Server::start(&["--data", &data]);
    wait_for_log(&server, "catalog snapshot damaged");
    wait_for_log(&server, "catalog read from the store");
    server.stop();
}

#[test]
fn the_log_is_plain_text_off_a_terminal_and_json_lines_on_request() {
    // The harness reads the server's standard error through a pipe: no colour codes.
    let server = Server::start(&["--memory"]);
    wait_for_log(&server, "listening");
    assert!(!server.stderr().contains('\u{1b}'), "{}", server.stderr());
    server.stop();

    let server = Server::start(&["--memory", "--admin-token", "t", "--log-format", "json"]);
    wait_for_log(&server, "listening");
    let created = create_entity(&server, "log-check", "Log check");
    let request_id = created
        .header("x-request-id")
        .expect("an x-request-id header")
        .to_owned();
    wait_for_log(&server, "write committed");
    let lines: Vec<serde_json::Value> = server
        .stderr()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|error| panic!("not a JSON line ({error}): {line}")))
        .collect();
    assert!(
        lines
            .iter()
            .all(|line| line["level"].is_string() && line["timestamp"].is_string())
    );
    let listening = lines
        .iter()
        .find(|line| line["fields"]["message"] == "listening")
        .unwrap();
    assert!(
        listening["fields"]["address"]
            .as_str()
            .unwrap()
            .starts_with("127.0.0.1:")
    );
    let write = lines
        .iter()
        .find(|line| line["fields"]["message"] == "write committed")
        .unwrap();
    assert_eq!(write["span"]["request_id"], request_id.as_str(), "{write}");
    server.stop();
}
