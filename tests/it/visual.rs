//! `/subgraph` for visualization tools: every format has the same nodes and relations as GraphQL
//! `subgraph`, real tools read it (networkx for GraphML and GEXF, Graphviz for DOT), hostile
//! labels survive every format, and every format that styles draws what `/legend` says.

use crate::util::{Server, Workspace};
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfParser};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

const TOKEN: &str = "visual-token";
/// A label with everything that breaks naive writers.
const HOSTILE: &str = "Quote \"double\" & 'single' <tag> São Paulo\nsecond line\\end";

fn server() -> Server {
    let server = Server::start(&["--memory", "--admin-token", TOKEN]);
    let label = HOSTILE.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    let data = format!(
        "@prefix gg: <https://w3id.org/govgraph/ns#> . @prefix id: <https://w3id.org/govgraph/id/> .
         @prefix rel: <https://w3id.org/govgraph/rel/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
         @prefix schema: <http://schema.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
         id:hostile-forum a gg:Meeting ; rdfs:label \"{label}\" ; schema:startDate \"2014-02\"^^xsd:gYearMonth ;
           gg:openness gg:Open ; gg:opennessNote \"test\" ; gg:evidence [ gg:document <https://example.org/src> ] .
         rel:hostile-forum--feedsInto--netmundial-2014 a gg:Relation ; gg:source id:hostile-forum ; gg:predicate gg:feedsInto ;
           gg:target id:netmundial-2014 ; gg:relationKind gg:Indirect ; gg:evidenceType gg:Asserted ;
           gg:evidence [ gg:document <https://example.org/src> ] ."
    );
    let headers = [
        ("content-type", "text/turtle"),
        ("authorization", "Bearer visual-token"),
    ];
    let response = server.request(
        "PUT",
        "/store?graph=https%3A%2F%2Fexample.org%2Fhostile",
        &headers,
        Some(&data),
    );
    assert_eq!(response.status, 201, "{}", response.body);
    server
}

const SELECTION: &str = "root=NETmundial&depth=2&limit=80";

/// The selection according to GraphQL: node ids and relation ids.
fn expected(server: &Server) -> (BTreeSet<String>, BTreeSet<String>) {
    let response = server.graphql(
        "{ subgraph(roots: [\"NETmundial\"], depth: 2, limit: 80) { nodes { id } relations { id } } }",
        json!({}),
    );
    let subgraph = &response["data"]["subgraph"];
    let ids = |key: &str| -> BTreeSet<String> {
        subgraph[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["id"].as_str().unwrap().to_owned())
            .collect()
    };
    (ids("nodes"), ids("relations"))
}

fn fetch(server: &Server, format: &str) -> String {
    let response = server.request("GET", &format!("/subgraph?{SELECTION}&format={format}"), &[], None);
    assert_eq!(response.status, 200, "{format}: {}", response.body);
    response.body
}

/// Runs a Python snippet with networkx on a file; returns its JSON output.
fn networkx(workspace: &Workspace, name: &str, contents: &str, reader: &str) -> Value {
    let path = workspace.write(name, contents);
    let script = format!(
        "import json, sys, networkx as nx\n\
         g = nx.{reader}(sys.argv[1])\n\
         labels = {{str(n): d.get('label') for n, d in g.nodes(data=True)}}\n\
         print(json.dumps({{'nodes': sorted(str(n) for n in g.nodes()), 'edges': g.number_of_edges(), 'labels': labels}}))"
    );
    let output = Command::new("python3")
        .arg("-c")
        .arg(&script)
        .arg(&path)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "networkx could not read {name}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON from the script")
}

