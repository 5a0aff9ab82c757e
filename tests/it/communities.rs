//! Closeness, brokers and communities against networkx and igraph (python3), on the seed and on
//! generated graphs: closeness equals networkx's `closeness_centrality`, brokers are networkx's
//! `articulation_points`, our modularity is networkx's `community.modularity` of our partition and
//! within 5% of the best of igraph's Leiden runs; the same seed gives the same answer.

use crate::util::{Server, Workspace, govgraph, seed_server, serve_backend};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// Reads the graph and our answers from a JSON file; prints networkx's and igraph's.
const CHECK: &str = r#"
import json, random, sys
import networkx as nx
import igraph as ig
data = json.load(open(sys.argv[1]))
g = nx.Graph()
g.add_nodes_from(data["nodes"])
g.add_edges_from((a, b) for a, b in data["edges"] if a != b)
closeness = nx.closeness_centrality(g, wf_improved=True)
articulation = sorted(nx.articulation_points(g))
partition = [set(c) for c in data["partition"]]
modularity = nx.community.modularity(g, partition, resolution=data["resolution"]) if g.number_of_edges() else 0.0
index = {n: i for i, n in enumerate(data["nodes"])}
h = ig.Graph(n=len(data["nodes"]), edges=[(index[a], index[b]) for a, b in g.edges()])
best = 0.0
for seed in range(1, 6):
    random.seed(seed)
    found = h.community_leiden(objective_function="modularity", n_iterations=-1)
    best = max(best, h.modularity(found.membership))
print(json.dumps({"closeness": closeness, "articulation": articulation, "modularity": modularity, "igraph": best}))
"#;

