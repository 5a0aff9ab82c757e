//! `govgraph serve`: seeds an empty store once, never twice, keeps the data across restarts,
//! refuses a second writer, and answers errors in JSON.

use crate::util::{Server, Workspace, govgraph};
use serde_json::Value;

fn quads(server: &Server) -> u64 {
    let (status, body) = server.get("/healthz");
    assert_eq!(status, 200, "{body}");
    let health: Value = serde_json::from_str(&body).expect("JSON health");
    assert_eq!(health["status"], "ok");
    health["quads"].as_u64().expect("a quad count")
}

#[test]
fn the_seed_is_loaded_once_and_survives_restarts_without_duplicates() {
    let workspace = Workspace::new();
    let data = workspace.data();
    let server = Server::start(&["--data", &data]);
    assert!(server.base.starts_with("http://127.0.0.1:"), "{}", server.base);
    let seeded = quads(&server);
    assert!(seeded > 5_000, "the seed has only {seeded} quads");
    server.stop();

    let server = Server::start(&["--data", &data]);
    assert_eq!(quads(&server), seeded, "a restart changed the store");
    server.stop();
    // The same on-disk data, read by the offline commands.
    assert_eq!(workspace.quad_count() as u64, seeded);
    let chain = "PREFIX gg: <https://w3id.org/govgraph/ns#> PREFIX id: <https://w3id.org/govgraph/id/> \
        ASK { id:montevideo-statement-2013 gg:directlyRelatedTo id:onenet . id:onenet gg:directlyRelatedTo id:netmundial-2014 }";
    govgraph(["query", "--data", &data, chain])
        .success()
        .stdout_contains("true");
}

#[test]
fn no_seed_loads_only_the_ontology() {
    let workspace = Workspace::new();
    let server = Server::start(&["--data", &workspace.data(), "--no-seed"]);
    let ontology_only = quads(&server);
    server.stop();
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
    assert!(quads(&server) > 5_000);
    server.stop();
    assert!(!workspace.path("data").exists(), "--memory created the data directory");
}

#[test]
fn a_data_directory_held_by_a_server_is_refused_with_one_clear_line() {
    let workspace = Workspace::new();
    let server = Server::start(&["--data", &workspace.data()]);
    let before = quads(&server);
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
    assert_eq!(quads(&server), before, "the server is unaffected");
    server.stop();
    assert_eq!(workspace.quad_count() as u64, before, "nothing was written");
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
