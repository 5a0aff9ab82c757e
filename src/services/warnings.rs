//! Why an answer is empty or lacks what was asked for. A filter that removes a root, or leaves no
//! path, is not an error (the request was valid), but an empty answer with no word why reads as
//! "there is nothing"; the API returns these as `extensions.warnings`.

use super::catalog::Catalog;
use super::explore::{PathQuery, QueryError, Selection};
use crate::config::Limits;
use crate::graph::Direction;

/// One reason, with a code a client can act on.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    pub code: &'static str,
    pub message: String,
}

/// A ref the entity filters remove: a subgraph's root, a path's end.
pub const ROOT_FILTERED: &str = "ROOT_FILTERED";
/// A result the filters left empty.
pub const EMPTY_RESULT: &str = "EMPTY_RESULT";

impl Selection {
    /// The entity filters (`openness`, the window, `asOf`) as a client wrote them, each with a
    /// copy of the selection without it.
    fn entity_filters(&self) -> Vec<(&'static str, Selection)> {
        let mut filters = Vec::new();
        if self.openness.is_some() {
            filters.push((
                "openness",
                Selection {
                    openness: None,
                    ..self.clone()
                },
            ));
        }
        if self.between.is_some() {
            filters.push((
                "between",
                Selection {
                    between: None,
                    ..self.clone()
                },
            ));
        }
        if self.as_of.is_some() {
            filters.push((
                "asOf",
                Selection {
                    as_of: None,
                    ..self.clone()
                },
            ));
        }
        filters
    }

    /// Every filter, with a copy of the selection without it.
    fn filters(&self) -> Vec<(&'static str, Selection)> {
        let mut filters = self.entity_filters();
        let relations = &self.relations;
        let mut without = |name, change: fn(&mut Selection)| {
            let mut selection = self.clone();
            change(&mut selection);
            filters.push((name, selection));
        };
        if self.kinds.is_some() {
            without("kinds", |s| s.kinds = None);
        }
        if relations.predicates.is_some() {
            without("predicates", |s| s.relations.predicates = None);
        }
        if relations.evidence.is_some() {
            without("evidenceTypes", |s| s.relations.evidence = None);
        }
        if relations.min_confidence.is_some() {
            without("minConfidence", |s| s.relations.min_confidence = None);
        }
        if relations.source.is_some() {
            without("source", |s| s.relations.source = None);
        }
        if self.direction != Direction::Both {
            without("direction", |s| s.direction = Direction::Both);
        }
        filters
    }
}

impl Catalog {
    /// A warning for each of `refs` (`role`: "root", "from", "to") that the selection's entity
    /// filters remove, naming the filter.
    pub fn removed_refs(&self, refs: &[&str], role: &str, selection: &Selection) -> Result<Vec<Warning>, QueryError> {
        let mut warnings = Vec::new();
        for reference in refs {
            let node = self.resolve(reference)?;
            if self.keeps(selection, node)? {
                continue;
            }
            let culprits: Vec<&str> = selection
                .entity_filters()
                .into_iter()
                .filter_map(|(name, without)| self.keeps(&without, node).ok()?.then_some(name))
                .collect();
            let entity = self.entity(node);
            let dates = match (entity.start(), entity.end(), entity.ongoing()) {
                (None, None, _) => "undated".to_owned(),
                (start, end, ongoing) => {
                    let show = |date: Option<crate::model::PartialDate>| date.map_or(String::new(), |d| d.to_string());
                    let end = if ongoing && end.is_none() {
                        "ongoing".to_owned()
                    } else {
                        show(end)
                    };
                    format!("dated {}..{end}", show(start))
                }
            };
            let openness = entity.openness().map_or("no openness", |o| o.name());
            warnings.push(Warning {
                code: ROOT_FILTERED,
                message: format!(
                    "the {role} `{}` is removed by `{}` ({openness}, {dates})",
                    entity.id(),
                    if culprits.is_empty() {
                        "the entity filters together".to_owned()
                    } else {
                        culprits.join("`, `")
                    }
                ),
            });
        }
        Ok(warnings)
    }

    fn keeps(&self, selection: &Selection, node: crate::graph::NodeIndex) -> Result<bool, QueryError> {
        Ok(selection
            .filter(&self.projection, false, None)?
            .node_passes(self.projection.node_data(node)))
    }

    /// Why `path` found nothing: the ends a filter removes, else the filters without which a
    /// path exists (each tried alone, with `temporal` and a lowered `maxHops` among them).
    pub fn why_no_path(&self, query: &PathQuery, limits: &Limits) -> Result<Vec<Warning>, QueryError> {
        let ends = [query.from.as_str(), query.to.as_str()];
        let mut warnings = self.removed_refs(&ends[..1], "from", &query.selection)?;
        warnings.extend(self.removed_refs(&ends[1..], "to", &query.selection)?);
        if !warnings.is_empty() {
            return Ok(warnings);
        }
        let mut tries: Vec<(&str, PathQuery)> = query
            .selection
            .filters()
            .into_iter()
            .map(|(name, selection)| {
                let query = PathQuery {
                    selection,
                    ..query.clone()
                };
                (name, query)
            })
            .collect();
        if query.temporal {
            tries.push((
                "temporal",
                PathQuery {
                    temporal: false,
                    ..query.clone()
                },
            ));
        }
        if query.max_hops.is_some_and(|hops| hops < limits.max_hops) {
            tries.push((
                "maxHops",
                PathQuery {
                    max_hops: None,
                    ..query.clone()
                },
            ));
        }
        let mut culprits = Vec::new();
        for (name, without) in &tries {
            if self.path(without, limits)?.is_some() {
                culprits.push(*name);
            }
        }
        let (from, to) = (self.resolve_id(&query.from)?, self.resolve_id(&query.to)?);
        let message = match (tries.is_empty(), culprits.is_empty()) {
            (true, _) => format!(
                "`{from}` and `{to}` are not connected within {} relations",
                limits.max_hops
            ),
            (false, false) => format!(
                "no path from `{from}` to `{to}` under these filters; without `{}` there is one",
                culprits.join("` (or without `")
            ),
            (false, true) => {
                let names: Vec<&str> = tries.iter().map(|(name, _)| *name).collect();
                format!(
                    "no path from `{from}` to `{to}` under `{}`; leaving out any one of them alone does not give one",
                    names.join("`, `")
                )
            }
        };
        Ok(vec![Warning {
            code: EMPTY_RESULT,
            message,
        }])
    }
}

/// A warning that `what` is empty under the named filters (none: nothing to say).
pub fn empty(what: &str, filters: &[&str]) -> Option<Warning> {
    let message = match filters {
        [] => return None,
        [filter] => format!("no {what} meets `{filter}`"),
        _ => format!("no {what} meets `{}` together", filters.join("`, `")),
    };
    Some(Warning {
        code: EMPTY_RESULT,
        message,
    })
}
