//! A schema extension that makes every refusal explicit and every cost visible: it adds the
//! query's cost to `extensions`, limits aliases, and gives parse, validation and limit errors
//! their `extensions.code`. (The dataset version is added by the HTTP layer, which knows the
//! catalog snapshot the request ran on.)

use super::errors::{limit_exceeded, with_code};
use super::variables::{self, RequestedOperation};
use crate::api::timing::{Phase, Timing};
use crate::error_code::ErrorCode;
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextRequest, NextValidation,
};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Response, ServerError, ServerResult, ValidationResult, Variables, value};
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub struct Governance {
    pub max_aliases: usize,
}

impl ExtensionFactory for Governance {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(GovernanceExtension {
            max_aliases: self.max_aliases,
            validation: Mutex::new(None),
        })
    }
}

struct GovernanceExtension {
    max_aliases: usize,
    validation: Mutex<Option<ValidationResult>>,
}

fn aliases(selection_set: &SelectionSet) -> usize {
    selection_set
        .items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(field) => {
                usize::from(field.node.alias.is_some()) + aliases(&field.node.selection_set.node)
            }
            Selection::InlineFragment(fragment) => aliases(&fragment.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

fn document_aliases(document: &ExecutableDocument) -> usize {
    let operations: usize = document
        .operations
        .iter()
        .map(|(_, operation)| aliases(&operation.node.selection_set.node))
        .sum();
    let fragments: usize = document
        .fragments
        .values()
        .map(|fragment| aliases(&fragment.node.selection_set.node))
        .sum();
    operations + fragments
}

/// The field a value was wrong for, from async-graphql's coercion messages:
/// `Invalid value for argument "input.kind", ...` or `... "input", field "label" of type ...`.
fn invalid_argument(message: &str) -> Option<String> {
    let rest = message.strip_prefix("Invalid value for argument \"")?;
    let (argument, rest) = rest.split_once('"')?;
    let field = rest
        .split_once("field \"")
        .and_then(|(_, after)| after.split_once('"'))
        .map(|(field, _)| field);
    let path = match field {
        Some(field) => format!("{argument}.{field}"),
        None => argument.to_owned(),
    };
    Some(path.rsplit('.').next().unwrap_or(&path).to_owned())
}

#[async_trait::async_trait]
impl Extension for GovernanceExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let started = Instant::now();
        let response = next.run(ctx).await;
        let validation = self.validation.lock().ok().and_then(|mut guard| guard.take());
        let (complexity, depth) = validation.map_or((0, 0), |v| (v.complexity, v.depth));
        let milliseconds = started.elapsed().as_secs_f64() * 1000.0;
        response.extension(
            "cost",
            value!({ "complexity": complexity, "depth": depth, "milliseconds": (milliseconds * 1000.0).round() / 1000.0 }),
        )
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let started = Instant::now();
        let parsed = next.run(ctx, query, variables).await;
        record(ctx, Phase::Parse, started);
        let document = parsed.map_err(|error| with_code(error, ErrorCode::GraphqlParseFailed))?;
        let count = document_aliases(&document);
        if count > self.max_aliases {
            let error = limit_exceeded(
                "aliases",
                self.max_aliases,
                format!("the query uses {count} aliases; the limit is {}", self.max_aliases),
            );
            return Err(error.into_server_error(Default::default()));
        }
        let operation = ctx
            .data_opt::<RequestedOperation>()
            .and_then(|requested| requested.0.as_deref());
        if let Some((name, ty, pos)) = variables::missing(&document, operation, variables) {
            let message = format!("the variable ${name} of type {ty} is required and was not given a value");
            let mut error = with_code(ServerError::new(message, Some(pos)), ErrorCode::BadUserInput);
            if let Some(extensions) = error.extensions.as_mut() {
                extensions.set("field", name);
            }
            return Err(error);
        }
        Ok(document)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let started = Instant::now();
        let validated = next.run(ctx).await;
        record(ctx, Phase::Validate, started);
        match validated {
            Ok(result) => {
                if let Ok(mut guard) = self.validation.lock() {
                    *guard = Some(result);
                }
                Ok(result)
            }
            Err(errors) => Err(errors
                .into_iter()
                .map(|error| {
                    // async-graphql reports its depth and complexity limits in words only.
                    let limit = if error.message.contains("too complex") {
                        Some("complexity")
                    } else if error.message.contains("nested too deep") {
                        Some("depth")
                    } else {
                        None
                    };
                    if let Some(field) = invalid_argument(&error.message) {
                        let mut error = with_code(error, ErrorCode::BadUserInput);
                        if let Some(extensions) = error.extensions.as_mut() {
                            extensions.set("field", field);
                        }
                        return error;
                    }
                    match limit {
                        Some(limit) => {
                            let mut error = with_code(error, ErrorCode::LimitExceeded);
                            if let Some(extensions) = error.extensions.as_mut() {
                                extensions.set("limit", limit);
                            }
                            error
                        }
                        None => with_code(error, ErrorCode::GraphqlValidationFailed),
                    }
                })
                .collect()),
        }
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        if let Some(started) = ctx.data_opt::<super::http::Executed>() {
            started.mark();
        }
        let started = Instant::now();
        let response = next.run(ctx, operation_name).await;
        record(ctx, Phase::Execute, started);
        response
    }
}

/// Adds the time since `started` to the request's `phase` (`Server-Timing`).
fn record(ctx: &ExtensionContext<'_>, phase: Phase, started: Instant) {
    if let Some(timing) = ctx.data_opt::<Arc<Timing>>() {
        timing.add(phase, started.elapsed());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_arguments_name_their_field() {
        let enum_error = r#"Invalid value for argument "input.kind", enumeration type "EntityKind" does not contain the value "VENUE""#;
        assert_eq!(invalid_argument(enum_error).as_deref(), Some("kind"));
        let missing =
            r#"Invalid value for argument "input", field "label" of type "String!" is required but not provided"#;
        assert_eq!(invalid_argument(missing).as_deref(), Some("label"));
        assert_eq!(
            invalid_argument(r#"Invalid value for argument "k", expected type "Int""#).as_deref(),
            Some("k")
        );
        assert_eq!(invalid_argument("Unknown field"), None);
    }

    #[test]
    fn aliases_are_counted_in_operations_and_fragments() {
        let document = async_graphql::parser::parse_query(
            "query { a: stats { e: entities } b: stats { entities } ...F } fragment F on Query { c: stats { relations } }",
        )
        .unwrap();
        assert_eq!(document_aliases(&document), 4);
    }
}
