//! Text search over what the sources say (`search`): the quotes it finds are those SPARQL finds
//! holding every word; snippets mark the words found; filters and pages; a write's quotes are
//! found at once and a deleted relation's are gone.

use crate::util::{Server, seed};
use crate::writes::{TOKEN, post};
use serde_json::{Value, json};
use std::collections::BTreeSet;

const HIT: &str = "score field snippet highlights { start length } entity { id } relation { id }
                   claimProperty source { document documentIri quote }";

fn data(response: &Value) -> &Value {
    assert!(response.get("errors").is_none(), "unexpected errors: {response:#}");
    &response["data"]
}

fn search(server: &Server, arguments: &str) -> Vec<Value> {
    let response = server.graphql(
        &format!("{{ search({arguments}) {{ totalCount edges {{ cursor node {{ {HIT} }} }} }} }}"),
        json!({}),
    );
    let found = &data(&response)["search"];
    let edges = found["edges"].as_array().unwrap();
    let total = found["totalCount"].as_u64().unwrap() as usize;
    assert!(total >= edges.len(), "{total} hits, {} on the page", edges.len());
    edges.iter().map(|edge| edge["node"].clone()).collect()
}

/// Lower-cased runs of letters and digits: how a reader splits ASCII text into words.
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether `text` holds every word of `query`, the last as a prefix.
fn holds(query: &str, text: &str) -> bool {
    let wanted = words(query);
    let found = words(text);
    wanted.iter().enumerate().all(|(i, word)| {
        found
            .iter()
            .any(|known| known == word || (i + 1 == wanted.len() && known.starts_with(word.as_str())))
    })
}

/// (holder, document IRI, quote) of a quote hit; the holder as "relation:ID", "entity:ID" or
/// "claim:ENTITY".
fn quote_key(hit: &Value) -> (String, String, String) {
    let holder = if let Some(id) = hit["relation"]["id"].as_str() {
        format!("relation:{id}")
    } else if let Some(property) = hit["claimProperty"].as_str() {
        format!("claim:{}:{property}", hit["entity"]["id"].as_str().unwrap())
    } else {
        format!("entity:{}", hit["entity"]["id"].as_str().unwrap())
    };
    let source = &hit["source"];
    (
        holder,
        source["documentIri"].as_str().unwrap().to_owned(),
        source["quote"].as_str().unwrap().to_owned(),
    )
}

