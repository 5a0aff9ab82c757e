//! `/subgraph`'s query string, read strictly: every parameter is known, given once unless it
//! may repeat (`root`, `kinds`), and never empty; booleans are `true/false/1/0/yes/no`. Each
//! refusal is a 400 that names the parameter in the URL's words (`root`, `from`, not GraphQL's
//! `roots`, `between`), so a caller can fix the request from the message alone.

use crate::api::ApiError;
use crate::model::{EvidenceType, Openness, RelationKind};
use crate::services::explore::{Direction, QueryError, Selection, Window, walk_direction};

/// The formats, by the `format` parameter's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Cytoscape,
    GraphMl,
    Gexf,
    Dot,
    Csv,
    JsonLd,
}

const FORMATS: &[(&str, Format)] = &[
    ("cytoscape", Format::Cytoscape),
    ("graphml", Format::GraphMl),
    ("gexf", Format::Gexf),
    ("dot", Format::Dot),
    ("csv", Format::Csv),
    ("jsonld", Format::JsonLd),
];

/// Every parameter, and whether it may repeat. `kind` is the older name of `kinds`.
const KNOWN: &[(&str, bool)] = &[
    ("root", true),
    ("all", false),
    ("depth", false),
    ("limit", false),
    ("kinds", true),
    ("kind", true),
    ("openness", false),
    ("directed", false),
    ("direction", false),
    ("from", false),
    ("to", false),
    ("includeUndated", false),
    ("format", false),
    ("part", false),
    ("predicates", true),
    ("evidenceTypes", true),
    ("minConfidence", false),
    ("source", false),
];

/// What a request asks for: a neighbourhood of `roots`, or the whole graph (`all=true`).
#[derive(Debug)]
pub struct Parameters {
    pub roots: Vec<String>,
    pub whole_graph: bool,
    pub depth: usize,
    pub selection: Selection,
    pub limit: Option<usize>,
    pub format: Format,
    pub nodes_table: bool,
    /// The `source` filter as named; the handler looks the document up in the store.
    pub source: Option<String>,
}

fn refuse<T>(message: impl Into<String>) -> Result<T, ApiError> {
    Err(ApiError::BadRequest(message.into()))
}

/// A count; digits beyond `usize` stand for "more than any limit", which the limit refuses.
fn number(key: &str, value: &str) -> Result<usize, ApiError> {
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(value.parse().unwrap_or(usize::MAX));
    }
    refuse(format!("`{key}` must be a non-negative integer, not `{value}`"))
}

fn boolean(key: &str, value: &str) -> Result<bool, ApiError> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => refuse(format!(
            "`{key}` must be one of true, false, 1, 0, yes, no; not `{value}`"
        )),
    }
}

/// `direction`: `out` (source to target), `in` (upstream) or `both`, in any case.
fn walk(value: &str) -> Result<Direction, ApiError> {
    match value.to_ascii_lowercase().as_str() {
        "out" => Ok(Direction::Out),
        "in" => Ok(Direction::In),
        "both" => Ok(Direction::Both),
        _ => refuse(format!("`direction` must be one of out, in, both; not `{value}`")),
    }
}

fn format(value: &str) -> Result<Format, ApiError> {
    match FORMATS.iter().find(|(name, _)| name.eq_ignore_ascii_case(value)) {
        Some(&(_, format)) => Ok(format),
        None => {
            let names: Vec<&str> = FORMATS.iter().map(|(name, _)| *name).collect();
            refuse(format!(
                "unknown format `{value}` (expected one of: {})",
                names.join(", ")
            ))
        }
    }
}

/// The pairs of the query string, each parameter known, not empty, and not repeated unless it
/// may be.
fn pairs(query: &str) -> Result<Vec<(String, String)>, ApiError> {
    let mut seen: Vec<String> = Vec::new();
    let mut pairs = Vec::new();
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let Some(&(_, repeats)) = KNOWN.iter().find(|(name, _)| *name == key) else {
            let names: Vec<&str> = KNOWN.iter().map(|(name, _)| *name).collect();
            return refuse(format!("unknown parameter `{key}` (known: {})", names.join(", ")));
        };
        if value.trim().is_empty() {
            return refuse(format!("`{key}` is empty"));
        }
        if !repeats && seen.iter().any(|name| *name == key) {
            return refuse(format!("`{key}` is given more than once"));
        }
        seen.push(key.to_string());
        pairs.push((key.into_owned(), value.into_owned()));
    }
    Ok(pairs)
}

