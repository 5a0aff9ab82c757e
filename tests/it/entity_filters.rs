//! The `entities` connection's filters (kinds, location, source, a year range) and orders, each
//! checked against the same question asked of the store in SPARQL; pages walked whole under each
//! order (no duplicate, no gap, in order); facets equal to counts over the whole filtered list;
//! `sources` counts equal to SPARQL's; `timeline(source:)`.

use crate::util::{Server, seed};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

const PREFIXES: &str = "PREFIX gg: <https://w3id.org/govgraph/ns#> \
                        PREFIX id: <https://w3id.org/govgraph/id/> \
                        PREFIX schema: <http://schema.org/> \
                        PREFIX dcterms: <http://purl.org/dc/terms/> \
                        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ";

fn data(response: &Value) -> &Value {
    assert!(response.get("errors").is_none(), "unexpected errors: {response:#}");
    &response["data"]
}

fn error_code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code: {response:#}"))
}

/// The rows of a SPARQL `SELECT`, each variable's value (IRIs of entities as their ids).
fn sparql(server: &Server, select: &str) -> Vec<BTreeMap<String, String>> {
    let response = server.request(
        "POST",
        "/sparql",
        &[
            ("Content-Type", "application/sparql-query"),
            ("Accept", "application/sparql-results+json"),
        ],
        Some(&format!("{PREFIXES}{select}")),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    let results: Value = serde_json::from_str(&response.body).unwrap();
    results["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            row.as_object()
                .unwrap()
                .iter()
                .map(|(name, value)| {
                    let value = value["value"].as_str().unwrap();
                    let value = value.strip_prefix("https://w3id.org/govgraph/id/").unwrap_or(value);
                    (name.clone(), value.to_owned())
                })
                .collect()
        })
        .collect()
}

/// The entity ids a SPARQL pattern about `?e` finds.
fn sparql_entities(server: &Server, pattern: &str) -> BTreeSet<String> {
    sparql(
        server,
        &format!("SELECT DISTINCT ?e WHERE {{ ?e a gg:Entity . {pattern} }}"),
    )
    .into_iter()
    .map(|row| row["e"].clone())
    .collect()
}

/// Every entity the connection gives for `arguments`, in order, page by page (7 a page),
/// checking `totalCount`, the cursors and that no entity comes twice.
fn walk(server: &Server, arguments: &str) -> Vec<String> {
    let (mut ids, mut after, mut total) = (Vec::new(), Value::Null, None);
    loop {
        let query = format!(
            "query($after: String) {{ entities({arguments} first: 7, after: $after) {{ totalCount \
             pageInfo {{ hasNextPage hasPreviousPage endCursor }} edges {{ cursor node {{ id }} }} }} }}"
        );
        let response = server.graphql(&query, json!({ "after": after }));
        let page = &data(&response)["entities"];
        let count = page["totalCount"].as_u64().unwrap();
        assert_eq!(*total.get_or_insert(count), count, "totalCount changes between pages");
        assert_eq!(page["pageInfo"]["hasPreviousPage"], !after.is_null());
        for edge in page["edges"].as_array().unwrap() {
            ids.push(edge["node"]["id"].as_str().unwrap().to_owned());
        }
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    let distinct: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), ids.len(), "an entity twice in entities({arguments})");
    assert_eq!(ids.len() as u64, total.unwrap_or(0), "a gap in entities({arguments})");
    ids
}

fn set(ids: Vec<String>) -> BTreeSet<String> {
    ids.into_iter().collect()
}

/// Folded as the server folds for matching: lower case, accents off.
fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
}

/// The entities the documents `document` (an IRI) states, in SPARQL.
fn stated_pattern(document: &str) -> String {
    format!(
        "{{ ?e gg:evidence/gg:document <{document}> }} UNION \
         {{ ?e gg:claim/gg:evidence/gg:document <{document}> }} FILTER(?e != <{document}>)"
    )
}