/// Every quote of the store holding the words of `query`, as SPARQL reads them.
fn quotes_holding(server: &Server, query: &str) -> BTreeSet<(String, String, String)> {
    let response = server.request(
        "POST",
        "/sparql",
        &[
            ("Content-Type", "application/sparql-query"),
            ("Accept", "application/sparql-results+json"),
        ],
        Some(
            "PREFIX gg: <https://w3id.org/govgraph/ns#>
             SELECT ?holder ?entity ?property ?document ?quote WHERE {
               ?holder gg:evidence ?evidence . ?evidence gg:document ?document ; gg:quote ?quote .
               OPTIONAL { ?entity gg:claim ?holder . ?holder gg:property ?property } }",
        ),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    let body: Value = serde_json::from_str(&response.body).unwrap();
    let mut found = BTreeSet::new();
    for row in body["results"]["bindings"].as_array().unwrap() {
        let quote = row["quote"]["value"].as_str().unwrap();
        if !holds(query, quote) {
            continue;
        }
        let holder = row["holder"]["value"].as_str().unwrap();
        let holder = if let Some(entity) = row["entity"]["value"].as_str() {
            // The property's local name is its name in `claims(property:)`.
            let property = row["property"]["value"].as_str().unwrap();
            let property = property.rsplit(['#', '/']).next().unwrap();
            format!("claim:{}:{property}", entity.rsplit('/').next().unwrap())
        } else if let Some(id) = holder.split("/rel/").nth(1) {
            format!("relation:{id}")
        } else {
            format!("entity:{}", holder.rsplit('/').next().unwrap())
        };
        found.insert((
            holder,
            row["document"]["value"].as_str().unwrap().to_owned(),
            quote.to_owned(),
        ));
    }
    found
}

#[test]
fn the_quotes_found_are_those_holding_every_word_as_sparql_reads_them() {
    let server = seed();
    for query in [
        "partnership between CGI",
        "enhanced cooperation",
        "multistakeholder",
        "internet gov",
        "open",
        "IGF 2016",
    ] {
        let hits = search(server, &format!("text: {query:?}, fields: [QUOTE], first: 500"));
        let found: BTreeSet<_> = hits.iter().map(quote_key).collect();
        assert_eq!(found.len(), hits.len(), "a quote found twice for {query:?}");
        let expected = quotes_holding(server, query);
        assert!(!expected.is_empty(), "the seed quotes {query:?} somewhere");
        assert_eq!(found, expected, "quotes holding {query:?}");
        let scores: Vec<f64> = hits.iter().map(|hit| hit["score"].as_f64().unwrap()).collect();
        assert!(
            scores.windows(2).all(|pair| pair[0] >= pair[1]),
            "best first: {scores:?}"
        );
    }
}

/// The example: "partnership between CGI" lands on the relation that quotes it, the
/// words marked in the snippet.
#[test]
fn a_search_lands_on_the_relation_that_quotes_it_with_the_words_marked() {
    let server = seed();
    let hits = search(server, "text: \"partnership between CGI\", first: 10");
    let relation = hits
        .iter()
        .find(|hit| hit["relation"]["id"].is_string())
        .expect("a relation's quote");
    assert_eq!(relation["field"], "QUOTE");
    assert_eq!(relation["relation"]["id"], "cgi-br--coOrganizes--netmundial-2014");
    for hit in &hits {
        let snippet: Vec<char> = hit["snippet"].as_str().unwrap().chars().collect();
        let marked: BTreeSet<String> = hit["highlights"]
            .as_array()
            .unwrap()
            .iter()
            .map(|span| {
                let start = span["start"].as_u64().unwrap() as usize;
                let length = span["length"].as_u64().unwrap() as usize;
                snippet[start..start + length].iter().collect::<String>().to_lowercase()
            })
            .collect();
        assert!(!marked.is_empty(), "nothing marked in {hit}");
        assert!(
            marked
                .iter()
                .all(|word| ["partnership", "between", "cgi"].contains(&word.as_str())),
            "{marked:?} in {hit}"
        );
        if hit["field"] == "QUOTE" {
            let quote = hit["source"]["quote"].as_str().unwrap();
            let inner = hit["snippet"].as_str().unwrap().trim_matches('…');
            assert!(quote.contains(inner), "the snippet {inner:?} is from {quote:?}");
        }
    }
    // The quote with the words side by side ranks above one with them apart.
    let first_quote = hits.iter().find(|hit| hit["field"] == "QUOTE").unwrap();
    assert!(
        words(first_quote["source"]["quote"].as_str().unwrap())
            .join(" ")
            .contains("partnership between cgi")
    );
}

#[test]
fn names_and_descriptions_are_found_with_where_they_matched() {
    let server = seed();
    let hits = search(
        server,
        "text: \"NETmundial\", fields: [LABEL, ALIAS, DESCRIPTION], first: 50",
    );
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|hit| hit["field"] != "QUOTE" && hit["source"].is_null())
    );
    for hit in &hits {
        assert!(
            hit["snippet"].as_str().unwrap().to_lowercase().contains("netmundial"),
            "{hit}"
        );
    }
    // A hit is placed in its label when the label has the word (the label first on ties).
    let labelled = server.graphql(
        "{ search(text: \"NETmundial\", fields: [LABEL, ALIAS, DESCRIPTION], first: 50) {
             edges { node { field entity { label } } } } }",
        json!({}),
    );
    let edges = data(&labelled)["search"]["edges"].as_array().unwrap().clone();
    assert!(edges.iter().any(|edge| edge["node"]["field"] == "LABEL"));
    for edge in &edges {
        let in_label = edge["node"]["entity"]["label"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("netmundial");
        assert_eq!(edge["node"]["field"] == "LABEL", in_label, "{edge}");
    }
    let described = search(server, "text: \"partnership between CGI\", fields: [DESCRIPTION]");
    assert_eq!(described.len(), 1, "{described:#?}");
    assert_eq!(described[0]["entity"]["id"], "netmundial-2014");
}