/// Every page of a connection: the `nodes` of each.
fn all(server: &Server, field: &str, selection: &str) -> Vec<Value> {
    let mut found = Vec::new();
    let mut after = Value::Null;
    loop {
        let query = format!(
            "query($after: String) {{ {field}(first: 500, after: $after) {{ nodes {{ {selection} }} pageInfo {{ hasNextPage endCursor }} }} }}"
        );
        let response = server.graphql(&query, json!({ "after": after }));
        let page = &response["data"][field];
        assert!(page.is_object(), "{response}");
        found.extend(page["nodes"].as_array().unwrap().iter().cloned());
        if page["pageInfo"]["hasNextPage"] != true {
            return found;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

fn ask(server: &Server, query: &str) -> Value {
    let response = server.graphql(query, json!({}));
    assert!(response["errors"].is_null(), "{query}: {response}");
    response["data"].clone()
}

fn ranked(data: &Value) -> Vec<(String, f64)> {
    data.as_array()
        .unwrap()
        .iter()
        .map(|item| {
            (
                item["entity"]["id"].as_str().unwrap().to_owned(),
                item["score"].as_f64().unwrap(),
            )
        })
        .collect()
}

const REPORT: &str = "modularity count communities { id size members(first: 5000) { id } central(first: 3) { id } }";

/// Compares everything on one server (started with `--max-page 5000`).
fn compare(server: &Server, what: &str) -> Value {
    let nodes: Vec<String> = all(server, "entities", "id")
        .iter()
        .map(|node| node["id"].as_str().unwrap().to_owned())
        .collect();
    let edges: Vec<(String, String)> = all(server, "relations", "source { id } target { id }")
        .iter()
        .map(|relation| {
            (
                relation["source"]["id"].as_str().unwrap().to_owned(),
                relation["target"]["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(nodes.len() > 10 && !edges.is_empty(), "{what}");

    let data = ask(
        server,
        &format!(
            "{{ closeness: centrality(metric: CLOSENESS, first: 5000) {{ entity {{ id }} score }}
               brokers(first: 5000) {{ entity {{ id }} score }}
               communities(first: 5000) {{ {REPORT} }} }}"
        ),
    );
    let closeness: BTreeMap<String, f64> = ranked(&data["closeness"]).into_iter().collect();
    let brokers = ranked(&data["brokers"]);
    let report = &data["communities"];
    let partition: Vec<Vec<String>> = report["communities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|community| {
            community["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|member| member["id"].as_str().unwrap().to_owned())
                .collect()
        })
        .collect();

    let workspace = Workspace::new();
    let input = json!({ "nodes": nodes, "edges": edges, "partition": partition, "resolution": 1.0 });
    let path = workspace.write("graph.json", &input.to_string());
    let output = Command::new("python3")
        .arg("-c")
        .arg(CHECK)
        .arg(&path)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "networkx/igraph: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let expected: Value = serde_json::from_slice(&output.stdout).unwrap();

    // Closeness: every entity, networkx's value.
    assert_eq!(closeness.len(), nodes.len(), "{what}: every entity is ranked");
    for (id, score) in expected["closeness"].as_object().unwrap() {
        let ours = closeness[id];
        assert!(
            (ours - score.as_f64().unwrap()).abs() < 1e-9,
            "{what}: closeness of {id}: {ours} vs {score}"
        );
    }
    // Ranked highest first, ties by id.
    let ranking = ranked(&data["closeness"]);
    assert!(
        ranking
            .windows(2)
            .all(|w| w[0].1 > w[1].1 || (w[0].1 == w[1].1 && w[0].0 < w[1].0))
    );

    // Brokers: networkx's articulation points, most separating first, ties by id.
    let ours: BTreeSet<String> = brokers.iter().map(|(id, _)| id.clone()).collect();
    let theirs: BTreeSet<String> = expected["articulation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ours, theirs, "{what}: articulation points");
    assert!(brokers.iter().all(|(_, score)| *score >= 1.0));
    assert!(
        brokers
            .windows(2)
            .all(|w| w[0].1 > w[1].1 || (w[0].1 == w[1].1 && w[0].0 < w[1].0))
    );

    // Communities: a partition of every entity, ordered by size then smallest id, whose
    // modularity is networkx's and near igraph's best.
    let sizes: Vec<usize> = partition.iter().map(Vec::len).collect();
    assert_eq!(sizes.iter().sum::<usize>(), nodes.len(), "{what}");
    assert_eq!(report["count"].as_u64().unwrap() as usize, partition.len());
    let members: BTreeSet<&String> = partition.iter().flatten().collect();
    assert_eq!(members.len(), nodes.len(), "{what}: each entity once");
    assert!(
        partition
            .windows(2)
            .all(|w| w[0].len() > w[1].len() || (w[0].len() == w[1].len() && w[0][0] < w[1][0]))
    );
    for (at, community) in report["communities"].as_array().unwrap().iter().enumerate() {
        assert_eq!(community["id"].as_u64().unwrap() as usize, at);
        assert_eq!(community["size"].as_u64().unwrap() as usize, partition[at].len());
        assert!(!community["central"].as_array().unwrap().is_empty());
    }
    let modularity = report["modularity"].as_f64().unwrap();
    let networkx = expected["modularity"].as_f64().unwrap();
    assert!(
        (modularity - networkx).abs() < 1e-9,
        "{what}: modularity {modularity} vs networkx {networkx}"
    );
    let igraph = expected["igraph"].as_f64().unwrap();
    assert!(
        modularity >= 0.95 * igraph,
        "{what}: modularity {modularity} vs igraph's best {igraph}"
    );
    eprintln!(
        "{what}: {} entities, {} relations, {} communities, modularity {modularity:.4} (igraph {igraph:.4}), {} brokers",
        nodes.len(),
        edges.len(),
        partition.len(),
        brokers.len()
    );
    data["communities"].clone()
}

#[test]
fn closeness_brokers_and_communities_on_the_seed_agree_with_networkx() {
    let server = seed_server(&["--max-page", "5000"]);
    let first = compare(&server, "seed");
    // The same seed again, and a second server on the same data: the same answer.
    let again = ask(&server, &format!("{{ communities(first: 5000) {{ {REPORT} }} }}"));
    assert_eq!(again["communities"], first);
    let other = seed_server(&["--max-page", "5000"]);
    let fresh = ask(&other, &format!("{{ communities(first: 5000) {{ {REPORT} }} }}"));
    assert_eq!(fresh["communities"], first, "computed afresh");

    // The other arguments answer too: a resolution, a seed, relation kinds, a date, openness.
    let data = ask(
        &server,
        "{ fine: communities(resolution: 2.0, first: 1) { modularity count communities { size } }
           direct: communities(kinds: [DIRECT], seed: 3) { count }
           early: communities(asOf: \"2005\", first: 5000) { communities { size } }
           brokers2005: brokers(asOf: \"2005\", first: 3) { entity { id } score }
           closeness2005: centrality(metric: CLOSENESS, asOf: \"2005\", first: 3) { score }
           around: centrality(metric: CLOSENESS, roots: [\"netmundial-2014\"], depth: 1, first: 3) { score } }",
    );
    assert!(data["fine"]["count"].as_u64().unwrap() >= first["count"].as_u64().unwrap());
    assert_eq!(data["fine"]["communities"].as_array().unwrap().len(), 1);
    assert!(data["direct"]["count"].as_u64().unwrap() > 0);
    let early: u64 = data["early"]["communities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["size"].as_u64().unwrap())
        .sum();
    let all: u64 = first["communities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["size"].as_u64().unwrap())
        .sum();
    assert!(
        0 < early && early < all,
        "{early} of {all} entities had started by 2005"
    );
    // Openness: the open processes alone, every one of them in a community, no other.
    let open = ask(
        &server,
        "{ open: communities(openness: OPEN, first: 5000) { communities { members(first: 5000) { openness } } }
           entities(openness: OPEN) { totalCount } }",
    );
    let members: Vec<&Value> = open["open"]["communities"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["members"].as_array().unwrap())
        .collect();
    assert!(members.iter().all(|m| m["openness"] == "OPEN"), "{open}");
    assert_eq!(members.len() as u64, open["entities"]["totalCount"].as_u64().unwrap());
    // Around one entity at depth 1 it is the centre of a star: closeness 1.
    assert_eq!(data["around"][0]["score"].as_f64().unwrap(), 1.0, "{data}");

    let bad = server.graphql("{ communities(resolution: -1) { count } }", json!({}));
    assert_eq!(bad["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{bad}");
    let bad = server.graphql("{ communities(seed: -1) { count } }", json!({}));
    assert_eq!(bad["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{bad}");
}

#[test]
fn on_generated_graphs_modularity_is_near_igraph_s_best() {
    for (nodes, degree, seed) in [("300", "4", "42"), ("1200", "6", "7")] {
        let workspace = Workspace::new();
        let generated = workspace.path("generated.nt").display().to_string();
        govgraph([
            "generate", "--nodes", nodes, "--degree", degree, "--seed", seed, "--out", &generated,
        ])
        .success();
        govgraph(["load", "--data", &workspace.data(), &generated]).success();
        let (store, server) = serve_backend(&workspace, Some(&workspace.data()), &["--max-page", "5000"]);
        let first = compare(&server, &format!("generated {nodes}/{degree}/{seed}"));
        server.stop();
        // The same data, a new server (a replica's store stays up).
        let server = match &store {
            Some(store) => Server::start_with(&store.replica_args(), &["--max-page", "5000"]),
            None => serve_backend(&workspace, Some(&workspace.data()), &["--max-page", "5000"]).1,
        };
        let again = ask(&server, &format!("{{ communities(first: 5000) {{ {REPORT} }} }}"));
        assert_eq!(
            again["communities"], first,
            "the same seed, a new server: the same answer"
        );
        server.stop();
    }
}
