//! The variables an operation requires, checked before it runs. async-graphql notices a missing
//! one only when a resolver reads it, as a field error: the response then has `data: null`, no
//! code, and status 200 whatever the client accepts, where GraphQL over HTTP makes it a request
//! error (coercing the variables fails before execution).

use async_graphql::parser::types::{ExecutableDocument, OperationDefinition, VariableDefinition};
use async_graphql::{Pos, Positioned, Value, Variables};

/// The operation the request names (`operationName`), for the checks that run before
/// async-graphql selects it.
pub struct RequestedOperation(pub Option<String>);

/// The operation a request runs: the one it names, or the document's only one.
fn selected<'a>(document: &'a ExecutableDocument, name: Option<&str>) -> Option<&'a OperationDefinition> {
    let mut operations = document.operations.iter();
    let operation = match name {
        Some(name) => operations.find(|(candidate, _)| candidate.is_some_and(|candidate| candidate.as_str() == name)),
        None => operations.next().filter(|_| document.operations.iter().count() == 1),
    };
    operation.map(|(_, operation)| &operation.node)
}

/// A non-null variable the request gives as null, or leaves out when it has no default (as
/// GraphQL's CoerceVariableValues refuses them): its name, its type as written, and where it is
/// declared.
pub fn missing(
    document: &ExecutableDocument,
    name: Option<&str>,
    variables: &Variables,
) -> Option<(String, String, Pos)> {
    let refused = |definition: &&Positioned<VariableDefinition>| {
        let node = &definition.node;
        !node.var_type.node.nullable
            && match variables.get(&node.name.node) {
                None => node.default_value.is_none(),
                Some(value) => *value == Value::Null,
            }
    };
    selected(document, name)?
        .variable_definitions
        .iter()
        .find(refused)
        .map(|definition| {
            let node = &definition.node;
            (
                node.name.node.to_string(),
                node.var_type.node.to_string(),
                definition.pos,
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(query: &str, name: Option<&str>, variables: serde_json::Value) -> Option<String> {
        let document = async_graphql::parser::parse_query(query).unwrap();
        missing(&document, name, &Variables::from_json(variables)).map(|(variable, ty, _)| format!("{variable}: {ty}"))
    }

    #[test]
    fn required_variables_must_be_given() {
        let query = "query Q($r: String!, $k: Int, $d: Int! = 3) { entity(ref: $r) { id } }";
        assert_eq!(check(query, None, serde_json::json!({})).as_deref(), Some("r: String!"));
        assert_eq!(
            check(query, None, serde_json::json!({ "r": null })).as_deref(),
            Some("r: String!")
        );
        assert_eq!(check(query, Some("Q"), serde_json::json!({ "r": "x" })), None);
        // Nullable and defaulted variables may be left out, but a non-null one is never null.
        assert_eq!(check(query, None, serde_json::json!({ "r": "x" })), None);
        assert_eq!(
            check(query, None, serde_json::json!({ "r": "x", "d": null })).as_deref(),
            Some("d: Int!")
        );
    }

    #[test]
    fn only_the_selected_operation_is_checked() {
        let query = "query A($a: ID!) { node(id: $a) } query B { stats }";
        assert_eq!(check(query, Some("B"), serde_json::json!({})), None);
        assert_eq!(
            check(query, Some("A"), serde_json::json!({})).as_deref(),
            Some("a: ID!")
        );
        // Which of several operations runs is for async-graphql to ask.
        assert_eq!(check(query, None, serde_json::json!({})), None);
    }
}