#[test]
fn every_format_has_the_graphql_selection() {
    let server = server();
    let workspace = Workspace::new();
    let (nodes, relations) = expected(&server);
    assert!(nodes.contains("hostile-forum") && nodes.len() > 20, "{nodes:?}");

    let cytoscape: Value = serde_json::from_str(&fetch(&server, "cytoscape")).unwrap();
    let ids = |key: &str| -> BTreeSet<String> {
        cytoscape["elements"][key]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["data"]["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids("nodes"), nodes);
    assert_eq!(ids("edges"), relations);
    let netmundial = cytoscape["elements"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["data"]["id"] == "netmundial-2014")
        .unwrap();
    assert_eq!(netmundial["data"]["kind"], "meeting");
    assert_eq!(netmundial["data"]["openness"], "open");
    assert_eq!(netmundial["data"]["startDate"], "2014-04-23");
    assert!(netmundial["classes"].as_str().unwrap().contains("meeting"));

    for (name, reader) in [("subgraph.graphml", "read_graphml"), ("subgraph.gexf", "read_gexf")] {
        let format = name.rsplit('.').next().unwrap();
        let read = networkx(&workspace, name, &fetch(&server, format), reader);
        let read_nodes: BTreeSet<String> = read["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(read_nodes, nodes, "{format}");
        assert_eq!(read["edges"].as_u64().unwrap() as usize, relations.len(), "{format}");
        assert_eq!(
            read["labels"]["hostile-forum"], HOSTILE,
            "{format} keeps the label exactly"
        );
    }

    let dot = fetch(&server, "dot");
    assert_eq!(dot.matches(" -> ").count(), relations.len());
    let path = workspace.write("subgraph.dot", &dot);
    let svg = Command::new("dot")
        .arg("-Tsvg")
        .arg(&path)
        .output()
        .expect("graphviz's dot runs");
    assert!(
        svg.status.success(),
        "dot rejected the file: {}",
        String::from_utf8_lossy(&svg.stderr)
    );
    let svg = String::from_utf8_lossy(&svg.stdout);
    assert_eq!(svg.matches("class=\"node\"").count(), nodes.len());
    assert_eq!(svg.matches("class=\"edge\"").count(), relations.len());
    assert!(
        svg.contains("São Paulo") && svg.contains("&amp;"),
        "the hostile label is drawn"
    );

    let edges = fetch(&server, "csv");
    let mut reader = csv::Reader::from_reader(edges.as_bytes());
    assert_eq!(
        &reader.headers().unwrap().iter().take(5).collect::<Vec<_>>(),
        &["Source", "Target", "Type", "Id", "Label"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        rows.iter().map(|row| row[3].to_owned()).collect::<BTreeSet<_>>(),
        relations
    );
    let node_table = server
        .request(
            "GET",
            &format!("/subgraph?{SELECTION}&format=csv&part=nodes"),
            &[],
            None,
        )
        .body;
    let mut reader = csv::Reader::from_reader(node_table.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.iter().map(|row| row[0].to_owned()).collect::<BTreeSet<_>>(), nodes);
    assert!(rows.iter().any(|row| &row[1] == HOSTILE), "CSV keeps the label exactly");

    let jsonld = fetch(&server, "jsonld");
    let quads: Vec<_> = RdfParser::from_format(RdfFormat::JsonLd {
        profile: JsonLdProfileSet::empty(),
    })
    .for_slice(jsonld.as_bytes())
    .collect::<Result<_, _>>()
    .expect("valid JSON-LD");
    let subjects: BTreeSet<String> = quads.iter().map(|quad| quad.subject.to_string()).collect();
    for id in &nodes {
        assert!(
            subjects.contains(&format!("<https://w3id.org/govgraph/id/{id}>")),
            "{id} missing from JSON-LD"
        );
    }
    assert!(
        quads
            .iter()
            .any(|quad| matches!(&quad.object, oxigraph::model::Term::Literal(l) if l.value() == HOSTILE))
    );
}

/// `/legend`'s entries of one group, by the token the formats use (`discussion_space`, `unknown`).
fn legend_by_name(legend: &Value, group: &str) -> BTreeMap<String, Value> {
    legend[group]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| (entry["name"].as_str().unwrap().to_owned(), entry.clone()))
        .collect()
}

/// The enum values GraphQL declares for a type.
fn enum_values(server: &Server, name: &str) -> BTreeSet<String> {
    let response = server.graphql(
        "query($name: String!) { __type(name: $name) { enumValues { name } } }",
        json!({ "name": name }),
    );
    response["data"]["__type"]["enumValues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|value| value["name"].as_str().unwrap().to_owned())
        .collect()
}

/// Between `before` and the next quote: one attribute or data value of our own writers.
fn after<'a>(text: &'a str, before: &str) -> &'a str {
    let start = text.find(before).unwrap_or_else(|| panic!("{before} in {text}")) + before.len();
    text[start..].split(['"', '<']).next().unwrap()
}

#[test]
fn every_format_that_styles_draws_the_legend() {
    let server = Server::start(&["--memory"]);
    let response = server.request("GET", "/legend", &[], None);
    assert_eq!(response.status, 200);
    assert!(response.content_type.starts_with("application/json"));
    let legend: Value = serde_json::from_str(&response.body).unwrap();
    let values = |group: &str| -> BTreeSet<String> {
        legend[group]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|entry| entry["value"].as_str().map(str::to_owned))
            .collect()
    };
    // The playground matches a result's values against the legend's: they must be GraphQL's.
    assert_eq!(values("kinds"), enum_values(&server, "EntityKind"));
    assert_eq!(values("openness"), enum_values(&server, "Openness"));
    assert_eq!(values("relationKinds"), enum_values(&server, "RelationKind"));
    assert!(
        legend["openness"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["value"].is_null())
    );
    let (kinds, openness, relation_kinds) = (
        legend_by_name(&legend, "kinds"),
        legend_by_name(&legend, "openness"),
        legend_by_name(&legend, "relationKinds"),
    );
    let shapes: BTreeSet<String> = kinds.values().map(|kind| kind["shape"].to_string()).collect();
    assert_eq!(shapes.len(), kinds.len(), "every kind has a shape of its own");
    let colour = |name: &str| openness[name]["color"].as_str().unwrap().to_owned();

    let cytoscape: Value = serde_json::from_str(&fetch(&server, "cytoscape")).unwrap();
    let nodes = cytoscape["elements"]["nodes"].as_array().unwrap();
    let drawn: BTreeSet<&str> = nodes.iter().map(|n| n["data"]["kind"].as_str().unwrap()).collect();
    assert_eq!(drawn.len(), kinds.len(), "the selection has every kind: {drawn:?}");
    for node in nodes {
        let data = &node["data"];
        assert_eq!(data["shape"], kinds[data["kind"].as_str().unwrap()]["shape"], "{data}");
        assert_eq!(
            data["color"],
            openness[data["openness"].as_str().unwrap()]["color"],
            "{data}"
        );
    }
    for edge in cytoscape["elements"]["edges"].as_array().unwrap() {
        let data = &edge["data"];
        assert_eq!(
            data["lineStyle"],
            relation_kinds[data["kind"].as_str().unwrap()]["lineStyle"]
        );
    }

    let graphml = fetch(&server, "graphml");
    for node in graphml.split("<node ").skip(1) {
        let openness = after(node, "<data key=\"node_openness\">");
        assert_eq!(
            after(node, "<data key=\"node_color\">"),
            colour(openness),
            "GraphML: {node}"
        );
    }

    // DOT and GEXF name shapes in their own words: one shape per kind, the legend's colours.
    let mut dot_shapes = BTreeMap::new();
    for line in fetch(&server, "dot").lines().filter(|line| line.contains("tooltip=")) {
        let (kind, openness) = after(line, "tooltip=\"")
            .trim_end_matches(')')
            .split_once(" (")
            .unwrap();
        assert_eq!(after(line, "fillcolor=\""), colour(openness), "DOT: {line}");
        dot_shapes
            .entry(kind.to_owned())
            .or_insert_with(BTreeSet::new)
            .insert(after(line, "shape=").split(',').next().unwrap().to_owned());
    }
    let distinct: BTreeSet<&BTreeSet<String>> = dot_shapes.values().collect();
    assert!(dot_shapes.values().all(|shapes| shapes.len() == 1), "{dot_shapes:?}");
    assert_eq!(
        distinct.len(),
        kinds.len(),
        "DOT: every kind has a shape of its own: {dot_shapes:?}"
    );

    let mut gexf_shapes = BTreeMap::new();
    for node in fetch(&server, "gexf").split("<node ").skip(1) {
        let openness = after(node, "<attvalue for=\"1\" value=\"");
        let channels: Vec<u8> = ["r=\"", "g=\"", "b=\""]
            .iter()
            .map(|channel| after(after_tag(node, "<viz:color"), channel).parse().unwrap())
            .collect();
        let hex = format!("#{:02x}{:02x}{:02x}", channels[0], channels[1], channels[2]);
        assert_eq!(hex, colour(openness), "GEXF: {node}");
        let kind = after(node, "<attvalue for=\"0\" value=\"").to_owned();
        gexf_shapes
            .entry(kind)
            .or_insert_with(BTreeSet::new)
            .insert(after(node, "<viz:shape value=\"").to_owned());
    }
    assert!(gexf_shapes.values().all(|shapes| shapes.len() == 1), "{gexf_shapes:?}");
}

/// From a tag on.
fn after_tag<'a>(text: &'a str, tag: &str) -> &'a str {
    &text[text.find(tag).unwrap_or_else(|| panic!("{tag} in {text}"))..]
}