#[test]
fn each_entity_filter_keeps_what_sparql_finds() {
    let server = seed();
    let cases = [
        (
            "kinds: [MEETING, DOCUMENT]",
            "{ ?e a gg:Meeting } UNION { ?e a gg:Document }".to_owned(),
        ),
        ("kinds: [PERSON]", "?e a gg:Person .".to_owned()),
        (
            "kind: MEETING, kinds: [MEETING, DOCUMENT]",
            "?e a gg:Meeting .".to_owned(),
        ),
        (
            "source: \"icann-diagram-2014\"",
            stated_pattern("https://w3id.org/govgraph/id/icann-diagram-2014"),
        ),
        (
            "source: \"https://www.w3.org/blog/news/archives/3298\"",
            stated_pattern("https://www.w3.org/blog/news/archives/3298"),
        ),
    ];
    for (arguments, pattern) in cases {
        let expected = sparql_entities(server, &pattern);
        assert!(!expected.is_empty(), "the seed has no entity for `{arguments}`");
        assert_eq!(set(walk(server, arguments)), expected, "entities({arguments})");
    }

    // Location: a case- and accent-insensitive substring of schema:location.
    let located = sparql(
        server,
        "SELECT DISTINCT ?e ?l WHERE { ?e a gg:Entity ; schema:location ?l }",
    );
    assert!(located.len() > 2, "the seed locates entities");
    for text in ["montevideo", "SAO PAULO", "são", "online", "brazil"] {
        let expected: BTreeSet<String> = located
            .iter()
            .filter(|row| fold(&row["l"]).contains(&fold(text)))
            .map(|row| row["e"].clone())
            .collect();
        let found = set(walk(server, &format!("location: {text:?}")));
        assert_eq!(found, expected, "entities(location: {text:?})");
    }
    assert!(
        !set(walk(server, "location: \"montevideo\"")).is_empty(),
        "Montevideo is in the seed"
    );

    // A year range on the start (or issue) date; undated entities are left out.
    let dated = sparql(
        server,
        "SELECT ?e ?d WHERE { ?e a gg:Entity . { ?e schema:startDate ?d } UNION \
         { ?e dcterms:issued ?d FILTER NOT EXISTS { ?e schema:startDate ?s } } }",
    );
    let year = |row: &BTreeMap<String, String>| row["d"][..4].parse::<i32>().unwrap();
    for (from, to) in [
        (Some(2013), Some(2014)),
        (Some(2015), None),
        (None, Some(2012)),
        (Some(2014), Some(2014)),
    ] {
        let expected: BTreeSet<String> = dated
            .iter()
            .filter(|row| from.is_none_or(|from| year(row) >= from) && to.is_none_or(|to| year(row) <= to))
            .map(|row| row["e"].clone())
            .collect();
        let mut arguments = String::new();
        if let Some(from) = from {
            arguments += &format!("from: \"{from}\", ");
        }
        if let Some(to) = to {
            arguments += &format!("to: \"{to}\", ");
        }
        assert!(!expected.is_empty(), "the seed has entities for {arguments}");
        assert_eq!(set(walk(server, &arguments)), expected, "entities({arguments})");
    }

    // Filters together: the intersection.
    let meetings = sparql_entities(server, "?e a gg:Meeting .");
    let stated = sparql_entities(
        server,
        &stated_pattern("https://w3id.org/govgraph/id/icann-diagram-2014"),
    );
    let both: BTreeSet<String> = meetings.intersection(&stated).cloned().collect();
    assert!(!both.is_empty());
    assert_eq!(
        set(walk(server, "kinds: [MEETING], source: \"icann-diagram-2014\"")),
        both
    );

    for (arguments, field) in [
        ("source: \"no-such-document\"", "source"),
        ("from: \"2015\", to: \"2013\"", "to"),
        ("from: \"last year\"", "from"),
        ("orderBy: { field: CLOSENESS }", "orderBy"),
    ] {
        let response = server.graphql(&format!("{{ entities({arguments}) {{ totalCount }} }}"), json!({}));
        if arguments.contains("CLOSENESS") && response.get("errors").is_none() {
            continue; // closeness has been connected
        }
        assert_eq!(error_code(&response), "BAD_USER_INPUT", "{arguments}: {response:#}");
        let message = response["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(field), "{arguments}: {message}");
    }
}

#[test]
fn every_order_walks_all_pages_in_order_and_a_cursor_keeps_to_its_order() {
    let server = seed();
    every_order_is_in_order(server);
    // The top of a centrality order is the centrality ranking's.
    for (field, metric) in [
        ("PAGERANK", "PAGERANK"),
        ("BETWEENNESS", "BETWEENNESS"),
        ("DEGREE", "DEGREE"),
    ] {
        let ranked = server.graphql(
            &format!("{{ centrality(metric: {metric}, first: 5) {{ entity {{ id }} }} }}"),
            json!({}),
        );
        let ranked: Vec<String> = data(&ranked)["centrality"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["entity"]["id"].as_str().unwrap().to_owned())
            .collect();
        let ordered = walk(server, &format!("orderBy: {{ field: {field}, direction: DESC }}"));
        assert_eq!(ordered[..5], ranked[..], "{field}");
    }

    // A cursor belongs to its order.
    let cursor = server.graphql(
        "{ entities(first: 2, orderBy: { field: DEGREE, direction: DESC }) { pageInfo { endCursor } } }",
        json!({}),
    );
    let cursor = data(&cursor)["entities"]["pageInfo"]["endCursor"].clone();
    for other in ["", "orderBy: { field: LABEL }", "orderBy: { field: DEGREE }"] {
        let response = server.graphql(
            &format!("query($after: String) {{ entities({other} after: $after) {{ totalCount }} }}"),
            json!({ "after": cursor }),
        );
        assert_eq!(error_code(&response), "BAD_USER_INPUT", "{other}: {response:#}");
    }
    let same = server.graphql(
        "query($after: String) { entities(orderBy: { field: DEGREE, direction: DESC }, first: 2, after: $after) \
         { edges { node { id } } } }",
        json!({ "after": cursor }),
    );
    let next: Vec<&str> = data(&same)["entities"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| edge["node"]["id"].as_str().unwrap())
        .collect();
    let ordered = walk(server, "orderBy: { field: DEGREE, direction: DESC }");
    assert_eq!(next, ordered[2..4].iter().map(String::as_str).collect::<Vec<_>>());
}

#[test]
fn orders_sorted_before_writes_take_in_what_the_writes_changed() {
    use crate::writes::{CREATE, TOKEN, entity, post};
    let server = Server::start(&["--memory", "--admin-token", TOKEN]);
    // Sorted now, on the base; the writes below then change the catalog, not the base.
    for field in ["LABEL", "START_DATE", "DEGREE"] {
        walk(&server, &format!("orderBy: {{ field: {field} }}"));
    }
    let write = |query: &str, variables: Value| {
        let response = post(&server, Some(TOKEN), query, variables);
        assert!(response.get("errors").is_none(), "{response}");
    };
    for label in ["Aardvark Forum", "Zulu Forum", "Mid Forum"] {
        write(CREATE, json!({ "input": entity(label) }));
    }
    write(
        "mutation { updateEntity(id: \"onenet\", patch: { label: \"Zz One Net\", startDate: \"1990\" }) { id } }",
        json!({}),
    );
    write("mutation { deleteEntity(id: \"igf-2014-istanbul\") }", json!({}));
    let all = set(walk(&server, ""));
    assert!(
        all.contains("aardvark-forum") && !all.contains("igf-2014-istanbul"),
        "{all:?}"
    );
    every_order_is_in_order(&server);
}

/// Walks `entities` in each order and direction and checks it against what SPARQL reads.
fn every_order_is_in_order(server: &Server) {
    let all = set(walk(server, ""));
    let labels: BTreeMap<String, String> = sparql(server, "SELECT ?e ?l WHERE { ?e a gg:Entity ; rdfs:label ?l }")
        .into_iter()
        .map(|row| (row["e"].clone(), fold(&row["l"])))
        .collect();
    let starts: BTreeMap<String, String> = sparql(
        server,
        "SELECT ?e ?d WHERE { ?e a gg:Entity . { ?e schema:startDate ?d } UNION \
         { ?e dcterms:issued ?d FILTER NOT EXISTS { ?e schema:startDate ?s } } }",
    )
    .into_iter()
    .map(|row| (row["e"].clone(), row["d"].clone()))
    .collect();
    let degrees: BTreeMap<String, usize> = sparql(
        server,
        "SELECT ?e (COUNT(DISTINCT ?r) AS ?n) WHERE { ?e a gg:Entity . \
         OPTIONAL { { ?r a gg:Relation ; gg:source ?e } UNION { ?r a gg:Relation ; gg:target ?e } } } GROUP BY ?e",
    )
    .into_iter()
    .map(|row| (row["e"].clone(), row["n"].parse().unwrap()))
    .collect();
    assert_eq!(all, labels.keys().cloned().collect::<BTreeSet<_>>());

    for direction in ["ASC", "DESC"] {
        let descending = direction == "DESC";
        let by = |field: &str| {
            walk(
                server,
                &format!("orderBy: {{ field: {field}, direction: {direction} }}"),
            )
        };

        let ids = by("LABEL");
        assert_eq!(set(ids.clone()), all);
        let mut expected: Vec<String> = all.iter().cloned().collect();
        expected.sort_by(|a, b| {
            let order = labels[a].cmp(&labels[b]);
            if descending { order.reverse() } else { order }.then_with(|| a.cmp(b))
        });
        // Labels fold the same in SPARQL's text and the server's: compare the keys, then ties.
        let keys = |ids: &[String]| ids.iter().map(|id| labels[id].clone()).collect::<Vec<_>>();
        assert_eq!(keys(&ids), keys(&expected), "LABEL {direction}");

        let ids = by("START_DATE");
        assert_eq!(set(ids.clone()), all);
        // The first day a partial date may denote ("2013" is 2013-01-01).
        let first_day = |id: &String| {
            starts.get(id).map(|date| {
                let mut parts = date.split('-').map(|part| part.parse::<i32>().unwrap());
                let year = parts.next().unwrap();
                (year, parts.next().unwrap_or(1), parts.next().unwrap_or(1))
            })
        };
        let dated = ids.iter().take_while(|id| starts.contains_key(*id)).count();
        assert_eq!(dated, starts.len(), "START_DATE {direction}: undated entities last");
        for pair in ids.windows(2) {
            let (a, b) = (first_day(&pair[0]), first_day(&pair[1]));
            match (a, b) {
                (Some(a), Some(b)) => {
                    let order = if descending { b.cmp(&a) } else { a.cmp(&b) };
                    assert!(order.is_le(), "START_DATE {direction}: {pair:?}");
                    if a == b {
                        assert!(pair[0] < pair[1], "ties by id: {pair:?}");
                    }
                }
                (None, None) => assert!(pair[0] < pair[1], "undated by id: {pair:?}"),
                (Some(_), None) => {}
                (None, Some(_)) => panic!("START_DATE {direction}: undated before dated: {pair:?}"),
            }
        }

        let ids = by("DEGREE");
        assert_eq!(set(ids.clone()), all);
        for pair in ids.windows(2) {
            let (a, b) = (degrees[&pair[0]], degrees[&pair[1]]);
            let order = if descending { b.cmp(&a) } else { a.cmp(&b) };
            assert!(order.is_le(), "DEGREE {direction}: {pair:?} ({a}, {b})");
            if a == b {
                assert!(pair[0] < pair[1], "ties by id: {pair:?}");
            }
        }

        for field in ["PAGERANK", "BETWEENNESS"] {
            assert_eq!(set(by(field)), all, "{field} {direction}");
        }
    }
}

/// The facets of `entities(arguments)`.
fn facets(server: &Server, arguments: &str) -> Value {
    let response = server.graphql(
        &format!(
            "{{ entities({arguments} first: 1) {{ facets {{ byKind {{ kind count }} byOpenness {{ openness count }} \
             byYear {{ year count }} bySource {{ document count }} }} }} }}"
        ),
        json!({}),
    );
    data(&response)["entities"]["facets"].clone()
}

#[test]
fn facets_count_the_whole_filtered_list() {
    let server = seed();
    for arguments in [
        "",
        "kinds: [MEETING, DOCUMENT], ",
        "from: \"2013\", to: \"2015\", ",
        "source: \"icann-diagram-2014\", ",
        "location: \"brazil\", ",
    ] {
        let ids = walk(server, arguments);
        assert!(!ids.is_empty(), "{arguments}");
        // Every listed entity's kind, openness, start date and sources, a page at a time.
        let mut expected_kind: BTreeMap<String, u64> = BTreeMap::new();
        let mut expected_openness: BTreeMap<String, u64> = BTreeMap::new();
        let mut expected_year: BTreeMap<i64, u64> = BTreeMap::new();
        let mut expected_source: BTreeMap<String, u64> = BTreeMap::new();
        let (mut after, mut seen) = (Value::Null, 0);
        loop {
            let response = server.graphql(
                &format!(
                    "query($after: String) {{ entities({arguments} first: 25, after: $after) {{ \
                     pageInfo {{ hasNextPage endCursor }} nodes {{ id kind openness startDate \
                     sources {{ document documentIri }} claims {{ sources {{ document documentIri }} }} }} }} }}"
                ),
                json!({ "after": after }),
            );
            let page = &data(&response)["entities"];
            for node in page["nodes"].as_array().unwrap() {
                seen += 1;
                *expected_kind
                    .entry(node["kind"].as_str().unwrap().to_owned())
                    .or_default() += 1;
                *expected_openness.entry(node["openness"].to_string()).or_default() += 1;
                if let Some(date) = node["startDate"].as_str() {
                    *expected_year.entry(date[..4].parse().unwrap()).or_default() += 1;
                }
                // Nothing cites itself: a seed document's own evidence is not a source of it.
                let own = format!("https://w3id.org/govgraph/id/{}", node["id"].as_str().unwrap());
                let cited = |sources: &Value| -> Vec<String> {
                    sources
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|source| source["documentIri"] != own.as_str())
                        .map(|source| source["document"].as_str().unwrap().to_owned())
                        .collect()
                };
                let mut documents: BTreeSet<String> = cited(&node["sources"]).into_iter().collect();
                for claim in node["claims"].as_array().unwrap() {
                    documents.extend(cited(&claim["sources"]));
                }
                for document in documents {
                    *expected_source.entry(document).or_default() += 1;
                }
            }
            if page["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = page["pageInfo"]["endCursor"].clone();
        }
        assert_eq!(seen, ids.len());
        let facets = facets(server, arguments);
        let counted = |list: &Value, key: &str| -> BTreeMap<String, u64> {
            list.as_array()
                .unwrap()
                .iter()
                .map(|entry| {
                    let name = match &entry[key] {
                        Value::String(text) => text.clone(),
                        other => other.to_string(),
                    };
                    (name, entry["count"].as_u64().unwrap())
                })
                .collect()
        };
        assert_eq!(counted(&facets["byKind"], "kind"), expected_kind, "byKind {arguments}");
        let openness: BTreeMap<String, u64> = facets["byOpenness"]
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| (entry["openness"].to_string(), entry["count"].as_u64().unwrap()))
            .collect();
        assert_eq!(openness, expected_openness, "byOpenness {arguments}");
        let years: BTreeMap<i64, u64> = facets["byYear"]
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| (entry["year"].as_i64().unwrap(), entry["count"].as_u64().unwrap()))
            .collect();
        assert_eq!(years, expected_year, "byYear {arguments}");
        assert_eq!(
            counted(&facets["bySource"], "document"),
            expected_source,
            "bySource {arguments}"
        );
        let sum: u64 = expected_kind.values().sum();
        assert_eq!(sum, ids.len() as u64);
    }
}

