//! Claims: every value an entity states carries provenance, read back through GraphQL as SPARQL
//! sees it; the seed's TBD boxes keep their status while a later page's date is another
//! reading; writes (mutations, CSV import) claim what they state and keep claims in step when
//! values change or go; `validate --report` counts what the store holds.

use crate::util::{Server, Workspace, govgraph, seed};
use crate::writes::{TOKEN, code, post};
use serde_json::{Value, json};
use std::collections::BTreeMap;

fn sparql(server: &Server, query: &str) -> Vec<Value> {
    let response = server.request(
        "POST",
        "/sparql",
        &[
            ("Content-Type", "application/sparql-query"),
            ("Accept", "application/sparql-results+json"),
        ],
        Some(&format!(
            "PREFIX gg: <https://w3id.org/govgraph/ns#> PREFIX id: <https://w3id.org/govgraph/id/> {query}"
        )),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    let body: Value = serde_json::from_str(&response.body).unwrap();
    body["results"]["bindings"].as_array().unwrap().clone()
}

fn claims(server: &Server, id: &str, property: &str) -> Vec<Value> {
    let response = server.graphql(
        "query($id: String!, $property: String) { entity(ref: $id) {
            claims(property: $property) { property value asserted evidenceType confidence inferenceReason
                                          sources { document quote } } } }",
        json!({ "id": id, "property": property }),
    );
    assert!(response.get("errors").is_none(), "{response}");
    response["data"]["entity"]["claims"].as_array().unwrap().clone()
}

#[test]
fn every_value_of_the_seed_has_its_claims_as_sparql_counts_them() {
    let server = seed();
    let mut expected: BTreeMap<String, usize> = BTreeMap::new();
    for row in sparql(
        server,
        "SELECT ?e (COUNT(?c) AS ?n) WHERE { ?e gg:claim ?c } GROUP BY ?e",
    ) {
        let id = row["e"]["value"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_owned();
        expected.insert(id, row["n"]["value"].as_str().unwrap().parse().unwrap());
    }
    assert!(expected.len() > 100, "only {} entities have claims", expected.len());
    let response = server.graphql(
        "{ entities(first: 500) { nodes { id openness startDate claims { property value asserted evidenceType } } } }",
        json!({}),
    );
    let nodes = response["data"]["entities"]["nodes"].as_array().unwrap();
    assert!(nodes.len() > 250, "{}", nodes.len());
    for node in nodes {
        let id = node["id"].as_str().unwrap();
        let claims = node["claims"].as_array().unwrap();
        assert_eq!(claims.len(), expected.get(id).copied().unwrap_or(0), "{id}: {node}");
        // The contract: every entity with an openness has an openness claim, asserted.
        if let Some(openness) = node["openness"].as_str() {
            assert!(
                claims.iter().any(|c| c["property"] == "openness"
                    && c["asserted"] == true
                    && c["value"] == openness.to_lowercase()),
                "{id} states {openness} without a claim: {node}"
            );
        }
        // A document's `startDate` is its issue date.
        if let Some(start) = node["startDate"].as_str() {
            assert!(
                claims
                    .iter()
                    .any(|c| (c["property"] == "startDate" || c["property"] == "issued")
                        && c["asserted"] == true
                        && c["value"] == start),
                "{id} starts {start} without a claim: {node}"
            );
        }
        assert!(claims.iter().all(|c| c["evidenceType"].is_string()), "{node}");
    }
}

#[test]
fn a_box_the_diagram_leaves_tbd_keeps_its_status_and_the_later_date_is_another_reading() {
    let server = seed();
    // A document's issue date is its startDate in the API.
    let response = server.graphql(
        "{ entity(ref: \"hlp-report-launch-2014\") { startDate dateStatus } }",
        json!({}),
    );
    assert_eq!(
        response["data"]["entity"],
        json!({ "startDate": null, "dateStatus": "TBD" })
    );
    let status = claims(server, "hlp-report-launch-2014", "dateStatus");
    assert!(status.iter().any(|c| c["asserted"] == true
        && c["value"] == "tbd"
        && c["evidenceType"] == "SEED_QUOTE"
        && c["sources"][0]["quote"].as_str().is_some_and(|q| q.contains("TBD"))));
    let later = claims(server, "hlp-report-launch-2014", "issued");
    assert!(!later.is_empty());
    assert!(later.iter().all(|c| c["asserted"] == false), "{later:?}");
    assert!(later.iter().any(|c| {
        c["value"] == "2014-05-20"
            && c["evidenceType"] == "PUBLIC_SOURCE"
            && c["sources"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["document"].as_str().unwrap().starts_with("http"))
    }));
}

#[test]
fn a_date_only_announced_is_a_planned_date_not_the_entity_s() {
    let server = seed();
    let response = server.graphql(
        "{ entity(ref: \"igf-secretariat-report-cstd-2014\") { startDate dateStatus } }",
        json!({}),
    );
    assert_eq!(
        response["data"]["entity"],
        json!({ "startDate": null, "dateStatus": "TBD" })
    );
    let planned = claims(server, "igf-secretariat-report-cstd-2014", "issued");
    assert!(
        planned.iter().any(|c| c["value"] == "2014-01"
            && c["asserted"] == false
            && c["inferenceReason"].as_str().is_some_and(|r| r.contains("planned"))),
        "{planned:?}"
    );
    // A timeline of 2014 does not place it by the date it was only announced for.
    let timeline = server.graphql("{ timeline(from: \"2014-01\", to: \"2014-01\") { id } }", json!({}));
    assert!(
        !timeline["data"]["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"] == "igf-secretariat-report-cstd-2014"),
        "{timeline}"
    );
}

