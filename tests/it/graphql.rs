//! The GraphQL API over real HTTP: every query and argument on a fixture graph whose answers are
//! known by hand (tests/fixtures/graph.trig), each error code and limit, GraphQL over HTTP, and
//! the mission's example on the real seed.

use crate::util::{OxigraphServer, Server, Workspace, govgraph, project_file, seed, serve_backend};
use serde_json::{Value, json};
use std::sync::OnceLock;

/// One server on the fixture graph for all tests here (the data is only read).
fn fixture() -> &'static Server {
    static SERVER: OnceLock<(Workspace, Option<OxigraphServer>, Server)> = OnceLock::new();
    let (_, _, server) = SERVER.get_or_init(|| {
        let workspace = Workspace::new();
        let fixture = project_file("tests/fixtures/graph.trig");
        govgraph([
            "load".as_ref(),
            "--data".as_ref(),
            workspace.data().as_ref(),
            fixture.as_os_str(),
        ])
        .success();
        let (store, server) = serve_backend(
            &workspace,
            Some(&workspace.data()),
            &[
                "--max-hops",
                "6",
                "--max-k",
                "5",
                "--max-subgraph-nodes",
                "50",
                "--max-aliases",
                "3",
                "--max-batch",
                "2",
                "--max-query-depth",
                "6",
            ],
        );
        (workspace, store, server)
    });
    server
}

fn data(response: &Value) -> &Value {
    assert!(response.get("errors").is_none(), "unexpected errors: {response:#}");
    &response["data"]
}

/// The ids along `path` (an object with `nodes { id }`).
fn ids(path: &Value) -> Vec<&str> {
    path["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|node| node["id"].as_str().expect("an id"))
        .collect()
}

fn error_code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {response:#}"))
}

const PATH: &str = "query($from: String!, $to: String!, $via: [String!], $kinds: [RelationKind!], $openness: Openness,
    $directed: Boolean, $maxHops: Int, $temporal: Boolean) {
  path(from: $from, to: $to, via: $via, kinds: $kinds, openness: $openness, directed: $directed, maxHops: $maxHops,
       temporal: $temporal) { length nodes { id } relations { id kind source { id } target { id } } }
}";

fn path(variables: Value) -> Value {
    let response = fixture().graphql(PATH, variables);
    data(&response)["path"].clone()
}

