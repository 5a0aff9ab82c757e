//! What the query resolvers share: how arguments become the services' filters, and how graph
//! work leaves the async executor.

use super::errors::internal;
use super::types::{Direction, Openness, RelationKind};
use crate::api::timing::{Phase, Timing};
use crate::services::catalog::Catalog;
use crate::services::explore::{self, QueryError, RelationFilter, Selection, Window};
use crate::services::warnings::{self, Warning};
use async_graphql::{ErrorExtensions, InputObject, Result};
use std::sync::Arc;
use std::time::Instant;

/// A date window; either end may be left open. Dates are ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD.
/// An entity meets the window when its dates overlap it; `to` before `from` is BAD_USER_INPUT.
#[derive(InputObject, Clone, Default)]
pub struct DateWindow {
    /// The window's first date, from its first day ("2012" from 1 January 2012); open when absent.
    pub from: Option<String>,
    /// The window's last date, through its last day ("2012" to 31 December 2012); open when absent.
    pub to: Option<String>,
}

pub fn window(between: Option<&DateWindow>) -> Result<Option<Window>> {
    between
        .map(|between| Window::parse(between.from.as_deref(), between.to.as_deref(), "between"))
        .transpose()
        .map_err(|error| error.extend())
}

/// The way a search walks relations (see [`explore::walk_direction`]).
pub fn walk_direction(directed: Option<bool>, direction: Option<Direction>) -> Result<explore::Direction> {
    explore::walk_direction(directed, direction.map(Into::into)).map_err(|error| error.extend())
}

pub fn selection(
    kinds: Option<Vec<RelationKind>>,
    relations: RelationFilter,
    openness: Option<Openness>,
    direction: explore::Direction,
    between: Option<&DateWindow>,
) -> Result<Selection> {
    Ok(Selection {
        kinds: kinds.map(|kinds| kinds.into_iter().map(Into::into).collect()),
        relations,
        openness: openness.map(Into::into),
        direction,
        between: window(between)?,
        as_of: None,
    })
}

pub fn count(value: Option<i32>, field: &'static str) -> Result<Option<usize>> {
    value
        .map(|value| {
            usize::try_from(value).map_err(|_| {
                QueryError::BadInput {
                    field,
                    message: "must not be negative".to_owned(),
                }
                .extend()
            })
        })
        .transpose()
}

/// How many items a page holds: `first`, or `default` when absent; over the server's
/// `--max-page` is LIMIT_EXCEEDED, a negative count BAD_USER_INPUT.
pub fn page_size(first: Option<i32>, default: usize, limits: &crate::config::Limits) -> Result<usize> {
    let first = count(first, "first")?.unwrap_or(default);
    if first > limits.max_page {
        return Err(QueryError::LimitExceeded {
            limit: "first",
            max: limits.max_page,
            asked: first,
        }
        .extend());
    }
    Ok(first)
}

/// The `EMPTY_RESULT` warning naming the filters given (`(name, given)`), if any was.
pub fn named_empty(what: &str, filters: &[(&'static str, bool)]) -> Vec<Warning> {
    let given: Vec<&str> = filters
        .iter()
        .filter(|(_, given)| *given)
        .map(|(name, _)| *name)
        .collect();
    warnings::empty(what, &given).into_iter().collect()
}

/// The relation filters a request gave, by argument name.
pub fn relation_filters(kinds: bool, filter: &RelationFilter) -> [(&'static str, bool); 5] {
    [
        ("kinds", kinds),
        ("predicates", filter.predicates.is_some()),
        ("evidenceTypes", filter.evidence.is_some()),
        ("minConfidence", filter.min_confidence.is_some()),
        ("source", filter.source.is_some()),
    ]
}

/// Runs graph work on the compute pool (one thread per core), so that a long search does not
/// stall other requests. Not tokio's blocking pool: it hands each call to whichever of its idle
/// threads wakes first, and every new thread starts with cold per-node scratch arrays
/// (`graph::marks`), which at a million entities cost more than the search.
/// The work's time counts as `search` in `timing`, the rest of the wait as the `hop`.
pub async fn off_executor<T: Send + 'static>(
    catalog: &Arc<Catalog>,
    timing: &Arc<Timing>,
    work: impl FnOnce(&Catalog) -> Result<T, QueryError> + Send + 'static,
) -> Result<T> {
    let started = Instant::now();
    let catalog = catalog.clone();
    let outcome = crate::api::compute::run(move || {
        let working = Instant::now();
        (work(&catalog), working.elapsed())
    })
    .await;
    match outcome {
        Ok((result, worked)) => {
            timing.add(Phase::Search, worked);
            timing.add(Phase::Hop, started.elapsed().saturating_sub(worked));
            result.map_err(|error| error.extend())
        }
        Err(error) => Err(internal(error)),
    }
}
