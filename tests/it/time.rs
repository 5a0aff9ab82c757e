//! Time as historians mean it, on the seed: an ONGOING entity runs on from its start (in
//! timelines, entity lists, subgraph windows and GEXF spells), windows leave undated entities out
//! unless `includeUndated`, identically in GraphQL and on `/subgraph`, and the seed dates what
//! its notes date.

use crate::util::{Server, seed};
use crate::writes::{TOKEN, post};
use serde_json::{Value, json};
use std::collections::BTreeSet;

fn data(response: &Value) -> &Value {
    assert!(response.get("errors").is_none(), "unexpected errors: {response:#}");
    &response["data"]
}

/// The `id`s of a list of entities.
fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("a list: {list:#}"))
        .iter()
        .map(|entity| entity["id"].as_str().expect("an id").to_owned())
        .collect()
}

fn timeline(arguments: &str) -> Vec<Value> {
    let response = seed().graphql(
        &format!("{{ timeline({arguments}) {{ id startDate endDate dateStatus }} }}"),
        json!({}),
    );
    data(&response)["timeline"].as_array().expect("a list").clone()
}

fn undated(entity: &Value) -> bool {
    entity["startDate"].is_null() && entity["endDate"].is_null()
}

#[test]
fn ongoing_processes_stay_in_later_windows() {
    // The example: the WGEC is ongoing since 22 March 2013.
    let response = seed().graphql(
        "{ timeline(from: \"2013-10\", to: \"2014-04\", kinds: [DISCUSSION_SPACE]) { id } }",
        json!({}),
    );
    let spaces = ids(&data(&response)["timeline"]);
    assert!(spaces.contains(&"cstd-wgec".to_owned()), "{spaces:?}");
    // WSIS Stocktaking: ongoing since October 2004, in a mid-2014 window, not before its start.
    let mid_2014 = ids(&json!(timeline("from: \"2014-06\", to: \"2014-07\"")));
    assert!(mid_2014.contains(&"wsis-stocktaking".to_owned()), "{mid_2014:?}");
    let before = ids(&json!(timeline("from: \"2004-01\", to: \"2004-09\"")));
    assert!(!before.contains(&"wsis-stocktaking".to_owned()), "{before:?}");
    // Ordered by first day: the 2004 process comes before the 2013 working group.
    let open_ended = ids(&json!(timeline("from: \"2014-06\"")));
    let at = |id: &str| open_ended.iter().position(|found| found == id).expect(id);
    assert!(at("wsis-stocktaking") < at("cstd-wgec"), "{open_ended:?}");
    // The same rule on `entities` with a window.
    let response = seed().graphql(
        "{ entities(between: { from: \"2020\" }, kind: DISCUSSION_SPACE, first: 500) { edges { node { id } } } }",
        json!({}),
    );
    let later: Vec<&str> = data(&response)["entities"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| edge["node"]["id"].as_str().unwrap())
        .collect();
    assert!(later.contains(&"cstd-wgec"), "{later:?}");
}

#[test]
fn timelines_and_entity_lists_include_undated_entities_only_on_request() {
    let dated = timeline("from: \"2014\", to: \"2014\", first: 500");
    assert!(
        !dated.is_empty() && !dated.iter().any(undated),
        "a window leaves undated entities out"
    );
    let all = timeline("from: \"2014\", to: \"2014\", first: 500, includeUndated: true");
    let first_undated = all.iter().position(undated).expect("the seed has undated entities");
    assert_eq!(
        all[..first_undated],
        dated[..],
        "the dated ones first, as without the flag"
    );
    assert!(all[first_undated..].iter().all(undated), "then only undated ones");
    let undated_ids = ids(&json!(all[first_undated..]));
    assert!(
        undated_ids.windows(2).all(|pair| pair[0] < pair[1]),
        "by id: {undated_ids:?}"
    );
    assert!(undated_ids.contains(&"icann".to_owned()), "{undated_ids:?}");

    let count = |arguments: &str| {
        let response = seed().graphql(&format!("{{ entities({arguments}) {{ totalCount }} }}"), json!({}));
        data(&response)["entities"]["totalCount"].as_u64().expect("a count")
    };
    let everything = count("first: 1");
    let window = count("between: { from: \"2014\", to: \"2014\" }");
    let with_undated = count("between: { from: \"2014\", to: \"2014\" }, includeUndated: true");
    assert_eq!(window as usize, dated.len());
    assert_eq!(with_undated as usize, all.len());
    assert!(
        window < with_undated && with_undated < everything,
        "{window} {with_undated} {everything}"
    );
    assert_eq!(
        count("includeUndated: true"),
        everything,
        "no window, nothing to include"
    );
}

/// The ids of a subgraph's nodes, and whether each is dated, in GraphQL.
fn graphql_subgraph(arguments: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let response = seed().graphql(
        &format!("{{ subgraph({arguments}) {{ nodes {{ id startDate endDate }} }} }}"),
        json!({}),
    );
    let nodes = data(&response)["subgraph"]["nodes"].as_array().expect("nodes").clone();
    let (undated, dated): (Vec<&Value>, Vec<&Value>) = nodes.iter().partition(|node| undated(node));
    let set = |nodes: Vec<&Value>| nodes.iter().map(|n| n["id"].as_str().unwrap().to_owned()).collect();
    (set(dated), set(undated))
}