#[test]
fn shortest_paths_break_ties_by_ids_and_show_every_hop() {
    let found = path(json!({ "from": "alpha", "to": "delta" }));
    assert_eq!(ids(&found), ["alpha", "bravo", "delta"]);
    assert_eq!(found["length"], 2);
    let relations: Vec<&str> = found["relations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(relations, ["alpha--precedes--bravo", "bravo--precedes--delta"]);
}

#[test]
fn path_filters_change_the_answer() {
    assert_eq!(
        ids(&path(json!({ "from": "alpha", "to": "echo" }))),
        ["alpha", "xray", "echo"]
    );
    // The closed session is the short way; open-only paths go round it.
    assert_eq!(
        ids(&path(json!({ "from": "alpha", "to": "echo", "openness": "OPEN" }))),
        ["alpha", "bravo", "delta", "echo"]
    );
    // The only one-hop link is indirect.
    assert_eq!(
        ids(&path(json!({ "from": "alpha", "to": "foxtrot" }))),
        ["alpha", "foxtrot"]
    );
    assert_eq!(
        ids(&path(json!({ "from": "alpha", "to": "foxtrot", "kinds": ["DIRECT"] }))),
        ["alpha", "bravo", "foxtrot"]
    );
    // Relations are walked either way unless `directed`.
    assert_eq!(
        ids(&path(json!({ "from": "delta", "to": "alpha" }))),
        ["delta", "bravo", "alpha"]
    );
    assert!(path(json!({ "from": "delta", "to": "alpha", "directed": true })).is_null());
    assert!(path(json!({ "from": "alpha", "to": "echo", "maxHops": 1 })).is_null());
    assert!(
        path(json!({ "from": "alpha", "to": "kilo" })).is_null(),
        "a disconnected pair has no path"
    );
}

#[test]
fn temporal_paths_never_go_back_in_time() {
    assert_eq!(
        ids(&path(json!({ "from": "delta", "to": "hotel" }))),
        ["delta", "golf", "hotel"]
    );
    assert_eq!(
        ids(&path(json!({ "from": "delta", "to": "hotel", "temporal": true }))),
        ["delta", "india", "juliet", "hotel"]
    );
}

#[test]
fn via_visits_the_waypoints_in_order() {
    assert_eq!(
        ids(&path(json!({ "from": "alpha", "to": "delta", "via": ["charlie"] }))),
        ["alpha", "charlie", "delta"]
    );
    assert_eq!(
        ids(&path(
            json!({ "from": "alpha", "to": "delta", "via": ["Xray Closed Session"] })
        )),
        ["alpha", "xray", "echo", "delta"]
    );
}

#[test]
fn k_shortest_paths_come_shortest_first_in_a_stable_order() {
    let response = fixture().graphql(
        "{ paths(from: \"alpha\", to: \"delta\", k: 3) { length nodes { id } } }",
        json!({}),
    );
    let paths = data(&response)["paths"].as_array().unwrap().clone();
    let sequences: Vec<Vec<&str>> = paths.iter().map(ids).collect();
    assert_eq!(
        sequences,
        [
            vec!["alpha", "bravo", "delta"],
            vec!["alpha", "charlie", "delta"],
            vec!["alpha", "foxtrot", "bravo", "delta"]
        ]
    );
}

#[test]
fn refs_match_ids_iris_labels_and_aliases_ignoring_case_and_accents() {
    for reference in [
        "sao-paulo-meeting",
        "https://w3id.org/govgraph/id/sao-paulo-meeting",
        "São Paulo Meeting",
        "sao paulo meeting",
        "SP MEETING",
    ] {
        let response = fixture().graphql(
            "query($r: String!) { entity(ref: $r) { id label } }",
            json!({ "r": reference }),
        );
        assert_eq!(data(&response)["entity"]["id"], "sao-paulo-meeting", "{reference}");
    }
}

/// A field error nulls that field only (GraphQL's "handling field errors"): a client fetching
/// several refs by alias keeps the answers of the others.
#[test]
fn a_field_error_nulls_only_its_field() {
    for missing in [
        "b: entity(ref: \"nonexistentzzz\") { id }",
        "b: path(from: \"nonexistentzzz\", to: \"alpha\") { length }",
        "b: entity(ref: \"Twin Meeting\") { id }",
    ] {
        let query = format!("{{ a: entity(ref: \"alpha\") {{ id }} {missing} c: stats {{ entities }} }}");
        let response = fixture().graphql(&query, json!({}));
        assert_eq!(response["data"]["a"]["id"], "alpha", "{response:#}");
        assert!(
            response["data"]["c"]["entities"].as_u64().is_some_and(|n| n > 0),
            "{response:#}"
        );
        assert!(response["data"]["b"].is_null(), "{response:#}");
        assert_eq!(response["errors"].as_array().map(Vec::len), Some(1), "{response:#}");
        assert_eq!(response["errors"][0]["path"], json!(["b"]), "{response:#}");
    }
}

#[test]
fn unknown_and_ambiguous_refs_are_explained() {
    let response = fixture().graphql("{ entity(ref: \"Alpah Forum\") { id } }", json!({}));
    assert_eq!(error_code(&response), "NOT_FOUND");
    assert_eq!(response["errors"][0]["extensions"]["suggestions"][0]["id"], "alpha");
    let response = fixture().graphql("{ path(from: \"Twin Meeting\", to: \"alpha\") { length } }", json!({}));
    assert_eq!(error_code(&response), "AMBIGUOUS");
    let candidates: Vec<&str> = response["errors"][0]["extensions"]["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(candidates, ["twin-one", "twin-two"]);
}

#[test]
fn entities_are_a_relay_connection_with_filters_and_search() {
    let query = "query($kind: EntityKind, $openness: Openness, $search: String, $first: Int, $after: String,
        $between: DateWindow) {
      entities(kind: $kind, openness: $openness, search: $search, first: $first, after: $after, between: $between) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } }
      } }";
    let page = |variables: Value| data(&fixture().graphql(query, variables))["entities"].clone();
    let listed = |connection: &Value| -> Vec<String> {
        connection["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = page(json!({ "first": 100 }));
    assert_eq!(all["totalCount"], 17);
    let first = page(json!({ "first": 5 }));
    assert_eq!(
        listed(&first),
        ["alpha", "bravo", "charlie", "delta", "echo"],
        "ordered by label"
    );
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    let next = page(json!({ "first": 5, "after": first["pageInfo"]["endCursor"] }));
    assert_eq!(listed(&next)[0], "fixture-source");
    assert_eq!(page(json!({ "kind": "DOCUMENT" }))["totalCount"], 3);
    assert_eq!(page(json!({ "openness": "CLOSED" }))["totalCount"], 3);
    assert_eq!(listed(&page(json!({ "search": "summit cooperation" }))), ["delta"]);
    assert_eq!(listed(&page(json!({ "search": "twin" }))), ["twin-one", "twin-two"]);
    let in_2011 = page(json!({ "between": { "from": "2011", "to": "2011" } }));
    assert_eq!(in_2011["totalCount"], 4);
    let response = fixture().graphql(query, json!({ "after": "not-a-cursor" }));
    assert_eq!(error_code(&response), "BAD_USER_INPUT");
}

#[test]
fn subgraphs_connections_timelines_stats_and_rankings() {
    let response = fixture().graphql(
        "{ subgraph(roots: [\"alpha\"], depth: 1) { nodes { id } relations { id } truncated }
           small: subgraph(roots: [\"alpha\"], depth: 2, limit: 3) { nodes { id } truncated } }",
        json!({}),
    );
    let subgraph = &data(&response)["subgraph"];
    assert_eq!(ids(subgraph), ["alpha", "bravo", "charlie", "foxtrot", "xray"]);
    assert_eq!(subgraph["relations"].as_array().unwrap().len(), 6);
    assert_eq!(subgraph["truncated"], false);
    assert_eq!(data(&response)["small"]["truncated"], true);
    assert_eq!(data(&response)["small"]["nodes"].as_array().unwrap().len(), 3);

    let response = fixture().graphql(
        "{ connections(a: \"alpha\", b: \"foxtrot\") { id label source { id } sources { document quote } } }",
        json!({}),
    );
    let connections = data(&response)["connections"].as_array().unwrap();
    let found: Vec<&str> = connections.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(found, ["alpha--inspired--foxtrot", "foxtrot--references--alpha"]);
    assert_eq!(connections[0]["sources"][0]["quote"], "alpha inspired foxtrot");

    let response = fixture().graphql("{ timeline(from: \"2011\", to: \"2011\") { id startDate } }", json!({}));
    let timeline: Vec<&str> = data(&response)["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(timeline, ["xray", "bravo", "charlie", "foxtrot"]);

    let response = fixture().graphql(
        "{ stats { entities relations byKind { kind count } byRelationKind { kind count } datasetVersion }
           centrality(metric: DEGREE, first: 2) { entity { id } score }
           components(first: 2) { size } }",
        json!({}),
    );
    let answer = data(&response);
    assert_eq!(answer["stats"]["entities"], 17);
    assert_eq!(answer["stats"]["relations"], 17);
    assert!(
        answer["stats"]["byKind"]
            .as_array()
            .unwrap()
            .contains(&json!({ "kind": "MEETING", "count": 12 }))
    );
    assert!(
        answer["stats"]["byRelationKind"]
            .as_array()
            .unwrap()
            .contains(&json!({ "kind": "INDIRECT", "count": 3 }))
    );
    let central: Vec<(&str, f64)> = answer["centrality"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["entity"]["id"].as_str().unwrap(), r["score"].as_f64().unwrap()))
        .collect();
    assert_eq!(central, [("alpha", 5.0), ("delta", 5.0)], "ties by id");
    assert_eq!(answer["components"], json!([{ "size": 12 }, { "size": 2 }]));
}

#[test]
fn every_response_carries_the_dataset_version_and_its_cost() {
    let first = fixture().graphql("{ stats { datasetVersion } }", json!({}));
    let version = first["extensions"]["datasetVersion"]
        .as_str()
        .expect("a dataset version")
        .to_owned();
    assert_eq!(version.len(), 16);
    assert_eq!(data(&first)["stats"]["datasetVersion"], version.as_str());
    assert!(first["extensions"]["cost"]["complexity"].as_u64().unwrap() >= 1);
    let again = fixture().graphql("{ entity(ref: \"alpha\") { id } }", json!({}));
    assert_eq!(
        again["extensions"]["datasetVersion"],
        version.as_str(),
        "the same data, the same version"
    );
    assert_ne!(
        seed().graphql("{ stats { entities } }", json!({}))["extensions"]["datasetVersion"],
        version.as_str()
    );
}

#[test]
fn limits_are_errors_that_name_them() {
    let cases = [
        (
            "{ path(from: \"alpha\", to: \"delta\", maxHops: 7) { length } }",
            "maxHops",
        ),
        ("{ paths(from: \"alpha\", to: \"delta\", k: 6) { length } }", "k"),
        ("{ subgraph(roots: [\"alpha\"], limit: 51) { truncated } }", "limit"),
        ("{ subgraph(roots: [\"alpha\"], depth: 5) { truncated } }", "depth"),
        (
            "{ a: stats { entities } b: stats { entities } c: stats { entities } d: stats { entities } }",
            "aliases",
        ),
        (
            "{ entity(ref: \"alpha\") { relations { source { relations { source { relations { source { id } } } } } } } }",
            "depth",
        ),
    ];
    for (query, limit) in cases {
        let response = fixture().graphql(query, json!({}));
        assert_eq!(error_code(&response), "LIMIT_EXCEEDED", "{query}: {response:#}");
        assert_eq!(response["errors"][0]["extensions"]["limit"], limit, "{query}");
    }
    let response = fixture().graphql("{ paths(from: \"alpha\", to: \"delta\", k: 0) { length } }", json!({}));
    assert_eq!(error_code(&response), "BAD_USER_INPUT");
    let response = fixture().graphql(
        "{ path(from: \"alpha\", to: \"delta\", maxHops: -1) { length } }",
        json!({}),
    );
    assert_eq!(error_code(&response), "BAD_USER_INPUT");
    let response = fixture().graphql("{ timeline(from: \"2014-13-45\") { id } }", json!({}));
    assert_eq!(error_code(&response), "BAD_USER_INPUT");
}

#[test]
fn graphql_over_http_status_codes_and_media_types() {
    let server = fixture();
    let json = [("content-type", "application/json")];
    // GET runs queries.
    let response = server.request("GET", "/graphql?query=%7Bstats%7Bentities%7D%7D", &[], None);
    assert_eq!(response.status, 200);
    assert!(
        response.content_type.starts_with("application/json"),
        "{}",
        response.content_type
    );
    assert!(response.body.contains("\"entities\":17"), "{}", response.body);
    // ...but not mutations.
    let response = server.request("GET", "/graphql?query=mutation%7Bx%7D", &[], None);
    assert_eq!(response.status, 405);
    assert_eq!(response.allow.as_deref(), Some("POST"));
    // The GraphQL response type: a request that cannot run is a 400 without `data`.
    let graphql_response = [
        ("content-type", "application/json"),
        ("accept", "application/graphql-response+json"),
    ];
    let response = server.request("POST", "/graphql", &graphql_response, Some(r#"{"query":"{ stats { "}"#));
    assert_eq!(response.status, 400);
    assert!(response.content_type.starts_with("application/graphql-response+json"));
    let body: Value = serde_json::from_str(&response.body).unwrap();
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(error_code(&body), "GRAPHQL_PARSE_FAILED");
    let response = server.request(
        "POST",
        "/graphql",
        &graphql_response,
        Some(r#"{"query":"{ noSuchField }"}"#),
    );
    assert_eq!(response.status, 400);
    assert_eq!(
        error_code(&serde_json::from_str(&response.body).unwrap()),
        "GRAPHQL_VALIDATION_FAILED"
    );
    // Variables that cannot be coerced (a required one left out or null) and an operation that
    // cannot be selected are request errors too, each with its code.
    for (body, code) in [
        (
            r#"{"query":"query Q($r: String!) { entity(ref: $r) { id } }"}"#,
            "BAD_USER_INPUT",
        ),
        (
            r#"{"query":"query Q($r: String!) { entity(ref: $r) { id } }","variables":{"r":null}}"#,
            "BAD_USER_INPUT",
        ),
        (
            r#"{"query":"query A { stats { entities } } query B { stats { relations } }"}"#,
            "BAD_REQUEST",
        ),
        (
            r#"{"query":"query A { stats { entities } }","operationName":"Z"}"#,
            "BAD_REQUEST",
        ),
    ] {
        let response = server.request("POST", "/graphql", &graphql_response, Some(body));
        assert_eq!(response.status, 400, "{body}: {}", response.body);
        let answer: Value = serde_json::from_str(&response.body).unwrap();
        assert!(answer.get("data").is_none(), "{answer}");
        assert_eq!(error_code(&answer), code, "{body}");
    }
    let missing = r#"{"query":"query Q($r: String!) { entity(ref: $r) { id } }"}"#;
    let answer: Value = serde_json::from_str(&server.request("POST", "/graphql", &json, Some(missing)).body).unwrap();
    assert_eq!(answer["errors"][0]["extensions"]["field"], "r", "{answer}");
    let given = r#"{"query":"query Q($r: String!) { entity(ref: $r) { id } }","variables":{"r":"alpha"}}"#;
    let answer: Value = serde_json::from_str(&server.request("POST", "/graphql", &json, Some(given)).body).unwrap();
    assert_eq!(answer["data"]["entity"]["id"], "alpha", "{answer}");
    // A field error still has data and a 200.
    let response = server.request(
        "POST",
        "/graphql",
        &graphql_response,
        Some(r#"{"query":"{ entity(ref: \"nobody\") { id } }"}"#),
    );
    assert_eq!(response.status, 200);
    // Plain JSON answers 200 for any well-formed request.
    let response = server.request("POST", "/graphql", &json, Some(r#"{"query":"{ stats { "}"#));
    assert_eq!(response.status, 200);
    // Malformed requests, whatever the client accepts: not JSON, parameters of the wrong type, no
    // document at all (graphql-http's audits 8764 and 3E3A send `qeury`).
    for accept in ["application/json", "application/graphql-response+json"] {
        let headers = [("content-type", "application/json"), ("accept", accept)];
        for body in [
            "{not json",
            r#"{"qeury":"{ __typename }"}"#,
            r#"{"query":42}"#,
            r#"{"query":""}"#,
            r#"{"query":"{ __typename }","variables":"x"}"#,
            r#"[{"query":"{ __typename }"},{"qeury":"{ __typename }"}]"#,
        ] {
            let response = server.request("POST", "/graphql", &headers, Some(body));
            assert_eq!(response.status, 400, "{accept} {body}: {}", response.body);
            let answer: Value = serde_json::from_str(&response.body).unwrap();
            assert_eq!(error_code(&answer), "BAD_REQUEST", "{accept} {body}");
        }
    }
    assert_eq!(
        server
            .request("POST", "/graphql", &[("content-type", "text/plain")], Some("{}"))
            .status,
        415
    );
    assert_eq!(
        server
            .request(
                "GET",
                "/graphql?query=%7Bstats%7Bentities%7D%7D",
                &[("accept", "image/png")],
                None
            )
            .status,
        406
    );
    // Browsers are sent to the playground, query and all.
    let response = server.request("GET", "/graphql?query=%7Bstats%7D", &[("accept", "text/html")], None);
    assert_eq!(response.status, 302);
    assert_eq!(server.request("GET", "/graphql", &[], None).status, 400);
    // Batches, up to the limit.
    let batch = r#"[{"query":"{ stats { entities } }"},{"query":"{ stats { relations } }"}]"#;
    let response = server.request("POST", "/graphql", &json, Some(batch));
    assert_eq!(response.status, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&response.body)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let too_many =
        r#"[{"query":"{ stats { entities } }"},{"query":"{ stats { entities } }"},{"query":"{ stats { entities } }"}]"#;
    let response = server.request("POST", "/graphql", &json, Some(too_many));
    assert_eq!(response.status, 400);
    assert_eq!(
        serde_json::from_str::<Value>(&response.body).unwrap()["errors"][0]["extensions"]["limit"],
        "batch"
    );
}

#[test]
fn montevideo_leads_through_1net_to_sao_paulo_on_the_seed() {
    for sao_paulo in ["São Paulo meeting", "Sao Paulo meeting"] {
        let response = seed().graphql(
            "query($to: String!) { path(from: \"Montevideo Statement\", via: [\"1Net\"], to: $to) {
                length nodes { id label } relations { label kind sources { document quote } } } }",
            json!({ "to": sao_paulo }),
        );
        let found = &data(&response)["path"];
        assert_eq!(
            ids(found),
            ["montevideo-statement-2013", "onenet", "netmundial-2014"],
            "{sao_paulo}"
        );
        let relations = found["relations"].as_array().unwrap();
        assert_eq!(relations[0]["label"], "inspired");
        assert_eq!(relations[1]["label"], "co-organizes");
        // Inspiration is influence; co-organizing is direct.
        assert_eq!(relations[0]["kind"], "INDIRECT");
        assert_eq!(relations[1]["kind"], "DIRECT");
        assert!(relations[1]["sources"].as_array().unwrap().iter().any(|s| {
            s["document"] == "000_05a3b9857162009c.txt"
                && s["quote"]
                    .as_str()
                    .is_some_and(|q| q.contains("partnership between CGI and 1Net"))
        }));
    }
}

#[test]
fn date_windows_keep_paths_inside_them() {
    let response = fixture().graphql(
        "{ path(from: \"delta\", to: \"hotel\", between: { from: \"2012\" }) { nodes { id } } }",
        json!({}),
    );
    // The 2005 statement is outside the window; undated entities pass.
    assert_eq!(ids(&data(&response)["path"]), ["delta", "india", "juliet", "hotel"]);
    let response = fixture().graphql(
        "{ subgraph(roots: [\"delta\"], between: { from: \"2012\", to: \"2012\" }) { nodes { id } } }",
        json!({}),
    );
    assert_eq!(ids(&data(&response)["subgraph"]), ["delta", "echo", "india"]);
    // A neighbourhood's window leaves the undated Juliet (two relations away) out unless asked.
    let subgraph = |flag: &str| {
        let response = fixture().graphql(
            &format!("{{ subgraph(roots: [\"delta\"], depth: 2, between: {{ from: \"2012\", to: \"2012\" }}{flag}) {{ nodes {{ id }} }} }}"),
            json!({}),
        );
        ids(&data(&response)["subgraph"])
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(subgraph(""), ["delta", "echo", "india"]);
    assert_eq!(subgraph(", includeUndated: false"), ["delta", "echo", "india"]);
    assert_eq!(subgraph(", includeUndated: true"), ["delta", "echo", "india", "juliet"]);
    let response = fixture().graphql(
        "{ path(from: \"alpha\", to: \"delta\", between: { from: \"2014\", to: \"2012\" }) { length } }",
        json!({}),
    );
    assert_eq!(error_code(&response), "BAD_USER_INPUT");
}

#[test]
fn complexity_and_time_limits_are_errors_too() {
    let workspace = Workspace::new();
    // Betweenness on a few thousand entities takes far longer than 20 ms.
    let generated = workspace.path("generated.nt").display().to_string();
    govgraph(["generate", "--nodes", "4000", "--degree", "6", "--out", &generated]).success();
    govgraph(["load", "--data", &workspace.data(), &generated]).success();
    let (_store, server) = serve_backend(
        &workspace,
        Some(&workspace.data()),
        &["--max-complexity", "5", "--request-timeout", "0.02"],
    );
    let response = server.graphql(
        "{ stats { entities relations byKind { kind count } datasetVersion } }",
        json!({}),
    );
    assert_eq!(error_code(&response), "LIMIT_EXCEEDED");
    assert_eq!(response["errors"][0]["extensions"]["limit"], "complexity");
    let response = server.graphql("{ centrality(metric: BETWEENNESS, first: 1) { score } }", json!({}));
    assert_eq!(error_code(&response), "LIMIT_EXCEEDED");
    assert_eq!(response["errors"][0]["extensions"]["limit"], "requestTimeout");
    assert_eq!(server.get("/healthz").0, 200, "the server is fine afterwards");
}

#[test]
fn every_type_field_argument_and_value_of_the_schema_is_described() {
    let response = fixture().graphql(
        "{ __schema { types { name description
            fields(includeDeprecated: true) { name description args { name description } }
            inputFields { name description }
            enumValues(includeDeprecated: true) { name description } } } }",
        json!({}),
    );
    let described = |item: &Value| item["description"].as_str().is_some_and(|text| !text.trim().is_empty());
    let list = |value: &Value| value.as_array().cloned().unwrap_or_default();
    let (mut missing, mut checked) = (Vec::new(), 0);
    let builtin = ["String", "Int", "Float", "Boolean", "ID"];
    for ty in list(&data(&response)["__schema"]["types"]) {
        let name = ty["name"].as_str().unwrap();
        if name.starts_with("__") || builtin.contains(&name) {
            continue;
        }
        let mut items = vec![(name.to_owned(), ty.clone())];
        for field in list(&ty["fields"]) {
            let field_name = format!("{name}.{}", field["name"].as_str().unwrap());
            for arg in list(&field["args"]) {
                items.push((format!("{field_name}({})", arg["name"].as_str().unwrap()), arg));
            }
            items.push((field_name, field));
        }
        for field in list(&ty["inputFields"]).into_iter().chain(list(&ty["enumValues"])) {
            items.push((format!("{name}.{}", field["name"].as_str().unwrap()), field));
        }
        checked += items.len();
        missing.extend(
            items
                .into_iter()
                .filter(|(_, item)| !described(item))
                .map(|(name, _)| name),
        );
    }
    // 36 types, 86 fields and 52 arguments when this test was written: finding far fewer means
    // the query broke, and an empty answer would pass anything.
    assert!(checked > 200, "only {checked} things checked");
    assert!(
        missing.is_empty(),
        "{} without a description: {missing:#?}",
        missing.len()
    );
}

/// The relation ids on `paths`' answer (an array of objects with `relations { id }`).
fn relation_ids(paths: &Value) -> Vec<&str> {
    let paths = paths.as_array().expect("paths");
    paths
        .iter()
        .flat_map(|path| path["relations"].as_array().expect("relations"))
        .map(|relation| relation["id"].as_str().expect("an id"))
        .collect()
}

#[test]
fn upstream_is_the_relations_walked_backwards_on_the_seed() {
    let response = seed().graphql(
        "{ up: subgraph(roots: [\"NETmundial\"], direction: IN) { nodes { id } }
           down: subgraph(roots: [\"NETmundial\"], direction: OUT) { nodes { id } }
           old: subgraph(roots: [\"NETmundial\"], directed: true) { nodes { id } }
           both: subgraph(roots: [\"NETmundial\"], directed: true, direction: OUT) { nodes { id } } }",
        json!({}),
    );
    let found = data(&response);
    // What fed into NETmundial: ICANN 49's comments and the Montevideo Statement, not the IGF
    // 2014 it fed into.
    assert!(ids(&found["up"]).contains(&"icann-49-singapore"), "{found:#}");
    assert!(ids(&found["up"]).contains(&"montevideo-statement-2013"), "{found:#}");
    assert!(!ids(&found["up"]).contains(&"igf-2014-istanbul"), "{found:#}");
    assert!(ids(&found["down"]).contains(&"igf-2014-istanbul"), "{found:#}");
    assert!(!ids(&found["down"]).contains(&"icann-49-singapore"), "{found:#}");
    assert_eq!(found["old"], found["down"], "directed: true is OUT");
    assert_eq!(found["both"], found["down"]);

    // The same upstream question as paths: from NETmundial back to what led to it.
    let response = seed().graphql(
        "{ path(from: \"NETmundial\", to: \"Montevideo Statement\", direction: IN) {
             nodes { id } relations { source { id } target { id } } } }",
        json!({}),
    );
    let path = &data(&response)["path"];
    let nodes = ids(path);
    assert_eq!(nodes.first(), Some(&"netmundial-2014"));
    for (i, relation) in path["relations"].as_array().unwrap().iter().enumerate() {
        assert_eq!(relation["target"]["id"], nodes[i], "walked backwards: {path:#}");
        assert_eq!(relation["source"]["id"], nodes[i + 1], "walked backwards: {path:#}");
    }

    for conflicting in [
        "directed: true, direction: IN",
        "directed: true, direction: BOTH",
        "directed: false, direction: OUT",
    ] {
        let response = seed().graphql(
            &format!("{{ paths(from: \"NETmundial\", to: \"itu-pp-2014\", {conflicting}) {{ length }} }}"),
            json!({}),
        );
        assert_eq!(error_code(&response), "BAD_USER_INPUT", "{conflicting}");
        let message = response["errors"][0]["message"].as_str().unwrap();
        assert!(
            message.contains("`directed") && message.contains("`direction"),
            "{message}"
        );
    }
}

/// Over every relation predicate of the ontology (each is used by the seed), a one-hop search
/// with `direction: OUT` crosses a relation forwards, and backwards only if its predicate is
/// declared `owl:SymmetricProperty`; `IN` the other way round.
#[test]
fn only_symmetric_predicates_are_walked_against_the_direction() {
    let sparql = "PREFIX gg: <https://w3id.org/govgraph/ns#>
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?p ?r ?s ?t ?symmetric WHERE {
          ?p rdfs:subPropertyOf gg:relatedTo .
          FILTER(?p NOT IN (gg:relatedTo, gg:directlyRelatedTo, gg:indirectlyRelatedTo))
          OPTIONAL { ?r gg:predicate ?p ; gg:source ?s ; gg:target ?t }
          BIND(EXISTS { ?p a owl:SymmetricProperty } AS ?symmetric)
        } ORDER BY ?p ?r";
    let response = seed().request(
        "POST",
        "/sparql",
        &[
            ("Content-Type", "application/sparql-query"),
            ("Accept", "application/sparql-results+json"),
        ],
        Some(sparql),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    let results: Value = serde_json::from_str(&response.body).unwrap();
    let mut seen = std::collections::BTreeMap::new();
    for row in results["results"]["bindings"].as_array().unwrap() {
        let predicate = row["p"]["value"].as_str().unwrap();
        let last = |key: &str| {
            row[key]["value"]
                .as_str()
                .map(|iri| iri.rsplit('/').next().unwrap().to_owned())
        };
        let Some(relation) = last("r") else {
            panic!("{predicate} has no relation in the seed to test it with")
        };
        let symmetric = row["symmetric"]["value"] == "true";
        seen.entry(predicate.to_owned())
            .or_insert((relation, last("s").unwrap(), last("t").unwrap(), symmetric));
    }
    assert!(seen.len() >= 20, "{seen:?}");
    let symmetric: Vec<&str> = seen.iter().filter(|(_, v)| v.3).map(|(p, _)| p.as_str()).collect();
    assert_eq!(symmetric, ["https://w3id.org/govgraph/ns#contrastedWith"]);
    for (predicate, (relation, source, target, symmetric)) in &seen {
        for (direction, from, to, expected) in [
            ("OUT", source, target, true),
            ("OUT", target, source, *symmetric),
            ("IN", target, source, true),
            ("IN", source, target, *symmetric),
        ] {
            // Every relation its own path; and folded, the one hop listing them all.
            let response = seed().graphql(
                "query($from: String!, $to: String!, $direction: Direction) {
                   paths(from: $from, to: $to, direction: $direction, maxHops: 1, k: 20, parallel: EXPAND) {
                     relations { id } }
                   folded: paths(from: $from, to: $to, direction: $direction, maxHops: 1) {
                     hops { relations { id } } } }",
                json!({ "from": from, "to": to, "direction": direction }),
            );
            let found = data(&response);
            let crossed = relation_ids(&found["paths"]).contains(&relation.as_str());
            let hops: Vec<Value> = found["folded"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|path| path["hops"].as_array().unwrap().clone())
                .collect();
            let listed = relation_ids(&Value::Array(hops)).contains(&relation.as_str());
            assert_eq!(
                (crossed, listed),
                (expected, expected),
                "{predicate}: {relation} from {from} to {to}, {direction}"
            );
        }
    }
}

/// The issue's example: downstream from NETmundial to the ITU Plenipotentiary 2014. Every hop
/// follows its relation from source to target except a symmetric one (`contrastedWith`, "is
/// kept apart from"), which has no direction to follow or to break.
#[test]
fn a_downstream_path_follows_every_relation_forwards_except_symmetric_ones() {
    let response = seed().graphql(
        "{ out: paths(from: \"NETmundial\", to: \"itu-pp-2014\", direction: OUT, k: 5) {
             nodes { id } relations { id predicate source { id } target { id } } }
           old: paths(from: \"NETmundial\", to: \"itu-pp-2014\", directed: true, k: 5) {
             nodes { id } relations { id predicate source { id } target { id } } }
           back: path(from: \"enhanced-cooperation\", to: \"cstd-wgigf\", direction: OUT) { relations { id } } }",
        json!({}),
    );
    let found = data(&response);
    assert_eq!(found["out"], found["old"]);
    let paths = found["out"].as_array().unwrap();
    assert!(!paths.is_empty());
    for path in paths {
        let nodes = ids(path);
        for (i, relation) in path["relations"].as_array().unwrap().iter().enumerate() {
            let forwards = relation["source"]["id"] == nodes[i] && relation["target"]["id"] == nodes[i + 1];
            let symmetric = relation["predicate"] == "https://w3id.org/govgraph/ns#contrastedWith";
            assert!(forwards || symmetric, "{relation} walked backwards in {path:#}");
        }
    }
    // The seed states the contrast from the WGIGF; a downstream search may cross it from the
    // enhanced-cooperation side too, since the relation reads the same both ways.
    assert_eq!(
        relation_ids(&json!([found["back"]])),
        ["cstd-wgigf--contrastedWith--enhanced-cooperation"]
    );
}

const PATHS_BOTH_WAYS: &str = "query($from: String!, $to: String!, $k: Int, $parallel: ParallelRelations,
    $direction: Direction) {
  paths(from: $from, to: $to, k: $k, parallel: $parallel, direction: $direction) { ...route }
  path(from: $from, to: $to, direction: $direction) { ...route }
}
fragment route on Path { length nodes { id } relations { id } hops { from { id } to { id } relations { id } } }";

/// A path as its entity ids, its relation ids and each hop's relation ids.
type Route = (Vec<String>, Vec<String>, Vec<Vec<String>>);

fn route(path: &Value) -> Route {
    let strings = |list: &Value, field: &str| -> Vec<String> {
        let list = list[field].as_array().unwrap_or_else(|| panic!("{field} in {path:#}"));
        list.iter()
            .map(|item| item["id"].as_str().expect("an id").to_owned())
            .collect()
    };
    let hops = path["hops"].as_array().expect("hops");
    let nodes = strings(path, "nodes");
    assert_eq!(path["length"].as_u64(), Some(hops.len() as u64), "{path:#}");
    for (i, hop) in hops.iter().enumerate() {
        assert_eq!(hop["from"]["id"], nodes[i], "{path:#}");
        assert_eq!(hop["to"]["id"], nodes[i + 1], "{path:#}");
    }
    let hops = hops.iter().map(|hop| strings(hop, "relations")).collect();
    (nodes, strings(path, "relations"), hops)
}

/// `paths` from `from` to `to` folded (default) and expanded, and `path`, checked against each
/// other; the folded routes are returned.
fn folded_and_expanded(from: &str, to: &str, direction: &str) -> Vec<Route> {
    const FOLDED: usize = 8;
    const EXPANDED: usize = 20;
    let ask = |k: usize, parallel: Option<&str>| {
        let variables = json!({ "from": from, "to": to, "k": k, "parallel": parallel, "direction": direction });
        let response = seed().graphql(PATHS_BOTH_WAYS, variables);
        let found = data(&response);
        let paths: Vec<Route> = found["paths"].as_array().expect("paths").iter().map(route).collect();
        (paths, found["path"].clone())
    };
    let (folded, shortest) = ask(FOLDED, None);
    let (expanded, _) = ask(EXPANDED, Some("EXPAND"));
    let context = format!("{from} to {to} {direction}");
    assert_eq!(
        folded.first(),
        (!shortest.is_null()).then(|| route(&shortest)).as_ref(),
        "{context}"
    );

    let mut sequences: Vec<&Vec<String>> = folded.iter().map(|(nodes, ..)| nodes).collect();
    sequences.sort();
    sequences.dedup();
    assert_eq!(
        sequences.len(),
        folded.len(),
        "two paths through the same entities, {context}"
    );
    for (_, relations, hops) in &folded {
        for (relation, hop) in relations.iter().zip(hops) {
            assert!(hop.is_sorted(), "{hop:?} out of id order, {context}");
            assert_eq!(
                Some(relation),
                hop.first(),
                "a path takes its hop's first relation, {context}"
            );
        }
    }
    for (_, relations, hops) in &expanded {
        let own: Vec<Vec<String>> = relations.iter().map(|relation| vec![relation.clone()]).collect();
        assert_eq!(hops, &own, "an expanded hop lists its own relation, {context}");
    }

    // Expanded, the paths are the folded ones with every choice at every hop, in relation id
    // order: as far as the folded ones reach, and entirely when they are all there are.
    let mut multiplied: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for (nodes, _, hops) in &folded {
        let mut choices: Vec<Vec<String>> = vec![Vec::new()];
        for hop in hops {
            choices = choices
                .iter()
                .flat_map(|before| {
                    hop.iter()
                        .map(move |relation| [before.clone(), vec![relation.clone()]].concat())
                })
                .collect();
        }
        multiplied.extend(choices.into_iter().map(|relations| (nodes.clone(), relations)));
    }
    let expanded: Vec<(Vec<String>, Vec<String>)> = expanded
        .into_iter()
        .map(|(nodes, relations, _)| (nodes, relations))
        .collect();
    let shared = multiplied.len().min(expanded.len());
    assert_eq!(expanded[..shared], multiplied[..shared], "{context}");
    if folded.len() < FOLDED {
        assert_eq!(expanded.len(), multiplied.len().min(EXPANDED), "{context}");
    }
    folded
}

/// Parallel relations on the seed (two relations between the same two entities, found in the
/// data): `paths` gives each sequence of entities once by default, its hops listing every
/// relation between their entities, and `parallel: EXPAND` gives every choice its own path.
#[test]
fn paths_fold_parallel_relations_into_hops_on_the_seed() {
    let response = seed().graphql(
        "{ entities(first: 500) { totalCount nodes { id relations { id source { id } target { id } } } } }",
        json!({}),
    );
    let entities = &data(&response)["entities"];
    let nodes = entities["nodes"].as_array().expect("nodes");
    assert_eq!(
        entities["totalCount"].as_u64(),
        Some(nodes.len() as u64),
        "one page holds the seed"
    );
    let mut between: std::collections::BTreeMap<(&str, &str), Vec<&str>> = Default::default();
    for relation in nodes
        .iter()
        .flat_map(|node| node["relations"].as_array().expect("relations"))
    {
        let ends = [relation["source"]["id"].as_str(), relation["target"]["id"].as_str()];
        let [Some(a), Some(b)] = ends else { panic!("{relation}") };
        let relations = between.entry((a.min(b), a.max(b))).or_default();
        relations.push(relation["id"].as_str().expect("an id"));
    }
    let parallel: Vec<((&str, &str), Vec<&str>)> = between
        .into_iter()
        .filter_map(|(pair, mut relations)| {
            // Each relation was listed by both its entities.
            relations.sort_unstable();
            relations.dedup();
            (relations.len() > 1).then_some((pair, relations))
        })
        .collect();
    assert!(
        !parallel.is_empty(),
        "the seed has entities joined by several relations"
    );

    for ((a, b), relations) in parallel.iter().take(4) {
        let folded = folded_and_expanded(a, b, "BOTH");
        let (nodes, _, hops) = &folded[0];
        assert_eq!(nodes, &[*a, *b], "joined directly");
        assert_eq!(
            hops,
            std::slice::from_ref(relations),
            "one hop lists every relation between {a} and {b}"
        );
        // The direct hop comes first; every other route is longer.
        assert!(folded[1..].iter().all(|(nodes, ..)| nodes.len() > 2));
    }
    for (from, to) in [
        ("cstd", "igf"),
        ("montevideo-statement-2013", "netmundial-2014"),
        (parallel[0].0.0, "netmundial-2014"),
    ] {
        for direction in ["BOTH", "OUT", "IN"] {
            folded_and_expanded(from, to, direction);
        }
    }
}
