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
        &["Source", "Target", "Type", "Id", "label"]
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
            .filter_map(|entry| entry["graphql"].as_str().map(str::to_owned))
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
            .any(|o| o["graphql"].is_null() && o["name"] == "unknown")
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
            .insert(after(line, "shape=\"").to_owned());
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
        let openness = after(node, "<attvalue for=\"2\" value=\"");
        let channels: Vec<u8> = ["r=\"", "g=\"", "b=\""]
            .iter()
            .map(|channel| after(after_tag(node, "<viz:color"), channel).parse().unwrap())
            .collect();
        let hex = format!("#{:02x}{:02x}{:02x}", channels[0], channels[1], channels[2]);
        assert_eq!(hex, colour(openness), "GEXF: {node}");
        let kind = after(node, "<attvalue for=\"1\" value=\"").to_owned();
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

/// The one list of attributes every format carries (`src/api/subgraph/attributes.rs`), as the
/// issue asks for it; the numeric ones are compared as numbers, `sources` as a `|`-joined list.
const NODE_ATTRIBUTES: &[&str] = &[
    "label",
    "kind",
    "openness",
    "startDate",
    "endDate",
    "dateStatus",
    "location",
    "sources",
    "degree",
    "shape",
    "color",
    "iri",
];
const EDGE_ATTRIBUTES: &[&str] = &[
    "label",
    "kind",
    "predicate",
    "evidenceType",
    "confidence",
    "weight",
    "sources",
    "lineStyle",
    "iri",
];
const NUMERIC: &[&str] = &["degree", "confidence", "weight"];

/// Attribute values by item id, then by attribute name, as text.
type Table = BTreeMap<String, BTreeMap<String, String>>;

