//! `cite` on paths, subgraphs and relations, over real HTTP: the sources it names are exactly
//! those of the answer, the CSL-JSON has what the schema asks, the BibTeX parses, and text a
//! curator wrote is escaped.

use crate::util::{Server, seed};
use crate::writes::{CREATE, TOKEN, post};
use serde_json::{Value, json};
use std::collections::BTreeSet;

const CITATION: &str = "cite { sources query url datasetVersion cslJson bibtex }";

fn data(response: &Value) -> &Value {
    assert!(response.get("errors").is_none(), "unexpected errors: {response:#}");
    &response["data"]
}

/// The distinct `sources { document }` of every item of these lists.
fn documents<'a>(lists: impl IntoIterator<Item = &'a Value>) -> Vec<String> {
    let mut found = BTreeSet::new();
    for list in lists {
        for item in list.as_array().expect("a list") {
            for source in item["sources"].as_array().expect("sources") {
                found.insert(source["document"].as_str().expect("a document").to_owned());
            }
        }
    }
    found.into_iter().collect()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .expect("a list")
        .iter()
        .map(|item| item.as_str().expect("a string").to_owned())
        .collect()
}

/// Fails unless `entry` is one `@misc` entry whose braces balance and in which no BibTeX or LaTeX
/// special character is left unescaped.
#[track_caller]
fn assert_bibtex(entry: &str) {
    assert!(entry.starts_with("@misc{"), "not a @misc entry:\n{entry}");
    let (mut depth, mut chars) = (0i32, entry.chars().peekable());
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let next = chars.next().unwrap_or_else(|| panic!("a trailing backslash:\n{entry}"));
                if next.is_ascii_alphabetic() {
                    while chars.peek().is_some_and(char::is_ascii_alphabetic) {
                        chars.next();
                    }
                } else {
                    assert!("{}&%_#$".contains(next), "`\\{next}` is no escape:\n{entry}");
                }
            }
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                assert!(depth >= 0, "a `}}` closes nothing:\n{entry}");
            }
            '&' | '%' | '_' | '#' | '$' | '~' | '^' => panic!("an unescaped `{c}`:\n{entry}"),
            _ => {}
        }
    }
    assert_eq!(depth, 0, "unbalanced braces:\n{entry}");
}

/// Checks what every citation says, whatever it cites; returns its CSL-JSON item.
#[track_caller]
fn check_citation(cite: &Value, version: &str) -> Value {
    assert_eq!(cite["datasetVersion"], version);
    let csl = &cite["cslJson"];
    assert_eq!(csl.as_array().map(Vec::len), Some(1), "{csl:#}");
    let item = csl[0].clone();
    assert_eq!(item["type"], "dataset");
    assert_eq!(item["version"], version);
    assert_eq!(item["publisher"], "govgraph");
    assert!(
        item["title"].as_str().is_some_and(|title| !title.is_empty()),
        "{item:#}"
    );
    for date in ["issued", "accessed"] {
        let parts = &item[date]["date-parts"][0];
        assert!(parts[0].as_i64().is_some_and(|year| year >= 2024), "{item:#}");
        assert!(
            parts[1].as_u64().is_some_and(|month| (1..=12).contains(&month)),
            "{item:#}"
        );
        assert!(parts[2].as_u64().is_some_and(|day| (1..=31).contains(&day)), "{item:#}");
    }
    let references = item["references"].as_str().expect("references");
    for source in strings(&cite["sources"]) {
        assert!(references.contains(&source), "{source} not in {references}");
    }
    let bibtex = cite["bibtex"].as_str().expect("bibtex");
    assert_bibtex(bibtex);
    assert!(bibtex.contains(&format!("version = {{{version}}}")), "{bibtex}");
    item
}

#[test]
fn a_path_cites_the_documents_of_its_relations_and_entities() {
    let server = seed();
    let query = format!(
        "{{ path(from: \"montevideo-statement-2013\", to: \"netmundial-2014\") {{
             nodes {{ sources {{ document }} }} relations {{ sources {{ document }} }} {CITATION} }} }}"
    );
    let response = server.graphql(&query, json!({}));
    let path = &data(&response)["path"];
    let version = response["extensions"]["datasetVersion"].as_str().expect("a version");
    let cite = &path["cite"];
    let item = check_citation(cite, version);
    let cited = strings(&cite["sources"]);
    assert_eq!(cited, documents([&path["nodes"], &path["relations"]]));
    for document in documents([&path["relations"]]) {
        assert!(cited.contains(&document), "{document} of a relation is not cited");
    }
    assert!(!cited.is_empty());
    assert_eq!(cite["query"], query);
    assert!(
        item["title"]
            .as_str()
            .is_some_and(|title| title.starts_with("Path from "))
    );
    // The URL asks the same again, by GET, and gets the same citation.
    let url = item["URL"].as_str().expect("a URL");
    let local = url
        .strip_prefix(server.base.trim_end_matches('/'))
        .unwrap_or_else(|| panic!("{url} is not this server's"));
    assert!(local.starts_with("/graphql?query="), "{url}");
    let (status, body) = server.get(local);
    assert_eq!(status, 200, "{body}");
    let again: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(data(&again)["path"]["cite"]["sources"], cite["sources"]);
}