#[test]
fn bad_requests_are_explained() {
    let server = Server::start(&["--memory", "--max-subgraph-nodes", "10"]);
    let status = |query: &str| {
        let response = server.request("GET", &format!("/subgraph?{query}"), &[], None);
        let body: Value = serde_json::from_str(&response.body).unwrap_or(Value::Null);
        (
            response.status,
            body["error"]["code"].as_str().unwrap_or_default().to_owned(),
        )
    };
    assert_eq!(status("root=onenet&format=yaml"), (400, "BAD_REQUEST".to_owned()));
    assert_eq!(status("root=no-such-thing&format=dot"), (404, "NOT_FOUND".to_owned()));
    assert_eq!(status("format=dot"), (400, "BAD_USER_INPUT".to_owned()));
    assert_eq!(status("root=onenet&limit=11"), (400, "LIMIT_EXCEEDED".to_owned()));
    assert_eq!(status("root=onenet&depth=9"), (400, "LIMIT_EXCEEDED".to_owned()));
    assert_eq!(status("root=onenet&depth=-1"), (400, "BAD_REQUEST".to_owned()));
    assert_eq!(status("root=onenet&kinds=sideways"), (400, "BAD_REQUEST".to_owned()));
    // Filters and several roots, as in GraphQL.
    let response = server.request(
        "GET",
        "/subgraph?root=onenet&root=cgi-br&depth=1&kinds=direct&format=cytoscape",
        &[],
        None,
    );
    let cytoscape: Value = serde_json::from_str(&response.body).unwrap();
    assert!(
        cytoscape["elements"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["data"]["kind"] == "direct")
    );
    let roots: Vec<&str> = cytoscape["elements"]["nodes"].as_array().unwrap()[..2]
        .iter()
        .map(|n| n["data"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(roots, ["cgi-br", "onenet"]);
}

#[test]
fn the_playground_is_served_offline_compressed_and_cached() {
    let server = Server::start(&["--memory", "--no-seed"]);
    let page = server.request("GET", "/playground", &[], None);
    assert_eq!(page.status, 200);
    assert!(page.content_type.starts_with("text/html"));
    assert_eq!(page.header("cache-control"), Some("no-cache"));
    assert!(page.body.contains("id=\"graph-view\"") && page.body.contains("data-node-count"));
    for forbidden in ["https://", "http://"] {
        let external: Vec<&str> = page
            .body
            .match_indices(forbidden)
            .map(|(at, _)| &page.body[at..(at + 60).min(page.body.len())])
            .collect();
        assert!(
            external.iter().all(|url| url.contains("www.w3.org")),
            "the page names outside URLs: {external:?}"
        );
    }
    // Every asset the page names is served, cached for good, and compressed on request.
    let assets: Vec<String> = page
        .body
        .split(['"', '\''])
        .filter(|part| part.starts_with("./") || part.starts_with("app-"))
        .map(|part| part.trim_start_matches("./").to_owned())
        .collect();
    assert!(assets.iter().any(|asset| asset.ends_with(".js")), "{assets:?}");
    for asset in assets {
        let plain = server.request("GET", &format!("/playground/{asset}"), &[], None);
        assert_eq!(plain.status, 200, "{asset}");
        assert_eq!(
            plain.header("cache-control"),
            Some("public, max-age=31536000, immutable")
        );
        let compressed = server.request(
            "GET",
            &format!("/playground/{asset}"),
            &[("accept-encoding", "gzip")],
            None,
        );
        assert_eq!(compressed.header("content-encoding"), Some("gzip"), "{asset}");
    }
    assert_eq!(
        server
            .request("GET", "/playground/..%2F..%2Fetc%2Fpasswd", &[], None)
            .status,
        404
    );
    assert_eq!(
        server.request("GET", "/playground/../Cargo.toml", &[], None).status,
        404
    );
    let root = server.request("GET", "/?query=%7Bstats%7D", &[], None);
    assert_eq!(root.status, 302);
    assert_eq!(root.header("location"), Some("/playground?query=%7Bstats%7D"));
}