#[test]
fn why_closed_is_the_openness_claim() {
    let server = seed();
    // Inferred: a reason and a confidence below 1.
    let dubai = claims(server, "hlp-meeting-dubai-2014", "openness");
    assert_eq!(dubai.len(), 1, "{dubai:?}");
    assert_eq!(dubai[0]["value"], "closed");
    assert_eq!(dubai[0]["evidenceType"], "INFERRED");
    assert!(dubai[0]["confidence"].as_f64().is_some_and(|c| c < 1.0));
    assert!(dubai[0]["inferenceReason"].as_str().is_some_and(|r| !r.is_empty()));
    // Quoted from the diagram.
    let bali = claims(server, "igf-2013-bali", "openness");
    assert!(
        bali.iter()
            .any(|c| c["evidenceType"] == "SEED_QUOTE" && c["sources"][0]["document"] == "000_05a3b9857162009c.txt")
    );
    let response = server.graphql(
        "{ entity(ref: \"igf-2013-bali\") { claims(property: \"colour\") { value } } }",
        json!({}),
    );
    assert_eq!(
        response["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{response}"
    );
}

const CREATE: &str = "mutation($input: EntityInput!) { createEntity(input: $input) { id
    claims { property value asserted evidenceType confidence sources { document quote } } } }";
const UPDATE: &str =
    "mutation($id: ID!, $patch: EntityPatch!) { updateEntity(id: $id, patch: $patch) { id openness location
    claims { property value asserted evidenceType confidence sources { document quote } } } }";

fn of<'a>(claims: &'a Value, property: &str) -> Vec<&'a Value> {
    claims
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["property"] == property)
        .collect()
}