#[test]
fn a_subgraph_and_a_relation_cite_what_they_contain() {
    let server = seed();
    let response = server.graphql(
        &format!(
            "{{ subgraph(roots: [\"netmundial-2014\"], depth: 1) {{
                 nodes {{ sources {{ document }} }}
                 relations {{ id sources {{ document }} {CITATION} }} {CITATION} }} }}"
        ),
        json!({}),
    );
    let subgraph = &data(&response)["subgraph"];
    let version = response["extensions"]["datasetVersion"].as_str().expect("a version");
    check_citation(&subgraph["cite"], version);
    assert_eq!(
        strings(&subgraph["cite"]["sources"]),
        documents([&subgraph["nodes"], &subgraph["relations"]])
    );
    let relations = subgraph["relations"].as_array().expect("relations");
    assert!(relations.len() > 1);
    for relation in relations {
        check_citation(&relation["cite"], version);
        let own = documents([&json!([relation])]);
        assert_eq!(strings(&relation["cite"]["sources"]), own, "{}", relation["id"]);
    }
}

#[test]
fn text_a_curator_wrote_is_escaped() {
    let server = Server::start(&["--memory", "--admin-token", TOKEN]);
    let hostile = r"R&D {Lab} 100% _x_ \emph{y} #1 $z$ ~^";
    let created = post(
        &server,
        Some(TOKEN),
        CREATE,
        json!({ "input": { "label": hostile, "kind": "MEETING", "startDate": "2015-03",
                "sources": [{ "document": "https://example.org/minutes_2015?a=1&b=%7B", "quote": "it met" }] } }),
    );
    let id = data(&created)["createEntity"]["id"].as_str().expect("an id").to_owned();
    let related = post(
        &server,
        Some(TOKEN),
        &format!("mutation($input: RelationInput!) {{ createRelation(input: $input) {{ id {CITATION} }} }}"),
        json!({ "input": { "source": id, "target": "onenet", "kind": "INDIRECT", "predicate": "contributesTo",
                "sources": [{ "document": "https://example.org/notes_1?x=%25&y=2#part", "quote": "input" }] } }),
    );
    let relation = &data(&related)["createRelation"];
    let version = related["extensions"]["datasetVersion"].as_str().expect("a version");
    let item = check_citation(&relation["cite"], version);
    // A mutation's answer cannot be asked again by GET: it names the dataset.
    assert_eq!(item["URL"], "https://w3id.org/govgraph/dataset");
    assert_eq!(
        strings(&relation["cite"]["sources"]),
        ["https://example.org/notes_1?x=%25&y=2#part"]
    );
    let escaped = r"R\&D \{Lab\} 100\% \_x\_ \textbackslash{}emph\{y\} \#1 \$z\$ \textasciitilde{}\textasciicircum{}";
    let bibtex = relation["cite"]["bibtex"].as_str().expect("bibtex");
    assert!(bibtex.contains(escaped), "{bibtex}");
    assert!(bibtex.contains(r"notes\_1?x=\%25\&y=2\#part"), "{bibtex}");
    assert!(
        item["title"].as_str().is_some_and(|title| title.contains(hostile)),
        "{item:#}"
    );

    let response = server.graphql(
        &format!("query($from: String!) {{ path(from: $from, to: \"onenet\") {{ {CITATION} }} }}"),
        json!({ "from": id }),
    );
    let cite = &data(&response)["path"]["cite"];
    let item = check_citation(cite, version);
    assert!(
        strings(&cite["sources"]).contains(&"https://example.org/minutes_2015?a=1&b=%7B".to_owned()),
        "{cite:#}"
    );
    assert!(cite["bibtex"].as_str().is_some_and(|bibtex| bibtex.contains(escaped)));
    // The variables travel in the URL, escaped in BibTeX like the rest.
    let url = item["URL"].as_str().expect("a URL");
    assert!(url.contains("&variables="), "{url}");
}