/// One value as text: numbers as `f64` prints them, lists joined with `|`.
fn text_of(name: &str, value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::Array(items) => Some(
            items
                .iter()
                .map(|i| i.as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
                .join("|"),
        ),
        Value::Number(n) => Some(n.as_f64().unwrap().to_string()),
        Value::String(s) if NUMERIC.contains(&name) => Some(s.parse::<f64>().unwrap().to_string()),
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// The listed attributes of JSON objects keyed by id (absent and empty values left out).
fn table(items: &BTreeMap<String, Value>, names: &[&str]) -> Table {
    items
        .iter()
        .map(|(id, data)| {
            let values = names
                .iter()
                .filter_map(|name| Some((name.to_string(), text_of(name, data.get(*name)?)?)))
                .filter(|(_, value)| !value.is_empty())
                .collect();
            (id.clone(), values)
        })
        .collect()
}

/// Every attribute of the list has a value on some item; every value equals the reference's.
fn assert_same(format: &str, names: &[&str], found: &Table, reference: &Table) {
    assert_eq!(
        found.keys().collect::<Vec<_>>(),
        reference.keys().collect::<Vec<_>>(),
        "{format}: the same items"
    );
    for name in names {
        assert!(
            found.values().any(|values| values.contains_key(*name)),
            "{format} carries no `{name}`"
        );
    }
    assert_eq!(found, reference, "{format}: the same values");
}

/// networkx's reading of a GraphML or GEXF file: graph data, node and edge attributes by id.
fn networkx_attributes(workspace: &Workspace, name: &str, contents: &str) -> Value {
    let path = workspace.write(name, contents);
    let reader = if name.ends_with(".gexf") {
        "nx.read_gexf(sys.argv[1])"
    } else {
        "nx.read_graphml(sys.argv[1], force_multigraph=True)"
    };
    let script = format!(
        "import json, sys, networkx as nx\n\
         g = {reader}\n\
         nodes = {{str(n): d for n, d in g.nodes(data=True)}}\n\
         edges = {{str(k): d for u, v, k, d in g.edges(keys=True, data=True)}}\n\
         print(json.dumps({{'graph': g.graph, 'nodes': nodes, 'edges': edges}}, default=str))"
    );
    let output = Command::new("python3")
        .arg("-c")
        .arg(&script)
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "networkx: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// A DOT string as Graphviz keeps it, its escapes undone (`\n` is a line break in a label).
fn unescape_dot(value: &mut Value) {
    match value {
        Value::String(text) if text.contains('\\') => {
            let mut out = String::new();
            let mut chars = text.chars();
            while let Some(c) = chars.next() {
                match (c, c == '\\') {
                    (_, true) => match chars.next() {
                        Some('n') => out.push('\n'),
                        Some(other) => out.push(other),
                        None => out.push('\\'),
                    },
                    (c, false) => out.push(c),
                }
            }
            *text = out;
        }
        Value::Array(items) => items.iter_mut().for_each(unescape_dot),
        Value::Object(map) => map.values_mut().for_each(unescape_dot),
        _ => {}
    }
}

/// Graphviz's own reading of a DOT file (`dot -Tjson0`): graph attributes, node attributes by
/// name, edge attributes by their `id`.
fn graphviz_attributes(workspace: &Workspace, contents: &str) -> Value {
    let path = workspace.write("subgraph.dot", contents);
    let output = Command::new("dot").arg("-Tjson0").arg(&path).output().unwrap();
    assert!(
        output.status.success(),
        "dot: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut graph: Value = serde_json::from_slice(&output.stdout).unwrap();
    unescape_dot(&mut graph);
    let nodes: serde_json::Map<String, Value> = graph["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["name"].as_str().unwrap().to_owned(), n.clone()))
        .collect();
    let edges: serde_json::Map<String, Value> = graph["edges"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|e| (e["id"].as_str().unwrap().to_owned(), e.clone()))
        .collect();
    json!({ "graph": graph, "nodes": nodes, "edges": edges })
}

fn by_id(object: &Value) -> BTreeMap<String, Value> {
    object
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn csv_table(text: &str, id_column: &str) -> BTreeMap<String, Value> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|row| {
            let row = row.unwrap();
            let data: serde_json::Map<String, Value> = headers
                .iter()
                .zip(row.iter())
                .map(|(h, v)| (h.to_owned(), Value::String(v.to_owned())))
                .collect();
            (data[id_column].as_str().unwrap().to_owned(), Value::Object(data))
        })
        .collect()
}

#[test]
fn every_format_carries_every_attribute_of_the_one_list() {
    let server = server();
    let workspace = Workspace::new();
    let cytoscape: Value = serde_json::from_str(&fetch(&server, "cytoscape")).unwrap();
    let elements = |key: &str| -> BTreeMap<String, Value> {
        cytoscape["elements"][key]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["data"]["id"].as_str().unwrap().to_owned(), e["data"].clone()))
            .collect()
    };
    let (nodes, edges) = (
        table(&elements("nodes"), NODE_ATTRIBUTES),
        table(&elements("edges"), EDGE_ATTRIBUTES),
    );
    for (name, values) in [("Cytoscape nodes", &nodes), ("Cytoscape edges", &edges)] {
        assert_same(
            name,
            if name.ends_with("nodes") {
                NODE_ATTRIBUTES
            } else {
                EDGE_ATTRIBUTES
            },
            values,
            values,
        );
    }
    assert!(nodes["hostile-forum"]["sources"].contains("https://example.org/src"));

    for name in ["subgraph.graphml", "subgraph.gexf"] {
        let read = networkx_attributes(&workspace, name, &fetch(&server, name.rsplit('.').next().unwrap()));
        assert_same(
            name,
            NODE_ATTRIBUTES,
            &table(&by_id(&read["nodes"]), NODE_ATTRIBUTES),
            &nodes,
        );
        assert_same(
            name,
            EDGE_ATTRIBUTES,
            &table(&by_id(&read["edges"]), EDGE_ATTRIBUTES),
            &edges,
        );
    }

    let dot = graphviz_attributes(&workspace, &fetch(&server, "dot"));
    assert_same(
        "DOT",
        NODE_ATTRIBUTES,
        &table(&by_id(&dot["nodes"]), NODE_ATTRIBUTES),
        &nodes,
    );
    assert_same(
        "DOT",
        EDGE_ATTRIBUTES,
        &table(&by_id(&dot["edges"]), EDGE_ATTRIBUTES),
        &edges,
    );

    let node_table = server.request(
        "GET",
        &format!("/subgraph?{SELECTION}&format=csv&part=nodes"),
        &[],
        None,
    );
    assert_same(
        "CSV",
        NODE_ATTRIBUTES,
        &table(&csv_table(&node_table.body, "Id"), NODE_ATTRIBUTES),
        &nodes,
    );
    assert_same(
        "CSV",
        EDGE_ATTRIBUTES,
        &table(&csv_table(&fetch(&server, "csv"), "Id"), EDGE_ATTRIBUTES),
        &edges,
    );

    jsonld_carries_the_attributes(&server, &nodes, &edges);
}

/// JSON-LD says each attribute as a statement about the entity's or relation's IRI: the stored
/// ones with their IRIs (the legend's), the look and the degree with `gg:` terms.
fn jsonld_carries_the_attributes(server: &Server, nodes: &Table, edges: &Table) {
    let quads: Vec<_> = RdfParser::from_format(RdfFormat::JsonLd {
        profile: JsonLdProfileSet::empty(),
    })
    .for_slice(fetch(server, "jsonld").as_bytes())
    .collect::<Result<_, _>>()
    .expect("valid JSON-LD");
    let legend: Value = serde_json::from_str(&server.request("GET", "/legend", &[], None).body).unwrap();
    let iri_of = |group: &str, name: &str| -> String {
        legend_by_name(&legend, group)[name]["iri"]
            .as_str()
            .map(|iri| format!("<{iri}>"))
            .unwrap_or_default()
    };
    let objects = |subject: &str, predicate: &str| -> Vec<String> {
        quads
            .iter()
            .filter(|q| q.subject.to_string() == format!("<{subject}>") && q.predicate.as_str() == predicate)
            .map(|q| match &q.object {
                oxigraph::model::Term::Literal(literal) => literal.value().to_owned(),
                other => other.to_string(),
            })
            .collect()
    };
    let gg = |term: &str| format!("https://w3id.org/govgraph/ns#{term}");
    for values in nodes.values() {
        let iri = &values["iri"];
        let has = |predicate: &str, value: &str| objects(iri, predicate).iter().any(|o| o == value);
        assert!(
            has(
                "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
                &iri_of("kinds", &values["kind"])
            ),
            "{iri} kind"
        );
        assert!(has("http://www.w3.org/2000/01/rdf-schema#label", &values["label"]));
        match values["openness"].as_str() {
            "unknown" => assert!(objects(iri, &gg("openness")).is_empty()),
            name => assert!(has(&gg("openness"), &iri_of("openness", name)), "{iri} openness"),
        }
        // A document's date is when it was issued.
        if let Some(date) = values.get("startDate") {
            let said = has("http://schema.org/startDate", date) || has("http://purl.org/dc/terms/issued", date);
            assert!(said, "{iri} startDate");
        }
        if let Some(date) = values.get("endDate") {
            assert!(has("http://schema.org/endDate", date), "{iri} endDate");
        }
        if let Some(status) = values.get("dateStatus") {
            assert!(
                has(&gg("dateStatus"), &iri_of("dateStatuses", status)),
                "{iri} dateStatus"
            );
        }
        if let Some(location) = values.get("location") {
            assert!(has("http://schema.org/location", location), "{iri} location");
        }
        for (term, name) in [("degree", "degree"), ("shape", "shape"), ("color", "color")] {
            let found: Vec<String> = objects(iri, &gg(term))
                .iter()
                .map(|v| text_of(name, &json!(v)).unwrap())
                .collect();
            assert_eq!(found, [values[name].clone()], "{iri} {name}");
        }
        assert!(
            !objects(iri, &gg("evidence")).is_empty() || !values.contains_key("sources"),
            "{iri} sources"
        );
    }
    for values in edges.values() {
        let iri = &values["iri"];
        let has = |predicate: &str, value: &str| objects(iri, predicate).iter().any(|o| o == value);
        assert!(
            has(&gg("relationKind"), &iri_of("relationKinds", &values["kind"])),
            "{iri} kind"
        );
        assert!(
            has(&gg("predicate"), &format!("<{}>", values["predicate"])),
            "{iri} predicate"
        );
        if let Some(evidence) = values.get("evidenceType") {
            assert!(
                has(&gg("evidenceType"), &iri_of("evidenceTypes", evidence)),
                "{iri} evidenceType"
            );
        }
        for name in ["confidence", "weight", "lineStyle"] {
            if let Some(value) = values.get(name) {
                let found: Vec<String> = objects(iri, &gg(name))
                    .iter()
                    .map(|v| text_of(name, &json!(v)).unwrap())
                    .collect();
                assert_eq!(found, std::slice::from_ref(value), "{iri} {name}");
            }
        }
        assert!(!objects(iri, &gg("evidence")).is_empty(), "{iri} sources");
    }
}

/// A SPARQL query's JSON results.
fn sparql(server: &Server, query: &str) -> Value {
    let headers = [
        ("content-type", "application/sparql-query"),
        ("accept", "application/sparql-results+json"),
    ];
    let response = server.request("POST", "/sparql", &headers, Some(query));
    assert_eq!(response.status, 200, "{query}: {}", response.body);
    serde_json::from_str(&response.body).unwrap()
}

/// `/legend` spells each value three ways, and the three agree: the formats' token is GraphQL's
/// enum value in lower case, the GraphQL values are the schema's, and the IRIs are the
/// ontology's, whose `skos:notation` (where it has one) is the token. "Openness not known" is
/// `unknown` in every format and in `/legend`.
#[test]
fn one_spelling_per_value() {
    let server = Server::start(&["--memory"]);
    let legend: Value = serde_json::from_str(&server.request("GET", "/legend", &[], None).body).unwrap();
    for (group, graphql_enum) in [
        ("kinds", "EntityKind"),
        ("openness", "Openness"),
        ("relationKinds", "RelationKind"),
        ("evidenceTypes", "EvidenceType"),
        ("dateStatuses", "DateStatus"),
    ] {
        let entries = legend[group].as_array().unwrap();
        let values: BTreeSet<String> = entries
            .iter()
            .filter_map(|e| e["graphql"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(values, enum_values(&server, graphql_enum), "{group}");
        for entry in entries {
            let name = entry["name"].as_str().unwrap();
            match entry["graphql"].as_str() {
                Some(value) => assert_eq!(value.to_ascii_lowercase(), name, "{entry}"),
                None => assert_eq!((group, name, &entry["iri"]), ("openness", "unknown", &Value::Null)),
            }
            let Some(iri) = entry["iri"].as_str() else { continue };
            let notation = sparql(
                &server,
                &format!(
                    "SELECT ?n WHERE {{ {{ <{iri}> a ?t }} OPTIONAL {{ <{iri}> <http://www.w3.org/2004/02/skos/core#notation> ?n }} }}"
                ),
            );
            let rows = notation["results"]["bindings"].as_array().unwrap();
            assert!(!rows.is_empty(), "{iri} is not in the ontology");
            if let Some(n) = rows[0]["n"]["value"].as_str() {
                assert_eq!(n, name, "the notation of {iri}");
            }
        }
    }
    // The values the formats write are the legend's tokens.
    let cytoscape: Value = serde_json::from_str(&fetch(&server, "cytoscape")).unwrap();
    for (key, attribute, group) in [
        ("nodes", "kind", "kinds"),
        ("nodes", "openness", "openness"),
        ("nodes", "dateStatus", "dateStatuses"),
        ("edges", "kind", "relationKinds"),
        ("edges", "evidenceType", "evidenceTypes"),
    ] {
        let names = legend_by_name(&legend, group);
        for element in cytoscape["elements"][key].as_array().unwrap() {
            if let Some(value) = element["data"][attribute].as_str() {
                assert!(
                    names.contains_key(value),
                    "{attribute} `{value}` is not a token of /legend"
                );
            }
        }
    }
}

/// Whether each format says the selection was truncated, as its readers see it.
fn truncation_said(server: &Server, workspace: &Workspace, selection: &str) -> Vec<(String, bool)> {
    let get = |format: &str| {
        let response = server.request("GET", &format!("/subgraph?{selection}&format={format}"), &[], None);
        assert_eq!(response.status, 200, "{format}: {}", response.body);
        (
            response.header("x-govgraph-truncated").map(str::to_owned),
            response.body,
        )
    };
    let mut said = Vec::new();
    for format in ["cytoscape", "graphml", "gexf", "dot", "csv", "jsonld"] {
        let (header, body) = get(format);
        said.push((format!("{format} header"), header.as_deref() == Some("true")));
        let in_body = match format {
            "cytoscape" => {
                let json: Value = serde_json::from_str(&body).unwrap();
                assert_eq!(json["truncated"], json["data"]["truncated"]);
                json["data"]["truncated"].as_bool().unwrap()
            }
            "graphml" => networkx_attributes(workspace, "t.graphml", &body)["graph"]["truncated"]
                .as_bool()
                .unwrap(),
            "gexf" => {
                let path = workspace.write("t.gexf", &body);
                let script = "import sys, xml.etree.ElementTree as ET\n\
                              ns = {'g': 'http://gexf.net/1.3'}\n\
                              k = ET.parse(sys.argv[1]).getroot().find('g:meta/g:keywords', ns)\n\
                              print('truncated' in (k.text if k is not None else ''))";
                let output = Command::new("python3")
                    .arg("-c")
                    .arg(script)
                    .arg(&path)
                    .output()
                    .unwrap();
                String::from_utf8_lossy(&output.stdout).trim() == "True"
            }
            "dot" => graphviz_attributes(workspace, &body)["graph"]["truncated"] == "true",
            "jsonld" => {
                let quads: Vec<_> = RdfParser::from_format(RdfFormat::JsonLd {
                    profile: JsonLdProfileSet::empty(),
                })
                .for_slice(body.as_bytes())
                .collect::<Result<_, _>>()
                .unwrap();
                let flags: Vec<String> = quads
                    .iter()
                    .filter(|q| q.predicate.as_str() == "https://w3id.org/govgraph/ns#truncated")
                    .map(|q| q.object.to_string())
                    .collect();
                assert_eq!(flags.len(), 1, "{flags:?}");
                flags[0].starts_with("\"true\"")
            }
            // CSV has no place for it: the header is what says it.
            _ => header.as_deref() == Some("true"),
        };
        said.push((format!("{format} body"), in_body));
    }
    said
}

#[test]
fn every_format_says_when_the_selection_was_truncated() {
    let server = Server::start(&["--memory"]);
    let workspace = Workspace::new();
    for (selection, truncated) in [("root=NETmundial&depth=2&limit=5", true), (SELECTION, false)] {
        for (what, said) in truncation_said(&server, &workspace, selection) {
            assert_eq!(said, truncated, "{selection}: {what}");
        }
    }
    let dot = server
        .request("GET", "/subgraph?root=NETmundial&depth=2&limit=5&format=dot", &[], None)
        .body;
    assert!(dot.starts_with("// truncated"), "{dot}");
    let svg = Command::new("dot")
        .arg("-Tsvg")
        .arg(workspace.write("t.dot", &dot))
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&svg.stdout).contains("truncated: the node limit"),
        "the caption is drawn"
    );
}

#[test]
fn the_whole_graph_is_exported_bounded_by_the_limits() {
    let server = Server::start(&["--memory", "--max-subgraph-nodes", "300"]);
    let workspace = Workspace::new();
    let stats = server.graphql("{ stats { entities relations } }", json!({}));
    let (entities, relations) = (
        stats["data"]["stats"]["entities"].as_u64().unwrap(),
        stats["data"]["stats"]["relations"].as_u64().unwrap(),
    );
    assert!(entities <= 300, "the seed grew past this test's limit: {entities}");
    let response = server.request("GET", "/subgraph?all=true&format=gexf", &[], None);
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(response.header("x-govgraph-truncated"), Some("false"));
    let read = networkx_attributes(&workspace, "all.gexf", &response.body);
    assert_eq!(read["nodes"].as_object().unwrap().len() as u64, entities);
    assert_eq!(read["edges"].as_object().unwrap().len() as u64, relations);

    // Bounded: past the limit, the first entities by id and truncated.
    let response = server.request("GET", "/subgraph?all=yes&limit=10&format=cytoscape", &[], None);
    assert_eq!(response.header("x-govgraph-truncated"), Some("true"));
    let json: Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(json["elements"]["nodes"].as_array().unwrap().len(), 10);
    assert_eq!(json["truncated"], true);
    let status = |query: &str| server.request("GET", &format!("/subgraph?{query}"), &[], None).status;
    assert_eq!(status("all=true&limit=301"), 400);
    // Filters apply as to a neighbourhood.
    let closed: Value =
        serde_json::from_str(&server.request("GET", "/subgraph?all=1&openness=closed", &[], None).body).unwrap();
    let nodes = closed["elements"]["nodes"].as_array().unwrap();
    assert!(!nodes.is_empty() && nodes.iter().all(|n| n["data"]["openness"] == "closed"));
}

#[test]
fn hostile_parameters_are_precise_400s() {
    let server = Server::start(&["--memory", "--max-page", "3"]);
    let answer = |query: &str| {
        let response = server.request("GET", &format!("/subgraph?{query}"), &[], None);
        let body: Value = serde_json::from_str(&response.body).unwrap_or(Value::Null);
        (
            response.status,
            body["error"]["code"].as_str().unwrap_or_default().to_owned(),
            body["error"]["message"].as_str().unwrap_or_default().to_owned(),
        )
    };
    let cases: &[(&str, &str, &str)] = &[
        (
            "root=onenet&colour=red",
            "BAD_REQUEST",
            "unknown parameter `colour` (known: root, all, depth, limit, kinds, kind, openness, directed, direction, from, to, includeUndated, format, part, predicates, evidenceTypes, minConfidence, source)",
        ),
        ("root=onenet&Root=x", "BAD_REQUEST", "unknown parameter `Root`"),
        ("root=onenet&%FF=1", "BAD_REQUEST", "unknown parameter"),
        (
            "root=onenet&depth=1&depth=2",
            "BAD_REQUEST",
            "`depth` is given more than once",
        ),
        (
            "root=onenet&format=dot&format=gexf",
            "BAD_REQUEST",
            "`format` is given more than once",
        ),
        (
            "root=onenet&directed=true&directed=false",
            "BAD_REQUEST",
            "`directed` is given more than once",
        ),
        ("root=", "BAD_REQUEST", "`root` is empty"),
        ("root=onenet&depth=", "BAD_REQUEST", "`depth` is empty"),
        ("root=onenet&format=", "BAD_REQUEST", "`format` is empty"),
        ("root=onenet&kinds=", "BAD_REQUEST", "`kinds` is empty"),
        ("root=onenet&directed", "BAD_REQUEST", "`directed` is empty"),
        (
            "root=onenet&directed=maybe",
            "BAD_REQUEST",
            "`directed` must be one of true, false, 1, 0, yes, no; not `maybe`",
        ),
        ("all=sure", "BAD_REQUEST", "`all` must be one of"),
        (
            "root=onenet&depth=two",
            "BAD_REQUEST",
            "`depth` must be a non-negative integer, not `two`",
        ),
        (
            "root=onenet&limit=1e3",
            "BAD_REQUEST",
            "`limit` must be a non-negative integer, not `1e3`",
        ),
        (
            "root=onenet&depth=%2B1",
            "BAD_REQUEST",
            "`depth` must be a non-negative integer, not `+1`",
        ),
        (
            "root=onenet&depth=99999999999999999999999",
            "LIMIT_EXCEEDED",
            "depth is limited to 4",
        ),
        ("root=onenet&limit=0", "BAD_USER_INPUT", "limit: must be at least 1"),
        (
            "root=onenet&openness=ajar",
            "BAD_REQUEST",
            "`openness`: unknown openness `ajar`",
        ),
        (
            "root=onenet&kinds=direct,sideways",
            "BAD_REQUEST",
            "`kinds`: unknown relation kind `sideways`",
        ),
        ("root=onenet&from=2014-13", "BAD_USER_INPUT", "from: "),
        ("root=onenet&to=soon", "BAD_USER_INPUT", "to: "),
        (
            "root=onenet&from=2015&to=2014",
            "BAD_USER_INPUT",
            "to: `to` (2014) is before `from` (2015)",
        ),
        (
            "depth=1&format=dot",
            "BAD_USER_INPUT",
            "root: give at least one ref (or `all=true` for the whole graph)",
        ),
        (
            "root=a&root=b&root=c&root=d",
            "LIMIT_EXCEEDED",
            "root is limited to 3 (asked for 4)",
        ),
        (
            "all=true&root=onenet",
            "BAD_REQUEST",
            "give `root` or `all=true`, not both",
        ),
        (
            "all=true&depth=2",
            "BAD_REQUEST",
            "`depth` is for a neighbourhood of `root`",
        ),
        (
            "root=onenet&part=nodes",
            "BAD_REQUEST",
            "`part` is only for `format=csv`",
        ),
        (
            "root=onenet&format=csv&part=both",
            "BAD_REQUEST",
            "`part` must be `edges` or `nodes`, not `both`",
        ),
    ];
    for (query, code, message) in cases {
        let (status, found_code, found_message) = answer(query);
        assert_eq!((status, found_code.as_str()), (400, *code), "{query}: {found_message}");
        assert!(
            found_message.contains(message),
            "{query}: `{found_message}` should say `{message}`"
        );
    }
    // A limit error names the URL's parameter in its `limit` field too.
    let response = server.request("GET", "/subgraph?root=a&root=b&root=c&root=d", &[], None);
    let body: Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(body["error"]["limit"], "root");

    // Booleans in every spelling; `directed=yes` is directed.
    let edges = |query: &str| -> BTreeSet<String> {
        let response = server.request(
            "GET",
            &format!("/subgraph?root=netmundial-2014&depth=2&{query}"),
            &[],
            None,
        );
        assert_eq!(response.status, 200, "{query}: {}", response.body);
        let json: Value = serde_json::from_str(&response.body).unwrap();
        json["elements"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["data"]["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let (directed, undirected) = (edges("directed=true"), edges("directed=false"));
    assert_ne!(directed, undirected, "the test needs a root whose direction matters");
    for yes in ["yes", "YES", "1", "True"] {
        assert_eq!(edges(&format!("directed={yes}")), directed, "directed={yes}");
    }
    for no in ["no", "0", "FALSE"] {
        assert_eq!(edges(&format!("directed={no}")), undirected, "directed={no}");
    }
    assert_eq!(edges("direction=out"), directed);
    assert_eq!(edges("direction=both"), undirected);
    assert_eq!(
        edges("directed=true&direction=OUT"),
        directed,
        "agreeing, both may be given"
    );
    // Upstream: the same entities as GraphQL's `direction: IN`.
    let upstream = server.graphql(
        "{ subgraph(roots: [\"netmundial-2014\"], depth: 2, direction: IN) { nodes { id } } }",
        json!({}),
    );
    let upstream: BTreeSet<String> = upstream["data"]["subgraph"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|node| node["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(edges("direction=in"), upstream);
    assert_ne!(edges("direction=in"), directed, "upstream is not downstream");
    let conflict = answer("root=onenet&directed=true&direction=in");
    assert_eq!(
        (conflict.0, conflict.1.as_str()),
        (400, "BAD_USER_INPUT"),
        "{}",
        conflict.2
    );
    assert!(conflict.2.contains("conflicts with `direction` IN"), "{}", conflict.2);
    // Repeatable parameters repeat; the older `kind` still works.
    assert_eq!(edges("kinds=direct&kinds=indirect"), edges("kinds=direct,indirect"));
    assert_eq!(edges("kind=direct"), edges("kinds=direct"));
}