#[test]
fn sources_count_what_sparql_counts_and_each_names_a_source_filter() {
    let server = seed();
    let response = server.graphql("{ sources { document label entities relations } }", json!({}));
    let sources = data(&response)["sources"].as_array().unwrap().clone();
    let cited = sparql(server, "SELECT DISTINCT ?d WHERE { ?x gg:evidence/gg:document ?d }");
    assert_eq!(sources.len(), cited.len(), "every cited document once");
    let entities: BTreeMap<String, u64> = sparql(
        server,
        "SELECT ?d (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a gg:Entity . \
         { ?e gg:evidence/gg:document ?d } UNION { ?e gg:claim/gg:evidence/gg:document ?d } FILTER(?e != ?d) } GROUP BY ?d",
    )
    .into_iter()
    .map(|row| (row["d"].clone(), row["n"].parse().unwrap()))
    .collect();
    let relations: BTreeMap<String, u64> = sparql(
        server,
        "SELECT ?d (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a gg:Relation ; gg:evidence/gg:document ?d } GROUP BY ?d",
    )
    .into_iter()
    .map(|row| (row["d"].clone(), row["n"].parse().unwrap()))
    .collect();
    let mut seen_file = false;
    for source in &sources {
        let document = source["document"].as_str().unwrap();
        // The document's IRI, as the relation `source` filter resolves the name.
        let relation = server.graphql(
            &format!("{{ relations(source: {document:?}, first: 1) {{ totalCount }} entities(source: {document:?}, first: 1) {{ totalCount }} }}"),
            json!({}),
        );
        let answer = data(&relation);
        assert_eq!(answer["relations"]["totalCount"], source["relations"], "{document}");
        assert_eq!(answer["entities"]["totalCount"], source["entities"], "{document}");
        seen_file |= document.ends_with(".txt");
    }
    assert!(seen_file, "seed documents go by their file name");
    // The SPARQL counts, by document IRI, match the counts listed, by shown name: same multisets.
    let mut listed_entities: Vec<u64> = sources.iter().map(|s| s["entities"].as_u64().unwrap()).collect();
    let mut listed_relations: Vec<u64> = sources.iter().map(|s| s["relations"].as_u64().unwrap()).collect();
    let mut sparql_entities: Vec<u64> = cited
        .iter()
        .map(|row| entities.get(&row["d"]).copied().unwrap_or(0))
        .collect();
    let mut sparql_relations: Vec<u64> = cited
        .iter()
        .map(|row| relations.get(&row["d"]).copied().unwrap_or(0))
        .collect();
    for list in [
        &mut listed_entities,
        &mut listed_relations,
        &mut sparql_entities,
        &mut sparql_relations,
    ] {
        list.sort_unstable();
    }
    assert_eq!(listed_entities, sparql_entities);
    assert_eq!(listed_relations, sparql_relations);
    // Public pages go by their URL, with their counts.
    for row in &cited {
        let iri = &row["d"];
        if iri.starts_with("http") && !iri.starts_with("https://w3id.org/") {
            let listed = sources.iter().find(|s| s["document"] == iri.as_str()).expect(iri);
            assert_eq!(
                listed["entities"].as_u64().unwrap(),
                entities.get(iri).copied().unwrap_or(0),
                "{iri}"
            );
            assert_eq!(
                listed["relations"].as_u64().unwrap(),
                relations.get(iri).copied().unwrap_or(0),
                "{iri}"
            );
        }
    }
}

#[test]
fn the_timeline_keeps_what_a_document_states() {
    let server = seed();
    let response = server.graphql(
        "{ timeline(source: \"icann-diagram-2014\", includeUndated: true, first: 500) { id } }",
        json!({}),
    );
    let found: BTreeSet<String> = data(&response)["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entity| entity["id"].as_str().unwrap().to_owned())
        .collect();
    let expected = sparql_entities(
        server,
        &stated_pattern("https://w3id.org/govgraph/id/icann-diagram-2014"),
    );
    assert_eq!(found, expected);
    let response = server.graphql("{ timeline(source: \"nowhere\") { id } }", json!({}));
    assert_eq!(error_code(&response), "BAD_USER_INPUT");
}