#[test]
fn writes_claim_what_they_state_and_keep_claims_in_step() {
    let server = Server::start(&["--memory", "--admin-token", TOKEN]);
    let page = "https://example.org/minutes";
    // Values without claims of their own are asserted on the entity's sources.
    let created = post(
        &server,
        Some(TOKEN),
        CREATE,
        json!({ "input": { "id": "lisbon-dialogue", "label": "Lisbon Dialogue", "kind": "MEETING", "openness": "CLOSED",
                           "startDate": "2015-03", "location": "Lisbon",
                           "sources": [{ "document": page, "quote": "it met in Lisbon" }] } }),
    );
    let claims = &created["data"]["createEntity"]["claims"];
    assert_eq!(claims.as_array().unwrap().len(), 3, "{created}");
    for property in ["openness", "startDate", "location"] {
        let found = of(claims, property);
        assert_eq!(found.len(), 1, "{property}: {claims}");
        assert_eq!(found[0]["evidenceType"], "ASSERTED");
        assert_eq!(found[0]["asserted"], true);
        assert_eq!(found[0]["sources"][0]["document"], page);
    }
    // A claim given with the value is the value's claim, checked.
    let inferred = json!({ "property": "openness", "value": "closed", "evidenceType": "INFERRED",
                           "confidence": 0.7, "inferenceReason": "by invitation", "sources": [{ "document": page }] });
    let created = post(
        &server,
        Some(TOKEN),
        CREATE,
        json!({ "input": { "id": "porto-dialogue", "label": "Porto Dialogue", "kind": "MEETING", "openness": "CLOSED",
                           "sources": [{ "document": page }], "claims": [inferred] } }),
    );
    let openness = of(&created["data"]["createEntity"]["claims"], "openness")
        .into_iter()
        .cloned()
        .collect::<Vec<_>>();
    assert_eq!(openness.len(), 1, "{created}");
    assert_eq!(openness[0]["evidenceType"], "INFERRED");
    assert_eq!(openness[0]["confidence"], 0.7);
    for (bad, field) in [
        (
            json!({ "property": "openness", "value": "ajar", "evidenceType": "ASSERTED" }),
            "claims.value",
        ),
        (
            json!({ "property": "colour", "value": "red", "evidenceType": "ASSERTED" }),
            "claims.property",
        ),
        (
            json!({ "property": "openness", "value": "open", "evidenceType": "INFERRED", "inferenceReason": "why" }),
            "claims",
        ),
        (
            json!({ "property": "openness", "value": "open", "evidenceType": "SEED_QUOTE", "sources": [{ "document": page, "quote": "q" }] }),
            "claims",
        ),
    ] {
        let response = post(
            &server,
            Some(TOKEN),
            CREATE,
            json!({ "input": { "label": "Refused", "kind": "MEETING", "sources": [{ "document": page }], "claims": [bad] } }),
        );
        assert_eq!(code(&response), ("BAD_USER_INPUT", field), "{response}");
    }
    // A changed value takes the claims of the old one along; the new one is asserted.
    let updated = post(
        &server,
        Some(TOKEN),
        UPDATE,
        json!({ "id": "lisbon-dialogue", "patch": { "openness": "OPEN" } }),
    );
    let claims = &updated["data"]["updateEntity"]["claims"];
    let openness = of(claims, "openness");
    assert_eq!(openness.len(), 1, "{updated}");
    assert_eq!(
        (openness[0]["value"].as_str(), openness[0]["evidenceType"].as_str()),
        (Some("open"), Some("ASSERTED"))
    );
    // Claims given replace those of their property; a removed value loses its claims.
    let quoted = json!({ "property": "openness", "value": "open", "evidenceType": "PUBLIC_SOURCE",
                         "sources": [{ "document": page, "quote": "open to all" }] });
    let updated = post(
        &server,
        Some(TOKEN),
        UPDATE,
        json!({ "id": "lisbon-dialogue", "patch": { "location": null, "claims": [quoted] } }),
    );
    let claims = &updated["data"]["updateEntity"]["claims"];
    assert!(of(claims, "location").is_empty(), "{updated}");
    let openness = of(claims, "openness");
    assert_eq!(openness.len(), 1, "{updated}");
    assert_eq!(openness[0]["evidenceType"], "PUBLIC_SOURCE");
    assert_eq!(openness[0]["sources"][0]["quote"], "open to all");
    assert_eq!(
        of(claims, "startDate").len(),
        1,
        "untouched values keep their claims: {updated}"
    );
    // What SPARQL sees agrees: every value has a claim with its value, and no claim lost its entity.
    let unclaimed = sparql(
        &server,
        "SELECT ?e ?p ?v WHERE { VALUES ?p { gg:openness <http://schema.org/startDate> <http://schema.org/location> }
           ?e a gg:Entity ; ?p ?v . FILTER NOT EXISTS { ?e gg:claim [ gg:property ?p ; gg:value ?v ] } }",
    );
    assert!(unclaimed.is_empty(), "{unclaimed:?}");
    // Deleting the entity deletes its claims and their evidence.
    let deleted = post(
        &server,
        Some(TOKEN),
        "mutation { deleteEntity(id: \"lisbon-dialogue\") }",
        json!({}),
    );
    assert!(deleted.get("errors").is_none(), "{deleted}");
    let left = sparql(
        &server,
        "SELECT ?s WHERE { ?s ?p ?o . FILTER(STRSTARTS(STR(?s), STR(id:lisbon-dialogue))) }",
    );
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn import_claims_openness_from_its_columns_and_the_report_counts_the_store() {
    let workspace = Workspace::new();
    let entities = workspace.write(
        "entities.csv",
        "id,label,kind,openness,openness_source,openness_quote,openness_confidence,openness_reason,source\n\
         oslo-forum,Oslo Forum,meeting,closed,https://example.org/oslo,invitation only,,,https://example.org/oslo\n\
         bergen-forum,Bergen Forum,meeting,open,https://example.org/bergen,,0.6,it published an open call,\n\
         tromso-forum,Tromso Forum,meeting,open,,,,,\n",
    );
    govgraph(["import", "--data", &workspace.data(), "--entities", &entities]).success();
    let count = |pattern: &str| -> usize {
        workspace
            .query_value(&format!(
                "PREFIX gg: <https://w3id.org/govgraph/ns#> PREFIX id: <https://w3id.org/govgraph/id/> \
                 SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"
            ))
            .split("^^")
            .next()
            .unwrap()
            .trim_matches('"')
            .parse()
            .unwrap()
    };
    assert_eq!(
        count(
            "id:oslo-forum gg:claim [ gg:property gg:openness ; gg:value gg:Closed ; gg:evidenceType gg:PublicSourceQuote ]"
        ),
        1
    );
    assert_eq!(
        count("id:bergen-forum gg:claim [ gg:property gg:openness ; gg:evidenceType gg:Inferred ; gg:confidence ?c ]"),
        1
    );
    assert_eq!(
        count("id:tromso-forum gg:claim [ gg:property gg:openness ; gg:evidenceType gg:Asserted ]"),
        1
    );
    // A claim column without an openness is refused, with its line.
    let orphan = workspace.write(
        "orphan.csv",
        "id,label,kind,openness,openness_source\nnarvik-forum,Narvik Forum,meeting,,https://example.org/narvik\n",
    );
    govgraph(["import", "--data", &workspace.data(), "--entities", &orphan])
        .failure()
        .stderr_contains("orphan.csv:2:");
    let report = govgraph(["validate", "--data", &workspace.data(), "--report"]).success();
    let inferred = format!("{} claims", count("?c a gg:Claim ; gg:evidenceType gg:Inferred"));
    assert!(report.stdout.contains("inferred (1):"), "{}\n{inferred}", report.stdout);
    assert!(
        report
            .stdout
            .contains("bergen-forum openness = Open (confidence 0.6): it published an open call"),
        "{}",
        report.stdout
    );
    // Oslo's page: the quoted openness, and the meeting's unknown date asserted on the row's source.
    assert!(
        report.stdout.contains("https://example.org/oslo: values 0 / 1 / 0 / 1"),
        "{}",
        report.stdout
    );
}