/// `from` and `to`, each checked alone so a bad date is named by its own parameter.
fn window(from: Option<&str>, to: Option<&str>) -> Result<Option<Window>, ApiError> {
    if from.is_none() && to.is_none() {
        return Ok(None);
    }
    let words = ApiError::Query;
    Window::parse(from, None, "from").map_err(words)?;
    Window::parse(None, to, "to").map_err(words)?;
    Window::parse(from, to, "to").map(Some).map_err(words)
}

pub fn parse(query: &str) -> Result<Parameters, ApiError> {
    let mut parameters = Parameters {
        roots: Vec::new(),
        whole_graph: false,
        depth: 1,
        selection: Selection::default(),
        limit: None,
        format: Format::Cytoscape,
        nodes_table: false,
        source: None,
    };
    let (mut from, mut to, mut depth, mut part) = (None, None, None, None);
    let mut include_undated = false;
    let (mut directed, mut direction) = (None, None);
    for (key, value) in pairs(query)? {
        match key.as_str() {
            "root" => parameters.roots.push(value),
            "all" => parameters.whole_graph = boolean(&key, &value)?,
            "depth" => depth = Some(number(&key, &value)?),
            "limit" => parameters.limit = Some(number(&key, &value)?),
            "directed" => directed = Some(boolean(&key, &value)?),
            "direction" => direction = Some(walk(&value)?),
            "openness" => {
                let openness: Openness = value
                    .parse()
                    .map_err(|e| ApiError::BadRequest(format!("`openness`: {e}")))?;
                parameters.selection.openness = Some(openness);
            }
            "kinds" | "kind" => {
                for kind in value.split(',').filter(|kind| !kind.trim().is_empty()) {
                    let kind: RelationKind = kind
                        .parse()
                        .map_err(|e| ApiError::BadRequest(format!("`{key}`: {e}")))?;
                    parameters.selection.kinds.get_or_insert_with(Vec::new).push(kind);
                }
            }
            "predicates" => {
                let names = value.split(',').map(str::trim).filter(|name| !name.is_empty());
                let predicates = parameters.selection.relations.predicates.get_or_insert_with(Vec::new);
                predicates.extend(names.map(str::to_owned));
            }
            "evidenceTypes" => {
                for evidence in value.split(',').filter(|evidence| !evidence.trim().is_empty()) {
                    let evidence: EvidenceType = evidence
                        .parse()
                        .map_err(|e| ApiError::BadRequest(format!("`{key}`: {e}")))?;
                    let kept = parameters.selection.relations.evidence.get_or_insert_with(Vec::new);
                    kept.push(evidence);
                }
            }
            "minConfidence" => {
                let least = value
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|least| (0.0..=1.0).contains(least));
                let Some(least) = least else {
                    return refuse(format!("`minConfidence` must be a number from 0 to 1, not `{value}`"));
                };
                parameters.selection.relations.min_confidence = Some(least);
            }
            "source" => parameters.source = Some(value),
            "from" => from = Some(value),
            "to" => to = Some(value),
            "includeUndated" => include_undated = boolean(&key, &value)?,
            "format" => parameters.format = format(&value)?,
            _ => part = Some(value),
        }
    }
    parameters.selection.direction = walk_direction(directed, direction).map_err(ApiError::Query)?;
    parameters.selection.between =
        window(from.as_deref(), to.as_deref())?.map(|window| window.including_undated(include_undated));
    parameters.nodes_table = table(part.as_deref(), parameters.format)?;
    parameters.depth = scope(&parameters, depth)?;
    Ok(parameters)
}

/// `part`: which CSV table, and only for CSV.
fn table(part: Option<&str>, format: Format) -> Result<bool, ApiError> {
    match (part, format) {
        (None, _) => Ok(false),
        (Some(part), Format::Csv) => match part {
            "edges" => Ok(false),
            "nodes" => Ok(true),
            _ => refuse(format!("`part` must be `edges` or `nodes`, not `{part}`")),
        },
        (Some(_), _) => refuse("`part` is only for `format=csv`"),
    }
}