/// The ids of `/subgraph`'s nodes (Cytoscape JSON).
fn http_subgraph(query: &str) -> BTreeSet<String> {
    let response = seed().request("GET", &format!("/subgraph?{query}&format=cytoscape"), &[], None);
    assert_eq!(response.status, 200, "{}", response.body);
    let json: Value = serde_json::from_str(&response.body).expect("JSON");
    json["elements"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|node| node["data"]["id"].as_str().expect("an id").to_owned())
        .collect()
}

#[test]
fn subgraph_windows_leave_undated_entities_out_unless_asked_in_graphql_and_http_alike() {
    let window = "roots: [\"netmundial-2014\"], depth: 2, between: { from: \"2013\", to: \"2014\" }";
    let (dated, undated) = graphql_subgraph(window);
    assert!(
        undated.is_empty(),
        "undated entities in a 2013-2014 window: {undated:?}"
    );
    assert!(
        dated.contains("netmundial-2014") && dated.contains("cstd-wgec"),
        "{dated:?}"
    );
    let (dated_too, undated) = graphql_subgraph(&format!("{window}, includeUndated: true"));
    // The flag drops no dated entity; it may reach more, through undated ones in between.
    assert!(dated_too.is_superset(&dated), "{dated_too:?} lost some of {dated:?}");
    assert!(undated.contains("icann"), "{undated:?}");
    let (_, none) = graphql_subgraph("roots: [\"netmundial-2014\"], depth: 2");
    assert!(!none.is_empty(), "without a window, undated entities are there");

    let http = "root=netmundial-2014&depth=2&from=2013&to=2014";
    assert_eq!(http_subgraph(http), dated);
    let everything: BTreeSet<String> = dated_too.union(&undated).cloned().collect();
    assert_eq!(http_subgraph(&format!("{http}&includeUndated=true")), everything);
    assert_eq!(http_subgraph(&format!("{http}&includeUndated=no")), dated);
    let response = seed().request("GET", &format!("/subgraph?{http}&includeUndated=maybe"), &[], None);
    assert_eq!(response.status, 400, "{}", response.body);
    assert!(response.body.contains("includeUndated"), "{}", response.body);
}

#[test]
fn an_ongoing_entity_has_an_open_gexf_spell() {
    let response = seed().request(
        "GET",
        "/subgraph?root=cstd-wgec&root=netmundial-2014&depth=0&format=gexf",
        &[],
        None,
    );
    assert_eq!(response.status, 200, "{}", response.body);
    let node = |id: &str| {
        let at = response
            .body
            .find(&format!("<node id=\"{id}\""))
            .unwrap_or_else(|| panic!("{id} in {}", response.body));
        let rest = &response.body[at..];
        rest[..rest.find('>').expect("the tag's end")].to_owned()
    };
    let wgec = node("cstd-wgec");
    assert!(wgec.contains("start=\"2013-03-22\""), "{wgec}");
    assert!(!wgec.contains("end="), "an ongoing spell has no end: {wgec}");
    let netmundial = node("netmundial-2014");
    assert!(
        netmundial.contains("start=\"2014-04-23\"") && netmundial.contains("end=\"2014-04-24\""),
        "{netmundial}"
    );
}

#[test]
fn entities_dated_in_a_note_have_the_date() {
    let response = seed().graphql(
        "{ panel: entity(ref: \"hlp-igcgm\") { startDate endDate dateNote } \
           group: entity(ref: \"mag-wg-igf-improvements-2013\") { startDate dateStatus } }",
        json!({}),
    );
    let found = data(&response);
    assert_eq!(found["panel"]["startDate"], "2013-11-18");
    assert_eq!(found["panel"]["endDate"], "2014-05-20");
    assert!(
        found["panel"]["dateNote"]
            .as_str()
            .unwrap()
            .contains("18 November 2013")
    );
    // Its note states no date, only that start and end are not stated.
    assert!(found["group"]["startDate"].is_null());
    assert_eq!(found["group"]["dateStatus"], "UNKNOWN");
    // The panel now meets the window.
    let response = seed().graphql(
        "{ timeline(from: \"2013-10\", to: \"2014-04\", kinds: [DISCUSSION_SPACE]) { id } }",
        json!({}),
    );
    assert!(ids(&data(&response)["timeline"]).contains(&"hlp-igcgm".to_owned()));
}

#[test]
fn writes_keep_the_ongoing_rule() {
    let server = Server::start(&["--memory", "--admin-token", TOKEN]);
    let in_window = |server: &Server| {
        let response = post(
            server,
            None,
            "{ timeline(from: \"2013-10\", to: \"2014-04\", kinds: [DISCUSSION_SPACE]) { id } }",
            json!({}),
        );
        ids(&data(&response)["timeline"]).contains(&"cstd-wgec".to_owned())
    };
    assert!(in_window(&server));
    // A new start keeps the status: the working group still runs on, from its new start.
    let moved = post(
        &server,
        Some(TOKEN),
        "mutation { updateEntity(id: \"cstd-wgec\", patch: { startDate: \"2013-05\" }) { startDate dateStatus } }",
        json!({}),
    );
    assert_eq!(data(&moved)["updateEntity"]["dateStatus"], "ONGOING", "{moved}");
    assert!(in_window(&server), "still ongoing after a new start");
    // An end closes it: the delta's node data follows the write.
    let ended = post(
        &server,
        Some(TOKEN),
        "mutation { updateEntity(id: \"cstd-wgec\", patch: { endDate: \"2013-06\" }) { endDate } }",
        json!({}),
    );
    assert_eq!(data(&ended)["updateEntity"]["endDate"], "2013-06", "{ended}");
    assert!(!in_window(&server), "an end wins over the status");
}