#[test]
fn the_seed_report_lists_every_inference_sparql_finds() {
    let report = govgraph(["validate", "--report"]).success();
    let inferred = report
        .stdout
        .lines()
        .find_map(|line| {
            line.strip_prefix("inferred (")?
                .strip_suffix("):")?
                .parse::<usize>()
                .ok()
        })
        .expect("an inferred count");
    let listed = report
        .stdout
        .lines()
        .skip_while(|line| !line.starts_with("inferred ("))
        .skip(1)
        .filter(|line| line.starts_with("  "))
        .count();
    assert_eq!(inferred, listed);
    let counted = sparql(
        seed(),
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s gg:evidenceType gg:Inferred }",
    );
    assert_eq!(inferred.to_string(), counted[0]["n"]["value"].as_str().unwrap());
    for document in ["000_05a3b9857162009c.txt: values", "https://"] {
        assert!(report.stdout.contains(document), "{document} in\n{}", report.stdout);
    }
    assert!(
        report
            .stdout
            .contains("hlp-davos-side-meeting-2014 openness = Closed (confidence 0.6)")
    );
}

#[test]
fn roles_carry_their_years_as_sparql_reads_them() {
    let server = seed();
    let mut expected: BTreeMap<String, (Option<String>, Option<String>)> = BTreeMap::new();
    for row in sparql(
        server,
        "SELECT ?r ?start ?end WHERE { ?r gg:predicate gg:chairs .
           OPTIONAL { ?r <http://schema.org/startDate> ?start } OPTIONAL { ?r <http://schema.org/endDate> ?end } }",
    ) {
        let id = row["r"]["value"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_owned();
        let text = |name: &str| row.get(name).map(|v| v["value"].as_str().unwrap().to_owned());
        expected.insert(id, (text("start"), text("end")));
    }
    assert!(expected.values().any(|(start, _)| start.is_some()), "{expected:?}");
    let response = server.graphql(
        "{ relations(predicates: [\"chairs\"], first: 100) { nodes { id startDate endDate } } }",
        json!({}),
    );
    let found: BTreeMap<String, (Option<String>, Option<String>)> = response["data"]["relations"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|node| {
            let text = |name: &str| node[name].as_str().map(str::to_owned);
            (
                node["id"].as_str().unwrap().to_owned(),
                (text("startDate"), text("endDate")),
            )
        })
        .collect();
    assert_eq!(found, expected);
}