/// The depth, once it is known whether roots or the whole graph were asked for.
fn scope(parameters: &Parameters, depth: Option<usize>) -> Result<usize, ApiError> {
    match (parameters.whole_graph, parameters.roots.is_empty(), depth) {
        (true, false, _) => refuse("give `root` or `all=true`, not both"),
        (true, true, Some(_)) => refuse("`depth` is for a neighbourhood of `root`; `all=true` takes everything"),
        (false, true, _) => Err(ApiError::Query(QueryError::BadInput {
            field: "root",
            message: "give at least one ref (or `all=true` for the whole graph)".to_owned(),
        })),
        (_, _, depth) => Ok(depth.unwrap_or(1)),
    }
}

/// A selection error in the URL's words: GraphQL's `roots` is `root` here, `between` is
/// `from`/`to`.
pub fn url_words(error: QueryError) -> QueryError {
    let word = |name: &'static str| match name {
        "roots" => "root",
        "between" => "from/to",
        other => other,
    };
    match error {
        QueryError::BadInput { field, message } => QueryError::BadInput {
            field: word(field),
            message,
        },
        QueryError::LimitExceeded { limit, max, asked } => QueryError::LimitExceeded {
            limit: word(limit),
            max,
            asked,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(query: &str) -> String {
        parse(query).unwrap_err().to_string()
    }

    #[test]
    fn strict_reading() {
        assert!(refusal("root=a&colour=red").contains("unknown parameter `colour` (known: root, all, depth"));
        assert_eq!(refusal("root=a&depth=1&depth=2"), "`depth` is given more than once");
        assert_eq!(refusal("root="), "`root` is empty");
        assert!(refusal("root=a&directed=maybe").contains("`directed` must be one of"));
        assert_eq!(parse("root=a&direction=IN").unwrap().selection.direction, Direction::In);
        assert!(refusal("root=a&directed=true&direction=in").contains("conflicts with `direction` IN"));
        assert!(refusal("root=a&direction=up").contains("`direction` must be one of out, in, both"));
        assert_eq!(
            parse("root=a&directed=true&direction=out").unwrap().selection.direction,
            Direction::Out
        );
        assert_eq!(
            parse("root=a&directed=yes").unwrap().selection.direction,
            Direction::Out
        );
        assert_eq!(
            parse("root=a&directed=No").unwrap().selection.direction,
            Direction::Both
        );
        assert_eq!(parse("root=a&depth=99999999999999999999999").unwrap().depth, usize::MAX);
        assert!(refusal("root=a&depth=-1").contains("`depth` must be a non-negative integer"));
        assert!(refusal("root=a&from=2014-13").starts_with("from:"));
        assert!(refusal("root=a&from=2015&to=2014").starts_with("to:"));
        assert_eq!(
            refusal("depth=1"),
            "root: give at least one ref (or `all=true` for the whole graph)"
        );
        assert_eq!(refusal("all=1&root=a"), "give `root` or `all=true`, not both");
        assert!(refusal("root=a&part=nodes").contains("only for `format=csv`"));
        assert!(refusal("root=a&from=2013&includeUndated=sometimes").contains("`includeUndated` must be one of"));
        let between = |query: &str| parse(query).unwrap().selection.between.unwrap();
        assert!(
            !between("root=a&from=2013").include_undated,
            "undated entities are left out by default"
        );
        assert!(between("root=a&from=2013&includeUndated=true").include_undated);
        let whole = parse("all=yes&format=gexf").unwrap();
        assert!(whole.whole_graph && whole.roots.is_empty());
        let filtered = parse("root=a&predicates=feedsInto,organizes&predicates=coOrganizes&evidenceTypes=SEED_QUOTE,public_source&minConfidence=0.5&source=x.txt").unwrap();
        let relations = &filtered.selection.relations;
        assert_eq!(
            relations.predicates.as_deref().unwrap(),
            ["feedsInto", "organizes", "coOrganizes"]
        );
        assert_eq!(
            relations.evidence.as_deref().unwrap(),
            [EvidenceType::SeedQuote, EvidenceType::PublicSource]
        );
        assert_eq!(relations.min_confidence, Some(0.5));
        assert_eq!(filtered.source.as_deref(), Some("x.txt"));
        assert!(refusal("root=a&minConfidence=2").contains("`minConfidence` must be a number from 0 to 1"));
        assert!(refusal("root=a&minConfidence=NaN").contains("`minConfidence`"));
        assert!(refusal("root=a&evidenceTypes=rumour").contains("`evidenceTypes`: unknown evidence type"));
        assert_eq!(refusal("root=a&source=x&source=y"), "`source` is given more than once");
    }
}
