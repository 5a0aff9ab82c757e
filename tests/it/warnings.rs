//! Empty answers explain themselves: `extensions.warnings` names the filter that removed a root or
//! emptied a result, with the path of the field it is about; answers that are not empty carry
//! none.

use crate::util::seed;
use serde_json::{Value, json};

fn warnings(response: &Value) -> Vec<Value> {
    assert!(response.get("errors").is_none(), "unexpected errors: {response:#}");
    response["extensions"]["warnings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn a_filter_that_removes_the_root_is_named() {
    let response = seed().graphql(
        "{ everything: stats { entities } closed: subgraph(roots: [\"netmundial-2014\"], openness: CLOSED) { nodes { id } } }",
        json!({}),
    );
    assert_eq!(response["data"]["closed"]["nodes"], json!([]));
    let given = warnings(&response);
    assert_eq!(given.len(), 1, "{given:#?}");
    assert_eq!(given[0]["code"], "ROOT_FILTERED");
    assert_eq!(
        given[0]["path"],
        json!(["closed"]),
        "the alias of the field it is about"
    );
    let message = given[0]["message"].as_str().unwrap();
    assert!(
        message.contains("netmundial-2014") && message.contains("`openness`"),
        "{message}"
    );

    let dated = seed().graphql(
        "{ subgraph(roots: [\"netmundial-2014\", \"onenet\"], between: { from: \"2020\" }) { nodes { id } } }",
        json!({}),
    );
    let named: Vec<String> = warnings(&dated)
        .iter()
        .map(|warning| warning["message"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        named
            .iter()
            .any(|m| m.contains("`netmundial-2014`") && m.contains("`between`")),
        "{named:#?}"
    );
}

#[test]
fn a_path_that_time_forbids_names_temporal() {
    let query = |temporal: bool| {
        format!(
            "{{ path(from: \"netmundial-2014\", to: \"montevideo-statement-2013\", temporal: {temporal}) {{ length }} }}"
        )
    };
    let free = seed().graphql(&query(false), json!({}));
    assert!(free["data"]["path"].is_object(), "a path exists without time: {free:#}");
    assert!(warnings(&free).is_empty(), "a found path carries no warning");
    let timed = seed().graphql(&query(true), json!({}));
    assert_eq!(timed["data"]["path"], Value::Null);
    let given = warnings(&timed);
    assert_eq!(given.len(), 1, "{given:#?}");
    assert_eq!(given[0]["code"], "EMPTY_RESULT");
    let message = given[0]["message"].as_str().unwrap();
    assert!(message.contains("without `temporal` there is one"), "{message}");

    // Two filters: the warning names those without which a path exists, and each claim holds.
    let paths = |filters: &str| {
        seed().graphql(
            &format!(
                "{{ paths(from: \"netmundial-2014\", to: \"montevideo-statement-2013\", {filters}) {{ length }} }}"
            ),
            json!({}),
        )
    };
    let both = paths("temporal: true, maxHops: 2");
    assert_eq!(both["data"]["paths"], json!([]));
    let message = warnings_of(&both);
    for (name, without) in [("temporal", "maxHops: 2"), ("maxHops", "temporal: true")] {
        let found = paths(without)["data"]["paths"]
            .as_array()
            .is_some_and(|list| !list.is_empty());
        assert_eq!(
            message.contains(&format!("without `{name}`")),
            found,
            "{name}: {message}"
        );
    }
}

fn warnings_of(response: &Value) -> String {
    let list = warnings(response);
    assert_eq!(list.len(), 1, "{list:#?}");
    list[0]["message"].as_str().unwrap().to_owned()
}

#[test]
fn empty_listings_name_their_filters() {
    let timeline = seed().graphql("{ timeline(from: \"1901\", to: \"1902\") { id } }", json!({}));
    assert_eq!(timeline["data"]["timeline"], json!([]));
    let message = warnings_of(&timeline);
    assert!(message.contains("`from`") && message.contains("`to`"), "{message}");

    let relations = seed().graphql(
        "{ relations(predicates: [\"organizes\"], evidenceTypes: [ASSERTED]) { totalCount } }",
        json!({}),
    );
    assert_eq!(relations["data"]["relations"]["totalCount"], 0);
    let message = warnings_of(&relations);
    assert!(message.contains("`predicates`, `evidenceTypes`"), "{message}");

    let found = seed().graphql("{ timeline(from: \"2014\", to: \"2014\") { id } }", json!({}));
    assert!(warnings(&found).is_empty());
}
