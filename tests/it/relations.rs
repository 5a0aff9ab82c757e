//! Relation filters (predicates, evidence types, confidence, source) over real HTTP, each checked
//! against the same question asked of the store in SPARQL; the `relations` connection's pages;
//! `stats` by predicate and evidence type; the filters on paths, subgraphs and connections; a
//! write seen by the filters at once.

use crate::util::{Server, seed};
use crate::writes::{TOKEN, post};
use serde_json::{Value, json};
use std::collections::BTreeSet;

const GG: &str = "https://w3id.org/govgraph/ns#";

fn data(response: &Value) -> &Value {
    assert!(response.get("errors").is_none(), "unexpected errors: {response:#}");
    &response["data"]
}

fn error_code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code: {response:#}"))
}

/// The relation ids (last IRI segment) a SPARQL `SELECT ?r` finds.
fn sparql_ids(server: &Server, pattern: &str) -> BTreeSet<String> {
    let sparql = format!(
        "PREFIX gg: <{GG}> PREFIX id: <{base}/id/> SELECT DISTINCT ?r WHERE {{ ?r a gg:Relation . {pattern} }}",
        base = "https://w3id.org/govgraph"
    );
    let response = server.request(
        "POST",
        "/sparql",
        &[
            ("Content-Type", "application/sparql-query"),
            ("Accept", "application/sparql-results+json"),
        ],
        Some(&sparql),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    let results: Value = serde_json::from_str(&response.body).unwrap();
    results["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            row["r"]["value"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect()
}

/// Every relation id the `relations` connection gives for `arguments`, page by page (10 a page),
/// checking `totalCount` and the cursors on the way.
fn listed(server: &Server, arguments: &str) -> BTreeSet<String> {
    let (mut ids, mut after, mut total) = (Vec::new(), Value::Null, None);
    loop {
        let query = format!(
            "query($after: String) {{ relations({arguments} first: 10, after: $after) {{ totalCount \
             pageInfo {{ hasNextPage endCursor }} edges {{ cursor node {{ id }} }} }} }}"
        );
        let response = server.graphql(&query, json!({ "after": after }));
        let page = &data(&response)["relations"];
        let count = page["totalCount"].as_u64().unwrap();
        assert_eq!(*total.get_or_insert(count), count, "totalCount changes between pages");
        for edge in page["edges"].as_array().unwrap() {
            ids.push(edge["node"]["id"].as_str().unwrap().to_owned());
        }
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    assert!(ids.windows(2).all(|pair| pair[0] < pair[1]), "not in id order: {ids:?}");
    assert_eq!(ids.len() as u64, total.unwrap_or(0));
    ids.into_iter().collect()
}

#[test]
fn each_relation_filter_keeps_what_sparql_finds() {
    let server = seed();
    let cases = [
        ("predicates: [\"organizes\"]", "?r gg:predicate gg:organizes ."),
        (
            "predicates: [\"feedsInto\", \"https://w3id.org/govgraph/ns#coOrganizes\"]",
            "?r gg:predicate ?p . FILTER(?p IN (gg:feedsInto, gg:coOrganizes))",
        ),
        ("evidenceTypes: [INFERRED]", "?r gg:evidenceType gg:Inferred ."),
        (
            "evidenceTypes: [SEED_QUOTE, PUBLIC_SOURCE]",
            "?r gg:evidenceType ?e . FILTER(?e IN (gg:SeedQuote, gg:PublicSourceQuote))",
        ),
        (
            "minConfidence: 0.6",
            "FILTER NOT EXISTS { ?r gg:confidence ?c . FILTER(?c < 0.6) }",
        ),
        (
            "source: \"icann-diagram-2014\"",
            "?r gg:evidence/gg:document id:icann-diagram-2014 .",
        ),
        (
            "evidenceTypes: [INFERRED], minConfidence: 0.6",
            "?r gg:evidenceType gg:Inferred ; gg:confidence ?c . FILTER(?c >= 0.6)",
        ),
    ];
    for (arguments, pattern) in cases {
        let expected = sparql_ids(server, pattern);
        assert!(!expected.is_empty(), "the seed has no relation for `{arguments}`");
        assert_eq!(listed(server, arguments), expected, "relations({arguments})");
    }
    let everything = listed(server, "");
    assert_eq!(everything, sparql_ids(server, ""));
    // A seed document by its file name, as `Source.document` shows it, is the same document.
    let by_file = server.graphql(
        "{ relations(source: \"icann-diagram-2014\", first: 1) { nodes { sources { document } } } }",
        json!({}),
    );
    let shown = data(&by_file)["relations"]["nodes"][0]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|source| source["document"].as_str().unwrap().to_owned())
        .find(|document| document.ends_with(".txt"))
        .expect("the diagram shown by its seed file name");
    assert_eq!(
        listed(server, &format!("source: \"{shown}\"")),
        listed(server, "source: \"icann-diagram-2014\"")
    );
}

#[test]
fn a_bad_filter_is_a_precise_error_not_an_empty_answer() {
    let server = seed();
    for (arguments, field) in [
        ("predicates: [\"feedInto\"]", "predicates"),
        ("minConfidence: 1.5", "minConfidence"),
        ("minConfidence: -0.1", "minConfidence"),
        ("source: \"no-such-document\"", "source"),
    ] {
        let response = server.graphql(&format!("{{ relations({arguments}) {{ totalCount }} }}"), json!({}));
        assert_eq!(error_code(&response), "BAD_USER_INPUT", "{arguments}: {response:#}");
        let message = response["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(field), "{arguments}: {message}");
    }
    let typo = server.graphql("{ relations(predicates: [\"feedInto\"]) { totalCount } }", json!({}));
    assert!(
        typo["errors"][0]["message"].as_str().unwrap().contains("feedsInto"),
        "the predicates in use are listed: {typo:#}"
    );
    let cursor = server.graphql("{ entities(first: 1) { pageInfo { endCursor } } }", json!({}));
    let cursor = data(&cursor)["entities"]["pageInfo"]["endCursor"].clone();
    let response = server.graphql(
        "query($after: String) { relations(after: $after) { totalCount } }",
        json!({ "after": cursor }),
    );
    assert_eq!(
        error_code(&response),
        "BAD_USER_INPUT",
        "an entity cursor is not a relation cursor"
    );
}

#[test]
fn stats_count_relations_by_predicate_and_evidence_type() {
    let server = seed();
    let response = server.graphql(
        "{ stats { relations byPredicate { predicate iri label count } byEvidenceType { evidenceType count } } }",
        json!({}),
    );
    let stats = &data(&response)["stats"];
    let total = stats["relations"].as_u64().unwrap();
    let sum = |list: &Value| {
        list.as_array()
            .unwrap()
            .iter()
            .map(|c| c["count"].as_u64().unwrap())
            .sum::<u64>()
    };
    assert_eq!(sum(&stats["byPredicate"]), total);
    assert_eq!(sum(&stats["byEvidenceType"]), total);
    for count in stats["byPredicate"].as_array().unwrap() {
        let iri = count["iri"].as_str().unwrap();
        assert_eq!(
            sparql_ids(server, &format!("?r gg:predicate <{iri}> .")).len() as u64,
            count["count"].as_u64().unwrap(),
            "{iri}"
        );
        let name = count["predicate"].as_str().unwrap();
        assert_eq!(
            iri.strip_prefix(GG),
            Some(name),
            "the ontology's predicates go by their name"
        );
        assert_eq!(
            listed(server, &format!("predicates: [\"{name}\"]")).len() as u64,
            count["count"].as_u64().unwrap()
        );
    }
    for count in stats["byEvidenceType"].as_array().unwrap() {
        let Some(evidence) = count["evidenceType"].as_str() else {
            continue;
        };
        assert_eq!(
            listed(server, &format!("evidenceTypes: [{evidence}]")).len() as u64,
            count["count"].as_u64().unwrap()
        );
    }
}

/// Paths, subgraphs and connections use only relations the filters keep, and the filters matter
/// (some answer changes).
#[test]
fn searches_walk_only_the_relations_the_filters_keep() {
    let server = seed();
    let kept = |arguments: &str| listed(server, arguments);
    let filters = [
        "evidenceTypes: [SEED_QUOTE, PUBLIC_SOURCE]",
        "predicates: [\"feedsInto\", \"organizes\", \"coOrganizes\", \"participatesIn\"]",
        "minConfidence: 0.7",
        "source: \"icann-diagram-2014\"",
    ];
    let mut changed = 0;
    for filter in filters {
        let allowed = kept(filter);
        let query = format!(
            "{{ a: paths(from: \"montevideo-statement\", to: \"netmundial-2014\", k: 5, {filter}) {{ relations {{ id }} }} \
               b: paths(from: \"montevideo-statement\", to: \"netmundial-2014\", k: 5) {{ relations {{ id }} }} \
               c: subgraph(roots: [\"netmundial-2014\"], depth: 2, {filter}) {{ relations {{ id }} }} \
               d: subgraph(roots: [\"netmundial-2014\"], depth: 2) {{ relations {{ id }} }} \
               e: connections(a: \"onenet\", b: \"netmundial-2014\", {filter}) {{ id }} }}"
        );
        let response = server.graphql(&query, json!({}));
        let answer = data(&response);
        let ids = |value: &Value| -> Vec<String> {
            value
                .as_array()
                .unwrap()
                .iter()
                .map(|relation| relation["id"].as_str().unwrap().to_owned())
                .collect()
        };
        let mut used = BTreeSet::new();
        for path in answer["a"].as_array().unwrap() {
            used.extend(ids(&path["relations"]));
        }
        used.extend(ids(&answer["c"]["relations"]));
        used.extend(ids(&answer["e"]));
        let outside: Vec<_> = used.difference(&allowed).collect();
        assert!(outside.is_empty(), "{filter}: uses {outside:?}");
        if answer["a"] != answer["b"] || answer["c"] != answer["d"] {
            changed += 1;
        }
    }
    assert!(changed >= 2, "the filters should change some answers on the seed");
}

/// A relation written through GraphQL is found by the filters at once, and its evidence type,
/// confidence-free quote and document count.
#[test]
fn a_written_relation_is_filtered_like_the_seed() {
    let server = Server::start(&["--memory", "--admin-token", TOKEN]);
    let document = "https://example.org/filters-minutes";
    let before = listed(&server, "evidenceTypes: [PUBLIC_SOURCE]");
    let written = post(
        &server,
        Some(TOKEN),
        "mutation($input: RelationInput!) { createRelation(input: $input) { id } }",
        json!({ "input": { "source": "onenet", "target": "netmundial-2014", "kind": "INDIRECT",
                "predicate": "contributesTo", "sources": [{ "document": document, "quote": "input" }] } }),
    );
    let id = data(&written)["createRelation"]["id"].as_str().unwrap().to_owned();
    let after = listed(&server, "evidenceTypes: [PUBLIC_SOURCE]");
    assert_eq!(after.difference(&before).cloned().collect::<Vec<_>>(), vec![id.clone()]);
    assert_eq!(
        listed(&server, &format!("source: \"{document}\"")),
        BTreeSet::from([id.clone()])
    );
    assert!(
        listed(&server, "minConfidence: 1").contains(&id),
        "a quoted relation counts as certain"
    );
    let connections = server.graphql(
        &format!("{{ connections(a: \"onenet\", b: \"netmundial-2014\", source: \"{document}\") {{ id }} }}"),
        json!({}),
    );
    assert_eq!(data(&connections)["connections"], json!([{ "id": id }]));
    server.stop();
}

/// `/subgraph` takes the same filters as GraphQL `subgraph` and draws the same relations.
#[test]
fn the_subgraph_export_takes_the_same_filters() {
    let server = seed();
    let graphql = server.graphql(
        "{ subgraph(roots: [\"netmundial-2014\"], depth: 2, predicates: [\"feedsInto\", \"organizes\", \"coOrganizes\"], \
           evidenceTypes: [SEED_QUOTE, INFERRED], minConfidence: 0.5, source: \"icann-diagram-2014\") \
           { relations { id } } }",
        json!({}),
    );
    let mut expected: Vec<String> = data(&graphql)["subgraph"]["relations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|relation| relation["id"].as_str().unwrap().to_owned())
        .collect();
    expected.sort();
    assert!(!expected.is_empty(), "the filters leave something to draw");
    let (status, body) = server.get(
        "/subgraph?root=netmundial-2014&depth=2&predicates=feedsInto,organizes,coOrganizes\
         &evidenceTypes=seed_quote&evidenceTypes=inferred&minConfidence=0.5&source=icann-diagram-2014",
    );
    assert_eq!(status, 200, "{body}");
    let drawn: Value = serde_json::from_str(&body).unwrap();
    let mut edges: Vec<String> = drawn["elements"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| edge["data"]["id"].as_str().unwrap().to_owned())
        .collect();
    edges.sort();
    assert_eq!(edges, expected);
    let (status, body) = server.get("/subgraph?root=netmundial-2014&source=no-such-document");
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("source"), "{body}");
}

/// `asOf` keeps what had started by the date (undated entities too), on searches and rankings:
/// checked against each entity's dates as GraphQL reports them.
#[test]
fn as_of_keeps_what_had_started_by_then() {
    let server = seed();
    let response = server.graphql(
        "{ subgraph(roots: [\"netmundial-2014\"], depth: 3, asOf: \"2014-03\") { nodes { id startDate endDate } } \
           whole: subgraph(roots: [\"netmundial-2014\"], depth: 3) { nodes { id } } \
           centrality(metric: DEGREE, asOf: \"2013-06\", first: 500) { entity { id startDate endDate } } }",
        json!({}),
    );
    let answer = data(&response);
    assert!(
        answer["subgraph"]["nodes"].as_array().unwrap().is_empty(),
        "NETmundial had not started in March 2014"
    );
    let started_by = |entity: &Value, last: &str| {
        let first = entity["startDate"].as_str().or(entity["endDate"].as_str());
        first.is_none_or(|date| date[..date.len().min(last.len())] <= *last)
    };
    let ranked = answer["centrality"].as_array().unwrap();
    assert!(!ranked.is_empty());
    for item in ranked {
        assert!(started_by(&item["entity"], "2013-06"), "{item}");
    }
    let late = server.graphql(
        "{ centrality(metric: DEGREE, first: 500) { entity { id startDate endDate } } }",
        json!({}),
    );
    let all = data(&late)["centrality"].as_array().unwrap().len();
    assert!(ranked.len() < all, "asOf leaves later entities out of the ranking");
    let bad = server.graphql(
        "{ subgraph(roots: [\"onenet\"], asOf: \"2014-13\") { nodes { id } } }",
        json!({}),
    );
    assert_eq!(error_code(&bad), "BAD_USER_INPUT");
}

/// A scoped ranking is the whole-graph ranking of the part it keeps: degree within the ICANN
/// diagram's relations equals each entity's number of relations citing the diagram.
#[test]
fn a_ranking_scoped_to_a_source_counts_only_what_it_states() {
    let server = seed();
    let response = server.graphql(
        "{ centrality(metric: DEGREE, source: \"icann-diagram-2014\", first: 500) { entity { id } score } }",
        json!({}),
    );
    let ranked = data(&response)["centrality"].as_array().unwrap().clone();
    let stated = server.graphql(
        "{ relations(source: \"icann-diagram-2014\", first: 500) { totalCount nodes { source { id } target { id } } } }",
        json!({}),
    );
    let stated = &data(&stated)["relations"];
    assert!(stated["totalCount"].as_u64().unwrap() <= 500);
    let mut degree = std::collections::BTreeMap::<String, f64>::new();
    for relation in stated["nodes"].as_array().unwrap() {
        for end in ["source", "target"] {
            *degree
                .entry(relation[end]["id"].as_str().unwrap().to_owned())
                .or_default() += 1.0;
        }
    }
    let scored: std::collections::BTreeMap<String, f64> = ranked
        .iter()
        .map(|item| {
            (
                item["entity"]["id"].as_str().unwrap().to_owned(),
                item["score"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(scored, degree);
}