#[test]
fn the_source_filter_and_pages() {
    let server = seed();
    let all = search(server, "text: \"cooperation\", first: 500");
    assert!(all.len() > 20 && all.len() < 500, "{} hits", all.len());
    let mut walked = Vec::new();
    let mut after = String::new();
    loop {
        let response = server.graphql(
            &format!(
                "{{ search(text: \"cooperation\", first: 7 {after}) {{ totalCount pageInfo {{ hasNextPage endCursor }}
                   edges {{ node {{ {HIT} }} }} }} }}"
            ),
            json!({}),
        );
        let page = &data(&response)["search"];
        assert_eq!(page["totalCount"].as_u64().unwrap() as usize, all.len());
        walked.extend(
            page["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|edge| edge["node"].clone()),
        );
        if !page["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            break;
        }
        after = format!(", after: {}", page["pageInfo"]["endCursor"]);
    }
    assert_eq!(walked, all);

    let document = "000_05a3b9857162009c.txt";
    let quoted = search(
        server,
        &format!("text: \"cooperation\", source: {document:?}, fields: [QUOTE], first: 500"),
    );
    assert!(!quoted.is_empty());
    assert!(
        quoted.iter().all(|hit| hit["source"]["document"] == document),
        "{quoted:#?}"
    );
    let expected: BTreeSet<_> = all
        .iter()
        .filter(|hit| hit["field"] == "QUOTE" && hit["source"]["document"] == document)
        .map(quote_key)
        .collect();
    assert_eq!(quoted.iter().map(quote_key).collect::<BTreeSet<_>>(), expected);

    let unknown = server.graphql(
        "{ search(text: \"igf\", source: \"no-such-file.txt\") { totalCount } }",
        json!({}),
    );
    assert_eq!(
        unknown["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{unknown}"
    );
    let blank = server.graphql("{ search(text: \"  \") { totalCount } }", json!({}));
    assert_eq!(data(&blank)["search"]["totalCount"], 0);
}

/// A write's quotes are searched at once (they are read from the store until the next base),
/// a deleted relation's are gone, and the quotes indexed before stay found.
#[test]
fn a_written_quote_is_found_at_once_and_a_deleted_one_is_gone() {
    let server = Server::start(&["--memory", "--admin-token", TOKEN]);
    // Index the base first, so the write below is searched as a change since the base.
    assert!(!search(&server, "text: \"partnership between CGI\", fields: [QUOTE]").is_empty());
    let quote = "a zebra-striped accord was reached in Tunis";
    let document = "https://example.org/zebra-minutes";
    let written = post(
        &server,
        Some(TOKEN),
        "mutation($input: RelationInput!) { createRelation(input: $input) { id } }",
        json!({ "input": { "source": "onenet", "target": "netmundial-2014", "kind": "INDIRECT",
                "predicate": "contributesTo", "sources": [{ "document": document, "quote": quote }] } }),
    );
    let id = data(&written)["createRelation"]["id"].as_str().unwrap().to_owned();
    let hits = search(&server, "text: \"zebra striped accord\"");
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert_eq!(hits[0]["relation"]["id"], id.as_str());
    assert_eq!(hits[0]["source"]["quote"], quote);
    assert_eq!(hits[0]["source"]["documentIri"], document);
    assert_eq!(
        search(&server, "text: \"partnership between CGI\", fields: [QUOTE]").len(),
        quotes_holding(&server, "partnership between CGI").len()
    );

    let deleted = post(
        &server,
        Some(TOKEN),
        "mutation($id: ID!) { deleteRelation(id: $id) }",
        json!({ "id": id }),
    );
    assert_eq!(data(&deleted)["deleteRelation"], true);
    assert!(search(&server, "text: \"zebra striped\"").is_empty());
    assert!(quotes_holding(&server, "zebra striped").is_empty());
    server.stop();
}
